"""The checkout form: who is buying and where it goes. Nothing about prices: those come from the catalog."""
import re
import secrets
import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import (EmailField, HiddenField, RadioField, SelectChoice, SelectField, StringField, TelField,
                     ValidationError)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from ..i18n import current_language
from ..address import postal_digits
from ..fields import ShopForm, half_width
from .methods import method_of, offered
from .prefectures import PREFECTURES

# Full-width katakana (ァ…ヺ), the long vowel mark ー, the middle dot ・ and spaces: what フリガナ allows.
PREFECTURE_NAMES = {name for name, _romaji in PREFECTURES}
KATAKANA = re.compile(r"^[\u30A1-\u30FA\u30FC\u30FB\u3000 ]+$")


def required(message):
    return DataRequired(message=message)


def katakana_only(_form, field):
    """フリガナ: full-width katakana. Half-width katakana (ﾔﾏﾀﾞ, from older keyboards) is widened first."""
    if not field.data:
        return
    field.data = unicodedata.normalize("NFKC", field.data).strip()
    if not KATAKANA.match(field.data):
        raise ValidationError(_l("Enter it in full-width katakana, for example ヤマダ."))


def known_method(_form, field):
    if method_of(field.data) is None:
        raise ValidationError(_l("Choose how you would like to pay."))


def known_prefecture(_form, field):
    if field.data not in PREFECTURE_NAMES:
        raise ValidationError(_l("Choose your prefecture."))


def japanese_phone(_form, field):
    digits = re.sub(r"[\s\-()]", "", half_width(field.data))
    if not re.fullmatch(r"0[0-9]{9,10}", digits):
        raise ValidationError(_l("Enter a Japanese phone number, for example 090-1234-5678."))
    field.data = digits


def postal_code(_form, field):
    digits = postal_digits(field.data)
    if digits is None:
        raise ValidationError(_l("Enter the postal code as NNN-NNNN, for example 153-0063."))
    field.data = f"{digits[:3]}-{digits[3:]}"


PROMOTION_CODE = re.compile(r"^[A-Za-z0-9._-]{1,50}$")


def promotion_code(form, field):
    """Letters, digits, ., - and _ (half-width after NFKC), as Smartpay's codes are (its SDKs' suites make codes
    such as THECODE1796479516.123); only Smartpay applies one."""
    field.data = half_width(field.data)
    if not field.data:
        return
    if not PROMOTION_CODE.match(field.data):
        raise ValidationError(_l("A promotion code has only letters, digits, ., - and _ (at most 50)."))
    method = method_of(form.payment_method.data)
    if method is not None and not method.takes_promotion_codes:
        raise ValidationError(_l("Promotion codes work with Smartpay only. Clear the code or choose Smartpay."))


class CheckoutForm(ShopForm):
    # A new id for each rendering of the form: a double click or a browser retry sends the same one back,
    # which is how the shop knows it is the same purchase and not a second one.
    submission_id = HiddenField(default=lambda: secrets.token_urlsafe(16), validators=[
        DataRequired(), Regexp(r"^[A-Za-z0-9_-]{8,64}$")])  # what the form wrote; the column holds 64
    email = EmailField(_l("Email"), validators=[required(_l("Enter your email address.")),
                                                Email(message=_l("Enter a valid email address.")), Length(max=254)])
    family_name = StringField(_l("Family name"), validators=[required(_l("Enter your family name.")), Length(max=60)])
    given_name = StringField(_l("Given name"), validators=[required(_l("Enter your given name.")), Length(max=60)])
    family_name_kana = StringField(_l("Family name in katakana (optional)"),
                                   validators=[Optional(), Length(max=60), katakana_only])
    given_name_kana = StringField(_l("Given name in katakana (optional)"),
                                  validators=[Optional(), Length(max=60), katakana_only])
    phone = TelField(_l("Phone"), validators=[required(_l("Enter your phone number.")), japanese_phone])
    postal_code = StringField(_l("Postal code"), validators=[required(_l("Enter your postal code.")), postal_code],
                              render_kw={"autocomplete": "postal-code", "inputmode": "numeric"})
    # The list is checked by `known_prefecture`, so a made-up value gets the same words as an empty one.
    prefecture = SelectField(_l("Prefecture"), validate_choice=False,
                             validators=[required(_l("Choose your prefecture.")), known_prefecture])
    city = StringField(_l("City, ward or town"), validators=[required(_l("Enter your city.")), Length(max=80)])
    address_line1 = StringField(_l("Address"), validators=[required(_l("Enter your street address.")), Length(max=120)])
    address_line2 = StringField(_l("Building and room (optional)"), validators=[Optional(), Length(max=120)])
    # Smartpay first and chosen unless the shopper picks another; a made-up value gets `known_method`'s words.
    # The offered methods (checkout/methods.py), the first chosen unless the shopper picks another; a made-up
    # value gets `known_method`'s words.
    payment_method = RadioField(_l("Payment method"), validate_choice=False, validators=[known_method])
    promotion_code = StringField(_l("Promotion code (optional)"), validators=[Optional(), promotion_code],
                                 render_kw={"autocomplete": "off", "maxlength": 50, "spellcheck": "false"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prefecture.choices = prefecture_choices()
        if getattr(self, "payment_method", None) is not None:  # a subscription's form has none (Smartpay only)
            methods = offered()  # a method that is off is not even a choice
            self.payment_method.choices = [SelectChoice(method.code, method.label) for method in methods]
            if self.payment_method.data is None and methods:
                self.payment_method.data = methods[0].code


def prefecture_choices() -> list[SelectChoice]:
    """The value is always the Japanese name (Smartpay's administrativeArea); the label follows the language."""
    english = current_language() == "en"
    return [SelectChoice("", _l("Choose a prefecture"))] + [
        SelectChoice(name, f"{romaji} ({name})" if english else name) for name, romaji in PREFECTURES]
