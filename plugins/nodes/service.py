"""The nodes plugin's public functions (the contract other plugins use).

Capacity: `claim_slot` / `release_slot` are single conditional UPDATEs that commit at
once, so many workers can never push a node past its capacity.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from time import perf_counter

from flask import current_app

from zapdesk import secrets_box
from zapdesk.audit import audit
from zapdesk.extensions import db
from zapdesk.models import utcnow

from .models import ZapNode
from .validation import (NodeValidationError, check_capacity, check_kind, check_name,
                         check_url)
from .zapclient import ZapClient
from .zaperrors import ZapAuthError, ZapError

__all__ = ["NodeValidationError", "NodeInUse", "NodeTestResult", "get_node", "list_nodes",
           "candidate_nodes", "claim_slot", "release_slot", "sync_running_counts", "client_for",
           "test_node", "test_nodes", "add_node", "update_node", "set_enabled", "delete_node",
           "sync_internal_nodes"]


class NodeInUse(RuntimeError):
    """The node cannot be deleted while scans run on it."""


@dataclass
class NodeTestResult:
    """What one connection test found. `status` is the node's status afterwards."""

    ok: bool
    status: str
    version: str = ""
    latency_ms: int | None = None
    error: str = ""


# --- reading ---------------------------------------------------------------------------

def get_node(node_id) -> ZapNode | None:
    try:
        return db.session.get(ZapNode, int(node_id))
    except (TypeError, ValueError):
        return None


def get_node_by_name(name: str) -> ZapNode | None:
    return db.session.execute(db.select(ZapNode).where(ZapNode.name == name)).scalar_one_or_none()


def list_nodes(enabled_only: bool = False) -> list[ZapNode]:
    query = db.select(ZapNode).order_by(ZapNode.name)
    if enabled_only:
        query = query.where(ZapNode.enabled.is_(True))
    return list(db.session.execute(query).scalars())


def candidate_nodes() -> list[ZapNode]:
    """Enabled, healthy nodes with a free slot."""
    query = db.select(ZapNode).where(ZapNode.enabled.is_(True), ZapNode.status == "healthy",
                                     ZapNode.running_scans < ZapNode.capacity).order_by(ZapNode.id)
    return list(db.session.execute(query).scalars())


# --- capacity --------------------------------------------------------------------------

def claim_slot(node_id: int) -> bool:
    """Take one scan slot on the node; False when it is full, disabled or unhealthy.
    One conditional UPDATE, committed at once (it also commits the caller's session)."""
    result = db.session.execute(
        db.update(ZapNode)
        .where(ZapNode.id == node_id, ZapNode.running_scans < ZapNode.capacity,
               ZapNode.enabled.is_(True), ZapNode.status == "healthy")
        .values(running_scans=ZapNode.running_scans + 1)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def release_slot(node_id: int) -> None:
    """Give a slot back (never below zero). Commits."""
    db.session.execute(
        db.update(ZapNode).where(ZapNode.id == node_id, ZapNode.running_scans > 0)
        .values(running_scans=ZapNode.running_scans - 1)
        .execution_options(synchronize_session=False))
    db.session.commit()


def sync_running_counts(counts: dict[int, int]) -> None:
    """Set every node's running_scans to the reconciler's truth (absent ids: 0). Commits."""
    for node in db.session.execute(db.select(ZapNode)).scalars():
        node.running_scans = max(int(counts.get(node.id, 0)), 0)
    db.session.commit()


# --- talking to a node -----------------------------------------------------------------

def client_for(node: ZapNode, timeout: float | None = None) -> ZapClient:
    """A client with the node's decrypted key (raises SecretUnreadable if it cannot)."""
    key = secrets_box.decrypt(node.api_key_encrypted) if node.api_key_encrypted else None
    return ZapClient(node.base_url, key, timeout=timeout or current_app.config["NODE_TIMEOUT"],
                     verify=current_app.config.get("NODE_CA_BUNDLE") or True)


def probe(client: ZapClient) -> NodeTestResult:
    """Ask core/view/version; no database access (safe in a thread)."""
    started = perf_counter()
    try:
        version = client.version()
    except ZapError as exc:
        return NodeTestResult(False, "unhealthy", error=str(exc))
    return NodeTestResult(True, "healthy", version=version,
                          latency_ms=max(int((perf_counter() - started) * 1000), 0))


def test_node(node: ZapNode, unhealthy_after: int = 1) -> NodeTestResult:
    """Test the node now, record the outcome on its row (committed) and audit a status
    change. The node turns unhealthy after `unhealthy_after` consecutive failures."""
    return record_test(node, _probe_node(node), unhealthy_after)


def test_nodes(nodes: list[ZapNode], unhealthy_after: int = 1) -> list[NodeTestResult]:
    """Test several nodes in parallel (network in threads, database here)."""
    clients = [_client_or_error(n) for n in nodes]
    with ThreadPoolExecutor(max_workers=min(max(len(nodes), 1), 16)) as pool:
        probes = list(pool.map(lambda c: c if isinstance(c, NodeTestResult) else probe(c), clients))
    return [record_test(n, p, unhealthy_after) for n, p in zip(nodes, probes)]


def _probe_node(node: ZapNode) -> NodeTestResult:
    client = _client_or_error(node)
    return client if isinstance(client, NodeTestResult) else probe(client)


def _client_or_error(node: ZapNode):
    try:
        return client_for(node)
    except secrets_box.SecretUnreadable as exc:
        return NodeTestResult(False, "unhealthy", error=str(exc))


def record_test(node: ZapNode, result: NodeTestResult, unhealthy_after: int = 1) -> NodeTestResult:
    before = node.status
    node.checked_at = utcnow()
    if result.ok:
        node.version, node.latency_ms = result.version, result.latency_ms
        node.last_error, node.consecutive_failures = "", 0
        new_status = "healthy"
    else:
        node.last_error, node.latency_ms = result.error[:2000], None  # the version stays: last known
        node.consecutive_failures = (node.consecutive_failures or 0) + 1
        failing = node.consecutive_failures >= max(unhealthy_after, 1)
        new_status = "unhealthy" if failing else (before if before != "disabled" else "unknown")
    node.status = new_status if node.enabled else "disabled"
    if node.status != before:
        audit("node.status", node, outcome=node.status, name=node.name,
              previous=before, error=node.last_error)
    db.session.commit()
    result.status = node.status
    return result


# --- changing the registry -------------------------------------------------------------

def add_node(name: str, base_url: str, api_key: str, kind: str = "external", capacity: int = 2,
             enabled: bool = True, verify: bool = True) -> ZapNode:
    """Validate, optionally check the node answers with this key, then save (audited).
    Raises NodeValidationError (field -> message); nothing is saved on error."""
    name = (name or "").strip()
    url, errors = _validated(name, base_url, kind, capacity, None)
    if not (api_key or "").strip():
        errors["api_key"] = "Enter the node's API key (ZAP's api.key setting)"
    if errors:
        raise NodeValidationError(errors)
    node = ZapNode(name=name, base_url=url, kind=kind, capacity=int(capacity), enabled=enabled,
                   status="unknown" if enabled else "disabled", running_scans=0,
                   consecutive_failures=0, version="", last_error="",
                   api_key_encrypted=secrets_box.encrypt(api_key.strip()))
    check = _verify(node) if verify else None
    db.session.add(node)
    db.session.flush()
    audit("node.add", node, name=name, url=url, kind=kind, capacity=int(capacity))
    if check is not None:
        record_test(node, check)
    db.session.commit()
    return node


def update_node(node: ZapNode, name: str, base_url: str, api_key: str | None, kind: str,
                capacity, verify: bool = True) -> ZapNode:
    """Change a node; a blank `api_key` keeps the stored one. Audited, all or nothing."""
    name = (name or "").strip()
    url, errors = _validated(name, base_url, kind, capacity, node.id)
    if errors:
        raise NodeValidationError(errors)
    candidate = ZapNode(base_url=url, api_key_encrypted=node.api_key_encrypted)
    if (api_key or "").strip():
        candidate.api_key_encrypted = secrets_box.encrypt(api_key.strip())
    check = _verify(candidate) if verify else None
    node.name, node.base_url, node.kind, node.capacity = name, url, kind, int(capacity)
    node.api_key_encrypted = candidate.api_key_encrypted
    audit("node.edit", node, name=name, url=url, kind=kind, capacity=int(capacity),
          key_replaced=bool((api_key or "").strip()))
    if check is not None:
        record_test(node, check)
    db.session.commit()
    return node


def set_enabled(node: ZapNode, enabled: bool) -> None:
    node.enabled = enabled
    node.status = "unknown" if enabled else "disabled"
    node.consecutive_failures = 0
    audit("node.enable" if enabled else "node.disable", node, name=node.name)
    db.session.commit()


def delete_node(node: ZapNode) -> None:
    """Delete the node; raises NodeInUse while scans run on it."""
    db.session.refresh(node)
    if node.running_scans > 0:
        raise NodeInUse(f"{node.name} is running {node.running_scans} scan(s): wait for them to "
                        "finish or cancel them, or disable the node so it takes no new scans")
    audit("node.delete", node, name=node.name, url=node.base_url)
    db.session.delete(node)
    db.session.commit()


def _validated(name, base_url, kind, capacity, node_id) -> tuple[str, dict[str, str]]:
    errors: dict[str, str] = {}
    url, url_error = check_url(base_url, node_id)
    _, capacity_error = check_capacity(capacity)
    for field, error in (("name", check_name(name, node_id)), ("base_url", url_error),
                         ("kind", check_kind(kind)), ("capacity", capacity_error)):
        if error:
            errors[field] = error
    return url, errors


def _verify(node: ZapNode) -> NodeTestResult:
    """A failed check is a validation error on the field to fix."""
    try:
        result = probe(client_for(node))
    except secrets_box.SecretUnreadable as exc:
        raise NodeValidationError({"api_key": str(exc)}) from None
    if not result.ok:
        field = "api_key" if result.error == str(ZapAuthError()) else "base_url"
        raise NodeValidationError({field: result.error})
    return result


def sync_internal_nodes(base_urls: list[str], api_key: str) -> dict:
    """Make the internal nodes match `base_urls` (ops "scale zap N"): add new ones,
    re-enable returning ones, disable vanished ones (their history stays). Commits."""
    from .internal import sync_internal

    return sync_internal(base_urls, api_key)
