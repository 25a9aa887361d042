"""Health check results as Prometheus text exposition (format 0.0.4): one gauge per check
state, one gauge per numeric metric, and per-node gauges from the nodes check's rows."""
from __future__ import annotations

import re

STATES = ("ok", "warn", "fail")
NODE_GAUGES = {"running": "zapdesk_node_running_scans", "capacity": "zapdesk_node_capacity",
               "latency_ms": "zapdesk_node_latency_ms"}


def metric_name(*parts: str) -> str:
    name = "_".join(re.sub(r"[^a-zA-Z0-9_]", "_", p) for p in parts)
    return re.sub(r"_+", "_", name).strip("_").lower()


def label_value(value) -> str:
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def number(value) -> str:
    """Exact: a byte count must not be rounded to six digits."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def sample(name: str, value, **labels) -> str:
    rendered = ",".join(f'{k}="{label_value(v)}"' for k, v in labels.items())
    return f"{name}{{{rendered}}} {number(value)}" if rendered else f"{name} {number(value)}"


def gauge(name: str, help_text: str, samples: list[str]) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", *samples] if samples else []


def numeric_items(metrics: dict):
    for key, value in sorted(metrics.items()):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        yield key, value


def check_lines(results: dict[str, dict]) -> list[str]:
    states = [sample("zapdesk_check_state", r["status"] == s, check=name, state=s)
              for name, r in results.items() for s in STATES]
    ups = [sample("zapdesk_check_ok", r["status"] == "ok", check=name) for name, r in results.items()]
    return (gauge("zapdesk_check_ok", "1 when the health check passes, else 0.", ups)
            + gauge("zapdesk_check_state", "1 for the current state of each health check.", states))


def metric_lines(results: dict[str, dict]) -> list[str]:
    lines: list[str] = []
    for check, result in results.items():
        for key, value in numeric_items(result.get("metrics") or {}):
            name = metric_name("zapdesk", check, key)
            lines += gauge(name, f"{key} reported by the {check} check.", [sample(name, value)])
    return lines


def node_lines(results: dict[str, dict]) -> list[str]:
    rows = (results.get("nodes", {}).get("metrics") or {}).get("rows") or []
    lines = gauge("zapdesk_node_healthy", "1 when the ZAP node is enabled and healthy.",
                  [sample("zapdesk_node_healthy", r["enabled"] and r["status"] == "healthy", node=r["name"])
                   for r in rows])
    for key, name in NODE_GAUGES.items():
        lines += gauge(name, f"ZAP node {key.replace('_', ' ')}.",
                       [sample(name, r[key], node=r["name"]) for r in rows if r.get(key) is not None])
    return lines


def render(results: dict[str, dict]) -> str:
    return "\n".join(check_lines(results) + metric_lines(results) + node_lines(results)) + "\n"
