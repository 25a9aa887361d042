"""/ops/audit: the audit trail with filters, pages and a CSV export."""
from __future__ import annotations

import csv
import io

from flask import Response, abort, render_template, request, stream_with_context, url_for

from zapdesk.audit import audit as record
from zapdesk.extensions import db
from zapdesk.permissions import require
from zapdesk.webui import is_htmx

from ..audit_query import CSV_COLUMNS, AuditFilters, FilterError, csv_row, iter_events, page_of
from ..settings import threshold
from . import bp


def requested_page() -> int:
    try:
        return int(request.args.get("page", 1))
    except ValueError:
        return 1


@bp.get("/ops/audit")
@require("ops.admin")
def audit_trail():
    filters = AuditFilters.from_args(request.args)
    status, error = 200, None
    try:
        events, total, pages = page_of(filters, requested_page())
    except FilterError as exc:  # shown where the table goes, so the form keeps working
        (events, total, pages), status, error = ([], 0, 1), 400, str(exc)
    context = dict(events=events, total=total, page=min(max(1, requested_page()), pages), pages=pages,
                   filters=filters, error=error,
                   page_url=lambda n: url_for("ops.audit_trail", page=n, **filters.as_args()),
                   retention_days=int(threshold("OPS_AUDIT_RETENTION_DAYS")))
    template = "ops/_audit_table.html" if is_htmx() else "ops/audit.html"
    return render_template(template, **context), status


def csv_lines(filters: AuditFilters):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for event in iter_events(filters):
        writer.writerow(csv_row(event))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


@bp.get("/ops/audit.csv")
@require("ops.admin")
def audit_csv():
    filters = AuditFilters.from_args(request.args)
    try:
        next(iter_events(filters), None)  # validate the dates before the response starts
    except FilterError as exc:
        abort(400, description=str(exc))
    record("ops.audit_exported", "audit_event", filters=filters.as_args())
    db.session.commit()
    return Response(stream_with_context(csv_lines(filters)), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="zapdesk-audit.csv"'})
