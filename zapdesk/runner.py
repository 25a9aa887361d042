"""`zapdesk run`: the embedded default on one machine, supervised from one process.

Migrates the database, starts the embedded Redis (when ZAPDESK_REDIS_URL is unset), one
worker child per --workers, a scheduler child, then waitress in this process. Ctrl-C or
SIGTERM stops every child and the embedded Redis it started; nothing is left running.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import click
import flask_migrate

from . import embedded_redis
from .preflight import PreflightError, run_preflight

STOP_TIMEOUT_S = 10


def spawn(*args: str) -> subprocess.Popen:
    env = dict(os.environ)
    return subprocess.Popen([sys.executable, "-m", "zapdesk", *args], env=env)


def stop_children(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _raise_interrupt(_signum, _frame):
    raise KeyboardInterrupt


def run_all(app, host: str, port: int, workers: int) -> int:
    os.environ["ZAPDESK_INSTANCE_PATH"] = app.instance_path
    embedded = not app.config.get("REDIS_URL")
    started_redis = embedded and not embedded_redis.is_running(app.instance_path)
    try:
        run_preflight(app)
    except PreflightError as exc:
        click.echo(f"error: {exc}", err=True)
        return 2
    flask_migrate.upgrade(revision="heads")
    children = [spawn("worker") for _ in range(workers)] + [spawn("scheduler")]
    signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        from waitress import serve

        click.echo(f"zapdesk is running at http://{host}:{port}/  (Ctrl-C stops everything)")
        serve(app, host=host, port=port, threads=8, ident="zapdesk")
    except KeyboardInterrupt:
        click.echo("stopping…")
    finally:
        stop_children(children)
        if started_redis:
            embedded_redis.stop(app.instance_path)
    return 0
