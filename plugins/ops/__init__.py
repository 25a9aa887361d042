"""The ops plugin: Operations overview (admins)."""
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
    if not can("ops.admin", user=user):
        return []
    return [MenuLink("Ops", "ops.index", order=90)]
