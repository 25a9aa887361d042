"""What to scan (projects, targets) and how (scan profiles)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zapdesk.extensions import db
from zapdesk.models import utcnow

PROFILE_KINDS = ("baseline", "full", "api")
AUTH_KINDS = ("none", "header", "bearer", "basic", "form")
STRENGTHS = ("DEFAULT", "LOW", "MEDIUM", "HIGH", "INSANE")
THRESHOLDS = ("DEFAULT", "OFF", "LOW", "MEDIUM", "HIGH")


class Project(db.Model):
    __tablename__ = "project"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    targets: Mapped[list["Target"]] = relationship(back_populates="project", order_by="Target.name")


class Target(db.Model):
    __tablename__ = "target"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    base_url: Mapped[str] = mapped_column(String(2000), unique=True)
    scope_include: Mapped[list[str]] = mapped_column(JSON, default=list)
    scope_exclude: Mapped[list[str]] = mapped_column(JSON, default=list)
    environment: Mapped[str] = mapped_column(String(40), default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    auth_kind: Mapped[str] = mapped_column(String(16), default="none")
    # JSON of the auth settings (secrets included), encrypted with zapdesk.secrets_box.
    auth_config_encrypted: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    project: Mapped[Project] = relationship(back_populates="targets")

    def __repr__(self) -> str:
        return f"<Target {self.id} {self.base_url}>"


class ScanProfile(db.Model):
    __tablename__ = "scan_profile"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="baseline")
    description: Mapped[str] = mapped_column(Text, default="")
    spider_max_depth: Mapped[int] = mapped_column(Integer, default=5)
    spider_max_children: Mapped[int] = mapped_column(Integer, default=0)  # 0: unlimited
    spider_max_duration_min: Mapped[int] = mapped_column(Integer, default=0)  # 0: unlimited
    ajax_spider: Mapped[bool] = mapped_column(Boolean, default=False)
    ajax_spider_max_duration_min: Mapped[int] = mapped_column(Integer, default=5)
    openapi_url: Mapped[str] = mapped_column(String(2000), default="")
    openapi_file: Mapped[str] = mapped_column(String(500), default="")  # under MEDIA_PATH
    scan_policy: Mapped[str] = mapped_column(String(120), default="")
    attack_strength: Mapped[str] = mapped_column(String(16), default="DEFAULT")
    alert_threshold: Mapped[str] = mapped_column(String(16), default="DEFAULT")
    max_duration_s: Mapped[int] = mapped_column(Integer, default=3600)
    pinned_node_id: Mapped[int | None] = mapped_column(ForeignKey("zap_node.id", ondelete="SET NULL"))
    # [{"rule_id": "10021", "risk": "ignore" | "Informational" | "Low" | "Medium" | "High"}]
    alert_filters: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<ScanProfile {self.name} {self.kind}>"
