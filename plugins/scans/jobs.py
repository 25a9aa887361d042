"""RQ jobs of the scans plugin (they take ids and run inside an app context).

- advance_scan: one tick of a scan (engine.advance);
- pump_ticks (every SCANS_PUMP_EVERY_S): re-arms the ticks that are overdue, i.e. lost
  to a killed worker, a Redis restart or a redeploy. A tick re-enqueues its successor
  itself (with RQ's delay) and sets `tick_due_at` to the successor's due time plus a
  grace; a claimed tick holds it a lease ahead;
- reconcile (every SCANS_RECONCILE_EVERY_S): node running counts from the scans that
  really run, and scan_finished for done scans whose listeners did not run;
- run_due_schedules (every SCANS_SCHEDULE_EVERY_S).
"""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from zapdesk.extensions import db
from zapdesk.models import utcnow

from . import engine
from .clock import after
from .models import RUNNING_STATES, TERMINAL_STATES, Scan

log = logging.getLogger(__name__)
PUMP_BATCH = 500


def advance_scan(scan_id: int, expected_tick: int) -> str:
    return engine.advance(scan_id, expected_tick)


def claim_due_ticks(limit: int = PUMP_BATCH) -> list[tuple[int, int]]:
    """Atomically push the due scans' `tick_due_at` a lease ahead; return (id, tick) of
    the ones this call claimed, so two pumps never enqueue the same due tick twice."""
    now = utcnow()
    due = (select(Scan.id).where(Scan.state.not_in(TERMINAL_STATES), Scan.tick_due_at <= now)
           .order_by(Scan.tick_due_at).limit(limit).scalar_subquery())
    rows = db.session.execute(
        update(Scan).where(Scan.id.in_(due), Scan.tick_due_at <= now)
        .values(tick_due_at=after(current_app.config["SCANS_TICK_LEASE_S"]))
        .returning(Scan.id, Scan.tick).execution_options(synchronize_session=False)).all()
    db.session.commit()
    return [(row.id, row.tick) for row in rows]


def pump_ticks() -> int:
    claimed = claim_due_ticks()
    for scan_id, tick in claimed:
        engine.enqueue_tick(scan_id, tick)
    return len(claimed)


def running_counts() -> dict[int, int]:
    from plugins.nodes.service import list_nodes

    counts = {node.id: 0 for node in list_nodes()}
    rows = db.session.execute(select(Scan.node_id, func.count()).where(
        Scan.state.in_(RUNNING_STATES), Scan.node_id.is_not(None)).group_by(Scan.node_id)).all()
    counts.update({node_id: n for node_id, n in rows})
    return counts


def fire_missed_scan_finished() -> int:
    from .service import fire_scan_finished

    cutoff = utcnow() - timedelta(seconds=60)
    missed = db.session.scalars(select(Scan).where(
        Scan.state == "done", Scan.source == "zap", Scan.finished_notified.is_(False),
        Scan.finished_at < cutoff).limit(100)).all()
    return sum(1 for scan in missed if fire_scan_finished(scan))


def reconcile() -> dict:
    from plugins.nodes.service import sync_running_counts

    counts = running_counts()
    sync_running_counts(counts)
    db.session.commit()
    fired = fire_missed_scan_finished()
    return {"nodes": len(counts), "running": sum(counts.values()), "fired": fired}


def run_due_schedules() -> list[int]:
    from .schedules import run_due

    return run_due()
