"""Triage rules: a decision with a scope that keeps applying to later scans.

Scopes, most specific first: occurrence (a finding at one URL), finding, target (every
finding of a ZAP rule on a target), global (every finding of a ZAP rule everywhere). When
rules disagree the most specific one wins; among equals, the newest.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from sqlalchemy import select

from zapdesk.extensions import db
from zapdesk.models import utcnow

from .models import Finding, Occurrence, TriageRule
from .status import StatusChange, change_status

TRIAGE_STATUSES = ("open", "confirmed", "false_positive", "accepted_risk")
SCOPE_RANK = {"global": 0, "target": 1, "finding": 2, "occurrence": 3}


class TriageError(ValueError):
    """Bad triage input; `errors` maps each field to a message a person can act on."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass
class TriageRequest:
    status: str
    scope: str = "finding"
    reason: str = ""
    expires_on: date | None = None
    actor: str = "system"
    url: str = ""  # occurrence scope only

    @property
    def expires_at(self) -> datetime | None:
        if self.expires_on is None:
            return None
        return datetime.combine(self.expires_on, time(23, 59, 59), tzinfo=timezone.utc)


def parse_expiry(raw: str) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise TriageError({"expires_on": "Expiry: use a date like 2030-01-31"}) from None


def validate(request: TriageRequest) -> None:
    errors = {}
    if request.status not in TRIAGE_STATUSES:
        errors["status"] = f"Status: choose one of {', '.join(TRIAGE_STATUSES)}"
    if request.scope not in SCOPE_RANK:
        errors["scope"] = "Scope: choose occurrence, finding, target or global"
    if request.status in ("false_positive", "accepted_risk") and not request.reason.strip():
        errors["reason"] = "Reason: say why (it is kept in the finding's history)"
    if request.status == "accepted_risk" and request.expires_on is None:
        errors["expires_on"] = "Expiry: an accepted risk needs a date when it is reviewed again"
    elif request.expires_on is not None and request.expires_at <= utcnow():
        errors["expires_on"] = "Expiry: pick a date in the future"
    if request.scope == "occurrence" and not request.url:
        errors["url"] = "Pick the occurrence (URL) this decision is about"
    if errors:
        raise TriageError(errors)


def rule_for(finding: Finding, request: TriageRequest) -> TriageRule:
    """Reuse the active rule of the same scope and match, or create one."""
    match = {"scope": request.scope, "active": True}
    if request.scope == "occurrence":
        match.update(finding_id=finding.id, url=request.url)
    elif request.scope == "finding":
        match.update(finding_id=finding.id)
    elif request.scope == "target":
        match.update(target_id=finding.target_id, rule_id=finding.rule_id)
    else:
        match.update(rule_id=finding.rule_id)
    existing = db.session.scalar(select(TriageRule).filter_by(**match).limit(1))
    if existing is not None:
        existing.active = False
    rule = TriageRule(**match, status=request.status, reason=request.reason.strip(),
                      expires_at=request.expires_at, author=request.actor)
    db.session.add(rule)
    db.session.flush()
    return rule


def triage_findings(findings: list[Finding], request: TriageRequest) -> int:
    """Create the rules for `findings` and apply them; returns findings whose status changed."""
    validate(request)
    rules, changed = {}, 0
    for finding in findings:
        key = rule_key(finding, request)
        if key not in rules:
            rules[key] = rule_for(finding, request)
    for rule in rules.values():
        changed += apply_rule(rule)
    return changed


def rule_key(finding: Finding, request: TriageRequest) -> tuple:
    return {"occurrence": (finding.id, request.url), "finding": (finding.id,),
            "target": (finding.target_id, finding.rule_id), "global": (finding.rule_id,)}[request.scope]


def matching_findings(rule: TriageRule) -> list[Finding]:
    query = select(Finding)
    if rule.scope in ("finding", "occurrence"):
        query = query.where(Finding.id == rule.finding_id)
    elif rule.scope == "target":
        query = query.where(Finding.target_id == rule.target_id, Finding.rule_id == rule.rule_id)
    else:
        query = query.where(Finding.rule_id == rule.rule_id)
    return list(db.session.scalars(query))


def outranked(finding: Finding, rule: TriageRule) -> bool:
    """True when the finding follows an active rule more specific than `rule`."""
    if finding.triage_rule_id is None or finding.triage_rule_id == rule.id:
        return False
    current = db.session.get(TriageRule, finding.triage_rule_id)
    return bool(current and current.active and SCOPE_RANK[current.scope] > SCOPE_RANK[rule.scope])


def apply_rule(rule: TriageRule, scan_id: int | None = None) -> int:
    changed = 0
    for finding in matching_findings(rule):
        if outranked(finding, rule) or finding.status == "fixed":
            continue
        if rule.scope == "occurrence" and not occurrences_all_covered(finding, rule.status):
            continue
        change = StatusChange(rule.status, rule.reason, rule.author, "triage", rule.id, rule.expires_at, scan_id)
        changed += change_status(finding, change)
    return changed


def occurrences_all_covered(finding: Finding, status: str) -> bool:
    """An occurrence decision decides the finding only when every occurrence of its latest
    scan is covered by occurrence rules with that status."""
    urls = set(db.session.scalars(select(Occurrence.url).where(
        Occurrence.finding_id == finding.id, Occurrence.scan_id == finding.last_seen_scan_id).distinct()))
    covered = set(db.session.scalars(select(TriageRule.url).where(
        TriageRule.finding_id == finding.id, TriageRule.scope == "occurrence",
        TriageRule.active.is_(True), TriageRule.status == status)))
    return bool(urls) and urls <= covered


def occurrence_rules(finding_id: int) -> dict[str, TriageRule]:
    rows = db.session.scalars(select(TriageRule).where(
        TriageRule.finding_id == finding_id, TriageRule.scope == "occurrence", TriageRule.active.is_(True)))
    return {rule.url: rule for rule in rows}


def apply_rules_after_scan(target_id: int, scan_id: int) -> int:
    """New findings of this scan get the target/global rules; findings decided per
    occurrence are re-checked (a new URL reopens them)."""
    changed = 0
    rules = db.session.scalars(select(TriageRule).where(
        TriageRule.active.is_(True),
        ((TriageRule.scope == "target") & (TriageRule.target_id == target_id)) | (TriageRule.scope == "global"))
        .order_by(TriageRule.id))
    for rule in rules:
        for finding in db.session.scalars(select(Finding).where(
                Finding.target_id == target_id, Finding.rule_id == rule.rule_id,
                Finding.first_seen_scan_id == scan_id)):
            if not outranked(finding, rule):
                changed += change_status(finding, StatusChange(rule.status, rule.reason, rule.author, "triage",
                                                               rule.id, rule.expires_at, scan_id))
    return changed + recheck_occurrence_rules(target_id, scan_id)


def recheck_occurrence_rules(target_id: int, scan_id: int) -> int:
    changed = 0
    finding_ids = db.session.scalars(select(TriageRule.finding_id).join(Finding, Finding.id == TriageRule.finding_id)
                                     .where(TriageRule.scope == "occurrence", TriageRule.active.is_(True),
                                            Finding.target_id == target_id,
                                            Finding.last_seen_scan_id == scan_id).distinct())
    for finding in [db.session.get(Finding, fid) for fid in list(finding_ids)]:
        rule = next(iter(occurrence_rules(finding.id).values()))
        if occurrences_all_covered(finding, rule.status):
            changed += apply_rule(rule, scan_id)
        elif finding.triage_rule_id in {r.id for r in occurrence_rules(finding.id).values()}:
            changed += change_status(finding, StatusChange("open", "a new occurrence is not covered by the "
                                                           "occurrence decision", "system", "triage", None, None, scan_id))
    return changed


def expire_accepted_risks(now: datetime | None = None) -> int:
    """Accepted risks past their date revert to open (their rule is deactivated)."""
    now = now or utcnow()
    expired = list(db.session.scalars(select(TriageRule).where(
        TriageRule.active.is_(True), TriageRule.expires_at.is_not(None), TriageRule.expires_at < now)))
    changed = 0
    for rule in expired:
        rule.active = False
        for finding in db.session.scalars(select(Finding).where(Finding.triage_rule_id == rule.id)):
            changed += change_status(finding, StatusChange("open", f"{rule.status.replace('_', ' ')} expired",
                                                           "system", "expiry"))
    return changed
