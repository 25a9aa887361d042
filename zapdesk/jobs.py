"""RQ helpers. Jobs take ids, run inside an app context, and have explicit timeouts.

Queues: `scans` (short scan ticks, kept apart so report rendering never delays a tick)
and `default` (everything else).
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import redis
from flask import current_app
from rq import Queue

from . import embedded_redis

QUEUES = ("scans", "default")


def redis_url(app) -> str:
    """The configured Redis, or the embedded one (started on first use)."""
    configured = app.config.get("REDIS_URL")
    if configured:
        return configured
    return embedded_redis.ensure_started(app.instance_path)


def get_redis(app=None) -> redis.Redis:
    app = app or current_app._get_current_object()
    conn = app.extensions.get("zapdesk_redis")
    if conn is None:
        conn = redis.Redis.from_url(redis_url(app), socket_timeout=10, socket_connect_timeout=5,
                                    health_check_interval=30)
        app.extensions["zapdesk_redis"] = conn
    return conn


def get_queue(name: str = "default", app=None) -> Queue:
    if name not in QUEUES:
        raise ValueError(f"unknown queue {name!r}; known: {', '.join(QUEUES)}")
    return Queue(name, connection=get_redis(app))


def enqueue(func: str, *args: Any, queue: str = "default", timeout: int | None = None,
            delay: float | None = None, job_id: str | None = None, **kwargs: Any):
    """Enqueue `func` (a dotted path, so the web process never imports job code) with
    plain arguments (ids). `delay` seconds defers it via RQ's scheduler (workers run one)."""
    timeout = timeout or current_app.config["JOB_TIMEOUT"]
    q = get_queue(queue)
    options = dict(job_timeout=timeout, result_ttl=3600, failure_ttl=7 * 86400, job_id=job_id)
    if delay:
        return q.enqueue_in(timedelta(seconds=delay), func, *args, **kwargs, **options)
    return q.enqueue(func, *args, **kwargs, **options)
