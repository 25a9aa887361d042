"""Target authentication applied on the node (a simulated ZAP node): header, bearer and
basic become request-header replacer rules; a form login is done by the worker against a
real local login page and only the session cookie reaches the node."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from plugins.profiles import service as profiles
from plugins.scans.launch import launch_scan
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
