"""ZAP's traditional JSON report (`-J report.json`, reports add-on "traditional-json")."""
from __future__ import annotations

import json

from .common import ParsedReport, ReportError, absolute_uri, api_alert, reported_count
from .dates import parse_generated


def load_json(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON ({exc.msg})") from None


def as_list(value, where: str) -> list:
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    if not isinstance(value, list):
        raise ReportError(where, f"expected a list, got {type(value).__name__}")
    return value


def expect_object(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise ReportError(where, f"expected an object, got {type(value).__name__}")
    return value


def site_level(item: dict, site: str) -> list[dict]:
    """Pre-2.5 items carry their own uri; an alert raised on the site has no instance."""
    if item.get("uri"):
        return [item]
    return [{"uri": site}] if site else []


def site_alerts(site: dict, where: str, report: ParsedReport) -> None:
    name = str(site.get("@name") or "")
    ssl = str(site.get("@ssl") or "").lower() == "true"
    report.sites.append(name)
    for a_index, item in enumerate(as_list(site.get("alerts"), f"{where}.alerts")):
        here = f"{where}.alerts[{a_index}]"
        item = expect_object(item, here)
        instances = as_list(item.get("instances"), f"{here}.instances") or site_level(item, name)
        if not instances:
            raise ReportError(here, "alert has no instances and no uri")
        for i_index, instance in enumerate(instances):
            at = f"{here}.instances[{i_index}]" if "instances" in item else here
            instance = expect_object(instance, at)
            url = absolute_uri(str(instance.get("uri") or ""), name, ssl, f"{at}.uri")
            report.alerts.append(api_alert(item, {**instance, "url": url}, at))
        report.instances_reported += reported_count(item, len(instances), f"{here}.count")


def parse_json_report(document: dict) -> ParsedReport:
    report = ParsedReport("traditional-json", [], [], parse_generated(document.get("@generated")),
                          str(document.get("@version") or ""))
    for s_index, site in enumerate(as_list(document.get("site"), "site")):
        site_alerts(expect_object(site, f"site[{s_index}]"), f"site[{s_index}]", report)
    return report
