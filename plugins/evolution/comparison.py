"""Scan-to-scan comparison (DESIGN.md §6).

Between a scan and the one before it (or any two scans on demand): new, resolved,
persisting, regressed (seen before the older scan, absent from it, back now), risk-changed,
and "not re-tested" — a finding absent from the newer scan is resolved only when that scan
finished cleanly and covered the finding's URL template; a scan without coverage data (an
imported report, a bench file) counts absence as resolved.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, insert, select

from zapdesk.extensions import db

from .fingerprint import coverage_key, url_template
from .ingestion import chunked
from .models import Comparison, ComparisonItem, Finding, Occurrence
from .risk import target_snapshot


@dataclass
class Diff:
    new: set[int]
    resolved: set[int]
    persisting: set[int]
    regressed: set[int]
    risk_changed: set[int]
    not_retested: set[int]
    coverage: str
    before: dict[int, int]  # finding id -> highest risk in the older scan
    after: dict[int, int]


def presence(scan_id: int) -> dict[int, int]:
    """finding id -> highest risk among its occurrences in the scan."""
    rows = db.session.execute(select(Occurrence.finding_id, func.max(Occurrence.risk))
                              .where(Occurrence.scan_id == scan_id).group_by(Occurrence.finding_id))
    return dict(rows.all())


def in_chunks(column, ids, *columns):
    for chunk in chunked(sorted(ids), 900):
        yield from db.session.execute(select(*columns).where(column.in_(chunk)))


def seen_before(finding_ids: set[int], older_scan) -> set[int]:
    """Findings first seen before `older_scan` finished (so absent from it = they had gone)."""
    if older_scan is None or not finding_ids:
        return set()
    return {fid for fid, first in in_chunks(Finding.id, finding_ids, Finding.id, Finding.first_seen_at)
            if first is not None and older_scan.finished_at is not None
            and as_naive(first) < as_naive(older_scan.finished_at)}


def as_naive(moment):
    return moment.replace(tzinfo=None) if moment.tzinfo else moment


def covered_templates(scan) -> set[str] | None:
    """Coverage keys of the URLs the scan requested; None when it has no coverage data."""
    from plugins.scans.service import iter_scanned_urls

    urls = iter_scanned_urls(scan.id)
    if urls is None:
        return None
    return {coverage_key(url_template(url)) for url in urls}


def split_gone(gone: set[int], newer) -> tuple[set[int], set[int], str]:
    if newer.state != "done":
        return set(), gone, "unclean"
    covered = covered_templates(newer)
    if covered is None:
        return gone, set(), "none"
    resolved = {fid for fid, template in in_chunks(Finding.id, gone, Finding.id, Finding.url_template)
                if coverage_key(template) in covered}
    return resolved, gone - resolved, "urls"


def diff(older, newer) -> Diff:
    before = presence(older.id) if older is not None else {}
    after = presence(newer.id)
    appeared = after.keys() - before.keys()
    persisting = after.keys() & before.keys()
    regressed = seen_before(appeared, older)
    resolved, not_retested, coverage = split_gone(before.keys() - after.keys(), newer)
    risk_changed = {fid for fid in persisting if before[fid] != after[fid]}
    return Diff(appeared - regressed, resolved, persisting, regressed, risk_changed, not_retested, coverage,
                before, after)


def item_rows(comparison_id: int, result: Diff) -> list[dict]:
    rows = []
    for change in ("new", "resolved", "regressed", "risk_changed", "not_retested"):
        for fid in getattr(result, change):
            rows.append({"comparison_id": comparison_id, "finding_id": fid, "change": change,
                         "risk_before": result.before.get(fid), "risk_after": result.after.get(fid)})
    return rows


def save_comparison(target_id: int, older, newer, result: Diff, on_demand: bool = False,
                    actor: str = "system") -> Comparison:
    before_snap, after_snap = target_snapshot(older.id if older else None), target_snapshot(newer.id)
    comparison = Comparison(
        target_id=target_id, from_scan_id=older.id if older else None, to_scan_id=newer.id,
        on_demand=on_demand, comparable=older is not None, coverage=result.coverage,
        new_count=len(result.new), resolved_count=len(result.resolved), persisting_count=len(result.persisting),
        regressed_count=len(result.regressed), risk_changed_count=len(result.risk_changed),
        not_retested_count=len(result.not_retested), created_by=actor,
        risk_before=before_snap.score if before_snap else 0.0, risk_after=after_snap.score if after_snap else 0.0)
    db.session.add(comparison)
    db.session.flush()
    return comparison


def store_items(comparison: Comparison, result: Diff) -> None:
    """Changed findings only: persisting ones are counted, and derived on demand."""
    for chunk in chunked(item_rows(comparison.id, result), 5000):
        db.session.execute(insert(ComparisonItem.__table__), chunk)


def compare(target_id: int, older, newer, on_demand: bool = False, actor: str = "system") -> tuple[Comparison, Diff]:
    result = diff(older, newer)
    comparison = save_comparison(target_id, older, newer, result, on_demand, actor)
    store_items(comparison, result)
    return comparison, result
