"""ZAP's traditional XML report, in all three layouts seen in the wild:
2.5+ (`<instances><instance>`), pre-2.5 (one flat `<alertitem>` per URI) and 1.x (root
`<report>`, repeated `<uri>/<param>/<otherinfo>` runs, `<reliability>` for confidence)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from .common import ParsedReport, ReportError, absolute_uri, api_alert, reported_count
from .dates import parse_generated

INSTANCE_FIELDS = ("method", "param", "attack", "evidence", "otherinfo")
LINE = "{zapdesk}line"  # an attribute no XML document can contain
DECLARATIONS = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class LineTreeBuilder:
    """Builds an ElementTree from expat events, remembering the line each element starts
    on (ElementTree's C parser does not expose it) so errors can name it."""

    def __init__(self, parser):
        self.parser, self.builder = parser, ET.TreeBuilder()
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.builder.end
        parser.CharacterDataHandler = self.builder.data

    def start(self, tag, attrs):
        self.builder.start(tag, {**attrs, LINE: str(self.parser.CurrentLineNumber)})


def load_xml(text: str) -> ET.Element:
    if DECLARATIONS.search(text):
        raise ReportError("", "DOCTYPE and ENTITY declarations are not allowed in a ZAP report")
    parser = expat.ParserCreate()
    builder = LineTreeBuilder(parser)
    try:
        parser.Parse(text, True)
    except expat.ExpatError as exc:
        raise ReportError(f"line {exc.lineno}, column {exc.offset + 1}",
                          f"not well-formed XML ({expat.ErrorString(exc.code)})") from None
    return builder.builder.close()


def child_text(element: ET.Element, tag: str) -> str | None:
    child = element.find(tag)
    return None if child is None else (child.text or "")


def where(element: ET.Element, field: str = "") -> str:
    line = f"line {element.get(LINE, '?')}"
    return f"{line} <{field}>" if field else f"{line} <{element.tag}>"


def nested_instances(container: ET.Element) -> list[tuple[dict, ET.Element]]:
    out = []
    for instance in container.findall("instance"):
        fields = {child.tag: child.text or "" for child in instance}
        out.append((fields, instance))
    return out


def flat_instances(item: ET.Element) -> list[tuple[dict, ET.Element]]:
    """Pre-2.5 and 1.x: each <uri> opens an instance; the fields after it belong to it."""
    out: list[tuple[dict, ET.Element]] = []
    for child in item:
        if child.tag == "uri":
            out.append(({"uri": child.text or ""}, child))
        elif child.tag in INSTANCE_FIELDS and out:
            out[-1][0].setdefault(child.tag, child.text or "")
    return out


def item_fields(item: ET.Element) -> dict:
    fields: dict = {}
    for child in item:
        if child.tag not in ("instances", "uri") and child.tag not in fields:
            fields[child.tag] = child.text or ""
    return fields


def read_alertitem(item: ET.Element, site: str, ssl: bool, report: ParsedReport) -> None:
    container = item.find("instances")
    instances = nested_instances(container) if container is not None else flat_instances(item)
    if not instances and site:  # e.g. "HTTP Only Site": raised on the site, count 0
        instances = [({"uri": site}, item)]
    if not instances:
        raise ReportError(where(item), "alert has no <instance> and no <uri>")
    fields = item_fields(item)
    for values, element in instances:
        url = absolute_uri(values.get("uri", ""), site, ssl, where(element, "uri"))
        report.alerts.append(api_alert(fields, {**values, "url": url}, where(element)))
    report.instances_reported += reported_count(fields, len(instances), where(item, "count"))


def read_site(site: ET.Element, report: ParsedReport) -> None:
    name = site.get("name") or ""
    report.sites.append(name)
    ssl = (site.get("ssl") or "").lower() == "true"
    for item in site.iter("alertitem"):
        read_alertitem(item, name, ssl, report)


def parse_xml_report(root: ET.Element) -> ParsedReport:
    if root.tag == "report":  # ZAP 1.x
        report = ParsedReport("legacy-xml-1.x", [], [], parse_generated(root.text))
        for item in root.findall("alertitem"):
            read_alertitem(item, "", False, report)
        return report
    if root.tag != "OWASPZAPReport":
        raise ReportError(where(root), "the root element must be <OWASPZAPReport> (or <report> for ZAP 1.x)")
    report = ParsedReport("traditional-xml", [], [], parse_generated(root.get("generated")),
                          root.get("version") or "")
    for site in root.findall("site"):
        read_site(site, report)
    return report
