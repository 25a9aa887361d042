"""`zapdesk worker`: RQ workers with the Flask app loaded once, before any fork.

Each job runs inside an app context, and the SQLAlchemy session is removed after it.
The default worker runs jobs in its own process (scan ticks are short and frequent, so a
fork per job would cost more than the job); `--fork` runs each job in a forked work horse
for isolation, `--processes N` forks N worker processes after the app is loaded.
"""
from __future__ import annotations

import logging
import os
import signal
import time

import redis

from rq import SimpleWorker, Worker

from .extensions import db
from .jobs import QUEUES, get_queue, get_redis

log = logging.getLogger(__name__)


class AppContextMixin:
    flask_app = None  # set on the class by make_worker()

    def perform_job(self, job, queue, *args, **kwargs):
        with self.flask_app.app_context():
            try:
                return super().perform_job(job, queue, *args, **kwargs)
            finally:
                db.session.remove()


class AppSimpleWorker(AppContextMixin, SimpleWorker):
    pass


class AppForkWorker(AppContextMixin, Worker):
    def fork_work_horse(self, job, queue):
        # A forked horse must not reuse the parent's pooled database sockets.
        with self.flask_app.app_context():
            db.engine.dispose(close=False)
        return super().fork_work_horse(job, queue)


def make_worker(app, queues=QUEUES, fork: bool = False, name: str | None = None):
    cls = AppForkWorker if fork else AppSimpleWorker
    cls.flask_app = app
    with app.app_context():
        qs = [get_queue(q) for q in queues]
        return cls(qs, connection=get_redis(), name=name)


REDIS_RETRY_S = 2.0


def run_worker(app, queues=QUEUES, burst: bool = False, fork: bool = False,
               with_scheduler: bool = True) -> bool:
    """Work until stopped. A lost Redis (restart, network blip) does not end the worker:
    it reconnects and carries on (jobs lost with Redis are re-armed by their owners)."""
    level = app.config.get("LOG_LEVEL", "INFO")
    while True:
        worker = make_worker(app, queues, fork=fork)
        try:
            return worker.work(burst=burst, with_scheduler=with_scheduler, logging_level=level)
        except redis.ConnectionError as exc:
            log.warning("lost the connection to Redis (%s); reconnecting in %.0fs", exc, REDIS_RETRY_S)
            time.sleep(REDIS_RETRY_S)


def run_worker_pool(app, processes: int, **options) -> int:
    """Fork `processes` workers after the app is loaded; wait for all; forward SIGTERM."""
    with app.app_context():
        db.engine.dispose()
    children: list[int] = []
    for index in range(processes):
        pid = os.fork()
        if pid == 0:
            with app.app_context():
                db.engine.dispose(close=False)
            ok = run_worker(app, with_scheduler=(index == 0), **options)
            os._exit(0 if ok is not None else 1)
        children.append(pid)

    def forward(signum, _frame):
        for pid in children:
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    status = 0
    for pid in children:
        _, code = os.waitpid(pid, 0)
        status = status or os.waitstatus_to_exitcode(code)
    return status
