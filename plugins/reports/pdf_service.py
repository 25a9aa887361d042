"""`zapdesk pdf-service`: the PDF renderer behind a small authenticated HTTP endpoint.

POST /render with the HTML as the body and `Authorization: Bearer <token>` answers
application/pdf; GET /health answers {"status": "ok"} without a token (it says nothing
secret). The token is compared in constant time and never logged. The service renders
with the same code as the in-process default (`render_pdf.html_to_pdf`), so the
network and file gates are the same.
"""
from __future__ import annotations

import hmac
import json
import logging

import xhtml2pdf

from .render_pdf import PdfRenderError, html_to_pdf

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 64 * 1024 * 1024


def json_response(start_response, status: str, body: dict):
    payload = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]


def authorized(environ, token: str) -> bool:
    supplied = environ.get("HTTP_AUTHORIZATION", "")
    expected = f"Bearer {token}"
    return hmac.compare_digest(supplied.encode("utf-8", "replace"), expected.encode("utf-8"))


def read_body(environ) -> bytes | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if length <= 0 or length > MAX_BODY_BYTES:
        return None
    return environ["wsgi.input"].read(length)


def render(environ, start_response):
    body = read_body(environ)
    if body is None:
        return json_response(start_response, "413 Payload Too Large",
                             {"error": f"send the HTML as the request body (1 byte to {MAX_BODY_BYTES} bytes)"})
    try:
        pdf = html_to_pdf(body.decode("utf-8", "replace"))
    except PdfRenderError as exc:
        log.warning("render failed (%s)", type(exc.__cause__ or exc).__name__)  # the message may quote alert text
        return json_response(start_response, "422 Unprocessable Entity", {"error": str(exc)})
    start_response("200 OK", [("Content-Type", "application/pdf"), ("Content-Length", str(len(pdf)))])
    return [pdf]


def make_app(token: str):
    """The WSGI app. `token` must be non-empty (the command refuses to start without)."""

    def app(environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == "/health" and method == "GET":
            return json_response(start_response, "200 OK", {"status": "ok", "renderer": xhtml2pdf.__version__})
        if path != "/render":
            return json_response(start_response, "404 Not Found", {"error": "POST /render or GET /health"})
        if method != "POST":
            return json_response(start_response, "405 Method Not Allowed", {"error": "POST the HTML to /render"})
        if not authorized(environ, token):
            return json_response(start_response, "401 Unauthorized", {"error": "missing or wrong bearer token"})
        return render(environ, start_response)

    return app


def serve(host: str, port: int, token: str, threads: int = 4) -> None:
    from waitress import serve as waitress_serve

    waitress_serve(make_app(token), host=host, port=port, threads=threads, ident="zapdesk-pdf",
                   max_request_body_size=MAX_BODY_BYTES)
