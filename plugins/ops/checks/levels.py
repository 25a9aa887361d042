"""Turning a measured value and its two thresholds into a check status."""
from __future__ import annotations


def level(value: float, warn: float, fail: float) -> str:
    """ok below `warn`, warn below `fail`, else fail."""
    if value >= fail:
        return "fail"
    if value >= warn:
        return "warn"
    return "ok"
