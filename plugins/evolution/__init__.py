"""The evolution plugin: deduplicated findings, triage, risk and scan-over-scan evolution."""
from pathlib import Path

from flask import url_for

from zapdesk.contracts import MenuLink, Panel, PeriodicJob, Section
from zapdesk.hookspecs import hookimpl
from zapdesk.permissions import can

from . import models  # noqa: F401  (puts the tables on db.metadata)
from .fingerprint import alert_fingerprint  # noqa: F401  (the built-in, trylast)


@hookimpl
def register_blueprints():
    from .views import bp

    return [bp]


@hookimpl
def register_migrations():
    return str(Path(__file__).parent / "migrations" / "versions")


@hookimpl
def register_commands(cli):
    from .cli import register

    register(cli)


@hookimpl
def register_jobs():
    return [PeriodicJob("evolution.expire-accepted-risks", "plugins.evolution.jobs.expire_accepted_risks_job",
                        every_seconds=600, timeout=300)]


@hookimpl
def menu_links(user):
    if not can("findings.view", user=user):
        return []
    return [MenuLink("Findings", "evolution.index", order=40, match_prefix="/findings")]


@hookimpl
def dashboard_panels(user):
    if not can("findings.view", user=user):
        return []
    return [Panel("Open findings by risk", "evolution.panel_open_findings", order=10),
            Panel("Risk trend", "evolution.panel_risk_trend", order=20),
            Panel("Recent scans", "evolution.panel_recent_scans", order=30),
            Panel("ZAP node health", "evolution.panel_node_health", order=40)]


@hookimpl
def target_sections(target, user):
    if not can("findings.view", user=user):
        return []
    return [Section("Findings and evolution", url_for("evolution.target_section", target_id=target.id), order=20)]


@hookimpl
def scan_sections(scan, user):
    if not can("findings.view", user=user):
        return []
    return [Section("Changes since the previous scan", url_for("evolution.scan_changes_section", scan_id=scan.id),
                    order=20),
            Section("Findings", url_for("evolution.scan_findings_section", scan_id=scan.id), order=30)]


@hookimpl
def scan_finished(scan):
    """Quick: ingestion is a job (it may take seconds for a large scan)."""
    from zapdesk.jobs import enqueue

    enqueue("plugins.evolution.jobs.ingest_scan_job", scan.id, queue="default", timeout=1800)
