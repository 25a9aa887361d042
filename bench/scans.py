"""Scans: one `zapdesk worker` process (plus a `zapdesk scheduler` for the pump) drives
100 concurrent full scans across 20 simulated ZAP nodes (a stand-in for ZAP, not a
scanner; capacity 5 each), against 10 local target sites.

Figures: ticks per second, worker CPU per tick, and the lag between a node finishing
its active scan and zapdesk noticing (the active phase's end as recorded by the engine).
Runs in a throw-away instance (SQLite + embedded Redis by default; set
BENCH_DATABASE_URL / BENCH_REDIS_URL to use PostgreSQL / a Redis server).

  python -m bench.run scans
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NODES, CAPACITY, SITES, SCANS, SPEED = 20, 5, 10, 100, 0.6
DEADLINE_S = 150


def fresh_app():
    import flask_migrate

    from zapdesk import create_app

    os.environ.update(ZAPDESK_INSTANCE_PATH=tempfile.mkdtemp(prefix="zapdesk-bench-scans-"),
                      ZAPDESK_SETUP_REQUIRED="false", ZAPDESK_LOG_LEVEL="WARNING")
    for name in ("DATABASE_URL", "REDIS_URL"):
        value = os.environ.get(f"BENCH_{name}")
        os.environ.pop(f"ZAPDESK_{name}", None) if not value else os.environ.update({f"ZAPDESK_{name}": value})
    app = create_app({"TESTING": True})
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
    return app


def start_pool():
    from plugins.nodes.service import add_node
    from plugins.nodes.simulator import start_simulator
    from plugins.nodes.simulator.target_site import start_target_site

    sims = [start_simulator(api_key="bench", speed=SPEED) for _ in range(NODES)]
    sites = [start_target_site() for _ in range(SITES)]
    rows = [add_node(f"bench-{i}", sim.url, "bench", capacity=CAPACITY) for i, sim in enumerate(sims)]
    return {row.id: sim for row, sim in zip(rows, sims)}, sites


def launch_all(sites) -> list[int]:
    from plugins.profiles import service as profiles
    from plugins.scans.launch import launch_scan
    from zapdesk.extensions import db

    profile = profiles.save_profile(None, {"name": "bench-full", "kind": "full", "max_duration_s": 600})
    targets = [profiles.get_or_create_target(site.url + "/", project_name="Bench") for site in sites]
    db.session.commit()
    return [launch_scan(targets[i % len(targets)], profile, requested_by="bench").id for i in range(SCANS)]


def zapdesk(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "zapdesk", *args], env=dict(os.environ),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its waited-for children (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def wait_until_finished(scan_ids, started: float) -> tuple[list, int]:
    from plugins.scans.models import Scan
    from zapdesk.extensions import db

    peak = 0
    while time.monotonic() - started < DEADLINE_S:
        db.session.expire_all()
        scans = db.session.query(Scan).filter(Scan.id.in_(scan_ids)).all()
        peak = max(peak, sum(1 for s in scans if s.state not in ("queued", "done", "failed", "cancelled", "timed_out")))
        if all(s.is_finished for s in scans):
            return scans, peak
        time.sleep(0.5)
    return scans, peak


def notice_lags(scans, sims) -> list[float]:
    """Seconds from the simulated node finishing the active scan to zapdesk recording it."""
    offset = time.time() - time.monotonic()
    lags = []
    for scan in scans:
        ascan = sims[scan.node_id].engine.ascans.get(int(scan.zap_ids.get("ascan", -1)))
        noticed = scan.zap_ids.get("timings", {}).get("active", {}).get("end")
        if ascan is not None and noticed:
            lags.append(noticed - (ascan.started + ascan.duration + offset))
    return lags


def stop_embedded_redis(app) -> None:
    """Leave nothing running: the embedded Redis of the throw-away instance goes too."""
    from zapdesk import embedded_redis

    if not app.config.get("REDIS_URL"):
        embedded_redis.stop(app.instance_path)


def run() -> list[dict]:
    app = fresh_app()
    with app.app_context():
        from zapdesk.jobs import get_redis

        get_redis().ping()  # start the embedded Redis here, before the worker races to
        sims, sites = start_pool()
        env = {"ZAPDESK_SCANS_PUMP_EVERY_S": "2"}
        os.environ.update(env)
        worker, scheduler = zapdesk("worker"), zapdesk("scheduler")
        try:
            time.sleep(3)  # let the worker load before the clock starts
            cpu_before, started = cpu_seconds(worker.pid), time.monotonic()
            scan_ids = launch_all(sites)
            scans, peak = wait_until_finished(scan_ids, started)
            wall, cpu = time.monotonic() - started, cpu_seconds(worker.pid) - cpu_before
            ticks = sum(s.tick for s in scans)
            lags = notice_lags(scans, sims)
        finally:
            for proc in (worker, scheduler):
                proc.terminate()
                proc.wait(timeout=30)
            for sim in sims.values():
                sim.stop()
            for site in sites:
                site.stop()
            stop_embedded_redis(app)
    states = {state: sum(1 for s in scans if s.state == state) for state in {s.state for s in scans}}
    return [{"figure": "100 concurrent full scans, 20 nodes, 1 worker", "scans": SCANS, "nodes": NODES,
             "peak_running": peak, "states": states, "wall_s": round(wall, 1), "ticks": ticks,
             "ticks_per_s": round(ticks / wall, 1), "worker_cpu_s": round(cpu, 2),
             "cpu_ms_per_tick": round(cpu / ticks * 1000, 2) if ticks else None,
             "notice_lag_s_median": round(statistics.median(lags), 2) if lags else None,
             "notice_lag_s_p95": round(sorted(lags)[int(len(lags) * 0.95) - 1], 2) if lags else None,
             "notice_lag_s_max": round(max(lags), 2) if lags else None,
             "tick_interval_s": app.config["SCANS_TICK_INTERVAL_S"], "sim_speed": SPEED}]
