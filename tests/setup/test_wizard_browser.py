"""Browser test (Playwright + Chromium): a blank database, the wizard walked through every
step to the dashboard, then /setup gone. Its own waitress server, because the wizard needs
SETUP_REQUIRED on (the session's live server has it off). ZAP is the simulator."""
import threading

import pytest
from waitress.server import create_server

from zapdesk.testing import free_port

from .conftest import ADMIN

pytestmark = pytest.mark.browser


@pytest.fixture
def wizard_server(wizard_app):
    server = create_server(wizard_app, host="127.0.0.1", port=free_port(), threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture
def wizard_page(browser, wizard_server):
    context = browser.new_context(base_url=wizard_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    yield context.new_page()
    context.close()


def test_walk_the_wizard_from_a_blank_database_to_the_dashboard(wizard_page, wizard_server, sim_node):
    page, node = wizard_page, sim_node(api_key="browser-key")
    page.goto("/dashboard")
    page.wait_for_url("**/setup/instance")
    page.fill("#f-instance_name", "Acme security")
    page.fill("#f-external_url", wizard_server)
    page.click("text=Save and continue")
    page.wait_for_url("**/setup/admin")
    page.fill("#f-email", ADMIN["email"])
    page.fill("#f-password", ADMIN["password"])
    page.fill("#f-confirm", ADMIN["confirm"])
    page.click("text=Create administrator")
    page.wait_for_url("**/setup/tls")
    page.click("text=Generate and continue")
    page.wait_for_url("**/setup/zap")
    assert page.input_value("#f-base_url") == "http://zap:8080"  # the compose-internal node
    page.fill("#f-base_url", node.url)
    page.fill("#f-api_key", "browser-key")
    page.click("text=Register and test")
    assert "Connected to ZAP" in page.locator("#zap-result").inner_text()
    page.click("button:has-text('Continue')")
    page.wait_for_url("**/setup/finish")
    assert page.get_by_role("cell", name="database", exact=True).is_visible()
    page.click("text=Finish setup")
    page.wait_for_selector("text=Setup is complete")
    assert "https://127.0.0.1/" in page.locator("main").inner_text()
    page.click("text=Go to the dashboard")
    page.wait_for_url("**/dashboard")
    assert page.locator("h1").inner_text() == "Dashboard"
    assert page.locator(".brand").inner_text() == "Acme security"
    page.goto("/setup/")
    assert "/setup" not in page.url  # redirected to login, which sends a logged-in admin on
    response = page.goto("/setup/admin")
    assert response.status == 404


def test_wizard_is_usable_at_phone_width(browser, wizard_server):
    context = browser.new_context(base_url=wizard_server, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto("/setup/")
    page.wait_for_url("**/setup/instance")
    assert page.locator("#f-external_url").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_resuming_in_a_new_browser_asks_the_first_admin_to_log_in(browser, wizard_server, wizard_page):
    """A new browser (e.g. after switching to HTTPS, a different cookie origin)."""
    page = wizard_page
    page.goto("/setup/instance")
    page.fill("#f-instance_name", "Acme")
    page.click("text=Save and continue")
    page.fill("#f-email", ADMIN["email"])
    page.fill("#f-password", ADMIN["password"])
    page.fill("#f-confirm", ADMIN["confirm"])
    page.click("text=Create administrator")
    page.wait_for_url("**/setup/tls")
    other = browser.new_context(base_url=wizard_server).new_page()
    other.goto("/setup/admin")
    other.wait_for_url("**/setup/login")
    other.fill("#f-email", ADMIN["email"])
    other.fill("#f-password", "not the right one")
    other.click("button[type=submit]")
    assert "only the administrator created by this wizard" in other.locator(".flash-error").inner_text()
    other.fill("#f-password", ADMIN["password"])
    other.click("button[type=submit]")
    other.wait_for_url("**/setup/tls")
    other.context.close()
