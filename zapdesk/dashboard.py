"""The core's own page hooks: the Dashboard menu link and its built-in panel."""
from __future__ import annotations

from .contracts import MenuLink, Panel
from .hookspecs import hookimpl


@hookimpl
def menu_links(user):
    if not getattr(user, "is_authenticated", False):
        return []
    return [MenuLink("Dashboard", "core.dashboard", order=0)]


@hookimpl
def dashboard_panels(user):
    return [Panel("System health", "core.health_panel", order=900)]
