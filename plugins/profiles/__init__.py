"""The profiles plugin: Scan profiles: what a scan runs."""
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
    if not can("profiles.view", user=user):
        return []
    return [MenuLink("Profiles", "profiles.index", order=30)]
