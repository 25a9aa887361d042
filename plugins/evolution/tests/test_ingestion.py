"""Ingestion: one finding per fingerprint per target, one occurrence per alert, idempotent,
set-based, and safe with hostile alert content. Real database (SQLite or PostgreSQL)."""
from sqlalchemy import func, select

from plugins.evolution import ingestion
from plugins.evolution.models import Finding, Occurrence, RiskSnapshot, ScanIngest
from plugins.evolution.pipeline import NotIngestable
from plugins.evolution.service import ingest_scan, scan_findings
from zapdesk.extensions import db

from .helpers import alert, finished_scan, new_target


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_one_finding_per_fingerprint_and_one_occurrence_per_alert(app_ctx):
    target = new_target()
    alerts = [alert(url=f"http://target.test/item/{n}?sessionid={n}") for n in range(5)]
    alerts += [alert(url="http://target.test/item/1", param="q"), alert(url="http://target.test/other")]
    summary = ingest_scan(finished_scan(target, alerts).id)
    assert (summary["alerts"], summary["occurrences"], summary["findings"]) == (7, 7, 3)
    assert count(Finding) == 3 and count(Occurrence) == 7


def test_ingesting_twice_changes_nothing(app_ctx):
    target = new_target()
    scan = finished_scan(target, [alert(), alert(url="http://target.test/x")])
    first = ingest_scan(scan.id)
    second = ingest_scan(scan.id)
    assert first == second
    assert count(Occurrence) == 2 and count(ScanIngest) == 1 and count(RiskSnapshot) == 3


def test_findings_are_per_target(app_ctx):
    one, two = new_target("http://one.test"), new_target("http://two.test")
    ingest_scan(finished_scan(one, [alert()]).id)
    ingest_scan(finished_scan(two, [alert()]).id)
    assert count(Finding) == 2


def test_streaming_in_chunks_with_a_bounded_id_map(app_ctx, monkeypatch):
    """Chunks smaller than the scan: the same finding met in later chunks is not re-inserted."""
    monkeypatch.setattr(ingestion, "CHUNK", 3)
    target = new_target()
    alerts = [alert(url=f"http://target.test/a/{n}", param=str(n % 2)) for n in range(10)]
    summary = ingest_scan(finished_scan(target, alerts).id)
    assert summary["findings"] == 2 and summary["occurrences"] == 10 and summary["new_findings"] == 2


def test_attributes_follow_the_newest_scan_but_never_the_key(app_ctx):
    target = new_target()
    ingest_scan(finished_scan(target, [alert(risk="Low", confidence="Low")], minutes=0).id)
    second = finished_scan(target, [alert(risk="High", confidence="High", evidence="new")], minutes=1)
    summary = ingest_scan(second.id)
    finding = db.session.scalars(select(Finding)).one()
    assert (finding.risk_name, finding.confidence_name, finding.last_seen_scan_id) == ("High", "High", second.id)
    assert summary["risk_changed"] == 1 and summary["new"] == 0


def test_only_done_scans_are_ingested(app_ctx):
    import pytest

    with pytest.raises(NotIngestable):
        ingest_scan(999999)


def test_hostile_content_is_stored_intact(app_ctx):
    target = new_target()
    big = "<script>alert('x')</script>" + "A" * (1 << 20)
    hostile = alert(name="<img src=x onerror=alert(1)>", evidence=big, attack="\x00\udc80\ud800 bad",
                    other="caf\u00e9 \U0001F600", param="<b>p</b>", url="http://target.test/<script>")
    ingest_scan(finished_scan(target, [hostile]).id)
    occurrence = db.session.scalars(select(Occurrence)).one()
    assert occurrence.evidence == big
    assert occurrence.attack == "\ufffd?? bad"  # NUL and lone surrogates replaced, never a failed insert
    assert occurrence.other == "caf\u00e9 \U0001F600"
    view = scan_findings(occurrence.scan_id)[0]
    assert view.name == "<img src=x onerror=alert(1)>" and view.occurrences[0].evidence == big


def test_scan_findings_view(app_ctx):
    target = new_target()
    scan = finished_scan(target, [alert(risk="Low"), alert(pluginId="40012", alertRef="40012", risk="High",
                                                            name="XSS", param="q", attack="<script>")])
    ingest_scan(scan.id)
    views = scan_findings(scan.id)
    assert [v.risk for v in views] == ["High", "Low"]
    assert views[0].occurrences[0].attack == "<script>" and views[0].status == "open" and len(views[0].fingerprint) == 64


def test_two_workers_ingesting_one_scan_at_once(app):
    """Two threads, each with its own session and connection (as two RQ workers would)."""
    import threading

    with app.app_context():
        scan_id = finished_scan(new_target(), [alert(url=f"http://target.test/p{n}") for n in range(300)]).id
    results, errors = [], []

    def worker():
        with app.app_context():
            try:
                results.append(ingest_scan(scan_id))
            except Exception as exc:  # noqa: BLE001  (the assertion below shows it)
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == [] and len(results) == 2 and results[0]["findings"] == results[1]["findings"] == 300
    with app.app_context():
        assert count(Occurrence) == 300 and count(ScanIngest) == 1
