"""Keeping the internal (compose-managed) nodes in line with the running replicas."""
from __future__ import annotations

from urllib.parse import urlsplit

from zapdesk import secrets_box
from zapdesk.audit import audit
from zapdesk.extensions import db

from .models import ZapNode
from .validation import NodeValidationError, normalize_url


def sync_internal(base_urls: list[str], api_key: str) -> dict:
    wanted = _normalized(base_urls)
    internal = {n.base_url: n for n in db.session.execute(
        db.select(ZapNode).where(ZapNode.kind == "internal")).scalars()}
    result = {"added": [], "enabled": [], "disabled": [], "kept": []}
    secret = secrets_box.encrypt(api_key) if api_key else ""
    for url in wanted:
        node = internal.get(url)
        if node is None:
            result["added"].append(_add(url, secret).name)
        else:
            _refresh(node, secret, result)
    for url, node in internal.items():
        if url not in wanted and node.enabled:
            node.enabled, node.status = False, "disabled"
            audit("node.disable", node, actor="system", name=node.name, reason="replica gone")
            result["disabled"].append(node.name)
    db.session.commit()
    return result


def _normalized(base_urls: list[str]) -> list[str]:
    urls, errors = [], {}
    for raw in base_urls:
        url, error = normalize_url(raw)
        if error:
            errors[raw] = error
        elif url not in urls:
            urls.append(url)
    if errors:
        raise NodeValidationError(errors)
    return urls


def _add(url: str, secret: str) -> ZapNode:
    node = ZapNode(name=_free_name(url), base_url=url, kind="internal", capacity=2, enabled=True,
                   status="unknown", running_scans=0, consecutive_failures=0, version="",
                   last_error="", api_key_encrypted=secret)
    taken = db.session.execute(db.select(ZapNode).where(ZapNode.base_url == url)).scalar_one_or_none()
    if taken is not None:
        raise NodeValidationError({url: f"the external node {taken.name} already uses this URL"})
    db.session.add(node)
    db.session.flush()
    audit("node.add", node, actor="system", name=node.name, url=url, kind="internal")
    return node


def _refresh(node: ZapNode, secret: str, result: dict) -> None:
    if secret:
        node.api_key_encrypted = secret
    if node.enabled:
        result["kept"].append(node.name)
        return
    node.enabled, node.status, node.consecutive_failures = True, "unknown", 0
    audit("node.enable", node, actor="system", name=node.name, reason="replica back")
    result["enabled"].append(node.name)


def _free_name(url: str) -> str:
    parts = urlsplit(url)
    base = f"internal-{parts.hostname}" + (f"-{parts.port}" if parts.port else "")
    name, n = base, 2
    while db.session.execute(db.select(ZapNode.id).where(ZapNode.name == name)).first():
        name, n = f"{base}-{n}", n + 1
    return name
