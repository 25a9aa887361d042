"""Querying the audit trail: filters from the query string, pages, and CSV rows that a
spreadsheet cannot mistake for formulas."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import Select, func, or_, select

from zapdesk.extensions import db
from zapdesk.models import AuditEvent

PAGE_SIZE = 50
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ("at", "actor", "action", "object_type", "object_id", "outcome", "ip", "detail")


@dataclass
class AuditFilters:
    actor: str = ""
    action: str = ""
    obj: str = ""
    since: str = ""
    until: str = ""

    @classmethod
    def from_args(cls, args) -> "AuditFilters":
        return cls(*(str(args.get(k, "")).strip()[:200] for k in ("actor", "action", "object", "since", "until")))

    def as_args(self) -> dict:
        pairs = {"actor": self.actor, "action": self.action, "object": self.obj,
                 "since": self.since, "until": self.until}
        return {k: v for k, v in pairs.items() if v}


class FilterError(ValueError):
    pass


def parse_day(value: str, field: str) -> datetime:
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise FilterError(f"{field} must be a date like 2026-01-31") from None
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def contains(column, text: str):
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped.lower()}%", escape="\\")


def filtered(filters: AuditFilters) -> Select:
    query = select(AuditEvent)
    if filters.actor:
        query = query.where(contains(AuditEvent.actor, filters.actor))
    if filters.action:
        query = query.where(contains(AuditEvent.action, filters.action))
    if filters.obj:
        query = query.where(or_(contains(AuditEvent.object_type, filters.obj),
                                contains(AuditEvent.object_id, filters.obj)))
    if filters.since:
        query = query.where(AuditEvent.at >= parse_day(filters.since, "From"))
    if filters.until:
        query = query.where(AuditEvent.at < parse_day(filters.until, "To") + timedelta(days=1))
    return query


def page_of(filters: AuditFilters, page: int) -> tuple[list[AuditEvent], int, int]:
    """(events on `page`, total matching, number of pages); newest first."""
    query = filtered(filters)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = db.session.execute(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                              .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).scalars().all()
    return list(rows), total, pages


def csv_safe(value) -> str:
    """Neutralise CSV injection: a cell a spreadsheet would evaluate gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(event) -> list[str]:
    values = (event.at.isoformat() if event.at else "", event.actor, event.action, event.object_type,
              event.object_id, event.outcome, event.ip, json.dumps(event.detail or {}, sort_keys=True, default=str))
    return [csv_safe(v) for v in values]


def iter_events(filters: AuditFilters, batch: int = 500):
    """All matching events (plain rows, not ORM objects: an export is read-only and
    large), oldest first, fetched in batches so memory stays bounded."""
    query = filtered(filters).with_only_columns(*AuditEvent.__table__.c).order_by(AuditEvent.id)
    last_id = 0
    while True:
        rows = db.session.execute(query.where(AuditEvent.id > last_id).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
