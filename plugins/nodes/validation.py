"""Checks of what an operator types about a node, before anything is saved."""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from zapdesk.extensions import db

from .models import KINDS, ZapNode

NAME_MAX = 80
CAPACITY_MAX = 64


class NodeValidationError(ValueError):
    """`errors` maps a form field to a message a person can act on."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in errors.items()))


def normalize_url(raw: str) -> tuple[str, str | None]:
    """(normalized URL, error message or None). Only http(s), no credentials, no query."""
    text = (raw or "").strip()
    if not text:
        return "", "Enter the node's URL, e.g. http://zap:8080"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text, "This is not a valid URL (check the port number)"
    if parts.scheme.lower() not in ("http", "https"):
        return text, "Use an http:// or https:// URL (the ZAP API's address)"
    if parts.username is not None or parts.password is not None:
        return text, "Remove the user name and password from the URL: put the API key in its own field"
    if not parts.hostname:
        return text, "The URL has no host name"
    if parts.query or parts.fragment:
        return text, "Remove the query string or fragment from the URL"
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((parts.scheme.lower(), netloc, parts.path.rstrip("/"), "", "")), None


def check_name(name: str, node_id: int | None) -> str | None:
    if not name:
        return "Enter a name for the node"
    if len(name) > NAME_MAX:
        return f"Keep the name under {NAME_MAX} characters"
    if _taken(ZapNode.name, name, node_id):
        return f"A node named {name!r} already exists"
    return None


def check_url(url: str, node_id: int | None) -> tuple[str, str | None]:
    normalized, error = normalize_url(url)
    if error is None and _taken(ZapNode.base_url, normalized, node_id):
        error = "Another node already uses this URL"
    return normalized, error


def check_capacity(value) -> tuple[int, str | None]:
    try:
        capacity = int(value)
    except (TypeError, ValueError):
        return 0, "Capacity must be a whole number"
    if not 1 <= capacity <= CAPACITY_MAX:
        return capacity, f"Capacity must be between 1 and {CAPACITY_MAX}"
    return capacity, None


def check_kind(kind: str) -> str | None:
    return None if kind in KINDS else f"Kind must be one of: {', '.join(KINDS)}"


def _taken(column, value: str, node_id: int | None) -> bool:
    query = db.select(ZapNode.id).where(db.func.lower(column) == value.lower())
    if node_id is not None:
        query = query.where(ZapNode.id != node_id)
    return db.session.execute(query.limit(1)).first() is not None
