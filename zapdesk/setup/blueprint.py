"""The wizard's blueprint and the guards every step shares."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from . import state

bp = Blueprint("setup", __name__, url_prefix="/setup")
OPEN_WITHOUT_LOGIN = {"setup.index", "setup.login", "setup.instance", "setup.admin"}


def wizard_available() -> bool:
    return bool(current_app.config.get("SETUP_REQUIRED")) and not state.is_complete()


def is_setup_admin() -> bool:
    return bool(getattr(current_user, "is_authenticated", False)
                and current_user.role == "admin" and current_user.is_active)


@bp.before_request
def guard():
    """Gone once setup is complete; locked to the first admin once it exists; steps open
    in order (going back is allowed)."""
    if not wizard_available():
        if request.endpoint == "setup.index" and request.method == "GET":
            return redirect(url_for("auth.login"))
        abort(404)
    step = (request.endpoint or "").removeprefix("setup.")
    if state.admin_exists() and not is_setup_admin() and request.endpoint != "setup.login":
        return redirect(url_for("setup.login"))
    if step in state.STEPS and not state.reachable(step):
        return redirect(url_for("setup." + state.first_open_step()))
    return None


@bp.before_app_request
def load_instance_settings():
    """Once per process: the name and URL saved by the wizard replace the defaults."""
    app = current_app._get_current_object()
    if app.extensions.get("zapdesk_instance_settings"):
        return
    try:
        state.apply_instance_settings(app)
        app.extensions["zapdesk_instance_settings"] = True
    except SQLAlchemyError:
        db.session.rollback()  # no tables yet (before `db upgrade`): keep the defaults
