"""/ops/overview (a page that refreshes itself in place) and /ops/overview.json."""
from __future__ import annotations

from flask import jsonify, render_template, request

from zapdesk.health import overall, run_checks
from zapdesk.models import utcnow
from zapdesk.permissions import require
from zapdesk.webui import is_htmx

from . import bp

REFRESH_SECONDS = 10
ROW_TABLES = {"worker_activity": "Workers", "queues": "Queues", "nodes": "ZAP nodes",
              "tls_certificates": "TLS certificates"}


def overview_data() -> dict:
    results = run_checks()
    return {"status": overall(results), "generated_at": utcnow().isoformat(), "checks": results}


@bp.get("/ops/overview")
@require("ops.admin")
def overview():
    data = overview_data()
    context = dict(data, paused=request.args.get("paused") == "1", refresh_s=REFRESH_SECONDS,
                   row_tables=ROW_TABLES)
    template = "ops/_overview.html" if is_htmx() else "ops/overview.html"
    return render_template(template, **context)


@bp.get("/ops/overview.json")
@require("ops.admin")
def overview_json():
    return jsonify(overview_data())
