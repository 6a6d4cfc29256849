"""The browser harness itself, proven on a throwaway Flask app (not the storefront)."""
import pytest
from flask import Flask

from tests.support.browser import LiveServer, accessibility_violations, free_port

pytestmark = pytest.mark.browser


def make_button_app() -> Flask:
    app = Flask("harness")

    @app.get("/")
    def index():
        return ('<button onclick="document.querySelector(\'p\').textContent = \'Clicked\'">Say hello</button>'
                "<p>Waiting</p>")

    return app


def test_page_clicks_a_button_found_by_role_and_name(page):
    server = LiveServer(make_button_app(), free_port()).start()
    try:
        page.goto(server.url + "/")
        page.get_by_role("button", name="Say hello").click()
        assert page.locator("p").text_content() == "Clicked"
    finally:
        server.stop()


def test_phone_page_is_phone_wide(phone_page):
    server = LiveServer(make_button_app()).start()
    try:
        phone_page.goto(server.url + "/")
        assert phone_page.evaluate("window.innerWidth") == 375
    finally:
        server.stop()


def test_the_accessibility_audit_finds_what_it_should(page):
    """The axe helper fails a page a person with a screen reader would struggle with."""
    app = Flask("audit")

    @app.get("/")
    def index():
        return ('<!doctype html><html lang="en"><head><title>Audit</title></head><body><main>'
                '<input name="q"><button aria-label="Add tea to cart">Add to cart</button></main></body></html>')

    server = LiveServer(app).start()
    try:
        page.goto(server.url + "/")
        found = " ".join(accessibility_violations(page))
        assert "critical label:" in found and "label-content-name-mismatch" in found
    finally:
        server.stop()


def test_chromium_reports_a_csp_violation_on_the_console(page):
    """The CSP tests listen for exactly this: a page with inline script under script-src 'self'."""
    app = Flask("csp")

    @app.get("/")
    def index():
        return "<script>document.title = 'ran'</script><p>inline</p>", 200, {
            "Content-Security-Policy": "default-src 'self'; script-src 'self'"}

    messages = []
    page.on("console", lambda message: messages.append(message.text))
    server = LiveServer(app).start()
    try:
        page.goto(server.url + "/")
        page.wait_for_timeout(200)
        assert page.title() != "ran" and any("Content Security Policy" in text for text in messages)
    finally:
        server.stop()
