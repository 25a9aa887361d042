"""The simulated daemon's state: history, site tree, alerts and scans.

Progress is a function of time (`speed` multiplies it) and is evaluated when asked
(`tick()`), so nothing runs in the background except the spider's real HTTP crawl.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field

from . import rules
from .crawler import Exchange, Scope, crawl
from .rules import Finding

BASE_SECONDS = {"spider": 6.0, "ajax": 6.0, "ascan": 10.0, "pscan": 0.05}
MAX_CRAWL = 300
RISK_ORDER = ("Informational", "Low", "Medium", "High")
SOURCE_ACTIVE, SOURCE_PASSIVE = "1", "3"


class ApiError(Exception):
    """Becomes ZAP's error JSON (HTTP 400; internal_error is 500)."""

    def __init__(self, code: str, detail: str | None = None):
        super().__init__(code)
        self.code, self.detail = code, detail


@dataclass
class Context:
    id: int
    name: str
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)

    def contains(self, url: str) -> bool:
        return (any(re.fullmatch(r, url) for r in self.include)
                and not any(re.fullmatch(r, url) for r in self.exclude))


@dataclass
class TimedScan:
    id: int
    url: str
    started: float
    duration: float
    stopped_at: float | None = None
    done_work: bool = False

    def progress(self, now: float, cap: float | None) -> int:
        end = self.stopped_at or now
        value = 100 if self.stopped_at else min(int((end - self.started) / self.duration * 100), 100)
        if not self.done_work and not self.stopped_at:
            value = min(value, 99)
        return int(min(value, cap)) if cap is not None else value


@dataclass
class SpiderScan(TimedScan):
    results: list[str] = field(default_factory=list)


@dataclass
class ActiveScan(TimedScan):
    planned: list[Finding] = field(default_factory=list)
    raised: int = 0
    plugins: list[str] = field(default_factory=list)


class Engine:
    def __init__(self, speed: float = 1.0):
        self.speed = max(float(speed), 0.001)
        self.lock = threading.RLock()
        self.progress_cap: float | None = None
        self.history: list[Exchange] = []
        self.alerts: list[dict] = []
        self._alert_keys: set[tuple] = set()
        self._next_alert_id = 0
        self._pending_passive: list[tuple[float, Exchange]] = []
        self.spiders: dict[int, SpiderScan] = {}
        self.ascans: dict[int, ActiveScan] = {}
        self.ajax: SpiderScan | None = None
        self.ajax_results: list[Exchange] = []
        self.contexts: dict[str, Context] = {}
        self.replacer_rules: list[dict] = []
        self.policies: dict[str, dict] = {"Default Policy": {"attackStrength": "DEFAULT", "alertThreshold": "DEFAULT"}}
        self._ids = {"spider": 0, "ascan": 0, "context": 0}

    def seconds(self, kind: str) -> float:
        return BASE_SECONDS[kind] / self.speed

    def next_id(self, kind: str) -> int:
        value = self._ids[kind]
        self._ids[kind] += 1
        return value

    # --- history and passive scanning ---------------------------------------------------
    def record(self, exchange: Exchange, passive: bool = True) -> Exchange:
        """Add to the history; passive rules see it shortly after (not attack messages)."""
        with self.lock:
            exchange.id = len(self.history) + 1
            self.history.append(exchange)
            if not passive:
                return exchange
            due = time.monotonic() + self.seconds("pscan") * (len(self._pending_passive) + 1)
            self._pending_passive.append((due, exchange))
        return exchange

    def tick(self) -> None:
        """Bring passive scanning and active scans up to the current time."""
        now = time.monotonic()
        with self.lock:
            while self._pending_passive and self._pending_passive[0][0] <= now:
                _, exchange = self._pending_passive.pop(0)
                for finding in rules.passive_findings(exchange):
                    self.raise_alert(finding, exchange.id, SOURCE_PASSIVE)
            for scan in self.ascans.values():
                self._advance_ascan(scan, now)

    def records_to_scan(self) -> int:
        self.tick()
        return len(self._pending_passive)

    def raise_alert(self, finding: Finding, message_id: int, source: str) -> None:
        rule = rules.catalogue()[finding.plugin_id]
        key = (finding.plugin_id, finding.url, finding.method, finding.param, finding.attack, finding.evidence)
        if key in self._alert_keys:
            return
        self._alert_keys.add(key)
        self.alerts.append(alert_dict(self._next_alert_id, rule, finding, message_id, source))
        self._next_alert_id += 1

    def delete_alerts(self, baseurl: str = "") -> None:
        """alert/action/deleteAlerts: drop the alerts under `baseurl` (all without one), so
        the same issue is raised again when a later scan meets it."""
        with self.lock:
            self.alerts = [a for a in self.alerts if baseurl and not a["url"].startswith(baseurl)]
            self._alert_keys = {k for k in self._alert_keys if baseurl and not k[1].startswith(baseurl)}

    def request_headers(self, url: str) -> dict[str, str]:
        """Enabled REQ_HEADER replacer rules that apply to `url` (a rule's optional `url`
        regex limits it, as in ZAP): header name -> value."""
        return {r["matchString"]: r["replacement"] for r in self.replacer_rules
                if r["matchType"] == "REQ_HEADER" and r["enabled"].lower() == "true"
                and (not r.get("url") or re.match(r["url"], url))}

    # --- site tree ------------------------------------------------------------------------
    def urls(self, baseurl: str | None = None) -> list[str]:
        with self.lock:
            seen = dict.fromkeys(e.url for e in self.history if not e.attack)
        return [u for u in seen if not baseurl or u.startswith(baseurl)]

    def messages(self, baseurl: str | None = None) -> list[Exchange]:
        with self.lock:
            return [e for e in self.history if not baseurl or e.url.startswith(baseurl)]

    # --- spider ---------------------------------------------------------------------------
    def start_spider(self, url: str, max_children: int, subtree_only: bool, context: Context | None) -> int:
        scope = Scope(url, subtree_only, context.include if context else None,
                      context.exclude if context else None)
        scan = SpiderScan(self.next_id("spider"), url, time.monotonic(), self.seconds("spider"))
        self.spiders[scan.id] = scan
        limit = max_children if max_children > 0 else MAX_CRAWL
        threading.Thread(target=self._run_crawl, args=(scan, scope, limit), daemon=True,
                         name=f"sim-spider-{scan.id}").start()
        return scan.id

    def _run_crawl(self, scan: SpiderScan, scope: Scope, limit: int) -> None:
        try:
            fetched = crawl(scan.url, scope, self.record, limit, lambda: scan.stopped_at is not None,
                            self.request_headers)
            scan.results = list(dict.fromkeys(fetched))
        finally:
            scan.done_work = True

    def spider(self, scan_id: str | None) -> SpiderScan:
        return find_scan(self.spiders, scan_id)

    # --- ajax spider ----------------------------------------------------------------------
    def start_ajax(self, url: str, subtree_only: bool, context: Context | None) -> None:
        if self.ajax is not None and self.ajax_running():
            raise ApiError("scan_in_progress")
        scope = Scope(url, subtree_only, context.include if context else None,
                      context.exclude if context else None)
        self.ajax = SpiderScan(0, url, time.monotonic(), self.seconds("ajax"))
        self.ajax_results = []
        threading.Thread(target=self._run_ajax, args=(self.ajax, scope), daemon=True).start()

    def _run_ajax(self, scan: SpiderScan, scope: Scope) -> None:
        def keep(exchange: Exchange) -> None:
            self.ajax_results.append(self.record(exchange))
        try:
            crawl(scan.url, scope, keep, MAX_CRAWL, lambda: scan.stopped_at is not None, self.request_headers)
        finally:
            scan.done_work = True

    def ajax_running(self) -> bool:
        return self.ajax is not None and self.ajax.progress(time.monotonic(), self.progress_cap) < 100

    # --- active scan ----------------------------------------------------------------------
    def start_ascan(self, url: str, recurse: bool, context: Context | None = None) -> int:
        targets = [e for e in self.messages() if not e.attack and (context is None or context.contains(e.url))
                   and (e.url.startswith(url) if recurse else e.url.split("?")[0] == url.split("?")[0])]
        if not targets:
            raise ApiError("url_not_found", url)
        scan = ActiveScan(self.next_id("ascan"), url, time.monotonic(),
                          self.seconds("ascan") * (1 + len(targets) / 50), done_work=True)
        seen: set[tuple] = set()
        for exchange in targets:
            for finding in rules.active_findings(exchange):
                key = (finding.plugin_id, finding.url, finding.param)
                if key not in seen:
                    seen.add(key)
                    scan.planned.append(finding)
        self.ascans[scan.id] = scan
        return scan.id

    def _advance_ascan(self, scan: ActiveScan, now: float) -> None:
        progress = scan.progress(now, self.progress_cap)
        due = len(scan.planned) * progress // 100
        while scan.raised < due:
            finding = scan.planned[scan.raised]
            attack = self.record(Exchange(finding.url, finding.method, 200, [], "", [finding.param],
                                          attack=True), passive=False)
            self.raise_alert(finding, attack.id, SOURCE_ACTIVE)
            scan.raised += 1

    def ascan(self, scan_id: str | None) -> ActiveScan:
        return find_scan(self.ascans, scan_id)

    # --- status ---------------------------------------------------------------------------
    def highest_progress(self) -> int:
        now = time.monotonic()
        scans = list(self.spiders.values()) + list(self.ascans.values()) + ([self.ajax] if self.ajax else [])
        return max((s.progress(now, None) for s in scans if not s.stopped_at), default=0)


def find_scan(scans: dict, scan_id: str | None):
    """SpiderAPI/ActiveScanAPI getXxxScan(): scanId as a number, else the last scan;
    none at all is does_not_exist."""
    try:
        wanted = int(scan_id)
    except (TypeError, ValueError):
        wanted = -1
    scan = scans.get(max(scans)) if wanted == -1 and scans else scans.get(wanted)
    if scan is None:
        raise ApiError("does_not_exist", "scanId")
    return scan


def alert_dict(index: int, rule: dict, finding: Finding, message_id: int, source: str) -> dict:
    """The fields and string types of AlertAPI/CoreAPI alertToSet()."""
    return {
        "id": str(index), "pluginId": rule["pluginId"], "alertRef": finding.alert_ref or rule["alertRef"],
        "alert": rule["name"], "name": rule["name"], "description": rule["description"],
        "risk": rule["risk"], "confidence": rule["confidence"], "url": finding.url,
        "method": finding.method, "other": finding.other, "param": finding.param,
        "attack": finding.attack, "evidence": finding.evidence, "inputVector": finding.input_vector,
        "reference": rule["reference"], "cweid": rule["cweid"], "wascid": rule["wascid"],
        "sourceid": source, "solution": rule["solution"], "messageId": str(message_id),
        "tags": dict(rule.get("tags") or {}),
    }
