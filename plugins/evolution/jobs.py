"""RQ jobs of the evolution plugin (they take ids and are idempotent)."""
from __future__ import annotations

import logging

from zapdesk.extensions import db

log = logging.getLogger(__name__)
INGEST_TIMEOUT = 1800


def ingest_scan_job(scan_id: int) -> dict:
    """Enqueued by the scan_finished listener: findings, comparison, risk for one scan."""
    from .pipeline import NotIngestable, ingest_scan

    try:
        return ingest_scan(scan_id)
    except NotIngestable as exc:
        log.warning("evolution skipped scan %s: %s", scan_id, exc)
        return {"skipped": str(exc)}


def expire_accepted_risks_job() -> int:
    """Periodic: accepted risks past their expiry date go back to open."""
    from .triage import expire_accepted_risks

    changed = expire_accepted_risks()
    db.session.commit()
    return changed
