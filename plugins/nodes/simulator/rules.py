"""Which alerts the simulator raises.

Passive alerts come from what a response really contains (missing security headers,
cookies without flags, a server banner, forms without anti-CSRF tokens). Active alerts
are drawn from a catalogue of real ZAP rules (texts in catalogue.json, copied from genuine
ZAP reports) and decided deterministically per rule, URL path and parameter, so the same
target always gives the same findings.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from .crawler import Exchange

CSRF_NAMES = ("csrf", "xsrf", "token", "_token", "authenticity_token", "__requestverificationtoken", "nonce")
VERSION_IN_BANNER = re.compile(r"\d")
COMMENT_WORDS = re.compile(r"<!--.*?\b(TODO|FIXME|BUG|BUGS|XXX|DEBUG|ADMIN|PASSWORD|USER|QUERY|SELECT)\b.*?-->",
                           re.I | re.S)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict]:
    data = json.loads((Path(__file__).with_name("catalogue.json")).read_text())
    return {rule["pluginId"]: rule for rule in data["rules"]}


@dataclass
class Finding:
    """An alert to raise: the rule plus what was found where."""

    plugin_id: str
    url: str
    method: str
    param: str = ""
    attack: str = ""
    evidence: str = ""
    other: str = ""
    input_vector: str = ""
    alert_ref: str = ""


# --- passive ---------------------------------------------------------------------------

def passive_findings(ex: Exchange) -> list[Finding]:
    findings: list[Finding] = []
    for check in (_csp, _clickjacking, _content_type_options, _server_banner, _powered_by,
                  _cookies, _csrf_forms, _comments):
        findings.extend(check(ex))
    return findings


def _is_html(ex: Exchange) -> bool:
    return "html" in (ex.header("Content-Type") or "").lower()


def _csp(ex):
    if _is_html(ex) and ex.status < 300 and not ex.header("Content-Security-Policy"):
        return [Finding("10038", ex.url, ex.method, alert_ref="10038-1")]
    return []


def _clickjacking(ex):
    csp = (ex.header("Content-Security-Policy") or "").lower()
    if _is_html(ex) and ex.status < 300 and not ex.header("X-Frame-Options") and "frame-ancestors" not in csp:
        return [Finding("10020", ex.url, ex.method, param="x-frame-options", alert_ref="10020-1")]
    return []


def _content_type_options(ex):
    if ex.status < 300 and (ex.header("X-Content-Type-Options") or "").lower() != "nosniff":
        return [Finding("10021", ex.url, ex.method, param="x-content-type-options",
                        other="This issue still applies to error type pages (401, 403, 500, etc.) as "
                              "those pages are often still affected by injection issues, in which case "
                              "there is still concern for browsers sniffing pages away from their actual "
                              "content type.\nAt \"High\" threshold this scan rule will not alert on "
                              "client or server error responses.")]
    return []


def _server_banner(ex):
    server = ex.header("Server")
    if server and VERSION_IN_BANNER.search(server):
        return [Finding("10036", ex.url, ex.method, evidence=server)]
    return []


def _powered_by(ex):
    return [Finding("10037", ex.url, ex.method, evidence=f"X-Powered-By: {value}")
            for value in ex.header_values("X-Powered-By")]


def _cookies(ex):
    found = []
    for cookie in ex.header_values("Set-Cookie"):
        name = cookie.split("=", 1)[0].strip()
        flags = cookie.lower()
        if "httponly" not in flags:
            found.append(Finding("10010", ex.url, ex.method, param=name, evidence=f"Set-Cookie: {name}"))
        if "samesite" not in flags:
            found.append(Finding("10054", ex.url, ex.method, param=name, evidence=f"Set-Cookie: {name}",
                                 alert_ref="10054-1"))
    return found


def _csrf_forms(ex):
    if not _is_html(ex):
        return []
    found = []
    for form in re.finditer(r"<form\b[^>]*>(.*?)</form>", ex.body, re.I | re.S):
        names = [n.lower() for n in re.findall(r'name=["\']?([^"\' >]+)', form.group(1), re.I)]
        if not any(any(c in n for c in CSRF_NAMES) for n in names):
            tag = form.group(0)[:form.group(0).find(">") + 1]
            found.append(Finding("10202", ex.url, ex.method, evidence=tag, other=_csrf_other(names)))
    return found


def _csrf_other(names: list[str]) -> str:
    return ('No known Anti-CSRF token [anticsrf, CSRFToken, __RequestVerificationToken, csrfmiddlewaretoken, '
            'authenticity_token, OWASP_CSRFTOKEN, anoncsrf, csrf_token, _csrf, _csrfSecret, __csrf_magic, '
            'CSRF, _token, _csrf_token] was found in the following HTML form: '
            f'[Form 1: "{quote(" ".join(names), safe=" ")}" ].')


def _comments(ex):
    if not _is_html(ex):
        return []
    match = COMMENT_WORDS.search(ex.body)
    if not match:
        return []
    other = (f"The following pattern was used: \\b{match.group(1).upper()}\\b and was detected in likely "
             f"comment: \"{match.group(0)[:200]}\", see evidence field for the suspicious comment/snippet.")
    return [Finding("10027", ex.url, ex.method, evidence=match.group(1), other=other)]


# --- active ----------------------------------------------------------------------------

# rule id -> (how often it fires per URL/parameter, in per-mille)
PARAM_RULES = {"40012": 350, "40018": 200, "20019": 120, "40003": 60, "90017": 80, "30002": 80}
URL_RULES = {"10104": 150, "90028": 60, "40035": 0, "40029": 40, "40034": 40, "10095": 50}


def decides(*parts: str, per_mille: int) -> bool:
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return int(digest[:8], 16) % 1000 < per_mille


def active_findings(ex: Exchange) -> list[Finding]:
    path = urlsplit(ex.url).path  # not host or port: the same site scans the same wherever it runs
    found = [_param_finding(rule, ex, param) for param in dict.fromkeys(ex.params)
             for rule, rate in PARAM_RULES.items() if decides(rule, ex.method, path, param, per_mille=rate)]
    found += [_url_finding(rule, ex) for rule, rate in URL_RULES.items()
              if decides(rule, ex.method, path, per_mille=rate)]
    return found


def _param_finding(rule_id: str, ex: Exchange, param: str) -> Finding:
    example = catalogue()[rule_id].get("example", {})
    attack = example.get("attack", "")
    url = ex.url
    if ex.method == "GET" and f"{param}=" in url:
        url = re.sub(rf"([?&]{re.escape(param)}=)[^&]*", lambda m: m.group(1) + quote(attack, safe=""), url)
    return Finding(rule_id, url, ex.method, param=param, attack=attack, evidence=example.get("evidence", ""),
                   other=example.get("otherinfo", ""),
                   input_vector="queryParam" if ex.method == "GET" else "formParam")


def _url_finding(rule_id: str, ex: Exchange) -> Finding:
    example = catalogue()[rule_id].get("example", {})
    param = "Header User-Agent" if rule_id == "10104" else ""
    return Finding(rule_id, ex.url, ex.method, param=param, attack=example.get("attack", ""),
                   evidence=example.get("evidence", ""), other=example.get("otherinfo", ""))
