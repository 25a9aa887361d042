"""/findings: the list (filters, sort, pages, bulk triage) and one finding's page."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from zapdesk.extensions import db
from zapdesk.permissions import require

from .. import finding_query
from ..models import RISK_NAMES, STATUS_LABELS, Finding, FindingEvent, Occurrence, TriageRule
from ..triage import TRIAGE_STATUSES, TriageError, TriageRequest, parse_expiry, triage_findings
from . import bp
from .common import get_finding_or_404, render_fragment, target_names

OCCURRENCES_SHOWN = 200
BULK_LIMIT = 5000


def list_context(filters):
    from plugins.profiles.service import list_projects, list_targets

    result = finding_query.find(filters)
    return dict(result=result, filters=filters, targets=target_names(f.target_id for f in result.findings),
                all_targets=list_targets(), projects=list_projects(), risk_names=list(reversed(RISK_NAMES)),
                status_filters=finding_query.STATUS_FILTERS, status_labels=STATUS_LABELS,
                sorts=finding_query.SORTS, triage_statuses=TRIAGE_STATUSES,
                page_url=lambda page: url_for("evolution.index", **filters.as_args(page=page)))


@bp.get("/findings")
@require("findings.view")
def index():
    filters = finding_query.parse_filters(request.args)
    return render_fragment("evolution/index.html", "evolution/_findings_table.html", **list_context(filters))


def triage_request_from(form) -> TriageRequest:
    return TriageRequest(status=form.get("status", ""), scope=form.get("scope", "finding"),
                         reason=(form.get("reason") or "")[:2000], expires_on=parse_expiry(form.get("expires_on")),
                         actor=current_user.email, url=(form.get("url") or "")[:4000])


def selected_findings(form) -> list[Finding]:
    if form.get("select_all_matching") == "1":
        filters = {key[len("filter_"):]: value for key, value in form.items() if key.startswith("filter_")}
        ids = finding_query.ids_matching(finding_query.parse_filters(filters), BULK_LIMIT)
    else:
        ids = [int(v) for v in form.getlist("finding_id") if v.isdigit()][:BULK_LIMIT]
    if not ids:
        abort(400, description="Select at least one finding (tick its box) before applying a triage action.")
    return list(db.session.scalars(select(Finding).where(Finding.id.in_(ids))))


@bp.post("/findings/bulk")
@require("findings.operate")
def bulk_triage():
    findings = selected_findings(request.form)
    try:
        changed = triage_findings(findings, triage_request_from(request.form))
    except TriageError as exc:
        db.session.rollback()
        flash(f"Nothing changed. {exc}", "error")
    else:
        db.session.commit()
        flash(f"{changed} of {len(findings)} selected findings changed status.", "success")
    return redirect(request.form.get("next") if is_local(request.form.get("next")) else url_for("evolution.index"))


def is_local(url: str | None) -> bool:
    return bool(url) and url.startswith("/") and not url.startswith("//") and "\\" not in url


def finding_context(finding: Finding, errors=None, form=None):
    from plugins.profiles.service import get_target

    occurrences = list(db.session.scalars(select(Occurrence).where(
        Occurrence.finding_id == finding.id, Occurrence.scan_id == finding.last_seen_scan_id)
        .order_by(Occurrence.id).limit(OCCURRENCES_SHOWN)))
    events = list(db.session.scalars(select(FindingEvent).where(FindingEvent.finding_id == finding.id)
                                     .order_by(FindingEvent.at.desc(), FindingEvent.id.desc()).limit(200)))
    seen_in = db.session.execute(select(Occurrence.scan_id, db.func.count()).where(Occurrence.finding_id == finding.id)
                                 .group_by(Occurrence.scan_id).order_by(Occurrence.scan_id.desc()).limit(50)).all()
    rule = db.session.get(TriageRule, finding.triage_rule_id) if finding.triage_rule_id else None
    occurrence_urls = set(db.session.scalars(select(TriageRule.url).where(
        TriageRule.finding_id == finding.id, TriageRule.scope == "occurrence", TriageRule.active.is_(True))))
    return dict(finding=finding, target=get_target(finding.target_id), occurrences=occurrences, events=events,
                seen_in=seen_in, rule=rule, occurrence_urls=occurrence_urls, errors=errors or {},
                form=form or {}, triage_statuses=TRIAGE_STATUSES, status_labels=STATUS_LABELS)


@bp.get("/findings/<int:finding_id>")
@require("findings.view")
def show(finding_id: int):
    return render_fragment("evolution/finding.html", "evolution/finding.html",
                           **finding_context(get_finding_or_404(finding_id)))


@bp.post("/findings/<int:finding_id>/triage")
@require("findings.operate")
def triage(finding_id: int):
    finding = get_finding_or_404(finding_id)
    try:
        changed = triage_findings([finding], triage_request_from(request.form))
    except TriageError as exc:
        db.session.rollback()
        return render_fragment("evolution/finding.html", "evolution/finding.html",
                               **finding_context(get_finding_or_404(finding_id), exc.errors, request.form)), 400
    db.session.commit()
    flash("Status changed." if changed else "Decision saved; the status was already that.", "success")
    return redirect(url_for("evolution.show", finding_id=finding.id))
