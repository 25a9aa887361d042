"""Until setup is complete, every route but /health, /api/version, static files and the
wizard itself redirects to /setup. The flag lives in the database (Setting
"setup.complete"); once seen true it is cached for the life of the process."""
from __future__ import annotations

from flask import Flask, current_app, redirect, request, url_for

from .models import get_setting

SETUP_FLAG = "setup.complete"
OPEN_ENDPOINTS = {"static", "core.health", "core.version"}


def is_setup_complete() -> bool:
    if current_app.extensions.get("zapdesk_setup_complete"):
        return True
    done = bool(get_setting(SETUP_FLAG, False))
    if done:
        current_app.extensions["zapdesk_setup_complete"] = True
    return done


def _gate():
    if not current_app.config.get("SETUP_REQUIRED"):
        return None
    endpoint = request.endpoint or ""
    if endpoint in OPEN_ENDPOINTS or endpoint.startswith("setup."):
        return None
    if "setup.index" not in current_app.view_functions:
        return None  # no wizard installed: nothing to redirect to
    if is_setup_complete():
        return None
    return redirect(url_for("setup.index"))


def register(app: Flask) -> None:
    app.before_request(_gate)
