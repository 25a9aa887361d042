"""ZAP's own report files (shared/zap-samples, real ZAP output) read into API-shaped alerts,
and malformed files rejected with the line or field at fault."""
from datetime import datetime, timezone

import pytest

from plugins.evolution.importers import ReportError, parse_report

from .helpers import SAMPLES

# file -> (format, instances read, sum of `count`)
EXPECTED = {
    "traditional-json/scb_juice-shop_2.8.0.json": ("traditional-json", 86, 137),
    "traditional-json/scb_example.com_2.9.0.json": ("traditional-json", 43, 111),
    "traditional-json/scb_bodgeit-full-scan_D-2020-06-24.json": ("traditional-json", 397, 3182),
    "traditional-json/scb_petstore-api-scan_D-2020-06-24.json": ("traditional-json", 86, 109),
    "traditional-json/sechub_juice-shop-local_2.11.0.json": ("traditional-json", 25, 25),
    "traditional-json/bcgov-pipeline-templates_itsecgames_2.11.1.json": ("traditional-json", 803, 803),
    "traditional-json/bcgov-pipeline-templates_itsecgames_2.13.0.json": ("traditional-json", 49, 49),
    "traditional-json/bcgov-vhers-scan_2.14.0.json": ("traditional-json", 33, 33),
    "traditional-json/zapnuclei-combined_localhost3000_2.15.0.json": ("traditional-json", 131, 131),
    "xml/defectdojo_zap_sample_2.7.0.xml": ("traditional-xml", 7, 7),
    "xml/defectdojo_juicy2_juice-shop-herokuapp_2.10.0.xml": ("traditional-xml", 86, 372),
    "xml/defectdojo_empty_2.9.0.xml": ("traditional-xml", 0, 0),
    "xml/scb_juice-shop_D-2020-10-13.xml": ("traditional-xml", 155, 288),
    "xml/scb_nginx_D-2020-10-13.xml": ("traditional-xml", 12, 12),
    "xml/scb_example.com_D-2020-10-13.xml": ("traditional-xml", 16, 16),
    "xml/scb_not-found_D-2020-10-13.xml": ("traditional-xml", 0, 0),
    "xml/scb_bodgeit_2.11.1.xml": ("traditional-xml", 210, 210),  # 209 + one site-level alert, count 0
    "xml/zap-sonar-plugin_localhost8180_2.4.0.xml": ("traditional-xml", 236, 236),
    "other/defectdojo_xml-plus_2.11.1.xml": ("traditional-xml", 1, 1),
    "other/faraday-plugins_legacy-zap1x_report.xml": ("legacy-xml-1.x", 23, 23),
}
API_KEYS = {"pluginId", "alertRef", "name", "risk", "confidence", "cweid", "wascid", "description", "solution",
            "reference", "url", "method", "param", "attack", "evidence", "other"}


def read(name: str):
    return parse_report((SAMPLES / name).read_bytes(), name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_sample_parses(name):
    report = read(name)
    fmt, instances, reported = EXPECTED[name]
    assert (report.format, len(report.alerts), report.instances_reported) == (fmt, instances, reported)
    for item in report.alerts:
        assert API_KEYS <= item.keys()
        assert item["risk"] in {"High", "Medium", "Low", "Informational"}
        assert item["url"].startswith(("http://", "https://"))
        assert item["pluginId"].isdigit()


def test_strings_for_numbers_and_html_descriptions():
    first = read("traditional-json/bcgov-vhers-scan_2.14.0.json").alerts[0]
    assert (first["pluginId"], first["alertRef"], first["risk"], first["confidence"]) == ("10055", "10055-4", "Medium", "High")
    assert first["cweid"] == "693" and "<p>" not in first["description"]
    assert first["other"].startswith("The following directives")  # instance-level otherinfo (2.12+)


def test_scheme_less_site_and_several_sites():
    report = read("xml/scb_bodgeit_2.11.1.xml")
    assert report.sites[0] == "//bodgeit.securecodebox-demo.svc" and len(report.sites) == 5
    site_level = [a for a in report.alerts if a["name"] == "HTTP Only Site"]
    assert [a["url"] for a in site_level] == ["http://bodgeit.securecodebox-demo.svc:8080"]


def test_pre_2_5_flat_items_and_localised_dates():
    report = read("xml/zap-sonar-plugin_localhost8180_2.4.0.xml")
    assert report.generated == datetime(2015, 5, 7, 16, 14, 12, tzinfo=timezone.utc)  # "jeu., 7 mai 2015"
    assert all(a["method"] == "GET" for a in report.alerts)
    german = read("other/defectdojo_xml-plus_2.11.1.xml")
    assert german.generated == datetime(2022, 9, 30, 8, 40, 35, tzinfo=timezone.utc)  # "Fr., 30 Sep. 2022"


def test_zap_1x_report_with_reliability():
    report = read("other/faraday-plugins_legacy-zap1x_report.xml")
    cookie = [a for a in report.alerts if a["pluginId"] == "40000"]
    assert len(cookie) == 6 and {a["confidence"] for a in cookie} == {"Medium"}  # <reliability>2</reliability>
    assert cookie[1]["url"] == "http://www.web3.com.ar/ServFotoPorNoticia.asp"
    assert cookie[1]["param"].startswith("ASPSESSIONIDCQATADBB=")


def test_count_above_instances_is_reported_not_invented():
    report = read("traditional-json/scb_example.com_2.9.0.json")
    assert len(report.alerts) == 43 and report.instances_reported == 111


@pytest.mark.parametrize("data, where, words", [
    (b'{"site": [{"@name": "http://a.test", "alerts": [', "line 1, column", "not valid JSON"),
    (b'{\n"site": [\n{"@name": "http://a.test",\n "alerts": [}]}', "line 4, column", "not valid JSON"),
    (b'{"site": [{"@name": "http://a.test", "alerts": [{"pluginid": "1", "alert": "A", "riskcode": "9", '
     b'"instances": [{"uri": "http://a.test/"}]}]}]}', "site[0].alerts[0]", "riskcode must be one of 0, 1, 2, 3"),
    (b'{"site": [{"@name": "http://a.test", "alerts": [{"pluginid": "x1", "alert": "A", "riskcode": "1", '
     b'"instances": [{"uri": "http://a.test/"}]}]}]}', "site[0].alerts[0]", "pluginid must be a number"),
    (b'{"site": [{"@name": "http://a.test", "alerts": [{"pluginid": "1", "alert": "A", "riskcode": "1", '
     b'"instances": [{"uri": "http://a.test/"}, {"uri": "not a url"}]}]}]}', "site[0].alerts[0].instances[1].uri",
     "absolute URL"),
    (b'{"site": [{"@name": "http://a.test", "alerts": [{"pluginid": "1", "alert": "A", "riskcode": "1", '
     b'"cweid": "seven", "instances": [{"uri": "http://a.test/"}]}]}]}', "site[0].alerts[0]", "cweid must be a whole number"),
    (b'{"site": "nope"}', "site", "expected a list"),
    (b'{"version": 1}', "document", '"site" list'),
    (b'{"runs": [], "$schema": "https://json.schemastore.org/sarif-2.1.0.json"}', "", "SARIF"),
    (b"<OWASPZAPReport>\n<site name='http://a.test'>\n<alerts><alertitem>\n</site>", "line 4", "not well-formed XML"),
    (b"<OWASPZAPReport><site name='http://a.test'><alerts>\n<alertitem><pluginid>1</pluginid><alert>A</alert>"
     b"<riskcode>7</riskcode><instances><instance><uri>http://a.test/</uri></instance></instances></alertitem>"
     b"</alerts></site></OWASPZAPReport>", "line 2", "riskcode"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><OWASPZAPReport/>', "", "DOCTYPE"),
    (b"<html><body>not a report</body></html>", "line 1", "root element"),
    (b"", "", "empty"),
    (b"hello", "line 1", "not a ZAP report"),
])
def test_malformed_files_name_the_place(data, where, words):
    with pytest.raises(ReportError) as caught:
        parse_report(data, "bad")
    assert caught.value.where.startswith(where) and words in str(caught.value)


def test_invalid_utf8_is_replaced_not_fatal():
    data = (b'{"site": [{"@name": "http://a.test", "alerts": [{"pluginid": "1", "alert": "A\xff\xfe", '
            b'"riskcode": "1", "instances": [{"uri": "http://a.test/", "evidence": "\xc3("}]}]}]}')
    item = parse_report(data, "x.json").alerts[0]
    assert item["name"] == "A\ufffd\ufffd" and item["evidence"] == "\ufffd("
