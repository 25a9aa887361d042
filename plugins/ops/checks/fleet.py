"""Checks on the scanning fleet, read through the nodes and scans plugins' service
functions (never their internals): failed-scan rate and node health."""
from __future__ import annotations

import importlib

from zapdesk.contracts import CheckResult

from ..settings import threshold
from .levels import level


def service(plugin: str):
    """The plugin's service module, or None when that plugin is not installed."""
    try:
        return importlib.import_module(f"plugins.{plugin}.service")
    except ImportError:
        return None


def check_failed_scans() -> CheckResult:
    scans = service("scans")
    if scans is None or not hasattr(scans, "failed_scan_rate"):
        return CheckResult("warn", "the scans plugin does not provide failed_scan_rate()")
    day, week = scans.failed_scan_rate(24), scans.failed_scan_rate(24 * 7)
    rate_day = percent(day)
    status = level(rate_day, threshold("OPS_FAILED_SCAN_RATE_WARN_PERCENT"),
                   threshold("OPS_FAILED_SCAN_RATE_FAIL_PERCENT")) if day["total"] else "ok"
    detail = (f"24 h: {day['failed']} of {day['total']} failed ({rate_day:.0f}%); "
              f"7 d: {week['failed']} of {week['total']} ({percent(week):.0f}%)")
    return CheckResult(status, detail, {
        "rate_24h_percent": rate_day, "failed_24h": day["failed"], "total_24h": day["total"],
        "rate_7d_percent": percent(week), "failed_7d": week["failed"], "total_7d": week["total"]})


def percent(stats: dict) -> float:
    return round(stats["failed"] * 100 / stats["total"], 1) if stats["total"] else 0.0


def node_row(node) -> dict:
    return {"name": node.name, "kind": node.kind, "status": node.status,
            "enabled": bool(node.enabled), "running": node.running_scans, "capacity": node.capacity,
            "latency_ms": node.latency_ms, "version": node.version or "",
            "checked_at": node.checked_at.isoformat(sep=" ", timespec="seconds") if node.checked_at else "",
            "last_error": node.last_error or ""}


def check_nodes() -> CheckResult:
    nodes = service("nodes")
    if nodes is None or not hasattr(nodes, "list_nodes"):
        return CheckResult("warn", "the nodes plugin does not provide list_nodes()")
    rows = [node_row(n) for n in nodes.list_nodes()]
    enabled = [r for r in rows if r["enabled"]]
    healthy = sum(1 for r in enabled if r["status"] == "healthy")
    metrics = {"enabled": len(enabled), "healthy": healthy, "unhealthy": len(enabled) - healthy,
               "running_scans": sum(r["running"] for r in enabled),
               "capacity": sum(r["capacity"] for r in enabled), "rows": rows}
    if not enabled:
        return CheckResult("warn", "no enabled ZAP node: add one under ZAP nodes", metrics)
    status = "ok" if healthy == len(enabled) else ("fail" if healthy == 0 else "warn")
    return CheckResult(status, f"{healthy} of {len(enabled)} enabled nodes healthy", metrics)
