"""The nodes plugin: The pool of ZAP daemons that run scans."""
from pathlib import Path

from zapdesk.contracts import MenuLink
from zapdesk.hookspecs import hookimpl
from zapdesk.permissions import can


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
