"""/ops/settings: thresholds of the health checks and the audit retention."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from zapdesk.audit import audit
from zapdesk.extensions import db
from zapdesk.permissions import require

from ..settings import TUNABLES, save_thresholds, threshold
from . import bp


def current_values() -> dict:
    return {t.key: threshold(t.key) for t in TUNABLES}


@bp.get("/ops/settings")
@require("ops.admin")
def settings():
    return render_template("ops/settings.html", tunables=TUNABLES, values=current_values(), errors={})


@bp.post("/ops/settings")
@require("ops.admin")
def save_settings():
    before = current_values()
    errors = save_thresholds(request.form)
    if errors:
        db.session.rollback()
        flash("Nothing was saved: correct the marked fields.", "error")
        values = {t.key: request.form.get(t.key, "") for t in TUNABLES}
        return render_template("ops/settings.html", tunables=TUNABLES, values=values, errors=errors), 400
    changed = {k: v for k, v in current_values().items() if before[k] != v}
    audit("ops.settings_changed", "settings", changed=changed)
    db.session.commit()
    flash("Settings saved.", "success")
    return redirect(url_for("ops.settings"))
