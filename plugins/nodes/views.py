"""/zapnodes: the node registry. Everyone sees the list; admins add, edit, enable/disable,
delete and test nodes (tests swap the row, or all rows, in place through HTMX)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from zapdesk.permissions import require
from zapdesk.webui import is_htmx

from . import service
from .models import KINDS
from .validation import NodeValidationError

bp = Blueprint("nodes", __name__, template_folder="templates")


def node_or_404(node_id: int):
    node = service.get_node(node_id)
    if node is None:
        abort(404, description="No such ZAP node (it may have been deleted).")
    return node


@bp.get("/zapnodes")
@require("nodes.view")
def index():
    return render_template("nodes/index.html", nodes=service.list_nodes())


# --- testing ---------------------------------------------------------------------------

@bp.post("/zapnodes/<int:node_id>/test")
@require("nodes.admin")
def test(node_id):
    node = node_or_404(node_id)
    result = service.test_node(node)
    if is_htmx():
        return render_template("nodes/_row.html", node=node, tested=True)
    flash(_result_message(node.name, result), "success" if result.ok else "error")
    return redirect(url_for("nodes.index"))


@bp.post("/zapnodes/test-all")
@require("nodes.admin")
def test_all():
    nodes = service.list_nodes(enabled_only=True)
    results = service.test_nodes(nodes)
    healthy = sum(r.ok for r in results)
    flash(f"Tested {len(nodes)} enabled node(s): {healthy} healthy, {len(nodes) - healthy} unhealthy.",
          "success" if healthy == len(nodes) else "warning")
    if is_htmx():
        return render_template("nodes/_rows.html", nodes=service.list_nodes(), tested=True)
    return redirect(url_for("nodes.index"))


def _result_message(name: str, result) -> str:
    if result.ok:
        return f"{name} is healthy: ZAP {result.version}, {result.latency_ms} ms."
    return f"{name} is {result.status}: {result.error}"


# --- adding and editing ----------------------------------------------------------------

@bp.get("/zapnodes/new")
@require("nodes.admin")
def new():
    return render_form(None, {"kind": "external", "capacity": 2, "enabled": True}, {})


@bp.post("/zapnodes")
@require("nodes.admin")
def create():
    form = _form_values()
    try:
        node = service.add_node(form["name"], form["base_url"], form["api_key"], kind=form["kind"],
                                capacity=form["capacity"], enabled=form["enabled"], verify=not form["skip_check"])
    except NodeValidationError as exc:
        return render_form(None, form, exc.errors), 400
    flash(f"Added {node.name} ({node.status}).", "success")
    return redirect(url_for("nodes.index"))


@bp.get("/zapnodes/<int:node_id>/edit")
@require("nodes.admin")
def edit(node_id):
    node = node_or_404(node_id)
    values = {"name": node.name, "base_url": node.base_url, "kind": node.kind, "capacity": node.capacity}
    return render_form(node, values, {})


@bp.post("/zapnodes/<int:node_id>")
@require("nodes.admin")
def update(node_id):
    node = node_or_404(node_id)
    form = _form_values()
    try:
        service.update_node(node, form["name"], form["base_url"], form["api_key"], form["kind"],
                            form["capacity"], verify=not form["skip_check"])
    except NodeValidationError as exc:
        return render_form(node, form, exc.errors), 400
    flash(f"Saved {node.name}.", "success")
    return redirect(url_for("nodes.index"))


def _form_values() -> dict:
    form = request.form
    return {"name": form.get("name", "").strip(), "base_url": form.get("base_url", "").strip(),
            "api_key": form.get("api_key", ""), "kind": form.get("kind", "external"),
            "capacity": form.get("capacity", "2").strip(), "enabled": form.get("enabled") == "on",
            "skip_check": form.get("skip_check") == "on"}


def render_form(node, values: dict, errors: dict):
    values = {k: v for k, v in values.items() if k != "api_key"}  # a typed key is never echoed back
    return render_template("nodes/form.html", node=node, values=values, errors=errors, kinds=KINDS)


# --- enable, disable, delete -----------------------------------------------------------

@bp.post("/zapnodes/<int:node_id>/enable")
@require("nodes.admin")
def enable(node_id):
    return _set_enabled(node_or_404(node_id), True)


@bp.post("/zapnodes/<int:node_id>/disable")
@require("nodes.admin")
def disable(node_id):
    return _set_enabled(node_or_404(node_id), False)


def _set_enabled(node, enabled: bool):
    service.set_enabled(node, enabled)
    flash(f"{node.name} is {'enabled: test it to mark it healthy' if enabled else 'disabled: it takes no new scans'}.",
          "success")
    if is_htmx():
        return render_template("nodes/_row.html", node=node)
    return redirect(url_for("nodes.index"))


@bp.post("/zapnodes/<int:node_id>/delete")
@require("nodes.admin")
def delete(node_id):
    node = node_or_404(node_id)
    name = node.name
    try:
        service.delete_node(node)
    except service.NodeInUse as exc:
        flash(f"Not deleted: {exc}.", "error")
        if is_htmx():
            return render_template("nodes/_row.html", node=node)
        return redirect(url_for("nodes.index"))
    flash(f"Deleted {name}.", "success")
    return "" if is_htmx() else redirect(url_for("nodes.index"))
