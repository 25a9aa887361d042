"""Pages of the reports plugin: /reports, downloads, and the scan/target sections."""
from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request, send_file, url_for
from flask_login import current_user

from zapdesk.audit import audit
from zapdesk.extensions import db
from zapdesk.permissions import require

from . import store
from .build import ReportSubjectMissing
from .formats import all_formats, file_name
from .jobs import enqueue_scan_reports, enqueue_target_reports
from .models import STATES, Report
from .render_json import SCHEMA_PATH

bp = Blueprint("reports", __name__, template_folder="templates")
PAGE_SIZE = 50


def list_filters() -> dict:
    args = request.args
    return {"format": args.get("format", "").strip(), "state": args.get("state", "").strip(),
            "scan_id": args.get("scan_id", type=int), "target_id": args.get("target_id", type=int)}


def filtered_reports(filters: dict):
    query = db.select(Report).order_by(Report.generated_at.desc(), Report.id.desc())
    for name in ("format", "state", "scan_id", "target_id"):
        if filters[name]:
            query = query.where(getattr(Report, name) == filters[name])
    return query


@bp.get("/reports")
@require("reports.view")
def index():
    filters = list_filters()
    page = max(request.args.get("page", 1, type=int), 1)
    pagination = db.paginate(filtered_reports(filters), page=page, per_page=PAGE_SIZE, error_out=False)
    formats = {**all_formats("scan"), **all_formats("target")}
    template = "reports/_list.html" if request.headers.get("HX-Request") else "reports/index.html"
    args = request.args.to_dict()
    response = render_template(template, pagination=pagination, filters=filters, formats=formats, states=STATES,
                               page_url=lambda number: url_for("reports.index", **{**args, "page": number}))
    return response, 200, {"Vary": "HX-Request"}


@bp.get("/reports/schema/v1.json")
@require("reports.view")
def json_schema():
    """The JSON report's documented schema, for consumers of the JSON format."""
    return send_file(SCHEMA_PATH, mimetype="application/schema+json", max_age=3600)


def subject_or_404(subject: str, subject_id: int):
    from plugins.profiles.service import get_target
    from plugins.scans.service import get_scan

    found = get_scan(subject_id) if subject == "scan" else get_target(subject_id)
    if found is None:
        abort(404, description=f"There is no {subject} #{subject_id}.")
    return found


def format_or_404(subject: str, name: str):
    formats = all_formats(subject)
    if name not in formats:
        abort(404, description=f"Unknown report format {name!r}; available: {', '.join(formats)}.")
    return formats[name]


def require_ingested(scan_id: int) -> None:
    """A report rendered before evolution has the findings would be empty: ingest now
    (idempotent, usually already done) or ask to come back while another worker does."""
    from plugins.evolution.service import ingest_scan

    if not ingest_scan(scan_id):
        abort(409, description="The scan's findings are still being processed; try again in a minute.")


def ensure_report(subject: str, subject_id: int, name: str) -> Report:
    """The stored report, rendered now when it is missing (on demand)."""
    report = store.current_report(subject, subject_id, name)
    if not store.servable(report):
        if subject == "scan":
            require_ingested(subject_id)
        try:
            report = store.generate(subject, subject_id, [name], requested_by=current_user.email)[0]
        except ReportSubjectMissing as exc:
            abort(404, description=str(exc))
    if not store.servable(report):
        abort(502, description=f"The {name} report could not be generated: {report.error}. "
                               "Check /health (pdf service) and the worker logs, then regenerate.")
    return report


def download(subject: str, subject_id: int, name: str):
    found = subject_or_404(subject, subject_id)
    fmt = format_or_404(subject, name)
    if subject == "scan" and found.state != "done":
        abort(409, description="Reports are available once the scan has finished.")
    report = ensure_report(subject, subject_id, name)
    response = send_file(store.report_file(report), mimetype=fmt.mimetype, as_attachment=True,
                         download_name=file_name(fmt, subject, subject_id), max_age=0)
    response.headers["X-Content-SHA256"] = report.sha256
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/scans/<int:scan_id>/report/<name>")
@require("reports.view")
def scan_report(scan_id: int, name: str):
    return download("scan", scan_id, name)


@bp.get("/targets/<int:target_id>/report/<name>")
@require("reports.view")
def target_report(target_id: int, name: str):
    return download("target", target_id, name)


def section(subject: str, subject_id: int):
    found = subject_or_404(subject, subject_id)
    rows = db.session.execute(db.select(Report).filter_by(**{store.SUBJECT_FIELD[subject]: subject_id})).scalars()
    return render_template("reports/_section.html", subject=subject, subject_id=subject_id, found=found,
                           formats=all_formats(subject), reports={r.format: r for r in rows})


@bp.get("/scans/<int:scan_id>/reports/section")
@require("reports.view")
def scan_section(scan_id: int):
    return section("scan", scan_id)


@bp.get("/targets/<int:target_id>/reports/section")
@require("reports.view")
def target_section(target_id: int):
    return section("target", target_id)


@bp.post("/<any(scans, targets):kind>/<int:subject_id>/reports/regenerate")
@require("reports.operate")
def regenerate(kind: str, subject_id: int):
    subject = kind[:-1]
    found = subject_or_404(subject, subject_id)
    if subject == "scan" and found.state != "done":
        abort(409, description="Reports can be generated once the scan has finished.")
    store.mark_pending(subject, subject_id, current_user.email)
    audit("reports.regenerate", found, subject=subject)
    db.session.commit()
    enqueue = enqueue_scan_reports if subject == "scan" else enqueue_target_reports
    enqueue(subject_id, requested_by=current_user.email)
    flash("Reports are being regenerated; the links update when they are ready.", "success")
    return section(subject, subject_id)
