"""The simulator's spider: fetches the target over real HTTP, follows links and submits
forms (with ZAP's default value "ZAP") within scope, and records every exchange."""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Callable
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import requests

FETCH_TIMEOUT = 5.0
USER_AGENT = "Mozilla/5.0 (zapdesk ZAP simulator; a stand-in, not a scanner)"


@dataclass
class Exchange:
    """One request and its response, as the history records it."""

    url: str
    method: str
    status: int
    headers: list[tuple[str, str]]
    body: str
    params: list[str] = field(default_factory=list)  # parameter names sent
    id: int = 0
    rtt_ms: int = 0
    attack: bool = False  # sent by the active scanner (not in the site tree, not passively scanned)

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def header_values(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]


@dataclass
class Form:
    action: str
    method: str
    fields: list[str]


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link", "area") and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag in ("script", "img", "iframe", "frame") and attrs.get("src"):
            self.links.append(attrs["src"])
        elif tag == "form":
            self.forms.append(Form(attrs.get("action") or "", (attrs.get("method") or "GET").upper(), []))
        elif tag in ("input", "textarea", "select") and self.forms and attrs.get("name"):
            self.forms[-1].fields.append(attrs["name"])


class Scope:
    """Same scheme, host and port as the start URL (under its path when subtree_only),
    then the context's include / exclude regexes when a context is given."""

    def __init__(self, start_url: str, subtree_only: bool = False, include: list[str] | None = None,
                 exclude: list[str] | None = None):
        parts = urlsplit(start_url)
        self.origin = f"{parts.scheme}://{parts.netloc}".lower()
        self.prefix = start_url if subtree_only else self.origin
        self.include = [re.compile(r) for r in include or []]
        self.exclude = [re.compile(r) for r in exclude or []]

    def __contains__(self, url: str) -> bool:
        if not url.lower().startswith(self.prefix.lower()):
            return False
        if self.include and not any(r.fullmatch(url) for r in self.include):
            return False
        return not any(r.fullmatch(url) for r in self.exclude)


def normalize(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def fetch(session: requests.Session, url: str, method: str = "GET", data: dict | None = None,
          headers: dict | None = None) -> Exchange:
    try:
        response = session.request(method, url, data=data, headers=headers, timeout=FETCH_TIMEOUT,
                                   allow_redirects=False)
    except requests.RequestException as exc:
        return Exchange(url, method, 0, [], f"connection failed: {type(exc).__name__}")
    headers = list(response.raw.headers.items()) if response.raw is not None else list(response.headers.items())
    return Exchange(url, method, response.status_code, headers, response.text[:500_000],
                    rtt_ms=int(response.elapsed.total_seconds() * 1000))


def crawl(start_url: str, scope: Scope, record: Callable[[Exchange], None], max_urls: int = 200,
          should_stop: Callable[[], bool] = lambda: False,
          headers_for: Callable[[str], dict] | None = None) -> list[str]:
    """Breadth-first crawl; returns the URLs fetched in order. `headers_for(url)` gives the
    headers added to that request (the replacer's REQ_HEADER rules whose URL regex matches,
    e.g. an Authorization header)."""
    session = requests.Session()
    session.trust_env = False
    session.headers["User-Agent"] = USER_AGENT
    queue, fetched = deque([("GET", normalize(start_url), None)]), []
    seen = {f"GET {normalize(start_url)}"}
    while queue and len(fetched) < max_urls and not should_stop():
        method, url, data = queue.popleft()
        exchange = fetch(session, url, method, data, headers_for(url) if headers_for else None)
        if exchange.status == 0:
            continue
        exchange.params = _param_names(url) + list(data or {})
        record(exchange)
        fetched.append(url)
        for item in _next_requests(exchange, scope):
            key = f"{item[0]} {item[1]}"
            if key not in seen:
                seen.add(key)
                queue.append(item)
    return fetched


def _param_names(url: str) -> list[str]:
    query = urlsplit(url).query
    return [pair.split("=", 1)[0] for pair in query.split("&") if pair]


def _next_requests(exchange: Exchange, scope: Scope) -> list[tuple[str, str, dict | None]]:
    found: list[tuple[str, str, dict | None]] = []
    location = exchange.header("Location")
    if location:
        found.append(("GET", normalize(urljoin(exchange.url, location)), None))
    if "html" not in (exchange.header("Content-Type") or ""):
        return [f for f in found if f[1] in scope]
    parser = _LinkParser()
    parser.feed(exchange.body)
    found += [("GET", normalize(urljoin(exchange.url, link)), None) for link in parser.links
              if not link.startswith(("javascript:", "mailto:", "#", "data:"))]
    found += [_form_request(exchange.url, form) for form in parser.forms]
    return [f for f in found if f[1] in scope]


def _form_request(page_url: str, form: Form) -> tuple[str, str, dict | None]:
    values = {name: "ZAP" for name in form.fields}
    target = normalize(urljoin(page_url, form.action))
    if form.method == "POST":
        return "POST", target, values
    base = target.split("?", 1)[0]
    return "GET", f"{base}?{urlencode(values)}" if values else base, None
