"""Backups and restores: one tar.gz with a consistent database dump (pg_dump for
PostgreSQL, SQLite's online backup API), the media folder, certs/ and nginx/state/, and
manifest.json (app version, migration revisions, sha256 and size of every member).

A restore verifies every checksum and that this code knows the archive's migrations
BEFORE it touches anything; then it replaces the database and the three folders and
brings the schema to this version's heads."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import make_url

from . import __version__
from .extensions import db
from .setup.revisions import code_heads, database_revisions, known_revision, pending_revisions, script_directory

FORMAT = 1
MANIFEST = "manifest.json"
TREES = {"media": "MEDIA_PATH", "certs": "CERTS_PATH", "nginx-state": "NGINX_STATE_PATH"}
DUMP_NAMES = {"sqlite": "database/zapdesk.sqlite3", "postgresql": "database/zapdesk.pgdump"}
CHUNK = 1024 * 1024


class BackupError(RuntimeError):
    """A backup or restore cannot go on; the message says why and what to do."""


# --- what the running instance is made of ----------------------------------------------

def dialect() -> str:
    return db.engine.dialect.name


def tree_paths() -> dict[str, Path]:
    return {name: Path(current_app.config[key]) for name, key in TREES.items()}


# --- dumping the database --------------------------------------------------------------

def pg_environment(url) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore; the password goes in the environment,
    never in argv."""
    args = ["--host", url.host or "localhost", "--port", str(url.port or 5432),
            "--username", url.username or "postgres", "--dbname", url.database or ""]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client matching the "
                          "server's major version (the zapdesk image ships it)")
    return path


def run_pg(name: str, extra: list[str]) -> None:
    args, env = pg_environment(make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]))
    result = subprocess.run([pg_tool(name), *args, *extra], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no output"])[-1][:300]
        raise BackupError(f"{name} failed: {reason}")


def dump_database(target: Path) -> None:
    """A consistent snapshot: pg_dump runs in one transaction; SQLite's backup API copies
    a consistent image even while other processes write."""
    if dialect() == "postgresql":
        run_pg("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
    elif dialect() == "sqlite":
        copy_sqlite(Path(db.engine.url.database), target)
    else:
        raise BackupError(f"backing up a {dialect()} database is not supported")


def copy_sqlite(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


# --- writing the archive ---------------------------------------------------------------

class HashingReader:
    """Reads a file into the tar while hashing exactly the bytes stored."""

    def __init__(self, fh):
        self.fh, self.sha256, self.size = fh, hashlib.sha256(), 0

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self.sha256.update(data)
        self.size += len(data)
        return data


def add_file(tar: tarfile.TarFile, source: Path, arcname: str, members: dict) -> None:
    info = tar.gettarinfo(str(source), arcname=arcname)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with source.open("rb") as fh:
        reader = HashingReader(fh)
        tar.addfile(info, reader)
    members[arcname] = {"sha256": reader.sha256.hexdigest(), "bytes": reader.size}


def tree_files(root: Path):
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def create_backup(output: Path) -> dict:
    """Write the archive to `output` (atomically) and return its manifest."""
    output.parent.mkdir(parents=True, exist_ok=True)
    members: dict[str, dict] = {}
    revisions = database_revisions()
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".zapdesk-backup-") as staging:
        dump = Path(staging) / "database"
        dump_database(dump)
        partial = Path(staging) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            add_file(tar, dump, DUMP_NAMES[dialect()], members)
            for name, root in tree_paths().items():
                for path in tree_files(root):
                    add_file(tar, path, f"{name}/{path.relative_to(root).as_posix()}", members)
            manifest = build_manifest(revisions, members)
            manifest_path = Path(staging) / MANIFEST
            manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
            tar.add(str(manifest_path), arcname=MANIFEST)
        os.chmod(partial, 0o600)  # it holds password hashes and private keys
        os.replace(partial, output)
    return manifest


def build_manifest(revisions: list[str], members: dict) -> dict:
    return {"format": FORMAT, "app": "zapdesk", "app_version": __version__,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "database": {"dialect": dialect(), "member": DUMP_NAMES[dialect()], "revisions": revisions},
            "code_heads": code_heads(), "trees": sorted(TREES), "members": members}


def default_output() -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return Path(current_app.config["BACKUP_PATH"]) / f"zapdesk-backup-{stamp}.tar.gz"


# --- verifying an archive (nothing is touched until this passes) -----------------------

def safe_member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"the archive holds an unsafe path ({name!r}); it was not made by zapdesk")
    return path


def extract_hashed(archive: Path, staging: Path) -> dict[str, dict]:
    """Extract regular files only, hashing each; returns {name: {sha256, bytes}}."""
    found: dict[str, dict] = {}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile():
                    raise BackupError(f"the archive holds a link or device ({member.name!r}); refusing it")
                target = staging / safe_member_path(member.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as src, target.open("wb") as dst:
                    found[member.name] = copy_hashing(src, dst)
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, OSError) and exc.filename == str(archive):
            raise BackupError(f"cannot read {archive}: {exc.strerror}") from exc
        raise BackupError(f"{archive} is not a readable zapdesk backup (truncated or corrupt: {exc})") from exc
    return found


def copy_hashing(src, dst) -> dict:
    digest, size = hashlib.sha256(), 0
    while chunk := src.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        dst.write(chunk)
    return {"sha256": digest.hexdigest(), "bytes": size}


def read_manifest(staging: Path, found: dict) -> dict:
    if MANIFEST not in found:
        raise BackupError("the archive has no manifest.json; it is not a zapdesk backup")
    try:
        manifest = json.loads((staging / MANIFEST).read_text())
    except ValueError as exc:
        raise BackupError(f"manifest.json is not valid JSON ({exc})") from exc
    if manifest.get("app") != "zapdesk" or manifest.get("format") != FORMAT:
        raise BackupError(f"unsupported backup format {manifest.get('format')!r} (this zapdesk reads {FORMAT})")
    return manifest


def check_members(manifest: dict, found: dict) -> None:
    expected = manifest.get("members") or {}
    problems = [f"{name}: missing" for name in expected if name not in found]
    problems += [f"{name}: checksum mismatch" for name, meta in expected.items()
                 if name in found and found[name] != meta]
    problems += [f"{name}: not in the manifest" for name in found if name not in expected and name != MANIFEST]
    if problems:
        shown = "; ".join(problems[:5]) + (f" (+{len(problems) - 5} more)" if len(problems) > 5 else "")
        raise BackupError(f"the archive is corrupt or was altered, nothing was restored: {shown}")


def check_compatible(manifest: dict) -> None:
    archived = manifest["database"]["dialect"]
    if archived != dialect():
        raise BackupError(f"this backup holds a {archived} database but this zapdesk uses {dialect()}; "
                          f"restore it on a {archived} installation (ZAPDESK_DATABASE_URL)")
    scripts = script_directory()
    unknown = [rev for rev in manifest["database"]["revisions"] if not known_revision(scripts, rev)]
    if unknown:
        raise BackupError(f"this backup was made by a newer zapdesk ({manifest.get('app_version')}, "
                          f"unknown migrations: {', '.join(unknown)}); upgrade zapdesk to that version first")


def verify_archive(archive: Path, staging: Path) -> dict:
    """Extract into `staging`, check every checksum and compatibility; return the manifest."""
    found = extract_hashed(archive, staging)
    manifest = read_manifest(staging, found)
    check_members(manifest, found)
    check_compatible(manifest)
    return manifest


# --- restoring -------------------------------------------------------------------------

def restore_database(dump: Path) -> None:
    db.session.remove()
    db.engine.dispose()
    if dialect() == "sqlite":
        copy_sqlite(dump, Path(db.engine.url.database))
        return
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.engine.dispose()
    run_pg("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", str(dump)])


def replace_tree(staged: Path, target: Path) -> None:
    """Empty `target` (kept itself: it may be a bind mount) and fill it from `staged`."""
    target.mkdir(parents=True, exist_ok=True)
    for child in target.iterdir():
        shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    if staged.is_dir():
        shutil.copytree(staged, target, dirs_exist_ok=True)


def restore_backup(archive: Path, staging: Path, manifest: dict) -> list[str]:
    """Apply an archive already checked by verify_archive into `staging`. Returns the
    migrations applied afterwards (when the backup was older than this version)."""
    import flask_migrate

    restore_database(staging / manifest["database"]["member"])
    for name, target in tree_paths().items():
        replace_tree(staging / name, target)
    pending = pending_revisions(database_revisions())
    if pending:
        flask_migrate.upgrade(revision="heads")
    return pending
