"""Simulated ContextAPI, OpenApiAPI and ReplacerAPI actions."""
from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import requests

from .crawler import fetch
from .engine import ApiError, Context, Engine
from .params import OK, context_named, param, url_param


def context_new(engine, params):
    name = param(params, "contextName")
    if name in engine.contexts:
        raise ApiError("already_exists", "contextName")
    context = Context(engine.next_id("context") + 1, name)
    engine.contexts[name] = context
    return {"contextId": str(context.id)}


def context_include(engine, params):
    context_named(engine, params).include.append(_regex(params))
    return OK


def context_exclude(engine, params):
    context_named(engine, params).exclude.append(_regex(params))
    return OK


def _regex(params: dict) -> str:
    regex = param(params, "regex")
    try:
        re.compile(regex)
    except re.error:
        raise ApiError("illegal_parameter", "regex") from None
    return regex


def openapi_import_url(engine, params):
    """OpenApiAPI importUrl: the warnings as a list; an unreachable document is
    illegal_parameter "Failed to access the target."."""
    url = url_param(params, "url")
    try:
        response = requests.get(url, timeout=5)
        spec = response.json()
    except (requests.RequestException, ValueError):
        raise ApiError("illegal_parameter", "Failed to access the target.") from None
    override = params.get("hostOverride", "")
    target = f"{urlsplit(url).scheme}://{override}" if override else url
    return {"importUrl": _import_spec(engine, spec, target)}


def openapi_import_file(engine, params):
    path = param(params, "file")
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
        param(params, name)
    if params["matchType"] not in ("REQ_HEADER", "REQ_HEADER_STR", "REQ_BODY_STR", "RESP_HEADER",
                                   "RESP_HEADER_STR", "RESP_BODY_STR"):
        raise ApiError("illegal_parameter", "matchType")
    if any(r["description"] == params["description"] for r in engine.replacer_rules):
        raise ApiError("already_exists", "description")
    if params.get("url"):
        try:
            re.compile(params["url"])
        except re.error:
            raise ApiError("illegal_parameter", "url") from None
    engine.replacer_rules.append({k: params.get(k, "") for k in (
        "description", "enabled", "matchType", "matchRegex", "matchString", "replacement", "url")})
    return OK


def replacer_remove_rule(engine, params):
    description = param(params, "description")
    if not any(r["description"] == description for r in engine.replacer_rules):
        raise ApiError("does_not_exist", "description")
    engine.replacer_rules = [r for r in engine.replacer_rules if r["description"] != description]
    return OK
