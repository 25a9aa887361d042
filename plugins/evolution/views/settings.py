"""/findings/risk-weights: the weights of the risk score (admins)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from zapdesk.audit import audit
from zapdesk.extensions import db
from zapdesk.permissions import require

from ..risk import DEFAULT_WEIGHTS, risk_weights, save_weights, validate_weights
from . import bp


@bp.get("/findings/risk-weights")
@require("findings.admin")
def risk_weights_page():
    return render_template("evolution/risk_weights.html", weights=risk_weights(), defaults=DEFAULT_WEIGHTS, errors={})


@bp.post("/findings/risk-weights")
@require("findings.admin")
def save_risk_weights():
    weights, errors = validate_weights(request.form)
    if errors:
        return render_template("evolution/risk_weights.html", weights={**risk_weights(), **weights},
                               defaults=DEFAULT_WEIGHTS, errors=errors), 400
    before = risk_weights()
    save_weights(weights)
    audit("settings.risk_weights", "evolution.risk_weights", before=before, after=weights)
    db.session.commit()
    flash("Risk weights saved; they apply from the next snapshot (after the next scan).", "success")
    return redirect(url_for("evolution.risk_weights_page"))
