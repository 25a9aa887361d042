"""Time helpers: SQLite returns naive datetimes for timezone-aware columns; treat them as UTC."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from zapdesk.models import utcnow


def as_utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)


def seconds_since(value: datetime | None) -> float:
    return (utcnow() - as_utc(value)).total_seconds() if value else 0.0


def after(seconds: float) -> datetime:
    return utcnow() + timedelta(seconds=seconds)


def iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat(timespec="seconds") if value else None
