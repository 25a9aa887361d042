"""Step 4 talks to the nodes plugin only through its service functions (add_node,
test_node, get_node). The core never depends on a plugin, so the module is looked up at
run time; without it the step says so and can be skipped."""
from __future__ import annotations

import importlib
from types import ModuleType

from flask import current_app

from ..audit import audit
from ..extensions import db
from . import state

NODES_SERVICE = "plugins.nodes.service"


def service() -> ModuleType | None:
    try:
        module = importlib.import_module(NODES_SERVICE)
    except ImportError:
        return None
    return module if hasattr(module, "add_node") and hasattr(module, "test_node") else None


def default_form() -> dict[str, str]:
    return {"name": "zap-internal", "base_url": current_app.config["SETUP_ZAP_URL"],
            "kind": "internal"}


def read_form(form) -> dict[str, str]:
    return {"name": form.get("name", "").strip(), "base_url": form.get("base_url", "").strip(),
            "kind": "internal" if form.get("kind") == "internal" else "external",
            "api_key": form.get("api_key", ""), "save_anyway": bool(form.get("save_anyway"))}


def saved_node():
    svc = service()
    node_id = (state.load_state().get("zap") or {}).get("node_id")
    if svc is None or node_id is None:
        return None
    return svc.get_node(node_id)


def register(form: dict[str, str]):
    """Add the node (nothing is saved on bad input), then test it. Returns
    (node, test result, errors); the key never leaves this function."""
    svc = service()
    api_key = form.get("api_key") or current_app.config.get("SETUP_ZAP_API_KEY") or ""
    try:
        node = svc.add_node(form["name"], form["base_url"], api_key, kind=form["kind"],
                            verify=not form.get("save_anyway"))
    except svc.NodeValidationError as exc:
        db.session.rollback()
        return None, None, dict(exc.errors)
    result = svc.test_node(node)
    state.save_step("zap", {"node_id": node.id, "ok": bool(result.ok)})
    audit("setup.zap_node", node, ok=bool(result.ok))
    db.session.commit()
    return node, result, {}


def retest(node):
    result = service().test_node(node)
    state.save_step("zap", {"node_id": node.id, "ok": bool(result.ok)})
    db.session.commit()
    return result
