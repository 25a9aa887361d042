"""`zapdesk report` through the real command group (in-process: the same `zapdesk` CLI a
shell runs, app built from the session's ZAPDESK_* environment)."""
import json

import pytest
from click.testing import CliRunner

from .scans import ingested_scan, typical_alerts


@pytest.fixture
def scan_id(app):
    with app.app_context():
        return ingested_scan(typical_alerts()).id


def zapdesk(*args: str):
    from zapdesk.cli import cli, load_plugin_commands

    load_plugin_commands()
    return CliRunner().invoke(cli, list(args))


def test_report_command_writes_the_file(scan_id, tmp_path):
    output = tmp_path / "out.sarif"
    done = zapdesk("report", str(scan_id), "--format", "sarif", "--output", str(output))
    assert done.exit_code == 0, done.output
    log = json.loads(output.read_text())
    assert log["version"] == "2.1.0" and len(log["runs"][0]["results"]) == 4


def test_report_command_can_save_the_pdf_payload(scan_id, tmp_path):
    pdf, payload = tmp_path / "out.pdf", tmp_path / "payload.html"
    done = zapdesk("report", str(scan_id), "--format", "pdf", "--output", str(pdf), "--pdf-payload", str(payload))
    assert done.exit_code == 0, done.output
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert '<link rel="stylesheet" href="bundle:report.css">' in payload.read_text()


def test_report_command_fails_with_the_reason(scan_id, tmp_path):
    output = tmp_path / "never.json"
    missing = zapdesk("report", "999999", "--format", "json", "--output", str(output))
    assert missing.exit_code == 1 and "error: scan 999999 does not exist" in missing.output
    unknown = zapdesk("report", str(scan_id), "--format", "docx", "--output", str(output))
    assert unknown.exit_code == 1
    assert "unknown format 'docx'; available: html, pdf, json, sarif, zap-json, zap-xml" in unknown.output
    assert not output.exists()
