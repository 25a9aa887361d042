"""`zapdesk report` and `zapdesk pdf-service`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


def fail(message: str, code: int = 1):
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.command("report")
@click.argument("scan_id", type=int)
@click.option("--format", "format_name", required=True,
              help="html, json, pdf, sarif, zap-json, zap-xml (or a plugin's format)")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write ('-' for standard output).")
@click.option("--pdf-payload", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the HTML the PDF renderer receives (to inspect a failing PDF).")
@with_appcontext
def report_command(scan_id, format_name, output, pdf_payload):
    """Write the report of a finished scan in one format."""
    from .build import ReportSubjectMissing, build_report_data
    from .formats import all_formats
    from .render_html import render_scan_html
    from .render_pdf import PdfRenderError

    formats = all_formats("scan")
    if format_name not in formats:
        fail(f"unknown format {format_name!r}; available: {', '.join(formats)}")
    try:
        data = build_report_data(scan_id)
        if pdf_payload:
            write_output(pdf_payload, render_scan_html(data, pdf=True).encode("utf-8"))
        content = formats[format_name].render(data)
    except (ReportSubjectMissing, PdfRenderError) as exc:
        fail(str(exc))
    write_output(output, content)


def write_output(output: Path, content: bytes) -> None:
    if str(output) == "-":
        sys.stdout.buffer.write(content)
        return
    try:
        output.write_bytes(content)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")
    click.echo(f"wrote {len(content):,} bytes to {output}", err=True)


@click.command("pdf-service")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8090, show_default=True, type=int)
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 32))
@with_appcontext
def pdf_service_command(host, port, threads):
    """Serve the PDF renderer over HTTP (the compose `pdf` service). The bearer token comes
    from ZAPDESK_PDF_SERVICE_TOKEN, never from the command line."""
    from .pdf_service import serve

    token = str(current_app.config.get("PDF_SERVICE_TOKEN") or "")
    if len(token) < 16:
        fail("set ZAPDESK_PDF_SERVICE_TOKEN to a shared secret of at least 16 characters", code=2)
    click.echo(f"zapdesk pdf service listening on http://{host}:{port}/ (POST /render, GET /health)")
    serve(host, port, token, threads)


def register(cli) -> None:
    cli.add_command(report_command)
    cli.add_command(pdf_service_command)
