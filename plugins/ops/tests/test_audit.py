"""/ops/audit: filters, pages, CSV export (safe against CSV injection) and retention."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

from zapdesk.audit import audit
from zapdesk.extensions import db
from zapdesk.models import AuditEvent, set_setting, utcnow

from plugins.ops.jobs import purge_audit_events


def add_events(app, *rows):
    with app.app_context():
        for actor, action, obj, days_ago in rows:
            event = audit(action, obj, actor=actor)
            event.at = utcnow() - timedelta(days=days_ago)
        db.session.commit()


def test_filters_and_pages(app, admin_client):
    add_events(app, *[("alice@example.com", "node.add", f"zap-{i}", 0) for i in range(60)],
               ("bob@example.com", "scan.start", "42", 3), ("bob@example.com", "ops.restart", "worker", 10))
    html = admin_client.get("/ops/audit?actor=BOB").get_data(as_text=True)
    assert "2 events" in html and "scan.start" in html and "node.add" not in html
    html = admin_client.get("/ops/audit?action=ops.&object=work").get_data(as_text=True)
    assert "1 event" in html and "ops.restart" in html
    since = (utcnow() - timedelta(days=5)).date().isoformat()
    html = admin_client.get(f"/ops/audit?actor=bob&since={since}").get_data(as_text=True)
    assert "1 event" in html and "scan.start" in html
    page2 = admin_client.get("/ops/audit?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in page2 and page2.count("<tr>") == 1 + 13  # header + 62 - 50 + login line


def test_like_wildcards_are_literal(app, admin_client):
    add_events(app, ("a@example.com", "x.y", "100%", 0), ("b@example.com", "x.y", "1000", 0))
    assert "1 event" in admin_client.get("/ops/audit?object=0%25").get_data(as_text=True)


def test_bad_dates_are_400(admin_client):
    response = admin_client.get("/ops/audit?since=yesterday", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "a date like" in html
    assert html.lstrip().startswith('<div id="audit-table">'), "the error replaces the table, not the page"
    assert admin_client.get("/ops/audit.csv?until=31/12/2026").status_code == 400


def test_csv_export_neutralises_formulas(app, admin_client):
    add_events(app, ("=cmd|' /C calc'!A0@example.com", "+sum", "-1", 0), ("@evil", "ok.action", "x", 0))
    response = admin_client.get("/ops/audit.csv?action=sum")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["at", "actor", "action"]
    (row,) = rows[1:]
    assert row[1] == "'=cmd|' /C calc'!A0@example.com" and row[2] == "'+sum" and row[4] == "'-1"
    with app.app_context():
        assert db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "ops.audit_exported")).scalar_one()


def test_purge_keeps_the_retention_window(app):
    add_events(app, ("a@example.com", "old.one", "1", 40), ("a@example.com", "new.one", "2", 5))
    with app.app_context():
        set_setting("ops.OPS_AUDIT_RETENTION_DAYS", 30)
        db.session.commit()
        assert purge_audit_events() == 1
        actions = [e.action for e in db.session.execute(db.select(AuditEvent)).scalars()]
    assert "old.one" not in actions and "new.one" in actions and "ops.audit_purged" in actions


def test_hook_register_jobs_includes_the_purge(app):
    from zapdesk.scheduler import periodic_jobs

    with app.app_context():
        job = next(j for j in periodic_jobs() if j.name == "ops.purge_audit_events")
    assert job.func == "plugins.ops.jobs.purge_audit_events" and job.every_seconds == 3600


def test_scheduler_and_a_real_worker_purge(app):
    """The periodic job end to end: the scheduler enqueues it, `zapdesk worker --burst` runs it."""
    from zapdesk.scheduler import tick
    from zapdesk.testing import run_zapdesk

    add_events(app, ("a@example.com", "old.one", "1", 400), ("a@example.com", "new.one", "2", 1))
    assert "ops.purge_audit_events" in tick(app)
    result = run_zapdesk("worker", "--burst")
    assert result.returncode == 0, result.stderr[-2000:]
    with app.app_context():
        actions = {e.action: e for e in db.session.execute(db.select(AuditEvent)).scalars()}
    assert "old.one" not in actions and "new.one" in actions
    assert actions["ops.audit_purged"].detail == {"deleted": 1, "retention_days": 365}
