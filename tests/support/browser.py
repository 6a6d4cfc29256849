"""Real HTTP and a real browser for tests: a Flask app served in a thread, and headless Debian Chromium.

`LiveServer(app, port)` serves any app; pick the port first with `free_port()` when the app must know its
own URL (PUBLIC_URL) before it is built. Fixtures: `live_server` (the `app` fixture, served), `browser`,
`page` and `phone_page` (an English browser), `japanese_page` (a browser set to ja-JP, which sends
Accept-Language: ja-JP). A failing test leaves a full-page screenshot in tests/artifacts/<test>.png.

`accessibility_violations(page)` runs axe-core (from npm, in tests/browser/axe) on the page as it is now.
"""
import json
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.support.sandbox import free_port

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
AXE = Path(__file__).resolve().parents[1] / "browser" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking switches Chromium keeps calling home, which this offline machine refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


class InFlight:
    """Counts the requests being answered, so that stopping a server can wait for them: a webhook the sandbox
    delivers as a test ends would otherwise still be writing while the next test empties the tables (on
    PostgreSQL the two deadlock). Idle keep-alive connections are not requests and are not waited for."""

    def __init__(self, app):
        self.app, self.count, self.changed = app, 0, threading.Condition()

    def __call__(self, environ, start_response):
        with self.changed:
            self.count += 1
        try:
            yield from self.app(environ, start_response)
        finally:
            with self.changed:
                self.count -= 1
                self.changed.notify_all()

    def wait_until_idle(self, seconds: float) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.count == 0, timeout=seconds)


class LiveServer:
    def __init__(self, app, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.in_flight = InFlight(app)
        self.server = make_server("127.0.0.1", self.port, self.in_flight, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "LiveServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.in_flight.wait_until_idle(seconds=15)


@pytest.fixture
def live_server(app):
    server = LiveServer(app).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_page(browser, request, width: int, height: int, locale: str = "en-US", bypass_csp: bool = False):
    """`bypass_csp` lets a test inject its own script (the axe audit) into pages whose CSP forbids inline code."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale, bypass_csp=bypass_csp)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def page(browser, request):
    yield from new_page(browser, request, 1280, 800)


@pytest.fixture
def phone_page(browser, request):
    yield from new_page(browser, request, 375, 740)


@pytest.fixture
def japanese_page(browser, request):
    yield from new_page(browser, request, 1280, 800, locale="ja-JP")


def accessibility_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, one readable line each (empty when it passes)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async (tags) => {
        // label-content-name-mismatch (WCAG 2.5.3) is tagged experimental, so a run by tags skips it unless asked.
        const found = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                               rules: {"label-content-name-mismatch": {enabled: true}}});
        return found.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary.split("\\n").slice(1).join(" "))}));
    }""", WCAG_21_AA)
    return [f"{v['impact']} {v['id']}: {json.dumps(v['nodes'][:3], ensure_ascii=False)}" for v in result]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.report_call = report
    return report
