# The README's two commands: `make run` and `make test`. Everything else is a step they share.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
SANDBOX_PORT ?= 5001

.PHONY: run test install install-dev browser sdk clean

run: install
	PORT=$(PORT) SANDBOX_PORT=$(SANDBOX_PORT) bash scripts/run.sh

test: install-dev browser sdk
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Reinstall only when a requirements file changed: the stamp file remembers the last install.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Browser tests drive Debian's Chromium: Playwright's own browser download cannot work offline.
browser:
	@test -x /usr/bin/chromium || bash scripts/apt-install.sh chromium

# The official Smartpay SDKs that prove the sandbox (Node from npm, Python 0.5.0 in its own venv).
sdk:
	bash tests/sdk/setup.sh

clean:
	rm -rf $(VENV) .venv-sdk tests/sdk/node_modules .pytest_cache tests/artifacts
