"""The nodes plugin: the pool of ZAP daemons that run scans, the ZAP API client and the
ZAP simulator (`zapdesk sim-node`)."""
from pathlib import Path

from zapdesk.contracts import MenuLink, PeriodicJob
from zapdesk.hookspecs import hookimpl
from zapdesk.permissions import can

from . import models  # noqa: F401  (puts zap_node on db.metadata)


@hookimpl
def config_defaults():
    return {
        "NODE_HEALTH_INTERVAL": 60,  # seconds between health checks of enabled nodes
        "NODE_UNHEALTHY_AFTER": 3,  # consecutive failed checks before a node is unhealthy
        "NODE_TIMEOUT": 10.0,  # seconds for one ZAP API call
        "NODE_CA_BUNDLE": "",  # CA bundle for https nodes signed by a private CA (empty: system CAs)
    }


@hookimpl
def register_blueprints():
    from .views import bp

    return [bp]


@hookimpl
def register_migrations():
    return str(Path(__file__).parent / "migrations" / "versions")


@hookimpl
def menu_links(user):
    if not can("nodes.view", user=user):
        return []
    return [MenuLink("ZAP nodes", "nodes.index", order=10)]


@hookimpl
def register_commands(cli):
    from .cli import node_group, sim_node_command

    cli.add_command(node_group)
    cli.add_command(sim_node_command)


@hookimpl
def register_jobs():
    from flask import current_app

    every = float(current_app.config.get("NODE_HEALTH_INTERVAL", 60)) if _has_app() else 60.0
    return [PeriodicJob("node-health", "plugins.nodes.jobs.check_nodes", every_seconds=every, timeout=120)]


def _has_app() -> bool:
    from flask import has_app_context

    return has_app_context()


@hookimpl(trylast=True)
def select_node(scan, nodes):
    """The node with the most free slots; ties: lowest latency, then lowest id."""
    if not nodes:
        return None
    return min(nodes, key=lambda n: (-(n.capacity - n.running_scans),
                                     n.latency_ms if n.latency_ms is not None else float("inf"), n.id))
