"""The web app's side of the ops agent: is it configured, and calling it with a short
connect timeout so an unreachable agent is reported at once instead of hanging a page."""
from __future__ import annotations

import http.client
import json
import socket
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from flask import current_app

from .agent.actions import DEFAULT_SERVICES, Limits
from .agent.app import TOKEN_HEADER
from .agent.cli import MIN_TOKEN_CHARS


class AgentError(RuntimeError):
    """The agent could not be used; the message says what to check."""


class AgentRejected(AgentError):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class AgentConfig:
    enabled: bool
    url: str
    token: str
    connect_timeout: float
    timeout: float

    @property
    def problems(self) -> list[str]:
        """The settings to change before actions can work (the runbook's words)."""
        out = []
        if not self.enabled:
            out.append("ENABLE_OPS_AGENT=true is not set for the web service")
        if len(self.token) < MIN_TOKEN_CHARS:
            out.append(f"OPS_AGENT_TOKEN is missing or shorter than {MIN_TOKEN_CHARS} characters")
        if not self.url:
            out.append("ZAPDESK_OPS_AGENT_URL is empty")
        return out


def agent_config() -> AgentConfig:
    c = current_app.config
    return AgentConfig(bool(c.get("ENABLE_OPS_AGENT")), str(c.get("OPS_AGENT_URL") or ""),
                       str(c.get("OPS_AGENT_TOKEN") or ""), float(c["OPS_AGENT_CONNECT_TIMEOUT"]),
                       float(c["OPS_AGENT_TIMEOUT"]))


def web_limits() -> Limits:
    c = current_app.config
    services = tuple(s.strip() for s in str(c.get("OPS_AGENT_SERVICES") or "").split(",") if s.strip())
    return Limits(services or DEFAULT_SERVICES, int(c["OPS_ZAP_SCALE_MAX"]))


def connection(config: AgentConfig) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(config.url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AgentError(f"ZAPDESK_OPS_AGENT_URL must be an http(s) URL, not {config.url!r}")
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    return cls(parts.hostname, parts.port, timeout=config.connect_timeout), parts.path.rstrip("/")


def call_agent(config: AgentConfig, method: str, path: str, body: dict | None = None) -> dict:
    conn, prefix = connection(config)
    try:
        conn.connect()
        conn.sock.settimeout(config.timeout)  # connecting is quick or fails; actions may take long
        conn.request(method, prefix + path, body=json.dumps(body) if body is not None else None,
                     headers={TOKEN_HEADER: config.token, "Content-Type": "application/json"})
        response = conn.getresponse()
        return decode(response.status, response.read())
    except (socket.timeout, TimeoutError) as exc:
        raise AgentError(timeout_message(conn, config)) from exc
    except http.client.HTTPException as exc:
        raise AgentError(f"the service at {config.url} does not speak HTTP like the ops agent "
                         f"({type(exc).__name__}): check ZAPDESK_OPS_AGENT_URL") from exc
    except OSError as exc:
        raise AgentError(f"the ops agent at {config.url} is unreachable ({exc.strerror or type(exc).__name__}): "
                         "check that the ops service runs (COMPOSE_PROFILES=ops)") from exc
    finally:
        conn.close()


def timeout_message(conn, config: AgentConfig) -> str:
    if conn.sock is None:
        return (f"the ops agent at {config.url} did not accept a connection within "
                f"{config.connect_timeout:g} s: check that the ops service runs (COMPOSE_PROFILES=ops)")
    return (f"the ops agent did not answer within {config.timeout:g} s; the action may still be "
            "running: check the services status in a minute")


def decode(status: int, raw: bytes) -> dict:
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise AgentError(f"the ops agent answered HTTP {status} with something that is not JSON") from None
    if status == 401:
        raise AgentRejected(401, "the ops agent rejected the token: OPS_AGENT_TOKEN must be identical "
                                 "in the web and ops services")
    if status != 200:
        raise AgentRejected(status, str(body.get("error") or f"HTTP {status}"))
    return body


def run_action(action: str, params: dict, actor: str) -> dict:
    return call_agent(agent_config(), "POST", "/v1/actions", {"action": action, **params, "actor": actor})


def ping() -> dict:
    """Quick: the whole exchange must fit in the connect timeout."""
    config = agent_config()
    return call_agent(replace(config, timeout=config.connect_timeout), "GET", "/v1/ping")
