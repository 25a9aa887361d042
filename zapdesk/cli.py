"""The `zapdesk` command line (a Flask CLI group, so `flask --app zapdesk` works too)."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from . import create_app
from .config import ConfigError
from .plugins import get_plugin_manager
from .preflight import PreflightError


class ZapdeskGroup(FlaskGroup):
    """`db` resolves to zapdesk's own group (multi-branch aware) rather than the one
    Flask-Migrate installs for `flask db`."""

    def get_command(self, ctx, name):
        if name == "db":
            from .db_cli import db_group

            return db_group
        return super().get_command(ctx, name)


cli = ZapdeskGroup(create_app=lambda: create_app(), help="zapdesk: a control plane for OWASP ZAP.")


def fail(message: str, code: int = 2):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@cli.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 16),
              help="RQ worker processes to run beside the web server.")
@with_appcontext
def run_command(host, port, workers):
    """Run everything on this machine: migrate, embedded Redis (unless ZAPDESK_REDIS_URL
    is set), worker(s), scheduler and waitress. Ctrl-C stops all of it."""
    from .runner import run_all

    sys.exit(run_all(current_app._get_current_object(), host, port, workers))


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@with_appcontext
def serve_command(host, port, threads):
    """Serve the web app with waitress (the compose `web` service)."""
    from waitress import serve

    from .preflight import run_preflight

    app = current_app._get_current_object()
    try:
        run_preflight(app)
    except PreflightError as exc:
        fail(str(exc))
    click.echo(f"zapdesk listening on http://{host}:{port}/")
    serve(app, host=host, port=port, threads=threads, ident="zapdesk")


@cli.command("worker")
@click.option("--queues", default="scans,default", show_default=True)
@click.option("--burst", is_flag=True, help="Exit when the queues are empty.")
@click.option("--fork", is_flag=True, help="Run each job in a forked work horse.")
@click.option("--processes", default=1, show_default=True, type=click.IntRange(1, 64))
@with_appcontext
def worker_command(queues, burst, fork, processes):
    """Run RQ workers for the scans and default queues."""
    from .preflight import run_preflight
    from .worker import run_worker, run_worker_pool

    app = current_app._get_current_object()
    try:
        run_preflight(app)
    except PreflightError as exc:
        fail(str(exc))
    names = tuple(q.strip() for q in queues.split(",") if q.strip())
    if processes > 1:
        sys.exit(run_worker_pool(app, processes, queues=names, burst=burst, fork=fork))
    run_worker(app, names, burst=burst, fork=fork)


@cli.command("scheduler")
@click.option("--interval", default=1.0, show_default=True, type=float)
@with_appcontext
def scheduler_command(interval):
    """Enqueue the periodic jobs plugins declare (safe to run more than one)."""
    from .preflight import run_preflight
    from .scheduler import run_scheduler

    app = current_app._get_current_object()
    try:
        run_preflight(app)
    except PreflightError as exc:
        fail(str(exc))
    try:
        run_scheduler(app, interval)
    except KeyboardInterrupt:
        pass


def load_plugin_commands() -> None:
    from .maintenance_cli import register_maintenance_commands
    from .user_cli import user_group

    cli.add_command(user_group)
    register_maintenance_commands(cli)
    get_plugin_manager().hook.register_commands(cli=cli)


def main(argv=None):
    load_plugin_commands()
    try:
        return cli.main(args=argv, prog_name="zapdesk")
    except (ConfigError, PreflightError) as exc:
        fail(str(exc))
