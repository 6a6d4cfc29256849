"""Cart forms. The browser sends only a product id and a quantity: never a price."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SubmitField
from wtforms.validators import InputRequired, NumberRange

from ..cart import MAX_QUANTITY
from ..fields import ShopForm, WholeNumberField

QUANTITY_MESSAGE = _l("Choose a quantity from 1 to %(max)s.", max=MAX_QUANTITY)


def quantity_field():
    # "Not a number" reads like the range error, for the shopper.
    return WholeNumberField(_l("Quantity"), default=1, invalid_message=QUANTITY_MESSAGE, validators=[
        InputRequired(message=QUANTITY_MESSAGE), NumberRange(min=1, max=MAX_QUANTITY, message=QUANTITY_MESSAGE)])


class AddToCartForm(ShopForm):
    product_id = HiddenField(validators=[InputRequired()])
    quantity = quantity_field()
    submit = SubmitField(_l("Add to cart"))


class UpdateLineForm(ShopForm):
    quantity = quantity_field()
    submit = SubmitField(_l("Update quantity"))


class RemoveLineForm(ShopForm):
    submit = SubmitField(_l("Remove"))
