"""The RQ dashboard (rq-dashboard's blueprint) at /ops/rq, for admins only.

It is mounted when the ops blueprint is registered, and its own per-request hook (which
would open a new Redis client from RQ_DASHBOARD_REDIS_URL) is replaced, for this app only,
by zapdesk's admin check and zapdesk's Redis connection. Its jQuery posts get the CSRF
header, and its GET route that requeues jobs is refused, so a link cannot trigger it."""
from __future__ import annotations

from flask import abort, current_app, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from zapdesk.jobs import get_redis, redis_url
from zapdesk.permissions import can

from . import bp

URL_PREFIX = "/ops/rq"
MUTATING_ENDPOINTS = {"rq_dashboard.requeue_all"}


def admin_only():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not can("ops.admin"):
        abort(403)
    if request.endpoint in MUTATING_ENDPOINTS and request.method != "POST":
        abort(405)
    return None


def use_zapdesk_redis():
    app = current_app._get_current_object()
    app.config["RQ_DASHBOARD_REDIS_URL"] = (redis_url(app),)
    app.redis_conn = get_redis(app)


def add_csrf_header(response):
    if response.mimetype != "text/html" or response.direct_passthrough:
        return response
    script = Markup('<script>$.ajaxSetup({{headers: {{"X-CSRFToken": "{}"}}}});</script></body>').format(generate_csrf())
    response.set_data(response.get_data(as_text=True).replace("</body>", str(script), 1))
    return response


@bp.record_once
def mount_rq_dashboard(state):
    import rq_dashboard

    app = state.app
    app.config.setdefault("RQ_DASHBOARD_POLL_INTERVAL", 5000)
    app.register_blueprint(rq_dashboard.blueprint, url_prefix=URL_PREFIX)
    app.before_request_funcs["rq_dashboard"] = [admin_only, use_zapdesk_redis]
    app.after_request_funcs.setdefault("rq_dashboard", []).append(add_csrf_header)
