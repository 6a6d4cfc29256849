"""A merchant's webhook endpoint for tests: records every delivery and can fail the first attempts."""
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.waiting import wait_until


@dataclass
class Delivery:
    headers: dict
    body: bytes
    received_at: float


@dataclass
class WebhookReceiver:
    fail_first: int = 0  # answer 500 to this many attempts of each event before accepting it
    deliveries: list[Delivery] = field(default_factory=list)

    def __post_init__(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.deliveries.append(Delivery(dict(self.headers), body, time.monotonic()))
                seen = sum(1 for d in receiver.deliveries
                           if d.headers.get("Smartpay-Event-Id") == self.headers.get("Smartpay-Event-Id"))
                status = 500 if seen <= receiver.fail_first else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"try again")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, predicate, seconds: float = 10) -> list[Delivery]:
        try:
            wait_until(lambda: predicate(self.deliveries), seconds)
        except AssertionError:
            raise AssertionError(f"webhooks never arrived as expected; got {len(self.deliveries)}: "
                                 f"{[d.headers.get('Smartpay-Event-Id') for d in self.deliveries]}") from None
        return self.deliveries

    def close(self):
        self.server.shutdown()
        self.server.server_close()
