"""The ops plugin: the operations overview (health checks, /metrics), the RQ dashboard,
actions through the ops agent, and the audit trail. Admins only."""
from pathlib import Path

from zapdesk.contracts import MenuLink, PeriodicJob
from zapdesk.hookspecs import hookimpl
from zapdesk.permissions import can


@hookimpl
def config_defaults():
    from .settings import config_defaults as defaults

    return defaults()


@hookimpl
def register_blueprints():
    from .views import bp

    return [bp]


@hookimpl
def register_migrations():
    return str(Path(__file__).parent / "migrations" / "versions")


@hookimpl
def register_commands(cli):
    from .agent.cli import ops_agent_command

    cli.add_command(ops_agent_command)


@hookimpl
def register_jobs():
    return [PeriodicJob("ops.purge_audit_events", "plugins.ops.jobs.purge_audit_events",
                        every_seconds=3600, timeout=600)]


@hookimpl
def health_checks():
    from .checks import all_checks

    return all_checks()


@hookimpl
def menu_links(user):
    if not can("ops.admin", user=user):
        return []
    return [MenuLink("Ops", "ops.overview", order=90, match_prefix="/ops/")]
