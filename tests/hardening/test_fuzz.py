"""No input reaches a 5xx: every route of both apps, walked from their URL maps, with hostile values in the
path, the query string, form fields and JSON bodies, as a visitor, a signed-in admin and an API client.

Each answer must be below 500 and, when it refuses, say why: an HTML page with a heading, or JSON with a
message. Runs on whichever database the suite runs on (SQLite, and PostgreSQL in CI).
"""
import json
from urllib.parse import quote

import pytest
from werkzeug.routing import IntegerConverter

from sandbox import create_app as create_sandbox
from tests.conftest import csrf_token
from tests.support.admin import EMAIL, PASSWORD, login

HOSTILE = ["99999999999999999999999", "-1", "0", "-99999999999999999999", "１２３", "١٢٣", "1e400", "NaN",
           "\x00", "a\x00b", "x" * 10_000, "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%",
           "🍵" * 50, "", " ", "None", "[]", "{}",
           # A scanner's open-redirect and header-splitting payloads for "go back to" parameters:
           "/\r\nSet-Cookie: stolen=1", "/admin\nLocation: https://evil.example", "/\t/evil.example",
           "/\\evil.example", "https://evil.example", "//evil.example", "/\x7f"]
QUERY_NAMES = ["after", "before", "q", "status", "next", "locale", "expand", "maxResults", "pageToken"]
FORM_NAMES = ["csrf_token", "product_id", "quantity", "submission_id", "email", "family_name", "given_name",
              "family_name_kana", "given_name_kana", "phone", "postal_code", "prefecture", "city", "address_line1",
              "address_line2", "token", "payment", "amount", "reason", "note", "cancel_rest", "password", "locale",
              "next", "secret_key", "card_number"]
JSON_NAMES = ["amount", "currency", "items", "reference", "successUrl", "cancelUrl", "captureMethod", "order",
              "payment", "reason", "url", "eventSubscriptions", "customerInfo", "shippingInfo", "locale",
              "cancelRemainder", "description", "metadata", "active"]
JSON_VALUES = [10**30, -(10**30), 1.5, float("inf"), None, True, "\x00", "x" * 10_000, [], {}, [None], {"a": [1]},
               "１２３"]
SKIP = {"static", "admin.logout"}  # files, and signing ourselves out halfway through


def path_values(rule) -> list[dict]:
    """Hostile values for each argument of a route (a number that cannot be an id, for <int:…>)."""
    if not rule.arguments:
        return [{}]
    values = []
    for hostile in HOSTILE:
        args = {}
        for name in rule.arguments:
            converter = rule._converters[name]
            args[name] = "99999999999999999999999" if isinstance(converter, IntegerConverter) else hostile
        values.append(args)
    return values


def build(rule, args: dict) -> str:
    path = rule.rule
    for name, value in args.items():
        converter = rule._converters[name]
        path = path.replace(f"<{converter_name(converter)}{name}>", quote(str(value) or "-", safe=""))
    return path


def converter_name(converter) -> str:
    return "int:" if isinstance(converter, IntegerConverter) else ""


def explained(response) -> bool:
    """A refusal a person or a program can act on."""
    if response.status_code < 400:
        return True
    text = response.get_data(as_text=True)
    if response.mimetype == "application/json":
        body = json.loads(text)
        return bool(body.get("message") or body.get("error") or body.get("errorCode"))
    return "<h1" in text


def walk(client, rules, form_token=None, headers=None) -> list[str]:
    problems = []

    def check(method, url, **kwargs):
        answer = client.open(url, method=method, headers=headers or {}, **kwargs)
        if answer.status_code >= 500 or not explained(answer):
            problems.append(f"{method} {url[:120]!r} {str(kwargs)[:120]} -> {answer.status_code}")

    for rule in rules:
        if rule.endpoint in SKIP:
            continue
        for args in path_values(rule):
            url = build(rule, args)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if method == "GET":
                    check("GET", url)
                    for hostile in HOSTILE[:8]:
                        query = "&".join(f"{name}={quote(hostile)}" for name in QUERY_NAMES)
                        check("GET", f"{url}?{query}&{query}")  # every name twice: repeated parameters
                else:
                    for hostile in HOSTILE[:12] if args == path_values(rule)[0] else HOSTILE[:2]:
                        form = {name: hostile for name in FORM_NAMES}
                        check(method, url, data=form)
                        if form_token:
                            check(method, url, data={**form, "csrf_token": form_token})
                    check(method, url, data="{not json", content_type="application/json")
                    check(method, url, data=b"\xff\xfe\x00", content_type="application/octet-stream")
                    for value in JSON_VALUES:
                        check(method, url, json={name: value for name in JSON_NAMES})
    return problems


@pytest.mark.slow
def test_no_input_reaches_a_5xx_in_the_shop(app, client, catalog, admin_account):
    rules = [rule for rule in app.url_map.iter_rules()]
    problems = walk(client, rules, form_token=csrf_token(client, "/"))
    assert login(client).status_code == 303
    problems += walk(client, [rule for rule in rules if rule.rule.startswith("/admin")],
                     form_token=csrf_token(client, "/admin/orders"))
    assert not problems, f"{len(problems)} answers failed:\n" + "\n".join(problems[:40])


HEADER_VALUES = ["\xe9" * 64, "99999999999999999999999999", "-1", "", "v1=abc", "a" * 8000, "sk_test_\xe9"]


def test_hostile_headers_never_reach_a_5xx(client, catalog):
    """Webhook signature headers, the request id, the language and the key: whatever a client sends."""
    names = ["Smartpay-Signature", "Smartpay-Signature-Timestamp", "Smartpay-Subscription-Id", "Smartpay-Event-Id",
             "X-Request-ID", "Accept-Language", "Authorization", "Accept"]
    for value in HEADER_VALUES:
        headers = {name: value for name in names}
        for method, url in [("POST", "/webhooks/smartpay"), ("GET", "/"), ("GET", "/checkout/status/x"),
                            ("GET", "/readyz")]:
            answer = client.open(url, method=method, headers=headers, data=b'{"id": "evt_1"}')
            assert answer.status_code < 500 and explained(answer), (url, value[:20], answer.status_code)


@pytest.mark.slow
def test_no_input_reaches_a_5xx_in_the_sandbox(tmp_path):
    app = create_sandbox({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 's.sqlite3'}",
                          "PUBLIC_URL": "http://sandbox.test"})
    client = app.test_client()
    rules = list(app.url_map.iter_rules())
    problems = walk(client, rules, headers={"Authorization": "Basic sk_test_fuzz"})
    problems += walk(client, [rule for rule in rules if rule.rule.startswith("/v1")])  # and without a key
    assert not problems, f"{len(problems)} answers failed:\n" + "\n".join(problems[:40])


@pytest.fixture
def admin_account(app):
    from storefront.admin.auth import save_admin

    with app.app_context():
        save_admin(EMAIL, PASSWORD, update=True)
