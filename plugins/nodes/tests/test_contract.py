"""Contract tests: the ZAP API shapes recorded in tests/contract/ (each derived from ZAP's
source, cited in the file) pin both the client's parsing and the simulator's answers.
The simulator stands in for ZAP; the fixture server below replays the recorded examples."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest
import requests

from plugins.nodes.zapclient import ZapClient
from plugins.nodes.zaperrors import ZapApiError, ZapAuthError

CONTRACT = Path(__file__).parent / "contract"


def contract(name: str) -> dict:
    return json.loads((CONTRACT / f"{name}.json").read_text())


def all_contracts() -> list[str]:
    return sorted(p.stem for p in CONTRACT.glob("*.json"))


@pytest.mark.parametrize("name", all_contracts())
def test_each_fixture_cites_zap_source_and_its_example_fits(name):
    doc = contract(name)
    assert doc["source"] and all(("zaproxy/" in s) for s in doc["source"])
    jsonschema.validate(doc["example"], doc["schema"])


# --- the client parses the recorded examples ---------------------------------------------

class FixtureServer:
    """Answers /JSON/<endpoint>/ with the recorded example of that endpoint."""

    def __init__(self):
        examples = {contract(n)["endpoint"]: contract(n)["example"] for n in all_contracts()
                    if "/" in contract(n)["endpoint"] and " " not in contract(n)["endpoint"]}
        self.seen: list[tuple[str, str | None]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path.split("?")[0].strip("/").removeprefix("JSON/")
                outer.seen.append((path, self.headers.get("X-ZAP-API-Key")))
                body = json.dumps(examples.get(path, {"code": "bad_view", "message": "Bad View"})).encode()
                self.send_response(200 if path in examples else 400)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fixture_client():
    server = FixtureServer()
    yield ZapClient(server.url, "fixture-key", timeout=5), server
    server.stop()


def test_client_parses_every_recorded_shape(fixture_client):
    client, server = fixture_client
    assert client.version() == "2.15.0"
    assert client.number_of_alerts() == 42 and client.number_of_messages() == 120
    assert client.alerts(start=0, count=10) == contract("core_view_alerts")["example"]["alerts"]
    assert client.urls()[1].endswith("/about")
    assert client.alerts_summary() == {"High": 1, "Low": 12, "Medium": 3, "Informational": 2}
    assert client.spider_scan("http://127.0.0.1:3000/") == "0" and client.spider_status("0") == 57
    assert len(client.spider_results("0")) == 2
    assert client.ajax_spider_status() == "running" and client.ajax_spider_number_of_results() == 3
    assert client.ajax_spider_results()[0]["type"] == "-1"
    assert client.pscan_records_to_scan() == 0
    assert client.ascan_scan("http://127.0.0.1:3000/") == "0" and client.ascan_status("0") == 100
    host, processes = client.ascan_scan_progress("0")
    assert host.startswith("http://") and processes["HostProcess"][0]["Plugin"][1] == "40012"
    assert client.ascan_scan_policy_names() == ["Default Policy"]
    assert client.context_new("ctx") == "1" and client.openapi_import_url("http://127.0.0.1:3000/openapi.json") == []
    client.spider_stop("0"), client.ascan_stop("0"), client.ajax_spider_scan("http://127.0.0.1:3000/")
    client.context_include("ctx", ".*"), client.replacer_add_rule("auth", True, "REQ_HEADER", False, "Authorization", "x")
    assert {key for _, key in server.seen} == {"fixture-key"}, "the key travels in X-ZAP-API-Key"


# --- the simulator answers with the recorded shapes ----------------------------------------

def raw(node, endpoint: str, key: str = "key", **params) -> requests.Response:
    return requests.get(f"{node.url}/JSON/{endpoint}/", params=params, headers={"X-ZAP-API-Key": key}, timeout=5)


def fits(node, name: str, **params) -> dict:
    response = raw(node, contract(name)["endpoint"], **params)
    assert response.status_code == 200, response.text
    body = response.json()
    jsonschema.validate(body, contract(name)["schema"])
    return body


def wait_until(check, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the simulator did not get there in time"
        time.sleep(0.05)


def test_simulator_answers_with_the_recorded_shapes(sim_node, target_site):
    node = sim_node(speed=100)
    fits(node, "core_view_version")
    scan = fits(node, "spider_action_scan", url=target_site)["scan"]
    wait_until(lambda: fits(node, "spider_view_status", scanId=scan)["status"] == "100")
    assert target_site + "/" in fits(node, "spider_view_results", scanId=scan)["results"]
    wait_until(lambda: fits(node, "pscan_view_recordsToScan")["recordsToScan"] == "0")
    fits(node, "ajaxSpider_action_scan", url=target_site)
    wait_until(lambda: fits(node, "ajaxSpider_view_status")["status"] == "stopped")
    assert int(fits(node, "ajaxSpider_view_numberOfResults")["numberOfResults"]) > 0
    fits(node, "ajaxSpider_view_results", start="1", count="2")
    ascan = fits(node, "ascan_action_scan", url=target_site)["scan"]
    fits(node, "ascan_view_scanProgress", scanId=ascan)
    wait_until(lambda: fits(node, "ascan_view_status", scanId=ascan)["status"] == "100")
    fits(node, "ascan_action_stop", scanId=ascan), fits(node, "spider_action_stop", scanId=scan)
    fits(node, "ascan_view_scanPolicyNames")
    alerts = fits(node, "core_view_alerts", baseurl=target_site)["alerts"]
    assert {a["sourceid"] for a in alerts} == {"1", "3"}, "active and passive alerts"
    fits(node, "core_view_numberOfAlerts", baseurl=target_site)
    fits(node, "core_view_numberOfMessages"), fits(node, "core_view_urls")
    fits(node, "alert_view_alertsSummary", baseurl=target_site)
    fits(node, "alert_action_deleteAlerts", baseurl=target_site)
    assert fits(node, "core_view_numberOfAlerts", baseurl=target_site)["numberOfAlerts"] == "0"
    fits(node, "context_action_newContext", contextName="c1")
    fits(node, "context_action_includeInContext", contextName="c1", regex=target_site + ".*")
    fits(node, "replacer_action_addRule", description="auth", enabled="true", matchType="REQ_HEADER",
         matchRegex="false", matchString="Authorization", replacement="Bearer x")


def test_simulator_errors_match_zap(sim_node):
    node = sim_node()
    error = contract("api_error")
    cases = [("ascan/action/scan", {"url": "http://127.0.0.1:1/nowhere"}, "url_not_found"),
             ("spider/action/scan", {"url": "ftp://x"}, "illegal_parameter"),
             ("spider/view/status", {"scanId": "99"}, "does_not_exist"),
             ("core/view/nope", {}, "bad_view"),
             ("nope/view/version", {}, "no_implementor"),
             ("context/action/includeInContext", {"contextName": "none", "regex": ".*"}, "context_not_found")]
    for endpoint, params, code in cases:
        response = raw(node, endpoint, **params)
        assert response.status_code == 400, endpoint
        jsonschema.validate(response.json(), error["schema"])
        assert response.json()["code"] == code
    node.set_fault("error500")
    assert raw(node, "core/view/version").status_code == 500


def test_bad_key_gets_no_reply_by_default_and_400_when_reported(sim_node):
    quiet, loud = sim_node(api_key="right"), sim_node(api_key="right", report_perm_errors=True)
    with pytest.raises(requests.ConnectionError):
        raw(quiet, "core/view/version", key="wrong")
    response = raw(loud, "core/view/version", key="wrong")
    assert (response.status_code, response.json()) == (400, contract("bad_api_key")["example"])
    for node in (quiet, loud):
        with pytest.raises(ZapAuthError, match="^API key rejected$"):
            ZapClient(node.url, "wrong").version()


def test_client_reports_zap_error_codes(sim_node):
    client = ZapClient(sim_node().url, "key")
    with pytest.raises(ZapApiError) as caught:
        client.ascan_scan("http://127.0.0.1:1/never-spidered")
    assert caught.value.code == "url_not_found" and "URL Not Found in the Scan Tree" in str(caught.value)
