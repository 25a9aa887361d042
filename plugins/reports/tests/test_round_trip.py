"""ZAP-compatible exports re-import through evolution's import_report with the same
findings: same fingerprints, rules, risks and occurrences."""
import pytest

from plugins.reports.build import build_report_data
from plugins.reports.render_zap import zap_json_bytes, zap_xml_bytes

from .scans import hostile_alerts, ingested_scan, typical_alerts

EXPORTS = {"zap-json": (zap_json_bytes, "report.json"), "zap-xml": (zap_xml_bytes, "report.xml")}


def finding_key(view) -> tuple:
    occurrences = sorted((o.url, o.method, o.param, o.attack, o.evidence) for o in view.occurrences)
    return (view.fingerprint, view.rule_id, view.name, view.risk, view.confidence, view.cwe, view.wasc,
            view.status, tuple(occurrences))


@pytest.mark.parametrize("alerts", [typical_alerts, hostile_alerts], ids=["typical", "hostile"])
@pytest.mark.parametrize("export", EXPORTS)
def test_export_reimports_with_the_same_findings(export, alerts, app_ctx):
    from plugins.evolution.service import import_report, scan_findings

    scan = ingested_scan(alerts())
    render, filename = EXPORTS[export]
    result = import_report(render(build_report_data(scan.id)), filename, f"http://{export}.roundtrip.test")
    assert result["alerts_read"] == len(alerts())
    original = sorted(map(finding_key, scan_findings(scan.id)))
    imported = sorted(map(finding_key, scan_findings(result["scan_id"])))
    assert imported == original and len(original) >= 2
