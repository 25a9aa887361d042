"""Done-when: in a real browser, create a project, a target and a profile, launch a scan
against a simulated ZAP node (a stand-in for ZAP) that crawls the local target site,
watch the progress bar reach done and see the counts. A real worker subprocess drives it."""
import re

import pytest
from playwright.sync_api import expect

from zapdesk.testing import browser_login

pytestmark = pytest.mark.browser


def test_create_launch_and_watch_a_scan(page, make_user, registered_node, target_site, worker_process):
    registered_node(name="sim-browser")
    worker_process()
    admin = make_user("admin")
    browser_login(page, admin.email)

    page.click("nav.mainnav >> text=Projects")
    page.fill("#new-project input[name=name]", "Web shop")
    page.click("#new-project button[type=submit]")
    expect(page.locator("h1")).to_have_text("Project Web shop")

    page.fill("#new-target input[name=base_url]", "ftp://files.example/")
    page.click("#new-target button[type=submit]")
    expect(page.locator("#new-target .error").first).to_contain_text("http:// or https://")
    page.fill("#new-target input[name=base_url]", target_site + "/")
    page.fill("#new-target input[name=name]", "Local site")
    page.fill("#new-target textarea[name=scope_exclude]", r".*logout.*")
    page.click("#new-target button[type=submit]")
    expect(page.locator("h1")).to_have_text("Target Local site")

    page.click("nav.mainnav >> text=Profiles")
    page.click("text=New profile")
    page.fill("#profile-form input[name=name]", "Quick baseline")
    page.select_option("#f-kind", "baseline")
    page.fill("#profile-form input[name=spider_max_depth]", "3")
    page.click("#profile-form button[type=submit]")
    expect(page.locator("#profiles")).to_contain_text("Quick baseline")

    page.click("nav.mainnav >> text=Scans")
    page.select_option("#f-target_id", label=f"Local site — {target_site}/")
    page.select_option("#f-profile_id", label="Quick baseline (baseline)")
    page.click("#launch-scan button[type=submit]")
    expect(page.locator("h1")).to_have_text(re.compile(r"Scan #\d+"))
    expect(page.locator("#scan-progress")).to_have_attribute("data-state", "done", timeout=90000)
    expect(page.locator("#phases .progress[aria-valuenow='100']")).to_have_count(3)
    counts = page.locator("#scan-counts .value")
    assert all(int(counts.nth(i).inner_text()) > 0 for i in range(3)), "URLs, messages and alerts counted"
    expect(page.locator("#scan-progress")).not_to_have_attribute("hx-trigger", re.compile(".*"))
    expect(page.locator("#attempts")).to_contain_text("sim-browser")

    page.click("text=Local site")
    expect(page.locator("#target-scans")).to_contain_text("done")
    page.set_viewport_size({"width": 390, "height": 800})
    page.click("text=All scans of this target")
    expect(page.locator("#scans")).to_contain_text("Quick baseline")
