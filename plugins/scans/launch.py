"""Creating and cancelling scans (the web pages, the CLI and schedules use these)."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import update

from zapdesk.audit import audit
from zapdesk.extensions import db
from zapdesk.models import utcnow

from .clock import after
from .models import Scan


class LaunchError(ValueError):
    """The scan cannot be launched; the message says why."""


def launch_scan(target, profile, requested_by: str = "", schedule_id: int | None = None) -> Scan:
    """A queued scan, committed and with its first tick enqueued."""
    if target is None:
        raise LaunchError("choose a target")
    if profile is None:
        raise LaunchError("choose a scan profile")
    scan = Scan(target=target, profile=profile, state="queued", source="zap", requested_by=requested_by,
                schedule_id=schedule_id, queued_reason="waiting for a worker to pick it up",
                tick_due_at=after(current_app.config["SCANS_TICK_GRACE_S"]))
    db.session.add(scan)
    db.session.flush()
    audit("scan.launch", scan, actor=requested_by or None, target=target.base_url, profile=profile.name)
    db.session.commit()
    kick(scan)
    return scan


def kick(scan: Scan) -> None:
    """Enqueue a tick now (a missed one is re-armed by the pump anyway)."""
    from .engine import enqueue_tick

    enqueue_tick(scan.id, scan.tick)


def cancel_scan(scan: Scan, actor: str = "") -> str:
    """Cancel at once if still queued, else ask the next tick to stop the ZAP scans."""
    if scan.is_finished:
        raise LaunchError(f"scan {scan.id} already ended ({scan.state})")
    reason = f"cancelled by {actor}" if actor else "cancelled"
    done = db.session.execute(
        update(Scan).where(Scan.id == scan.id, Scan.state == "queued", Scan.tick == scan.tick)
        .values(state="cancelled", error=reason, finished_at=utcnow(), tick=Scan.tick + 1, tick_due_at=None)
        .execution_options(synchronize_session=False)).rowcount == 1
    if not done:
        db.session.execute(update(Scan).where(Scan.id == scan.id).values(cancel_requested=True, error=reason)
                           .execution_options(synchronize_session=False))
    audit("scan.cancel", scan, actor=actor or None, immediate=done)
    db.session.commit()
    db.session.refresh(scan)
    if not done:
        kick(scan)
    return "cancelled" if done else "cancel requested"
