"""The node registry: one row per ZAP daemon zapdesk may drive."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zapdesk.extensions import db
from zapdesk.models import utcnow

KINDS = ("internal", "external")
STATUSES = ("healthy", "unhealthy", "unknown", "disabled")


class ZapNode(db.Model):
    __tablename__ = "zap_node"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    base_url: Mapped[str] = mapped_column(String(500), unique=True)
    api_key_encrypted: Mapped[str] = mapped_column(Text, default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    kind: Mapped[str] = mapped_column(String(16), default="external")
    capacity: Mapped[int] = mapped_column(Integer, default=2)
    running_scans: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="unknown", index=True)
    version: Mapped[str] = mapped_column(String(80), default="")
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="")
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def has_api_key(self) -> bool:
        return bool(self.api_key_encrypted)

    @property
    def free_slots(self) -> int:
        return max(self.capacity - self.running_scans, 0)

    def __repr__(self) -> str:
        return f"<ZapNode {self.name} {self.base_url} {self.status}>"
