"""The reports plugin: HTML, JSON, PDF, SARIF and ZAP-compatible reports of scans, and an
evolution report per target; generated after each scan, downloadable from the scan page."""
from pathlib import Path

from flask import url_for

from zapdesk.contracts import Check, MenuLink, Section
from zapdesk.hookspecs import hookimpl
from zapdesk.permissions import can

from . import models  # noqa: F401  (puts the report table on db.metadata)
from .formats import register_report_formats  # noqa: F401  (the built-in formats)


@hookimpl
def config_defaults():
    return {
        "PDF_SERVICE_URL": "",  # empty: render PDFs in-process; else e.g. http://pdf:8090
        "PDF_SERVICE_TOKEN": "",  # shared secret between zapdesk and `zapdesk pdf-service`
        "PDF_SERVICE_TIMEOUT": 120,
    }


@hookimpl
def register_blueprints():
    from .views import bp

    return [bp]


@hookimpl
def register_migrations():
    return str(Path(__file__).parent / "migrations" / "versions")


@hookimpl
def register_commands(cli):
    from .cli import register

    register(cli)


@hookimpl
def menu_links(user):
    if not can("reports.view", user=user):
        return []
    return [MenuLink("Reports", "reports.index", order=50)]


@hookimpl(trylast=True)
def scan_finished(scan):
    """Runs after evolution's listener, so the report job queues behind its ingestion."""
    from .jobs import enqueue_scan_reports

    enqueue_scan_reports(scan.id)


@hookimpl
def scan_sections(scan, user):
    if not can("reports.view", user=user):
        return []
    return [Section("Reports", url_for("reports.scan_section", scan_id=scan.id), order=80)]


@hookimpl
def target_sections(target, user):
    if not can("reports.view", user=user):
        return []
    return [Section("Evolution report", url_for("reports.target_section", target_id=target.id), order=80)]


@hookimpl
def health_checks():
    from .health import check_pdf_service, pdf_service_configured

    if not pdf_service_configured():
        return []
    return [Check("pdf-service", check_pdf_service, critical=False, order=50)]
