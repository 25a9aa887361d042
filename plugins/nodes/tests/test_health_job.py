"""The periodic node health check: a real RQ worker subprocess runs the job the
scheduler enqueues, against simulated ZAP nodes (the stand-in for ZAP)."""
from plugins.nodes import jobs, service
from zapdesk.contracts import PeriodicJob
from zapdesk.extensions import db
from zapdesk.models import AuditEvent


def statuses(audit_rows) -> list[tuple[str, str]]:
    return [(e.detail["previous"], e.outcome) for e in audit_rows]


def test_hook_register_jobs_declares_the_health_check(app_ctx):
    from zapdesk.plugins import flatten, get_plugin_manager

    job = next(j for j in flatten(get_plugin_manager().hook.register_jobs()) if j.name == "node-health")
    assert isinstance(job, PeriodicJob) and job.func == "plugins.nodes.jobs.check_nodes"
    assert job.every_seconds == app_ctx.config["NODE_HEALTH_INTERVAL"] == 60


def test_unhealthy_after_n_failures_then_recovers_with_audit(app_ctx, registered_node):
    app_ctx.config["NODE_UNHEALTHY_AFTER"] = 3
    node = registered_node(name="zap-h")
    node.sim.set_fault("refuse")
    assert [jobs.check_nodes()["zap-h"] for _ in range(3)] == ["healthy", "healthy", "unhealthy"]
    node.sim.set_fault(None)
    assert jobs.check_nodes() == {"zap-h": "healthy"}
    rows = db.session.query(AuditEvent).filter_by(action="node.status").order_by(AuditEvent.id).all()
    assert statuses(rows) == [("unknown", "healthy"), ("healthy", "unhealthy"), ("unhealthy", "healthy")]
    assert "connection refused" in rows[1].detail["error"] and all(r.actor == "system" for r in rows)


def test_disabled_nodes_are_not_checked(app_ctx, registered_node):
    node = service.get_node(registered_node(name="zap-off").id)
    service.set_enabled(node, False)
    assert jobs.check_nodes() == {}


def test_scheduler_and_worker_run_the_check(app, registered_node, worker_process):
    from zapdesk.scheduler import tick

    node = registered_node(name="zap-w", fault="bad_key")
    assert "node-health" in tick(app)
    proc = worker_process("--burst")
    _, stderr = proc.communicate(timeout=60)
    with app.app_context():
        checked = service.get_node(node.id)
        assert checked.checked_at is not None, stderr.decode()[-2000:]
        assert checked.last_error == "API key rejected"
