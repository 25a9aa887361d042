"""Report data built in memory: an empty, a typical, a hostile and a large scan.

Used by the renderer tests and by bench/reports.py, so renderers are exercised without
a database; the integration tests build their data from real scans instead.
"""
from __future__ import annotations

from datetime import datetime, timezone

from .data import Changes, ChangeItem, OccurrenceRow, ReportData, ReportFinding

WHEN = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
HOSTILE_MARKUP = '<script>alert("x")</script><img src="http://169.254.169.254/latest" onerror=alert(1)>'
HUGE = "A" * 300_000 + " end"
ODD_UNICODE = "RTL \u202eevil\u202c · emoji \U0001f4a5 · CJK 漢字 · combining e\u0301 · zero\u200bwidth · nul\x00 · lone \ud800"


def base(scan_id: int = 1, **overrides) -> ReportData:
    values = dict(scan_id=scan_id, target_name="Shop", target_url="https://shop.example.test",
                  project_name="Default", profile_name="baseline", started_at=WHEN,
                  finished_at=WHEN, generated_at=WHEN, urls_count=12, zap_version="2.15.0")
    values.update(overrides)
    return ReportData(**values)


def empty_report() -> ReportData:
    return base(urls_count=3)


def typical_report() -> ReportData:
    data = base()
    data.findings = [
        ReportFinding("40012", "Cross Site Scripting (Reflected)", "High", "Medium", 79, 8,
                      "<p>Cross-site Scripting (XSS) is an attack technique.</p>",
                      "<p>Validate all input.</p>", "<p>https://owasp.org/www-community/attacks/xss/</p>",
                      "open", "fp-xss-q",
                      [OccurrenceRow("https://shop.example.test/search?q=1", "GET", "q",
                                     "<scrIpt>alert(1);</scRipt>", "<scrIpt>alert(1);</scRipt>")]),
        ReportFinding("10038", "Content Security Policy (CSP) Header Not Set", "Medium", "High", 693, 15,
                      "<p>CSP is an added layer of security.</p>", "<p>Set the header.</p>", "", "confirmed",
                      "fp-csp-root", [OccurrenceRow("https://shop.example.test/"),
                                      OccurrenceRow("https://shop.example.test/about")]),
        ReportFinding("10038", "Content Security Policy (CSP) Header Not Set", "Medium", "High", 693, 15,
                      "<p>CSP is an added layer of security.</p>", "<p>Set the header.</p>", "", "false_positive",
                      "fp-csp-cart", [OccurrenceRow("https://shop.example.test/cart", "POST")]),
        ReportFinding("10036", "Server Leaks Version Information", "Low", "High", 497, 13,
                      "Server header present.", "Remove it.", "", "open", "fp-server",
                      [OccurrenceRow("https://shop.example.test/", evidence="nginx/1.25.3")]),
    ]
    data.changes = Changes(previous_scan_id=0, new=[ChangeItem(11, "40012", "Cross Site Scripting (Reflected)",
                                                               "High", "https://shop.example.test/search?q")],
                           resolved=[ChangeItem(12, "10020", "Missing Anti-clickjacking Header", "Medium",
                                                "https://shop.example.test/old")],
                           persisting_count=3, risk_delta=7.5)
    return data


def hostile_report() -> ReportData:
    data = base(target_name=HOSTILE_MARKUP, project_name=ODD_UNICODE)
    occurrences = [OccurrenceRow(f"https://shop.example.test/{HOSTILE_MARKUP}", "GET", HOSTILE_MARKUP,
                                 HUGE, ODD_UNICODE, HOSTILE_MARKUP) for _ in range(3)]
    occurrences.append(OccurrenceRow("https://shop.example.test/" + "x" * 5000, "GET", "", "", HUGE))
    data.findings = [
        ReportFinding("99999", HOSTILE_MARKUP, "High", "High", 79, 8, HOSTILE_MARKUP + HUGE,
                      "<p>" + ODD_UNICODE + "</p>" + HOSTILE_MARKUP, "javascript:alert(1)\n" + HOSTILE_MARKUP,
                      "open", "fp-hostile", occurrences),
        ReportFinding("10021", "Odd " + ODD_UNICODE, "weird-risk", "Low", None, None, "", "", "", "open",
                      "fp-odd", [OccurrenceRow("https://shop.example.test/\u202e", "G\x00ET")]),
    ]
    return data


def large_report(occurrences: int = 5000, rules: int = 40) -> ReportData:
    """`occurrences` spread evenly over `rules` rules (2 findings per rule)."""
    data = base(urls_count=occurrences)
    risks = ("High", "Medium", "Low", "Informational")
    findings = rules * 2
    for rule in range(rules):
        for half in range(2):
            index = rule * 2 + half
            per_finding = occurrences // findings + (1 if index < occurrences % findings else 0)
            rows = [OccurrenceRow(f"https://shop.example.test/r{rule}/p{half}/{n}?id={n}", "GET", f"param{n % 7}",
                                  "", f"evidence {n} for rule {rule}", "other info") for n in range(per_finding)]
            data.findings.append(ReportFinding(
                str(10000 + rule), f"Rule number {rule}", risks[rule % 4], "Medium", 200 + rule, 13,
                "<p>" + "A description paragraph. " * 20 + "</p>", "<p>Fix it.</p>",
                "<p>https://example.test/ref</p>", "open", f"fp-{rule}-{half}", rows))
    return data
