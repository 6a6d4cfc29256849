"""The browser harness itself, proven on a throwaway Flask app (not the storefront)."""
import pytest
from flask import Flask

from tests.support.browser import LiveServer, free_port

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
