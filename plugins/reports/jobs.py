"""RQ jobs of the reports plugin (they take ids and run inside an app context)."""
from __future__ import annotations

import logging

from zapdesk.jobs import enqueue

log = logging.getLogger(__name__)
REPORT_JOB_TIMEOUT = 900
INGESTION_WAIT_SECONDS = 5
INGESTION_WAIT_ATTEMPTS = 120  # ten minutes for evolution to finish a big scan


def enqueue_scan_reports(scan_id: int, requested_by: str = "system", formats: list[str] | None = None,
                         attempt: int = 0, delay: float | None = None):
    return enqueue("plugins.reports.jobs.generate_scan_reports", scan_id, requested_by, formats, attempt,
                   queue="default", timeout=REPORT_JOB_TIMEOUT, delay=delay)


def enqueue_target_reports(target_id: int, requested_by: str = "system"):
    return enqueue("plugins.reports.jobs.generate_target_reports", target_id, requested_by,
                   queue="default", timeout=REPORT_JOB_TIMEOUT)


def generate_scan_reports(scan_id: int, requested_by: str = "system", formats: list[str] | None = None,
                          attempt: int = 0) -> dict:
    """Render and store the scan's reports once its findings are ingested. Ingestion is
    idempotent: if evolution's job has not run yet this runs it; if another worker is
    ingesting right now (empty answer), this job comes back a little later."""
    from plugins.evolution.service import NotIngestable, ingest_scan
    from plugins.scans.service import get_scan

    from . import store

    try:
        ingested = ingest_scan(scan_id)
    except NotIngestable as exc:
        log.info("no reports for scan %s: %s", scan_id, exc)
        return {"skipped": str(exc)}
    if not ingested:
        return wait_for_ingestion(scan_id, requested_by, formats, attempt)
    states = {r.format: r.state for r in store.generate("scan", scan_id, formats, requested_by)}
    if formats is None:  # a new scan moves the target's trend: its evolution report follows
        store.generate("target", get_scan(scan_id).target_id, None, requested_by)
    return states


def wait_for_ingestion(scan_id: int, requested_by: str, formats: list[str] | None, attempt: int) -> dict:
    if attempt >= INGESTION_WAIT_ATTEMPTS:
        log.warning("scan %s: ingestion did not finish; reports not generated", scan_id)
        return {"skipped": "ingestion did not finish"}
    enqueue_scan_reports(scan_id, requested_by, formats, attempt + 1, delay=INGESTION_WAIT_SECONDS)
    return {"waiting": f"ingestion in progress (attempt {attempt + 1})"}


def generate_target_reports(target_id: int, requested_by: str = "system") -> dict:
    from . import store

    return {r.format: r.state for r in store.generate("target", target_id, None, requested_by)}
