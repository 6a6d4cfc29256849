"""Failure scenarios in the sandbox: each fires exactly `count` times, for its own account only, survives a
restart, validates its JSON like the API, and is cleared by DELETE."""
import json
import time

import pytest
import requests

from tests.support.sandbox import SandboxServer, api, open_dashboard, pay
from tests.support.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.live


def scenario(sandbox, key, http="POST", **body) -> requests.Response:
    return requests.request(http, sandbox.base_url + "/sandbox/scenarios", json=body or None, timeout=10,
                            headers={"Authorization": f"Basic {key}"})


def event_types(deliveries) -> list[str]:
    return [json.loads(d.body)["eventData"]["type"] for d in deliveries]


@pytest.mark.parametrize("body, named", [
    ({"type": "meltdown"}, "type must be one of"),
    ({"type": "api_error"}, "status is required"),
    ({"type": "api_error", "status": 418}, "status must be one of 500, 502, 503, 504, 429"),
    ({"type": "api_error", "status": 503, "count": 0}, "count must be a whole number from 1 to 1000"),
    ({"type": "api_error", "status": 503, "path": "checkout-sessions"}, "path must be a path under /v1"),
    ({"type": "api_error", "status": 503, "method": "BREW"}, "method must be one of"),
    ({"type": "api_latency", "milliseconds": 10**9}, "milliseconds must be a whole number from 1 to 60000"),
    ({"type": "webhook_delay"}, "seconds is required"),
    ({"type": "webhook_drop", "colour": "red"}, "colour is not a field of webhook_drop"),
    ({"type": "decline_all", "count": True}, "count must be a whole number"),
])
def test_a_bad_scenario_is_refused_naming_the_field(sandbox, secret_key, body, named):
    answer = scenario(sandbox, secret_key, **body)
    error = answer.json()
    assert answer.status_code == 400 and error["errorCode"] == "request.invalid"
    assert any(named in detail for detail in error["details"]), error


def test_scenarios_need_the_accounts_key_and_stay_outside_v1(sandbox):
    assert requests.get(sandbox.base_url + "/sandbox/scenarios", timeout=10).status_code == 401
    assert requests.post(sandbox.base_url + "/sandbox/scenarios", data="{oops", timeout=10,
                         headers={"Authorization": "Basic sk_test_x"}).json()["errorCode"] == "request.malformed"


def test_api_error_fires_exactly_count_times_on_its_path_for_its_account_only(sandbox, secret_key, body):
    created = scenario(sandbox, secret_key, type="api_error", status=503, path="/checkout-sessions",
                       method="POST", count=2).json()
    assert (created["type"], created["count"], created["remaining"]) == ("api_error", 2, 2)
    other_key = secret_key + "other"
    assert api(sandbox, other_key, "POST", "/checkout-sessions", json=body).status_code == 200
    assert api(sandbox, secret_key, "GET", "/orders").status_code == 200  # another path: untouched
    answers = [api(sandbox, secret_key, "POST", "/checkout-sessions", json=body) for _ in range(3)]
    assert [a.status_code for a in answers] == [503, 503, 200]
    assert answers[0].json() == {"statusCode": 503, "errorCode": "service.unavailable",
                                 "message": "Smartpay is unavailable (sandbox scenario)", "details": []}
    assert scenario(sandbox, secret_key, "GET").json()["data"] == []  # used up


def test_an_error_is_not_remembered_as_the_idempotent_answer(sandbox, secret_key, body):
    """A retry with the same key after a scenario's 503 creates the session: the failure was never stored."""
    scenario(sandbox, secret_key, type="api_error", status=500, count=1)
    headers = {"Idempotency-Key": "retry-me-123"}
    first = api(sandbox, secret_key, "POST", "/checkout-sessions", json=body, headers=headers)
    second = api(sandbox, secret_key, "POST", "/checkout-sessions", json=body, headers=headers)
    third = api(sandbox, secret_key, "POST", "/checkout-sessions", json=body, headers=headers)
    assert (first.status_code, second.status_code, third.status_code) == (500, 200, 200)
    assert second.json()["id"] == third.json()["id"] and third.headers.get("Idempotency-Replayed") == "true"


def test_api_latency_answers_late_once(sandbox, secret_key):
    scenario(sandbox, secret_key, type="api_latency", milliseconds=600, path="/orders", count=1)
    started = time.monotonic()
    assert api(sandbox, secret_key, "GET", "/orders").status_code == 200
    assert time.monotonic() - started >= 0.6
    assert scenario(sandbox, secret_key, "GET").json()["data"] == []


def test_delete_clears_every_scenario(sandbox, secret_key):
    scenario(sandbox, secret_key, type="webhook_drop", count=5)
    scenario(sandbox, secret_key, type="decline_all", count=5)
    assert len(scenario(sandbox, secret_key, "GET").json()["data"]) == 2
    assert scenario(sandbox, secret_key, "DELETE").json()["deleted"] == 2
    assert scenario(sandbox, secret_key, "GET").json()["data"] == []


def test_scenarios_survive_a_restart(secret_key, body):
    server = SandboxServer().start()
    try:
        scenario(server, secret_key, type="api_error", status=502, count=1)
        server.restart()
        assert api(server, secret_key, "POST", "/checkout-sessions", json=body).status_code == 502
        assert api(server, secret_key, "POST", "/checkout-sessions", json=body).status_code == 200
    finally:
        server.stop()


def test_decline_all_declines_whatever_the_card(sandbox, secret_key, body):
    scenario(sandbox, secret_key, type="decline_all", count=1)
    declined = api(sandbox, secret_key, "POST", "/checkout-sessions", json=body).json()
    answer = pay(declined["url"], card="4242 4242 4242 4242")
    assert answer.status_code == 303 and answer.headers["Location"] == body["cancelUrl"]
    assert api(sandbox, secret_key, "GET", f"/orders/{declined['order']['id']}").json()["status"] == "rejected"
    approved = api(sandbox, secret_key, "POST", "/checkout-sessions", json=body).json()
    assert pay(approved["url"]).headers["Location"] == body["successUrl"]


@pytest.fixture
def receiver(sandbox, secret_key):
    endpoint = WebhookReceiver()
    api(sandbox, secret_key, "POST", "/webhook-endpoints", json={"url": endpoint.url})
    yield endpoint
    endpoint.close()


def approve_a_purchase(sandbox, secret_key, body):
    session = api(sandbox, secret_key, "POST", "/checkout-sessions", json=body).json()
    pay(session["url"])
    return session


def test_webhook_drop_never_sends_the_next_event(sandbox, secret_key, body, receiver):
    scenario(sandbox, secret_key, type="webhook_drop", count=1)
    approve_a_purchase(sandbox, secret_key, body)
    receiver.wait_for(lambda ds: len(ds) >= 1)
    time.sleep(0.5)  # the dropped one would have been sent with the other
    assert event_types(receiver.deliveries) == ["payment.created"]  # order.authorized was dropped


def test_webhook_duplicate_sends_the_same_event_twice(sandbox, secret_key, body, receiver):
    scenario(sandbox, secret_key, type="webhook_duplicate", count=1)
    approve_a_purchase(sandbox, secret_key, body)
    deliveries = receiver.wait_for(lambda ds: len(ds) >= 3)
    ids = [d.headers["Smartpay-Event-Id"] for d in deliveries]
    assert len(ids) == 3 and len(set(ids)) == 2 and ids.count(ids[0]) == 2  # order.authorized twice, same id


def test_webhook_out_of_order_lets_the_next_event_overtake(sandbox, secret_key, body, receiver):
    scenario(sandbox, secret_key, type="webhook_out_of_order", count=1)
    approve_a_purchase(sandbox, secret_key, body)
    deliveries = receiver.wait_for(lambda ds: len(ds) >= 2)
    assert event_types(deliveries) == ["payment.created", "order.authorized"]


def test_webhook_delay_holds_the_event_back(sandbox, secret_key, body, receiver):
    scenario(sandbox, secret_key, type="webhook_delay", seconds=1, count=1)
    paid_at = time.monotonic()
    approve_a_purchase(sandbox, secret_key, body)
    deliveries = receiver.wait_for(lambda ds: len(ds) >= 2)
    assert event_types(deliveries) == ["payment.created", "order.authorized"]
    assert deliveries[1].received_at - paid_at >= 1.0


def test_the_dashboard_shows_scenarios_counted_down_and_what_they_did(sandbox, secret_key, body):

    created = scenario(sandbox, secret_key, type="api_error", status=503, path="/checkout-sessions", count=3).json()
    api(sandbox, secret_key, "POST", "/checkout-sessions", json=body)
    _merchant, page = open_dashboard(sandbox, secret_key)
    assert f'data-testid="scenario-{created["id"]}-left">2 of 3<' in page
    assert f"503 returned to POST /v1/checkout-sessions by scenario #{created['id']}" in page
