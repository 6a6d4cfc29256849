"""定期便 in one call: a consented Smartpay token with its subscription (as the billing sees it), or the shopper's
whole way through the tea's page, the form and Smartpay's consent page; the management link and its buttons."""
import html
import re
from datetime import date

from sqlalchemy import select

from storefront.extensions import db
from storefront.i18n import shop_day
from storefront.mail.models import OutboxEmail
from storefront.models import Product, utcnow
from storefront.subscriptions.jobs import run_due
from storefront.subscriptions.models import Subscription, SubscriptionLine
from tests.support.sandbox import TOKEN_SESSION, consent
from tests.support.storefront import CSRF, CUSTOMER, SUBMISSION


START = date(2026, 12, 10)


def consented_token(shop, card="4242 4242 4242 4242") -> str:
    session = shop.api("POST", "/checkout-sessions", json=TOKEN_SESSION).json()
    consent(session["url"], card)
    return session["token"]["id"]


def subscribe_with_token(shop, card="4242 4242 4242 4242", interval=1) -> int:
    token = consented_token(shop, card)
    with shop.app.app_context():
        tea = db.session.scalar(select(Product).where(Product.slug == "kyoto-hojicha"))
        subscription = Subscription(smartpay_token_id=token, interval_months=interval, next_charge_on=START,
                                    customer={key: value for key, value in CUSTOMER.items()},
                                    lines=[SubscriptionLine(product_id=tea.id, quantity=2)])
        db.session.add(subscription)
        db.session.commit()
        return subscription.id


def run(shop, day):
    with shop.app.app_context():
        counts = run_due(day)
        db.session.remove()
        return counts


MANAGE = re.compile(r"(/subscriptions/manage/[\w.-]+)")


def subscribe_as_shopper(shop, card="4242 4242 4242 4242", every="1", quantity="2", language="en", **customer):
    """The shopper's steps: the tea's page, the subscription form, Smartpay's consent page, back to the shop."""
    shopper = shop.shopper(language)
    product_page = shopper.get(shop.url + "/products/kyoto-hojicha").text
    assert "/subscriptions/new/kyoto-hojicha" in product_page
    form_page = shopper.get(f"{shop.url}/subscriptions/new/kyoto-hojicha", params={"every": every,
                                                                                   "quantity": quantity}).text
    confirmation = shopper.post(f"{shop.url}/subscriptions/new/kyoto-hojicha", data={
        **CUSTOMER, **customer, "csrf_token": CSRF.search(form_page).group(1),
        "submission_id": SUBMISSION.search(form_page).group(1), "every": every, "quantity": quantity})
    answer = confirm(shopper, f"{shop.url}/subscriptions/new/kyoto-hojicha", confirmation)
    assert answer.status_code == 303, answer.text
    _page, back = consent(answer.headers["Location"], card)
    returned = shopper.get(back.headers["Location"])
    return shopper, charge_first_delivery(shopper, returned)


def hidden_fields(page: str) -> dict:
    """The hidden inputs of a page's form, as a browser sends them."""
    fields = {}
    for tag in re.findall(r"<input [^>]*>", page):
        if 'type="hidden"' in tag:
            name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return fields


def confirm(shopper, url: str, confirmation):
    """The final confirmation's button: the form as the shopper filled it, confirmed."""
    assert confirmation.status_code == 200 and 'name="confirmed" value="yes"' in confirmation.text, confirmation.text
    return shopper.post(url, allow_redirects=False, data=hidden_fields(confirmation.text))


def charge_first_delivery(shopper, page):
    """The status page's first-delivery form, sent as its script (or a shopper without script) sends it: the
    consent return is a GET, and a GET never charges."""
    found = FIRST_DELIVERY.search(page.text)
    if found is None:
        return page
    return shopper.post(page.url.split("/subscriptions/")[0] + found.group(1),
                        data={"csrf_token": CSRF.search(page.text).group(1)})


FIRST_DELIVERY = re.compile(r'action="(/subscriptions/[^"]+/first-delivery)"')


def today(shop):
    with shop.app.app_context():
        return shop_day(utcnow())


def manage_link(shop) -> str:
    return shop.url + MANAGE.search(emails_of(shop, "sub_started")[0].text_body).group(1)


def press(shopper, link, action, **fields):
    page = shopper.get(link).text
    return shopper.post(link, data={"csrf_token": CSRF.search(page).group(1), "action": action, **fields})


def emails_of(shop, kind) -> list[OutboxEmail]:
    with shop.app.app_context():
        found = db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == kind).order_by(OutboxEmail.id)).all()
        db.session.expunge_all()
        return found
