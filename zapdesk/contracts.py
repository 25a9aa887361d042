"""Small value types that hooks return. Plugins build these; the core does the wiring."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal

CheckStatus = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class MenuLink:
    """One entry of the navigation bar. `endpoint` is a Flask endpoint name."""

    label: str
    endpoint: str
    order: int = 100
    match_prefix: str = ""  # URL prefix that marks the link active; default: the link's URL


@dataclass(frozen=True)
class Panel:
    """A dashboard panel; its body is fetched lazily with hx-get from `endpoint`."""

    title: str
    endpoint: str
    order: int = 100
    width: Literal["half", "full"] = "half"


@dataclass(frozen=True)
class Section:
    """A section of another plugin's page (a scan, a target), loaded lazily with hx-get
    from `url` (already built, e.g. url_for("reports.scan_section", scan_id=7))."""

    title: str
    url: str
    order: int = 100


@dataclass
class CheckResult:
    status: CheckStatus
    detail: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    """A health check. `run()` returns a CheckResult and must not raise for expected
    failures (the core still catches and reports exceptions as `fail`).
    `critical` checks decide /health's 200/503; the rest are shown on /ops/overview."""

    name: str
    run: Callable[[], CheckResult]
    critical: bool = False
    order: int = 100


@dataclass(frozen=True)
class PeriodicJob:
    """A job the scheduler enqueues every `every_seconds` (by dotted function path)."""

    name: str
    func: str
    every_seconds: float
    queue: str = "default"
    timeout: int = 300
    args: tuple = ()
