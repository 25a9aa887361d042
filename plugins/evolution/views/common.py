"""Small helpers the evolution views share."""
from __future__ import annotations

from flask import abort, make_response, render_template, request

from zapdesk.extensions import db

from ..models import Finding


def get_finding_or_404(finding_id: int) -> Finding:
    finding = db.session.get(Finding, finding_id)
    if finding is None:
        abort(404, description="No such finding: it may have been removed with its target.")
    return finding


def get_target_or_404(target_id: int):
    from plugins.profiles.service import get_target

    target = get_target(target_id)
    if target is None:
        abort(404, description="No such target.")
    return target


def render_fragment(full: str, fragment: str, **context):
    """The fragment for HTMX requests, the full page otherwise (Vary: HX-Request)."""
    template = fragment if request.headers.get("HX-Request") else full
    response = make_response(render_template(template, **context))
    response.headers["Vary"] = "HX-Request"
    return response


def target_names(target_ids) -> dict[int, object]:
    from plugins.profiles.models import Target

    ids = sorted({t for t in target_ids if t})
    if not ids:
        return {}
    return {t.id: t for t in db.session.scalars(db.select(Target).where(Target.id.in_(ids)))}
