"""The setup wizard (blueprint `setup`, mounted at /setup): instance, first admin, TLS,
a ZAP node, finish. It exists only until setup is complete; `setup_gate` sends every
other page here meanwhile."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from .blueprint import bp
from .state import config_defaults


def register(app: Flask) -> None:
    for key, value in config_defaults(Path(app.instance_path)).items():
        if not app.config.get(key):
            app.config[key] = value
    from . import steps, views  # noqa: F401  (attach the routes to bp)

    app.register_blueprint(bp)
