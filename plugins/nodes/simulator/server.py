"""The HTTP side of a simulated node: ZAP's URL layout (/JSON/<component>/<type>/<name>/),
its key check and error responses, and the injected faults."""
from __future__ import annotations

import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from .api import check_route, dispatch
from .engine import ApiError

# api.error.* of ZAP's Messages.properties (zaproxy/zaproxy,
# zap/src/main/resources/org/zaproxy/zap/resources/Messages.properties).
ERROR_MESSAGES = {
    "already_exists": "Already Exists",
    "bad_action": "Bad Action",
    "bad_api_key": "Invalid or missing API key",
    "bad_external_data": "The external data provided is not valid.",
    "bad_format": "Bad Format",
    "bad_type": "Bad Type",
    "bad_view": "Bad View",
    "context_not_found": "No Context found that matches parameter",
    "does_not_exist": "Does Not Exist",
    "illegal_parameter": "Provided parameter has illegal or unrecognized value",
    "internal_error": "Internal Error",
    "missing_parameter": "Missing Parameter",
    "no_implementor": "No Implementor",
    "scan_in_progress": "Scan In Progress",
    "url_not_found": "URL Not Found in the Scan Tree",
    "url_not_in_context": "The provided url is not in the required context",
}
BANNER = ("<!DOCTYPE html><html><head><title>ZAP API UI (zapdesk simulator)</title></head><body>"
          "<h1>ZAP API UI &mdash; zapdesk simulator</h1><p><strong>This is a stand-in for tests and "
          "demos, not a scanner.</strong> It answers a subset of the ZAP API with ZAP's JSON shapes; "
          "its alerts are simulated.</p></body></html>")


def error_body(code: str, detail: str | None = None) -> bytes:
    body = {"code": code, "message": ERROR_MESSAGES.get(code, code)}
    if detail:
        body["detail"] = detail
    return json.dumps(body).encode()


class SimServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, node):
        self.node = node
        super().__init__(address, SimHandler)

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # a client that gave up is not news


class SimHandler(BaseHTTPRequestHandler):
    server: SimServer
    protocol_version = "HTTP/1.1"
    server_version = "ZAP-simulator"
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms ACK stall

    def log_message(self, fmt, *args):  # quiet: tests start many nodes
        pass

    def do_GET(self):
        self._handle(dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True)))

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        if self.headers.get("Content-Type", "").split(";")[0] != "application/x-www-form-urlencoded":
            return self._send(400, error_body("content_type_not_supported"))
        query = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        self._handle({**query, **dict(parse_qsl(body, keep_blank_values=True))})

    def _handle(self, params: dict) -> None:
        node = self.server.node
        if node.fault_hit_before_answer():
            return self._drop()
        parts = [p for p in urlsplit(self.path).path.split("/") if p]
        if not parts:
            return self._send(200, BANNER.encode(), "text/html; charset=UTF-8")
        if node.fault_answer(self):
            return None
        self._api(parts, params)

    def _api(self, parts: list[str], params: dict) -> None:
        """API.handleApiRequest's order: format, component, type, then the key, then the
        endpoint (so a wrong component is reported even with a wrong key)."""
        try:
            check_route(parts)
            if not self.server.node.key_ok(self.headers.get("X-ZAP-API-Key") or params.get("apikey")):
                return self._reject_key()
            with self.server.node.engine.lock:
                answer = dispatch(self.server.node.engine, parts[1], parts[2], parts[3], params)
        except ApiError as exc:
            status = 500 if exc.code == "internal_error" else 400
            return self._send(status, error_body(exc.code, exc.detail if self.server.node.error_details else None))
        except Exception as exc:  # as ZAP does: an unexpected failure is internal_error, HTTP 500
            return self._send(500, error_body("internal_error", type(exc).__name__))
        self._send(200, json.dumps(answer).encode())

    def _reject_key(self) -> None:
        """ZAP's default (api.reportpermerrors=false) is to fail silently: no reply at all."""
        if self.server.node.report_perm_errors:
            return self._send(400, error_body("bad_api_key"))
        self._drop()

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(2)
        except OSError:
            pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json; charset=UTF-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def send_raw(self, status: int, body: bytes, content_type: str) -> None:
        self._send(status, body, content_type)

    def pause(self, seconds: float) -> None:
        time.sleep(seconds)
