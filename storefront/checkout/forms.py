"""The checkout form: who is buying and where it goes. Nothing about prices: those come from the catalog."""
import re
import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectChoice, SelectField, StringField, TelField, ValidationError
from wtforms.validators import DataRequired, Email, Length, Optional

from .prefectures import PREFECTURES

KANA = re.compile(r"^[\u3040-\u309F\u30A0-\u30FF\u3000\s]+$")


def required(message):
    return DataRequired(message=message)


def kana_only(_form, field):
    if field.data and not KANA.match(field.data):
        raise ValidationError(_l("Use hiragana or katakana."))


def japanese_phone(_form, field):
    digits = re.sub(r"[\s\-()]", "", field.data or "")
    if not re.fullmatch(r"0\d{9,10}", digits):
        raise ValidationError(_l("Enter a Japanese phone number, for example 090-1234-5678."))
    field.data = digits


def postal_code(_form, field):
    digits = re.sub(r"[\s\-]", "", field.data or "")
    if not re.fullmatch(r"\d{7}", digits):
        raise ValidationError(_l("Enter the postal code as NNN-NNNN, for example 153-0063."))
    field.data = f"{digits[:3]}-{digits[3:]}"


class CheckoutForm(FlaskForm):
    # A new id for each rendering of the form: a double click or a browser retry sends the same one back,
    # which is how the shop knows it is the same purchase and not a second one.
    submission_id = HiddenField(default=lambda: secrets.token_urlsafe(16))
    email = EmailField(_l("Email"), validators=[required(_l("Enter your email address.")),
                                                Email(message=_l("Enter a valid email address.")), Length(max=254)])
    family_name = StringField(_l("Family name"), validators=[required(_l("Enter your family name.")), Length(max=60)])
    given_name = StringField(_l("Given name"), validators=[required(_l("Enter your given name.")), Length(max=60)])
    family_name_kana = StringField(_l("Family name in kana (optional)"),
                                   validators=[Optional(), Length(max=60), kana_only])
    given_name_kana = StringField(_l("Given name in kana (optional)"),
                                  validators=[Optional(), Length(max=60), kana_only])
    phone = TelField(_l("Phone"), validators=[required(_l("Enter your phone number.")), japanese_phone])
    postal_code = StringField(_l("Postal code"), validators=[required(_l("Enter your postal code.")), postal_code])
    prefecture = SelectField(_l("Prefecture"), choices=[SelectChoice("", _l("Choose a prefecture"))] + [
        SelectChoice(name, f"{english} ({name})") for name, english in PREFECTURES],
        validators=[required(_l("Choose your prefecture."))])
    city = StringField(_l("City, ward or town"), validators=[required(_l("Enter your city.")), Length(max=80)])
    address_line1 = StringField(_l("Address"), validators=[required(_l("Enter your street address.")), Length(max=120)])
    address_line2 = StringField(_l("Building and room (optional)"), validators=[Optional(), Length(max=120)])
