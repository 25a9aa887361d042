"""Test helpers: targets and finished scans built through the profiles and scans services,
and the shared workload generator (../shared/bench/zap_alerts.py) run as a subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from zapdesk.extensions import db
from zapdesk.models import utcnow

GENERATOR = Path(os.environ.get("ZAPDESK_ALERT_GENERATOR")
                 or Path(__file__).resolve().parents[4] / "shared" / "bench" / "zap_alerts.py")
SAMPLES = GENERATOR.parents[1] / "zap-samples"


def new_target(url: str = "http://target.test", project: str = "Default"):
    from plugins.profiles.service import get_or_create_target

    target = get_or_create_target(url, project_name=project)
    db.session.commit()
    return target


def finished_scan(target, alerts, urls=None, minutes: int = 0, profile_id=None):
    """A done scan `minutes` after a fixed origin, so consecutive scans order by time."""
    from plugins.scans.service import create_finished_scan

    at = utcnow().replace(microsecond=0) - timedelta(days=1) + timedelta(minutes=minutes)
    scan = create_finished_scan(target.id, alerts, urls=urls, profile_id=profile_id, source="bench", finished_at=at)
    db.session.commit()
    return scan


def generate(*args: str) -> str:
    done = subprocess.run([sys.executable, str(GENERATOR), *args], capture_output=True, text=True, check=True)
    return done.stdout


def generated_alerts(alerts: int, scan: int, site: int = 1, host: str = "http://target.test") -> list[dict]:
    out = generate("--alerts", str(alerts), "--scan", str(scan), "--site", str(site), "--host", host, "--jsonl")
    return [json.loads(line) for line in out.splitlines() if line]


def truth(alerts: int, scan: int, site: int = 1) -> dict:
    return json.loads(generate("--alerts", str(alerts), "--scan", str(scan), "--site", str(site), "--truth"))


def alert(**overrides) -> dict:
    """One ZAP API alert with sensible defaults."""
    base = {"pluginId": "10020", "alertRef": "10020", "name": "Missing Anti-clickjacking Header",
            "alert": "Missing Anti-clickjacking Header", "risk": "Medium", "confidence": "Medium",
            "cweid": "1021", "wascid": "15", "description": "The response does not protect against clickjacking.",
            "solution": "Set X-Frame-Options.", "reference": "https://owasp.org", "url": "http://target.test/",
            "method": "GET", "param": "x-frame-options", "attack": "", "evidence": "", "other": "",
            "messageId": "1", "sourceid": "3"}
    base.update(overrides)
    return base
