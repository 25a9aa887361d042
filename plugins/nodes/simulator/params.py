"""Reading ZAP API parameters the way ZAP's ApiImplementor does: a missing mandatory one
is missing_parameter, an unparsable one illegal_parameter."""
from __future__ import annotations

from urllib.parse import urlsplit

from .engine import ApiError, Context, Engine

OK = {"Result": "OK"}  # ApiResponseElement.OK


def param(params: dict, name: str, required: bool = True, default: str = "") -> str:
    value = params.get(name, "")
    if required and not value:
        raise ApiError("missing_parameter", name)
    return value or default


def int_param(params: dict, name: str, default: int) -> int:
    raw = params.get(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiError("illegal_parameter", name) from None


def bool_param(params: dict, name: str, default: bool) -> bool:
    raw = params.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw not in ("true", "false"):
        raise ApiError("illegal_parameter", name)
    return raw == "true"


def url_param(params: dict, name: str = "url", required: bool = True) -> str:
    url = param(params, name, required)
    if url and urlsplit(url).scheme not in ("http", "https"):
        raise ApiError("illegal_parameter", name)
    return url


def context_named(engine: Engine, params: dict, name: str = "contextName") -> Context | None:
    context_name = params.get(name, "")
    if not context_name:
        return None
    if context_name not in engine.contexts:
        raise ApiError("context_not_found", name)
    return engine.contexts[context_name]
