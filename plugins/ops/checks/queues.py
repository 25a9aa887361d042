"""Redis, RQ worker and queue checks: memory, what each worker runs, queue depth and
latency (the age of the oldest job still waiting)."""
from __future__ import annotations

from datetime import datetime, timezone

from rq import Queue, Worker

from zapdesk.contracts import CheckResult
from zapdesk.jobs import QUEUES, get_redis

from ..settings import threshold
from .levels import level

MB = 1024 * 1024


def check_redis_memory() -> CheckResult:
    try:
        info = get_redis().info("memory")
    except Exception as exc:
        return CheckResult("fail", f"redis unreachable: {type(exc).__name__}")
    used = int(info.get("used_memory", 0))
    limit_mb = threshold("OPS_REDIS_MEMORY_WARN_MB")
    status = "warn" if used >= limit_mb * MB else "ok"
    detail = f"{used / MB:.1f} MB used" + (f" (warning at {limit_mb:g} MB)" if status == "warn" else "")
    return CheckResult(status, detail, {"used_memory_bytes": used,
                                        "maxmemory_bytes": int(info.get("maxmemory", 0))})


def age_seconds(moment: datetime | None) -> float | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (datetime.now(timezone.utc) - moment).total_seconds())


def worker_row(worker: Worker) -> dict:
    job = worker.get_current_job()
    heartbeat_age = age_seconds(worker.last_heartbeat)
    stale = heartbeat_age is None or heartbeat_age > worker.worker_ttl + 60
    return {"name": worker.name, "state": "stale" if stale else worker.get_state(),
            "job": job.func_name if job is not None else "",
            "queues": ", ".join(worker.queue_names()),
            "heartbeat_age_s": None if heartbeat_age is None else round(heartbeat_age, 1),
            "done": worker.successful_job_count, "failed": worker.failed_job_count}


def check_worker_activity() -> CheckResult:
    try:
        rows = sorted((worker_row(w) for w in Worker.all(connection=get_redis())),
                      key=lambda r: r["name"])
    except Exception as exc:
        return CheckResult("fail", f"cannot list workers: {type(exc).__name__}")
    alive = [r for r in rows if r["state"] != "stale"]
    busy = sum(1 for r in alive if r["job"])
    metrics = {"alive": len(alive), "busy": busy, "stale": len(rows) - len(alive), "rows": rows}
    if not alive:
        return CheckResult("warn", "no worker alive by heartbeat: start `zapdesk worker`", metrics)
    if len(alive) < len(rows):
        return CheckResult("warn", f"{len(alive)} alive, {len(rows) - len(alive)} stale heartbeat", metrics)
    return CheckResult("ok", f"{len(alive)} alive, {busy} busy", metrics)


def oldest_waiting_age(queue: Queue) -> float:
    for job_id in queue.get_job_ids(0, 4):
        job = queue.fetch_job(job_id)
        if job is not None and job.enqueued_at is not None:
            return age_seconds(job.enqueued_at) or 0.0
    return 0.0


def queue_row(name: str) -> dict:
    queue = Queue(name, connection=get_redis())
    return {"queue": name, "depth": queue.count, "latency_s": round(oldest_waiting_age(queue), 1),
            "scheduled": queue.scheduled_job_registry.count,
            "failed": queue.failed_job_registry.count}


def check_queues() -> CheckResult:
    try:
        rows = [queue_row(name) for name in QUEUES]
    except Exception as exc:
        return CheckResult("fail", f"cannot read the queues: {type(exc).__name__}")
    worst = max(r["latency_s"] for r in rows)
    status = level(worst, threshold("OPS_QUEUE_LATENCY_WARN_SECONDS"),
                   threshold("OPS_QUEUE_LATENCY_FAIL_SECONDS"))
    detail = "; ".join(f"{r['queue']}: {r['depth']} waiting, oldest {r['latency_s']:.0f} s" for r in rows)
    metrics = {f"{r['queue']}_{key}": r[key] for r in rows for key in ("depth", "latency_s", "failed")}
    return CheckResult(status, detail, {**metrics, "rows": rows})
