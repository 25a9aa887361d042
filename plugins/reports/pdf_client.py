"""Where PDFs are rendered: in this process (the default) or by the `pdf` service.

With PDF_SERVICE_URL set, the HTML is POSTed to `<url>/render` with the shared token
(PDF_SERVICE_TOKEN) as a bearer token; the service runs the very same renderer. The
token is sent in a header only: never in the URL, an error message or a log line.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request

from flask import current_app, has_app_context

from .render_pdf import PdfRenderError
from .render_pdf import html_to_pdf as render_in_process


def service_settings() -> tuple[str, str, float]:
    if not has_app_context():
        return "", "", 0.0
    config = current_app.config
    return (str(config.get("PDF_SERVICE_URL") or "").rstrip("/"), str(config.get("PDF_SERVICE_TOKEN") or ""),
            float(config.get("PDF_SERVICE_TIMEOUT") or 120))


def html_to_pdf(html: str) -> bytes:
    url, token, timeout = service_settings()
    if not url:
        return render_in_process(html)
    return render_remotely(url, token, timeout, html)


def service_error(exc: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(exc.read(4096).decode("utf-8", "replace")).get("error", ""))[:300]
    except (ValueError, AttributeError, OSError):
        return exc.reason or ""


def render_remotely(url: str, token: str, timeout: float, html: str) -> bytes:
    request = urllib.request.Request(f"{url}/render", data=html.encode("utf-8"), method="POST",
                                     headers={"Content-Type": "text/html; charset=utf-8",
                                              "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        hint = " (check that PDF_SERVICE_TOKEN matches the service's)" if exc.code == 401 else ""
        raise PdfRenderError(f"pdf service answered {exc.code}: {service_error(exc)}{hint}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PdfRenderError(f"pdf service at {url} unreachable: {reason}") from None


def service_health(url: str, timeout: float = 3.0) -> tuple[bool, str]:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as response:
            body = json.loads(response.read(4096))
            return body.get("status") == "ok", f"version {body.get('renderer', '?')}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return False, f"unreachable: {getattr(exc, 'reason', exc)}"
