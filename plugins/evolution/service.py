"""The evolution plugin's service functions: other plugins (reports, scans) use only these.

View types (plain dataclasses, safe to use outside a session):

- `OccurrenceView`: url, method, param, attack, evidence, other (strings, raw — escape
  when rendering).
- `FindingView`: id, rule_id (alertRef or plugin id), plugin_id, name, risk (name: High,
  Medium, Low, Informational), confidence (name), cwe, wasc (ints, -1 unknown),
  description, solution, reference, status (open, confirmed, false_positive,
  accepted_risk, fixed), fingerprint, url_template, method, param, occurrences
  (list[OccurrenceView] in that scan).
- `ChangeView`: finding_id, name, rule_id, risk (name, newest known), url_template, param,
  risk_before, risk_after (names or None).
- `ComparisonView`: id, from_scan_id (the previous scan, None for a first scan), to_scan_id,
  new, resolved, persisting, regressed, risk_changed, not_retested (list[ChangeView]),
  counts (dict of those names -> int), risk_before, risk_after, risk_delta (floats),
  coverage ("urls": resolved needs coverage; "none": absence counts as resolved;
  "unclean").
- `PointView`: scan_id, finished_at, risk_score, counts (open findings by risk name),
  new, resolved, regressed, comparison_id.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from zapdesk.extensions import db

from .comparison import presence
from .ingestion import chunked
from .models import CONFIDENCE_NAMES, RISK_NAMES, Comparison, ComparisonItem, Finding, Occurrence, RiskSnapshot
from .pipeline import NotIngestable, ingest_scan  # noqa: F401  (public API)
from .risk import risk_score  # noqa: F401  (public API)


@dataclass
class OccurrenceView:
    url: str
    method: str
    param: str
    attack: str
    evidence: str
    other: str


@dataclass
class FindingView:
    id: int
    rule_id: str
    plugin_id: str
    name: str
    risk: str
    confidence: str
    cwe: int
    wasc: int
    description: str
    solution: str
    reference: str
    status: str
    fingerprint: str
    url_template: str
    method: str
    param: str
    occurrences: list[OccurrenceView] = field(default_factory=list)


@dataclass
class ChangeView:
    finding_id: int
    name: str
    rule_id: str
    risk: str
    url_template: str
    param: str
    risk_before: str | None = None
    risk_after: str | None = None


@dataclass
class ComparisonView:
    id: int
    from_scan_id: int | None
    to_scan_id: int
    new: list[ChangeView]
    resolved: list[ChangeView]
    persisting: list[ChangeView]
    regressed: list[ChangeView]
    risk_changed: list[ChangeView]
    not_retested: list[ChangeView]
    counts: dict[str, int]
    risk_before: float
    risk_after: float
    risk_delta: float
    coverage: str


@dataclass
class PointView:
    scan_id: int
    finished_at: datetime | None
    risk_score: float
    counts: dict[str, int]
    new: int
    resolved: int
    regressed: int
    comparison_id: int | None


def risk_name(code: int | None) -> str | None:
    return None if code is None else RISK_NAMES[code] if 0 <= code < len(RISK_NAMES) else "Informational"


def finding_view(finding: Finding, occurrences: list[Occurrence]) -> FindingView:
    return FindingView(
        finding.id, finding.rule_id, finding.plugin_id, finding.name, finding.risk_name,
        CONFIDENCE_NAMES[finding.confidence] if 0 <= finding.confidence < 5 else "Medium", finding.cwe, finding.wasc,
        finding.description, finding.solution, finding.reference, finding.status, finding.fingerprint,
        finding.url_template, finding.method, finding.param,
        [OccurrenceView(o.url, o.method, o.param, o.attack, o.evidence, o.other) for o in occurrences])


def scan_findings(scan_id: int) -> list[FindingView]:
    """The findings a scan saw, highest risk first, each with its occurrences in that scan."""
    by_finding: dict[int, list[Occurrence]] = {}
    for occurrence in db.session.scalars(select(Occurrence).where(Occurrence.scan_id == scan_id)
                                         .order_by(Occurrence.id)):
        by_finding.setdefault(occurrence.finding_id, []).append(occurrence)
    views = []
    for chunk in chunked(sorted(by_finding), 900):
        for finding in db.session.scalars(select(Finding).where(Finding.id.in_(chunk))):
            views.append(finding_view(finding, by_finding[finding.id]))
    return sorted(views, key=lambda v: (-RISK_NAMES.index(v.risk), v.name, v.url_template, v.param))


def change_views(finding_ids, risks_before=None, risks_after=None) -> list[ChangeView]:
    risks_before, risks_after = risks_before or {}, risks_after or {}
    views = []
    for chunk in chunked(sorted(finding_ids), 900):
        for f in db.session.scalars(select(Finding).where(Finding.id.in_(chunk))):
            views.append(ChangeView(f.id, f.name, f.rule_id, f.risk_name, f.url_template, f.param,
                                    risk_name(risks_before.get(f.id)), risk_name(risks_after.get(f.id))))
    return sorted(views, key=lambda v: (-RISK_NAMES.index(v.risk), v.name, v.url_template))


def comparison_view(comparison: Comparison, with_persisting: bool = True) -> ComparisonView:
    items = db.session.execute(select(ComparisonItem.change, ComparisonItem.finding_id, ComparisonItem.risk_before,
                                      ComparisonItem.risk_after).where(ComparisonItem.comparison_id == comparison.id))
    groups: dict[str, dict[int, tuple]] = {c: {} for c in ("new", "resolved", "regressed", "risk_changed", "not_retested")}
    for change, fid, before, after in items:
        groups[change][fid] = (before, after)
    lists = {c: change_views(g, {k: v[0] for k, v in g.items()}, {k: v[1] for k, v in g.items()})
             for c, g in groups.items()}
    persisting = []
    if with_persisting and comparison.from_scan_id:
        persisting = change_views(presence(comparison.from_scan_id).keys() & presence(comparison.to_scan_id).keys())
    counts = {c: getattr(comparison, f"{c}_count") for c in
              ("new", "resolved", "persisting", "regressed", "risk_changed", "not_retested")}
    return ComparisonView(comparison.id, comparison.from_scan_id, comparison.to_scan_id, lists["new"],
                          lists["resolved"], persisting, lists["regressed"], lists["risk_changed"],
                          lists["not_retested"], counts, comparison.risk_before, comparison.risk_after,
                          comparison.risk_delta, comparison.coverage)


def auto_comparison(scan_id: int) -> Comparison | None:
    return db.session.scalar(select(Comparison).where(Comparison.to_scan_id == scan_id,
                                                      Comparison.on_demand.is_(False)).limit(1))


def scan_comparison(scan_id: int) -> ComparisonView | None:
    """The comparison of a scan with its previous comparable scan (None before ingestion)."""
    comparison = auto_comparison(scan_id)
    return comparison_view(comparison) if comparison is not None else None


def target_evolution(target_id: int) -> list[PointView]:
    """One point per ingested scan of the target, oldest first."""
    from plugins.scans.models import Scan

    rows = db.session.execute(
        select(RiskSnapshot, Scan.finished_at, Comparison)
        .join(Scan, Scan.id == RiskSnapshot.scan_id)
        .outerjoin(Comparison, (Comparison.to_scan_id == RiskSnapshot.scan_id) & Comparison.on_demand.is_(False))
        .where(RiskSnapshot.scope == "target", RiskSnapshot.scope_id == target_id)
        .order_by(Scan.finished_at, Scan.id))
    return [PointView(snap.scan_id, finished, snap.score, dict(snap.counts or {}),
                      comp.new_count if comp else 0, comp.resolved_count if comp else 0,
                      comp.regressed_count if comp else 0, comp.id if comp else None)
            for snap, finished, comp in rows]


def compare_scans(older_id: int, newer_id: int, actor: str = "system") -> Comparison:
    """An on-demand comparison of any two ingested scans of one target."""
    from .on_demand import compare_on_demand

    return compare_on_demand(older_id, newer_id, actor)


def import_report(data: bytes, filename: str, target_url: str, profile_name: str | None = None,
                  actor: str = "system") -> dict:
    """Import a ZAP report file as a finished scan and ingest it (raises ReportError or
    ImportRejected with a message a person can act on; nothing is saved then)."""
    from .report_import import import_report as run_import

    return run_import(data, filename, target_url, profile_name, actor)
