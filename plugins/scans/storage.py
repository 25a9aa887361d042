"""Raw scan results on disk: gzip'd JSON lines of alerts and a gzip'd list of URLs under
MEDIA_PATH/scans/<id>/. Files are written to a temporary name and renamed, so a killed
worker leaves either the old file or the complete new one, never a half-written one."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path
from typing import Iterable, Iterator

from flask import current_app

ALERTS_FILE = "alerts.jsonl.gz"
URLS_FILE = "urls.txt.gz"


def media_root() -> Path:
    return Path(current_app.config["MEDIA_PATH"])


def scan_dir(scan_id: int) -> Path:
    path = media_root() / "scans" / str(scan_id)
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_lines(scan_id: int, name: str, lines: Iterable[str]) -> tuple[str, int, int, str]:
    """Write `lines` gzip'd; return (relative path, line count, bytes, sha256 of the file)."""
    final = scan_dir(scan_id) / name
    tmp = final.with_suffix(final.suffix + f".{os.getpid()}.tmp")
    count = 0
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=6) as fh:
        for line in lines:
            fh.write(line.replace("\n", " ") + "\n")
            count += 1
    digest, size = file_digest(tmp)
    os.replace(tmp, final)
    return str(final.relative_to(media_root())), count, size, digest


def write_alerts(scan_id: int, alerts: Iterable[dict]) -> tuple[str, int, int, str]:
    return write_lines(scan_id, ALERTS_FILE, (json.dumps(a, separators=(",", ":")) for a in alerts))


def write_urls(scan_id: int, urls: Iterable[str]) -> tuple[str, int, int, str]:
    return write_lines(scan_id, URLS_FILE, (u for u in urls if u))


def file_digest(path: Path) -> tuple[str, int]:
    sha, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            sha.update(chunk)
            size += len(chunk)
    return sha.hexdigest(), size


def read_lines(relative_path: str) -> Iterator[str]:
    with gzip.open(media_root() / relative_path, "rt", encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line:
                yield line


def discard(scan_id: int) -> None:
    """Drop a failed attempt's partial files."""
    folder = media_root() / "scans" / str(scan_id)
    for name in (ALERTS_FILE, URLS_FILE):
        (folder / name).unlink(missing_ok=True)
