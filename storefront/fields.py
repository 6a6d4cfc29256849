"""Form fields shared by the shop and the admin."""
from wtforms import IntegerField


class WholeNumberField(IntegerField):
    """An IntegerField whose "not a number" error says what to type, in the reader's language, instead of
    WTForms' generic "Not a valid integer value"."""

    def __init__(self, label, validators, invalid_message, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.invalid_message) from None
