"""The agent's WSGI application. Every request is authenticated (X-OPS-TOKEN, constant-time
compare) BEFORE routing, so an unknown path without the token answers 401 like a known
one; failures and actions go to the audit sink."""
from __future__ import annotations

import hmac
import json
import logging
from dataclasses import dataclass, field
from typing import Callable

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .actions import ACTIONS, ActionRejected, Limits, compose_args
from .runner import run_compose

log = logging.getLogger(__name__)
TOKEN_HEADER = "X-OPS-TOKEN"
MAX_BODY_BYTES = 16 * 1024
AuditSink = Callable[..., None]


@dataclass(frozen=True)
class AgentSettings:
    token: str
    project_dir: str
    limits: Limits = field(default_factory=Limits)
    docker: str = "docker"


def log_audit(action: str, outcome: str, **detail) -> None:
    log.info("audit %s %s %s", action, outcome, json.dumps(detail, default=str))


def json_response(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


class OpsAgent:
    url_map = Map([Rule("/v1/ping", endpoint="ping", methods=["GET"]),
                   Rule("/v1/actions", endpoint="actions", methods=["GET"]),
                   Rule("/v1/actions", endpoint="run", methods=["POST"])])

    def __init__(self, settings: AgentSettings, audit: AuditSink = log_audit):
        self.settings, self.audit = settings, audit

    def __call__(self, environ, start_response):
        request = Request(environ)
        request.max_content_length = MAX_BODY_BYTES
        if not self.authenticated(request):
            self.audit("ops_agent.auth", "denied", ip=request.remote_addr or "",
                       method=request.method, path=request.path[:200])
            response = json_response({"error": f"missing or wrong {TOKEN_HEADER} header"}, 401)
        else:
            response = self.dispatch(request)
        return response(environ, start_response)

    def authenticated(self, request: Request) -> bool:
        given = request.headers.get(TOKEN_HEADER, "").encode()
        expected = self.settings.token.encode()
        return bool(expected) and hmac.compare_digest(given, expected)

    def dispatch(self, request: Request) -> Response:
        try:
            endpoint, _ = self.url_map.bind_to_environ(request.environ).match()
            return getattr(self, f"on_{endpoint}")(request)
        except MethodNotAllowed:
            return json_response({"error": "method not allowed"}, 405)
        except NotFound:
            return json_response({"error": "no such endpoint; see GET /v1/actions"}, 404)
        except HTTPException as exc:
            return json_response({"error": exc.description}, exc.code or 400)

    def on_ping(self, request: Request) -> Response:
        return json_response({"ok": True, "project_dir": self.settings.project_dir})

    def on_actions(self, request: Request) -> Response:
        return json_response({"actions": list(ACTIONS), "services": list(self.settings.limits.services),
                              "scale_max": self.settings.limits.scale_max})

    def on_run(self, request: Request) -> Response:
        params = request.get_json(silent=True)
        if not isinstance(params, dict):
            return json_response({"error": "send a JSON object with an action"}, 400)
        name = params.get("action")
        try:
            args = compose_args(name, params, self.settings.limits)
        except ActionRejected as exc:
            self.audit("ops_agent.action", "rejected", ip=request.remote_addr or "",
                       requested=str(name)[:40], reason=str(exc), by=str(params.get("actor", ""))[:254])
            return json_response({"error": str(exc)}, 400)
        return self.run(request, ACTIONS[name], args, params)

    def run(self, request: Request, action, args: list[str], params: dict) -> Response:
        result = run_compose(self.settings.docker, self.settings.project_dir, args, action.timeout_s)
        body = result.as_dict()
        self.audit("ops_agent.action", "ok" if body["ok"] else "error", ip=request.remote_addr or "",
                   requested=action.name, argv=args, exit_code=result.exit_code,
                   timed_out=result.timed_out, by=str(params.get("actor", ""))[:254])
        return json_response(body)
