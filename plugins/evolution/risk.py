"""The weighted risk score: Σ weight(risk) over findings that count (open, confirmed).

Weights are an admin-editable setting; false positives, accepted risks and fixed findings
never count. A snapshot per target, project and globally is written after each scan.
"""
from __future__ import annotations

from sqlalchemy import func, select

from zapdesk.extensions import db
from zapdesk.models import get_setting, set_setting

from .models import ACTIVE_STATUSES, RISK_NAMES, Finding, RiskSnapshot

WEIGHTS_KEY = "evolution.risk_weights"
DEFAULT_WEIGHTS = {"High": 10.0, "Medium": 4.0, "Low": 1.0, "Informational": 0.0}


def risk_weights() -> dict[str, float]:
    stored = get_setting(WEIGHTS_KEY) or {}
    return {name: float(stored.get(name, DEFAULT_WEIGHTS[name])) for name in DEFAULT_WEIGHTS}


def validate_weights(form: dict) -> tuple[dict[str, float], dict[str, str]]:
    weights, errors = {}, {}
    for name in DEFAULT_WEIGHTS:
        raw = str(form.get(name, "")).strip()
        try:
            value = float(raw)
        except ValueError:
            errors[name] = f"{name}: enter a number, e.g. {DEFAULT_WEIGHTS[name]:g}"
            continue
        if not 0 <= value <= 1000:
            errors[name] = f"{name}: use a weight between 0 and 1000"
        weights[name] = value
    return weights, errors


def save_weights(weights: dict[str, float]) -> None:
    set_setting(WEIGHTS_KEY, weights)


def open_counts(target_id: int | None = None, project_id: int | None = None) -> dict[str, int]:
    """Findings that count towards risk, by risk name (every name present, maybe 0)."""
    from plugins.profiles.models import Target

    query = select(Finding.risk, func.count()).where(Finding.status.in_(ACTIVE_STATUSES)).group_by(Finding.risk)
    if target_id is not None:
        query = query.where(Finding.target_id == target_id)
    if project_id is not None:
        query = query.where(Finding.target_id.in_(select(Target.id).where(Target.project_id == project_id)))
    counts = {name: 0 for name in reversed(RISK_NAMES)}
    for risk, count in db.session.execute(query):
        counts[RISK_NAMES[risk] if 0 <= risk < len(RISK_NAMES) else "Informational"] += count
    return counts


def score_of(counts: dict[str, int], weights: dict[str, float] | None = None) -> float:
    weights = weights or risk_weights()
    return round(sum(weights.get(name, 0.0) * n for name, n in counts.items()), 2)


def risk_score(target_id: int | None = None, project_id: int | None = None) -> float:
    return score_of(open_counts(target_id, project_id))


def take_snapshots(scan_id: int, target_id: int, project_id: int | None) -> RiskSnapshot:
    """Target, project and global snapshots after a scan; returns the target's."""
    weights = risk_weights()
    scopes = [("target", target_id, open_counts(target_id=target_id))]
    if project_id is not None:
        scopes.append(("project", project_id, open_counts(project_id=project_id)))
    scopes.append(("global", None, open_counts()))
    snapshots = [RiskSnapshot(scan_id=scan_id, scope=scope, scope_id=scope_id, counts=counts,
                              score=score_of(counts, weights)) for scope, scope_id, counts in scopes]
    db.session.add_all(snapshots)
    return snapshots[0]


def target_snapshot(scan_id: int | None) -> RiskSnapshot | None:
    if scan_id is None:
        return None
    return db.session.scalar(select(RiskSnapshot).where(RiskSnapshot.scan_id == scan_id,
                                                        RiskSnapshot.scope == "target").limit(1))


def trend(scope: str = "global", scope_id: int | None = None, limit: int = 60) -> list[RiskSnapshot]:
    query = select(RiskSnapshot).where(RiskSnapshot.scope == scope)
    query = query.where(RiskSnapshot.scope_id.is_(None) if scope_id is None else RiskSnapshot.scope_id == scope_id)
    rows = db.session.scalars(query.order_by(RiskSnapshot.created_at.desc(), RiskSnapshot.id.desc()).limit(limit))
    return list(reversed(list(rows)))
