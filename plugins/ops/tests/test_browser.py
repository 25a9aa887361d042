"""Browser tests (Playwright driving Chromium) of the ops pages. The ops agent is the real
`zapdesk ops-agent` subprocess; only Docker is faked (an executable recording its argv)."""
from __future__ import annotations

import pytest

from zapdesk.health import run_checks
from zapdesk.testing import TEST_PASSWORD, browser_login

pytestmark = pytest.mark.browser


def test_admin_sees_every_check_and_a_viewer_gets_403(app, page, browser, live_server, make_user):
    with app.test_request_context():
        names = list(run_checks())
    admin = make_user("admin")
    browser_login(page, admin.email)
    page.goto("/ops/overview")
    shown = page.locator("table.ops-checks tr[data-check]")
    assert shown.count() == len(names)
    assert [shown.nth(i).get_attribute("data-check") for i in range(len(names))] == names
    assert page.locator("#rows-queues").is_visible()
    page.click("text=Pause")
    page.wait_for_selector("text=Resume auto-refresh")

    viewer = make_user("viewer")
    context = browser.new_context(base_url=live_server)
    other = context.new_page()
    browser_login(other, viewer.email)
    response = other.goto("/ops/overview")
    assert response.status == 403 and "Not allowed" in other.locator("h1").inner_text()
    context.close()


def test_overview_is_usable_at_phone_width(browser, live_server, make_user):
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 800})
    page = context.new_page()
    browser_login(page, make_user("admin").email)
    page.goto("/ops/overview")
    assert page.locator("table.ops-checks").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_admin_restarts_worker_and_the_audit_trail_shows_it(page, make_user, agent_process,
                                                             web_uses_agent, fake_docker):
    web_uses_agent(agent_process.url, agent_process.token)
    admin = make_user("admin")
    browser_login(page, admin.email)
    page.goto("/ops/actions")
    page.wait_for_selector("text=The ops agent answers")
    page.select_option("#f-action", "restart")
    page.select_option("#f-service", "worker")
    page.fill("#f-password", "not the password")
    page.click("#ops-action-form button[type=submit]")
    assert "password is incorrect" in page.locator("#action-output").inner_text()
    assert fake_docker.calls() == []

    page.fill("#f-password", TEST_PASSWORD)
    page.click("#ops-action-form button[type=submit]")
    output = page.locator("#action-output pre")
    output.wait_for()
    assert "compose --ansi never" in output.inner_text() and "restart worker" in output.inner_text()
    assert fake_docker.compose_args() == [["restart", "worker"]]

    page.goto("/ops/audit?action=ops.restart")
    row = page.locator("#audit-table tbody tr").first
    assert "ops.restart" in row.inner_text() and "worker" in row.inner_text()
    assert admin.email in row.inner_text()

