"""ZAP's "traditional" JSON and XML reports, in the exact layout ZAP 2.11+ writes.

Tools that import ZAP reports (DefectDojo's ZAP parser reads the XML; zapdesk's own
import reads both) accept these files: sites with @name/@host/@port/@ssl, alerts whose
numbers are strings, one instance per occurrence and `count` equal to the instances.
Alert text is written as ZAP wrote it (ZAP's own markup in desc/solution/reference).
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from urllib.parse import urlsplit

from .data import CONFIDENCES, RISK_CODES, ReportData, RuleSection

PROGRAM_NAME = "ZAP"
DEFAULT_PORTS = {"https": "443", "http": "80"}


def site_of(url: str, fallback: str) -> tuple[str, str, str, str]:
    """(name, host, port, ssl) the way ZAP names a site, e.g. https://shop:8443."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return site_of(fallback, "http://unknown") if url != fallback else ("http://unknown", "unknown", "80", "false")
    try:
        port = str(parts.port or DEFAULT_PORTS[parts.scheme])
    except ValueError:  # a port that is not a number
        port = DEFAULT_PORTS[parts.scheme]
    host = parts.hostname
    name = f"{parts.scheme}://{host}" + ("" if port == DEFAULT_PORTS[parts.scheme] else f":{port}")
    return name, host, port, "true" if parts.scheme == "https" else "false"


def zap_generated(when: datetime | None) -> str:
    """ZAP's @generated, e.g. "Thu, 1 Feb 2024 23:22:20" (English, no zero padding)."""
    when = when or datetime.now(timezone.utc)
    return f"{when:%a}, {when.day} {when:%b %Y %H:%M:%S}"


def alert_dict(section: RuleSection, pairs) -> dict:
    rule = section.rule
    confidence = CONFIDENCES.get(rule.confidence, 2)
    instances = [{"uri": o.url, "method": o.method, "param": o.param, "attack": o.attack,
                  "evidence": o.evidence, "otherinfo": o.other} for _, o in pairs]
    return {
        "pluginid": rule.rule_id.split("-", 1)[0], "alertRef": rule.rule_id,
        "alert": rule.name, "name": rule.name,
        "riskcode": str(RISK_CODES[rule.risk]), "confidence": str(confidence),
        "riskdesc": f"{rule.risk} ({rule.confidence})", "confidencedesc": rule.confidence,
        "desc": rule.description, "instances": instances, "count": str(len(instances)),
        "solution": rule.solution, "otherinfo": instances[0]["otherinfo"] if instances else "",
        "reference": rule.reference, "cweid": str(rule.cwe if rule.cwe is not None else -1),
        "wascid": str(rule.wasc if rule.wasc is not None else -1), "sourceid": "",
    }


def sites(data: ReportData) -> list[dict]:
    """Sites in first-seen order, each with its alerts (one per rule seen on that site)."""
    by_site: dict[tuple, list] = {site_of(data.target_url, data.target_url): []}
    for section in data.rules():
        per_site: dict[tuple, list] = {}
        for pair in section.occurrences():
            per_site.setdefault(site_of(pair[1].url, data.target_url), []).append(pair)
        for site, pairs in per_site.items():
            by_site.setdefault(site, []).append(alert_dict(section, pairs))
    return [{"@name": name, "@host": host, "@port": port, "@ssl": ssl, "alerts": alerts}
            for (name, host, port, ssl), alerts in by_site.items()]


def zap_json(data: ReportData) -> dict:
    report = {"@programName": PROGRAM_NAME, "@version": data.zap_version or "unknown",
              "@generated": zap_generated(data.generated_at), "site": sites(data)}
    for site in report["site"]:
        for alert in site["alerts"]:
            alert.pop("confidencedesc")  # the JSON layout has no confidencedesc
    return report


def zap_json_bytes(data: ReportData) -> bytes:
    return json.dumps(zap_json(data), ensure_ascii=False, indent="\t").encode("utf-8")


def text_element(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


def alert_element(alerts: ET.Element, alert: dict) -> None:
    item = ET.SubElement(alerts, "alertitem")
    for key, value in alert.items():
        if key != "instances":
            text_element(item, key, value)
            continue
        instances = ET.SubElement(item, "instances")
        for instance in value:
            node = ET.SubElement(instances, "instance")
            for name, text in instance.items():
                text_element(node, name, text)


def zap_xml_bytes(data: ReportData) -> bytes:
    root = ET.Element("OWASPZAPReport", {"programName": PROGRAM_NAME, "version": data.zap_version or "unknown",
                                         "generated": zap_generated(data.generated_at)})
    for site in sites(data):
        node = ET.SubElement(root, "site", {k[1:]: site[k] for k in ("@name", "@host", "@port", "@ssl")})
        alerts = ET.SubElement(node, "alerts")
        for alert in site["alerts"]:
            alert_element(alerts, alert)
    ET.indent(root, "\t")
    return b'<?xml version="1.0"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False, short_empty_elements=False) + b"\n"
