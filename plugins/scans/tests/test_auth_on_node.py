"""Target authentication applied on the node (a simulated ZAP node): header, bearer and
basic become request-header replacer rules; a form login is done by the worker against a
real local login page and only the session cookie reaches the node."""
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from plugins.profiles import service as profiles
from plugins.nodes.zapclient import ZapClient
from plugins.nodes.zaperrors import ZapApiError
from plugins.scans.launch import launch_scan
from plugins.scans.node_setup import target_url_regex
from plugins.scans.tests.conftest import drive
from zapdesk.extensions import db


class Login(BaseHTTPRequestHandler):
    def do_POST(self):
        fields = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        ok = fields.get("user") == ["alice"] and fields.get("pass") == ["pw-for-alice"]
        self.send_response(200 if ok else 401)
        if ok:
            self.send_header("Set-Cookie", "session=abc123; Path=/")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def login_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Login)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/login"
    server.shutdown()


def scan_with_auth(node, target_site, scan_setup, **auth):
    """(rules on the node while the scan runs, the finished scan)."""
    target, profile = scan_setup(target_site + "/")
    profiles.save_target(target, auth)
    db.session.commit()
    scan = drive(launch_scan(target, profile).id, until=lambda s: s.state == "spider" or s.is_finished)
    during = [dict(r) for r in node.sim.engine.replacer_rules]
    return during, drive(scan.id)


@pytest.mark.parametrize("auth, header, value", [
    ({"auth_kind": "bearer", "token": "tok-123"}, "Authorization", "Bearer tok-123"),
    ({"auth_kind": "header", "header_name": "X-Api-Key", "header_value": "k-9"}, "X-Api-Key", "k-9"),
    ({"auth_kind": "basic", "username": "bob", "password": "pw"}, "Authorization", "Basic Ym9iOnB3"),
])
def test_header_auth_becomes_a_replacer_rule(app_ctx, registered_node, target_site, scan_setup, auth, header, value):
    node = registered_node()
    rules, scan = scan_with_auth(node, target_site, scan_setup, **auth)
    assert scan.state == "done", scan.error
    assert [(r["matchType"], r["matchString"], r["replacement"]) for r in rules] == [("REQ_HEADER", header, value)]
    assert node.sim.engine.replacer_rules == [], "the credentials are taken off the node afterwards"
    assert value not in str(scan.zap_ids) and value not in scan.error


def test_form_login_sends_only_the_session_cookie(app_ctx, registered_node, target_site, scan_setup, login_site):
    node = registered_node()
    form = {"auth_kind": "form", "login_url": login_site, "username_field": "user", "password_field": "pass",
            "username": "alice", "password": "pw-for-alice"}
    rules, scan = scan_with_auth(node, target_site, scan_setup, **form)
    assert scan.state == "done", scan.error
    assert [(r["matchString"], r["replacement"]) for r in rules] == [("Cookie", "session=abc123")]


def test_a_failed_form_login_fails_the_scan_with_a_reason(app_ctx, registered_node, target_site, scan_setup, login_site):
    node = registered_node()
    form = {"auth_kind": "form", "login_url": login_site, "username_field": "user", "password_field": "pass",
            "username": "alice", "password": "wrong"}
    rules, scan = scan_with_auth(node, target_site, scan_setup, **form)
    assert scan.state == "failed" and "gave HTTP 401 and no session cookie" in scan.error
    assert "wrong" not in scan.error and rules == []


def test_replacer_rule_with_url_regex_only_reaches_its_target(sim_node):
    """Two sites crawled by one (simulated) node: the credential rule scoped to site A by
    ZAP's `url` regex must never be sent to site B."""
    seen: dict[int, list] = {}

    class Recorder(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            seen.setdefault(self.server.server_address[1], []).append(self.headers.get("Authorization"))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    sites = [ThreadingHTTPServer(("127.0.0.1", 0), Recorder) for _ in range(2)]
    for site in sites:
        threading.Thread(target=site.serve_forever, daemon=True).start()
    port_a, port_b = (s.server_address[1] for s in sites)
    client = ZapClient(sim_node().url, "key")
    client.replacer_add_rule("a-auth", True, "REQ_HEADER", False, "Authorization", "Bearer a",
                             url=target_url_regex(f"http://127.0.0.1:{port_a}/"))
    for port in (port_a, port_b):
        scan = client.spider_scan(f"http://127.0.0.1:{port}/")
        deadline = time.monotonic() + 30
        while client.spider_status(scan) != 100 and time.monotonic() < deadline:
            time.sleep(0.05)
    for site in sites:
        site.shutdown(), site.server_close()
    assert seen[port_a] == ["Bearer a"] and seen[port_b] == [None]
    with pytest.raises(ZapApiError, match="illegal_parameter"):
        client.replacer_add_rule("bad", True, "REQ_HEADER", False, "X", "y", url="(")
