"""Importing a ZAP report as a finished scan, through the same pipeline as a real scan."""
from __future__ import annotations

from zapdesk.audit import audit
from zapdesk.extensions import db

from .importers import ParsedReport, ReportError, parse_report
from .pipeline import ingest_scan


class ImportRejected(ValueError):
    """The file was fine but the request was not (unknown profile, bad target URL)."""


def resolve_target(target_url: str):
    from plugins.profiles.service import get_or_create_target

    if not (target_url or "").strip():
        raise ImportRejected("target: give the URL of the target these results belong to")
    try:
        return get_or_create_target(target_url.strip())
    except ValueError as exc:
        raise ImportRejected(f"target: {exc}") from None


def resolve_profile_id(profile_name: str | None) -> int | None:
    from plugins.profiles.service import get_profile_by_name

    if not profile_name:
        return None
    profile = get_profile_by_name(profile_name)
    if profile is None:
        raise ImportRejected(f"profile: no scan profile is named {profile_name[:120]!r}")
    return profile.id


def import_report(data: bytes, filename: str, target_url: str, profile_name: str | None = None,
                  actor: str = "system") -> dict:
    from plugins.scans.service import create_finished_scan

    report = parse_report(data, filename)  # nothing is written before the whole file is valid
    try:
        target = resolve_target(target_url)
        profile_id = resolve_profile_id(profile_name)
        scan = create_finished_scan(target.id, report.alerts, urls=None, profile_id=profile_id,
                                    source="import", finished_at=report.generated)
        audit("scan.import", scan, actor=actor, filename=(filename or "")[:200], format=report.format,
              alerts=len(report.alerts))
    except Exception:
        db.session.rollback()
        raise
    return result(ingest_scan(scan.id), report)


def result(summary: dict, report: ParsedReport) -> dict:
    return {"scan_id": summary["scan_id"], "target_id": summary["target_id"], "format": report.format,
            "zap_version": report.zap_version, "sites": report.sites, "alerts_read": len(report.alerts),
            "instances_reported": report.instances_reported, "findings": summary["findings"],
            "occurrences": summary["occurrences"], "new": summary["new"] + summary["regressed"],
            "regressed": summary["regressed"], "resolved": summary["resolved"],
            "comparison_id": summary["comparison_id"], "risk_score": summary["risk_score"]}


__all__ = ["ImportRejected", "ReportError", "import_report"]
