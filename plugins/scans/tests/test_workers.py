"""Fault tests with real processes: `zapdesk worker` and `zapdesk scheduler` subprocesses
on the session database, simulated ZAP nodes (a stand-in for ZAP) in this process.

A worker killed with SIGKILL mid-scan (a new worker finishes the scan, no duplicate
alerts) and Redis restarted, emptied, mid-scan (the scan still finishes). The test runs
its own redis-server on a free port; the shared Redis is never touched."""
import os
import signal
import subprocess
import time

import pytest

from plugins.scans import service
from plugins.scans.models import Scan
from zapdesk import embedded_redis
from zapdesk.extensions import db
from zapdesk.testing import free_port, start_zapdesk, stop_process

pytestmark = pytest.mark.slow
FAST_ENGINE = {"ZAPDESK_SCANS_TICK_LEASE_S": "3", "ZAPDESK_SCANS_TICK_INTERVAL_S": "0.3",
               "ZAPDESK_SCANS_PUMP_EVERY_S": "0.5", "ZAPDESK_SCANS_TICK_GRACE_S": "1", "ZAPDESK_SCANS_QUEUED_RECHECK_S": "0.5",
               "ZAPDESK_SCANS_NODE_RETRY_S": "20"}


@pytest.fixture
def engine_env(monkeypatch):
    for key, value in FAST_ENGINE.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def processes(tmp_path):
    """Start `zapdesk` subprocesses; their logs are printed when the test fails."""
    started, logs = [], []

    def _start(*args):
        log = tmp_path / f"{args[0]}-{len(started)}.log"
        proc = start_zapdesk(*args, stdout=subprocess.DEVNULL, stderr=open(log, "w"))
        started.append(proc)
        logs.append(log)
        return proc

    yield _start
    for log in logs:  # pytest shows captured output only for a failed test
        print(f"--- {log.name}\n" + log.read_text()[-3000:])
    for proc in started:
        stop_process(proc, timeout=3)


def wait_for(scan_id, predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        scan = db.session.get(Scan, scan_id)
        if predicate(scan):
            print(f"{time.strftime('%X')} scan {scan_id}: {scan.state}")
            return scan
        time.sleep(0.1)
    raise AssertionError(f"scan {scan_id} stuck in {scan.state}: {scan.queued_reason or scan.error}")


def start_scan(scan_setup, target_url: str) -> int:
    """Queued with its first tick due now; the scheduler's pump enqueues it."""
    from plugins.scans.launch import launch_scan

    target, profile = scan_setup(target_url + "/", kind="full")
    scan = launch_scan(target, profile, requested_by="test")
    print(f"{time.strftime('%X')} scan {scan.id} launched")
    return scan.id


def assert_clean_finish(scan, node):
    assert scan.state == "done", scan.error
    alerts = list(service.iter_raw_alerts(scan.id))
    assert len(alerts) == scan.alerts_count == len(node.sim.engine.alerts)
    keys = [(a["pluginId"], a["url"], a["method"], a["param"], a["id"]) for a in alerts]
    assert len(keys) == len(set(keys)), "no alert stored twice"
    return alerts


def start_private_redis(port: int, workdir) -> subprocess.Popen:
    proc = subprocess.Popen([embedded_redis.server_binary(), "--port", str(port), "--bind", "127.0.0.1",
                             "--save", "", "--appendonly", "no", "--dir", str(workdir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if redis.Redis(port=port, socket_timeout=0.5).ping():
                return proc
        except redis.ConnectionError:
            time.sleep(0.05)
    raise AssertionError("private redis-server did not start")


def test_worker_killed_then_redis_restarted_mid_scan(app_ctx, engine_env, registered_node, target_site,
                                                    processes, scan_setup, monkeypatch, tmp_path):
    """One scan lives through both: its worker is SIGKILLed during the spider (a new
    worker carries on), then Redis dies and comes back empty during the active scan."""
    port = free_port()
    redis_server = start_private_redis(port, tmp_path)
    try:
        monkeypatch.setenv("ZAPDESK_REDIS_URL", f"redis://127.0.0.1:{port}/0")
        node = registered_node(speed=1.5)
        scan_id = start_scan(scan_setup, target_site)
        processes("scheduler", "--interval", "0.2")
        first = processes("worker")
        wait_for(scan_id, lambda s: s.state == "spider")
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        second = processes("worker")
        wait_for(scan_id, lambda s: s.state == "active")
        redis_server.kill()
        redis_server.wait()
        time.sleep(1.0)  # Redis stays away for a moment (not a timing assertion)
        redis_server = start_private_redis(port, tmp_path)
        scan = wait_for(scan_id, lambda s: s.is_finished, timeout=90)
        assert second.poll() is None, "the worker survived the Redis restart"
        assert_clean_finish(scan, node)
        assert len(scan.attempts) == 1, "the same attempt carried on: nothing was lost or redone"
    finally:
        redis_server.kill()
        redis_server.wait()
