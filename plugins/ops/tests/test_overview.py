"""/ops/overview, /ops/overview.json, /metrics and the checks behind them, on the real
database and Redis of the session (and a real RQ worker for the worker check)."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from zapdesk.health import run_checks
from zapdesk.jobs import get_queue

OPS_CHECKS = ("database_size", "redis_memory", "worker_activity", "queues", "failed_scans",
              "nodes", "disk_media", "disk_database", "tls_certificates")


def checks_json(client) -> dict:
    response = client.get("/ops/overview.json")
    assert response.status_code == 200
    return response.json["checks"]


def test_overview_shows_every_check_of_the_hook(app, admin_client):
    with app.test_request_context():
        names = list(run_checks())
    assert set(OPS_CHECKS) <= set(names) and {"database", "redis", "workers"} <= set(names)
    html = admin_client.get("/ops/overview").get_data(as_text=True)
    for name in names:
        assert f'data-check="{name}"' in html
    assert 'hx-trigger="every 10s"' in html


@pytest.mark.parametrize("role", ["viewer", "engineer"])
def test_overview_is_for_admins_only(login_as, role):
    client = login_as(role)
    for path in ("/ops/overview", "/ops/overview.json", "/ops/actions", "/ops/audit", "/ops/settings"):
        assert client.get(path).status_code == 403, path


def test_anonymous_is_sent_to_login(client):
    response = client.get("/ops/overview")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_poller_fragment_and_pause(admin_client):
    fragment = admin_client.get("/ops/overview", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="ops-overview"') and "<html" not in fragment
    paused = admin_client.get("/ops/overview?paused=1", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "hx-trigger" not in paused.split(">", 1)[0], "a paused poller omits its trigger"
    assert "Resume auto-refresh" in paused


def test_database_size_and_redis_memory(admin_client):
    checks = checks_json(admin_client)
    assert checks["database_size"]["status"] == "ok" and checks["database_size"]["metrics"]["bytes"] > 0
    assert checks["redis_memory"]["metrics"]["used_memory_bytes"] > 0


def test_queue_depth_and_latency(app, admin_client):
    with app.app_context():
        job = get_queue("default").enqueue("plugins.ops.jobs.purge_audit_events")
        job.enqueued_at = datetime.now(timezone.utc) - timedelta(hours=2)
        job.save()
    check = checks_json(admin_client)["queues"]
    assert check["metrics"]["default_depth"] == 1 and check["metrics"]["scans_depth"] == 0
    assert check["metrics"]["default_latency_s"] >= 7200
    assert check["status"] == "fail"  # over the 900 s default failure threshold
    assert "default: 1 waiting" in check["detail"]


def test_worker_activity_sees_a_real_worker(app, admin_client, worker_process):
    worker_process()
    deadline = time.monotonic() + 30
    known_states = {"idle", "busy", "started"}
    while time.monotonic() < deadline:  # registered first, its state is written just after
        check = checks_json(admin_client)["worker_activity"]
        rows = check["metrics"].get("rows") or []
        if check["metrics"]["alive"] >= 1 and rows and rows[0]["state"] in known_states:
            break
        time.sleep(0.2)
    assert check["status"] == "ok" and check["metrics"]["alive"] == 1
    (row,) = check["metrics"]["rows"]
    assert row["queues"] == "scans, default" and row["state"] in known_states


def test_no_worker_is_a_warning_that_says_what_to_do(admin_client):
    check = checks_json(admin_client)["worker_activity"]
    assert check["status"] == "warn" and "zapdesk worker" in check["detail"]


def test_disk_thresholds_are_settings(app, admin_client):
    assert checks_json(admin_client)["disk_media"]["metrics"]["used_percent"] > 0
    from plugins.ops.settings import TUNABLES

    form = {t.key: int(t.default) for t in TUNABLES}
    form.update(OPS_DISK_WARN_PERCENT=1, OPS_DISK_FAIL_PERCENT=100)
    assert admin_client.post("/ops/settings", data=form).status_code == 302
    assert checks_json(admin_client)["disk_media"]["status"] == "warn"
