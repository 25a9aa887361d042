"""Contract tests on the genuine ZAP reports in shared/zap-samples: their alert fields,
renamed to the API's names, are the fields the simulator's alerts carry, and real alert
lists (a 1.4 MB field included) page through the client and the simulator intact.
The simulator stands in for ZAP."""
import json
import time
from pathlib import Path

import jsonschema
import pytest

from plugins.nodes.simulator import rules
from plugins.nodes.zapclient import ZapClient

from .zap_samples import API_ONLY, CONFIDENCES, RISKS, report_alerts, sample_files, to_api_alerts

ALERTS_SCHEMA = json.loads((Path(__file__).parent / "contract" / "core_view_alerts.json").read_text())["schema"]
ALERT_SCHEMA = ALERTS_SCHEMA["properties"]["alerts"]["items"]
SIM_FIELDS = set(ALERT_SCHEMA["required"])


@pytest.fixture(scope="module")
def samples():
    files = sample_files()
    assert len(files) >= 9, "shared/zap-samples/traditional-json is missing"
    return {path.name: [a for r in report_alerts(path) for a in to_api_alerts(r)] for path in files}


def test_report_fields_map_onto_the_api_alert_fields(samples):
    for name, alerts in samples.items():
        for alert in alerts:
            assert set(alert) <= SIM_FIELDS, name
            assert alert["risk"] in RISKS and alert["confidence"] in CONFIDENCES
            assert alert["pluginId"].isdigit() and alert["url"].startswith(("http", "//"))
        if "alertRef" in alerts[0]:  # ZAP 2.11 and later
            assert set(alerts[0]) | API_ONLY == SIM_FIELDS, name


def test_simulated_alerts_carry_the_same_fields_and_rule_data(samples, sim_node, target_site):
    node = sim_node(speed=100)
    client = ZapClient(node.url, "key")
    scan_and_wait(client, target_site)
    simulated = list(client.iter_alerts(target_site))
    assert simulated and all(set(a) == SIM_FIELDS for a in simulated)
    jsonschema.validate({"alerts": simulated}, ALERTS_SCHEMA)
    newest = newest_rule_data(samples)
    for alert in (a for a in simulated if a["pluginId"] in newest):
        real = newest[alert["pluginId"]]
        assert (alert["name"], alert["risk"], alert["cweid"], alert["wascid"]) == \
            (real["name"], real["risk"], real["cweid"], real["wascid"])
        assert alert["description"] == real["description"] and alert["solution"] == real["solution"]


def test_real_alerts_page_through_client_and_simulator_intact(samples, sim_node):
    alerts = [{**a, "messageId": "", "inputVector": "", "tags": {}}
              for a in samples["scb_juice-shop_2.8.0.json"]]
    alerts = [{**a, "alertRef": a.get("alertRef", a["pluginId"])} for a in alerts]
    node = sim_node()
    node.seed_alerts(alerts)
    client = ZapClient(node.url, "key")
    fetched = list(client.iter_alerts(page_size=7))
    assert [a["url"] + a["pluginId"] for a in fetched] == [a["url"] + a["pluginId"] for a in alerts]
    assert len({a["id"] for a in fetched}) == len(alerts) == client.number_of_alerts()
    longest = max(len(value) for a in fetched for value in a.values() if isinstance(value, str))
    assert longest > 1_000_000, "the 1.4 MB other-info field came through whole"
    site = alerts[0]["url"].split("/", 3)[:3]
    assert client.number_of_alerts("/".join(site)) == sum(a["url"].startswith("/".join(site)) for a in alerts)


def scan_and_wait(client: ZapClient, url: str) -> None:
    spider = client.spider_scan(url)
    wait_for(lambda: client.spider_status(spider) == 100)
    wait_for(lambda: client.pscan_records_to_scan() == 0)
    active = client.ascan_scan(url)
    wait_for(lambda: client.ascan_status(active) == 100)


def wait_for(check, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the simulator did not finish in time"
        time.sleep(0.05)


def newest_rule_data(samples) -> dict:
    """pluginId -> the rule data of the newest report that has it (files sort by name, so
    pick by ZAP version explicitly)."""
    def version(name: str):
        parts = name.rsplit("_", 1)[-1].removesuffix(".json").split(".")
        return tuple(int(p) for p in parts if p.isdigit()) if parts[0].isdigit() else (0,)

    newest: dict = {}
    for name in sorted(samples, key=version):
        for alert in samples[name]:
            newest[alert["pluginId"]] = alert
    from_samples = {i for i, rule in rules.catalogue().items() if rule["source"].startswith("shared/zap-samples")}
    assert from_samples <= set(newest) and len(from_samples) >= 30
    return {i: newest[i] for i in from_samples}
