"""Generated reports: one row per (scan or target, format), the file under MEDIA_PATH."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zapdesk.extensions import db
from zapdesk.models import utcnow

STATES = ("pending", "ready", "failed")


class Report(db.Model):
    __tablename__ = "report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "scan:<id>:<format>" or "target:<id>:<format>": one current report per subject and format.
    key: Mapped[str] = mapped_column(String(80), unique=True)
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("scan.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("target.id", ondelete="CASCADE"), index=True)
    format: Mapped[str] = mapped_column(String(32), index=True)
    state: Mapped[str] = mapped_column(String(10), default="ready")
    path: Mapped[str] = mapped_column(String(500), default="")  # relative to MEDIA_PATH
    bytes: Mapped[int] = mapped_column(Integer, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    render_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    requested_by: Mapped[str] = mapped_column(String(254), default="")
    generated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)

    @staticmethod
    def key_for(subject: str, subject_id: int, fmt: str) -> str:
        return f"{subject}:{subject_id}:{fmt}"

    def __repr__(self) -> str:
        return f"<Report {self.key} {self.state}>"
