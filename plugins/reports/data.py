"""What a report says, independent of how it is rendered.

`ReportData` is built once per scan (see `build.py`) and every format renders from it,
so HTML, PDF, JSON, SARIF and the ZAP exports always agree. Text fields hold the alert
content as ZAP sent it (hostile: markup, huge, odd Unicode); `clean_text` removes only
what no output format can carry (control characters, lone surrogates), and each renderer
escapes and truncates for its own medium.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime

RISKS = ("High", "Medium", "Low", "Informational")
RISK_CODES = {"Informational": 0, "Low": 1, "Medium": 2, "High": 3}
CONFIDENCES = {"False Positive": 0, "Low": 1, "Medium": 2, "High": 3, "Confirmed": 4}

_UNCARRIABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean_text(value) -> str:
    """A string every format can carry: None -> "", control characters and lone
    surrogates -> U+FFFD (XML 1.0 and UTF-8 reject them)."""
    if value is None:
        return ""
    return _UNCARRIABLE.sub("\ufffd", str(value))


def risk_name(value) -> str:
    """Normalise a risk given as a name or a ZAP riskcode to one of RISKS."""
    text = str(value or "").strip()
    for name, code in RISK_CODES.items():
        if text.lower() == name.lower() or text == str(code):
            return name
    return "Informational"


class CleanStrings:
    """Dataclass mixin: every str field goes through clean_text on construction."""

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                setattr(self, f.name, clean_text(value))


@dataclass
class OccurrenceRow(CleanStrings):
    url: str
    method: str = "GET"
    param: str = ""
    attack: str = ""
    evidence: str = ""
    other: str = ""


@dataclass
class ReportFinding(CleanStrings):
    """One finding (a ZAP rule on one URL template and parameter) with its occurrences
    in this scan. Several findings share a rule; `ReportData.rules()` groups them."""

    rule_id: str
    name: str
    risk: str
    confidence: str = "Medium"
    cwe: int | None = None
    wasc: int | None = None
    description: str = ""
    solution: str = ""
    reference: str = ""
    status: str = "open"
    fingerprint: str = ""
    occurrences: list[OccurrenceRow] = field(default_factory=list)

    def __post_init__(self):
        super().__post_init__()
        self.risk = risk_name(self.risk)


class RuleSection:
    """The findings of one rule: rule metadata comes from the first of them."""

    def __init__(self, findings: list[ReportFinding]):
        self.findings = findings
        self.rule = findings[0]

    @property
    def occurrence_count(self) -> int:
        return sum(len(f.occurrences) for f in self.findings)

    def occurrences(self, limit: int | None = None) -> list[tuple[ReportFinding, OccurrenceRow]]:
        """(finding, occurrence) pairs in order, at most `limit` of them."""
        pairs: list[tuple[ReportFinding, OccurrenceRow]] = []
        for finding in self.findings:
            for occurrence in finding.occurrences:
                if limit is not None and len(pairs) >= limit:
                    return pairs
                pairs.append((finding, occurrence))
        return pairs

    def statuses(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.status] = counts.get(finding.status, 0) + 1
        return counts


@dataclass
class ChangeItem(CleanStrings):
    finding_id: int | None
    rule_id: str
    name: str
    risk: str
    url: str = ""

    def __post_init__(self):
        super().__post_init__()
        self.risk = risk_name(self.risk)


@dataclass
class Changes:
    """What changed since the previous comparable scan (None on ReportData when there
    is no previous scan)."""

    previous_scan_id: int | None
    new: list[ChangeItem] = field(default_factory=list)
    resolved: list[ChangeItem] = field(default_factory=list)
    persisting_count: int = 0
    regressed: list[ChangeItem] = field(default_factory=list)
    risk_changed: list[ChangeItem] = field(default_factory=list)
    risk_delta: float = 0.0


@dataclass
class ReportData(CleanStrings):
    scan_id: int
    target_name: str
    target_url: str
    project_name: str = ""
    profile_name: str = ""
    state: str = "done"
    source: str = "zap"
    started_at: datetime | None = None
    finished_at: datetime | None = None
    generated_at: datetime | None = None
    urls_count: int | None = None
    findings: list[ReportFinding] = field(default_factory=list)
    changes: Changes | None = None
    zap_version: str = ""

    def summary(self) -> dict[str, int]:
        """Findings per risk, highest first (every risk present, zero or not)."""
        return self._per_risk(lambda finding: 1)

    def occurrence_summary(self) -> dict[str, int]:
        return self._per_risk(lambda finding: len(finding.occurrences))

    def _per_risk(self, weight) -> dict[str, int]:
        counts = {risk: 0 for risk in RISKS}
        for finding in self.findings:
            counts[finding.risk] += weight(finding)
        return counts

    @property
    def occurrence_count(self) -> int:
        return sum(len(f.occurrences) for f in self.findings)

    def rules(self) -> list[RuleSection]:
        """Findings grouped by rule (and risk), highest risk first, then by name."""
        groups: dict[tuple[str, str], list[ReportFinding]] = {}
        for finding in self.sorted_findings():
            groups.setdefault((finding.rule_id, finding.risk), []).append(finding)
        return [RuleSection(members) for members in groups.values()]

    def sorted_findings(self) -> list[ReportFinding]:
        return sorted(self.findings, key=lambda f: (-RISK_CODES[f.risk], f.name, f.rule_id))


@dataclass
class EvolutionPoint:
    scan_id: int
    finished_at: datetime | None
    risk_score: float
    counts: dict[str, int]
    new: int = 0
    resolved: int = 0


@dataclass
class EvolutionData(CleanStrings):
    target_id: int
    target_name: str
    target_url: str
    project_name: str = ""
    generated_at: datetime | None = None
    points: list[EvolutionPoint] = field(default_factory=list)
