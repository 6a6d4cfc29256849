"""History notes are codes, worded by the package that writes them; rows from before keep their sentence."""
import pytest
from flask_babel import force_locale

from storefront.labels import failure_label, note_label


@pytest.mark.parametrize("code, sentence, japanese", [
    ("checkout_stopped", "The checkout stopped before the shopper reached Smartpay", "Smartpay"),
    ("smartpay_declined", "Smartpay declined the purchase", "Smartpay"),
    ("deadline_passed", "The transfer deadline passed", "期限"),   # bank transfer's own, registered by its package
    ("overpaid", "More than the total was received", "入金"),
])
def test_a_note_reads_the_same_from_its_code_and_from_an_old_rows_sentence(app, code, sentence, japanese):
    with app.test_request_context(), force_locale("ja"):
        assert note_label(code) == note_label(sentence) != code
        assert japanese in note_label(code) and str(failure_label(code)) == str(failure_label(sentence))
    with app.test_request_context(), force_locale("en"):
        assert note_label(code) == sentence


def test_a_merchants_own_note_and_smartpays_error_line_are_shown_as_written(app):
    with app.test_request_context():
        assert note_label("called the shopper") == "called the shopper"
        assert str(failure_label("503 service.unavailable: try later")) == \
            "<code>503 service.unavailable: try later</code>"
