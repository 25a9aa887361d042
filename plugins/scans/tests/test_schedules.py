"""Schedules: cron/interval validation, next runs, and exactly one scan per due run even
when several schedulers claim at the same moment (threads with their own sessions)."""
import threading
from datetime import timedelta

import pytest

from plugins.scans import schedules
from plugins.scans.clock import as_utc
from plugins.scans.models import Scan, Schedule
from zapdesk.extensions import db
from zapdesk.models import utcnow


def test_cron_and_interval_validation(app_ctx, scan_setup):
    target, profile = scan_setup("https://s.example/")
    for cron, interval, message in [("* * *", None, "5-field"), ("", "0", "at least 1 minute"),
                                    ("0 3 * * *", "5", "not both"), ("", "abc", "interval in minutes")]:
        with pytest.raises(schedules.ScheduleError) as err:
            schedules.create_schedule(target, profile, cron=cron, interval_min=interval)
        assert message in str(err.value)
    hourly = schedules.create_schedule(target, profile, interval_min="60")
    runs = schedules.preview(hourly, 3)
    assert runs[1] - runs[0] == timedelta(hours=1) and runs[0] > utcnow()


def test_a_due_schedule_launches_exactly_once_with_several_schedulers(app, app_ctx, scan_setup):
    target, profile = scan_setup("https://s.example/")
    # A yearly cron: the next run after this one is never inside the test (a */5 cron made
    # the test fail when it ran across a five-minute boundary).
    schedule = schedules.create_schedule(target, profile, cron="0 0 1 1 *")
    schedule.next_run_at = utcnow() - timedelta(seconds=5)
    db.session.commit()
    launched, barrier = [], threading.Barrier(4)

    def scheduler():
        with app.app_context():
            barrier.wait()
            launched.extend(schedules.run_due())
            db.session.remove()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    db.session.expire_all()
    assert len(launched) == 1 and db.session.query(Scan).count() == 1
    row = db.session.get(Schedule, schedule.id)
    assert row.last_scan_id == launched[0] and as_utc(row.next_run_at) > utcnow()
    assert schedules.run_due() == [], "not due again until the next cron time"
