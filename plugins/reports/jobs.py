"""RQ jobs of the reports plugin (they take ids and run inside an app context)."""
from __future__ import annotations

import logging

from zapdesk.jobs import enqueue

log = logging.getLogger(__name__)
REPORT_JOB_TIMEOUT = 900


def enqueue_scan_reports(scan_id: int, requested_by: str = "system", formats: list[str] | None = None):
    return enqueue("plugins.reports.jobs.generate_scan_reports", scan_id, requested_by, formats,
                   queue="default", timeout=REPORT_JOB_TIMEOUT)


def enqueue_target_reports(target_id: int, requested_by: str = "system"):
    return enqueue("plugins.reports.jobs.generate_target_reports", target_id, requested_by,
                   queue="default", timeout=REPORT_JOB_TIMEOUT)


def generate_scan_reports(scan_id: int, requested_by: str = "system", formats: list[str] | None = None) -> dict:
    """Render and store the scan's reports. Ingestion is idempotent, so running it first
    guarantees the findings are there even if this job overtook evolution's own."""
    from plugins.evolution.service import ingest_scan
    from plugins.scans.service import get_scan

    from . import store

    scan = get_scan(scan_id)
    if scan is None or scan.state != "done":
        log.info("scan %s is not a finished scan; no reports", scan_id)
        return {}
    ingest_scan(scan_id)
    return {r.format: r.state for r in store.generate("scan", scan_id, formats, requested_by)}


def generate_target_reports(target_id: int, requested_by: str = "system") -> dict:
    from . import store

    return {r.format: r.state for r in store.generate("target", target_id, None, requested_by)}
