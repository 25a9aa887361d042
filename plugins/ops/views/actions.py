"""/ops/actions: allow-listed actions run by the ops agent. Each one needs the admin's
password again, shows the agent's output and is audited."""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from zapdesk.audit import audit
from zapdesk.extensions import db
from zapdesk.permissions import require

from ..agent.actions import ACTIONS, MAX_LOG_LINES, ActionRejected, compose_args
from ..agent_client import AgentError, agent_config, ping, run_action, web_limits
from ..node_sync import sync_zap_nodes
from . import bp

PARAMS = {"logs": ("service", "lines"), "restart": ("service",), "rebuild": ("service",),
          "scale": ("count",)}


def page_context() -> dict:
    limits = web_limits()
    return dict(actions=ACTIONS, services=limits.services, scale_max=limits.scale_max,
                max_log_lines=MAX_LOG_LINES, problems=agent_config().problems)


@bp.get("/ops/actions")
@require("ops.admin")
def actions():
    return render_template("ops/actions.html", **page_context())


@bp.get("/ops/actions/agent")
@require("ops.admin")
def agent_status():
    """The agent's reachability, loaded lazily so a dead agent never delays the page."""
    config = agent_config()
    if config.problems:
        return render_template("ops/_agent_status.html", problems=config.problems, error=None)
    try:
        ping()
    except AgentError as exc:
        return render_template("ops/_agent_status.html", problems=[], error=str(exc))
    return render_template("ops/_agent_status.html", problems=[], error=None, url=config.url)


def result(status: int, **context):
    return render_template("ops/_action_result.html", **context), status


@bp.post("/ops/actions/run")
@require("ops.admin")
def run():
    name = request.form.get("action", "")
    params = relevant_params(name)
    try:
        compose_args(name, params, web_limits())
    except ActionRejected as exc:
        audit_action(name[:40], params, "rejected", reason=str(exc))
        return result(400, error=f"Not run: {exc}.")
    denial = refusal()
    if denial:
        status, message = denial
        audit_action(name, params, "denied", reason=message)
        return result(status, error=message)
    return perform(ACTIONS[name], params)


def relevant_params(name: str) -> dict:
    """Only the fields the action uses (the form always sends all of them)."""
    return {k: request.form[k][:40] for k in PARAMS.get(name, ()) if request.form.get(k)}


def audit_action(name: str, params: dict, outcome: str, **detail) -> None:
    """One line per attempt: action `ops.<name>` on the service (or the action itself)."""
    if name not in ACTIONS:
        name, detail = "unknown_action", {**detail, "requested": name}
    detail = {k: v for k, v in {**params, **detail}.items() if k != "service" and v is not None}
    audit(f"ops.{name}", params.get("service") or name, outcome=outcome, **detail)
    db.session.commit()


def refusal() -> tuple[int, str] | None:
    """(HTTP status, message) when the action must not run: agent off, or wrong password."""
    problems = agent_config().problems
    if problems:
        return 409, "Ops actions are unavailable: " + "; ".join(problems) + "."
    if not current_user.check_password(request.form.get("password", "")):
        return 400, "Your password is incorrect; the action was not run."
    return None


def perform(action, params: dict):
    try:
        answer = run_action(action.name, params, actor=current_user.email)
    except AgentError as exc:
        audit_action(action.name, params, "error", reason=str(exc))
        return result(502, error=str(exc), action=action)
    outcome = "ok" if answer.get("ok") else "error"
    sync = sync_zap_nodes(int(params["count"])) if action.name == "scale" and outcome == "ok" else None
    audit_action(action.name, params, outcome, exit_code=answer.get("exit_code"),
                 timed_out=answer.get("timed_out", False), nodes=sync)
    return result(200, action=action, answer=answer, sync=sync)
