"""Browser tests (Playwright driving Debian's Chromium against a real waitress server).
Scans are created finished through the scans service: ZAP is not involved."""
import re

import pytest
from sqlalchemy import select

from plugins.evolution.models import Finding
from plugins.evolution.service import ingest_scan
from zapdesk.extensions import db
from zapdesk.testing import browser_login

from .helpers import SAMPLES, alert, finished_scan, new_target

pytestmark = pytest.mark.browser


def scan_of(app, target_id, paths, minute):
    with app.app_context():
        from plugins.profiles.service import get_target

        alerts = [alert(url=f"http://target.test/{p}", name=f"Issue at {p}") for p in paths]
        scan = finished_scan(get_target(target_id), alerts, minutes=minute)
        ingest_scan(scan.id)
        return scan.id


def test_comparison_counts_and_a_false_positive_that_stays(app, page, make_user):
    with app.app_context():
        target_id = new_target().id
    scan_of(app, target_id, ["a", "b", "c"], 0)
    scan_of(app, target_id, ["b", "c", "d", "e"], 1)
    user = make_user("engineer")
    browser_login(page, user.email)

    page.goto(f"/targets/{target_id}/evolution")
    assert page.locator("svg.chart").is_visible()
    page.locator("table.comparisons a", has_text="Diff").first.click()
    counts = {key: page.locator(f'[data-count="{key}"] .value').inner_text()
              for key in ("new", "resolved", "persisting", "regressed")}
    assert counts == {"new": "2", "resolved": "1", "persisting": "2", "regressed": "0"}
    assert page.get_by_text("Resolved (1)").is_visible()

    page.goto("/findings?sort=name")
    row = page.locator("table.findings tr", has_text="Issue at b")
    row.locator("input[name=finding_id]").check()
    page.select_option("#b-status", "false_positive")
    page.fill("#b-reason", "served by the CDN, not us")
    page.get_by_role("button", name="Apply").click()
    assert page.get_by_text("1 of 1 selected findings changed status").is_visible()

    scan_of(app, target_id, ["b", "c", "d"], 2)
    with app.app_context():
        finding_id = db.session.scalar(select(Finding.id).where(Finding.name == "Issue at b"))
    page.goto(f"/findings/{finding_id}")
    assert page.locator(".page-head .badge-false-positive").inner_text() == "false positive"
    assert page.get_by_text("served by the CDN, not us").first.is_visible()
    page.goto("/findings?status=false_positive")
    assert page.locator("table.findings tbody tr").count() == 1


def test_import_a_report_then_filter_findings_on_a_phone(app, page, make_user):
    user = make_user("engineer")
    browser_login(page, user.email)
    page.goto("/findings/import")
    page.set_input_files("#f-report", str(SAMPLES / "xml/scb_nginx_D-2020-10-13.xml"))
    page.fill("#f-target_url", "http://nginx.demo-apps.svc")
    page.get_by_role("button", name="Import").click()
    assert page.get_by_text(re.compile(r"Imported 12 alerts as scan \d+")).is_visible()
    assert page.locator("h1").inner_text().startswith("Evolution of")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/findings")
    page.select_option("#f-risk", "Low")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"risk=Low"))
    assert page.locator("#findings-count").inner_text().endswith("findings")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # wide tables scroll inside their wrapper, not the page


def test_a_broken_report_is_refused_with_the_line(app, page, make_user, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"site": [\n{"@name": "http://a.test",\n "alerts": [ oops ]}]}')
    browser_login(page, make_user("engineer").email)
    page.goto("/findings/import")
    page.set_input_files("#f-report", str(broken))
    page.fill("#f-target_url", "http://a.test")
    page.get_by_role("button", name="Import").click()
    assert page.get_by_text("Nothing was imported. line 3, column").is_visible()
