"""Periodic jobs of the ops plugin (run by `zapdesk worker`, enqueued by the scheduler)."""
from __future__ import annotations

from datetime import timedelta

from zapdesk.audit import audit
from zapdesk.extensions import db
from zapdesk.models import AuditEvent, utcnow

from .settings import threshold


def purge_audit_events() -> int:
    """Delete audit events older than the retention setting; the purge itself is audited."""
    days = int(threshold("OPS_AUDIT_RETENTION_DAYS"))
    cutoff = utcnow() - timedelta(days=days)
    deleted = db.session.execute(db.delete(AuditEvent).where(AuditEvent.at < cutoff)).rowcount
    if deleted:
        audit("ops.audit_purged", "audit_event", actor="system", deleted=deleted, retention_days=days)
    db.session.commit()
    return deleted
