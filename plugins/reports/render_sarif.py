"""SARIF 2.1.0: one result per occurrence, rule metadata from ZAP, stable fingerprints.

`partialFingerprints` carry zapdesk's finding key (rule + method + URL template +
parameter, stable across scans) and an occurrence key (the finding plus the concrete
URL), so code-scanning tools track a result from one scan to the next. False positives
and accepted risks are reported as externally suppressed results, not dropped.
"""
from __future__ import annotations

import hashlib
import json
from urllib.parse import quote

from .data import ReportData, ReportFinding, RuleSection

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"High": "error", "Medium": "warning", "Low": "note", "Informational": "note"}
SECURITY_SEVERITY = {"High": "8.0", "Medium": "5.0", "Low": "3.0", "Informational": "0.0"}
SUPPRESSED = {"false_positive": "False positive (triaged in zapdesk)",
              "accepted_risk": "Accepted risk (triaged in zapdesk)"}
URI_SAFE = ":/?#[]@!$&'()*+,;=%~"


def as_uri(url: str) -> str:
    """A valid URI reference for any string ZAP reported (spaces, markup, Unicode)."""
    return quote(url, safe=URI_SAFE)


def rule_descriptor(section: RuleSection) -> dict:
    rule = section.rule
    tags = ["security", "dast", "zap"] + ([f"external/cwe/cwe-{rule.cwe}"] if rule.cwe and rule.cwe > 0 else [])
    descriptor = {
        "id": rule.rule_id, "name": rule.name,
        "shortDescription": {"text": rule.name},
        "fullDescription": {"text": rule.description or rule.name},
        "help": {"text": rule.solution or "See the ZAP documentation for this rule."},
        "defaultConfiguration": {"level": LEVELS[rule.risk]},
        "properties": {"tags": tags, "risk": rule.risk, "confidence": rule.confidence,
                       "security-severity": SECURITY_SEVERITY[rule.risk],
                       "cwe": rule.cwe, "wasc": rule.wasc, "references": rule.reference},
    }
    return descriptor


def occurrence_key(finding: ReportFinding, occurrence) -> str:
    raw = "\x1f".join((finding.fingerprint, occurrence.method, occurrence.url, occurrence.param))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def result(finding: ReportFinding, occurrence, rule_index: int) -> dict:
    where = f" (parameter {occurrence.param})" if occurrence.param else ""
    out = {
        "ruleId": finding.rule_id, "ruleIndex": rule_index, "level": LEVELS[finding.risk],
        "message": {"text": f"{finding.name}: {occurrence.method} {occurrence.url}{where}"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": as_uri(occurrence.url)}}}],
        "partialFingerprints": {"zapdeskFinding/v1": finding.fingerprint,
                                "zapdeskOccurrence/v1": occurrence_key(finding, occurrence)},
        "properties": {"method": occurrence.method, "param": occurrence.param, "attack": occurrence.attack,
                       "evidence": occurrence.evidence, "otherInfo": occurrence.other,
                       "risk": finding.risk, "confidence": finding.confidence, "status": finding.status},
    }
    if finding.status in SUPPRESSED:
        out["suppressions"] = [{"kind": "external", "status": "accepted",
                                "justification": SUPPRESSED[finding.status]}]
    return out


def sarif_log(data: ReportData) -> dict:
    sections = data.rules()
    rules, results, index_of = [], [], {}
    for section in sections:
        if section.rule.rule_id not in index_of:
            index_of[section.rule.rule_id] = len(rules)
            rules.append(rule_descriptor(section))
        for finding, occurrence in section.occurrences():
            results.append(result(finding, occurrence, index_of[finding.rule_id]))
    driver = {"name": "zapdesk", "fullName": "zapdesk (OWASP ZAP results)",
              "informationUri": "https://www.zaproxy.org/", "rules": rules}
    if data.zap_version:
        driver["version"] = data.zap_version
    run = {"tool": {"driver": driver}, "results": results,
           "automationDetails": {"id": f"zapdesk/scan/{data.scan_id}"},
           "properties": {"target": data.target_url, "scanId": data.scan_id}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def sarif_bytes(data: ReportData) -> bytes:
    return json.dumps(sarif_log(data), ensure_ascii=False, indent=1).encode("utf-8")
