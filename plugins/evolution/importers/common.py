"""Validation and normalisation shared by the JSON and XML report readers."""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime

RISKS = {0: "Informational", 1: "Low", 2: "Medium", 3: "High"}
CONFIDENCES = {0: "False Positive", 1: "Low", 2: "Medium", 3: "High", 4: "Confirmed"}
TAG = re.compile(r"<[^>]{0,200}>")
PARAGRAPH_END = re.compile(r"</p>\s*", re.IGNORECASE)


class ReportError(ValueError):
    """A report file that cannot be imported; `where` names the line or field at fault."""

    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}" if where else problem)
        self.where, self.problem = where, problem


@dataclass
class ParsedReport:
    """What a report holds: API-shaped alerts plus what the report says about itself."""

    format: str
    alerts: list[dict]
    sites: list[str]
    generated: datetime | None = None
    zap_version: str = ""
    instances_reported: int = 0  # sum of `count`, which can exceed the listed instances
    notes: list[str] = field(default_factory=list)


def code_in(value, allowed: dict, where: str, name: str) -> int:
    text = str(value).strip() if value is not None else ""
    if not text.lstrip("-").isdigit() or int(text) not in allowed:
        raise ReportError(where, f"{name} must be one of {', '.join(map(str, allowed))}, got {text[:40]!r}")
    return int(text)


def whole_number(value, where: str, name: str, default: int = -1) -> int:
    text = str(value).strip() if value is not None else ""
    if not text:
        return default
    if not text.lstrip("-").isdigit():
        raise ReportError(where, f"{name} must be a whole number, got {text[:40]!r}")
    return int(text)


def plain_text(value) -> str:
    """Report descriptions are HTML fragments (<p>…</p>); zapdesk stores plain text and
    escapes it wherever it is shown."""
    text = str(value or "")
    if "<" not in text and "&" not in text:
        return text.strip()
    return html.unescape(TAG.sub("", PARAGRAPH_END.sub("\n\n", text))).strip()


def absolute_uri(uri: str, site: str, ssl: bool, where: str) -> str:
    uri = (uri or "").strip()
    if uri.startswith("//"):
        return ("https:" if ssl else "http:") + uri
    if uri.startswith("/"):
        return absolute_uri(site, site, ssl, where).rstrip("/") + uri
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s]", uri):
        return uri
    raise ReportError(where, f"uri must be an absolute URL, got {uri[:80]!r}")


def api_alert(item: dict, instance: dict, where: str) -> dict:
    """One report alert instance as ZAP's API shapes an alert."""
    risk = code_in(item.get("riskcode"), RISKS, where, "riskcode")
    confidence_raw = item.get("confidence", item.get("reliability"))
    confidence = 2 if confidence_raw in (None, "") else code_in(confidence_raw, CONFIDENCES, where, "confidence")
    plugin = str(item.get("pluginid") or "").strip()
    if not plugin.lstrip("-").isdigit():
        raise ReportError(where, f"pluginid must be a number, got {plugin[:40]!r}")
    name = str(item.get("name") or item.get("alert") or "").strip()
    if not name:
        raise ReportError(where, "alert has no name")
    return {
        "pluginId": plugin, "alertRef": str(item.get("alertRef") or plugin).strip(),
        "name": name, "alert": name, "risk": RISKS[risk], "confidence": CONFIDENCES[confidence],
        "cweid": str(whole_number(item.get("cweid"), where, "cweid")),
        "wascid": str(whole_number(item.get("wascid"), where, "wascid")),
        "description": plain_text(item.get("desc")), "solution": plain_text(item.get("solution")),
        "reference": plain_text(item.get("reference")),
        "sourceid": str(item.get("sourceid") or ""),
        "url": instance["url"], "method": str(instance.get("method") or "GET").strip().upper() or "GET",
        "param": str(instance.get("param") or ""), "attack": str(instance.get("attack") or ""),
        "evidence": str(instance.get("evidence") or ""),
        "other": plain_text(instance.get("otherinfo") or item.get("otherinfo")),
        "messageId": "",
    }


def reported_count(item: dict, listed: int, where: str) -> int:
    return max(listed, whole_number(item.get("count"), where, "count", default=listed))
