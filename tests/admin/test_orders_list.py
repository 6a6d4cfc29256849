"""The orders list: search, filter and pages, with orders written straight into the database."""
from storefront.extensions import db
from storefront.models import Order


def make_orders(app, count, **fields):
    with app.app_context():
        rows = [{"public_id": f"pub{n:05d}{fields.get('status', 'paid')}", "number": f"HM-T{n:05d}{fields.get('status', 'paid')[:2].upper()}",
                 "status": "paid", "email": f"buyer{n}@example.com", "family_name": "Sato", "given_name": f"Ken{n}",
                 "phone": "0901234567", "postal_code": "150-0002", "prefecture": "東京都", "city": "渋谷区",
                 "address_line1": "1-1", "subtotal": 1000, "shipping_fee": 500, "total": 1500, **fields}
                for n in range(count)]
        db.session.execute(db.insert(Order), rows)
        db.session.commit()


def test_newest_first_with_older_pages(admin_client, app):
    make_orders(app, 120)
    first = admin_client.get("/admin/orders").get_data(as_text=True)
    assert first.index("HM-T00119PA") < first.index("HM-T00118PA")
    assert "HM-T00070PA" in first and "HM-T00069PA" not in first
    older = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = admin_client.get(older).get_data(as_text=True)
    assert "HM-T00069PA" in second and "HM-T00070PA" not in second


def test_search_by_number_or_email_and_filter_by_status(admin_client, app):
    make_orders(app, 3)
    make_orders(app, 2, status="refunded")
    by_number = admin_client.get("/admin/orders?q=hm-t00001pa").get_data(as_text=True)
    assert "HM-T00001PA" in by_number and "HM-T00002PA" not in by_number
    by_email = admin_client.get("/admin/orders?q=Buyer1@Example.com").get_data(as_text=True)
    assert "HM-T00001PA" in by_email and "HM-T00001RE" in by_email and "HM-T00002PA" not in by_email
    refunded = admin_client.get("/admin/orders?status=refunded").get_data(as_text=True)
    assert "HM-T00000RE" in refunded and "HM-T00000PA" not in refunded
    assert "No orders match." in admin_client.get("/admin/orders?q=<script>alert(1)</script>").get_data(as_text=True)


def test_user_data_is_escaped(admin_client, app):
    make_orders(app, 1, family_name="<script>alert(1)</script>")
    html = admin_client.get("/admin/orders").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_order_page_without_smartpay_still_renders(admin_client, app):
    make_orders(app, 1, status="failed", failure_reason="no answer network: Smartpay did not answer")
    html = admin_client.get("/admin/orders/pub00000failed").get_data(as_text=True)
    assert "This order never reached Smartpay." in html and "Smartpay did not answer" in html


def test_unknown_order_is_404(admin_client):
    assert admin_client.get("/admin/orders/nope").status_code == 404
