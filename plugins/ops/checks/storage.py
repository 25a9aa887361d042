"""Storage checks: database size, and disk usage of the media and database volumes."""
from __future__ import annotations

import shutil
from pathlib import Path

from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import make_url

from zapdesk.contracts import CheckResult
from zapdesk.extensions import db

from ..settings import threshold
from .levels import level

MB = 1024 * 1024


def sqlite_file() -> Path | None:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def database_bytes() -> int:
    path = sqlite_file()
    if path is not None:
        wal = path.with_name(path.name + "-wal")
        return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return int(db.session.execute(text("SELECT pg_database_size(current_database())")).scalar())


def check_database_size() -> CheckResult:
    try:
        size = database_bytes()
    except Exception as exc:  # unreachable database: the core "database" check says why
        db.session.rollback()
        return CheckResult("fail", f"cannot measure the database size: {type(exc).__name__}")
    return CheckResult("ok", f"{size / MB:.1f} MB ({db.engine.dialect.name})", {"bytes": size})


def disk_result(label: str, path: Path) -> CheckResult:
    try:
        usage = shutil.disk_usage(path)
    except OSError as exc:
        return CheckResult("fail", f"cannot read disk usage of {label} ({exc.strerror})")
    percent = round(usage.used * 100 / usage.total, 1) if usage.total else 0.0
    status = level(percent, threshold("OPS_DISK_WARN_PERCENT"), threshold("OPS_DISK_FAIL_PERCENT"))
    detail = f"{percent:.1f}% used, {usage.free / MB / 1024:.1f} GB free"
    return CheckResult(status, detail, {"used_percent": percent, "free_bytes": usage.free,
                                        "total_bytes": usage.total, "path": str(path)})


def check_media_disk() -> CheckResult:
    return disk_result("the media folder", Path(current_app.config["MEDIA_PATH"]))


def database_volume() -> Path | None:
    configured = current_app.config.get("OPS_DATABASE_VOLUME_PATH")
    if configured:
        return Path(configured)
    path = sqlite_file()
    return path.parent if path is not None else None


def check_database_disk() -> CheckResult:
    path = database_volume()
    if path is None:
        return CheckResult("ok", "not measured: PostgreSQL stores its data on another host; "
                                 "mount its volume and set ZAPDESK_OPS_DATABASE_VOLUME_PATH")
    return disk_result("the database volume", path)
