"""/metrics: Prometheus text exposition, protected by a bearer token (ZAPDESK_METRICS_TOKEN)."""
from __future__ import annotations

import hmac

from flask import Response, current_app, request

from zapdesk.health import run_checks
from zapdesk.setup_gate import setup_exempt

from .. import prometheus
from . import bp

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def bearer_token_ok() -> bool:
    expected = str(current_app.config.get("METRICS_TOKEN") or "").encode()
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected)


def unauthorized() -> Response:
    message = ("send Authorization: Bearer <ZAPDESK_METRICS_TOKEN>\n" if current_app.config.get("METRICS_TOKEN")
               else "metrics are disabled: set ZAPDESK_METRICS_TOKEN and send it as a Bearer token\n")
    return Response(message, 401, {"WWW-Authenticate": 'Bearer realm="zapdesk metrics"'},
                    mimetype="text/plain")


@bp.get("/metrics")
@setup_exempt
def metrics():
    if not bearer_token_ok():
        return unauthorized()
    return Response(prometheus.render(run_checks()), content_type=CONTENT_TYPE)
