"""Build report data from the other plugins' documented services (read-only).

Scans and targets come from `plugins.scans.service` / `plugins.profiles.service`,
findings, comparisons and trends from `plugins.evolution.service`; nothing here reads
another plugin's tables directly.
"""
from __future__ import annotations

from zapdesk.models import utcnow

from .data import (ChangeItem, Changes, EvolutionData, EvolutionPoint, OccurrenceRow, ReportData,
                   ReportFinding, risk_name)


class ReportSubjectMissing(LookupError):
    """The scan or target a report was asked for does not exist."""


def positive_or_none(value) -> int | None:
    return value if isinstance(value, int) and value > 0 else None


def report_finding(view) -> ReportFinding:
    """From evolution's FindingView (risk and confidence are names, cwe/wasc -1 unknown)."""
    return ReportFinding(
        rule_id=view.rule_id, name=view.name, risk=view.risk, confidence=view.confidence,
        cwe=positive_or_none(view.cwe), wasc=positive_or_none(view.wasc), description=view.description,
        solution=view.solution, reference=view.reference, status=view.status, fingerprint=view.fingerprint,
        occurrences=[OccurrenceRow(o.url, o.method or "GET", o.param, o.attack, o.evidence, o.other)
                     for o in view.occurrences])


def change_item(view) -> ChangeItem:
    url = view.url_template + (f" [{view.param}]" if view.param else "")
    return ChangeItem(finding_id=view.finding_id, rule_id=view.rule_id, name=view.name,
                      risk=view.risk_after or view.risk, url=url)


def changes_from(view) -> Changes | None:
    """From evolution's ComparisonView; None for a first scan (nothing to compare with)."""
    if view is None or view.from_scan_id is None:
        return None
    return Changes(previous_scan_id=view.from_scan_id, new=[change_item(v) for v in view.new],
                   resolved=[change_item(v) for v in view.resolved],
                   regressed=[change_item(v) for v in view.regressed],
                   risk_changed=[change_item(v) for v in view.risk_changed],
                   persisting_count=view.counts.get("persisting", len(view.persisting)),
                   risk_delta=float(view.risk_delta or 0.0))


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
    """From evolution's PointView."""
    return EvolutionPoint(scan_id=view.scan_id, finished_at=view.finished_at, risk_score=float(view.risk_score),
                          counts={risk_name(k): int(v) for k, v in (view.counts or {}).items()},
                          new=view.new, resolved=view.resolved)


def build_evolution_data(target_id: int) -> EvolutionData:
    from plugins.evolution.service import target_evolution
    from plugins.profiles.service import get_target

    target = get_target(target_id)
    if target is None:
        raise ReportSubjectMissing(f"target {target_id} does not exist")
    return EvolutionData(target_id=target.id, target_name=target.name, target_url=target.base_url,
                         project_name=target.project.name if target.project else "", generated_at=utcnow(),
                         points=[evolution_point(v) for v in target_evolution(target.id)])
