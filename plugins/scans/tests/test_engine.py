"""The scan state machine against simulated ZAP nodes (a stand-in for ZAP over real HTTP),
ticked in this process; the real-worker fault tests are in test_faults.py."""
from plugins.scans import service
from plugins.scans.launch import launch_scan
from plugins.scans.tests.conftest import drive


def test_baseline_scan_reaches_done_with_evidence(app_ctx, registered_node, target_site, scan_setup):
    node = registered_node(name="n1")
    target, profile = scan_setup(target_site + "/")
    scan = launch_scan(target, profile, requested_by="test")
    scan = drive(scan.id)
    assert scan.state == "done", scan.error
    assert scan.node_id == node.id and scan.phases == ["spider", "passive_wait"]
    alerts = list(service.iter_raw_alerts(scan.id))
    assert scan.alerts_count == len(alerts) > 0
    assert scan.raw_bytes > 0 and len(scan.raw_sha256) == 64
    urls = list(service.iter_scanned_urls(scan.id))
    assert scan.urls_count == len(urls) > 0 and scan.messages_count > 0
    assert scan.finished_notified and scan.attempts[-1]["outcome"] == "done"
