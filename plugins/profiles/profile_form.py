"""Validation of scan profile settings (from the web form, the CLI or code)."""
from __future__ import annotations

from .models import PROFILE_KINDS, STRENGTHS, THRESHOLDS, ScanProfile
from .validation import Collector, clean_base_url, clean_choice, clean_int, clean_name

DEFAULTS = {
    "kind": "baseline", "description": "", "spider_max_depth": 5, "spider_max_children": 0,
    "spider_max_duration_min": 0, "ajax_spider": False, "ajax_spider_max_duration_min": 5,
    "openapi_url": "", "openapi_file": "", "scan_policy": "", "attack_strength": "DEFAULT",
    "alert_threshold": "DEFAULT", "max_duration_s": 3600, "pinned_node_id": None,
    "alert_filters": [],
}
INT_RANGES = {
    "spider_max_depth": (0, 50, "spider depth"),
    "spider_max_children": (0, 100000, "spider children per node"),
    "spider_max_duration_min": (0, 1440, "spider duration (minutes)"),
    "ajax_spider_max_duration_min": (1, 1440, "ajax spider duration (minutes)"),
    "max_duration_s": (30, 7 * 86400, "maximum duration (seconds)"),
}
FILTER_RISKS = ("ignore", "Informational", "Low", "Medium", "High")


def current(profile: ScanProfile | None, data: dict, key: str):
    if key in data:
        return data[key]
    return getattr(profile, key) if profile is not None else DEFAULTS[key]


def as_bool(value) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() in {"1", "on", "true", "yes"}


def clean_profile(profile: ScanProfile | None, data: dict) -> dict:
    form = Collector()
    form.check("name", clean_name, current(profile, data, "name") if profile or "name" in data else "", "profile")
    kind = form.check("kind", clean_choice, current(profile, data, "kind"), PROFILE_KINDS, "kind")
    for key, (lo, hi, what) in INT_RANGES.items():
        form.check(key, clean_int, current(profile, data, key), lo, hi, what)
    form.values["ajax_spider"] = as_bool(current(profile, data, "ajax_spider"))
    form.values["description"] = str(current(profile, data, "description") or "").strip()[:2000]
    form.values["scan_policy"] = str(current(profile, data, "scan_policy") or "").strip()[:120]
    form.values["openapi_file"] = str(current(profile, data, "openapi_file") or "")
    form.check("attack_strength", clean_choice, current(profile, data, "attack_strength"), STRENGTHS, "attack strength")
    form.check("alert_threshold", clean_choice, current(profile, data, "alert_threshold"), THRESHOLDS, "alert threshold")
    form.check("alert_filters", clean_alert_filters, current(profile, data, "alert_filters"))
    form.check("openapi_url", clean_openapi_url, current(profile, data, "openapi_url"))
    form.check("pinned_node_id", clean_pinned_node, current(profile, data, "pinned_node_id"))
    if kind == "api" and not form.values.get("openapi_url") and not form.values.get("openapi_file") \
            and "openapi_url" not in form.errors:
        form.errors["openapi_url"] = "an API profile needs an OpenAPI definition: a URL or an uploaded file"
    form.raise_if_errors()
    return form.values


def clean_openapi_url(value) -> str:
    value = str(value or "").strip()
    return clean_base_url(value) if value else ""


def clean_pinned_node(value) -> int | None:
    if value in (None, "", "0", 0):
        return None
    from plugins.nodes.service import get_node

    try:
        node = get_node(int(value))
    except (TypeError, ValueError):
        node = None
    if node is None:
        raise ValueError("choose an existing ZAP node, or none")
    if not node.enabled:
        raise ValueError(f"node {node.name!r} is disabled; enable it first or choose another")
    return node.id


def clean_alert_filters(value) -> list[dict]:
    """Lines of "<rule id> <ignore|Informational|Low|Medium|High>" or a list of dicts."""
    if isinstance(value, list):
        lines = [f"{f.get('rule_id', '')} {f.get('risk', '')}" for f in value]
    else:
        lines = str(value or "").splitlines()
    filters = []
    for line in (l.strip() for l in lines):
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 or not parts[0].isdigit():
            raise ValueError(f"{line!r}: write one filter per line as '<rule id> <new risk>', e.g. '10021 ignore'")
        risk = next((r for r in FILTER_RISKS if r.lower() == parts[1].lower()), None)
        if risk is None:
            raise ValueError(f"{line!r}: the new risk must be one of {', '.join(FILTER_RISKS)}")
        filters.append({"rule_id": parts[0], "risk": risk})
    return filters
