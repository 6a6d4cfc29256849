"""The sandbox's own concurrency proof: N requests with K Idempotency-Keys from M threads, against the sandbox run
as integrators run it (`smartpay-sandbox --workers 3`: any process may answer any retry), some answered 503 by a
failure scenario and retried with their key as the shop's client and the SDKs do → exactly K effects, no 500.

Traffic goes only to the sandbox this module starts on 127.0.0.1, bounded in count and time."""
import itertools
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support.sandbox import FLAT_BODY, SandboxServer, TOKEN_SESSION, api, consent, pay

pytestmark = pytest.mark.live
THREADS, REPEATS = 8, 4  # every key is sent REPEATS times, by THREADS threads at once


@pytest.fixture(scope="module")
def processes():
    server = SandboxServer(workers=3).start()
    yield server
    server.stop()


def paid_payment(server, key) -> dict:
    session = api(server, key, "POST", "/checkout-sessions", json=FLAT_BODY).json()
    assert pay(session["url"]).status_code == 303
    order = api(server, key, "GET", f"/orders/{session['order']['id']}", params={"expand": "all"}).json()
    return order["payments"][0]


def send_with_retries(server, key, path, body, idempotency_key, tries=6) -> requests.Response:
    """As the shop's client: a 5xx or no answer is sent again with the same key."""
    for _ in range(tries):
        try:
            answer = api(server, key, "POST", path, json=body, headers={"Idempotency-Key": idempotency_key})
        except requests.RequestException:
            continue
        if answer.status_code < 500:
            return answer
    return answer


def storm(server, key, path, bodies: dict[str, dict]) -> list[tuple[str, requests.Response]]:
    jobs = [(idem, body) for idem, body in bodies.items() for _ in range(REPEATS)]
    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(lambda job: send_with_retries(server, key, path, job[1], job[0]), jobs))
    return [(idem, answer) for (idem, _body), answer in zip(jobs, answers)]


def fail_some(server, key, path, count):
    requests.post(server.base_url + "/sandbox/scenarios", headers={"Authorization": f"Basic {key}"}, timeout=10,
                  json={"type": "api_error", "status": 503, "path": path, "method": "POST", "count": count})


def every_page(server, key, path) -> list[dict]:
    found, token = [], None
    for _ in range(20):
        page = api(server, key, "GET", path, params={"maxResults": 100, **({"pageToken": token} if token else {})}).json()
        found += page["data"]
        token = page["nextPageToken"]
        if not token:
            return found
    raise AssertionError("more pages than expected")


def assert_one_answer_per_key(answers):
    assert not [answer.status_code for _idem, answer in answers if answer.status_code >= 500]
    by_key = {}
    for idem, answer in answers:
        assert answer.status_code == 200, answer.text
        by_key.setdefault(idem, set()).add(answer.json()["id"])
    assert all(len(ids) == 1 for ids in by_key.values()), by_key
    return {next(iter(ids)) for ids in by_key.values()}


def test_refunds_sent_at_once_with_their_keys_make_one_refund_per_key(processes, secret_key):
    payment = paid_payment(processes, secret_key)
    keys = {f"refund-{n}": {"payment": payment["id"], "amount": 100, "currency": "JPY",
                            "reason": "requested_by_customer"} for n in range(5)}
    fail_some(processes, secret_key, "/refunds", 6)
    made = assert_one_answer_per_key(storm(processes, secret_key, "/refunds", keys))
    refunds = [r for r in every_page(processes, secret_key, "/refunds") if r["payment"] == payment["id"]]
    assert {r["id"] for r in refunds} == made and sum(r["amount"] for r in refunds) == 500


def test_token_charges_sent_at_once_with_their_keys_make_one_order_per_key(processes, secret_key):
    session = api(processes, secret_key, "POST", "/checkout-sessions", json=TOKEN_SESSION).json()
    consent(session["url"])
    token = session["token"]["id"]
    body = {key: FLAT_BODY[key] for key in ("amount", "currency", "items", "shippingInfo", "customerInfo")}
    keys = {f"charge-{n}": {**body, "token": token, "reference": f"charge-{n}"} for n in range(4)}
    fail_some(processes, secret_key, "/orders", 5)
    made = assert_one_answer_per_key(storm(processes, secret_key, "/orders", keys))
    orders = [o for o in every_page(processes, secret_key, "/orders") if o.get("tokenId") == token]
    assert {o["id"] for o in orders} == made
    assert all(o["status"] == "succeeded" and len(o["payments"]) == 1 for o in orders)  # captured, each once


def test_a_key_is_forgotten_after_six_hours_of_the_accounts_clock(processes, secret_key):
    payment = paid_payment(processes, secret_key)
    body = {"payment": payment["id"], "amount": 50, "currency": "JPY", "reason": "requested_by_customer"}
    first = send_with_retries(processes, secret_key, "/refunds", body, "late-retry")
    again = send_with_retries(processes, secret_key, "/refunds", body, "late-retry")
    assert again.headers.get("Idempotency-Replayed") == "true" and again.json()["id"] == first.json()["id"]
    moved = requests.put(processes.base_url + "/sandbox/clock", json={"offsetSeconds": 6 * 3600 + 60}, timeout=10,
                         headers={"Authorization": f"Basic {secret_key}"})
    assert moved.json()["offsetSeconds"] == 6 * 3600 + 60
    later = send_with_retries(processes, secret_key, "/refunds", body, "late-retry")
    assert later.status_code == 200 and later.json()["id"] != first.json()["id"]  # as Smartpay: a second refund


def test_the_same_key_with_another_body_is_refused_whichever_process_answers(processes, secret_key):
    payment = paid_payment(processes, secret_key)
    bodies = [{"payment": payment["id"], "amount": amount, "currency": "JPY", "reason": "requested_by_customer"}
              for amount in (10, 20)]
    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(lambda body: send_with_retries(processes, secret_key, "/refunds", body, "one-key"),
                                itertools.islice(itertools.cycle(bodies), 12)))
    statuses = sorted({answer.status_code for answer in answers})
    assert statuses == [200, 409], statuses
    assert {answer.json()["errorCode"] for answer in answers if answer.status_code == 409} == \
        {"request.idempotency-key-reused"}
    assert len({answer.json()["id"] for answer in answers if answer.status_code == 200}) == 1
