"""Finished scans for the reports tests, created through the profiles and scans services
and ingested by evolution's service (the real pipeline; no ZAP involved)."""
from __future__ import annotations

from datetime import timedelta

from zapdesk.extensions import db
from zapdesk.models import utcnow

from plugins.reports.sample_data import HOSTILE_MARKUP, HUGE, ODD_UNICODE

TARGET_URL = "http://shop.test"
# PostgreSQL text cannot hold NUL, and no UTF-8 holds a lone surrogate: ZAP cannot send them.
STORABLE_ODD_UNICODE = ODD_UNICODE.replace(" · nul \x00", "").replace(" · lone \ud800", "")


def zap_alert(plugin_id: str, name: str, risk: str, url: str, **extra) -> dict:
    """One alert as ZAP's JSON API (core/view/alerts) returns it."""
    alert = {"pluginId": plugin_id, "alertRef": plugin_id, "name": name, "alert": name, "risk": risk,
             "confidence": "Medium", "cweid": "79", "wascid": "8", "description": f"<p>About {name}.</p>",
             "solution": "<p>Fix it.</p>", "reference": "<p>https://owasp.org/</p>", "url": url, "method": "GET",
             "param": "", "attack": "", "evidence": "", "other": "", "messageId": "1", "sourceid": "3"}
    alert.update(extra)
    return alert


def typical_alerts(base: str = TARGET_URL) -> list[dict]:
    return [
        zap_alert("40012", "Cross Site Scripting (Reflected)", "High", f"{base}/search?q=1", param="q",
                  attack="<scrIpt>alert(1);</scRipt>", evidence="<scrIpt>alert(1);</scRipt>"),
        zap_alert("10038", "Content Security Policy (CSP) Header Not Set", "Medium", f"{base}/", cweid="693",
                  wascid="15"),
        zap_alert("10038", "Content Security Policy (CSP) Header Not Set", "Medium", f"{base}/about", cweid="693",
                  wascid="15"),
        zap_alert("10036", "Server Leaks Version Information", "Low", f"{base}/", evidence="nginx/1.25.3",
                  cweid="497", wascid="13"),
    ]


def hostile_alerts(base: str = TARGET_URL) -> list[dict]:
    return [
        zap_alert("99999", HOSTILE_MARKUP, "High", f"{base}/{HOSTILE_MARKUP}", param=HOSTILE_MARKUP,
                  attack=HUGE[:100_000], evidence=STORABLE_ODD_UNICODE,
                  description=HOSTILE_MARKUP + HUGE[:50_000], other=HOSTILE_MARKUP),
        zap_alert("10021", "Odd " + STORABLE_ODD_UNICODE, "Low", f"{base}/\u202e"),
    ]


def new_target(url: str = TARGET_URL):
    from plugins.profiles.service import get_or_create_target

    target = get_or_create_target(url, project_name="Default")
    db.session.commit()
    return target


def ingested_scan(alerts: list[dict], url: str = TARGET_URL, minutes: int = 0, ingest: bool = True):
    """A done scan of `url` (created if needed) holding `alerts`, ingested unless told not."""
    from plugins.evolution.service import ingest_scan
    from plugins.scans.service import create_finished_scan

    target = new_target(url)
    at = utcnow().replace(microsecond=0) - timedelta(days=1) + timedelta(minutes=minutes)
    scan = create_finished_scan(target.id, alerts, urls=[a["url"] for a in alerts] or [url], source="zap",
                                finished_at=at)
    db.session.commit()
    if ingest:
        ingest_scan(scan.id)
    return scan
