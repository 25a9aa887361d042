"""The scan_finished listener enqueues ingestion, and a real RQ worker (a subprocess)
runs it. ZAP is not involved: the scan is created finished through the scans service."""
import time

from sqlalchemy import select

from plugins.evolution.models import ScanIngest
from zapdesk.extensions import db
from zapdesk.jobs import get_queue

from .helpers import alert, finished_scan, new_target


def test_scan_finished_enqueues_ingestion_that_a_worker_runs(app, worker_process):
    from plugins.scans.service import fire_scan_finished

    with app.app_context():
        scan = finished_scan(new_target(), [alert(), alert(url="http://target.test/b")])
        scan_id = scan.id
        assert fire_scan_finished(scan) is True
        jobs = [j for j in get_queue("default").jobs if j.func_name.startswith("plugins.evolution.")]
        assert [j.func_name for j in jobs] == ["plugins.evolution.jobs.ingest_scan_job"] and jobs[0].args == (scan_id,)
    worker_process("--burst")
    deadline = time.monotonic() + 60
    with app.app_context():
        while time.monotonic() < deadline:
            db.session.remove()
            row = db.session.get(ScanIngest, scan_id)
            if row is not None:
                break
            time.sleep(0.2)
        assert row is not None and row.summary["findings"] == 2


def test_ingest_job_skips_scans_that_are_not_done(app_ctx):
    from plugins.evolution.jobs import ingest_scan_job

    assert "missing" in ingest_scan_job(424242)["skipped"]
    assert db.session.scalars(select(ScanIngest)).all() == []
