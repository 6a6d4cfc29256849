"""Admin forms. Every one carries the CSRF token; the action forms also carry a one-time token so that
the same form sent twice is recognised as one action."""
import secrets

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, RadioField, SelectChoice, SelectField
from wtforms import StringField
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp

from ..fields import ShopForm, WholeNumberField
from ..labels import ORDER_STATUSES, REFUND_REASONS

WHOLE_YEN = _l("Enter the amount in whole yen.")
MOST_YEN = 100_000_000  # far above any order here, far below what a database integer holds
REASONS = [SelectChoice(code, label) for code, label in REFUND_REASONS.items()]


IN_PROPORTION = 0  # a refund that reduces every tax rate of the order in proportion (storefront/tax.py)


def tax_rate_field():
    return SelectField(_l("Tax rate it reduces"), coerce=int, default=IN_PROPORTION)


def offer_rates(form, order):
    """The rates of `order` a refund may reduce, after 'all, in proportion' (the choice for a full refund)."""
    form.tax_rate.choices = [SelectChoice(IN_PROPORTION, _l("All rates, in proportion"))] + [
        SelectChoice(part.rate, _l("%(rate)s%% rate", rate=part.rate)) for part in order.tax_parts]
    return form


def rate_of(form) -> int | None:
    return form.tax_rate.data or None


def one_time_token():
    return HiddenField(default=lambda: secrets.token_urlsafe(16), validators=[DataRequired()])


class LoginForm(ShopForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email.")), Email(_l("Enter a valid email."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    submit = SubmitField(_l("Sign in"))


class RefundForm(ShopForm):
    token = one_time_token()
    payment = HiddenField(validators=[DataRequired()])
    amount = WholeNumberField(_l("Amount to refund (¥)"), invalid_message=WHOLE_YEN, validators=[
        InputRequired(WHOLE_YEN), NumberRange(min=1, message=_l("Refund at least ¥1.")),
        NumberRange(max=MOST_YEN, message=_l("That is more than any order of this shop."))])
    tax_rate = tax_rate_field()
    reason = SelectField(_l("Reason"), choices=REASONS, validators=[DataRequired()])
    note = TextAreaField(_l("Note for your records (optional)"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Refund"))


MOST_TRANSFER_YEN = 10_000_000  # a bank transfer above this is a typo here, not an order


def transfer_amount(label):
    return WholeNumberField(label, invalid_message=WHOLE_YEN, validators=[
        InputRequired(WHOLE_YEN), NumberRange(min=1, message=_l("Enter at least ¥1.")),
        NumberRange(max=MOST_TRANSFER_YEN, message=_l("Enter at most ¥10,000,000."))])


class TransferReceivedForm(ShopForm):
    """入金確認: what arrived in the shop's account for a bank transfer order."""
    token = one_time_token()
    amount = transfer_amount(_l("Amount received (¥)"))
    sender = StringField(_l("Sender, as the bank statement shows it (optional)"),
                         validators=[Optional(), Length(max=100)])
    note = TextAreaField(_l("Note for your records (optional)"), validators=[Optional(), Length(max=500)])


class TransferRefundForm(ShopForm):
    """Money the shop sent back by its own transfer, recorded after the fact."""
    token = one_time_token()
    amount = transfer_amount(_l("Amount refunded (¥)"))
    tax_rate = tax_rate_field()
    reason = SelectField(_l("Reason"), choices=REASONS, validators=[DataRequired()])
    note = TextAreaField(_l("Note for your records (optional)"), validators=[Optional(), Length(max=500)])


class CouponForm(ShopForm):
    """A Smartpay coupon: how much comes off. The shopper never sees it; they type a promotion code for it."""
    token = one_time_token()
    name = StringField(_l("Coupon name"), validators=[DataRequired(_l("Name the coupon.")), Length(max=100)])
    discount_type = RadioField(_l("Discount"), default="amount", choices=[
        SelectChoice("amount", _l("An amount in yen")), SelectChoice("percentage", _l("A percentage"))])
    amount = WholeNumberField(_l("Amount off (¥)"), invalid_message=WHOLE_YEN, validators=[
        Optional(), NumberRange(min=1, max=MOST_YEN, message=_l("Enter an amount from ¥1."))])
    percentage = WholeNumberField(_l("Percentage off (%)"), invalid_message=_l("Enter a whole percentage."),
                                  validators=[Optional(), NumberRange(min=1, max=100,
                                                                      message=_l("Enter a percentage from 1 to 100."))])
    max_redemptions = WholeNumberField(_l("Uses in all (optional)"), invalid_message=_l("Enter a whole number."),
                                       validators=[Optional(), NumberRange(min=1, message=_l("Enter at least 1."))])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        chosen = self.amount if self.discount_type.data == "amount" else self.percentage
        if valid and chosen.data is None:
            chosen.errors.append(_l("Enter how much comes off."))
            return False
        return valid


class PromotionCodeForm(ShopForm):
    """What the shopper types at checkout, for one coupon, with its limits."""
    token = one_time_token()
    coupon = SelectField(_l("Coupon"), validators=[DataRequired(_l("Choose a coupon."))])
    code = StringField(_l("Code"), validators=[
        DataRequired(_l("Enter the code.")), Length(max=50),
        Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Use letters, digits, ., - and _ only."))])
    max_redemptions = WholeNumberField(_l("Uses in all (optional)"), invalid_message=_l("Enter a whole number."),
                                       validators=[Optional(), NumberRange(min=1, message=_l("Enter at least 1."))])
    minimum_amount = WholeNumberField(_l("Minimum order (¥, optional)"), invalid_message=WHOLE_YEN,
                                      validators=[Optional(), NumberRange(min=1, message=_l("Enter at least ¥1."))])
    first_purchase = BooleanField(_l("First purchase only"))
    once_per_customer = BooleanField(_l("Once per customer"))


class CaptureForm(ShopForm):
    token = one_time_token()
    amount = WholeNumberField(_l("Amount to capture (¥)"), invalid_message=WHOLE_YEN, validators=[
        InputRequired(WHOLE_YEN), NumberRange(min=1, message=_l("Capture at least ¥1.")),
        NumberRange(max=MOST_YEN, message=_l("That is more than any order of this shop."))])
    cancel_rest = BooleanField(_l("Cancel what is left after this capture"))
    submit = SubmitField(_l("Capture"))


class ActionForm(ShopForm):
    """A button with only the CSRF token: sync, reprocess, cancel authorization, sign out."""


class OrderSearchForm(ShopForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(_l("Order number, email or transfer number"), validators=[Optional(), Length(max=254)])
    status = SelectField(_l("Status"), validators=[Optional()], choices=[SelectChoice("", _l("Any status"))] + [
        SelectChoice(code, label) for code, label in ORDER_STATUSES.items()])
