"""The bank transfer steps of a shopper and a merchant, over the live shop (HTML forms, as a browser sends them)."""
import re

from tests.support.storefront import CSRF


TOKEN = re.compile(r'name="token" type="hidden" value="([^"]+)"')


def pay_by_transfer_instead(shopper, page: str):
    """Press "Pay by bank transfer" on the page after Smartpay (its HTML)."""
    form = re.search(r'<form method="post" action="(/transfer/instead-of/[^"]+)">\s*<input type="hidden" '
                     r'name="csrf_token" value="([^"]+)"', page)
    return shopper.post(shopper.url + form.group(1), data={"csrf_token": form.group(2)}, allow_redirects=False)


def form_data(admin, order_page, what) -> dict:
    """The hidden fields of the admin's form for `what` (received, refund), as the page holds them now."""
    page = admin.get(order_page).get_data(as_text=True)
    section = page[page.index(f'/transfer/{what}"'):]
    return {"csrf_token": CSRF.search(section).group(1), "token": TOKEN.search(section).group(1)}


def record(admin, order_page, what, follow=False, token=None, **fields):
    data = form_data(admin, order_page, what)
    answer = admin.post(f"{order_page}/transfer/{what}", data={**data, **({"token": token} if token else {}), **fields})
    return admin.get(order_page).get_data(as_text=True) if follow else answer


def action(admin, order_page, what):
    page = admin.get(order_page).get_data(as_text=True)
    csrf = CSRF.search(page[page.index(f'/transfer/{what}"'):]).group(1)
    admin.post(f"{order_page}/transfer/{what}", data={"csrf_token": csrf})
    return admin.get(order_page).get_data(as_text=True)
