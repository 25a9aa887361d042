"""The scans plugin's service functions. Other plugins use only these.

Scans are created here and advanced by `plugins.scans.engine` (RQ ticks). Writers flush
and leave the commit to the caller, except `fire_scan_finished`, which commits its
once-only marker together with the hook call.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Iterable, Iterator

from sqlalchemy import func, select, update

from zapdesk.extensions import db
from zapdesk.models import utcnow
from zapdesk.plugins import get_plugin_manager

from . import storage
from .models import RUNNING_STATES, TERMINAL_STATES, Scan

log = logging.getLogger(__name__)


def get_scan(scan_id: int) -> Scan | None:
    return db.session.get(Scan, scan_id)


def list_scans(target_id: int | None = None, states: Iterable[str] | None = None, limit: int = 100,
               profile_id: int | None = None, offset: int = 0) -> list[Scan]:
    query = select(Scan).order_by(Scan.id.desc()).limit(limit).offset(offset)
    if target_id is not None:
        query = query.where(Scan.target_id == target_id)
    if profile_id is not None:
        query = query.where(Scan.profile_id == profile_id)
    if states:
        query = query.where(Scan.state.in_(list(states)))
    return list(db.session.scalars(query))


def create_finished_scan(target_id: int, alerts: Iterable[dict], urls: Iterable[str] | None = None,
                         profile_id: int | None = None, source: str = "import",
                         finished_at: datetime | None = None) -> Scan:
    """A scan that is already done (imports, benchmarks): raw alerts stored compressed.
    Does not fire scan_finished; call fire_scan_finished(scan) for that."""
    finished_at = finished_at or utcnow()
    scan = Scan(target_id=target_id, profile_id=profile_id, source=source, state="done",
                started_at=finished_at, finished_at=finished_at, coverage_available=urls is not None)
    db.session.add(scan)
    db.session.flush()
    store_alerts(scan, alerts)
    if urls is not None:
        store_urls(scan, urls)
    db.session.flush()
    return scan


def store_alerts(scan: Scan, alerts: Iterable[dict]) -> None:
    scan.raw_path, scan.alerts_count, scan.raw_bytes, scan.raw_sha256 = storage.write_alerts(scan.id, alerts)


def store_urls(scan: Scan, urls: Iterable[str]) -> None:
    scan.urls_path, scan.urls_count, _, _ = storage.write_urls(scan.id, urls)
    scan.coverage_available = True


def iter_raw_alerts(scan_id: int) -> Iterator[dict]:
    """The scan's raw ZAP alerts, streamed from the compressed file (memory bounded)."""
    scan = get_scan(scan_id)
    if scan is None or not scan.raw_path:
        return iter(())
    return (json.loads(line) for line in storage.read_lines(scan.raw_path))


def iter_scanned_urls(scan_id: int) -> Iterator[str] | None:
    """The URLs the scan covered, or None when the scan has no coverage data."""
    scan = get_scan(scan_id)
    if scan is None or not scan.coverage_available or not scan.urls_path:
        return None
    return storage.read_lines(scan.urls_path)


def previous_comparable_scan(scan: Scan) -> Scan | None:
    """The latest done scan of the same target with the same profile, before `scan`."""
    query = (select(Scan).where(Scan.target_id == scan.target_id, Scan.state == "done", Scan.id != scan.id)
             .order_by(Scan.finished_at.desc(), Scan.id.desc()).limit(1))
    query = query.where(Scan.profile_id.is_(None) if scan.profile_id is None else Scan.profile_id == scan.profile_id)
    if scan.finished_at is not None:
        query = query.where((Scan.finished_at < scan.finished_at)
                            | ((Scan.finished_at == scan.finished_at) & (Scan.id < scan.id)))
    return db.session.scalar(query)


def fire_scan_finished(scan: Scan) -> bool:
    """Call the scan_finished hook once per done scan; True if this call fired it.

    The marker is set with a conditional UPDATE in the same transaction as the hook
    call (and committed with it, together with the caller's pending work), so concurrent
    callers cannot both fire; if a listener raises, the marker is cleared and the
    reconciler fires again later."""
    claimed = db.session.execute(
        update(Scan).where(Scan.id == scan.id, Scan.state == "done", Scan.finished_notified.is_(False))
        .values(finished_notified=True).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        return False
    try:
        get_plugin_manager().hook.scan_finished(scan=scan)
    except Exception:
        log.exception("a scan_finished listener failed for scan %s; it will be retried", scan.id)
        db.session.execute(update(Scan).where(Scan.id == scan.id).values(finished_notified=False)
                           .execution_options(synchronize_session=False))
        db.session.commit()
        return False
    db.session.commit()
    return True


def failed_scan_rate(hours: int = 24) -> dict:
    since = utcnow() - timedelta(hours=hours)
    rows = dict(db.session.execute(
        select(Scan.state, func.count()).where(Scan.finished_at >= since, Scan.source == "zap")
        .group_by(Scan.state)).all())
    total = sum(rows.values())
    failed = sum(rows.get(s, 0) for s in ("failed", "timed_out"))
    return {"total": total, "failed": failed, "rate": (failed / total) if total else 0.0}


def queue_stats() -> dict:
    rows = dict(db.session.execute(
        select(Scan.state, func.count()).where(Scan.state.not_in(TERMINAL_STATES)).group_by(Scan.state)).all())
    return {"queued": rows.get("queued", 0), "running": sum(rows.get(s, 0) for s in RUNNING_STATES)}
