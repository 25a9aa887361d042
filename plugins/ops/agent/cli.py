"""`zapdesk ops-agent`: refuse to start (exit 2, one line) unless enabled with a long
token, then serve the agent with waitress, auditing into the shared audit trail."""
from __future__ import annotations

import logging
import os
import sys

import click
from flask.cli import ScriptInfo

from .actions import DEFAULT_SERVICES, Limits
from .app import AgentSettings, OpsAgent, log_audit

log = logging.getLogger(__name__)
MIN_TOKEN_CHARS = 32


def refusal(config) -> str | None:
    """Why the agent must not start, in one line naming the setting to change; or None."""
    if not config.get("ENABLE_OPS_AGENT"):
        return "the ops agent is disabled: set ENABLE_OPS_AGENT=true (and COMPOSE_PROFILES=ops)"
    if len(config.get("OPS_AGENT_TOKEN") or "") < MIN_TOKEN_CHARS:
        return (f"OPS_AGENT_TOKEN must be set to at least {MIN_TOKEN_CHARS} characters "
                "(the same value in the web and ops services)")
    return None


def settings_from(config) -> AgentSettings:
    services = tuple(s.strip() for s in str(config.get("OPS_AGENT_SERVICES") or "").split(",") if s.strip())
    return AgentSettings(token=config["OPS_AGENT_TOKEN"],
                         project_dir=config.get("OPS_AGENT_PROJECT_DIR") or os.getcwd(),
                         limits=Limits(services or DEFAULT_SERVICES, int(config["OPS_ZAP_SCALE_MAX"])),
                         docker=config.get("OPS_AGENT_DOCKER") or "docker")


def database_audit(app):
    """An audit sink writing AuditEvents (actor "ops-agent"); the log line is always kept,
    so an unreachable database never loses the record or fails the request."""
    from zapdesk.audit import audit
    from zapdesk.extensions import db

    def sink(action: str, outcome: str, ip: str = "", **detail) -> None:
        log_audit(action, outcome, ip=ip, **detail)
        try:
            with app.app_context():
                event = audit(action, "ops-agent", outcome=outcome, actor="ops-agent", **detail)
                event.ip = ip[:64]
                db.session.commit()
        except Exception:
            log.exception("could not write the audit event %s to the database", action)

    return sink


@click.command("ops-agent")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8091, show_default=True, type=int)
@click.pass_context
def ops_agent_command(ctx, host, port):
    """Run the ops agent (needs ENABLE_OPS_AGENT=true and OPS_AGENT_TOKEN, 32+ characters)."""
    from waitress import serve

    app = ctx.ensure_object(ScriptInfo).load_app()
    problem = refusal(app.config)
    if problem:
        click.echo(f"error: {problem}", err=True)
        sys.exit(2)
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(name)s %(message)s")
    agent = OpsAgent(settings_from(app.config), audit=database_audit(app))
    click.echo(f"zapdesk ops agent listening on http://{host}:{port}/ "
               f"(project {agent.settings.project_dir})")
    serve(agent, host=host, port=port, threads=4, ident="zapdesk-ops-agent")
