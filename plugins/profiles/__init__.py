"""The profiles plugin: projects, targets and scan profiles (what a scan runs)."""
from pathlib import Path

from zapdesk.contracts import MenuLink
from zapdesk.hookspecs import hookimpl
from zapdesk.permissions import can

from . import models  # noqa: F401  (puts the tables on db.metadata)


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
    return [MenuLink("Projects", "profiles.projects", order=15, match_prefix="/targets"),
            MenuLink("Profiles", "profiles.index", order=30)]


@hookimpl
def register_commands(cli):
    from .cli import register

    register(cli)
