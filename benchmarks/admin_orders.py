"""The admin's orders list at 100,000 orders: first page, a deep page, a status filter and two searches.

    .venv/bin/python benchmarks/admin_orders.py            # SQLite in a temporary file
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python benchmarks/admin_orders.py

Prints the median time of each page through the whole Flask stack with a signed-in admin.
"""
import time

from common import build_app, median_ms
from sqlalchemy import insert, select, text

from storefront.admin.auth import save_admin
from storefront.extensions import db
from storefront.models import Order

ORDERS = 100_000
STATUSES = ["paid"] * 6 + ["refunded", "partially_refunded", "rejected", "awaiting_payment"]


def fill_orders() -> None:
    rows = [{"public_id": f"bench{n:07d}", "number": f"HM-B{n:07d}", "status": STATUSES[n % len(STATUSES)],
             "email": f"customer{n % 20000}@example.com", "family_name": "Sato", "given_name": "Ken",
             "phone": "09012345678", "postal_code": "150-0002", "prefecture": "東京都", "city": "渋谷区",
             "address_line1": "1-1", "subtotal": 3000, "shipping_fee": 500, "total": 3500, "payment_method": "smartpay"}
            for n in range(ORDERS)]
    for start in range(0, ORDERS, 10_000):
        db.session.execute(insert(Order), rows[start:start + 10_000])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # what autovacuum would do soon after a bulk load
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE orders"))


def main() -> None:
    app = build_app(WTF_CSRF_ENABLED=False)
    with app.app_context():
        started = time.perf_counter()
        fill_orders()
        print(f"filled {ORDERS:,} orders in {time.perf_counter() - started:.1f}s")
        save_admin("bench@example.com", "benchmark password", update=True)
        deep = db.session.scalar(select(Order.id).order_by(Order.id).offset(100).limit(1))
    client = app.test_client()
    client.post("/admin/login", data={"email": "bench@example.com", "password": "benchmark password"})
    pages = {
        "orders list, first page": "/admin/orders",
        "orders list, page 1,998 (keyset)": f"/admin/orders?before={deep}",
        "status filter (refunded)": "/admin/orders?status=refunded",
        "search by order number": "/admin/orders?q=HM-B0054321",
        "search by email": "/admin/orders?q=customer4321@example.com",
    }
    for name, url in pages.items():
        print(f"  {name:<36} {median_ms(client, url):7.1f} ms")


if __name__ == "__main__":
    main()
