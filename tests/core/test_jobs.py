"""Jobs run on a real RQ worker in a subprocess, inside an app context."""
import time

import pytest

from zapdesk.extensions import db
from zapdesk.jobs import enqueue, get_queue
from zapdesk.models import get_setting


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_job_runs_in_app_context_on_subprocess_worker(app, worker_process):
    with app.app_context():
        job = enqueue("tests.core.jobs_probe.record", "probe", 7, timeout=30)
    worker_process()

    def done():
        with app.app_context():
            db.session.remove()
            return get_setting("probe") is not None

    assert wait_for(done), "the worker never ran the job"
    with app.app_context():
        assert get_setting("probe") == {"value": 7, "instance": "zapdesk"}
    job.refresh()
    assert job.get_status() == "finished" and job.timeout == 30


def test_unknown_queue_is_refused(app):
    with app.app_context(), pytest.raises(ValueError, match="unknown queue"):
        get_queue("nope")


def test_delayed_job_goes_to_the_scheduled_registry(app):
    with app.app_context():
        job = enqueue("tests.core.jobs_probe.record", "later", 1, delay=60)
        assert job.get_status() == "scheduled"
        assert job.id in get_queue("default").scheduled_job_registry.get_job_ids()
