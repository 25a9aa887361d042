"""Until setup is complete, every route but /health, /api/version, static files, the
wizard itself and views marked `@setup_exempt` (machine endpoints such as /metrics, which
authenticate on their own) redirects to /setup. The flag lives in the database (Setting
"setup.complete"); once seen true it is cached for the life of the process."""
from __future__ import annotations

from flask import Flask, current_app, redirect, request, url_for

from .models import get_setting

SETUP_FLAG = "setup.complete"
OPEN_ENDPOINTS = {"static", "core.health", "core.version"}


def setup_exempt(view):
    """Mark a view that must answer before setup completes (it authenticates itself)."""
    view.zapdesk_setup_exempt = True
    return view


def _exempt(endpoint: str) -> bool:
    if endpoint in OPEN_ENDPOINTS or endpoint.startswith("setup."):
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, "zapdesk_setup_exempt", False))


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
    if _exempt(request.endpoint or ""):
        return None
    if "setup.index" not in current_app.view_functions:
        return None  # no wizard installed: nothing to redirect to
    if is_setup_complete():
        return None
    return redirect(url_for("setup.index"))


def register(app: Flask) -> None:
    app.before_request(_gate)
