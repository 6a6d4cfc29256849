"""Admin forms. Every one carries the CSRF token; the action forms also carry a one-time token so that
the same form sent twice is recognised as one action."""
import secrets

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, IntegerField, PasswordField, SelectChoice, SelectField
from wtforms import StringField
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

REASONS = [SelectChoice("requested_by_customer", "Requested by the customer"), SelectChoice("fraudulent", "Fraudulent")]


def one_time_token():
    return HiddenField(default=lambda: secrets.token_urlsafe(16), validators=[DataRequired()])


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired("Enter your email."), Email("Enter a valid email.")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    submit = SubmitField("Sign in")


class RefundForm(FlaskForm):
    token = one_time_token()
    payment = HiddenField(validators=[DataRequired()])
    amount = IntegerField("Amount to refund (¥)", validators=[
        InputRequired("Enter the amount in whole yen."), NumberRange(min=1, message="Refund at least ¥1.")])
    reason = SelectField("Reason", choices=REASONS, validators=[DataRequired()])
    note = TextAreaField("Note for your records (optional)", validators=[Optional(), Length(max=500)])
    submit = SubmitField("Refund")


class CaptureForm(FlaskForm):
    token = one_time_token()
    amount = IntegerField("Amount to capture (¥)", validators=[
        InputRequired("Enter the amount in whole yen."), NumberRange(min=1, message="Capture at least ¥1.")])
    cancel_rest = BooleanField("Cancel what is left after this capture")
    submit = SubmitField("Capture")


class ActionForm(FlaskForm):
    """A button with only the CSRF token: sync, reprocess, cancel authorization, sign out."""


class OrderSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField("Order number or email", validators=[Optional(), Length(max=254)])
    status = SelectField("Status", validators=[Optional()], choices=[SelectChoice("", "Any status")] + [
        SelectChoice(name, name.replace("_", " ")) for name in (
            "pending", "awaiting_payment", "paid", "partially_refunded", "refunded", "rejected", "cancelled", "failed")])
