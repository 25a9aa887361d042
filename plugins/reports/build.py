"""Build report data from the other plugins' documented services (read-only).

Scans and targets come from `plugins.scans.service` / `plugins.profiles.service`,
findings, comparisons and trends from `plugins.evolution.service`; nothing here reads
another plugin's tables directly.
"""
from __future__ import annotations

from typing import Any

from zapdesk.models import utcnow

from .data import (ChangeItem, Changes, EvolutionData, EvolutionPoint, OccurrenceRow, ReportData,
                   ReportFinding, risk_name)

CONFIDENCE_NAMES = ("False Positive", "Low", "Medium", "High", "Confirmed")


class ReportSubjectMissing(LookupError):
    """The scan or target a report was asked for does not exist."""


def attr(obj: Any, name: str, default: Any = None) -> Any:
    """A view's field, whether the service returned a dataclass or a dict."""
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def positive_or_none(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def confidence_name(value) -> str:
    if isinstance(value, int) and 0 <= value < len(CONFIDENCE_NAMES):
        return CONFIDENCE_NAMES[value]
    return str(value or "Medium")


def occurrence_row(view) -> OccurrenceRow:
    return OccurrenceRow(url=attr(view, "url", ""), method=attr(view, "method", "GET") or "GET",
                         param=attr(view, "param", ""), attack=attr(view, "attack", ""),
                         evidence=attr(view, "evidence", ""), other=attr(view, "other", ""))


def report_finding(view) -> ReportFinding:
    return ReportFinding(
        rule_id=str(attr(view, "rule_id", "")), name=attr(view, "name", ""), risk=risk_name(attr(view, "risk")),
        confidence=confidence_name(attr(view, "confidence")), cwe=positive_or_none(attr(view, "cwe")),
        wasc=positive_or_none(attr(view, "wasc")), description=attr(view, "description", ""),
        solution=attr(view, "solution", ""), reference=attr(view, "reference", ""),
        status=attr(view, "status", "open"), fingerprint=attr(view, "fingerprint", ""),
        occurrences=[occurrence_row(o) for o in attr(view, "occurrences", []) or []])


def change_item(view) -> ChangeItem:
    return ChangeItem(fingerprint=attr(view, "fingerprint", ""), rule_id=str(attr(view, "rule_id", "")),
                      name=attr(view, "name", ""), risk=risk_name(attr(view, "risk")),
                      url=attr(view, "url_template", "") or attr(view, "url", ""))


def changes_from(view) -> Changes | None:
    if view is None:
        return None
    persisting = attr(view, "persisting", [])
    return Changes(previous_scan_id=attr(view, "previous_scan_id"),
                   new=[change_item(v) for v in attr(view, "new", [])],
                   resolved=[change_item(v) for v in attr(view, "resolved", [])],
                   regressed=[change_item(v) for v in attr(view, "regressed", [])],
                   risk_changed=[change_item(v) for v in attr(view, "risk_changed", [])],
                   persisting_count=persisting if isinstance(persisting, int) else len(persisting),
                   risk_delta=float(attr(view, "risk_delta", 0.0) or 0.0))


def zap_version_of(scan) -> str:
    from plugins.nodes.service import get_node

    node = get_node(scan.node_id) if scan.node_id else None
    return (node.version or "") if node is not None else ""


def build_report_data(scan_id: int) -> ReportData:
    from plugins.evolution.service import scan_comparison, scan_findings
    from plugins.profiles.service import get_profile, get_target
    from plugins.scans.service import get_scan

    scan = get_scan(scan_id)
    if scan is None:
        raise ReportSubjectMissing(f"scan {scan_id} does not exist")
    target = get_target(scan.target_id)
    profile = get_profile(scan.profile_id) if scan.profile_id else None
    return ReportData(
        scan_id=scan.id, target_name=target.name, target_url=target.base_url,
        project_name=target.project.name if target.project else "", profile_name=profile.name if profile else "",
        state=scan.state, source=scan.source, started_at=scan.started_at, finished_at=scan.finished_at,
        generated_at=utcnow(), urls_count=scan.urls_count if scan.coverage_available else None,
        findings=[report_finding(v) for v in scan_findings(scan.id)],
        changes=changes_from(scan_comparison(scan.id)), zap_version=zap_version_of(scan))


def evolution_point(view) -> EvolutionPoint:
    counts = attr(view, "counts", {}) or {}
    return EvolutionPoint(scan_id=attr(view, "scan_id"), finished_at=attr(view, "finished_at"),
                          risk_score=float(attr(view, "risk_score", 0.0) or 0.0),
                          counts={risk_name(k): int(v) for k, v in counts.items()},
                          new=int(attr(view, "new", 0) or 0), resolved=int(attr(view, "resolved", 0) or 0))


def build_evolution_data(target_id: int) -> EvolutionData:
    from plugins.evolution.service import target_evolution
    from plugins.profiles.service import get_target

    target = get_target(target_id)
    if target is None:
        raise ReportSubjectMissing(f"target {target_id} does not exist")
    return EvolutionData(target_id=target.id, target_name=target.name, target_url=target.base_url,
                         project_name=target.project.name if target.project else "", generated_at=utcnow(),
                         points=[evolution_point(v) for v in target_evolution(target.id)])
