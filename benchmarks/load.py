"""Load held: concurrent shoppers doing whole purchases, then a reconciliation of every order with Smartpay.

    .venv/bin/pip install -r benchmarks/requirements.txt      # once (make bench-deps)
    .venv/bin/python benchmarks/load.py --users 20 --seconds 60
    .venv/bin/python benchmarks/load.py --users 100 --seconds 60 --faults
    .venv/bin/python benchmarks/load.py --users 100 --seconds 60 --webhook-pool

It starts everything itself, on 127.0.0.1 only: a throwaway PostgreSQL, the offline sandbox, the shop under
gunicorn with 4 workers, and two `flask worker` processes sharing the background jobs. Locust (headless, as a
library) runs N shoppers; each purchase goes catalog → product → cart → checkout form → checkout (303) → hosted
page → pay or cancel → back to the shop, with 80 % approved, 10 % declined and 10 % cancelled. With --faults,
at a quarter of the run it kills one gunicorn worker (gunicorn starts another), at half it restarts
PostgreSQL (every connection of the shop and the workers is cut), at three quarters it restarts the sandbox.
Nobody runs `flask smartpay sync`: the workers' own periodic sync (every 10 s here) and retries finish the job.
With --webhook-pool, webhooks go to a gunicorn of their own (WEBHOOK_URL; in production a proxy rule routes
/webhooks/ there), so their acknowledgement never queues behind busy shop pages.

Then it waits for the workers to drain the inbox and reconciles, from both sides: every shop order matches its
Smartpay order (status and amount), no order was paid or fulfilled twice, no shopper's cart was lost, no webhook
is left unprocessed, and the money is what a merchant checks from cron: `flask smartpay reconcile --report`
(every Smartpay order that took money is paid in the shop for the same amount, refunds agree, nothing twice).
It prints purchases per second, p50/p95 per step, errors, the webhook acknowledgement times as Smartpay's
deliverer measured them (p50/p99/max), and the result; it exits non-zero when the reconciliation finds anything.
"""
from gevent import monkey

monkey.patch_all()  # before anything imports ssl or sockets: Locust's shoppers are gevent greenlets

import argparse  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402
from locust import HttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_id" type="hidden" value="([^"]+)"')
PRODUCT_ID = re.compile(r'name="product_id" value="(\d+)"')
SLUGS = ["uji-matcha-ceremonial", "shizuoka-sencha", "kyoto-hojicha", "genmaicha-matcha", "arita-indigo-rice-bowl",
         "mino-tea-cup-pair", "hasami-plate-22", "tenugui-waves", "furoshiki-70", "imabari-face-towel"]
CUSTOMER = {"email": "load+test@example.com", "family_name": "山田", "given_name": "太郎", "family_name_kana": "ヤマダ",
            "given_name_kana": "タロウ", "phone": "090-1234-5678", "postal_code": "153-0063", "prefecture": "東京都",
            "city": "目黒区", "address_line1": "目黒1-2-3", "address_line2": ""}
CARDS = {"approved": "4242424242424242", "declined": "4100000000000019"}
COMPLETED = {"approved": 0, "declined": 0, "cancelled": 0}
WORKERS = 2  # `flask worker` processes sharing the background jobs


def free_port() -> int:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


class Stack:
    """PostgreSQL, the sandbox and gunicorn, started and stopped together."""

    def __init__(self, workers: int, webhook_pool: bool = False):
        self.workers, self.webhook_pool = workers, webhook_pool
        self.webhook_port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="load-"))
        self.shop_port, self.sandbox_port = free_port(), free_port()
        self.shop_url = f"http://127.0.0.1:{self.shop_port}"
        self.sandbox_url = f"http://127.0.0.1:{self.sandbox_port}"
        self.key = "sk_test_load" + os.urandom(8).hex()
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self) -> "Stack":
        started = subprocess.run(["bash", "scripts/pg-throwaway.sh", "start"], cwd=ROOT, check=True,
                                 capture_output=True, text=True).stdout
        values = dict(line.split("=", 1) for line in started.split() if "=" in line)
        self.pg_dir, self.database_url = values["PG_DIR"], values["DATABASE_URL"]
        self.start_sandbox()
        self.env = {**os.environ, "DATABASE_URL": self.database_url, "SECRET_KEY": "load-test-secret",
                    "SMARTPAY_SECRET_KEY": self.key, "SMARTPAY_API_URL": self.sandbox_url + "/v1",
                    "PUBLIC_URL": self.shop_url, "FLASK_APP": "wsgi", "WEB_CONCURRENCY": str(self.workers),
                    "BIND": f"127.0.0.1:{self.shop_port}", "SYNC_INTERVAL_SECONDS": "10",
                    "WORKER_POLL_SECONDS": "0.2"}
        if self.webhook_pool:
            self.env["WEBHOOK_URL"] = f"http://127.0.0.1:{self.webhook_port}/webhooks/smartpay"
        for command in (["db", "upgrade"], ["seed"], ["smartpay", "register-webhook"]):
            subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env=self.env, check=True, capture_output=True)
        self.processes["shop"] = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", "wsgi:app"],
            cwd=ROOT, env=self.env, stdout=open(self.directory / "shop.log", "ab"), stderr=subprocess.STDOUT)
        wait_for(self.shop_url + "/healthz")
        if self.webhook_pool:
            self.processes["webhooks"] = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--access-logfile", "/dev/null", "wsgi:app"],
                cwd=ROOT, env={**self.env, "BIND": f"127.0.0.1:{self.webhook_port}", "WEB_CONCURRENCY": "1",
                               "GUNICORN_THREADS": "4"},
                stdout=open(self.directory / "webhooks.log", "ab"), stderr=subprocess.STDOUT)
            wait_for(f"http://127.0.0.1:{self.webhook_port}/healthz")
        for number in range(1, WORKERS + 1):  # claims and leases keep the workers from doing anything twice
            self.processes[f"worker {number}"] = subprocess.Popen(
                [str(BIN / "flask"), "worker"], cwd=ROOT, env=self.env,
                stdout=open(self.directory / f"worker-{number}.log", "ab"), stderr=subprocess.STDOUT)
        return self

    def start_sandbox(self) -> None:
        env = {**os.environ, "SANDBOX_PORT": str(self.sandbox_port),
               "SANDBOX_DATABASE_URL": f"sqlite:///{self.directory / 'sandbox.sqlite3'}",
               "SANDBOX_WEBHOOK_RETRY_DELAYS": "1,2,4,8,16"}
        self.processes["sandbox"] = subprocess.Popen(
            [sys.executable, "-m", "sandbox"], cwd=ROOT, env=env,
            stdout=open(self.directory / "sandbox.log", "ab"), stderr=subprocess.STDOUT)
        wait_for(self.sandbox_url + "/healthz")

    def restart_sandbox(self) -> None:
        self.processes["sandbox"].terminate()
        self.processes["sandbox"].wait(timeout=15)
        self.start_sandbox()

    def kill_one_worker(self) -> int:
        workers = subprocess.run(["pgrep", "-P", str(self.processes["shop"].pid)], capture_output=True,
                                 text=True).stdout.split()
        victim = int(random.choice(workers))
        os.kill(victim, signal.SIGKILL)
        return victim

    def restart_postgres(self) -> None:
        subprocess.run(["bash", "scripts/pg-throwaway.sh", "restart", self.pg_dir], cwd=ROOT, check=True,
                       capture_output=True)

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        subprocess.run(["bash", "scripts/pg-throwaway.sh", "stop", self.pg_dir], cwd=ROOT, capture_output=True)


class Shopper(HttpUser):
    """One shopper after another: a fresh browser (cookies) for each purchase."""
    wait_time = between(0.2, 1.0)

    def step(self, name: str, method: str, url: str, expect: tuple[int, ...], **kwargs):
        with self.client.request(method, url, name=name, catch_response=True, allow_redirects=False,
                                 **kwargs) as answer:
            if answer.status_code not in expect:
                answer.failure(f"{answer.status_code}")
                raise StopPurchase()
            return answer

    @task
    def purchase(self):
        self.client.cookies.clear()
        outcome = random.choices(["approved", "declined", "cancelled"], weights=[8, 1, 1])[0]
        try:
            self.step("1 catalog", "GET", "/", (200,))
            product = self.step("2 product", "GET", f"/products/{random.choice(SLUGS)}", (200,)).text
            self.step("3 add to cart", "POST", "/cart/add", (303,), data={
                "csrf_token": CSRF.search(product).group(1), "product_id": PRODUCT_ID.search(product).group(1),
                "quantity": random.randint(1, 3)})
            form = self.step("4 checkout form", "GET", "/checkout/", (200,)).text
            hosted = self.step("5 checkout (session at Smartpay)", "POST", "/checkout/", (303,), data={
                **CUSTOMER, "csrf_token": CSRF.search(form).group(1),
                "submission_id": SUBMISSION.search(form).group(1)}).headers["Location"]
            page = self.step("6 hosted page", "GET", hosted, (200,)).text
            if outcome == "cancelled":
                back = self.step("7 cancel on the hosted page", "GET", hosted + "/cancel", (303,))
            else:
                back = self.step("7 pay on the hosted page", "POST", hosted, (303,), data={
                    "csrf_token": CSRF.search(page).group(1), "email": CUSTOMER["email"],
                    "card_number": CARDS[outcome]})
            self.step("8 back in the shop (verified)", "GET", back.headers["Location"], (200, 302))
        except StopPurchase:
            return
        COMPLETED[outcome] += 1


class StopPurchase(Exception):
    pass


def run_load(stack: Stack, users: int, seconds: int, faults: bool) -> tuple[Environment, list[str]]:
    environment = Environment(user_classes=[Shopper], host=stack.shop_url)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=max(users / 5, 1))
    notes = []
    if faults:
        gevent.sleep(seconds / 4)
        notes.append(f"killed gunicorn worker {stack.kill_one_worker()}")
        gevent.sleep(seconds / 4)
        stack.restart_postgres()
        notes.append("restarted PostgreSQL")
        gevent.sleep(seconds / 4)
        stack.restart_sandbox()
        notes.append("restarted the sandbox")
        gevent.sleep(seconds / 4)
    else:
        gevent.sleep(seconds)
    runner.quit()
    return environment, notes


def sandbox_orders(stack: Stack) -> dict[str, dict]:
    orders, token = {}, None
    while True:
        page = requests.get(stack.sandbox_url + "/v1/orders", params={"maxResults": 100, **({"pageToken": token} if token else {})},
                            headers={"Authorization": f"Basic {stack.key}"}, timeout=30).json()
        orders.update({order["id"]: order for order in page["data"]})
        token = page.get("nextPageToken")
        if not token:
            return orders


EXPECTED_STATUS = {"succeeded": "paid", "requires_capture": "paid", "rejected": "rejected", "canceled": "cancelled",
                   "requires_authorization": "awaiting_payment"}


def sandbox_database(stack: Stack):
    return create_engine(f"sqlite:///{stack.directory / 'sandbox.sqlite3'}")


def wait_until_drained(stack: Stack, seconds: float = 200) -> float:
    """Until Smartpay has no delivery left to make and the shop's inbox is empty; returns how long it took."""
    shop, sandbox = create_engine(stack.database_url), sandbox_database(stack)
    started = time.monotonic()
    try:
        while time.monotonic() - started < seconds:
            with sandbox.connect() as connection:
                deliveries = connection.execute(text("SELECT (SELECT count(*) FROM deliveries WHERE state = 'pending')"
                                                     " + (SELECT count(*) FROM event_outbox)")).scalar()
            with shop.connect() as connection:
                inbox = connection.execute(text("SELECT count(*) FROM webhook_events "
                                                "WHERE status IN ('received', 'processing')")).scalar()
            if deliveries == 0 and inbox == 0:
                break
            time.sleep(0.5)
    finally:
        shop.dispose()
        sandbox.dispose()
    return time.monotonic() - started


def acknowledgements(stack: Stack) -> tuple[list[int], int]:
    """How long the shop took to answer each webhook delivery, as Smartpay's deliverer measured it (ms), and how
    many attempts got anything but a 200."""
    engine = sandbox_database(stack)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT status_code, duration_ms FROM delivery_attempts")).all()
    engine.dispose()
    return sorted(ms for status, ms in rows if status == 200), sum(1 for status, _ms in rows if status != 200)


def inbox_figures(stack: Stack) -> tuple[int, float, list[int], int]:
    """Events the workers processed, how many per second per worker while they were arriving, each one's lag
    (received → processed, ms), and how many orders the workers read from Smartpay for them (the API log rows
    made under a delivery's request id)."""
    engine = create_engine(stack.database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT received_at, processed_at FROM webhook_events "
                                       "WHERE status = 'processed' ORDER BY received_at")).all()
        reads = connection.execute(text(
            "SELECT count(*) FROM api_calls WHERE method = 'GET' AND path LIKE '/orders/%' AND request_id IN "
            "(SELECT request_id FROM webhook_events WHERE request_id <> '')")).scalar()
    engine.dispose()
    if not rows:
        return 0, 0.0, [], reads
    lags = sorted(int((done - received).total_seconds() * 1000) for received, done in rows)
    span = max((max(done for _r, done in rows) - rows[0][0]).total_seconds(), 1)
    return len(rows), len(rows) / span / WORKERS, lags, reads


def percentile(values: list[int], fraction: float) -> int:
    return values[min(int(len(values) * fraction), len(values) - 1)] if values else 0


def reconcile(stack: Stack) -> tuple[list[str], int, int]:
    remote = sandbox_orders(stack)
    engine = create_engine(stack.database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        shop = connection.execute(text("SELECT id, number, status, total, smartpay_order_id, cart_id FROM orders "
                                       "WHERE smartpay_order_id IS NOT NULL")).mappings().all()
        paid_moves = dict(connection.execute(text(
            "SELECT order_id, count(*) FROM order_events WHERE to_status = 'paid' GROUP BY order_id")).all())
        cart_lines = dict(connection.execute(text(
            "SELECT cart_id, count(*) FROM cart_lines GROUP BY cart_id")).all())
        unfinished = dict(connection.execute(text(
            "SELECT status, count(*) FROM webhook_events WHERE status IN ('received', 'processing', 'failed') "
            "GROUP BY status")).all())
    engine.dispose()
    problems = [f"{count} webhook events still {status}" for status, count in unfinished.items()]
    for order in shop:
        theirs = remote.get(order["smartpay_order_id"])
        if theirs is None:
            problems.append(f"{order['number']}: Smartpay has no order {order['smartpay_order_id']}")
            continue
        if EXPECTED_STATUS.get(theirs["status"]) != order["status"] or theirs["amount"] != order["total"]:
            problems.append(f"{order['number']}: shop {order['status']} ¥{order['total']}, "
                            f"Smartpay {theirs['status']} ¥{theirs['amount']}")
        if paid_moves.get(order["id"], 0) > 1:
            problems.append(f"{order['number']}: paid (and fulfilled) {paid_moves[order['id']]} times")
        if order["status"] != "paid" and order["cart_id"] and not cart_lines.get(order["cart_id"]):
            problems.append(f"{order['number']}: {order['status']}, yet the shopper's cart is empty")
    return problems + money_differences(stack), len(shop), len(remote)


def money_differences(stack: Stack) -> list[str]:
    """The money's side, as a merchant checks it from cron: `flask smartpay reconcile --report` (every yen Smartpay
    took is a paid order here, refunds agree, nothing paid twice); its lines when it exits non-zero."""
    since = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))
    done = subprocess.run([str(BIN / "flask"), "smartpay", "reconcile", "--report", "--since", since], cwd=ROOT,
                          env=stack.env, capture_output=True, text=True, timeout=300)
    print(done.stdout.splitlines()[0] if done.stdout else done.stderr[-500:])
    return [] if done.returncode == 0 else done.stdout.splitlines()[1:] or [done.stderr[-500:]]


def report(environment: Environment, seconds: int, notes: list[str]) -> int:
    entries = sorted(environment.stats.entries.values(), key=lambda entry: entry.name)
    purchases = sum(COMPLETED.values())
    print(f"\npurchases completed: {purchases} ({COMPLETED['approved']} approved, {COMPLETED['declined']} declined, "
          f"{COMPLETED['cancelled']} cancelled) = {purchases / seconds:.1f} per second")
    print(f"{'step':<38} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8}")
    errors = 0
    for entry in entries:
        errors += entry.num_failures
        print(f"{entry.name:<38} {entry.num_requests:>9} {entry.num_failures:>7} "
              f"{entry.get_response_time_percentile(0.5):>8.0f} {entry.get_response_time_percentile(0.95):>8.0f}")
    for error in environment.stats.errors.values():
        print(f"  error: {error.name} {error.error} × {error.occurrences}")
    for note in notes:
        print(f"  fault: {note}")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--faults", action="store_true")
    parser.add_argument("--webhook-pool", action="store_true", help="webhooks on a gunicorn of their own")
    args = parser.parse_args()
    if not 1 <= args.users <= 500 or not 5 <= args.seconds <= 600:
        parser.error("--users from 1 to 500 and --seconds from 5 to 600: a bounded run")
    stack = Stack(args.workers, args.webhook_pool).start()
    try:
        print(f"{args.users} shoppers for {args.seconds} s against gunicorn ({args.workers} workers), PostgreSQL and "
              f"the sandbox{' with faults' if args.faults else ''}"
              f"{', webhooks on a gunicorn of their own' if args.webhook_pool else ''}")
        environment, notes = run_load(stack, args.users, args.seconds, args.faults)
        notes.append(f"the workers drained every webhook {wait_until_drained(stack):.0f} s after the load stopped")
        time.sleep(12)  # and one more periodic sync, for orders whose webhooks Smartpay gave up on
        errors = report(environment, args.seconds, notes)
        acks, refused = acknowledgements(stack)
        print(f"\nwebhook acknowledgements ({len(acks)} answered 200, {refused} attempts not): "
              f"p50 {percentile(acks, 0.5)} ms, p99 {percentile(acks, 0.99)} ms, max {max(acks, default=0)} ms")
        events, per_worker, lags, reads = inbox_figures(stack)
        print(f"inbox: {events} events processed, {per_worker:.1f} per second per worker ({WORKERS} workers), "
              f"lag from receipt to processed p50 {percentile(lags, 0.5)} ms, p99 {percentile(lags, 0.99)} ms, "
              f"{reads} Smartpay order reads ({reads / max(events, 1):.2f} per event)")
        problems, shop_orders, remote_orders = reconcile(stack)
        print(f"\nreconciliation of {shop_orders} shop orders with {remote_orders} Smartpay orders: "
              f"{'OK, nothing lost, nothing twice' if not problems else str(len(problems)) + ' problems'}")
        for problem in problems[:30]:
            print(f"  {problem}")
        print(f"errors: {errors}")
        return 1 if problems else 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
