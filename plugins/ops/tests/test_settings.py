"""/ops/settings: thresholds and retention saved all-or-nothing, validated and audited."""
from __future__ import annotations

from zapdesk.extensions import db
from zapdesk.models import AuditEvent, get_setting

from plugins.ops.settings import TUNABLES


def defaults() -> dict:
    return {t.key: int(t.default) for t in TUNABLES}


def test_settings_page_shows_every_tunable(admin_client):
    html = admin_client.get("/ops/settings").get_data(as_text=True)
    for tunable in TUNABLES:
        assert f'name="{tunable.key}"' in html and tunable.label in html


def test_saving_is_audited(app, admin_client):
    form = dict(defaults(), OPS_CERT_WARN_DAYS=30, OPS_AUDIT_RETENTION_DAYS=90)
    assert admin_client.post("/ops/settings", data=form).status_code == 302
    with app.app_context():
        assert get_setting("ops.OPS_CERT_WARN_DAYS") == 30
        event = db.session.execute(db.select(AuditEvent).where(
            AuditEvent.action == "ops.settings_changed")).scalar_one()
        assert event.detail["changed"] == {"OPS_CERT_WARN_DAYS": 30, "OPS_AUDIT_RETENTION_DAYS": 90}


def test_bad_input_saves_nothing(app, admin_client):
    form = dict(defaults(), OPS_CERT_WARN_DAYS=30, OPS_DISK_WARN_PERCENT="lots",
                OPS_QUEUE_LATENCY_WARN_SECONDS=100, OPS_QUEUE_LATENCY_FAIL_SECONDS=50,
                OPS_AUDIT_RETENTION_DAYS=0)
    response = admin_client.post("/ops/settings", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a number." in html and "Must be at least the warning level." in html
    assert "Between 1 and 36500." in html
    with app.app_context():
        assert get_setting("ops.OPS_CERT_WARN_DAYS") is None
