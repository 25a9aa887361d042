"""Reading ZAP's own report files (traditional JSON and XML, every layout since 1.x) as
lists of alerts shaped like ZAP's API (`core/view/alerts`), so an imported report goes
through exactly the same ingestion as a scan zapdesk ran."""
from __future__ import annotations

from .common import ParsedReport, ReportError
from .detect import parse_report

__all__ = ["ParsedReport", "ReportError", "parse_report"]
