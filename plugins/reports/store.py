"""Render reports and keep them under MEDIA_PATH/reports with their size and sha256.

One current file per (scan or target, format): regenerating replaces it. A render that
fails is recorded on the row (state "failed", error) so /reports shows why.
"""
from __future__ import annotations

import hashlib
import logging
import os
import time
from pathlib import Path

from flask import current_app
from sqlalchemy.exc import IntegrityError

from zapdesk.extensions import db
from zapdesk.models import utcnow

from .build import build_evolution_data, build_report_data
from .formats import ReportFormat, all_formats, file_name
from .models import Report

log = logging.getLogger(__name__)
SUBJECT_FIELD = {"scan": "scan_id", "target": "target_id"}


def media_root() -> Path:
    return Path(current_app.config["MEDIA_PATH"])


def report_file(report: Report) -> Path:
    return media_root() / report.path


def write_atomically(relative: str, content: bytes) -> None:
    path = media_root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(content)
    os.replace(partial, path)


def report_row(subject: str, subject_id: int, fmt: ReportFormat) -> Report:
    key = Report.key_for(subject, subject_id, fmt.name)
    row = db.session.execute(db.select(Report).filter_by(key=key)).scalar_one_or_none()
    if row is None:
        row = Report(key=key, format=fmt.name, **{SUBJECT_FIELD[subject]: subject_id})
        db.session.add(row)
    return row


def render_into(row: Report, fmt: ReportFormat, data, subject: str, subject_id: int) -> None:
    started = time.perf_counter()
    try:
        content = fmt.render(data)
    except Exception as exc:  # a format's failure is recorded, the other formats still render
        log.warning("report %s failed: %s", row.key, type(exc).__name__)
        row.state, row.error = "failed", str(exc)[:1000] or type(exc).__name__
        return
    relative = f"reports/{subject}-{subject_id}/{file_name(fmt, subject, subject_id)}"
    write_atomically(relative, content)
    row.state, row.error, row.path = "ready", "", relative
    row.bytes, row.sha256 = len(content), hashlib.sha256(content).hexdigest()
    row.render_seconds = round(time.perf_counter() - started, 3)


def save(subject: str, subject_id: int, fmt: ReportFormat, data, requested_by: str) -> Report:
    for attempt in range(2):
        row = report_row(subject, subject_id, fmt)
        render_into(row, fmt, data, subject, subject_id)
        row.generated_at, row.requested_by = utcnow(), requested_by
        try:
            db.session.commit()
            return row
        except IntegrityError:  # another worker inserted the same key first: update theirs
            db.session.rollback()
    raise RuntimeError(f"could not save report {subject}:{subject_id}:{fmt.name}")


def generate(subject: str, subject_id: int, names: list[str] | None = None,
             requested_by: str = "system") -> list[Report]:
    """Render `names` (default: every registered format of the subject) and store them."""
    formats = all_formats(subject)
    chosen = [formats[n] for n in (names or formats) if n in formats]
    builder = build_report_data if subject == "scan" else build_evolution_data
    data = builder(subject_id)
    return [save(subject, subject_id, fmt, data, requested_by) for fmt in chosen]


def current_report(subject: str, subject_id: int, name: str) -> Report | None:
    key = Report.key_for(subject, subject_id, name)
    return db.session.execute(db.select(Report).filter_by(key=key)).scalar_one_or_none()


def servable(report: Report | None) -> bool:
    """A file to send: ready, or pending regeneration with the previous file still there
    (a restore without the media folder leaves rows without files: render again)."""
    return (report is not None and report.state in {"ready", "pending"} and bool(report.path)
            and report_file(report).exists())


def mark_pending(subject: str, subject_id: int, requested_by: str) -> None:
    """Show every format of the subject as being regenerated (the job settles each)."""
    for fmt in all_formats(subject).values():
        row = report_row(subject, subject_id, fmt)
        row.state, row.requested_by = "pending", requested_by
