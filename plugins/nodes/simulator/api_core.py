"""Simulated CoreAPI / AlertAPI views (alerts, counts, site tree)."""
from __future__ import annotations

from collections import Counter

from .engine import RISK_ORDER, ApiError, Engine
from .params import OK, int_param


def core_version(engine, params):
    return {"version": engine.version}


def core_alerts(engine, params):
    return {"alerts": _page(engine, params)}


def _page(engine: Engine, params: dict) -> list[dict]:
    """ZAP's PaginationConstraintsChecker: start 0 and 1 both begin at the first alert,
    start N > 0 begins at the N-th (1-based); count 0 means all."""
    engine.tick()
    start, count = int_param(params, "start", 0), int_param(params, "count", 0)
    selected = [a for a in engine.alerts if a["url"].startswith(params.get("baseurl", ""))]
    risk = params.get("riskId", "")
    if risk:
        selected = [a for a in selected if a["risk"] == _risk_name(risk)]
    first = max(start - 1, 0)
    return selected[first:first + count] if count > 0 else selected[first:]


def _risk_name(raw: str) -> str:
    try:
        return RISK_ORDER[int(raw)]
    except (ValueError, IndexError):
        raise ApiError("illegal_parameter", "riskId") from None


def core_number_of_alerts(engine, params):
    return {"numberOfAlerts": str(len(_page(engine, {**params, "start": "0", "count": "0"})))}


def core_number_of_messages(engine, params):
    return {"numberOfMessages": str(len(engine.messages(params.get("baseurl") or None)))}


def core_urls(engine, params):
    return {"urls": engine.urls(params.get("baseurl") or None)}


def alerts_summary(engine, params):
    engine.tick()
    counts = Counter(a["risk"] for a in engine.alerts if a["url"].startswith(params.get("baseurl", "")))
    return {"alertsSummary": {risk: counts.get(risk, 0) for risk in RISK_ORDER[::-1]}}


def delete_alerts(engine, params):
    engine.delete_alerts(params.get("baseurl", ""))
    return OK
