"""`zapdesk scan start --target URL --profile NAME [--wait] [--timeout S]`."""
from __future__ import annotations

import json
import sys
import time

import click
from flask.cli import with_appcontext

from zapdesk.extensions import db

from . import service
from .launch import launch_scan

POLL_S = 0.5


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


@click.group("scan")
def scan_group():
    """Launch and follow scans."""


@scan_group.command("start")
@click.option("--target", "target_url", required=True, help="The target's base URL (see `zapdesk target add`).")
@click.option("--profile", "profile_name", required=True, help="The scan profile's name.")
@click.option("--wait", is_flag=True, help="Follow the scan and print its outcome as JSON.")
@click.option("--timeout", type=float, default=None, help="With --wait: give up after S seconds (exit 1).")
@with_appcontext
def scan_start(target_url, profile_name, wait, timeout):
    """Queue a scan and print its id. With --wait, show progress until it ends and print
    one JSON object; exit 0 only when the scan is done."""
    from plugins.profiles.service import find_target_by_url, get_profile_by_name

    target = find_target_by_url(target_url)
    if target is None:
        fail(f"no target has the URL {target_url!r}; add it with `zapdesk target add URL --project NAME`")
    profile = get_profile_by_name(profile_name)
    if profile is None:
        fail(f"no scan profile is named {profile_name!r}; add it with `zapdesk profile add`")
    scan = launch_scan(target, profile, requested_by="cli")
    click.echo(scan.id)
    if wait:
        sys.exit(follow(scan.id, timeout))


def describe(scan) -> str:
    progress = 100 if scan.state == "done" else scan.phase_progress.get(scan.state, 0)
    detail = f" ({scan.queued_reason})" if scan.state == "queued" and scan.queued_reason else ""
    return f"scan {scan.id}: {scan.state} {progress}%{detail}"


def outcome(scan, timed_out: bool) -> dict:
    return {"id": scan.id, "state": scan.state, "node": scan.node.name if scan.node else None,
            "attempt": scan.attempt, "urls": scan.urls_count, "messages": scan.messages_count,
            "alerts": scan.alerts_count, "error": scan.error or ("gave up waiting (--timeout)" if timed_out else None)}


def follow(scan_id: int, timeout: float | None) -> int:
    deadline = time.monotonic() + timeout if timeout else None
    tty, last = sys.stderr.isatty(), ""
    while True:
        db.session.expire_all()
        scan = service.get_scan(scan_id)
        line = describe(scan)
        if line != last:
            click.echo(("\r\033[K" + line) if tty else line, err=True, nl=not tty)
            last = line
        expired = deadline is not None and time.monotonic() > deadline
        if scan.is_finished or expired:
            if tty:
                click.echo("", err=True)
            click.echo(json.dumps(outcome(scan, expired and not scan.is_finished)))
            return 0 if scan.state == "done" else 1
        time.sleep(POLL_S)


def register(cli) -> None:
    cli.add_command(scan_group)
