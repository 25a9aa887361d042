"""The scan state machine against simulated ZAP nodes (a stand-in for ZAP over real HTTP),
ticked in this process; the real-worker fault tests are in test_workers.py."""
import threading

import pytest

from plugins.scans import service
from plugins.scans.engine import advance
from plugins.scans.launch import cancel_scan, launch_scan
from plugins.scans.models import Scan
from plugins.scans.tests.conftest import drive, tick
from zapdesk.extensions import db


@pytest.fixture
def fast(app, monkeypatch):
    """Short engine windows so fault paths finish within a test."""
    for key, value in {"SCANS_NODE_RETRY_S": 0.5, "SCANS_STUCK_AFTER_S": 1.0}.items():
        monkeypatch.setitem(app.config, key, value)
    return app


def node_row(node_id):
    from plugins.nodes.service import get_node

    db.session.expire_all()
    return get_node(node_id)


def test_baseline_scan_reaches_done_with_evidence(app_ctx, registered_node, target_site, scan_setup):
    node = registered_node(name="n1")
    target, profile = scan_setup(target_site + "/")
    scan = drive(launch_scan(target, profile, requested_by="test").id)
    assert scan.state == "done", scan.error
    assert scan.node_id == node.id and scan.phases == ["spider", "passive_wait"]
    alerts = list(service.iter_raw_alerts(scan.id))
    assert scan.alerts_count == len(alerts) > 0
    assert scan.raw_bytes > 0 and len(scan.raw_sha256) == 64
    urls = list(service.iter_scanned_urls(scan.id))
    assert scan.urls_count == len(urls) > 0 and scan.messages_count > 0
    assert scan.finished_notified and scan.attempts[-1]["outcome"] == "done"
    assert node_row(node.id).running_scans == 0, "the slot is given back"


def test_full_scan_with_ajax_spider_and_alert_filters(app_ctx, registered_node, target_site, scan_setup):
    registered_node()
    target, profile = scan_setup(target_site + "/", kind="full", ajax_spider=True, ajax_spider_max_duration_min=1,
                                 alert_filters="10021 ignore\n10038 High")
    scan = drive(launch_scan(target, profile).id)
    assert scan.state == "done", scan.error
    assert scan.phases == ["spider", "ajax_spider", "passive_wait", "active"]
    alerts = list(service.iter_raw_alerts(scan.id))
    assert not [a for a in alerts if a["pluginId"] == "10021"], "ignored rule dropped"
    assert all(a["risk"] == "High" for a in alerts if a["pluginId"] == "10038")
    assert scan.zap_ids["spider_urls"] > 0


def test_duplicate_ticks_never_advance_a_scan_twice(app_ctx, registered_node, target_site, scan_setup):
    registered_node()
    target, profile = scan_setup(target_site + "/")
    scan = launch_scan(target, profile)
    expected = scan.tick
    results = []

    def run():
        with app_ctx.app_context():
            results.append(advance(scan.id, expected))
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results).count("stale") == 3, results
    assert advance(scan.id, expected) == "stale", "a late duplicate is dropped"


def test_no_healthy_node_keeps_the_scan_queued_with_a_reason(app_ctx, registered_node, target_site, scan_setup):
    target, profile = scan_setup(target_site + "/")
    scan = launch_scan(target, profile)
    tick(scan.id)
    db.session.expire_all()
    assert db.session.get(Scan, scan.id).queued_reason.startswith("no ZAP node is registered")
    registered_node(fault="refuse")
    tick(scan.id)
    db.session.expire_all()
    scan = db.session.get(Scan, scan.id)
    assert scan.state == "queued" and "no healthy ZAP node (1 registered" in scan.queued_reason


def test_profile_pinned_to_a_disabled_node(app_ctx, registered_node, target_site, scan_setup):
    from plugins.nodes.service import get_node, set_enabled
    from plugins.profiles.validation import ValidationError

    node = registered_node(name="pinned")
    target, profile = scan_setup(target_site + "/", pinned_node_id=node.id)
    set_enabled(get_node(node.id), False)
    with pytest.raises(ValidationError) as err:
        scan_setup(target_site + "/", pinned_node_id=node.id)
    assert "disabled" in err.value.errors["pinned_node_id"]
    scan = launch_scan(target, profile)
    tick(scan.id)
    db.session.expire_all()
    scan = db.session.get(Scan, scan.id)
    assert scan.state == "queued" and "pinned node pinned is disabled" in scan.queued_reason


def test_capacity_is_never_exceeded(app_ctx, registered_node, target_site, scan_setup):
    node = registered_node(capacity=1)
    target, profile = scan_setup(target_site + "/")
    first, second = launch_scan(target, profile), launch_scan(target, profile)
    tick(first.id)
    tick(second.id)
    db.session.expire_all()
    assert db.session.get(Scan, first.id).state == "starting"
    second_row = db.session.get(Scan, second.id)
    assert second_row.state == "queued" and "busy" in second_row.queued_reason
    assert node_row(node.id).running_scans == 1
    drive(first.id)
    assert drive(second.id).state == "done"


def test_cancel_stops_a_running_scan(app_ctx, registered_node, target_site, scan_setup):
    node = registered_node(speed=2)
    target, profile = scan_setup(target_site + "/", kind="full")
    scan = drive(launch_scan(target, profile).id, until=lambda s: s.state == "spider")
    assert cancel_scan(scan, actor="tester") == "cancel requested"
    scan = drive(scan.id)
    assert scan.state == "cancelled" and scan.error == "cancelled by tester"
    assert node_row(node.id).running_scans == 0
    assert node.sim.engine.spiders[0].stopped_at is not None


def test_cancel_of_a_queued_scan_is_immediate(app_ctx, target_site, scan_setup):
    target, profile = scan_setup(target_site + "/")
    scan = launch_scan(target, profile)
    assert cancel_scan(scan, actor="tester") == "cancelled"
    assert advance(scan.id, 0) == "stale"


def test_timeout_stops_the_zap_scan(app_ctx, registered_node, target_site, scan_setup):
    node = registered_node(speed=1)
    target, profile = scan_setup(target_site + "/", kind="full", max_duration_s=30)
    scan = drive(launch_scan(target, profile).id, until=lambda s: s.state == "spider")
    db.session.execute(db.update(Scan).where(Scan.id == scan.id).values(started_at=scan.started_at.replace(year=2000)))
    db.session.commit()
    scan = drive(scan.id)
    assert scan.state == "timed_out" and "maximum duration (30s) in spider" in scan.error
    assert node.sim.engine.spiders[0].stopped_at is not None and node_row(node.id).running_scans == 0


def test_scan_finished_fires_exactly_once(app_ctx, registered_node, target_site, scan_setup):
    from zapdesk.hookspecs import hookimpl

    fired = []

    class Listener:
        @hookimpl
        def scan_finished(self, scan):
            fired.append(scan.id)

    pm = app_ctx.extensions["zapdesk_plugins"]
    pm.register(Listener(), name="listener")
    try:
        registered_node()
        target, profile = scan_setup(target_site + "/")
        scan = drive(launch_scan(target, profile).id)
        assert service.fire_scan_finished(scan) is False
        from plugins.scans.jobs import fire_missed_scan_finished

        assert fire_missed_scan_finished() == 0
    finally:
        pm.unregister(name="listener")
    assert fired == [scan.id]


def write_spec(app, paths: dict) -> str:
    import json
    from pathlib import Path

    relative = f"openapi/test-{len(paths)}.json"
    path = Path(app.config["MEDIA_PATH"]) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": paths}))
    return relative


def test_api_scan_imports_the_definition(app_ctx, registered_node, target_site, scan_setup):
    registered_node()
    spec = write_spec(app_ctx, {"/search": {"get": {}}, "/products": {"get": {}}})
    target, profile = scan_setup(target_site + "/", kind="api", openapi_file=spec)
    scan = drive(launch_scan(target, profile).id)
    assert scan.state == "done", scan.error
    assert scan.phases == ["openapi", "passive_wait", "active"] and scan.zap_ids["openapi_urls"] >= 2


def test_api_import_without_urls_fails_loudly(app_ctx, registered_node, target_site, scan_setup):
    registered_node()
    spec = write_spec(app_ctx, {})
    target, profile = scan_setup(target_site + "/", kind="api", openapi_file=spec)
    scan = drive(launch_scan(target, profile).id)
    assert scan.state == "failed" and "OpenAPI import added no URLs" in scan.error


def test_a_rescan_on_the_same_node_reports_only_what_it_found(app_ctx, registered_node, scan_setup):
    """A long-lived ZAP node keeps every alert of its session: a page removed between two
    scans must not be reported by the second one (or evolution could never resolve it)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    pages = {"/": b'<a href="/old?id=1">old</a><a href="/kept">kept</a>', "/old": b"old page", "/kept": b"kept"}

    class Site(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = pages.get(self.path.split("?")[0])
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    site = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        registered_node(name="only")
        base = f"http://127.0.0.1:{site.server_address[1]}"
        target, profile = scan_setup(base + "/")
        first = drive(launch_scan(target, profile).id)
        assert any("/old" in a["url"] for a in service.iter_raw_alerts(first.id))
        pages["/"] = b'<a href="/kept">kept</a>'
        del pages["/old"]
        second = drive(launch_scan(target, profile).id)
        assert second.state == "done", second.error
        assert second.node_id == first.node_id
        assert not any("/old" in a["url"] for a in service.iter_raw_alerts(second.id))
        assert any("/kept" in a["url"] for a in service.iter_raw_alerts(second.id))
    finally:
        site.shutdown(), site.server_close()
