"""Simulated SpiderAPI, AjaxSpiderAPI, PassiveScanAPI and ActiveScanAPI endpoints."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

from .crawler import Exchange
from .engine import ApiError
from .params import OK, bool_param, context_named, int_param, param, url_param


def spider_scan(engine, params):
    url = url_param(params, "url", required=not params.get("contextName"))
    context = context_named(engine, params)
    url = url or (context.include[0] if context and context.include else "")
    if not url:
        raise ApiError("missing_parameter", "url")
    max_children = int_param(params, "maxChildren", 0)
    scan_id = engine.start_spider(url, max_children, bool_param(params, "subtreeOnly", False), context)
    return {"scan": str(scan_id)}


def spider_status(engine, params):
    scan = engine.spider(params.get("scanId"))
    return {"status": str(scan.progress(time.monotonic(), engine.progress_cap))}


def spider_results(engine, params):
    return {"results": list(engine.spider(params.get("scanId")).results)}


def spider_stop(engine, params):
    scan = engine.spider(params.get("scanId"))
    if scan.stopped_at is None:
        scan.stopped_at = time.monotonic()
    return OK


def option_setter(engine, params):
    int_param(params, "Integer", 0)
    param(params, "Integer")
    return OK


def ajax_scan(engine, params):
    url = url_param(params, "url", required=not params.get("contextName"))
    context = context_named(engine, params)
    engine.start_ajax(url or (context.include[0] if context and context.include else ""),
                      bool_param(params, "subtreeOnly", False), context)
    return OK


def ajax_status(engine, params):
    return {"status": "running" if engine.ajax_running() else "stopped"}


def ajax_number_of_results(engine, params):
    return {"numberOfResults": str(len(engine.ajax_results))}


def ajax_results(engine, params):
    """AjaxSpiderAPI results: `start` is 1-based (0 or less means 1), count 0 = all."""
    first = max(int_param(params, "start", 1), 1) - 1
    count = int_param(params, "count", 0)
    items = engine.ajax_results[first:first + count] if count > 0 else engine.ajax_results[first:]
    return {"results": [message_set(e) for e in items]}


def ajax_stop(engine, params):
    if engine.ajax is not None and engine.ajax.stopped_at is None:
        engine.ajax.stopped_at = time.monotonic()
    return OK


def message_set(ex: Exchange) -> dict:
    """ApiResponseConversionUtils.httpMessageToSet(): all values are strings."""
    path = urlsplit(ex.url)
    request = f"{ex.method} {ex.url} HTTP/1.1\r\nHost: {path.netloc}\r\n\r\n"
    response = "HTTP/1.1 {} \r\n{}\r\n\r\n".format(ex.status, "\r\n".join(f"{k}: {v}" for k, v in ex.headers))
    return {"id": str(ex.id), "type": "-1", "timestamp": str(int(time.time() * 1000)),
            "rtt": str(ex.rtt_ms), "cookieParams": "", "note": "", "requestHeader": request,
            "requestBody": "", "responseHeader": response, "responseBody": ex.body, "tags": []}


def pscan_records(engine, params):
    return {"recordsToScan": str(engine.records_to_scan())}


def ascan_scan(engine, params):
    """ActiveScanAPI scanURL(): a URL must be in the sites tree (url_not_found); with a
    contextId the scan covers the context's URLs (url_not_in_context otherwise)."""
    context = _context_by_id(engine, params.get("contextId", ""))
    _policy(engine, params)
    url = url_param(params, "url", required=context is None)
    if context is not None and url and not context.contains(url):
        raise ApiError("url_not_in_context", "url")
    scan_id = engine.start_ascan(url, bool_param(params, "recurse", True), context)
    return {"scan": str(scan_id)}


def _context_by_id(engine, raw: str):
    if not raw:
        return None
    found = [c for c in engine.contexts.values() if str(c.id) == raw.strip()]
    if not found:
        raise ApiError("context_not_found", "contextId")
    return found[0]


def ascan_status(engine, params):
    engine.tick()
    scan = engine.ascan(params.get("scanId"))
    return {"status": str(scan.progress(time.monotonic(), engine.progress_cap))}


def ascan_progress(engine, params):
    """["<scheme://host:port>", {"HostProcess": [{"Plugin": [name, id, quality, status,
    timeInMs, reqCount, alertCount]}, ...]}]"""
    engine.tick()
    scan = engine.ascan(params.get("scanId"))
    host = "{0.scheme}://{0.netloc}".format(urlsplit(scan.url))
    return {"scanProgress": [host, {"HostProcess": _plugin_rows(scan, engine)}]}


def _plugin_rows(scan, engine) -> list[dict]:
    from .rules import PARAM_RULES, URL_RULES, catalogue

    now = time.monotonic()
    progress = scan.progress(now, engine.progress_cap)
    rule_ids = list(PARAM_RULES) + list(URL_RULES)
    rows = []
    for index, rule_id in enumerate(rule_ids):
        share = progress * len(rule_ids) / 100 - index  # how much of this rule is done (0..1)
        raised = sum(1 for f in scan.planned[:scan.raised] if f.plugin_id == rule_id)
        status = "Complete" if share >= 1 else ("Pending" if share <= 0 else f"{min(int(share * 100), 99)}%")
        elapsed = int(max(min(share, 1), 0) * scan.duration * 1000 / len(rule_ids))
        requests = 0 if status == "Pending" else max(len(scan.planned), 1) * 3
        rows.append({"Plugin": [catalogue()[rule_id]["name"], rule_id, "release", status,
                                str(elapsed), str(requests), str(raised)]})
    return rows


def ascan_stop(engine, params):
    scan = engine.ascan(params.get("scanId"))
    if scan.stopped_at is None:
        scan.stopped_at = time.monotonic()
    return OK


STRENGTHS = ("LOW", "MEDIUM", "HIGH", "INSANE", "DEFAULT")
THRESHOLDS = ("OFF", "DEFAULT", "LOW", "MEDIUM", "HIGH")


def ascan_scanner_strength(engine, params):
    _policy(engine, params)
    _scanner(params)
    if param(params, "attackStrength").strip().upper() not in STRENGTHS:
        raise ApiError("does_not_exist", "attackStrength")
    return OK


def ascan_scanner_threshold(engine, params):
    _policy(engine, params)
    _scanner(params)
    if param(params, "alertThreshold").strip().upper() not in THRESHOLDS:
        raise ApiError("does_not_exist", "alertThreshold")
    return OK


def _scanner(params: dict) -> str:
    """ActiveScanAPI getScannerFromId(): the rule must exist in the (simulated) policy."""
    from .rules import PARAM_RULES, URL_RULES

    scanner_id = int_param(params, "id", -1)
    if scanner_id < 0:
        raise ApiError("illegal_parameter", "id")
    if str(scanner_id) not in {**PARAM_RULES, **URL_RULES}:
        raise ApiError("does_not_exist", str(scanner_id))
    return str(scanner_id)


DEFAULT_POLICY = "Default Policy"


def _policy(engine, params: dict) -> dict:
    """getScanPolicyFromParams(): no name is the default policy; an unknown name is
    does_not_exist scanPolicyName."""
    name = params.get("scanPolicyName", "") or DEFAULT_POLICY
    if name not in engine.policies:
        raise ApiError("does_not_exist", "scanPolicyName")
    return engine.policies[name]


def ascan_policy_names(engine, params):
    return {"scanPolicyNames": list(engine.policies)}


def ascan_add_policy(engine, params):
    name = param(params, "scanPolicyName")
    if name in engine.policies:
        raise ApiError("already_exists", "scanPolicyName")
    engine.policies[name] = _levels(params, {"attackStrength": "DEFAULT", "alertThreshold": "DEFAULT"})
    return OK


def ascan_update_policy(engine, params):
    param(params, "scanPolicyName")
    policy = _policy(engine, params)
    policy.update(_levels(params, policy))
    return OK


def _levels(params: dict, current: dict) -> dict:
    strength = (params.get("attackStrength") or current["attackStrength"]).strip().upper()
    threshold = (params.get("alertThreshold") or current["alertThreshold"]).strip().upper()
    if strength not in STRENGTHS:
        raise ApiError("does_not_exist", "attackStrength")
    if threshold not in THRESHOLDS:
        raise ApiError("does_not_exist", "alertThreshold")
    return {"attackStrength": strength, "alertThreshold": threshold}
