"""The collecting step: fetch the node's alerts for the target in pages until the
count equals the node's numberOfAlerts, store them compressed, record coverage."""
from __future__ import annotations

from typing import Iterator

from . import service
from .phases import PhaseFailed
from .transitions import finish


class IncompleteAlerts(Exception):
    """The node returned fewer alerts than it reported; retried on the next tick."""


def paged_alerts(client, base_url: str, expected: int, page_size: int) -> Iterator[dict]:
    fetched = 0
    while fetched < expected:
        page = client.alerts(base_url, fetched, min(page_size, expected - fetched))
        if not page:
            raise IncompleteAlerts(f"the node reported {expected} alerts but returned only {fetched}")
        yield from page
        fetched += len(page)


def apply_filters(alerts, filters: list[dict]) -> Iterator[dict]:
    """The profile's alert filters: drop ("ignore") or re-rate alerts by rule id."""
    by_rule = {f["rule_id"]: f["risk"] for f in filters or []}
    for alert in alerts:
        risk = by_rule.get(str(alert.get("pluginId", "")))
        if risk == "ignore":
            continue
        if risk:
            alert = {**alert, "risk": risk, "zapdeskOriginalRisk": alert.get("risk")}
        yield alert


def counted(alerts, counter: list[int]) -> Iterator[dict]:
    for alert in alerts:
        counter[0] += 1
        yield alert


def collect(run) -> None:
    scan, client = run.scan, run.client
    expected = client.number_of_alerts(run.base_url)
    fetched = [0]
    alerts = counted(paged_alerts(client, run.base_url, expected, run.config("SCANS_ALERT_PAGE_SIZE")), fetched)
    filters = run.profile.alert_filters if run.profile else []
    service.store_alerts(scan, apply_filters(alerts, filters))
    if fetched[0] != expected:
        raise IncompleteAlerts(f"fetched {fetched[0]} alerts, the node reports {expected}")
    urls = client.urls(run.base_url)
    if not urls:
        raise PhaseFailed(f"the node holds no URLs for {run.base_url} after the scan")
    service.store_urls(scan, urls)
    scan.messages_count = client.number_of_messages(run.base_url)
    scan.phase_progress = {**scan.phase_progress, "collecting": 100}
    run.mark_time("collecting", "end")
    finish(run, "done")
