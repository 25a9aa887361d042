"""The zapdesk JSON report: everything in the HTML report, machine-friendly.

Its layout is versioned and documented by the JSON Schema shipped beside this module
(`report-v1.schema.json`, also served at /reports/schema/v1.json); `version` changes
only when a field changes meaning or disappears (adding a field keeps the version).
"""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from .data import Changes, ReportData, ReportFinding

SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).parent / "report-v1.schema.json"


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def finding_json(finding: ReportFinding) -> dict:
    return {"fingerprint": finding.fingerprint, "status": finding.status,
            "occurrences": [asdict(o) for o in finding.occurrences]}


def rules_json(data: ReportData) -> list[dict]:
    out = []
    for section in data.rules():
        rule = section.rule
        out.append({"rule_id": rule.rule_id, "name": rule.name, "risk": rule.risk,
                    "confidence": rule.confidence, "cwe": rule.cwe, "wasc": rule.wasc,
                    "description": rule.description, "solution": rule.solution,
                    "reference": rule.reference, "occurrence_count": section.occurrence_count,
                    "findings": [finding_json(f) for f in section.findings]})
    return out


def changes_json(changes: Changes | None) -> dict | None:
    if changes is None:
        return None
    return {"previous_scan_id": changes.previous_scan_id, "persisting_count": changes.persisting_count,
            "risk_delta": changes.risk_delta,
            **{kind: [asdict(item) for item in getattr(changes, kind)]
               for kind in ("new", "resolved", "regressed", "risk_changed")}}


def report_json(data: ReportData) -> dict:
    return {
        "format": "zapdesk-report", "version": SCHEMA_VERSION, "generated_at": iso(data.generated_at),
        "scan": {"id": data.scan_id, "state": data.state, "source": data.source,
                 "profile": data.profile_name or None, "started_at": iso(data.started_at),
                 "finished_at": iso(data.finished_at), "urls_count": data.urls_count,
                 "zap_version": data.zap_version or None},
        "target": {"name": data.target_name, "url": data.target_url, "project": data.project_name or None},
        "summary": {"findings": data.summary(), "occurrences": data.occurrence_summary(),
                    "total_findings": len(data.findings), "total_occurrences": data.occurrence_count},
        "changes": changes_json(data.changes),
        "rules": rules_json(data),
    }


def json_bytes(data: ReportData) -> bytes:
    return json.dumps(report_json(data), ensure_ascii=False, indent=1).encode("utf-8")
