"""Raw alerts -> findings and occurrences, set-based.

The scan's alerts are streamed in chunks. Per chunk: fingerprints are computed (through the
`alert_fingerprint` hook), the ids of known findings are read with one query, the others are
upserted with a multi-row `INSERT … ON CONFLICT (target_id, fingerprint) DO UPDATE … RETURNING` per 400
findings (SQLite and PostgreSQL), and the chunk's occurrences are inserted with one
executemany. Both go straight to the driver: SQLAlchemy's per-row parameter processing
would cost more than the database work. Nothing is queried per alert, and memory holds one
chunk plus a fingerprint -> finding id map of the findings seen in this scan. A last
set-based UPDATE marks every finding the scan saw.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import islice
from typing import Iterable, Iterator

from sqlalchemy import func, select, update

from zapdesk.extensions import db
from zapdesk.plugins import get_plugin_manager

from .fingerprint import alert_fingerprint as builtin_fingerprint
from .fingerprint import digest, rule_id, url_template
from .models import Finding, Occurrence

CHUNK = 2000
RISK_CODES = (("informational", 0), ("info", 0), ("low", 1), ("medium", 2), ("high", 3))
CONFIDENCE_CODES = (("false positive", 0), ("falsepositive", 0), ("low", 1), ("medium", 2), ("high", 3),
                    ("confirmed", 4), ("user confirmed", 4))
UPDATED_ON_CONFLICT = ("name", "risk", "confidence", "cwe", "wasc", "description", "solution",
                       "reference", "last_seen_scan_id", "last_seen_at")


def clean(value, limit: int | None = None) -> str:
    """Text safe for both databases: no NUL, no lone surrogates (from invalid UTF-8)."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return text[:limit] if limit else text


def hashable(value):
    return value if value is None or isinstance(value, (str, int)) else str(value)


@lru_cache(maxsize=1024)
def code(value, table: tuple, default: int) -> int:
    text = clean(value).strip().lower()
    if text.isdigit() and text.isascii():
        return int(text)
    return dict(table).get(text, default)


@lru_cache(maxsize=4096)
def whole(value) -> int:
    text = clean(value).strip()
    return int(text) if text.lstrip("-").isdigit() and text.isascii() and len(text) < 10 else -1


FINDING_COLUMNS = ("target_id", "fingerprint", "rule_id", "plugin_id", "name", "risk", "confidence", "cwe", "wasc",
                   "description", "solution", "reference", "method", "url_template", "param", "status",
                   "status_reason", "first_seen_scan_id", "last_seen_scan_id", "first_seen_at", "last_seen_at")
OCCURRENCE_COLUMNS = ("finding_id", "scan_id", "url", "method", "param", "attack", "evidence", "other",
                      "message_id", "risk", "confidence")
FINDINGS_PER_STATEMENT = 400  # 21 columns each: well under SQLite's 32766 parameters


@dataclass
class IngestStats:
    alerts: int = 0
    occurrences: int = 0
    finding_ids: dict[str, int] = field(default_factory=dict)
    new_finding_ids: list[int] = field(default_factory=list)


@dataclass
class Batch:
    """One chunk of alerts turned into rows (tuples in the column orders above)."""

    findings: dict[str, tuple] = field(default_factory=dict)  # fingerprint -> finding row
    occurrences: list[tuple[str, tuple]] = field(default_factory=list)  # (fingerprint, row without finding_id)


def add_alert(batch: Batch, alert: dict, scan_id: int, target_id: int, seen_at, fingerprint_hook, known) -> None:
    fingerprint = digest(fingerprint_hook(alert=alert) or "")
    method = clean(alert.get("method") or "GET", 16).upper()
    risk = code(hashable(alert.get("risk", alert.get("riskcode"))), RISK_CODES, 0)
    confidence = code(hashable(alert.get("confidence")), CONFIDENCE_CODES, 2)
    url, param = clean(alert.get("url")), clean(alert.get("param"))
    if fingerprint not in known and fingerprint not in batch.findings:
        batch.findings[fingerprint] = (
            target_id, fingerprint, clean(rule_id(alert), 40),
            clean(alert.get("pluginId") or alert.get("pluginid") or "", 20),
            clean(alert.get("name") or alert.get("alert") or "(unnamed alert)", 500), risk, confidence,
            whole(hashable(alert.get("cweid"))), whole(hashable(alert.get("wascid"))), clean(alert.get("description")),
            clean(alert.get("solution")), clean(alert.get("reference")), method, clean(url_template(url)), param,
            "open", "", scan_id, scan_id, seen_at, seen_at)
    batch.occurrences.append((fingerprint, (scan_id, url, method, param, clean(alert.get("attack")),
                                            clean(alert.get("evidence")), clean(alert.get("other")),
                                            clean(alert.get("messageId"), 40), risk, confidence)))


def chunked(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


FINDING_TYPES = ("int", "text", "text", "text", "text", "int2", "int2", "int", "int", "text", "text", "text", "text",
                 "text", "text", "text", "text", "int", "int", "timestamptz", "timestamptz")
OCCURRENCE_TYPES = ("int", "int", "text", "text", "text", "text", "text", "text", "text", "int2", "int2")
RETURNING = "RETURNING id, fingerprint, first_seen_scan_id"


def on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def on_conflict() -> str:
    updates = ", ".join(f"{name} = excluded.{name}" for name in UPDATED_ON_CONFLICT)
    return f"ON CONFLICT (target_id, fingerprint) DO UPDATE SET {updates}"


def unnest_insert(table: str, columns: tuple, types: tuple) -> str:
    """PostgreSQL: one parameter per COLUMN (an array), whatever the number of rows; psycopg
    would otherwise parse a statement with thousands of placeholders for every batch."""
    arrays = ", ".join(f"%b::{kind}[]" for kind in types)  # %b: binary, no per-string escaping
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({arrays})"


def values_insert(table: str, columns: tuple, rows: int) -> str:
    """SQLite: a multi-row VALUES list (its parameter limit is 32766)."""
    row = "(" + ", ".join(["?"] * len(columns)) + ")"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * rows)}"


def as_columns(rows: list[tuple]) -> tuple[list, ...]:
    return tuple(list(column) for column in zip(*rows))


def postgres_execute(sql: str, params) -> list:
    """psycopg's binary protocol, on the session's own connection (same transaction): text
    arrays are sent without escaping every string."""
    driver_connection = db.session.connection().connection.driver_connection
    with driver_connection.cursor(binary=True) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def upsert_findings(rows: list[tuple], scan_id: int, stats: IngestStats) -> None:
    """INSERT … ON CONFLICT (target_id, fingerprint) DO UPDATE … RETURNING: new findings; the
    conflict clause covers another scan of the target inserting the same one concurrently."""
    if not rows:
        return
    if on_postgresql():
        returned = postgres_execute(f"{unnest_insert('finding', FINDING_COLUMNS, FINDING_TYPES)} {on_conflict()} "
                                    f"{RETURNING}", as_columns(rows))
    else:
        connection = db.session.connection()
        returned = [row for part in chunked(rows, FINDINGS_PER_STATEMENT) for row in connection.exec_driver_sql(
            f"{values_insert('finding', FINDING_COLUMNS, len(part))} {on_conflict()} {RETURNING}",
            tuple(value for row in part for value in row))]
    for finding_id, fingerprint, first_seen_scan_id in returned:
        stats.finding_ids[fingerprint] = finding_id
        if first_seen_scan_id == scan_id:
            stats.new_finding_ids.append(finding_id)


def insert_occurrences(batch: Batch, stats: IngestStats) -> None:
    ids = stats.finding_ids
    rows = [(ids[fingerprint], *row) for fingerprint, row in batch.occurrences]
    if on_postgresql():
        postgres_execute(unnest_insert("occurrence", OCCURRENCE_COLUMNS, OCCURRENCE_TYPES), as_columns(rows))
    else:
        db.session.connection().exec_driver_sql(values_insert("occurrence", OCCURRENCE_COLUMNS, 1), rows)
    stats.occurrences += len(rows)


def fingerprint_function():
    """The `alert_fingerprint` hook; called directly when only the built-in implements it
    (pluggy's dispatch would otherwise be a fifth of the time spent per alert)."""
    hook = get_plugin_manager().hook.alert_fingerprint
    if all(impl.function is builtin_fingerprint for impl in hook.get_hookimpls()):
        return builtin_fingerprint
    return hook


def known_findings(target_id: int, fingerprints: list[str], stats: IngestStats) -> None:
    """Ids of the chunk's findings that already exist: one query per chunk. Only the rest
    are upserted, so a rescan does not resend every description to the database."""
    rows = db.session.execute(select(Finding.fingerprint, Finding.id).where(
        Finding.target_id == target_id, Finding.fingerprint.in_(fingerprints)))
    stats.finding_ids.update((fingerprint, finding_id) for fingerprint, finding_id in rows)


def ingest_chunk(chunk: list[dict], scan_id: int, target_id: int, seen_at: datetime, stats: IngestStats) -> None:
    hook = fingerprint_function()
    batch = Batch()
    for alert in chunk:
        add_alert(batch, alert, scan_id, target_id, seen_at, hook, stats.finding_ids)
    if batch.findings:
        known_findings(target_id, list(batch.findings), stats)
        fresh = [row for fingerprint, row in batch.findings.items() if fingerprint not in stats.finding_ids]
        upsert_findings(fresh, scan_id, stats)
    insert_occurrences(batch, stats)
    stats.alerts += len(chunk)


def driver_datetime(moment: datetime):
    """`moment` as SQLAlchemy would send it (SQLite stores a string in its own format)."""
    bind = Finding.__table__.c.first_seen_at.type.bind_processor(db.session.get_bind().dialect)
    return bind(moment) if bind else moment


def refresh_seen(scan_id: int, seen_at: datetime) -> None:
    """One UPDATE … FROM (the scan's occurrences aggregated per finding) for every finding
    the scan saw: last seen, and risk/confidence as this scan reports them (attributes
    follow the newest scan; the key never changes)."""
    seen = (select(Occurrence.finding_id, func.max(Occurrence.risk).label("risk"),
                   func.max(Occurrence.confidence).label("confidence"))
            .where(Occurrence.scan_id == scan_id).group_by(Occurrence.finding_id).subquery())
    db.session.execute(
        update(Finding).where(Finding.id == seen.c.finding_id)
        .values(last_seen_scan_id=scan_id, last_seen_at=seen_at, risk=seen.c.risk, confidence=seen.c.confidence)
        .execution_options(synchronize_session=False))


def ingest_alerts(alerts: Iterable[dict], scan_id: int, target_id: int, seen_at: datetime) -> IngestStats:
    """Stream `alerts` into findings/occurrences inside the caller's transaction."""
    stats = IngestStats()
    at = driver_datetime(seen_at)
    for chunk in chunked(alerts, CHUNK):
        ingest_chunk(chunk, scan_id, target_id, at, stats)
    refresh_seen(scan_id, seen_at)
    return stats
