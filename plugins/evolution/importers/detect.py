"""Which kind of file was uploaded, and the reader for it."""
from __future__ import annotations

from .common import ParsedReport, ReportError
from .json_report import expect_object, load_json, parse_json_report
from .xml_report import load_xml, parse_xml_report


def decode(data: bytes) -> str:
    """Invalid UTF-8 is stored as U+FFFD rather than rejecting a whole scan over one byte."""
    text = data.decode("utf-8", errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def parse_report(data: bytes, filename: str = "") -> ParsedReport:
    text = decode(data).lstrip()
    if not text:
        raise ReportError("", "the file is empty")
    if text.startswith("<"):
        return parse_xml_report(load_xml(text))
    if not text.startswith("{"):
        raise ReportError("line 1", "not a ZAP report: expected traditional JSON ({…}) or XML (<…>)")
    document = expect_object(load_json(text), "document")
    if "site" in document:
        return parse_json_report(document)
    if "runs" in document:
        raise ReportError("", "SARIF reports are not imported; export ZAP's traditional JSON or XML report")
    raise ReportError("document", 'a traditional JSON report has a "site" list; this file has none')
