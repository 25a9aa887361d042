"""The scans plugin: launch, drive and monitor scans; schedules."""
from pathlib import Path

from flask import current_app

from zapdesk.contracts import MenuLink, PeriodicJob
from zapdesk.hookspecs import hookimpl
from zapdesk.permissions import can

from . import models  # noqa: F401  (puts the tables on db.metadata)

CONFIG_DEFAULTS = {
    "SCANS_TICK_INTERVAL_S": 2.0,  # between two ticks of a running scan
    "SCANS_QUEUED_RECHECK_S": 5.0,  # between two node look-ups of a queued scan
    "SCANS_TICK_LEASE_S": 120,  # a claimed tick not finished by then is re-armed (also its job timeout)
    "SCANS_TICK_GRACE_S": 5.0,  # a delayed tick this late is taken for lost and re-armed
    "SCANS_PUMP_EVERY_S": 2.0,  # how often lost ticks are looked for (and re-armed)
    "SCANS_RECONCILE_EVERY_S": 30.0,  # node running counts, missed scan_finished
    "SCANS_SCHEDULE_EVERY_S": 30.0,  # how often schedules are checked
    "SCANS_NODE_RETRY_S": 60,  # a node may fail to answer this long before the attempt ends
    "SCANS_FAILOVER_ATTEMPTS": 1,  # re-queues onto another node after a failed attempt
    "SCANS_STUCK_AFTER_S": 900,  # no progress and no new messages this long: stuck
    "SCANS_ALERT_PAGE_SIZE": 500,  # alerts fetched per ZAP call when collecting
}


@hookimpl
def config_defaults():
    return dict(CONFIG_DEFAULTS)


@hookimpl
def register_blueprints():
    from .views import bp

    return [bp]


@hookimpl
def register_migrations():
    return str(Path(__file__).parent / "migrations" / "versions")


@hookimpl
def menu_links(user):
    if not can("scans.view", user=user):
        return []
    return [MenuLink("Scans", "scans.index", order=20)]


@hookimpl
def register_jobs():
    config = current_app.config
    job = "plugins.scans.jobs."
    lease = int(config["SCANS_TICK_LEASE_S"])
    return [
        PeriodicJob("scans-pump", job + "pump_ticks", float(config["SCANS_PUMP_EVERY_S"]), queue="scans", timeout=lease),
        PeriodicJob("scans-reconcile", job + "reconcile", float(config["SCANS_RECONCILE_EVERY_S"]), queue="scans"),
        PeriodicJob("scans-schedules", job + "run_due_schedules", float(config["SCANS_SCHEDULE_EVERY_S"])),
    ]


@hookimpl(tryfirst=True)  # the built-in phases come first; other plugins' phases follow
def scan_phases(profile):
    from .phases import built_in_phases

    return built_in_phases(profile)


@hookimpl
def target_sections(target, user):
    from flask import url_for

    from zapdesk.contracts import Section

    if not can("scans.view", user=user):
        return []
    return [Section("Scans", url_for("scans.target_scans", target_id=target.id), order=10),
            Section("Schedules", url_for("scans.target_schedules", target_id=target.id), order=20)]


@hookimpl
def register_commands(cli):
    from .cli import register

    register(cli)
