"""Scans (a state machine stored in the row) and their schedules."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zapdesk.extensions import db
from zapdesk.models import utcnow

RUNNING_STATES = ("starting", "spider", "ajax_spider", "openapi", "passive_wait", "active", "collecting")
TERMINAL_STATES = ("done", "failed", "cancelled", "timed_out")
SOURCES = ("zap", "import", "bench")


class Scan(db.Model):
    __tablename__ = "scan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id"), index=True)
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("scan_profile.id", ondelete="SET NULL"), index=True)
    node_id: Mapped[int | None] = mapped_column(ForeignKey("zap_node.id", ondelete="SET NULL"), index=True)
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("scan_schedule.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    source: Mapped[str] = mapped_column(String(10), default="zap")
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    # The phases this scan runs (names from the scan_phases hook), the current one's index,
    # and the progress (0-100) reached in each.
    phases: Mapped[list[str]] = mapped_column(JSON, default=list)
    phase_index: Mapped[int] = mapped_column(Integer, default=0)
    phase_progress: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    zap_ids: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    queued_reason: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    # [{attempt, node_id, node, started_at, ended_at, outcome, error}]
    attempts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Compare-and-set counter: a tick job carries the value it expects and claims the scan
    # by incrementing it, so two workers never advance one scan at once.
    tick: Mapped[int] = mapped_column(Integer, default=0)
    tick_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    node_error_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    progress_signature: Mapped[str] = mapped_column(String(200), default="")
    progress_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_notified: Mapped[bool] = mapped_column(Boolean, default=False)
    requested_by: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempt_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    raw_path: Mapped[str] = mapped_column(String(500), default="")
    raw_sha256: Mapped[str] = mapped_column(String(64), default="")
    raw_bytes: Mapped[int] = mapped_column(Integer, default=0)
    urls_path: Mapped[str] = mapped_column(String(500), default="")
    urls_count: Mapped[int] = mapped_column(Integer, default=0)
    messages_count: Mapped[int] = mapped_column(Integer, default=0)
    alerts_count: Mapped[int] = mapped_column(Integer, default=0)
    coverage_available: Mapped[bool] = mapped_column(Boolean, default=False)

    target = relationship("Target", lazy="joined")
    profile = relationship("ScanProfile", lazy="joined")
    node = relationship("ZapNode", lazy="joined")

    __mapper_args__ = {"version_id_col": tick, "version_id_generator": False}

    @property
    def is_finished(self) -> bool:
        return self.state in TERMINAL_STATES

    @property
    def current_phase(self) -> str | None:
        return self.phases[self.phase_index] if self.phase_index < len(self.phases or []) else None

    def __repr__(self) -> str:
        return f"<Scan {self.id} {self.state}>"


class Schedule(db.Model):
    """Run `profile` against `target` on a cron expression or every `interval_s` seconds."""

    __tablename__ = "scan_schedule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("scan_profile.id"))
    cron: Mapped[str] = mapped_column(String(120), default="")
    interval_s: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    next_run_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    last_run_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_scan_id: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    target = relationship("Target", lazy="joined")
    profile = relationship("ScanProfile", lazy="joined")
