"""A shopper in Chromium: browse, fill the cart, change it, and read the totals."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_browse_add_two_products_change_quantity_and_remove(page, live_server, catalog):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="All products")).to_be_visible()

    page.get_by_role("link", name="Tea", exact=True).click()
    page.get_by_role("link", name="Kyoto Hojicha 80 g").click()
    expect(page.get_by_role("heading", name="Kyoto Hojicha 80 g")).to_be_visible()
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text("Added Kyoto Hojicha 80 g to your cart.")).to_be_visible()

    page.get_by_role("link", name="Textiles", exact=True).click()
    page.get_by_role("button", name="Add to cart: Imabari Face Towel").click()
    expect(page.get_by_role("link", name=re.compile("Cart"))).to_contain_text("3")

    # 2 × ¥1,080 + ¥1,320 = ¥3,480, plus ¥500 shipping
    expect(page.get_by_test_id("subtotal")).to_have_text("¥3,480")
    expect(page.get_by_test_id("total")).to_have_text("¥3,980")

    page.get_by_role("spinbutton", name="Quantity of Imabari Face Towel").fill("6")
    page.get_by_role("button", name="Update quantity of Imabari Face Towel").click()
    # 2 × ¥1,080 + 6 × ¥1,320 = ¥10,080: free shipping from ¥10,000
    expect(page.get_by_test_id("subtotal")).to_have_text("¥10,080")
    expect(page.get_by_test_id("shipping")).to_have_text("Free")
    expect(page.get_by_test_id("total")).to_have_text("¥10,080")

    page.get_by_role("button", name="Remove Kyoto Hojicha 80 g").click()
    expect(page.get_by_role("link", name="Kyoto Hojicha 80 g")).to_have_count(0)
    expect(page.get_by_test_id("total")).to_have_text("¥8,420")


def test_a_bad_quantity_is_explained_beside_the_field(page, live_server, catalog):
    page.goto(live_server.url + "/products/tenugui-waves")
    page.get_by_label("Quantity").fill("100")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text("Choose a quantity from 1 to 99.")).to_be_visible()
    expect(page.get_by_label("Quantity")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("link", name=re.compile("Cart"))).to_contain_text("0")


def test_catalog_fits_a_phone_screen(phone_page, live_server, catalog):
    phone_page.goto(live_server.url + "/")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    expect(phone_page.get_by_role("link", name=re.compile("Cart"))).to_be_visible()
