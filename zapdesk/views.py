"""Core pages: the dashboard shell, /health and /api/version."""
from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required

from . import __version__
from .health import overall, run_checks
from .plugins import collect_isolated, plugin_names

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    return redirect(url_for("auth.login"))


@bp.get("/dashboard")
@login_required
def dashboard():
    panels = collect_isolated("dashboard_panels", user=current_user)
    return render_template("core/dashboard.html", panels=sorted(panels, key=lambda p: p.order))


@bp.get("/dashboard/panels/health")
@login_required
def health_panel():
    results = run_checks()
    return render_template("core/_health_panel.html", results=results, status=overall(results))


@bp.get("/health")
def health():
    """No auth: load balancers and the installer poll it. Says nothing secret."""
    results = run_checks(only_critical=False)
    status = overall(results)
    code = 503 if status == "fail" else 200
    body = {"status": status, "version": __version__,
            "checks": {name: {"status": r["status"], "detail": r["detail"]}
                       for name, r in results.items()}}
    return jsonify(body), code


@bp.get("/api/version")
def version():
    return jsonify({"name": "zapdesk", "version": __version__, "plugins": plugin_names()})
