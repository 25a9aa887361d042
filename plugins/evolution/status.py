"""Every change of a finding's status goes through here: the finding row, its history
(FindingEvent), the audit trail and the `finding_changed` hook, in the caller's transaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert

from zapdesk.audit import audit
from zapdesk.extensions import db
from zapdesk.models import utcnow
from zapdesk.plugins import get_plugin_manager

from .models import Finding, FindingEvent


@dataclass
class StatusChange:
    to: str
    reason: str = ""
    actor: str = "system"
    kind: str = "triage"  # triage, evolution, expiry
    rule_id: int | None = None
    expires_at: datetime | None = None
    scan_id: int | None = None


def change_status(finding: Finding, change: StatusChange, audited: bool = True) -> bool:
    """Apply `change`; False (nothing written) when the finding already has that state."""
    before = finding.status
    same_rule = finding.triage_rule_id == change.rule_id
    if before == change.to and same_rule and finding.status_expires_at == change.expires_at:
        return False
    finding.status, finding.status_reason = change.to, change.reason
    finding.triage_rule_id, finding.status_expires_at = change.rule_id, change.expires_at
    finding.status_changed_at = utcnow()
    db.session.add(FindingEvent(finding_id=finding.id, actor=change.actor, kind=change.kind,
                                from_status=before, to_status=change.to, reason=change.reason,
                                scan_id=change.scan_id))
    if audited:
        audit("finding.status", finding, actor=change.actor, from_status=before, to_status=change.to,
              reason=change.reason, kind=change.kind, rule_id=change.rule_id)
    if before != change.to:
        notify(finding, before, change)
    return True


def notify(finding: Finding, before: str, change: StatusChange) -> None:
    get_plugin_manager().hook.finding_changed(finding=finding, change={
        "from": before, "to": change.to, "reason": change.reason, "actor": change.actor,
        "kind": change.kind, "scan_id": change.scan_id})


def record_events(rows: list[dict]) -> None:
    """Bulk history rows for evolution's own changes (fixed / reopened)."""
    if rows:
        db.session.execute(insert(FindingEvent.__table__), rows)
