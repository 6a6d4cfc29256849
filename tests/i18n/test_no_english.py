"""A Japanese reader meets no English: every page family of the shop, the admin, the demo panel and the sandbox,
rendered in Japanese with real orders, refunds, webhooks and emails in them, and the emails themselves.

A Latin word fails the test unless it is inside <code> or <pre> (the machine's words: ids, HTTP lines, JSON), in
an element marked with another language (the language switch's "English"), or one of the names the style guide
keeps as they are (Smartpay, Hinoki Market, Webhook, JST, HTTP verbs). Ids, email addresses, URLs and units are
taken out before the words are read.
"""
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import requests
from sqlalchemy import select

from storefront.admin.auth import save_admin
from storefront.extensions import db
from storefront.mail import OutboxEmail
from storefront.models import Order
from storefront.smartpay.models import ApiCall, WebhookEvent
from storefront.smartpay.statuses import WebhookStatus
from storefront.statuses import OrderStatus
from storefront.subscriptions.billing import months_later
from storefront.subscriptions.models import Subscription
from tests.support.admin import EMAIL, PASSWORD, login, refund
from tests.support.factories import an_event
from tests.support.sandbox import cancel, pay
from tests.support.subscriptions import manage_link, press, subscribe_as_shopper, today
from tests.support.transfers import action, pay_by_transfer_instead, record
from tests.support.webhooks import signed_post

pytestmark = pytest.mark.live
JAPANESE = {"Accept-Language": "ja"}
KANJI_NAME = {"family_name": "山田", "given_name": "太郎"}  # what a Japanese shopper types
# The words the style guide keeps in Latin letters on a Japanese page.
KEPT = {"Smartpay", "Hinoki", "Market", "Webhook", "JST", "API", "ID", "POST", "GET", "PUT", "DELETE", "HTTP",
        "JSON", "Idempotency-Key", "URL", "HTML", "PDF", "Cookie"}
# Ids, addresses, URL paths, units and placeholders: taken out before the words are read. Japanese letters count
# as word characters, so "not a letter or digit of an id" is spelled out instead of \b.
EDGE = r"(?<![A-Za-z0-9_])"
MACHINE = re.compile(r"\S+@\S+|https?://\S+|" + EDGE + r"(?:[a-z]+_(?:test|live)_[0-9A-Za-z…]*|HM-[0-9A-Z]+"
                     r"|T\d{13}|rejected-[0-9a-f]+|[A-Z]{3}-\d{3}|\d+(?:mm|cm|ml|g|kg)(?![A-Za-z])|/[\w./{}-]+)"
                     r"|%\([a-z_]+\)s")
WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]")
# The style guide: no space between Japanese and digits, Latin words or placeholders (3回, %(address)s宛).
JAPANESE_CHAR = r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60、。「」（）・：]"
NOT_JAPANESE = r"(?:[A-Za-z0-9#_]|%\([a-z_]+\)s)"
SPACED = re.compile(rf"{JAPANESE_CHAR} +{NOT_JAPANESE}|{NOT_JAPANESE} +{JAPANESE_CHAR}")
# A name and its 様 are written apart, as Japanese business letters do; the search box shows two examples.
SPACE_KEPT = {"%(name)s 様", "HM-ABCD2345 または name@example.com"}
SKIPPED_ELEMENTS = {"code", "pre", "script", "style", "template"}  # and anything marked translate="no" (a logo)


class VisibleText(HTMLParser):
    """The text a reader sees (and a screen reader reads: aria-label, alt, title, placeholder), minus code."""

    def __init__(self):
        super().__init__()
        self.skipping: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        foreign = attributes.get("lang", "ja") != "ja" and tag != "html"
        if tag in SKIPPED_ELEMENTS or foreign or attributes.get("translate") == "no":
            self.skipping.append(tag)
        elif not self.skipping:
            self.parts += [attributes[name] for name in ("aria-label", "alt", "title", "placeholder")
                           if attributes.get(name)]

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def english_words(text: str) -> list[str]:
    return [word for word in WORD.findall(MACHINE.sub(" ", text)) if word not in KEPT]


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.fixture
def shop_settings():
    return {"DEMO_MODE": True}


@pytest.fixture
def japanese_shop(live_shop):
    """A shop with a paid and partly refunded order, a declined one, a cancelled one, one waiting for payment,
    processed and refused webhooks, API calls and emails: what a real day leaves behind."""
    shopper = live_shop.shopper("ja")
    shopper.add("kyoto-hojicha", 2)
    paid_back = pay(shopper.checkout(**KANJI_NAME).headers["Location"]).headers["Location"]
    receipt = shopper.get(paid_back).text
    live_shop.webhooks_processed(2)
    with live_shop.app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
        paid = db.session.scalar(select(Order).where(Order.status == OrderStatus.PAID))
        db.session.expunge(paid)
    admin = live_shop.app.test_client()
    admin.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ja"
    login(admin)
    refund(admin, paid, 1000, note="お客様のご依頼により一部返金")

    declined_shopper = live_shop.shopper("ja")
    declined_shopper.add("tenugui-waves", 1)
    declined_back = pay(declined_shopper.checkout(**KANJI_NAME).headers["Location"], card="4100 0000 0000 0019")
    declined_page = declined_shopper.get(declined_back.headers["Location"]).text
    cancelling = live_shop.shopper("ja")
    cancelling.add("furoshiki-70", 1)
    cancelled_page = cancelling.get(cancel(cancelling.checkout(**KANJI_NAME).headers["Location"]).headers["Location"]).text
    waiting = live_shop.shopper("ja")
    waiting.add("shizuoka-sencha", 1)
    hosted_url = waiting.checkout(**KANJI_NAME).headers["Location"]
    processing_page = waiting.get(live_shop.url + f"/checkout/complete/{live_shop.order_public_id()}").text
    signed_post(live_shop, an_event("order.authorized", {}, "evt_test_forged000000000000000"),
                secret="gybcsjixKyBW2d4z6iNPlaYzHUMtawnodwZt3W0q")
    pages = {"receipt": receipt, "declined": declined_page, "cancelled": cancelled_page,
             "processing": processing_page, **bank_transfer_pages(live_shop, declined_shopper, declined_page, admin),
             **subscription_pages(live_shop)}
    live_shop.cli("mail", "send-pending") if live_shop.app.config["MAIL_SERVER"] else None
    return live_shop, shopper, admin, pages, hosted_url


def bank_transfer_pages(shop, declined_shopper, declined_page, admin) -> dict:
    """The declined shopper pays by transfer and sends part of it (flagged); another pays in full and gets a
    refund; a third is cancelled: every transfer page and email, in Japanese."""
    instructions = declined_shopper.get(shop.url + pay_by_transfer_instead(declined_shopper, declined_page)
                                        .headers["Location"]).text
    record(admin, f"/admin/orders/{shop.order_public_id()}", "received", amount=500)
    pages = {"transfer instructions": instructions}
    for name, steps in (("paid", ("received", "refund")), ("cancelled", ("cancel",))):
        shopper = shop.shopper("ja")
        shopper.add("kyoto-hojicha", 1)
        location = shopper.checkout(**KANJI_NAME, payment_method="bank_transfer").headers["Location"]
        order_page = f"/admin/orders/{shop.order_public_id()}"
        for step in steps:
            if step == "cancel":
                action(admin, order_page, "cancel")
            else:
                record(admin, order_page, step, amount=shop.order().total if step == "received" else 100,
                       reason="requested_by_customer", note="お客様のご依頼")
        pages[f"transfer {name}"] = shopper.get(shop.url + location).text
    return pages


def subscription_pages(shop) -> dict:
    """A 定期便 in Japanese: its form, its confirmation, its management page; the email before a charge, one for a
    declined charge (a consent card that declines every charge), then paused and cancelled."""
    form = shop.shopper("ja").get(shop.url + "/subscriptions/new/kyoto-hojicha").text
    shopper, started = subscribe_as_shopper(shop, language="ja", **KANJI_NAME)
    link = manage_link(shop)
    shop.cli("subscriptions", "run-due", "--as-of", str(months_later(today(shop), 1) - timedelta(days=2)))
    managed = shopper.get(link).text
    press(shopper, link, "pause")
    press(shopper, link, "cancel")
    subscribe_as_shopper(shop, card="4000 0000 0000 9995", language="ja", **KANJI_NAME)  # its first charge is declined
    return {"subscription form": form, "subscription started": started.text, "subscription managed": managed,
            "subscription cancelled": shopper.get(link).text}


def shopper_pages(shop, shopper, pages: dict) -> dict:
    for name, path in {"catalog": "/", "category": "/category/tea", "product": "/products/kyoto-hojicha",
                       "cart": "/cart", "not found": "/no-such-page", "under the hood": "/demo/under-the-hood",
                       "legal notice": "/legal/commerce", "privacy policy": "/legal/privacy",
                       "returns": "/legal/returns", "contact": "/legal/contact"}.items():
        pages[name] = shopper.get(shop.url + path).text
    fresh = shop.shopper("ja")
    fresh.add("kyoto-hojicha", 1)
    pages["checkout form"] = fresh.get(shop.url + "/checkout/").text
    pages["checkout form with errors"] = fresh.post(shop.url + "/checkout/", data={
        "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', pages["checkout form"]).group(1),
        "phone": "12", "postal_code": "1"}).text
    return pages


def admin_pages(shop, admin) -> dict:
    with shop.app.app_context():
        orders = db.session.scalars(select(Order.public_id)).all()
        events = db.session.scalars(select(WebhookEvent.id)).all()
        refused = db.session.scalar(select(WebhookEvent.id).where(WebhookEvent.status == WebhookStatus.REFUSED))
        call = db.session.scalar(select(ApiCall.id))
        email = db.session.scalar(select(OutboxEmail.public_id))
        subscriptions = db.session.scalars(select(Subscription.public_id)).all()
    paths = {"orders": "/admin/orders", "webhook log": "/admin/webhooks", "API log": "/admin/api-log",
             "emails": "/admin/emails", "API call": f"/admin/api-log/{call}", "email": f"/admin/emails/{email}",
             "refused webhook": f"/admin/webhooks/{refused}", "campaigns": "/admin/promotions",
             "subscriptions": "/admin/subscriptions", "reconciliation": "/admin/reconciliation?since=2026-01-01"}
    paths.update({f"subscription {number}": f"/admin/subscriptions/{public_id}"
                  for number, public_id in enumerate(subscriptions)})
    paths.update({f"order {number}": f"/admin/orders/{public_id}" for number, public_id in enumerate(orders)})
    paths.update({f"webhook {number}": f"/admin/webhooks/{event}" for number, event in enumerate(events)})
    pages = {name: admin.get(path).get_data(as_text=True) for name, path in paths.items()}
    pages["sign-in"] = shop.app.test_client().get("/admin/login", headers=JAPANESE).get_data(as_text=True)
    return pages


def sandbox_pages(shop, hosted_url: str) -> dict:
    browser = requests.Session()
    browser.headers.update(JAPANESE)
    pages = {"hosted page": browser.get(hosted_url, timeout=10).text}
    declined = pay(hosted_url, card="4000 0000 0000 0002")  # a soft decline: the page asks for another card
    pages["hosted page, declined card"] = declined.text
    dashboard = browser.get(shop.sandbox.base_url + "/dashboard/", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', dashboard).group(1)
    pages["dashboard sign-in"] = dashboard
    pages["dashboard"] = browser.post(shop.sandbox.base_url + "/dashboard/login", timeout=10,
                                      data={"csrf_token": token, "secret_key": shop.key}).text
    return pages


def assert_japanese(pages: dict) -> None:
    leaks = []
    for name, html in pages.items():
        text = " ".join(visible(html).split())
        plain = MACHINE.sub(" ", text)
        for word in sorted(set(english_words(text))):
            at = plain.find(word)
            leaks.append(f"{name}: {word!r} in …{plain[max(at - 30, 0):at + len(word) + 30]}…")
    assert not leaks, "English on Japanese pages:\n" + "\n".join(leaks)


# Half-width punctuation after Japanese (「金融機関: 」「JST: 」), or a half-width bracket around yen (「(6,980円)」): the
# catalogs are checked by test_catalogs.py; these are written in templates, outside them, and show only rendered.
HALF_WIDTH = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff）][.,:!?(]|\(\s*[\d,]+円\s*\)")


def assert_full_width(texts: dict) -> None:
    faults = sorted({f"{name}: {found.group()!r} in …{' '.join(plain[max(found.start() - 12, 0):found.end() + 8].split())}…"
                     for name, text in texts.items() for plain in [MACHINE.sub(" ", text)]
                     for found in HALF_WIDTH.finditer(plain)})
    assert not faults, "half-width punctuation in Japanese text:\n" + "\n".join(faults)


def test_no_english_on_any_japanese_page_of_the_shop_the_admin_or_the_demo(japanese_shop):
    shop, shopper, admin, pages, _hosted_url = japanese_shop
    pages = {**shopper_pages(shop, shopper, pages), **admin_pages(shop, admin)}
    assert_japanese(pages)
    assert_full_width({name: " ".join(visible(html).split()) for name, html in pages.items()})
    assert len(pages) >= 20  # every family was rendered


def test_no_english_in_the_japanese_emails(japanese_shop):
    shop = japanese_shop[0]
    with shop.app.app_context():
        emails = db.session.scalars(select(OutboxEmail)).all()
        texts = {email.kind: email.subject + "\n" + email.text_body + visible(email.html_body) for email in emails}
    assert set(texts) == {"confirmation", "refund", "transfer_details", "transfer_received", "transfer_refund",
                          "transfer_cancelled", "sub_started", "sub_upcoming", "sub_declined", "sub_paused",
                          "sub_cancelled"}
    assert {kind: english_words(text) for kind, text in texts.items() if english_words(text)} == {}
    assert_full_width(texts)


def test_no_english_on_the_sandboxs_japanese_pages(japanese_shop):
    shop, *_rest, hosted_url = japanese_shop
    assert_japanese(sandbox_pages(shop, hosted_url))


@pytest.mark.parametrize("text, words", [
    ("ご注文（HM-ABCD2345）を承りました", []), ("Smartpayで支払う", []), ("order_test_abc123 の返金", []),
    ("Under the hood", ["Under", "the", "hood"]), ("送料 500円 pending", ["pending"]), ("30g 入り", [])])
def test_the_reader_of_words_itself(text, words):
    assert english_words(text) == words


@pytest.mark.parametrize("app", ["storefront", "sandbox"])
def test_no_english_in_any_japanese_message_of_either_catalog(app):
    """Texts the scenario above does not reach (other errors, scenario presets, rare states) are read here."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[2] / app / "translations" / "ja" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalog = read_po(po)
    texts = [message.string for message in catalog if message.id and isinstance(message.string, str)]
    leaks = [f"{text!r}: {' '.join(english_words(text))}" for text in texts if english_words(text)]
    assert not leaks, "English in Japanese messages:\n" + "\n".join(leaks)
    spaced = [text for text in texts if SPACED.search(text.replace("%(method)s %(path)s", "GET /x"))
              and text not in SPACE_KEPT]
    assert not spaced, "A space between Japanese and a word, a number or a placeholder:\n" + "\n".join(spaced)
