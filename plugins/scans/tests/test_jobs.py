"""The periodic jobs: the pump re-arms only overdue ticks (once, however many pumps),
the reconciler sets node running counts from the scans that really run and fires
missed scan_finished; plus the failed-scan rate other plugins read."""
from datetime import timedelta

from plugins.nodes.service import get_node
from plugins.scans import jobs, service
from plugins.scans.launch import launch_scan
from plugins.scans.models import Scan
from plugins.scans.tests.conftest import drive
from zapdesk.extensions import db
from zapdesk.models import utcnow


def test_pump_rearms_overdue_ticks_once(app_ctx, scan_setup):
    target, profile = scan_setup("https://p.example/")
    overdue, fresh = launch_scan(target, profile), launch_scan(target, profile)
    db.session.execute(db.update(Scan).where(Scan.id == overdue.id).values(tick_due_at=utcnow() - timedelta(seconds=5)))
    db.session.commit()
    assert jobs.claim_due_ticks() == [(overdue.id, overdue.tick)]
    assert jobs.claim_due_ticks() == [], "claimed once: the due time moved a lease ahead"
    assert jobs.pump_ticks() == 0 and fresh.tick_due_at is not None


def test_reconcile_resyncs_node_counts(app_ctx, registered_node, target_site, scan_setup):
    node = registered_node()
    target, profile = scan_setup(target_site + "/")
    scan = drive(launch_scan(target, profile).id, until=lambda s: s.state == "spider")
    db.session.execute(db.update(type(get_node(node.id))).values(running_scans=2))
    db.session.commit()
    assert jobs.reconcile() == {"nodes": 1, "running": 1, "fired": 0}
    db.session.expire_all()
    assert get_node(node.id).running_scans == 1
    assert drive(scan.id).state == "done"
    jobs.reconcile()
    db.session.expire_all()
    assert get_node(node.id).running_scans == 0


def test_reconcile_fires_a_missed_scan_finished(app_ctx, scan_setup):
    target, profile = scan_setup("https://r.example/")
    scan = service.create_finished_scan(target.id, [{"pluginId": "1"}], urls=["https://r.example/"],
                                        profile_id=profile.id, finished_at=utcnow() - timedelta(minutes=5))
    scan.source = "zap"
    db.session.commit()
    assert jobs.reconcile()["fired"] == 1 and jobs.reconcile()["fired"] == 0


def test_failed_scan_rate_and_queue_stats(app_ctx, scan_setup):
    target, profile = scan_setup("https://f.example/")
    for state in ("done", "failed", "timed_out", "done"):
        db.session.add(Scan(target=target, profile=profile, state=state, finished_at=utcnow()))
    launch_scan(target, profile)
    db.session.commit()
    assert service.failed_scan_rate(24) == {"total": 4, "failed": 2, "rate": 0.5}
    assert service.queue_stats() == {"queued": 1, "running": 0}
