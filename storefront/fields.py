"""What the shop's and the admin's forms share: a base form, a whole-number field, and Japanese input made plain."""
import re
import unicodedata
from functools import lru_cache

from babel import support
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.i18n import messages_path

from .i18n import current_language


# The dashes a Japanese keyboard or phone types between digits: hyphen, full-width hyphen-minus, the long vowel
# mark (ー, and its half-width ｰ, which NFKC turns into ー), minus sign, figure, en, em and horizontal bar dashes.
DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff0d]")


def half_width(text: str | None) -> str:
    """Digits and dashes as the shop stores them: ０９０－１２３４－５６７８ and 090ー1234ー5678 become 090-1234-5678.

    NFKC turns full-width digits and letters into ASCII; every kind of dash becomes "-". Validate after this,
    with [0-9] rather than \\d (which would let other scripts' digits through)."""
    return DASHES.sub("-", unicodedata.normalize("NFKC", text or "")).strip()


@lru_cache(maxsize=8)
def wtforms_messages(language: str) -> support.Translations:
    """WTForms' own messages ("Not a valid choice", …) in a language, read from disk once per process.

    Flask-WTF reads the catalog again on every request; on a page with a form that was a tenth of its time."""
    return support.Translations.load(messages_path(), [language], domain="wtforms")


class ShopForm(FlaskForm):
    """Every form of the shop and the admin: Flask-WTF's CSRF protection, WTForms' messages in the reader's
    language."""

    class Meta:
        def get_translations(self, form):
            return wtforms_messages(current_language())


class WholeNumberField(IntegerField):
    """An IntegerField whose "not a number" error says what to type, in the reader's language, instead of
    WTForms' generic "Not a valid integer value"."""

    def __init__(self, label, validators, invalid_message, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata([half_width(value) for value in valuelist])
        except ValueError:
            raise ValueError(self.invalid_message) from None
