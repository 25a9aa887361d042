"""Every built-in format renders an empty, a typical and a hostile scan (report data built
in memory; the database-backed path is covered by test_generation.py)."""
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader

from plugins.reports import render_html, render_json, render_sarif
from plugins.reports.formats import BUILTIN
from plugins.reports.sample_data import HOSTILE_MARKUP, empty_report, hostile_report, large_report, typical_report

HERE = Path(__file__).parent
SAMPLES = {"empty": empty_report, "typical": typical_report, "hostile": hostile_report}
SCAN_FORMATS = [f for f in BUILTIN if f.scope == "scan"]
TEMPLATE_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "table", "tr",
                 "th", "td", "div", "span", "b", "a", "pdf:pagenumber", "link"}


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("fmt", SCAN_FORMATS, ids=lambda f: f.name)
def test_every_format_renders(fmt, sample):
    content = fmt.render(SAMPLES[sample]())
    assert isinstance(content, bytes) and len(content) > 200
    if fmt.extension == "pdf":
        assert content.startswith(b"%PDF-")
    elif fmt.extension in {"json", "sarif"}:
        json.loads(content)


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes = set(), set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


@pytest.mark.parametrize("pdf", [False, True])
def test_html_has_no_markup_from_alert_fields(pdf):
    html = render_html.render_scan_html(hostile_report(), pdf=pdf)
    collector = TagCollector()
    collector.feed(html)
    assert collector.tags <= TEMPLATE_TAGS, collector.tags - TEMPLATE_TAGS
    assert not any(name.startswith("on") for name in collector.attributes)
    expected_links = ['<link rel="stylesheet" href="bundle:report.css">'] if pdf else []
    assert re.findall(r"<link[^>]*>", html) == expected_links
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert "[truncated: 300,004 characters in total]" in html


def test_html_is_standalone_and_lists_everything():
    data = typical_report()
    html = render_html.render_scan_html(data)
    assert "<script" not in html and "src=" not in html and "<link" not in html
    for text in ("Summary by risk", "Cross Site Scripting (Reflected)", "CWE-79", "Validate all input.",
                 "https://owasp.org/www-community/attacks/xss/", "false_positive", "Changes since the previous scan",
                 "Missing Anti-clickjacking Header", "@media print"):
        assert text in html, text
    big = render_html.render_scan_html(large_report())
    assert big.count("<tr><td class=\"mono\">https://shop.example.test/r") == 5000


def test_pdf_has_the_expected_text():
    text = pdf_text(BUILTIN[1].render(typical_report()))
    for expected in ("Scan report: Shop", "Summary by risk", "Cross Site Scripting (Reflected)",
                     "Content Security Policy (CSP) Header Not Set", "Validate all input.", "Resolved (1)"):
        assert expected in text, expected


def test_pdf_of_a_hostile_scan_shows_text_and_truncation_notes():
    text = pdf_text(BUILTIN[1].render(hostile_report()))
    assert '<script>alert("x")</script>' in text  # shown as text, never interpreted
    assert "truncated" in text


def test_pdf_of_a_large_scan_summarises_each_rule():
    text = pdf_text(BUILTIN[1].render(large_report(occurrences=120, rules=3)))
    assert "Showing 5 of 40 occurrences" in text
    assert "Rule number 2" in text


def test_json_report_validates_against_the_shipped_schema():
    schema = json.loads(render_json.SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    for build in SAMPLES.values():
        document = json.loads(render_json.json_bytes(build()))
        jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    document = json.loads(render_json.json_bytes(typical_report()))
    assert document["summary"]["findings"] == {"High": 1, "Medium": 2, "Low": 1, "Informational": 0}
    assert [r["rule_id"] for r in document["rules"]] == ["40012", "10038", "10036"]
    assert document["changes"]["new"][0]["finding_id"] == 11


@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads((HERE / "sarif-schema-2.1.0.json").read_text())
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("sample", SAMPLES)
def test_sarif_validates_against_the_official_schema(sample, sarif_validator):
    log = json.loads(render_sarif.sarif_bytes(SAMPLES[sample]()))
    errors = sorted(sarif_validator.iter_errors(log), key=str)
    assert not errors, errors[0]


def test_sarif_has_one_result_per_occurrence_with_stable_fingerprints():
    first = render_sarif.sarif_log(typical_report())["runs"][0]
    again = render_sarif.sarif_log(typical_report())["runs"][0]
    assert len(first["results"]) == typical_report().occurrence_count == 5
    prints = [r["partialFingerprints"] for r in first["results"]]
    assert prints == [r["partialFingerprints"] for r in again["results"]]
    assert len({p["zapdeskOccurrence/v1"] for p in prints}) == 5
    assert [r["id"] for r in first["tool"]["driver"]["rules"]] == ["40012", "10038", "10036"]
    xss = first["results"][0]
    assert xss["level"] == "error" and xss["ruleIndex"] == 0 and "suppressions" not in xss
    suppressed = [r for r in first["results"] if r.get("suppressions")]
    assert len(suppressed) == 1 and suppressed[0]["properties"]["status"] == "false_positive"


def test_evolution_report_renders_html_and_pdf():
    from datetime import datetime, timezone

    from plugins.reports.data import EvolutionData, EvolutionPoint

    when = datetime(2026, 11, 1, tzinfo=timezone.utc)
    data = EvolutionData(1, HOSTILE_MARKUP, "https://shop.example.test", points=[
        EvolutionPoint(3, when, 42.5, {"High": 2, "Medium": 1}, new=3, resolved=0),
        EvolutionPoint(4, when, 10.0, {"High": 0, "Medium": 1}, new=0, resolved=2)])
    html = render_html.render_evolution_html(data)
    assert "<script" not in html and "42.5" in html and "Risk trend" in html
    evolution_pdf = next(f for f in BUILTIN if f.name == "evolution-pdf")
    text = pdf_text(evolution_pdf.render(data))
    assert "New and resolved per scan" in text and "#4" in text
    empty = EvolutionData(2, "Empty", "https://empty.example.test")
    assert "No finished scan of this target yet." in pdf_text(evolution_pdf.render(empty))
