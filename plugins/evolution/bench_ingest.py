"""`zapdesk bench ingest`: alert files -> consecutive scans of one fresh target, timed.

"seconds" covers what happens after a scan is stored: ingestion, triage rules, the
comparison and the risk snapshots (the pipeline a finished scan goes through);
"store_seconds" is the scans plugin writing the raw alerts (compressed) first.
"""
from __future__ import annotations

import resource
import shutil
import tempfile
import time
import uuid
from datetime import timedelta
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.engine import make_url

from zapdesk.extensions import db
from zapdesk.models import utcnow

from .alert_files import iter_alert_file
from .fingerprint import path_of_template
from .models import ComparisonItem, Finding


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def bench_app(database_url: str | None, media: str | None):
    from zapdesk import create_app

    overrides = {"DATABASE_URL": database_url, "MEDIA_PATH": media} if database_url else {}
    return create_app(overrides)


def migrate(database_url: str | None) -> None:
    import flask_migrate

    try:
        flask_migrate.upgrade(revision="heads")
    except Exception as exc:  # the driver's own words, with the URL's password hidden
        shown = make_url(database_url).render_as_string(hide_password=True) if database_url else "the database"
        raise ValueError(f"cannot prepare {shown}: {str(exc).splitlines()[0]}") from None


def truth_keys(comparison_id: int, changes: tuple[str, ...]) -> list[str]:
    """Findings of a comparison in the generator's form pluginId|METHOD|/path/template|param."""
    rows = db.session.execute(select(Finding.plugin_id, Finding.method, Finding.url_template, Finding.param)
                              .join(ComparisonItem, ComparisonItem.finding_id == Finding.id)
                              .where(ComparisonItem.comparison_id == comparison_id, ComparisonItem.change.in_(changes)))
    return sorted(f"{p}|{m}|{path_of_template(t)}|{param}" for p, m, t, param in rows)


def one_scan(target_id: int, path: str, index: int, started, keys: bool) -> dict:
    from plugins.scans.service import create_finished_scan

    from .pipeline import ingest_scan

    clock = time.perf_counter()
    scan = create_finished_scan(target_id, iter_alert_file(path), urls=None, source="bench",
                                finished_at=started + timedelta(seconds=index))
    db.session.commit()
    stored = time.perf_counter() - clock
    clock = time.perf_counter()
    summary = ingest_scan(scan.id)
    line = {"scan": index, "scan_id": scan.id, "file": path, "alerts": summary["alerts"],
            "seconds": round(time.perf_counter() - clock, 3), "store_seconds": round(stored, 3),
            "peak_rss_mb": peak_rss_mb(), "findings": summary["findings"],
            "new": summary["new"] + summary["regressed"], "regressed": summary["regressed"],
            "resolved": summary["resolved"], "not_retested": summary["not_retested"],
            "risk_score": summary["risk_score"], "timings": summary.get("timings", {})}
    if keys:
        line["new_keys"] = truth_keys(summary["comparison_id"], ("new", "regressed"))
        line["resolved_keys"] = truth_keys(summary["comparison_id"], ("resolved", "not_retested"))
    return line


def run_bench_ingest(files: list[str], database_url: str | None, keys: bool) -> Iterator[dict]:
    from plugins.profiles.service import get_or_create_target

    media = tempfile.mkdtemp(prefix="zapdesk-bench-media-") if database_url else None
    try:
        app = bench_app(database_url, media)
        with app.app_context():
            migrate(database_url)
            target = get_or_create_target(f"http://bench-{uuid.uuid4().hex[:12]}.test", project_name="Bench")
            db.session.commit()
            started = utcnow()
            for index, path in enumerate(files):
                try:
                    yield one_scan(target.id, path, index, started, keys)
                except Exception:
                    db.session.rollback()
                    raise
    finally:
        if media:
            shutil.rmtree(media, ignore_errors=True)
