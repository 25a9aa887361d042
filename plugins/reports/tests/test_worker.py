"""After scan_finished, a real RQ worker (subprocess) ingests and stores every report."""
import hashlib

from zapdesk.extensions import db

from plugins.reports import store
from plugins.reports.models import Report

from .scans import ingested_scan, typical_alerts


def test_scan_finished_generates_every_report_on_the_worker(app, worker_process):
    from plugins.scans.service import fire_scan_finished

    with app.app_context():
        scan = ingested_scan(typical_alerts(), ingest=False)  # the job must not rely on ingestion order
        assert fire_scan_finished(scan)
        scan_id = scan.id
    worker = worker_process("--burst")
    assert worker.wait(timeout=120) == 0, worker.stderr.read().decode()
    with app.app_context():
        target_reports = db.session.query(Report).filter(Report.target_id.isnot(None)).all()
        assert sorted((r.format, r.state) for r in target_reports) == [("evolution-html", "ready"),
                                                                       ("evolution-pdf", "ready")]
        reports = db.session.query(Report).filter_by(scan_id=scan_id).all()
        assert sorted(r.format for r in reports) == ["html", "json", "pdf", "sarif", "zap-json", "zap-xml"]
        for report in reports:
            assert report.state == "ready", report.error
            assert hashlib.sha256(store.report_file(report).read_bytes()).hexdigest() == report.sha256
        assert b"Cross Site Scripting (Reflected)" in store.report_file(
            next(r for r in reports if r.format == "html")).read_bytes()
