"""In a real browser: a user opens a finished scan, downloads every format from its
Reports section, finds them on /reports, and regenerates them."""
import json

import pytest

from zapdesk.testing import browser_login

from .scans import ingested_scan, typical_alerts

pytestmark = pytest.mark.browser
EXTENSIONS = {"html": ".html", "pdf": ".pdf", "json": ".json", "sarif": ".sarif", "zap-json": "-zap-json.json",
              "zap-xml": "-zap-xml.xml"}


def download(page, name):
    with page.expect_download() as info:
        page.click(f"a[data-format='{name}']")
    return info.value


def test_user_downloads_every_format_from_the_scan_page(page, app, make_user, tmp_path):
    with app.app_context():
        scan_id = ingested_scan(typical_alerts()).id
    user = make_user("viewer")
    browser_login(page, user.email)
    page.goto(f"/scans/{scan_id}")
    page.wait_for_selector("a[data-format='pdf']")
    assert page.locator("text=Regenerate").count() == 0, "viewers cannot regenerate"
    for name, suffix in EXTENSIONS.items():
        got = download(page, name)
        assert got.suggested_filename == f"zapdesk-scan-{scan_id}{suffix}"
        path = tmp_path / got.suggested_filename
        got.save_as(path)
        content = path.read_bytes()
        assert content.startswith(b"%PDF-") if name == "pdf" else b"Cross Site Scripting" in content
        if name in {"json", "sarif", "zap-json"}:
            json.loads(content)
    page.goto("/reports")
    assert page.locator("table.table tbody tr").count() == 6
    page.select_option("select[name=format]", "sarif")
    page.wait_for_url("**/reports?format=sarif**")
    page.wait_for_function("document.querySelectorAll('table.table tbody tr').length === 1")
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.locator("text=Download").first.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the reports page scrolls sideways at 390px ({width}px)"


def test_engineer_regenerates_and_the_section_settles(page, app, make_user):
    """The job runs in this process (test_worker.py covers the real worker)."""
    from plugins.reports.jobs import generate_scan_reports

    with app.app_context():
        scan = ingested_scan(typical_alerts())
        scan_id, target_id = scan.id, scan.target_id
    browser_login(page, make_user("engineer").email)
    page.goto(f"/scans/{scan_id}")
    page.click("button:has-text('Regenerate')")
    page.wait_for_selector("text=Regenerating…")
    assert page.locator("span.badge-pending").count() == 6
    with app.app_context():
        generate_scan_reports(scan_id)
    page.wait_for_selector("button:has-text('Regenerate'):not([disabled])")
    assert page.locator("span.badge-ready").count() == 6
    page.goto(f"/targets/{target_id}")
    got = download(page, "evolution-pdf")
    assert got.suggested_filename == f"zapdesk-target-{target_id}-evolution-pdf.pdf"
