"""The one helper every privileged action uses to write the audit trail."""
from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from .extensions import db
from .models import AuditEvent


def _actor() -> str:
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user.email
    return "system"


def _client_ip() -> str:
    if not has_request_context():
        return ""
    # request.remote_addr is already the client address when ProxyFix is configured.
    return (request.remote_addr or "")[:64]


def audit(action: str, obj: Any = None, *, outcome: str = "ok", actor: str | None = None,
          commit: bool = False, **detail: Any) -> AuditEvent:
    """Record `actor` did `action` on `obj` with `outcome`. Joins the caller's transaction
    unless `commit=True`, so an action and its audit line are saved together."""
    event = AuditEvent(
        actor=actor or _actor(),
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None and not isinstance(obj, str) else "",
        object_id=str(getattr(obj, "id", obj) or "") if obj is not None else "",
        outcome=outcome,
        ip=_client_ip(),
        detail=detail,
    )
    db.session.add(event)
    if commit:
        db.session.commit()
    return event
