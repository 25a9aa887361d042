"""Sections other plugins add to the scan page, each collected on its own so one broken
plugin costs its section, not the page."""
from __future__ import annotations

import logging

from zapdesk.plugins import get_plugin_manager

log = logging.getLogger(__name__)


def collect_sections(hook_name: str, **kwargs) -> list:
    found = []
    for impl in getattr(get_plugin_manager().hook, hook_name).get_hookimpls():
        try:
            found.extend(impl.function(**{k: v for k, v in kwargs.items() if k in impl.argnames}) or [])
        except Exception:
            log.exception("plugin %s failed to list its %s; its section is left out", impl.plugin_name, hook_name)
    return sorted(found, key=lambda s: (s.order, s.title))
