"""/targets/<id>/evolution: risk and counts over time, comparisons, and one diff."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from zapdesk.extensions import db
from zapdesk.permissions import require

from ..chart import evolution_chart
from ..models import RISK_NAMES, Comparison
from ..on_demand import CompareError, compare_on_demand
from ..service import comparison_view, target_evolution
from . import bp
from .common import get_target_or_404, render_fragment


def comparisons_of(target_id: int, limit: int = 100) -> list[Comparison]:
    return list(db.session.scalars(select(Comparison).where(Comparison.target_id == target_id)
                                   .order_by(Comparison.created_at.desc(), Comparison.id.desc()).limit(limit)))


@bp.get("/targets/<int:target_id>/evolution")
@require("findings.view")
def target_evolution_page(target_id: int):
    target = get_target_or_404(target_id)
    points = target_evolution(target_id)
    return render_fragment("evolution/target_evolution.html", "evolution/target_evolution.html",
                           target=target, points=points, chart=evolution_chart(points),
                           comparisons=comparisons_of(target_id), scan_ids=[p.scan_id for p in reversed(points)])


@bp.post("/targets/<int:target_id>/evolution/compare")
@require("findings.view")
def compare(target_id: int):
    get_target_or_404(target_id)
    older, newer = request.form.get("from", ""), request.form.get("to", "")
    if not (older.isdigit() and newer.isdigit()):
        abort(400, description="Pick the two scans to compare.")
    try:
        comparison = compare_on_demand(int(older), int(newer), actor=current_user.email)
    except CompareError as exc:
        db.session.rollback()
        flash(f"Cannot compare: {exc}.", "error")
        return redirect(url_for("evolution.target_evolution_page", target_id=target_id))
    if comparison.target_id != target_id:
        abort(400, description="Both scans must belong to this target.")
    return redirect(url_for("evolution.comparison_page", target_id=target_id, comparison_id=comparison.id))


def grouped_by_rule(view) -> list[dict]:
    """[{rule_id, name, risk, changes: {change: [ChangeView]}}], highest risk first."""
    groups: dict[str, dict] = {}
    for change in ("regressed", "new", "risk_changed", "resolved", "not_retested"):
        for item in getattr(view, change):
            group = groups.setdefault(item.rule_id, {"rule_id": item.rule_id, "name": item.name, "risk": item.risk,
                                                      "changes": {}})
            group["changes"].setdefault(change, []).append(item)
            if RISK_NAMES.index(item.risk) > RISK_NAMES.index(group["risk"]):
                group["risk"] = item.risk
    return sorted(groups.values(), key=lambda g: (-RISK_NAMES.index(g["risk"]), g["name"]))


@bp.get("/targets/<int:target_id>/evolution/<int:comparison_id>")
@require("findings.view")
def comparison_page(target_id: int, comparison_id: int):
    target = get_target_or_404(target_id)
    comparison = db.session.get(Comparison, comparison_id)
    if comparison is None or comparison.target_id != target_id:
        abort(404, description="No such comparison for this target.")
    view = comparison_view(comparison, with_persisting=False)
    return render_fragment("evolution/comparison.html", "evolution/comparison.html", target=target,
                           comparison=comparison, view=view, groups=grouped_by_rule(view))
