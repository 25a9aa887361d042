"""The ZAP-compatible exports have exactly the layout of real ZAP 2.11+ reports (compared
with the genuine samples in shared/zap-samples) and parse the way DefectDojo's ZAP parser
reads them."""
import json
import xml.etree.ElementTree as ET


from plugins.reports.render_zap import zap_generated, zap_json_bytes, zap_xml_bytes
from plugins.reports.sample_data import HOSTILE_MARKUP, empty_report, hostile_report, typical_report
from zapdesk.testing import shared_path


def real_json_layout():
    sample = json.loads(shared_path("zap-samples", "traditional-json", "bcgov-vhers-scan_2.14.0.json").read_text())
    site = sample["site"][0]
    alert = site["alerts"][0]
    return list(sample), list(site), list(alert), list(alert["instances"][0])


def test_zap_json_has_zaps_exact_layout():
    top, site_keys, alert_keys, instance_keys = real_json_layout()
    report = json.loads(zap_json_bytes(typical_report()))
    assert list(report) == top
    site = report["site"][0]
    assert list(site) == site_keys
    assert (site["@name"], site["@host"], site["@port"], site["@ssl"]) == (
        "https://shop.example.test", "shop.example.test", "443", "true")
    for alert in site["alerts"]:
        assert list(alert) == alert_keys
        assert all(isinstance(v, str) for k, v in alert.items() if k != "instances")
        assert alert["count"] == str(len(alert["instances"]))
        for instance in alert["instances"]:
            assert list(instance) == instance_keys
    csp = next(a for a in site["alerts"] if a["pluginid"] == "10038")
    assert csp["riskcode"] == "2" and csp["confidence"] == "3" and csp["riskdesc"] == "Medium (High)"
    assert csp["cweid"] == "693" and len(csp["instances"]) == 3


def xml_child_tags(element):
    return [child.tag for child in element]


def test_zap_xml_has_zaps_exact_layout():
    sample = ET.parse(shared_path("zap-samples", "xml", "scb_bodgeit_2.11.1.xml")).getroot()
    sample_item = sample.find("site/alerts/alertitem")
    ours = ET.fromstring(zap_xml_bytes(typical_report()))
    assert ours.tag == sample.tag == "OWASPZAPReport"
    assert {"version", "generated"} <= set(ours.attrib)
    assert set(ours.find("site").attrib) == set(sample.find("site").attrib)
    item = ours.find("site/alerts/alertitem")
    assert xml_child_tags(item) == xml_child_tags(sample_item)
    expected_instance = xml_child_tags(sample_item.find("instances/instance")) + ["otherinfo"]
    assert xml_child_tags(item.find("instances/instance")) == expected_instance
    assert b"<otherinfo></otherinfo>" in zap_xml_bytes(typical_report()), "ZAP never writes <tag />"


def defectdojo_like_parse(content: bytes) -> list[dict]:
    """What DefectDojo's ZAP parser reads from the XML: per site, each alertitem's title,
    riskcode, cweid, pluginid, description/solution/reference and the instances' URIs."""
    findings = []
    for site in ET.fromstring(content).findall("site"):
        for item in site.findall("alerts/alertitem"):
            findings.append({"site": site.get("name"), "title": item.findtext("alert"),
                             "riskcode": item.findtext("riskcode"), "cwe": item.findtext("cweid"),
                             "plugin": item.findtext("pluginid"), "desc": item.findtext("desc"),
                             "uris": [i.findtext("uri") for i in item.findall("instances/instance")]})
    return findings


def test_zap_xml_reads_back_with_alert_text_intact():
    findings = defectdojo_like_parse(zap_xml_bytes(typical_report()))
    assert [f["title"] for f in findings] == ["Cross Site Scripting (Reflected)",
                                              "Content Security Policy (CSP) Header Not Set",
                                              "Server Leaks Version Information"]
    assert findings[0]["desc"] == "<p>Cross-site Scripting (XSS) is an attack technique.</p>"
    assert findings[0]["riskcode"] == "3" and findings[0]["cwe"] == "79"
    hostile = defectdojo_like_parse(zap_xml_bytes(hostile_report()))
    assert hostile[0]["title"] == HOSTILE_MARKUP
    assert all(len(f["uris"]) >= 1 for f in hostile)


def test_empty_scan_exports_one_site_without_alerts():
    report = json.loads(zap_json_bytes(empty_report()))
    assert report["site"] == [{"@name": "https://shop.example.test", "@host": "shop.example.test",
                               "@port": "443", "@ssl": "true", "alerts": []}]
    root = ET.fromstring(zap_xml_bytes(empty_report()))
    assert len(root.findall("site")) == 1 and root.findall("site/alerts/alertitem") == []


def test_sites_are_split_by_scheme_host_and_port():
    data = typical_report()
    data.findings[1].occurrences[0].url = "http://other.example.test:8080/x"
    names = [s["@name"] for s in json.loads(zap_json_bytes(data))["site"]]
    assert names == ["https://shop.example.test", "http://other.example.test:8080"]


def test_generated_date_is_in_zaps_format():
    from datetime import datetime, timezone

    assert zap_generated(datetime(2024, 2, 1, 23, 22, 20, tzinfo=timezone.utc)) == "Thu, 1 Feb 2024 23:22:20"
