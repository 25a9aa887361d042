"""Findings (one per fingerprint per target), their occurrences (one per alert instance per
scan), triage rules, risk snapshots and scan-to-scan comparisons (DESIGN.md §4, §6)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, SmallInteger, String,
                        Text, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column

from zapdesk.extensions import db
from zapdesk.models import utcnow

RISK_NAMES = ("Informational", "Low", "Medium", "High")
CONFIDENCE_NAMES = ("False Positive", "Low", "Medium", "High", "Confirmed")
STATUSES = ("open", "confirmed", "false_positive", "accepted_risk", "fixed")
STATUS_LABELS = {"open": "open", "confirmed": "confirmed", "false_positive": "false positive",
                 "accepted_risk": "accepted risk", "fixed": "fixed"}
ACTIVE_STATUSES = ("open", "confirmed")  # what counts towards risk
SCOPES = ("occurrence", "finding", "target", "global")  # most specific first
CHANGES = ("new", "resolved", "persisting", "regressed", "risk_changed", "not_retested")


class Finding(db.Model):
    __tablename__ = "finding"
    __table_args__ = (
        UniqueConstraint("target_id", "fingerprint"),
        Index("ix_finding_status_risk_id", "status", "risk", "id"),
        Index("ix_finding_target_status_risk_id", "target_id", "status", "risk", "id"),
        Index("ix_finding_status_last_seen", "status", "last_seen_at", "id"),
        Index("ix_finding_status_first_seen", "status", "first_seen_at", "id"),
        Index("ix_finding_rule", "rule_id", "target_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    rule_id: Mapped[str] = mapped_column(String(40))  # alertRef, else the plugin id
    plugin_id: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(500))
    risk: Mapped[int] = mapped_column(SmallInteger)
    confidence: Mapped[int] = mapped_column(SmallInteger)
    cwe: Mapped[int] = mapped_column(Integer, default=-1)
    wasc: Mapped[int] = mapped_column(Integer, default=-1)
    description: Mapped[str] = mapped_column(Text, default="")
    solution: Mapped[str] = mapped_column(Text, default="")
    reference: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(String(16))
    url_template: Mapped[str] = mapped_column(Text)
    param: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")
    status_reason: Mapped[str] = mapped_column(Text, default="")
    status_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # No foreign key: triage_rule already references finding, and a cycle would complicate
    # deletes; a rule is deactivated, never deleted, so the id stays meaningful.
    triage_rule_id: Mapped[int | None] = mapped_column(Integer)
    first_seen_scan_id: Mapped[int] = mapped_column(ForeignKey("scan.id", ondelete="CASCADE"))
    last_seen_scan_id: Mapped[int] = mapped_column(ForeignKey("scan.id", ondelete="CASCADE"))
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    @property
    def risk_name(self) -> str:
        return RISK_NAMES[self.risk] if 0 <= self.risk < len(RISK_NAMES) else "Informational"

    @property
    def confidence_name(self) -> str:
        return CONFIDENCE_NAMES[self.confidence] if 0 <= self.confidence < len(CONFIDENCE_NAMES) else "Medium"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


class Occurrence(db.Model):
    __tablename__ = "occurrence"
    __table_args__ = (
        Index("ix_occurrence_scan_finding", "scan_id", "finding_id"),
        Index("ix_occurrence_finding_scan", "finding_id", "scan_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id", ondelete="CASCADE"))
    scan_id: Mapped[int] = mapped_column(ForeignKey("scan.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(16))
    param: Mapped[str] = mapped_column(Text, default="")
    attack: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    other: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str] = mapped_column(String(40), default="")
    risk: Mapped[int] = mapped_column(SmallInteger)
    confidence: Mapped[int] = mapped_column(SmallInteger)


class TriageRule(db.Model):
    """A triage decision that keeps applying: to one occurrence (finding + URL), one finding,
    every finding of a ZAP rule on a target, or every finding of a ZAP rule everywhere."""

    __tablename__ = "triage_rule"
    __table_args__ = (Index("ix_triage_rule_active_scope", "active", "scope", "rule_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int | None] = mapped_column(ForeignKey("target.id", ondelete="CASCADE"), index=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("finding.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str] = mapped_column(String(40), default="")
    url: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    author: Mapped[str] = mapped_column(String(254), default="system")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FindingEvent(db.Model):
    """A finding's history: status changes (who, when, from, to, why) and evolution events."""

    __tablename__ = "finding_event"
    __table_args__ = (Index("ix_finding_event_finding_at", "finding_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(254), default="system")
    kind: Mapped[str] = mapped_column(String(20))  # triage, evolution, expiry
    from_status: Mapped[str] = mapped_column(String(20), default="")
    to_status: Mapped[str] = mapped_column(String(20), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("scan.id", ondelete="SET NULL"))


class RiskSnapshot(db.Model):
    __tablename__ = "risk_snapshot"
    __table_args__ = (Index("ix_risk_snapshot_scope_at", "scope", "scope_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("scan.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(10))  # target, project, global
    scope_id: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # open findings by risk name
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Comparison(db.Model):
    __tablename__ = "comparison"
    __table_args__ = (Index("ix_comparison_target_to", "target_id", "to_scan_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id", ondelete="CASCADE"))
    from_scan_id: Mapped[int | None] = mapped_column(ForeignKey("scan.id", ondelete="CASCADE"))
    to_scan_id: Mapped[int] = mapped_column(ForeignKey("scan.id", ondelete="CASCADE"))
    on_demand: Mapped[bool] = mapped_column(Boolean, default=False)
    comparable: Mapped[bool] = mapped_column(Boolean, default=True)
    coverage: Mapped[str] = mapped_column(String(12), default="none")  # urls, none (absence = resolved)
    new_count: Mapped[int] = mapped_column(Integer, default=0)
    resolved_count: Mapped[int] = mapped_column(Integer, default=0)
    persisting_count: Mapped[int] = mapped_column(Integer, default=0)
    regressed_count: Mapped[int] = mapped_column(Integer, default=0)
    risk_changed_count: Mapped[int] = mapped_column(Integer, default=0)
    not_retested_count: Mapped[int] = mapped_column(Integer, default=0)
    risk_before: Mapped[float] = mapped_column(Float, default=0.0)
    risk_after: Mapped[float] = mapped_column(Float, default=0.0)
    created_by: Mapped[str] = mapped_column(String(254), default="system")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def risk_delta(self) -> float:
        return round(self.risk_after - self.risk_before, 2)


class ComparisonItem(db.Model):
    """One changed finding of a comparison (persisting ones are counted, not listed)."""

    __tablename__ = "comparison_item"
    __table_args__ = (Index("ix_comparison_item_comparison_change", "comparison_id", "change"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comparison_id: Mapped[int] = mapped_column(ForeignKey("comparison.id", ondelete="CASCADE"))
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id", ondelete="CASCADE"), index=True)
    change: Mapped[str] = mapped_column(String(16))
    risk_before: Mapped[int | None] = mapped_column(SmallInteger)
    risk_after: Mapped[int | None] = mapped_column(SmallInteger)


class ScanIngest(db.Model):
    """Marks a scan as ingested (the idempotency key) and keeps what ingestion found."""

    __tablename__ = "scan_ingest"

    scan_id: Mapped[int] = mapped_column(ForeignKey("scan.id", ondelete="CASCADE"), primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id", ondelete="CASCADE"), index=True)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
