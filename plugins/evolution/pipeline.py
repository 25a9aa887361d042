"""One scan through evolution: ingest, triage rules, comparison, fixed/reopened, risk.

All of it happens in one transaction, claimed by inserting the scan's ScanIngest row first,
so ingesting a scan twice (a retried job, two workers) changes nothing the second time, and
a failure leaves nothing behind (the job can simply run again).
"""
from __future__ import annotations

import logging
import time

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from zapdesk.audit import audit
from zapdesk.extensions import db
from zapdesk.models import utcnow

from .comparison import Diff, compare
from .ingestion import chunked, ingest_alerts
from .models import Finding, ScanIngest
from .risk import take_snapshots
from .status import StatusChange, change_status
from .triage import apply_rules_after_scan, expire_accepted_risks

log = logging.getLogger(__name__)


class Stopwatch:
    """Seconds spent per phase, reported in the summary (and by `zapdesk bench ingest`)."""

    def __init__(self):
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 3)
        self.last = now


class NotIngestable(ValueError):
    """The scan does not exist or has not finished cleanly."""


def ingested_summary(scan_id: int) -> dict | None:
    row = db.session.get(ScanIngest, scan_id)
    return dict(row.summary) if row is not None and row.summary else None


def claim(scan) -> bool:
    """INSERT … ON CONFLICT DO NOTHING: False when another transaction ingested the scan
    (on PostgreSQL this waits for that transaction; SQLite serialises writers anyway). No
    savepoint: pysqlite would commit it on release."""
    insert_for = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    claimed = db.session.execute(insert_for(ScanIngest.__table__).values(
        scan_id=scan.id, target_id=scan.target_id, ingested_at=utcnow(), summary={})
        .on_conflict_do_nothing(index_elements=["scan_id"]).returning(ScanIngest.__table__.c.scan_id))
    return claimed.first() is not None


def ingest_scan(scan_id: int) -> dict:
    """Ingest a done scan (and, first, an un-ingested previous comparable one)."""
    from plugins.scans.service import get_scan, previous_comparable_scan

    done = ingested_summary(scan_id)
    if done is not None:
        return done
    scan = get_scan(scan_id)
    if scan is None or scan.state != "done":
        raise NotIngestable(f"scan {scan_id} is {'missing' if scan is None else scan.state}; only done scans are ingested")
    previous = previous_comparable_scan(scan)
    if previous is not None and ingested_summary(previous.id) is None:
        ingest_scan(previous.id)
    return run(scan, previous)


def run(scan, previous) -> dict:
    started = time.perf_counter()
    # End the read transaction first: SQLite cannot turn a stale read snapshot into a write
    # (it would fail with "database is locked" instead of waiting for the other writer).
    db.session.commit()
    if not claim(scan):
        db.session.rollback()
        return ingested_summary(scan.id) or {}
    summary = evolve(scan, previous)
    summary["seconds"] = round(time.perf_counter() - started, 3)
    db.session.execute(update(ScanIngest).where(ScanIngest.scan_id == scan.id).values(summary=summary))
    db.session.commit()
    return summary


def evolve(scan, previous) -> dict:
    from plugins.profiles.service import get_target
    from plugins.scans.service import iter_raw_alerts

    clock = Stopwatch()
    expire_accepted_risks()
    seen_at = scan.finished_at or utcnow()
    stats = ingest_alerts(iter_raw_alerts(scan.id), scan.id, scan.target_id, seen_at)
    clock.lap("ingest")
    apply_rules_after_scan(scan.target_id, scan.id)
    clock.lap("triage")
    comparison, result = compare(scan.target_id, previous, scan)
    clock.lap("compare")
    fixed, reopened = update_statuses(scan, result)
    clock.lap("statuses")
    target = get_target(scan.target_id)
    snapshot = take_snapshots(scan.id, scan.target_id, target.project_id if target else None)
    comparison.risk_after = snapshot.score
    clock.lap("risk")
    return {"scan_id": scan.id, "target_id": scan.target_id, "previous_scan_id": previous.id if previous else None,
            "comparison_id": comparison.id, "alerts": stats.alerts, "occurrences": stats.occurrences,
            "findings": len(stats.finding_ids), "new_findings": len(stats.new_finding_ids),
            "new": len(result.new), "regressed": len(result.regressed), "resolved": len(result.resolved),
            "not_retested": len(result.not_retested), "persisting": len(result.persisting),
            "risk_changed": len(result.risk_changed), "fixed": fixed, "reopened": reopened,
            "risk_score": snapshot.score, "risk_delta": comparison.risk_delta, "timings": clock.laps}


def update_statuses(scan, result: Diff) -> tuple[int, int]:
    """Resolved open/confirmed findings become fixed; fixed findings seen again reopen."""
    fixed = set_status_where(result.resolved, ("open", "confirmed"), "fixed", scan, "not found by the newer scan")
    back = set(db.session.scalars(select(Finding.id).where(
        Finding.target_id == scan.target_id, Finding.last_seen_scan_id == scan.id, Finding.status == "fixed")))
    reopened = set_status_where(back, ("fixed",), "open", scan, "found again")
    if fixed or reopened:
        audit("finding.evolution", f"scan:{scan.id}", actor="system", fixed=fixed, reopened=reopened)
    return fixed, reopened


def set_status_where(finding_ids: set[int], from_statuses: tuple, to: str, scan, reason: str) -> int:
    changed = 0
    for chunk in chunked(sorted(finding_ids), 900):
        findings = db.session.scalars(select(Finding).where(Finding.id.in_(chunk), Finding.status.in_(from_statuses)))
        for finding in findings:
            changed += change_status(finding, StatusChange(to, reason, "system", "evolution", scan_id=scan.id),
                                     audited=False)
    return changed
