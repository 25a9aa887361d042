"""The simulator (a stand-in for ZAP, never a scanner): real crawling within scope,
deterministic findings, progress over time, and every fault, seen through the real client."""
import time

import pytest

from plugins.nodes.simulator import SIM_VERSION, start_simulator
from plugins.nodes.simulator.faults import parse_fault
from plugins.nodes.zapclient import ZapClient
from plugins.nodes.zaperrors import (ZapApiError, ZapMalformedResponse, ZapTLSError,
                                     ZapUnreachable)


def wait_for(check, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.05)


def full_scan(client: ZapClient, url: str) -> list[dict]:
    spider = client.spider_scan(url)
    wait_for(lambda: client.spider_status(spider) == 100)
    wait_for(lambda: client.pscan_records_to_scan() == 0)
    active = client.ascan_scan(url)
    wait_for(lambda: client.ascan_status(active) == 100)
    return list(client.iter_alerts(url))


def test_labelled_as_a_stand_in(sim_node):
    import requests

    node = sim_node()
    assert ZapClient(node.url, "key").version() == SIM_VERSION and "simulator" in SIM_VERSION
    banner = requests.get(node.url + "/", timeout=5).text
    assert "not a scanner" in banner and "zapdesk simulator" in banner


def test_findings_come_from_the_responses_and_are_deterministic(sim_node, target_site):
    from plugins.nodes.simulator.target_site import start_target_site

    other_site = start_target_site()  # the same site on another port
    try:
        runs = [full_scan(ZapClient(sim_node().url, "key"), site) for site in (target_site, other_site.url)]
    finally:
        other_site.stop()
    keys = [sorted((a["pluginId"], a["url"].split("/", 3)[-1], a["param"]) for a in run) for run in runs]
    assert keys[0] == keys[1], "same site, same findings, wherever it runs"
    by_rule = {}
    for alert in runs[0]:
        by_rule.setdefault(alert["pluginId"], []).append(alert)
    assert by_rule["10036"][0]["evidence"] == "Apache/2.4.41 (Ubuntu)", "the Server banner it saw"
    assert by_rule["10037"][0]["evidence"] == "X-Powered-By: PHP/7.4.3"
    assert {a["param"] for a in by_rule["10010"]} == {"session"}, "the cookie without HttpOnly"
    assert any(a["url"].endswith("/contact") for a in by_rule["10202"]), "a form without anti-CSRF token"
    assert "TODO" in by_rule["10027"][0]["evidence"], "the suspicious comment on the home page"
    actives = [a for a in runs[0] if a["sourceid"] == "1"]
    assert actives and all(a["messageId"] for a in actives)
    assert not any(a["url"].endswith("/missing-page") and a["pluginId"] == "10038" for a in runs[0]), \
        "no CSP alert on the 404 page"


def test_spider_respects_scope(sim_node, target_site):
    client = ZapClient(sim_node().url, "key")
    client.context_new("shop")
    client.context_include("shop", target_site + ".*")
    client.context_exclude("shop", target_site + "/products.*")
    scan = client.spider_scan(target_site + "/", context_name="shop")
    wait_for(lambda: client.spider_status(scan) == 100)
    results = client.spider_results(scan)
    assert target_site + "/about" in results and not any("/products" in u for u in results)
    subtree = client.spider_scan(target_site + "/contact", subtree_only=True)
    wait_for(lambda: client.spider_status(subtree) == 100)
    assert all(u.startswith(target_site + "/contact") for u in client.spider_results(subtree))


def test_progress_advances_with_time_and_speed(sim_node, target_site):
    client = ZapClient(sim_node(speed=2).url, "key")
    scan = client.spider_scan(target_site)
    seen = [client.spider_status(scan)]
    wait_for(lambda: seen.append(client.spider_status(scan)) or len(set(seen)) >= 3)
    assert seen == sorted(seen) and seen[-1] < 100, "progress only moves forward, in steps"
    client.spider_stop(scan)
    assert client.spider_status(scan) == 100, "a stopped scan reports 100, as ZAP does"


def test_stuck_fault_holds_progress(sim_node, target_site):
    node = sim_node(fault="stuck:30", speed=200)
    client = ZapClient(node.url, "key")
    scan = client.spider_scan(target_site)
    wait_for(lambda: client.spider_status(scan) == 30)
    assert client.spider_status(scan) == 30
    node.set_fault(None)
    wait_for(lambda: client.spider_status(scan) == 100)


def test_die_fault_kills_the_node_mid_scan_and_heal_restarts_empty(sim_node, target_site):
    node = sim_node(fault="die:40", speed=20)
    client = ZapClient(node.url, "key", timeout=3)
    scan = client.spider_scan(target_site)

    def died():
        try:
            client.spider_status(scan)
        except ZapUnreachable:
            return True
        return False

    wait_for(died)
    with pytest.raises(ZapUnreachable, match="connection refused"):
        client.version()
    node.set_fault(None)
    with pytest.raises(ZapApiError) as caught:
        client.spider_status(scan)
    assert caught.value.code == "does_not_exist", "a restarted daemon has forgotten the scan"


def test_slow_fault_hits_the_client_timeout(sim_node):
    node = sim_node(fault="slow:2")
    with pytest.raises(ZapUnreachable, match="did not answer within 0.5 s"):
        ZapClient(node.url, "key", timeout=0.5).version()
    node.set_fault("slow:0.05")
    assert ZapClient(node.url, "key").version() == SIM_VERSION


@pytest.mark.parametrize("fault, error", [("malformed", ZapMalformedResponse), ("html", ZapMalformedResponse),
                                          ("error500", ZapApiError), ("refuse", ZapUnreachable)])
def test_faults_become_typed_errors(sim_node, fault, error):
    node = sim_node(api_key="s3cr3t-k3y", fault=fault)
    with pytest.raises(error) as caught:
        ZapClient(node.url, "s3cr3t-k3y", timeout=3).version()
    assert "s3cr3t-k3y" not in str(caught.value) and node.url in str(caught.value)


def test_tls_to_a_plain_http_port_is_a_tls_error(sim_node):
    node = sim_node()
    with pytest.raises(ZapTLSError, match="TLS failure"):
        ZapClient(node.url.replace("http://", "https://"), "key", timeout=3).version()


def test_ajax_spider_runs_once_at_a_time(sim_node, target_site):
    client = ZapClient(sim_node(speed=5).url, "key")
    client.ajax_spider_scan(target_site)
    assert client.ajax_spider_status() == "running"
    with pytest.raises(ZapApiError, match="scan_in_progress"):
        client.ajax_spider_scan(target_site)
    client.ajax_spider_stop()
    assert client.ajax_spider_status() == "stopped"


def test_openapi_import_requests_each_operation(sim_node, target_site, tmp_path):
    import json

    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps({"openapi": "3.0.0", "paths": {"/about": {"get": {}}, "/search": {"get": {}}}}))
    client = ZapClient(sim_node().url, "key")
    assert client.openapi_import_file(str(spec), target=target_site) == []
    assert {target_site + "/about", target_site + "/search"} <= set(client.urls())
    with pytest.raises(ZapApiError, match="does_not_exist"):
        client.openapi_import_file(str(tmp_path / "missing.json"))


def test_many_nodes_run_at_once():
    nodes = [start_simulator(api_key=f"k{i}") for i in range(8)]
    try:
        assert len({n.port for n in nodes}) == 8
        assert all(ZapClient(n.url, f"k{i}").version() == SIM_VERSION for i, n in enumerate(nodes))
    finally:
        for node in nodes:
            node.stop()


def test_unknown_fault_names_are_refused():
    with pytest.raises(ValueError, match="unknown fault"):
        parse_fault("explode")
    assert parse_fault("stuck").argument == 42.0 and parse_fault("slow:1.5").argument == 1.5


def test_active_scan_of_a_context_stays_inside_it(sim_node, target_site):
    client = ZapClient(sim_node(speed=100).url, "key")
    spider = client.spider_scan(target_site)
    wait_for(lambda: client.spider_status(spider) == 100)
    context_id = client.context_new("forms")
    client.context_include("forms", target_site + "/(contact|products|search).*")
    active = client.zap.ascan.scan(contextid=context_id)
    wait_for(lambda: client.ascan_status(active) == 100)
    actives = [a for a in client.iter_alerts(target_site) if a["sourceid"] == "1"]
    assert actives and all(a["url"].startswith(tuple(target_site + p for p in ("/contact", "/products", "/search")))
                           for a in actives)
    with pytest.raises(ZapApiError, match="url_not_in_context"):
        client.ascan_scan(target_site + "/about", context_id=context_id)


def test_scan_policies_and_strengths(sim_node, target_site):
    client = ZapClient(sim_node(speed=100).url, "key")
    client.ascan_set_attack_strength("", "HIGH")  # the whole default policy
    client.ascan_set_alert_threshold("40012,40018", "LOW")
    with pytest.raises(ZapApiError, match="does_not_exist"):
        client.ascan_set_attack_strength("", "LOUD")
    with pytest.raises(ZapApiError, match="does_not_exist"):
        client.ascan_scan(target_site, scan_policy_name="Strict")
    client.ascan_add_scan_policy("Strict", attack_strength="INSANE")
    assert client.ascan_scan_policy_names() == ["Default Policy", "Strict"]
    client.ascan_set_alert_threshold("", "HIGH", policy="Strict")


def test_replacer_rules_for_header_auth(sim_node):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen = []

    class Recorder(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            seen.append(self.headers.get("Authorization"))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    site = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    node = sim_node()
    client = ZapClient(node.url, "key")
    client.replacer_add_rule("zapdesk-auth", True, "REQ_HEADER", False, "Authorization", "Bearer t")
    scan = client.spider_scan(f"http://127.0.0.1:{site.server_address[1]}/")
    wait_for(lambda: client.spider_status(scan) == 100)
    site.shutdown(), site.server_close()
    assert seen == ["Bearer t"], "the spider sent the replacer's header"
    with pytest.raises(ZapApiError, match="already_exists"):
        client.replacer_add_rule("zapdesk-auth", True, "REQ_HEADER", False, "Authorization", "Bearer t")
    assert node.engine.replacer_rules[0]["matchString"] == "Authorization"
    client.replacer_remove_rule("zapdesk-auth")
    with pytest.raises(ZapApiError, match="does_not_exist"):
        client.replacer_remove_rule("zapdesk-auth")
