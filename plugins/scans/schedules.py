"""Schedules: run a profile against a target on a cron expression or an interval.

`run_due()` claims each due run with a conditional UPDATE on `next_run_at` (the value
it read), so a due schedule launches exactly one scan however many schedulers run."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from croniter import croniter
from sqlalchemy import select, update

from zapdesk.audit import audit
from zapdesk.extensions import db
from zapdesk.models import utcnow

from .clock import as_utc
from .models import Schedule

log = logging.getLogger(__name__)
MIN_INTERVAL_S = 60


class ScheduleError(ValueError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def next_after(cron: str, interval_s: int, base: datetime) -> datetime:
    base = as_utc(base)
    if cron:
        return croniter(cron, base).get_next(datetime)
    return base + timedelta(seconds=interval_s)


def preview(schedule: Schedule, count: int = 5) -> list[datetime]:
    """The next `count` run times (UTC)."""
    runs, at = [], as_utc(schedule.next_run_at) or utcnow()
    for _ in range(count):
        runs.append(at)
        at = next_after(schedule.cron, schedule.interval_s, at)
    return runs


def clean(cron: str, interval) -> tuple[str, int]:
    cron = (cron or "").strip()
    interval_s = 0
    if cron and str(interval or "").strip():
        raise ScheduleError({"cron": "give a cron expression or an interval, not both"})
    if cron:
        if not croniter.is_valid(cron) or len(cron.split()) != 5:
            raise ScheduleError({"cron": f"{cron!r} is not a 5-field cron expression, e.g. '0 3 * * 1'"})
        return cron, 0
    try:
        interval_s = int(str(interval).strip()) * 60
    except (TypeError, ValueError):
        raise ScheduleError({"interval_min": "give a cron expression or an interval in minutes"}) from None
    if interval_s < MIN_INTERVAL_S:
        raise ScheduleError({"interval_min": "the interval must be at least 1 minute"})
    return "", interval_s


def create_schedule(target, profile, cron: str = "", interval_min=None, enabled: bool = True,
                    actor: str = "") -> Schedule:
    if target is None or profile is None:
        raise ScheduleError({"profile_id": "choose a target and a profile"})
    cron, interval_s = clean(cron, interval_min)
    schedule = Schedule(target=target, profile=profile, cron=cron, interval_s=interval_s, enabled=enabled,
                        created_by=actor, next_run_at=next_after(cron, interval_s, utcnow()))
    db.session.add(schedule)
    db.session.flush()
    audit("schedule.create", schedule, actor=actor or None, cron=cron, interval_s=interval_s)
    return schedule


def set_enabled(schedule: Schedule, enabled: bool, actor: str = "") -> None:
    schedule.enabled = enabled
    if enabled:
        schedule.next_run_at = next_after(schedule.cron, schedule.interval_s, utcnow())
    audit("schedule.enable" if enabled else "schedule.disable", schedule, actor=actor or None)


def delete_schedule(schedule: Schedule, actor: str = "") -> None:
    audit("schedule.delete", schedule, actor=actor or None)
    db.session.delete(schedule)


def schedules_for_target(target_id: int) -> list[Schedule]:
    return list(db.session.scalars(select(Schedule).where(Schedule.target_id == target_id).order_by(Schedule.id)))


def claim_run(schedule: Schedule) -> bool:
    seen = schedule.next_run_at
    upcoming = next_after(schedule.cron, schedule.interval_s, max(as_utc(seen), utcnow() - timedelta(seconds=1)))
    result = db.session.execute(
        update(Schedule).where(Schedule.id == schedule.id, Schedule.next_run_at == seen, Schedule.enabled.is_(True))
        .values(next_run_at=upcoming, last_run_at=utcnow()).execution_options(synchronize_session=False))
    return result.rowcount == 1


def run_due() -> list[int]:
    """Launch one scan per due schedule; return the new scan ids."""
    from .launch import launch_scan

    launched = []
    due = db.session.scalars(select(Schedule).where(Schedule.enabled.is_(True), Schedule.next_run_at <= utcnow())).all()
    for schedule in due:
        if not claim_run(schedule):
            db.session.rollback()
            continue
        scan = launch_scan(schedule.target, schedule.profile, requested_by=f"schedule #{schedule.id}",
                           schedule_id=schedule.id)
        db.session.execute(update(Schedule).where(Schedule.id == schedule.id).values(last_scan_id=scan.id))
        db.session.commit()
        launched.append(scan.id)
    return launched
