"""Each simulator fault (a stand-in for ZAP with the nodes plugin's fault switch) hitting
a running scan; the engine is ticked in this process. Worker kills and Redis restarts,
with real worker subprocesses, are in test_workers.py."""
import pytest

from plugins.scans import service
from plugins.scans.launch import launch_scan
from plugins.scans.tests.conftest import drive


@pytest.fixture(autouse=True)
def short_windows(app, monkeypatch):
    monkeypatch.setitem(app.config, "SCANS_NODE_RETRY_S", 0.3)
    monkeypatch.setitem(app.config, "SCANS_STUCK_AFTER_S", 0.5)
    monkeypatch.setitem(app.config, "NODE_TIMEOUT", 2.0)


def running(scan):
    return scan.state in ("spider", "passive_wait", "active")


@pytest.mark.parametrize("fault, message", [
    ("refuse", "did not answer properly"),
    ("error500", "internal_error"),
    ("malformed", "did not answer properly"),
    ("html", "did not answer properly"),
    ("bad_key", "API key rejected"),
    ("stuck:30", "stuck: no progress"),
])
def test_a_fault_mid_scan_fails_it_with_the_reason(app_ctx, registered_node, target_site, scan_setup, fault, message):
    node = registered_node(speed=3)
    target, profile = scan_setup(target_site + "/", kind="full")
    scan = drive(launch_scan(target, profile).id, until=running)
    node.sim.set_fault(fault)
    scan = drive(scan.id)
    assert scan.state == "failed", scan.error
    assert message in scan.error and "no other healthy node" in scan.error
    assert scan.attempts[-1]["outcome"] == "failed" and not scan.finished_notified
    assert list(service.iter_raw_alerts(scan.id)) == [], "a failed attempt is never reported as clean"


def test_a_slow_node_still_completes(app_ctx, registered_node, target_site, scan_setup):
    node = registered_node()
    target, profile = scan_setup(target_site + "/")
    node.sim.set_fault("slow:0.1")
    scan = drive(launch_scan(target, profile).id)
    assert scan.state == "done", scan.error


def test_a_dying_node_fails_over_once_to_another_node(app_ctx, registered_node, target_site, scan_setup):
    first = registered_node(name="first", speed=3, capacity=5)
    second = registered_node(name="second", capacity=1)
    target, profile = scan_setup(target_site + "/", kind="full")
    scan = drive(launch_scan(target, profile).id, until=running)
    assert scan.node_id == first.id, "the node with the most free slots is chosen"
    first.sim.set_fault("die:20")
    scan = drive(scan.id)
    assert scan.state == "done", scan.error
    assert [a["node"] for a in scan.attempts] == ["first", "second"]
    assert [a["outcome"] for a in scan.attempts] == ["failed", "done"] and scan.attempt == 2


def test_failover_happens_only_once(app_ctx, registered_node, target_site, scan_setup):
    first = registered_node(name="a", speed=3, capacity=5)
    second = registered_node(name="b", speed=3, capacity=1)
    target, profile = scan_setup(target_site + "/", kind="full")
    scan = drive(launch_scan(target, profile).id, until=running)
    first.sim.set_fault("die:10")
    scan = drive(scan.id, until=lambda s: s.attempt == 2 and running(s))
    second.sim.set_fault("error500")
    scan = drive(scan.id)
    assert scan.state == "failed" and "internal_error" in scan.error and len(scan.attempts) == 2
