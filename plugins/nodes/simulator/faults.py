"""Faults a simulated node can show, chosen at start (`--fault`) or at run time
(`SimNode.set_fault`). A fault may carry a number: `slow:5`, `stuck:70`, `die:30`."""
from __future__ import annotations

from dataclasses import dataclass

FAULTS: dict[str, str] = {
    "refuse": "stop listening: every connection is refused (a node that is down)",
    "slow": "wait N seconds (default 3) before every API answer (slow:N)",
    "error500": "answer every API call with HTTP 500 and ZAP's internal_error JSON",
    "malformed": "answer every API call with truncated, invalid JSON",
    "html": "answer every API call with an HTML page instead of JSON (a wrong URL)",
    "stuck": "spider, ajax spider and active scan progress stops at N%% (default 42) (stuck:N)",
    "die": "the node dies (stops listening, state lost) once a scan passes N%% (default 50) (die:N)",
    "bad_key": "reject every API key, as ZAP does: close the connection without a reply",
}

DEFAULT_ARGUMENT = {"slow": 3.0, "stuck": 42.0, "die": 50.0}


@dataclass(frozen=True)
class Fault:
    name: str
    argument: float = 0.0


def parse_fault(text: str | None) -> Fault | None:
    """'stuck:70' -> Fault('stuck', 70.0). None or '' -> no fault. ValueError if unknown."""
    if not text:
        return None
    name, _, raw = text.partition(":")
    name = name.strip().lower().replace("-", "_")
    if name not in FAULTS:
        raise ValueError(f"unknown fault {text!r}; known: {', '.join(FAULTS)}")
    try:
        argument = float(raw) if raw else DEFAULT_ARGUMENT.get(name, 0.0)
    except ValueError:
        raise ValueError(f"fault {name} takes a number after the colon, got {raw!r}") from None
    return Fault(name, argument)


def help_text() -> str:
    return "\n".join(f"  {name:<10} {text.replace('%%', '%')}" for name, text in FAULTS.items())
