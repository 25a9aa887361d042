"""Standalone HTML reports (scan and target evolution), also the source of the PDFs.

A report is one self-contained file: inline CSS, no script, no external resource, so it
reads offline and prints. It has its own Jinja environment (autoescape on, no Flask
context needed) so the worker and the pdf service render exactly what the web app would.
Alert text is never trusted as markup: ZAP's <p>/<br> become paragraphs, everything
else is escaped and shown as text; huge fields are cut with a visible note.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape

from .data import RISKS, EvolutionData, ReportData

EXPORT_TEMPLATES = Path(__file__).parent / "templates" / "reports" / "export"
HTML_FIELD_LIMIT = 20_000
PDF_FIELD_LIMIT = 1_500
PDF_OCCURRENCES_PER_RULE = 5
_PARAGRAPH_BREAK = re.compile(r"</?p\s*>|<br\s*/?>", re.IGNORECASE)
_LONG_TOKEN = re.compile(r"(\S{60})(?=\S)")


def clip(text, limit: int) -> str:
    """`text` cut to `limit` characters, with a note saying how long it was."""
    text = text or ""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [truncated: {len(text):,} characters in total]"


def breakable(text: str) -> str:
    """The PDF layout cannot wrap a word wider than the page: give long runs a space."""
    return _LONG_TOKEN.sub(r"\1 ", text)


@pass_context
def fit(context, text, limit: int) -> str:
    """clip(), and for the PDF also breakable()."""
    clipped = clip(text, limit)
    return breakable(clipped) if context.get("pdf") else clipped


@pass_context
def paragraphs(context, text, limit: int) -> list[str]:
    """ZAP's description markup (<p>, <br>) as plain paragraphs; other tags stay text."""
    parts = (p.strip() for p in _PARAGRAPH_BREAK.split(fit(context, text, limit)))
    return [p for p in parts if p]


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def make_environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(EXPORT_TEMPLATES)),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(clip=fit, paragraphs=paragraphs, when=when)
    env.globals.update(RISKS=RISKS)
    return env


_ENV = make_environment()


def render_scan_html(data: ReportData, pdf: bool = False) -> str:
    """The scan report. `pdf=True` keeps the first PDF_OCCURRENCES_PER_RULE occurrences
    of each rule and a count (the full list is in the HTML and JSON reports)."""
    return _ENV.get_template("scan.html").render(
        data=data, pdf=pdf, field_limit=PDF_FIELD_LIMIT if pdf else HTML_FIELD_LIMIT,
        occurrence_limit=PDF_OCCURRENCES_PER_RULE if pdf else None)


def render_evolution_html(data: EvolutionData, pdf: bool = False) -> str:
    return _ENV.get_template("evolution.html").render(data=data, pdf=pdf, bars=trend_bars(data))


def trend_bars(data: EvolutionData, width: int = 100) -> list[dict]:
    """Per scan: the risk score as a share of the highest score (a CSS/table bar chart
    that needs no script and renders in xhtml2pdf too)."""
    top = max((p.risk_score for p in data.points), default=0) or 1
    return [{"point": p, "percent": max(1, round(p.risk_score / top * width)) if p.risk_score else 0}
            for p in data.points]


def scan_html_bytes(data: ReportData) -> bytes:
    return render_scan_html(data).encode("utf-8")


def evolution_html_bytes(data: EvolutionData) -> bytes:
    return render_evolution_html(data).encode("utf-8")
