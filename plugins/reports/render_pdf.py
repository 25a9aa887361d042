"""HTML -> PDF with xhtml2pdf, never touching the network or files outside the bundle.

Two gates, because either alone is not enough: `bundled_only` (the link_callback) maps
the few bundled files a template may name and turns every other reference into an empty
data: URI, and the resource policy forbids remote fetches and confines local reads to
the export templates folder (xhtml2pdf reads some resources without the callback).
"""
from __future__ import annotations

import io
import logging

from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from .render_html import EXPORT_TEMPLATES

# xhtml2pdf warns with the offending markup quoted (missing glyphs, unknown CSS): that is
# alert content, which must not reach the logs.
logging.getLogger("xhtml2pdf").setLevel(logging.ERROR)
EMPTY_RESOURCE = "data:text/plain;base64,"
BUNDLED = {path.name: path for path in EXPORT_TEMPLATES.glob("*.css")}


class PdfRenderError(RuntimeError):
    """The PDF could not be produced; the message says why."""


def bundled_only(uri, rel=None) -> str:
    """The link_callback: "bundle:<name>" is a bundled file's path; anything else (a URL,
    a path, another file of the folder) becomes an empty resource."""
    text = str(uri or "")
    path = BUNDLED.get(text.removeprefix("bundle:")) if text.startswith("bundle:") else None
    return str(path) if path is not None else EMPTY_RESOURCE


def policy() -> ResourceAccessPolicy:
    return ResourceAccessPolicy.server(base_dir=EXPORT_TEMPLATES, allow_remote=False,
                                       max_render_seconds=300, max_document_bytes=50 * 1024 * 1024)


def html_to_pdf(html: str) -> bytes:
    """Render `html` (one of our export templates' output) to PDF bytes in this process."""
    out = io.BytesIO()
    try:
        status = pisa.CreatePDF(html, dest=out, encoding="utf-8", link_callback=bundled_only,
                                resource_policy=policy())
    except Exception as exc:  # xhtml2pdf and reportlab raise many types for bad layouts
        raise PdfRenderError(f"PDF rendering failed: {type(exc).__name__}: {str(exc)[:200]}") from exc
    if status.err:
        raise PdfRenderError(f"PDF rendering failed with {status.err} error(s)")
    return out.getvalue()
