"""Alembic wiring: the core's versions folder plus one branch per plugin."""
from __future__ import annotations

from pathlib import Path

from .plugins import get_plugin_manager

CORE_VERSIONS = Path(__file__).parent / "migrations" / "versions"


def version_locations() -> list[str]:
    paths = [str(CORE_VERSIONS)]
    for path in get_plugin_manager().hook.register_migrations():
        if path:
            paths.append(str(path))
    return paths


def configure_alembic(config):
    config.set_main_option("version_locations", " ".join(version_locations()))
    config.set_main_option("path_separator", "space")
    return config
