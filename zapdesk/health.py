"""Core health checks (database, redis, workers) and the runner behind /health."""
from __future__ import annotations

import time

from flask import current_app
from rq import Worker
from sqlalchemy import text

from .contracts import Check, CheckResult
from .extensions import db
from .hookspecs import hookimpl
from .jobs import get_redis
from .plugins import flatten, get_plugin_manager


def check_database() -> CheckResult:
    started = time.perf_counter()
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "unreachable" to the operator
        db.session.rollback()
        return CheckResult("fail", f"database unreachable: {type(exc).__name__}")
    latency = (time.perf_counter() - started) * 1000
    return CheckResult("ok", f"{db.engine.dialect.name}, {latency:.1f} ms",
                       {"latency_ms": round(latency, 2), "dialect": db.engine.dialect.name})


def check_redis() -> CheckResult:
    started = time.perf_counter()
    try:
        get_redis().ping()
    except Exception as exc:
        return CheckResult("fail", f"redis unreachable: {type(exc).__name__}")
    latency = (time.perf_counter() - started) * 1000
    return CheckResult("ok", f"{latency:.1f} ms", {"latency_ms": round(latency, 2)})


def check_workers() -> CheckResult:
    try:
        workers = Worker.all(connection=get_redis())
    except Exception as exc:
        return CheckResult("fail", f"cannot list workers: {type(exc).__name__}")
    if not workers:
        return CheckResult("warn", "no worker has sent a heartbeat; jobs stay pending",
                           {"count": 0})
    names = sorted(w.name for w in workers)
    return CheckResult("ok", f"{len(workers)} alive", {"count": len(workers), "names": names})


@hookimpl
def health_checks():
    return [
        Check("database", check_database, critical=True, order=0),
        Check("redis", check_redis, critical=True, order=1),
        Check("workers", check_workers, critical=False, order=2),
    ]


def run_checks(only_critical: bool = False) -> dict[str, dict]:
    checks = sorted(flatten(get_plugin_manager().hook.health_checks()), key=lambda c: c.order)
    out: dict[str, dict] = {}
    for check in checks:
        if only_critical and not check.critical:
            continue
        try:
            result = check.run()
        except Exception as exc:
            current_app.logger.exception("health check %s raised", check.name)
            result = CheckResult("fail", f"check raised {type(exc).__name__}")
        out[check.name] = {"status": result.status, "detail": result.detail,
                           "critical": check.critical, **({"metrics": result.metrics} if result.metrics else {})}
    return out


def overall(results: dict[str, dict]) -> str:
    if any(r["status"] == "fail" and r["critical"] for r in results.values()):
        return "fail"
    if any(r["status"] != "ok" for r in results.values()):
        return "degraded"
    return "ok"
