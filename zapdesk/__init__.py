"""zapdesk core: the application factory.

create_app() builds the app from config (defaults -> plugin defaults -> instance file ->
ZAPDESK_* env), binds the extensions, loads plugins through pluggy and registers what
they return. The core never imports a plugin.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as cfg
from .extensions import csrf, db, htmx, login_manager, migrate
from .plugins import default_plugin_manager, flatten

__version__ = "0.1.0"


def create_app(config: dict[str, Any] | None = None, plugin_manager=None) -> Flask:
    """Build the app. `plugin_manager` defaults to the process-wide one (every plugin
    installed in the `zapdesk.plugins` entry-point group)."""
    instance_path = Path((config or {}).get("INSTANCE_PATH") or cfg.instance_path_from_env())
    instance_path.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__, instance_path=str(instance_path), instance_relative_config=True)
    app.extensions["zapdesk_plugins"] = plugin_manager or default_plugin_manager()
    load_config(app, config or {})
    configure_logging(app)
    init_extensions(app)
    register_core(app)
    register_plugins(app)
    return app


def load_config(app: Flask, overrides: dict[str, Any]) -> None:
    merged: dict[str, Any] = dict(cfg.DEFAULTS)
    for defaults in app.extensions["zapdesk_plugins"].hook.config_defaults():
        for key, value in (defaults or {}).items():
            merged.setdefault(key, value)
    merged.update(cfg.load_instance_file(Path(app.instance_path)))
    merged.update(cfg.env_overrides(merged))
    merged.update({k: v for k, v in overrides.items() if k != "INSTANCE_PATH"})
    cfg.finalize(merged, Path(app.instance_path))
    app.config.update(merged)
    Path(app.config["MEDIA_PATH"]).mkdir(parents=True, exist_ok=True)


def configure_logging(app: Flask) -> None:
    level = getattr(logging, str(app.config["LOG_LEVEL"]).upper(), logging.INFO)
    app.logger.setLevel(level)
    logging.getLogger("zapdesk").setLevel(level)
    logging.getLogger("plugins").setLevel(level)


def init_extensions(app: Flask) -> None:
    from . import sqlite  # noqa: F401  (registers SQLite pragmas on connect)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    htmx.init_app(app)
    hops = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_core(app: Flask) -> None:
    from . import auth, errors, setup, setup_gate, views, webui
    from .migrations_config import configure_alembic

    migrate.configure(configure_alembic)
    app.register_blueprint(views.bp)
    app.register_blueprint(auth.bp)
    errors.register(app)
    webui.register(app)
    setup_gate.register(app)
    setup.register(app)


def register_plugins(app: Flask) -> None:
    for blueprint in flatten(app.extensions["zapdesk_plugins"].hook.register_blueprints()):
        app.register_blueprint(blueprint)
