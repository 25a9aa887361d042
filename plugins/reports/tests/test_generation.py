"""Reports built from real scans (scans + evolution services), stored under MEDIA_PATH,
listed on /reports and downloaded from /scans/<id>/report/<format>."""
import hashlib
import json

import pytest

from zapdesk.extensions import db
from zapdesk.models import AuditEvent

from plugins.reports import store
from plugins.reports.build import build_report_data
from plugins.reports.models import Report

from .scans import hostile_alerts, ingested_scan, typical_alerts

SCAN_FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "json": "application/json",
                "sarif": "application/sarif+json", "zap-json": "application/json", "zap-xml": "application/xml; charset=utf-8"}


def test_report_data_comes_from_the_evolution_service(app_ctx):
    first = ingested_scan(typical_alerts()[1:], minutes=0)
    second = ingested_scan(typical_alerts(), minutes=10)
    data = build_report_data(second.id)
    assert data.target_url.startswith("http://shop.test") and data.state == "done"
    assert data.summary() == {"High": 1, "Medium": 2, "Low": 1, "Informational": 0}
    assert [s.rule.rule_id for s in data.rules()] == ["40012", "10038", "10036"]
    assert data.changes.previous_scan_id == first.id
    assert [c.name for c in data.changes.new] == ["Cross Site Scripting (Reflected)"]
    assert build_report_data(first.id).changes is None


def test_generate_stores_every_format_with_size_and_sha256(app_ctx):
    scan = ingested_scan(typical_alerts())
    reports = store.generate("scan", scan.id, requested_by="tester")
    assert sorted(r.format for r in reports) == sorted(SCAN_FORMATS)
    for report in reports:
        content = store.report_file(report).read_bytes()
        assert report.state == "ready" and report.bytes == len(content) > 0
        assert report.sha256 == hashlib.sha256(content).hexdigest()
    again = store.generate("scan", scan.id, ["json"])
    assert db.session.query(Report).count() == 6 and again[0].id == reports[2].id


def test_a_failing_format_is_recorded_and_the_others_still_render(app_ctx):
    scan = ingested_scan(typical_alerts())
    app_ctx.config["PDF_SERVICE_URL"] = "http://127.0.0.1:9"  # nothing listens there
    try:
        reports = {r.format: r for r in store.generate("scan", scan.id)}
    finally:
        app_ctx.config["PDF_SERVICE_URL"] = ""
    assert reports["pdf"].state == "failed" and "pdf service at http://127.0.0.1:9 unreachable" in reports["pdf"].error
    assert reports["html"].state == "ready"


@pytest.mark.parametrize("name", SCAN_FORMATS)
def test_download_renders_on_demand_with_type_and_file_name(name, login_as, app):
    with app.app_context():  # not ingested yet: the download ingests first, never renders an empty report
        scan_id = ingested_scan(hostile_alerts(), ingest=name != "html").id
    client = login_as("viewer")
    response = client.get(f"/scans/{scan_id}/report/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == SCAN_FORMATS[name]
    extension = {"html": "html", "pdf": "pdf", "json": "json", "sarif": "sarif", "zap-json": "json",
                 "zap-xml": "xml"}[name]
    suffix = "" if name == extension else f"-{name}"
    assert response.headers["Content-Disposition"] == f"attachment; filename=zapdesk-scan-{scan_id}{suffix}.{extension}"
    assert response.headers["X-Content-SHA256"] == hashlib.sha256(response.data).hexdigest()
    if name == "html":
        body = response.get_data(as_text=True)
        assert "<script>" not in body and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body


def test_json_schema_is_served(login_as):
    response = login_as("viewer").get("/reports/schema/v1.json")
    assert response.status_code == 200 and response.json["title"] == "zapdesk scan report, version 1"


def test_download_errors_say_what_is_wrong(login_as, app, client):
    with app.app_context():
        scan_id = ingested_scan(typical_alerts()).id
    viewer = login_as("viewer")
    missing = viewer.get("/scans/999999/report/pdf")
    assert missing.status_code == 404 and "There is no scan #999999." in missing.get_data(as_text=True)
    unknown = viewer.get(f"/scans/{scan_id}/report/docx")
    assert unknown.status_code == 404 and "Unknown report format" in unknown.get_data(as_text=True)
    anonymous = client.get(f"/scans/{scan_id}/report/pdf")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_reports_page_lists_and_filters(login_as, app):
    with app.app_context():
        scan_id = ingested_scan(typical_alerts()).id
        store.generate("scan", scan_id, ["json", "sarif"])
    viewer = login_as("viewer")
    page = viewer.get("/reports").get_data(as_text=True)
    assert f"scan #{scan_id}" in page and "SARIF 2.1.0" in page and "JSON" in page
    filtered = viewer.get("/reports?format=sarif", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "SARIF 2.1.0" in filtered and "<html" not in filtered and ">JSON<" not in filtered
    assert "No reports match these filters" in viewer.get("/reports?state=failed").get_data(as_text=True)


def test_regenerate_needs_operate_marks_pending_and_audits(login_as, app):
    with app.app_context():
        scan_id = ingested_scan(typical_alerts()).id
    assert login_as("viewer").post(f"/scans/{scan_id}/reports/regenerate").status_code == 403
    engineer = login_as("engineer")
    section = engineer.post(f"/scans/{scan_id}/reports/regenerate", headers={"HX-Request": "true"})
    assert section.status_code == 200 and 'hx-trigger="every 2s"' in section.get_data(as_text=True)
    with app.app_context():
        states = {r.format: r.state for r in db.session.query(Report)}
        assert states == {name: "pending" for name in SCAN_FORMATS}
        assert db.session.query(AuditEvent).filter_by(action="reports.regenerate").count() == 1
        from plugins.reports.jobs import generate_scan_reports

        assert generate_scan_reports(scan_id) == {name: "ready" for name in SCAN_FORMATS}
    settled = engineer.get(f"/scans/{scan_id}/reports/section").get_data(as_text=True)
    assert "hx-trigger" not in settled and settled.count("Download ") == 6


def test_hook_scan_sections(app, make_user):
    from zapdesk.plugins import flatten, get_plugin_manager

    viewer = make_user("viewer")
    with app.test_request_context():
        scan = ingested_scan(typical_alerts(), ingest=False)
        sections = flatten(get_plugin_manager().hook.scan_sections(scan=scan, user=viewer))
        assert any(s.title == "Reports" and s.url == f"/scans/{scan.id}/reports/section" for s in sections)


def test_hook_target_sections(app, make_user):
    from plugins.profiles.service import get_target
    from zapdesk.plugins import flatten, get_plugin_manager

    viewer = make_user("viewer")
    with app.test_request_context():
        target = get_target(ingested_scan(typical_alerts()).target_id)
        sections = flatten(get_plugin_manager().hook.target_sections(target=target, user=viewer))
        assert any(s.title == "Evolution report" and s.url == f"/targets/{target.id}/reports/section"
                   for s in sections)


def test_evolution_report_downloads(login_as, app):
    with app.app_context():
        ingested_scan(typical_alerts()[1:], minutes=0)
        target_id = ingested_scan(typical_alerts(), minutes=10).target_id
    viewer = login_as("viewer")
    html = viewer.get(f"/targets/{target_id}/report/evolution-html")
    assert html.status_code == 200 and "Risk trend" in html.get_data(as_text=True)
    pdf = viewer.get(f"/targets/{target_id}/report/evolution-pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    section = viewer.get(f"/targets/{target_id}/reports/section").get_data(as_text=True)
    assert "Evolution (PDF)" in section


def test_json_report_of_a_real_scan_counts_occurrences(app_ctx):
    scan = ingested_scan(typical_alerts())
    document = json.loads(store.generate("scan", scan.id, ["json"])[0] and
                          store.report_file(store.current_report("scan", scan.id, "json")).read_bytes())
    assert document["summary"]["total_occurrences"] == 4 and document["scan"]["id"] == scan.id
