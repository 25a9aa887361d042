"""/scans and /scans/<id>: launch, filters, the live fragments that stop polling, cancel;
schedules on the target page."""
import re

from plugins.scans.launch import launch_scan
from plugins.scans.models import Scan
from zapdesk.extensions import db


def make_scan(app, scan_setup, url, **values):
    with app.app_context():
        target, profile = scan_setup(url)
        scan = launch_scan(target, profile)
        for key, value in values.items():
            setattr(scan, key, value)
        db.session.commit()
        return scan.id, target.id, profile.id


def test_launch_from_the_scans_page(admin_client, app, scan_setup):
    with app.app_context():
        target, profile = scan_setup("https://launch.example/")
        target_id, profile_id = target.id, profile.id
    page = admin_client.get("/scans").get_data(as_text=True)
    assert "Launch a scan" in page and "https://launch.example/" in page
    made = admin_client.post("/scans", data={"target_id": target_id, "profile_id": profile_id})
    assert made.status_code == 302 and re.search(r"/scans/\d+$", made.headers["Location"])
    detail = admin_client.get(made.headers["Location"]).get_data(as_text=True)
    assert "queued" in detail and 'hx-trigger="every 2s"' in detail
    missing = admin_client.post("/scans", data={"target_id": 999, "profile_id": profile_id})
    assert missing.status_code == 302
    assert "choose a target" in admin_client.get("/scans").get_data(as_text=True)


def test_list_filters_and_live_rows(login_as, app, scan_setup):
    running_id, _, _ = make_scan(app, scan_setup, "https://a.example/", state="spider",
                                 phases=["spider", "passive_wait"], phase_progress={"spider": 40})
    done_id, _, _ = make_scan(app, scan_setup, "https://b.example/", state="done", alerts_count=7)
    viewer = login_as("viewer")
    page = viewer.get("/scans").get_data(as_text=True)
    assert f"#{running_id}" in page and f"#{done_id}" in page and 'hx-trigger="every 3s"' in page
    assert "Launch a scan" not in page, "viewers cannot launch"
    done_only = viewer.get("/scans?state=done&fragment=rows", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f"#{done_id}" in done_only and f"#{running_id}" not in done_only
    assert "hx-trigger" not in done_only, "no live scan listed: the poller stops"


def test_progress_fragment_stops_polling_when_the_scan_ends(login_as, app, scan_setup):
    scan_id, _, _ = make_scan(app, scan_setup, "https://c.example/", state="active",
                              phases=["spider", "passive_wait", "active"],
                              phase_progress={"spider": 100, "passive_wait": 100, "active": 35})
    viewer = login_as("viewer")
    live = viewer.get(f"/scans/{scan_id}?fragment=progress", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="every 2s"' in live and 'aria-valuenow="35"' in live and "Cancel scan" not in live
    with app.app_context():
        db.session.execute(db.update(Scan).where(Scan.id == scan_id).values(state="failed", error="<b>node gone</b>"))
        db.session.commit()
    ended = viewer.get(f"/scans/{scan_id}?fragment=progress", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "hx-trigger" not in ended and "&lt;b&gt;node gone&lt;/b&gt;" in ended


def test_cancel_button(admin_client, app, scan_setup):
    scan_id, _, _ = make_scan(app, scan_setup, "https://d.example/")
    html = admin_client.get(f"/scans/{scan_id}").get_data(as_text=True)
    assert "Cancel scan" in html
    response = admin_client.post(f"/scans/{scan_id}/cancel", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-state="cancelled"' in body and "hx-trigger" not in body
    again = admin_client.post(f"/scans/{scan_id}/cancel")
    assert again.status_code == 302


def test_schedules_section(admin_client, app, scan_setup):
    _, target_id, profile_id = make_scan(app, scan_setup, "https://e.example/")
    section = admin_client.get(f"/targets/{target_id}/schedules").get_data(as_text=True)
    assert "No schedule" in section
    bad = admin_client.post(f"/targets/{target_id}/schedules", data={"profile_id": profile_id, "cron": "61 * * * *"},
                            headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "not a 5-field cron expression" in bad
    made = admin_client.post(f"/targets/{target_id}/schedules", data={"profile_id": profile_id, "cron": "0 3 * * 1"},
                             headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "0 3 * * 1" in made and len(re.findall(r"\d{4}-\d\d-\d\d 03:00", made)) == 3, "three next runs previewed"
    schedule_id = re.search(r'data-schedule="(\d+)"', made).group(1)
    off = admin_client.post(f"/schedules/{schedule_id}/toggle").get_data(as_text=True)
    assert "Enable" in off and not re.findall(r"\d{4}-\d\d-\d\d 03:00", off)
    gone = admin_client.post(f"/schedules/{schedule_id}/delete").get_data(as_text=True)
    assert "No schedule" in gone
