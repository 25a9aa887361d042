"""The genuine ZAP reports in shared/zap-samples (see its PROVENANCE.md), mapped from
report field names to the field names of the ZAP API's alert objects."""
from __future__ import annotations

import json
import re
from pathlib import Path

from zapdesk.testing import shared_path

RISKS = ["Informational", "Low", "Medium", "High"]
CONFIDENCES = ["False Positive", "Low", "Medium", "High", "Confirmed"]

# report alert field -> API alert field (traditional-json report vs AlertAPI.alertToSet)
ALERT_FIELDS = {"pluginid": "pluginId", "alertRef": "alertRef", "alert": "alert", "name": "name",
                "riskcode": "risk", "confidence": "confidence", "desc": "description",
                "solution": "solution", "reference": "reference", "cweid": "cweid",
                "wascid": "wascid", "sourceid": "sourceid"}
INSTANCE_FIELDS = {"uri": "url", "method": "method", "param": "param", "attack": "attack",
                   "evidence": "evidence", "otherinfo": "other"}
API_ONLY = {"id", "messageId", "inputVector", "tags"}


def sample_files() -> list[Path]:
    return sorted(shared_path("zap-samples", "traditional-json").glob("*.json"))


def report_alerts(path: Path) -> list[dict]:
    data = json.loads(path.read_text())
    sites = data["site"] if isinstance(data["site"], list) else [data["site"]]
    return [alert for site in sites for alert in site.get("alerts", [])]


def paragraphs_to_text(html: str) -> str:
    """Reports wrap each line of the API text in <p>…</p>; undo that."""
    parts = re.split(r"</p>\s*<p>", (html or "").strip())
    if parts and parts[0].startswith("<p>"):
        parts[0] = parts[0][3:]
    if parts and parts[-1].endswith("</p>"):
        parts[-1] = parts[-1][:-4]
    return "\n".join(p.strip("\t") for p in parts).strip()


def to_api_alerts(report_alert: dict) -> list[dict]:
    """One API alert per report instance, with the API's names and value forms."""
    base = {api: str(report_alert[rep]) for rep, api in ALERT_FIELDS.items() if rep in report_alert}
    base["risk"] = RISKS[int(report_alert["riskcode"])]
    base["confidence"] = CONFIDENCES[int(report_alert["confidence"])]
    for field in ("description", "solution", "reference"):
        base[field] = paragraphs_to_text(base.get(field, ""))
    other = paragraphs_to_text(report_alert.get("otherinfo", ""))
    return [{**base, "other": other, **{api: str(inst.get(rep, "")) for rep, api in INSTANCE_FIELDS.items()
                                          if rep in inst or rep != "otherinfo"}}
            for inst in report_alert.get("instances", [])]
