"""Browser tests (Playwright driving Debian's Chromium): log in, see the plugin nav, log out."""
import pytest

from zapdesk.testing import browser_login

pytestmark = pytest.mark.browser


def test_login_nav_logout(page, make_user):
    user = make_user("admin")
    page.goto("/dashboard")
    assert "/login" in page.url
    browser_login(page, user.email)
    nav = page.locator("nav.mainnav")
    for label in ("Dashboard", "ZAP nodes", "Scans", "Profiles", "Findings", "Reports", "Ops"):
        assert nav.get_by_role("link", name=label).is_visible()
    page.wait_for_selector("text=Overall:")  # the health panel loaded through hx-get
    page.click("text=Log out")
    page.wait_for_url("**/login")
    assert page.locator(".flash").inner_text() == "You are logged out."


def test_wrong_password_message(page, make_user):
    user = make_user("viewer")
    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", "wrong password here")
    page.click("button[type=submit]")
    assert page.locator(".flash-error").inner_text() == "Email or password is incorrect."


def test_mobile_width_menu_is_usable(browser, live_server, make_user):
    user = make_user("engineer")
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 800})
    page = context.new_page()
    browser_login(page, user.email)
    page.wait_for_selector("text=Overall:")  # measure with the panels loaded
    assert not page.locator("nav.mainnav").is_visible()
    page.click("label.nav-toggle-label")
    assert page.locator("nav.mainnav").get_by_role("link", name="Scans").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no horizontal scrolling at phone width"
    context.close()


def test_404_page(page):
    page.goto("/definitely/not/here")
    assert "Not found" in page.locator("h1").inner_text()
