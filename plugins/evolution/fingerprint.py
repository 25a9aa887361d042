"""Stable keys for ZAP alerts (DESIGN.md §6): URL templates and finding fingerprints.

A fingerprint is rule + method + URL template + parameter name. Risk, confidence, evidence
and the concrete URL are attributes of an occurrence, never part of the key, so a rescan
that hits /item/17 instead of /item/42, reorders the query string or gets a new session id
still lands on the same finding.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import unquote_plus

from zapdesk.hookspecs import hookimpl

DEFAULT_PORTS = {"http": 80, "https": 443}
# Query/path parameters that identify a session or bust caches: they never mean a different page.
SESSION_PARAMS = frozenset({
    "jsessionid", "phpsessid", "aspsessionid", "asp.net_sessionid", "sessionid", "session_id",
    "sessid", "sid", "cfid", "cftoken", "_", "nocache", "cachebuster", "cb", "ts", "timestamp",
})
UUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
LONG_HEX = re.compile(r"^(?=.*\d)[0-9a-fA-F]{16,}$")


def template_segment(segment: str) -> str:
    """One path segment with volatile values replaced: {n}, {uuid} or {hex}."""
    if ";" in segment:
        segment = segment.split(";", 1)[0]  # ;jsessionid=… path parameters
    if segment.isdigit() and segment.isascii():
        return "{n}"
    if len(segment) < 16:
        return segment
    if UUID.match(segment):
        return "{uuid}"
    if LONG_HEX.match(segment):
        return "{hex}"
    return segment


def template_path(path: str) -> str:
    if not path:
        return "/"
    return "/".join([template_segment(s) for s in path.split("/")])


def query_names(query: str) -> list[str]:
    names = set()
    for pair in query.split("&"):
        name = pair.split("=", 1)[0]
        if "%" in name or "+" in name:
            name = unquote_plus(name)
        if name and name.lower() not in SESSION_PARAMS:
            names.add(name)
    return sorted(names)


def origin(scheme: str, netloc: str) -> str:
    scheme = (scheme or "http").lower()
    host_port = netloc.rpartition("@")[2].lower()
    host, colon, port = host_port.rpartition(":")
    if not colon or "]" in port:  # no port (or the tail of an IPv6 literal)
        host, port = host_port, str(DEFAULT_PORTS.get(scheme, 0))
    return f"{scheme}://{host}:{port}"


@lru_cache(maxsize=8192)  # ingestion asks twice per alert (key, then the finding row)
def url_template(url: str) -> str:
    """scheme://host:port/path?sorted&names with volatile path segments templated.

    >>> url_template("https://Shop.test/item/42/?b=1&a=2&sessionid=xyz")
    'https://shop.test:443/item/{n}/?a&b'
    """
    url = url.strip().split("#", 1)[0]
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url[2:] if url.startswith("//") else url
    cut = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
    netloc, remainder = rest[:cut], rest[cut:]
    path, _, query = remainder.partition("?")
    names = query_names(query) if query else []
    return origin(scheme, netloc) + template_path(path) + ("?" + "&".join(names) if names else "")


def path_of_template(template: str) -> str:
    """The path part of a URL template (what the generator's truth keys use)."""
    rest = template.split("://", 1)[-1]
    slash = rest.find("/")
    return (rest[slash:] if slash >= 0 else "/").split("?", 1)[0]


def coverage_key(template: str) -> str:
    """What a scan must have requested to re-test a finding: the template without query."""
    return template.split("?", 1)[0]


def rule_id(alert: dict) -> str:
    return str(alert.get("alertRef") or alert.get("pluginId") or alert.get("pluginid") or "").strip()


def finding_key(alert: dict) -> str:
    method = str(alert.get("method") or "GET").upper()
    return "|".join((rule_id(alert), method, url_template(str(alert.get("url") or "")),
                     str(alert.get("param") or "")))


def digest(key: str) -> str:
    """Fixed-width form of any plugin's key, so the unique index stays small."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@hookimpl(trylast=True)
def alert_fingerprint(alert):
    return finding_key(alert)
