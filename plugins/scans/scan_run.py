"""What a tick works with: the scan row, its target and profile, and a client for its node."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property

from flask import current_app


@dataclass
class ScanRun:
    scan: object  # plugins.scans.models.Scan
    client_factory: object = None  # callable(node) -> ZapClient; the nodes service by default
    after_commit: list = field(default_factory=list)
    notes: dict = field(default_factory=dict)

    @property
    def target(self):
        return self.scan.target

    @property
    def profile(self):
        return self.scan.profile

    @property
    def base_url(self) -> str:
        return self.scan.target.base_url

    @property
    def zap_ids(self) -> dict:
        return self.scan.zap_ids

    def remember(self, **ids) -> None:
        """Store ZAP-side ids (spider id, context id…) on the row (a new dict so the JSON
        column is seen as changed)."""
        self.scan.zap_ids = {**(self.scan.zap_ids or {}), **ids}

    def mark_time(self, phase: str, edge: str) -> None:
        """When this attempt's phases started and ended (epoch seconds; the scan page
        shows them as timings)."""
        timings = dict(self.zap_ids.get("timings") or {})
        timings[phase] = {**timings.get(phase, {}), edge: round(time.time(), 3)}
        self.remember(timings=timings)

    @cached_property
    def client(self):
        from plugins.nodes.service import client_for

        factory = self.client_factory or client_for
        return factory(self.scan.node)

    def config(self, key: str):
        return current_app.config[key]
