"""Compare any two ingested scans of one target, on request."""
from __future__ import annotations

from zapdesk.audit import audit
from zapdesk.extensions import db

from .comparison import compare
from .models import Comparison, ScanIngest


class CompareError(ValueError):
    """Two scans that cannot be compared, with the reason."""


def ordered(first, second):
    key = lambda s: (s.finished_at.replace(tzinfo=None) if s.finished_at else s.created_at.replace(tzinfo=None), s.id)
    return (first, second) if key(first) <= key(second) else (second, first)


def checked_scans(older_id: int, newer_id: int):
    from plugins.scans.service import get_scan

    older, newer = get_scan(older_id), get_scan(newer_id)
    if older is None or newer is None:
        raise CompareError("pick two existing scans")
    if older.id == newer.id:
        raise CompareError("pick two different scans")
    if older.target_id != newer.target_id:
        raise CompareError("both scans must be of the same target")
    for scan in (older, newer):
        if db.session.get(ScanIngest, scan.id) is None:
            raise CompareError(f"scan {scan.id} has no findings yet (it is not done or still being processed)")
    return ordered(older, newer)


def compare_on_demand(older_id: int, newer_id: int, actor: str = "system") -> Comparison:
    older, newer = checked_scans(older_id, newer_id)
    comparison, _ = compare(newer.target_id, older, newer, on_demand=True, actor=actor)
    audit("comparison.create", comparison, actor=actor, from_scan=older.id, to_scan=newer.id)
    db.session.commit()
    return comparison
