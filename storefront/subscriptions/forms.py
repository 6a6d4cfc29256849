"""The 定期便 checkout: who receives it and where, as at checkout, plus how often and how many. No payment method
(Smartpay's token is the point) and no promotion code (a token's charges have no hosted page to apply one)."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectChoice, ValidationError
from wtforms.validators import InputRequired, NumberRange

from ..checkout.forms import CheckoutForm
from ..fields import WholeNumberField

EVERY = [SelectChoice("1", _l("Every month")), SelectChoice("2", _l("Every 2 months"))]


def known_interval(_form, field):
    if field.data not in ("1", "2"):
        raise ValidationError(_l("Choose how often we deliver."))


class SubscriptionForm(CheckoutForm):
    payment_method = None
    promotion_code = None
    # A made-up value gets `known_interval`'s words, as an empty one does.
    every = RadioField(_l("Delivery interval"), choices=EVERY, default="1", validate_choice=False,
                       validators=[known_interval])
    quantity = WholeNumberField(_l("Number per delivery"), invalid_message=_l("Enter a whole number from 1 to 99."),
                                default=1, validators=[InputRequired(_l("Enter a whole number from 1 to 99.")),
                                                       NumberRange(min=1, max=99,
                                                                   message=_l("Enter a whole number from 1 to 99."))])
    # Set by the final confirmation's button: only a form the shopper saw confirmed goes on to Smartpay.
    confirmed = HiddenField()
