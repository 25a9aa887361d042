"""Ops: how long the overview's checks take, /metrics rendering, the audit CSV export and
an ops agent round trip (real agent over loopback HTTP, fake `docker` that only echoes).

Runs in a throw-away instance (SQLite + embedded Redis) with 20 registered nodes, 2,000
queued jobs and 50,000 audit events.

  python -m bench.run ops
"""
from __future__ import annotations

import os
import secrets
import stat
import sys
import tempfile
import threading
import time
from pathlib import Path

NODES, JOBS, EVENTS = 20, 2000, 50_000


def fresh_app():
    import flask_migrate

    from zapdesk import create_app

    os.environ.update(ZAPDESK_INSTANCE_PATH=tempfile.mkdtemp(prefix="zapdesk-bench-ops-"),
                      ZAPDESK_SETUP_REQUIRED="false")
    for name in ("ZAPDESK_DATABASE_URL", "ZAPDESK_REDIS_URL"):
        os.environ.pop(name, None)
    app = create_app({"TESTING": True, "METRICS_TOKEN": "bench-token"})
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
    return app


def seed(app) -> None:
    from plugins.nodes.models import ZapNode
    from zapdesk.extensions import db
    from zapdesk.jobs import get_queue
    from zapdesk.models import AuditEvent, utcnow

    with app.app_context():
        db.session.add_all(ZapNode(name=f"n{i}", base_url=f"http://n{i}.bench:8080", kind="external",
                                   status="healthy", api_key_encrypted="") for i in range(NODES))
        now = utcnow()
        db.session.execute(db.insert(AuditEvent), [
            {"at": now, "actor": f"user{i % 30}@bench", "action": "node.add", "object_type": "zapnode",
             "object_id": str(i), "outcome": "ok", "ip": "127.0.0.1", "detail": {"n": i}} for i in range(EVENTS)])
        db.session.commit()
        queue = get_queue("default")
        for _ in range(JOBS):
            queue.enqueue("plugins.ops.jobs.purge_audit_events")


def timed(fn, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def web_figures(app) -> list[dict]:
    from zapdesk.health import run_checks

    client = app.test_client()
    with app.test_request_context():
        checks_ms = timed(run_checks)
    metrics_ms = timed(lambda: client.get("/metrics", headers={"Authorization": "Bearer bench-token"}))
    with app.test_request_context():
        from plugins.ops.audit_query import AuditFilters, csv_row, iter_events

        started = time.perf_counter()
        rows = sum(1 for event in iter_events(AuditFilters()) if csv_row(event))
        csv_s = time.perf_counter() - started
    return [{"figure": "run_checks (all health checks)", "best_ms": checks_ms, "nodes": NODES, "queued_jobs": JOBS},
            {"figure": "/metrics request", "best_ms": metrics_ms},
            {"figure": "audit CSV rows", "rows": rows, "seconds": round(csv_s, 2),
             "rows_per_s": int(rows / csv_s)}]


def agent_figures(app) -> list[dict]:
    from werkzeug.serving import make_server

    from plugins.ops.agent.app import AgentSettings, OpsAgent
    from plugins.ops.agent_client import AgentConfig, call_agent

    folder = Path(tempfile.mkdtemp(prefix="zapdesk-bench-docker-"))
    docker = folder / "docker"
    docker.write_text(f"#!{sys.executable}\nprint('ok')\n")
    docker.chmod(docker.stat().st_mode | stat.S_IXUSR)
    token = secrets.token_urlsafe(32)
    server = make_server("127.0.0.1", 0, OpsAgent(AgentSettings(token, str(folder), docker=str(docker)),
                                                 audit=lambda *a, **k: None), threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    config = AgentConfig(True, f"http://127.0.0.1:{server.server_port}", token, 3.0, 30.0)
    try:
        ping_ms = timed(lambda: call_agent(config, "GET", "/v1/ping"), repeat=20)
        action_ms = timed(lambda: call_agent(config, "POST", "/v1/actions", {"action": "status"}), repeat=10)
    finally:
        server.shutdown()
    return [{"figure": "agent ping round trip", "best_ms": ping_ms},
            {"figure": "agent status action (fake docker process)", "best_ms": action_ms}]


def stop_embedded_redis(app) -> None:
    from zapdesk import embedded_redis

    embedded_redis.stop(app.instance_path)


def run() -> list[dict]:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = fresh_app()
    try:
        seed(app)
        return web_figures(app) + agent_figures(app)
    finally:
        stop_embedded_redis(app)
