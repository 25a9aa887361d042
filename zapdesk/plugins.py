"""The plugin manager: pluggy + the `zapdesk.plugins` entry-point group."""
from __future__ import annotations

from importlib.metadata import entry_points

import pluggy

from . import hookspecs

ENTRY_POINT_GROUP = "zapdesk.plugins"
# Core hook implementations (defaults that plugins may override) live in the core.
CORE_PLUGINS = ("zapdesk.permissions", "zapdesk.health", "zapdesk.dashboard")

_pm: pluggy.PluginManager | None = None


def build_plugin_manager(disabled: tuple[str, ...] = ()) -> pluggy.PluginManager:
    pm = pluggy.PluginManager("zapdesk")
    pm.add_hookspecs(hookspecs)
    for name in CORE_PLUGINS:
        module = __import__(name, fromlist=["*"])
        pm.register(module, name=name)
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        if ep.name in disabled or pm.get_plugin(ep.name) is not None:
            continue
        pm.register(ep.load(), name=ep.name)
    return pm


def get_plugin_manager() -> pluggy.PluginManager:
    """The current app's plugin manager, or the process default outside an app."""
    from flask import current_app, has_app_context

    if has_app_context():
        pm = current_app.extensions.get("zapdesk_plugins")
        if pm is not None:
            return pm
    return default_plugin_manager()


def default_plugin_manager() -> pluggy.PluginManager:
    global _pm
    if _pm is None:
        _pm = build_plugin_manager()
    return _pm


def flatten(results) -> list:
    """Concatenate the list results of a list-hook, skipping None."""
    out: list = []
    for item in results:
        if item:
            out.extend(item)
    return out


def plugin_names() -> list[str]:
    return sorted(name for name, _ in get_plugin_manager().list_name_plugin())


def collect_isolated(hook_name: str, **kwargs) -> list:
    """Call a list-hook one implementation at a time, so a plugin that raises costs only
    its own contribution (logged), never the page. Returns the concatenated results."""
    import logging

    found: list = []
    for impl in getattr(get_plugin_manager().hook, hook_name).get_hookimpls():
        try:
            found.extend(impl.function(**{k: v for k, v in kwargs.items() if k in impl.argnames}) or [])
        except Exception:
            logging.getLogger(__name__).exception(
                "plugin %s failed in %s; its part is left out", impl.plugin_name, hook_name)
    return found


def collect_sections(hook_name: str, **kwargs) -> list:
    """`scan_sections` / `target_sections` results, isolated per plugin, in display order."""
    return sorted(collect_isolated(hook_name, **kwargs), key=lambda s: (s.order, s.title))
