"""`zapdesk scheduler`: enqueues the periodic jobs plugins declare via `register_jobs`.

Several schedulers may run (compose scale, an embedded run beside a server): each period
of each job is claimed with one Redis `SET NX PX`, so a job is enqueued once per period
however many schedulers are alive.
"""
from __future__ import annotations

import logging
import threading
import time

from .contracts import PeriodicJob
from .jobs import get_queue, get_redis
from .plugins import flatten, get_plugin_manager

log = logging.getLogger(__name__)
CLAIM_PREFIX = "zapdesk:periodic:"


def periodic_jobs() -> list[PeriodicJob]:
    return flatten(get_plugin_manager().hook.register_jobs())


def claim(conn, job: PeriodicJob) -> bool:
    """True for exactly one caller per `every_seconds` window."""
    ttl_ms = max(int(job.every_seconds * 1000), 1)
    return bool(conn.set(CLAIM_PREFIX + job.name, str(time.time()), nx=True, px=ttl_ms))


def tick(app) -> list[str]:
    """Enqueue every job whose period is due; return the names enqueued."""
    enqueued = []
    with app.app_context():
        conn = get_redis()
        for job in periodic_jobs():
            if claim(conn, job):
                get_queue(job.queue).enqueue(job.func, *job.args, job_timeout=job.timeout,
                                             result_ttl=600, failure_ttl=86400)
                enqueued.append(job.name)
    return enqueued


def run_scheduler(app, interval: float = 1.0, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    log.info("scheduler started with %d periodic jobs", len(periodic_jobs()))
    while not stop.is_set():
        try:
            for name in tick(app):
                log.debug("enqueued periodic job %s", name)
        except Exception:  # a Redis blip must not kill the scheduler; it retries next tick
            log.exception("scheduler tick failed; retrying")
        stop.wait(interval)
