"""Nothing left untranslated: every text in `_()` has a reviewed Japanese line, and no template shows text
that bypasses `_()`.

The messages are extracted afresh from the sources (as `make translations` does), so a new `_()` that nobody
extracted fails here too, not only one that was extracted and left empty.
"""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.checkers import python_format
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
APPS = {
    "storefront": ["storefront", "templates"],
    "sandbox": ["sandbox"],
}
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}
METHODS = [("**.py", "python"), ("**.html", "jinja2"), ("**.txt", "jinja2")]


def extracted(app: str) -> set:
    ids = set()
    for folder in APPS[app]:
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / folder, METHODS, keywords=KEYWORDS, options_map={"**.html": {}, "**.txt": {}}):
            ids.add(message)
    return ids


def japanese_catalog(app: str) -> Catalog:
    with open(ROOT / app / "translations" / "ja" / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po)


@pytest.mark.parametrize("app", APPS)
def test_every_message_has_a_reviewed_japanese_translation(app):
    catalog = japanese_catalog(app)
    problems = []
    for msgid in sorted(extracted(app), key=str):
        message = catalog.get(msgid)
        strings = (message.string if isinstance(message.string, tuple) else (message.string,)) if message else ()
        if message is None:
            problems.append(f"missing from ja: {msgid!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy (not reviewed): {msgid!r}")
        elif not all(strings):
            problems.append(f"empty in ja: {msgid!r}")
        else:
            try:
                python_format(catalog, message)
            except Exception as error:  # babel raises TranslationError with the placeholder that differs
                problems.append(f"placeholders differ in {msgid!r}: {error}")
    assert not problems, f"{app}: run `make translations` and translate:\n" + "\n".join(problems)


@pytest.mark.parametrize("app", APPS)
def test_japanese_punctuation_is_full_width(app):
    """Japanese sentences end with 。 and use 、（）： (the style guide), not their half-width twins."""
    wrong = []
    for message in japanese_catalog(app):
        for text in (message.string if isinstance(message.string, tuple) else (message.string,)):
            if text and re.search(r"[\u3040-\u30ff\u4e00-\u9fff][.,:!?]|[\u3040-\u30ff\u4e00-\u9fff] ?\(", text):
                wrong.append(text)
    assert not wrong, "half-width punctuation after Japanese:\n" + "\n".join(wrong)


# --- templates: no text a person reads outside _() ---------------------------------------------------

TEMPLATE_DIRS = [ROOT / "templates", ROOT / "sandbox" / "templates"]
JINJA = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}", re.S)
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "value", "label"}
# What may stand in a template as it is: symbols, ids and names that are the same in every language.
ALLOWED = {"S", "日本語", "English", "sk_test_…", "4242 4242 4242 4242", "303 See Other →"}  # HTTP terms stay as they are


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        names = dict(attrs)
        for name, value in attrs:
            # A hidden input's value is data, not text; a button's or option's value is a code.
            if name == "value" and (tag != "input" or names.get("type") in ("hidden", None, "number")):
                continue
            if name in READ_ATTRIBUTES and value:
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.found.append(data)


def untranslated_text(template: Path) -> list[str]:
    parser = VisibleText()
    parser.feed(JINJA.sub(" ", template.read_text()))
    words = []
    for text in parser.found:
        text = text.strip()
        if text and text not in ALLOWED and re.search(r"[A-Za-z\u3040-\u30ff\u4e00-\u9fff]{2,}", text):
            words.append(text)
    return words


@pytest.mark.parametrize("template", sorted(p for folder in TEMPLATE_DIRS for pattern in ("*.html", "*.txt")
                                             for p in folder.rglob(pattern)),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_show_no_text_outside_gettext(template):
    assert untranslated_text(template) == []


def test_the_template_check_catches_bare_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<h1>{{ _("Cart") }}</h1><p>Free shipping</p><img alt="A bowl" src="x">'
                    '<input type="hidden" value="abc"><a href="/">{{ _("Home") }}</a>')
    assert untranslated_text(page) == ["Free shipping", "A bowl"]
