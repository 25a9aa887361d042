"""After `scale zap N`: the internal nodes zap-1..zap-N (compose replicas) are synced into
the node registry through the nodes plugin (new ones added, vanished ones disabled)."""
from __future__ import annotations

import importlib
import json

from flask import current_app


def internal_zap_urls(count: int) -> list[str]:
    pattern = current_app.config["OPS_ZAP_URL_PATTERN"]
    project = current_app.config["OPS_COMPOSE_PROJECT"]
    return [pattern.format(project=project, index=i) for i in range(1, count + 1)]


def internal_api_key() -> str:
    """The compose ZAP replicas' key: ZAPDESK_ZAP_API_KEY, else the setup wizard's."""
    config = current_app.config
    return str(config.get("ZAP_API_KEY") or config.get("SETUP_ZAP_API_KEY") or "")


def sync_zap_nodes(count: int) -> dict:
    """What sync_internal_nodes reported, or an `error` the page shows."""
    try:
        nodes = importlib.import_module("plugins.nodes.service")
    except ImportError:
        return {"error": "the nodes plugin is not installed; register the nodes by hand"}
    if not hasattr(nodes, "sync_internal_nodes"):
        return {"error": "the nodes plugin does not provide sync_internal_nodes()"}
    invalid = getattr(nodes, "NodeValidationError", ValueError)
    try:
        report = nodes.sync_internal_nodes(internal_zap_urls(count), internal_api_key())
    except invalid as exc:
        errors = getattr(exc, "errors", None) or {"nodes": str(exc)}
        return {"error": "; ".join(f"{k}: {v}" for k, v in errors.items())}
    # Only plain values go into the audit detail and the page.
    return json.loads(json.dumps({k: v for k, v in dict(report or {}).items() if "key" not in k.lower()},
                                 default=str))
