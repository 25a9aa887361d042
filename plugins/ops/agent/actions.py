"""The allow-list: which actions exist, their parameters and limits, and the exact
`docker compose` argument list each one runs. Shared by the agent (which enforces it) and
the web app (which validates before calling), so both reject the same input the same way."""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SERVICES = ("web", "worker", "scheduler", "nginx", "redis", "postgres", "zap", "pdf")
MAX_LOG_LINES = 2000


class ActionRejected(ValueError):
    """Input outside the allow-list; the message says what is allowed."""


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    needs_service: bool = False
    timeout_s: int = 60


ACTIONS = {a.name: a for a in (
    Action("status", "Services status", timeout_s=30),
    Action("logs", "Tail logs", needs_service=True, timeout_s=30),
    Action("restart", "Restart a service", needs_service=True, timeout_s=180),
    Action("rebuild", "Rebuild and recreate a service", needs_service=True, timeout_s=1800),
    Action("redeploy", "Redeploy the stack", timeout_s=900),
    Action("scale", "Scale ZAP nodes", timeout_s=300),
)}


@dataclass(frozen=True)
class Limits:
    services: tuple[str, ...] = DEFAULT_SERVICES
    scale_max: int = 10


def whole_number(raw, what: str, low: int, high: int) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ActionRejected(f"{what} must be a whole number from {low} to {high}") from None
    if not low <= value <= high:
        raise ActionRejected(f"{what} must be from {low} to {high}, not {value}")
    return value


def checked_action(name) -> Action:
    action = ACTIONS.get(str(name or ""))
    if action is None:
        raise ActionRejected(f"unknown action; allowed: {', '.join(ACTIONS)}")
    return action


def checked_service(name, limits: Limits) -> str:
    if name not in limits.services:
        raise ActionRejected(f"service not allowed; allowed: {', '.join(limits.services)}")
    return name


def compose_args(name, params: dict, limits: Limits) -> list[str]:
    """The `docker compose` sub-command for an allow-listed action, as an argument list.
    Raises ActionRejected for anything outside the allow-list."""
    action = checked_action(name)
    service = checked_service(params.get("service"), limits) if action.needs_service else None
    if action.name == "status":
        return ["ps", "--all"]
    if action.name == "logs":
        lines = whole_number(params.get("lines", 200), "lines", 1, MAX_LOG_LINES)
        return ["logs", "--no-color", "--timestamps", "--tail", str(lines), service]
    if action.name == "restart":
        return ["restart", service]
    if action.name == "rebuild":
        return ["up", "--detach", "--build", "--no-deps", service]
    if action.name == "redeploy":
        return ["up", "--detach", "--remove-orphans"]
    count = whole_number(params.get("count"), "zap count", 1, limits.scale_max)
    return ["up", "--detach", "--no-recreate", "--scale", f"zap={count}", "zap"]
