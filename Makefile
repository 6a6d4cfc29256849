# The README's two commands: `make run` and `make test`. Everything else is a step they share.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
SANDBOX_PORT ?= 5001

CATALOGS := storefront/translations sandbox/translations
PO_FILES := $(wildcard $(addsuffix /*/LC_MESSAGES/messages.po,$(CATALOGS)))
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test test-fast install install-dev receipt-font browser sdk clean translations compile-translations bench-deps contract exercise

run: install compile-translations
	PORT=$(PORT) SANDBOX_PORT=$(SANDBOX_PORT) bash scripts/run.sh

test: install-dev compile-translations browser sdk
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The tier a newcomer runs while editing: no browser, no live server, no fuzz or fault runs, on two processes
# (pytest-xdist, each with its own SQLite file, whatever DATABASE_URL says). `make test` runs all of it, and more.
test-fast: install-dev compile-translations
	DATABASE_URL= $(BIN)/python -m pytest -n 2 -m "not browser and not live and not slow" $(PYTEST_ARGS)

# Reinstall only when a requirements file changed: the stamp file remembers the last install.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@$(MAKE) --no-print-directory receipt-font
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@$(MAKE) --no-print-directory receipt-font
	touch $(VENV)/.installed $@

# The 領収書 PDF embeds a font with Japanese glyphs: Debian's Noto CJK here (elsewhere set RECEIPT_FONT, or rely on
# macOS's Hiragino or Windows's Yu Gothic, which storefront/receipts/pdf.py looks for).
receipt-font:
	@test -d /usr/share/fonts/opentype/noto || ! command -v apt-get >/dev/null || bash scripts/apt-install.sh fonts-noto-cjk

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The .po files are the translations' source; the .mo files the apps read are built from them, never committed.
compile-translations: $(MO_FILES)
%.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

# After changing texts: extract every _() of each app, merge into its catalogs (new entries come out empty,
# and the test suite fails until they are translated), and compile.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_pgettext:1c,2 -o storefront/translations/messages.pot storefront templates
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i storefront/translations/messages.pot -d storefront/translations
	$(BIN)/pybabel extract -F babel.cfg -k _l -o sandbox/translations/messages.pot sandbox
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i sandbox/translations/messages.pot -d sandbox/translations
	$(MAKE) compile-translations

# Browser tests drive Debian's Chromium: Playwright's own browser download cannot work offline. The CJK font
# makes Japanese readable in the tests' screenshots instead of boxes.
browser:
	@test -x /usr/bin/chromium -a -d /usr/share/fonts/opentype/noto || bash scripts/apt-install.sh chromium fonts-noto-cjk
	@command -v npm >/dev/null || bash scripts/apt-install.sh nodejs npm
	@test -f tests/browser/axe/node_modules/axe-core/axe.min.js || \
		(cd tests/browser/axe && npm ci --no-audit --no-fund --loglevel=error)

# The official Smartpay SDKs that prove the sandbox (Node from npm, Python 0.5.0 in its own venv).
sdk:
	bash tests/sdk/setup.sh

# The contract suite alone: against the offline sandbox, or against real Smartpay test mode when
# SMARTPAY_CONTRACT_API_URL and SMARTPAY_CONTRACT_SECRET_KEY are set (see tests/contract/conftest.py).
contract: install-dev compile-translations
	$(BIN)/python -m pytest tests/contract -rs $(PYTEST_ARGS)

# The workshop: `make exercise 4` checks exercise 4 (docs/workshop/exercises.md) and says what is missing.
ifeq (exercise,$(firstword $(MAKECMDGOALS)))
  EXERCISE := $(word 2,$(MAKECMDGOALS))
  $(eval $(EXERCISE):;@:)
endif
exercise: install-dev compile-translations
	@$(BIN)/python scripts/exercise.py $(EXERCISE)

# Load and speed runs (benchmarks/): Locust, never needed by the app or CI.
bench-deps: install-dev
	$(BIN)/pip install --quiet --disable-pip-version-check -r benchmarks/requirements.txt

clean:
	rm -rf $(VENV) .venv-sdk tests/sdk/node_modules tests/browser/axe/node_modules .pytest_cache tests/artifacts $(MO_FILES)
