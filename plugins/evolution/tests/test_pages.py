"""Pages: /findings (filters, sort, pages, bulk triage), /findings/<id>, evolution and diff
pages, sections, dashboard panels, risk weights and the import form (Flask test client,
real database)."""
import re
from datetime import date, timedelta

from sqlalchemy import func, select

from plugins.evolution.models import Finding, TriageRule
from plugins.evolution.service import ingest_scan
from zapdesk.extensions import db

from .helpers import SAMPLES, alert, finished_scan, new_target


def seeded(app, scans=((0, 3),)):
    """Scans of one target: each (minute, n) has n findings /p0../p(n-1); returns ids."""
    with app.app_context():
        target = new_target()
        scan_ids = []
        for minute, n in scans:
            alerts = [alert(url=f"http://target.test/p{i}", risk=["Low", "Medium", "High"][i % 3],
                            name=f"Finding {i} <b>bold</b>") for i in range(n)]
            scan = finished_scan(target, alerts, minutes=minute)
            ingest_scan(scan.id)
            scan_ids.append(scan.id)
        return target.id, scan_ids


def test_findings_list_filters_sorts_and_pages(app, login_as):
    target_id, _ = seeded(app, ((0, 120),))
    client = login_as("viewer")
    page = client.get("/findings").get_data(as_text=True)
    assert "120 findings" in page and "Page 1 of 3" in page
    assert "Finding 0 &lt;b&gt;bold&lt;/b&gt;" in page or "Finding 2 &lt;b&gt;" in page
    high = client.get("/findings?risk=High&sort=name").get_data(as_text=True)
    assert "40 findings" in high and "risk-medium" not in high
    fragment = client.get("/findings?page=3", headers={"HX-Request": "true"})
    assert "HX-Request" in fragment.headers["Vary"] and "<html" not in fragment.get_data(as_text=True)
    assert "Page 3 of 3" in fragment.get_data(as_text=True)
    odd = client.get("/findings?page=abc&risk=Huge&status=zzz&since=yesterday&target=-4&sort=drop")
    assert odd.status_code == 200 and "120 findings" in odd.get_data(as_text=True)
    assert "0 findings" in client.get("/findings?rule=99999").get_data(as_text=True)
    assert "1 finding" in client.get("/findings?rule=Finding 11 ").get_data(as_text=True)
    assert 'name="finding_id"' not in page  # viewers get no bulk actions


def test_bulk_triage(app, login_as):
    seeded(app, ((0, 6),))
    client = login_as("engineer")
    with app.app_context():
        ids = [str(i) for i in db.session.scalars(select(Finding.id).limit(2))]
    response = client.post("/findings/bulk", data={"finding_id": ids, "status": "false_positive", "scope": "finding",
                                                   "reason": "scanner noise", "next": "/findings?status=all"})
    assert response.status_code == 302 and response.headers["Location"] == "/findings?status=all"
    refused = client.post("/findings/bulk", data={"finding_id": ids, "status": "accepted_risk", "reason": "x"},
                          follow_redirects=True)
    assert "an accepted risk needs a date" in refused.get_data(as_text=True)
    everything = client.post("/findings/bulk", data={"select_all_matching": "1", "status": "confirmed",
                                                     "scope": "finding", "reason": ""}, follow_redirects=True)
    assert "4 of 4 selected findings changed status" in everything.get_data(as_text=True)
    with app.app_context():
        statuses = dict(db.session.execute(select(Finding.status, func.count()).group_by(Finding.status)).all())
    assert statuses == {"false_positive": 2, "confirmed": 4}
    assert client.post("/findings/bulk", data={"status": "confirmed"}).status_code == 400
    assert login_as("viewer").post("/findings/bulk", data={"finding_id": ids, "status": "open"}).status_code == 403


def test_finding_page_and_triage_form(app, login_as):
    seeded(app, ((0, 2), (1, 2)))
    client = login_as("engineer")
    with app.app_context():
        finding_id = db.session.scalars(select(Finding.id)).first()
    page = client.get(f"/findings/{finding_id}").get_data(as_text=True)
    assert "Occurrences in scan" in page and "Seen in scan" in page and "&lt;b&gt;bold" in page
    bad = client.post(f"/findings/{finding_id}/triage", data={"status": "accepted_risk", "reason": "later",
                                                              "expires_on": "2001-01-01"})
    assert bad.status_code == 400 and "pick a date in the future" in bad.get_data(as_text=True)
    expires = (date.today() + timedelta(days=10)).isoformat()
    ok = client.post(f"/findings/{finding_id}/triage", data={"status": "accepted_risk", "reason": "fix in Q3",
                                                             "expires_on": expires}, follow_redirects=True)
    text = ok.get_data(as_text=True)
    assert "accepted risk" in text and "fix in Q3" in text and "open → accepted risk" in text
    occurrence = client.post(f"/findings/{finding_id}/triage", data={
        "scope": "occurrence", "url": "http://target.test/p0", "status": "false_positive", "reason": "test page"})
    assert occurrence.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TriageRule)) == 2
    assert client.get("/findings/999999").status_code == 404


def test_evolution_and_comparison_pages(app, login_as):
    target_id, scan_ids = seeded(app, ((0, 3), (1, 5), (2, 4)))
    client = login_as("viewer")
    page = client.get(f"/targets/{target_id}/evolution").get_data(as_text=True)
    assert "<svg" in page and "Compare two scans" in page and page.count(">Diff</a>") == 3
    comparison_ids = re.findall(rf"/targets/{target_id}/evolution/(\d+)", page)
    diff = client.get(f"/targets/{target_id}/evolution/{comparison_ids[0]}").get_data(as_text=True)
    assert 'data-count="resolved"><div class="value">1<' in diff and "Resolved (1)" in diff
    compared = client.post(f"/targets/{target_id}/evolution/compare", data={"from": scan_ids[0], "to": scan_ids[2]})
    assert compared.status_code == 302
    on_demand = client.get(compared.headers["Location"]).get_data(as_text=True)
    assert 'data-count="new"><div class="value">1<' in on_demand
    same = client.post(f"/targets/{target_id}/evolution/compare", data={"from": scan_ids[0], "to": scan_ids[0]},
                       follow_redirects=True)
    assert "pick two different scans" in same.get_data(as_text=True)
    assert client.get(f"/targets/{target_id}/evolution/99999").status_code == 404
    assert client.get("/targets/99999/evolution").status_code == 404


def test_sections_and_panels(app, login_as):
    target_id, scan_ids = seeded(app, ((0, 3), (1, 4)))
    client = login_as("viewer")
    section = client.get(f"/targets/{target_id}/evolution/section").get_data(as_text=True)
    assert "Risk score" in section and "1 new" in section
    changes = client.get(f"/scans/{scan_ids[1]}/evolution/changes").get_data(as_text=True)
    assert "<strong>1</strong> new" in changes
    findings = client.get(f"/scans/{scan_ids[1]}/evolution/findings").get_data(as_text=True)
    assert findings.count("<tr>") == 5
    for url in ("/dashboard/panels/findings", "/dashboard/panels/risk-trend", "/dashboard/panels/recent-scans",
                "/dashboard/panels/nodes"):
        assert client.get(url).status_code == 200, url
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Open findings by risk" in dashboard and "Risk trend" in dashboard


def test_risk_weights_are_admin_only_and_validated(app, login_as):
    assert login_as("engineer").get("/findings/risk-weights").status_code == 403
    admin = login_as("admin")
    bad = admin.post("/findings/risk-weights", data={"High": "lots", "Medium": "4", "Low": "-1", "Informational": "0"})
    assert bad.status_code == 400 and "enter a number" in bad.get_data(as_text=True)
    ok = admin.post("/findings/risk-weights", data={"High": "20", "Medium": "4", "Low": "1", "Informational": "0.5"},
                    follow_redirects=True)
    assert "Risk weights saved" in ok.get_data(as_text=True)
    target_id, _ = seeded(app, ((0, 3),))
    with app.app_context():
        from plugins.evolution.risk import risk_score

        assert risk_score(target_id) == 25.0  # one each of High (20), Medium (4), Low (1)


def test_import_form(app, login_as):
    client = login_as("engineer")
    assert "Report file" in client.get("/findings/import").get_data(as_text=True)
    sample = (SAMPLES / "xml/scb_example.com_D-2020-10-13.xml").read_bytes()
    from io import BytesIO

    bad = client.post("/findings/import", data={"target_url": "http://example.com",
                                                "report": (BytesIO(b'{"site": [}'), "broken.json")},
                      content_type="multipart/form-data")
    assert bad.status_code == 400 and "Nothing was imported. line 1, column" in bad.get_data(as_text=True)
    no_target = client.post("/findings/import", data={"target_url": "", "report": (BytesIO(sample), "r.xml")},
                            content_type="multipart/form-data")
    assert no_target.status_code == 400 and "give the URL of the target" in no_target.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Finding)) == 0
    ok = client.post("/findings/import", data={"target_url": "http://example.com",
                                               "report": (BytesIO(sample), "example.xml")},
                     content_type="multipart/form-data", follow_redirects=True)
    assert "Imported 16 alerts" in ok.get_data(as_text=True)
    assert login_as("viewer").get("/findings/import").status_code == 403


def test_hostile_alert_content_is_escaped_everywhere(app, login_as):
    with app.app_context():
        target = new_target()
        hostile = alert(name="<script>alert('name')</script>", evidence="<script>alert('ev')</script>" + "E" * (1 << 20),
                        param="\"><img src=x onerror=alert(1)>", other="\udc80\x00", url="http://target.test/<svg/onload=x>")
        scan = finished_scan(target, [hostile])
        ingest_scan(scan.id)
        finding_id, target_id, scan_id = db.session.scalars(select(Finding.id)).one(), target.id, scan.id
    client = login_as("viewer")
    pages = [client.get(url).get_data(as_text=True) for url in
             (f"/findings/{finding_id}", "/findings", f"/targets/{target_id}/evolution",
              f"/scans/{scan_id}/evolution/findings")]
    for page in pages:
        assert "<script>alert(" not in page and "<img src=x" not in page and "<svg/onload" not in page
    assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in pages[0]
