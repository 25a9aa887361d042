"""Report formats: what the `register_report_formats` hook returns, and the built-ins.

A format renders `ReportData` (scan formats) or `EvolutionData` (target formats) to
bytes. Third-party plugins add formats by returning more `ReportFormat`s from the hook;
names are unique (the first plugin to register a name wins, built-ins come first).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal

from zapdesk.hookspecs import hookimpl
from zapdesk.plugins import flatten, get_plugin_manager

from . import render_html, render_json, render_sarif, render_zap


@dataclass(frozen=True)
class ReportFormat:
    name: str  # in URLs and on the command line: "pdf", "zap-xml"
    label: str
    mimetype: str
    extension: str  # without the dot
    render: Callable[..., bytes]  # (ReportData) -> bytes, or (EvolutionData) for scope "target"
    scope: Literal["scan", "target"] = "scan"
    order: int = 100


def render_scan_pdf(data) -> bytes:
    from .pdf_client import html_to_pdf

    return html_to_pdf(render_html.render_scan_html(data, pdf=True))


def render_evolution_pdf(data) -> bytes:
    from .pdf_client import html_to_pdf

    return html_to_pdf(render_html.render_evolution_html(data, pdf=True))


BUILTIN = [
    ReportFormat("html", "HTML", "text/html", "html", render_html.scan_html_bytes, order=10),
    ReportFormat("pdf", "PDF", "application/pdf", "pdf", render_scan_pdf, order=20),
    ReportFormat("json", "JSON", "application/json", "json", render_json.json_bytes, order=30),
    ReportFormat("sarif", "SARIF 2.1.0", "application/sarif+json", "sarif", render_sarif.sarif_bytes, order=40),
    ReportFormat("zap-json", "ZAP JSON", "application/json", "json", render_zap.zap_json_bytes, order=50),
    ReportFormat("zap-xml", "ZAP XML", "application/xml", "xml", render_zap.zap_xml_bytes, order=60),
    ReportFormat("evolution-html", "Evolution (HTML)", "text/html", "html",
                 render_html.evolution_html_bytes, scope="target", order=10),
    ReportFormat("evolution-pdf", "Evolution (PDF)", "application/pdf", "pdf", render_evolution_pdf,
                 scope="target", order=20),
]


@hookimpl(tryfirst=True)
def register_report_formats():
    return list(BUILTIN)


def all_formats(scope: str = "scan") -> dict[str, ReportFormat]:
    """Registered formats of a scope by name, in display order."""
    found: dict[str, ReportFormat] = {}
    for fmt in flatten(get_plugin_manager().hook.register_report_formats()):
        if getattr(fmt, "scope", "scan") == scope:
            found.setdefault(fmt.name, fmt)
    return dict(sorted(found.items(), key=lambda item: (getattr(item[1], "order", 100), item[0])))


def get_format(name: str, scope: str = "scan") -> ReportFormat | None:
    return all_formats(scope).get(name)


def file_name(fmt: ReportFormat, subject: str, subject_id: int) -> str:
    suffix = "" if fmt.name == fmt.extension else f"-{fmt.name}"
    return f"zapdesk-{subject}-{subject_id}{suffix}.{fmt.extension}"
