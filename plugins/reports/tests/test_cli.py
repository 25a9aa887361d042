"""`zapdesk report` as a subprocess on the test database."""
import json

import pytest

from zapdesk.testing import run_zapdesk

from .scans import ingested_scan, typical_alerts


@pytest.fixture
def scan_id(app):
    with app.app_context():
        return ingested_scan(typical_alerts()).id


def test_report_command_writes_the_file(scan_id, tmp_path):
    output = tmp_path / "out.sarif"
    done = run_zapdesk("report", str(scan_id), "--format", "sarif", "--output", str(output))
    assert done.returncode == 0, done.stderr
    log = json.loads(output.read_text())
    assert log["version"] == "2.1.0" and len(log["runs"][0]["results"]) == 4


def test_report_command_fails_with_the_reason(scan_id, tmp_path, app):
    from plugins.reports.cli import report_command

    output = tmp_path / "never.json"
    runner = app.test_cli_runner()
    missing = runner.invoke(report_command, ["999999", "--format", "json", "--output", str(output)])
    assert missing.exit_code == 1 and "error: scan 999999 does not exist" in missing.output
    unknown = runner.invoke(report_command, [str(scan_id), "--format", "docx", "--output", str(output)])
    assert unknown.exit_code == 1
    assert "unknown format 'docx'; available: html, pdf, json, sarif, zap-json, zap-xml" in unknown.output
    assert not output.exists()
