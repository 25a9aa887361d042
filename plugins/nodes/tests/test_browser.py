"""Browser tests of /zapnodes (Playwright + Chromium against the live server), with
simulated ZAP nodes standing in for ZAP."""
import pytest

from zapdesk.testing import browser_login

pytestmark = pytest.mark.browser


def add_node(page, name: str, url: str, key: str, skip_check: bool = False) -> None:
    page.click("text=Add node")
    page.fill("#f-name", name)
    page.fill("#f-base_url", url)
    page.fill("#f-api_key", key)
    if skip_check:
        page.check("input[name=skip_check]")
    page.click("button:has-text('Add node')")
    page.wait_for_url("**/zapnodes")


def test_admin_adds_two_nodes_and_tests_all(page, make_user, sim_node):
    """Done-when: one healthy node with version and latency, one unhealthy with
    "API key rejected"."""
    good, bad = sim_node(api_key="good-key"), sim_node(api_key="the-real-key")
    admin = make_user("admin")
    browser_login(page, admin.email)
    page.goto("/zapnodes")
    add_node(page, "zap-good", good.url, "good-key")
    add_node(page, "zap-bad", bad.url, "a-wrong-key", skip_check=True)
    page.click("button:has-text('Test all')")
    bad_row = page.locator("tr", has_text="zap-bad")
    bad_row.locator(".last-error", has_text="API key rejected").wait_for()
    good_row = page.locator("tr", has_text="zap-good")
    assert good_row.locator(".badge").inner_text() == "healthy"
    assert "zapdesk-simulator" in good_row.locator(".version").inner_text()
    assert good_row.locator(".latency").inner_text().endswith(" ms")
    assert bad_row.locator(".badge").inner_text() == "unhealthy"
    assert "Tested 2 enabled node(s)" in page.locator("#flashes").inner_text()
    assert "a-wrong-key" not in page.content() and "good-key" not in page.content()


def test_form_error_and_row_test_in_place(page, make_user, sim_node):
    sim = sim_node(api_key="k1")
    browser_login(page, make_user("admin").email)
    page.goto("/zapnodes/new")
    page.fill("#f-name", "zap-x")
    page.fill("#f-base_url", "ftp://zap:8080")
    page.fill("#f-api_key", "k1")
    page.click("button:has-text('Add node')")
    assert "http:// or https://" in page.locator("#e-base_url").inner_text()
    page.fill("#f-base_url", sim.url)
    page.fill("#f-api_key", "k1")
    page.click("button:has-text('Add node')")
    page.wait_for_url("**/zapnodes")
    sim.set_fault("refuse")
    row = page.locator("tr", has_text="zap-x")
    row.locator("button:has-text('Test')").click()
    row.locator(".last-error", has_text="connection refused").wait_for()
    assert row.locator(".badge").inner_text() == "unhealthy"


def test_viewer_sees_list_read_only_on_a_phone(browser, live_server, make_user, registered_node):
    registered_node(name="zap-view")
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 800})
    page = context.new_page()
    browser_login(page, make_user("viewer").email)
    page.goto("/zapnodes")
    assert page.locator("tr", has_text="zap-view").is_visible()
    assert page.locator("text=Add node").count() == 0 and page.locator("button:has-text('Test')").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
