"""An existing shop (English-only catalog, orders placed in English) upgrades in place: a migration, not a
re-create. Runs on a database of its own (a fresh SQLite file, or a scratch database on the PostgreSQL
server CI uses), because it walks the schema back to the previous revision."""

import pytest
from sqlalchemy import select

from storefront.cli import seed_catalog
from storefront.extensions import db
from storefront.models import Category, Order, Product
from tests.support.migrations import BEFORE_LANGUAGES, upgraded_from


@pytest.fixture
def upgraded_shop(tmp_path):
    with upgraded_from(tmp_path, BEFORE_LANGUAGES, [  # what a shop had before: English only
            "INSERT INTO categories (slug, name, position) VALUES ('tea', 'Tea', 0)",
            "INSERT INTO products (sku, slug, name, description, price, image, category_id, active) "
            "VALUES ('TEA-003', 'kyoto-hojicha', 'Old hojicha name', 'Old text', 1000, 'x.svg', 1, true)",
            "INSERT INTO orders (public_id, number, status, email, family_name, given_name, family_name_kana,"
            " given_name_kana, phone, postal_code, prefecture, city, address_line1, address_line2, subtotal,"
            " shipping_fee, total, currency, capture_method, captured_amount, refunded_amount,"
            " refund_reserved, failure_reason, created_at, updated_at) VALUES ('p1', 'HM-OLD00001', 'paid',"
            " 'a@example.com', 'Sato', 'Ken', '', '', '0901234567', '150-0002', '東京都', '渋谷区', '1-1', '',"
            " 1000, 500, 1500, 'JPY', 'automatic', 1500, 0, 0, '', '2026-01-01', '2026-01-01')"]) as app:
        yield app


def test_the_upgrade_keeps_english_rows_and_the_seed_adds_japanese(upgraded_shop):
    with upgraded_shop.app_context():
        product = db.session.scalar(select(Product).where(Product.sku == "TEA-003"))
        assert (product.name_en, product.description_en, product.name_ja) == ("Old hojicha name", "Old text", "")
        assert db.session.scalar(select(Order.locale)) == "en"  # placed before the shop spoke Japanese
        assert db.session.scalar(select(Category.name_en)) == "Tea"

        seed_catalog()
        seed_catalog()  # idempotent: updates in place, never duplicates
        product = db.session.scalar(select(Product).where(Product.sku == "TEA-003"))
        assert (product.name_ja, product.name_en) == ("京都 ほうじ茶 80g", "Kyoto Hojicha 80 g")
        assert db.session.scalar(select(db.func.count(Product.id))) == 16
        assert db.session.scalar(select(Category.name_ja).where(Category.slug == "tea")) == "お茶"

    client = upgraded_shop.test_client()
    html = client.get("/products/kyoto-hojicha", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert "京都 ほうじ茶 80g" in html
