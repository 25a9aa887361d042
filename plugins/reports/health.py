"""Health of the `pdf` service, when one is configured (PDF_SERVICE_URL)."""
from __future__ import annotations

from flask import current_app

from zapdesk.contracts import CheckResult

from .pdf_client import service_health


def pdf_service_configured() -> bool:
    return bool(current_app.config.get("PDF_SERVICE_URL"))


def check_pdf_service() -> CheckResult:
    url = str(current_app.config["PDF_SERVICE_URL"]).rstrip("/")
    healthy, detail = service_health(url)
    return CheckResult("ok" if healthy else "fail", detail if healthy else f"pdf service {detail}")
