import pytest
from sqlalchemy import select

from storefront.extensions import db
from storefront.models import CartLine, Product
from tests.conftest import csrf_token


def product_id(app, slug: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Product.id).where(Product.slug == slug))


def add(client, app, slug: str, quantity="1", with_token=True):
    data = {"product_id": product_id(app, slug), "quantity": quantity}
    if with_token:
        data["csrf_token"] = csrf_token(client, f"/products/{slug}")
    return client.post("/cart/add", data=data)


def cart_lines(app) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(select(Product.slug, CartLine.quantity).join(CartLine.product)).all()
    return dict(rows)


def test_add_to_cart_shows_line_totals_and_shipping(client, app, catalog):
    assert add(client, app, "kyoto-hojicha", "3").status_code == 303
    html = client.get("/cart").get_data(as_text=True)
    assert "Kyoto Hojicha 80 g" in html
    assert "¥3,240" in html            # 3 × ¥1,080
    assert 'data-testid="shipping">¥500' in html
    assert 'data-testid="total">¥3,740' in html
    assert "Add ¥6,760 more for free shipping." in html


def test_shipping_is_free_from_ten_thousand_yen(client, app, catalog):
    add(client, app, "seki-santoku-knife")
    html = client.get("/cart").get_data(as_text=True)
    assert 'data-testid="shipping">Free' in html
    assert 'data-testid="total">¥12,100' in html


@pytest.mark.parametrize("app_settings", [{"SHIPPING_FEE": 800, "FREE_SHIPPING_FROM": 20000}])
def test_shipping_fee_and_threshold_are_configurable(client, app, catalog):
    add(client, app, "seki-santoku-knife")
    html = client.get("/cart").get_data(as_text=True)
    assert 'data-testid="shipping">¥800' in html
    assert 'data-testid="total">¥12,900' in html


def test_adding_the_same_product_twice_adds_up(client, app, catalog):
    add(client, app, "tenugui-waves", "2")
    add(client, app, "tenugui-waves", "5")
    assert cart_lines(app) == {"tenugui-waves": 7}
    assert ">7</span>" in client.get("/").get_data(as_text=True)  # the header's cart count


@pytest.mark.parametrize("quantity", ["0", "-1", "100", "abc", ""])
def test_bad_quantity_is_refused_beside_the_field_and_cart_unchanged(client, app, catalog, quantity):
    add(client, app, "tenugui-waves", "2")
    response = add(client, app, "tenugui-waves", quantity)
    assert response.status_code == 400
    assert "Choose a quantity from 1 to 99." in response.get_data(as_text=True)
    assert cart_lines(app) == {"tenugui-waves": 2}


def test_cannot_go_past_99_of_one_product(client, app, catalog):
    add(client, app, "tenugui-waves", "60")
    response = add(client, app, "tenugui-waves", "40")
    assert response.status_code == 400
    assert "at most 99" in response.get_data(as_text=True)
    assert cart_lines(app) == {"tenugui-waves": 60}


def test_missing_csrf_token_is_refused_and_cart_unchanged(client, app, catalog):
    response = add(client, app, "tenugui-waves", "1", with_token=False)
    assert response.status_code == 400
    assert "Please try again" in response.get_data(as_text=True)
    assert cart_lines(app) == {}


def test_unknown_product_is_a_404(client, app, catalog):
    token = csrf_token(client, "/products/tenugui-waves")
    for bad_id in ("999999", "abc", ""):
        response = client.post("/cart/add", data={"product_id": bad_id, "quantity": "1", "csrf_token": token})
        assert response.status_code == 404


def test_change_quantity_and_remove(client, app, catalog):
    add(client, app, "tenugui-waves", "1")
    add(client, app, "imabari-face-towel", "1")
    tenugui = product_id(app, "tenugui-waves")
    token = csrf_token(client, "/cart")
    assert client.post(f"/cart/lines/{tenugui}", data={"quantity": "4", "csrf_token": token}).status_code == 303
    assert cart_lines(app) == {"tenugui-waves": 4, "imabari-face-towel": 1}
    assert client.post(f"/cart/lines/{tenugui}/remove", data={"csrf_token": token}).status_code == 303
    assert cart_lines(app) == {"imabari-face-towel": 1}


@pytest.mark.parametrize("quantity", ["0", "100", "abc"])
def test_bad_quantity_in_the_cart_is_shown_on_that_line(client, app, catalog, quantity):
    add(client, app, "tenugui-waves", "3")
    tenugui = product_id(app, "tenugui-waves")
    response = client.post(f"/cart/lines/{tenugui}", data={"quantity": quantity, "csrf_token": csrf_token(client, "/cart")})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="quantity-{tenugui}-error">Choose a quantity from 1 to 99.' in html
    assert f'value="{quantity}"' in html  # what the shopper typed is kept
    assert cart_lines(app) == {"tenugui-waves": 3}


def test_prices_come_from_the_catalog_not_the_form(client, app, catalog):
    token = csrf_token(client, "/products/tenugui-waves")
    client.post("/cart/add", data={"product_id": product_id(app, "tenugui-waves"), "quantity": "1",
                                   "price": "1", "csrf_token": token})
    assert 'data-testid="subtotal">¥990' in client.get("/cart").get_data(as_text=True)


def test_cart_cookie_is_samesite_lax_and_http_only(client, app, catalog):
    response = add(client, app, "tenugui-waves")
    cookie = response.headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie


def test_each_visitor_has_their_own_cart(app, catalog):
    first, second = app.test_client(), app.test_client()
    add(first, app, "tenugui-waves", "2")
    assert "Your cart is empty." in second.get("/cart").get_data(as_text=True)
