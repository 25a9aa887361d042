"""ZAP API endpoints the simulator answers, with the response shapes of ZAP's own
implementations (CoreAPI, AlertAPI, SpiderAPI, AjaxSpiderAPI, PassiveScanAPI,
ActiveScanAPI, ContextAPI, OpenApiAPI, ReplacerAPI; see tests/contract/)."""
from __future__ import annotations

import json
import time
from collections import Counter
from typing import Callable
from urllib.parse import urlsplit

import requests

from .crawler import Exchange, fetch
from .engine import RISK_ORDER, ApiError, Context, Engine

OK = {"Result": "OK"}
Handler = Callable[[Engine, dict], dict]


def _param(params: dict, name: str, required: bool = True, default: str = "") -> str:
    value = params.get(name, "")
    if required and not value:
        raise ApiError("missing_parameter", name)
    return value or default


def _int_param(params: dict, name: str, default: int) -> int:
    raw = params.get(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiError("illegal_parameter", name) from None


def _bool_param(params: dict, name: str, default: bool) -> bool:
    raw = params.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw not in ("true", "false"):
        raise ApiError("illegal_parameter", name)
    return raw == "true"


def _url_param(params: dict, name: str = "url", required: bool = True) -> str:
    url = _param(params, name, required)
    if url and urlsplit(url).scheme not in ("http", "https"):
        raise ApiError("illegal_parameter", name)
    return url


def _context(engine: Engine, params: dict, name: str = "contextName") -> Context | None:
    context_name = params.get(name, "")
    if not context_name:
        return None
    if context_name not in engine.contexts:
        raise ApiError("context_not_found", name)
    return engine.contexts[context_name]


# --- core ------------------------------------------------------------------------------

def core_version(engine, params):
    return {"version": engine.version}


def core_alerts(engine, params):
    return {"alerts": _page(engine, params)}


def _page(engine: Engine, params: dict) -> list[dict]:
    """ZAP's PaginationConstraintsChecker: start 0 and 1 both begin at the first alert,
    start N > 0 begins at the N-th (1-based); count 0 means all."""
    engine.tick()
    start, count = _int_param(params, "start", 0), _int_param(params, "count", 0)
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


# --- spider ----------------------------------------------------------------------------

def spider_scan(engine, params):
    url = _url_param(params, "url", required=not params.get("contextName"))
    context = _context(engine, params)
    url = url or (context.include[0] if context and context.include else "")
    if not url:
        raise ApiError("missing_parameter", "url")
    max_children = _int_param(params, "maxChildren", 0)
    scan_id = engine.start_spider(url, max_children, _bool_param(params, "subtreeOnly", False), context)
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
    _int_param(params, "Integer", 0)
    _param(params, "Integer")
    return OK


# --- ajax spider -----------------------------------------------------------------------

def ajax_scan(engine, params):
    url = _url_param(params, "url", required=not params.get("contextName"))
    context = _context(engine, params)
    engine.start_ajax(url or (context.include[0] if context and context.include else ""),
                      _bool_param(params, "subtreeOnly", False), context)
    return OK


def ajax_status(engine, params):
    return {"status": "running" if engine.ajax_running() else "stopped"}


def ajax_number_of_results(engine, params):
    return {"numberOfResults": str(len(engine.ajax_results))}


def ajax_results(engine, params):
    """AjaxSpiderAPI results: `start` is 1-based (0 or less means 1), count 0 = all."""
    first = max(_int_param(params, "start", 1), 1) - 1
    count = _int_param(params, "count", 0)
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


# --- passive and active scan -----------------------------------------------------------

def pscan_records(engine, params):
    return {"recordsToScan": str(engine.records_to_scan())}


def ascan_scan(engine, params):
    url = _url_param(params, "url", required=not params.get("contextId"))
    scan_id = engine.start_ascan(url, _bool_param(params, "recurse", True))
    return {"scan": str(scan_id)}


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
    _scanner(params)
    if _param(params, "attackStrength").strip().upper() not in STRENGTHS:
        raise ApiError("does_not_exist", "attackStrength")
    return OK


def ascan_scanner_threshold(engine, params):
    _scanner(params)
    if _param(params, "alertThreshold").strip().upper() not in THRESHOLDS:
        raise ApiError("does_not_exist", "alertThreshold")
    return OK


def _scanner(params: dict) -> str:
    """ActiveScanAPI getScannerFromId(): the rule must exist in the (simulated) policy."""
    from .rules import PARAM_RULES, URL_RULES

    scanner_id = _int_param(params, "id", -1)
    if scanner_id < 0:
        raise ApiError("illegal_parameter", "id")
    if str(scanner_id) not in {**PARAM_RULES, **URL_RULES}:
        raise ApiError("does_not_exist", str(scanner_id))
    return str(scanner_id)


# --- context, OpenAPI, replacer --------------------------------------------------------

def context_new(engine, params):
    name = _param(params, "contextName")
    if name in engine.contexts:
        raise ApiError("already_exists", "contextName")
    context = Context(engine.next_id("context") + 1, name)
    engine.contexts[name] = context
    return {"contextId": str(context.id)}


def context_include(engine, params):
    _context(engine, params).include.append(_regex(params))
    return OK


def context_exclude(engine, params):
    _context(engine, params).exclude.append(_regex(params))
    return OK


def _regex(params: dict) -> str:
    import re

    regex = _param(params, "regex")
    try:
        re.compile(regex)
    except re.error:
        raise ApiError("illegal_parameter", "regex") from None
    return regex


def openapi_import_url(engine, params):
    """OpenApiAPI importUrl: the warnings as a list; an unreachable document is
    illegal_parameter "Failed to access the target."."""
    url = _url_param(params, "url")
    try:
        response = requests.get(url, timeout=5)
        spec = response.json()
    except (requests.RequestException, ValueError):
        raise ApiError("illegal_parameter", "Failed to access the target.") from None
    override = params.get("hostOverride", "")
    target = f"{urlsplit(url).scheme}://{override}" if override else url
    return {"importUrl": _import_spec(engine, spec, target)}


def openapi_import_file(engine, params):
    path = _param(params, "file")
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError:
        raise ApiError("does_not_exist", path) from None
    try:
        spec = json.loads(text)
    except ValueError:
        raise ApiError("bad_external_data", "file") from None
    return {"importFile": _import_spec(engine, spec, params.get("target") or "")}


def _import_spec(engine: Engine, spec: dict, target: str) -> list:
    """Request every operation of an OpenAPI/Swagger JSON document."""
    if not isinstance(spec, dict) or not isinstance(spec.get("paths"), dict):
        raise ApiError("bad_external_data", "the document has no paths")
    base = _spec_base(spec, target)
    session = requests.Session()
    session.trust_env = False
    warnings = []
    for path, operations in spec["paths"].items():
        for method in (m for m in (operations or {}) if m.upper() in ("GET", "POST", "PUT", "DELETE", "PATCH")):
            exchange = fetch(session, base + path, method.upper())
            if exchange.status:
                engine.record(exchange)
            else:
                warnings.append(f"Failed to access {method.upper()} {base + path}")
    return warnings


def _spec_base(spec: dict, target: str) -> str:
    """Origin from the target (or the document's URL), path from servers[0] / basePath."""
    parts = urlsplit(target)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme else target.rstrip("/")
    servers = spec.get("servers") or []
    server_path = urlsplit(servers[0].get("url", "")).path if servers else spec.get("basePath", "")
    return origin + (server_path or "").rstrip("/")


def replacer_add_rule(engine, params):
    for name in ("description", "enabled", "matchType", "matchRegex", "matchString"):
        _param(params, name)
    if params["matchType"] not in ("REQ_HEADER", "REQ_HEADER_STR", "REQ_BODY_STR", "RESP_HEADER",
                                   "RESP_HEADER_STR", "RESP_BODY_STR"):
        raise ApiError("illegal_parameter", "matchType")
    if any(r["description"] == params["description"] for r in engine.replacer_rules):
        raise ApiError("already_exists", "description")
    engine.replacer_rules.append({k: params.get(k, "") for k in (
        "description", "enabled", "matchType", "matchRegex", "matchString", "replacement")})
    return OK


ROUTES: dict[str, Handler] = {
    "core/view/version": core_version,
    "core/view/alerts": core_alerts,
    "core/view/numberOfAlerts": core_number_of_alerts,
    "core/view/numberOfMessages": core_number_of_messages,
    "core/view/urls": core_urls,
    "core/view/alertsSummary": alerts_summary,
    "alert/view/alerts": core_alerts,
    "alert/view/numberOfAlerts": core_number_of_alerts,
    "alert/view/alertsSummary": alerts_summary,
    "spider/action/scan": spider_scan,
    "spider/view/status": spider_status,
    "spider/view/results": spider_results,
    "spider/action/stop": spider_stop,
    "spider/action/setOptionMaxDepth": option_setter,
    "spider/action/setOptionMaxDuration": option_setter,
    "spider/action/setOptionMaxChildren": option_setter,
    "ajaxSpider/action/scan": ajax_scan,
    "ajaxSpider/view/status": ajax_status,
    "ajaxSpider/view/numberOfResults": ajax_number_of_results,
    "ajaxSpider/view/results": ajax_results,
    "ajaxSpider/action/stop": ajax_stop,
    "ajaxSpider/action/setOptionMaxDuration": option_setter,
    "pscan/view/recordsToScan": pscan_records,
    "ascan/action/scan": ascan_scan,
    "ascan/view/status": ascan_status,
    "ascan/view/scanProgress": ascan_progress,
    "ascan/action/stop": ascan_stop,
    "ascan/action/setScannerAttackStrength": ascan_scanner_strength,
    "ascan/action/setScannerAlertThreshold": ascan_scanner_threshold,
    "context/action/newContext": context_new,
    "context/action/includeInContext": context_include,
    "context/action/excludeFromContext": context_exclude,
    "openapi/action/importUrl": openapi_import_url,
    "openapi/action/importFile": openapi_import_file,
    "replacer/action/addRule": replacer_add_rule,
}
COMPONENTS = {path.split("/")[0] for path in ROUTES}


def check_route(parts: list[str]) -> None:
    """/JSON/<component>/<view|action|other>/<name>/: the checks ZAP makes before the key."""
    if parts[0] != "JSON":
        raise ApiError("bad_format")
    if len(parts) < 2 or parts[1] not in COMPONENTS:
        raise ApiError("no_implementor")
    if len(parts) < 3 or parts[2] not in ("view", "action", "other"):
        raise ApiError("bad_type")
    if len(parts) < 4:
        raise ApiError("bad_view" if parts[2] == "view" else "bad_action")


def dispatch(engine: Engine, component: str, kind: str, name: str, params: dict) -> dict:
    handler = ROUTES.get(f"{component}/{kind}/{name}")
    if handler is None:
        raise ApiError("bad_view" if kind == "view" else "bad_action")
    return handler(engine, params)
