"""Backup and restore, on whichever database the session runs (SQLite or PostgreSQL):
the restore drill (populate, back up, wipe, restore, compare every table and every file)
through the real `zapdesk backup` / `zapdesk restore` commands, and every refusal made
before anything is touched. ZAP is the simulator (registered_node)."""
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import text

from zapdesk import create_app
from zapdesk.backup import BackupError, verify_archive
from zapdesk.setup.revisions import pending_revisions
from zapdesk.extensions import db
from zapdesk.models import Setting, User, set_setting
from zapdesk.setup import state, tls
from zapdesk.testing import run_zapdesk, wipe

pytestmark = pytest.mark.slow


@pytest.fixture
def drill_app(app, tmp_path, monkeypatch):
    """The session database, with media, certs and nginx state in tmp (for the CLI too)."""
    paths = {"MEDIA_PATH": tmp_path / "media", "CERTS_PATH": tmp_path / "certs",
             "NGINX_STATE_PATH": tmp_path / "nginx-state"}
    for key, path in paths.items():
        monkeypatch.setenv(f"ZAPDESK_{key}", str(path))
    application = create_app({"TESTING": True, **{k: str(v) for k, v in paths.items()}})
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def release_connections(application) -> None:
    """The restore runs in another process; idle pooled connections must not hold locks."""
    for each in {application, *getattr(release_connections, "extra", ())}:
        with each.app_context():
            db.session.remove()
            db.engine.dispose()


def populate(application, registered_node) -> None:
    from plugins.profiles.service import get_or_create_target
    from plugins.scans.service import create_finished_scan

    with application.app_context():
        registered_node(name="zap-a", api_key="drill-key")
        target = get_or_create_target("http://shop.example.test", project_name="Drill")
        create_finished_scan(target.id, [{"pluginId": "10021", "alert": "<script>x</script>",
                                          "risk": "Low", "url": "http://shop.example.test/"}],
                             urls=["http://shop.example.test/"])
        user = User(email="drill@example.com", role="admin")
        user.set_password("a long enough password")
        db.session.add(user)
        set_setting("setup.complete", True)
        db.session.commit()
        media = Path(application.config["MEDIA_PATH"])
        (media / "uploads").mkdir(parents=True, exist_ok=True)
        (media / "uploads" / "report.bin").write_bytes(bytes(range(256)) * 100)
        tls.write_pair(state.certs_dir(application), *tls.generate_self_signed(["localhost"]))
        state.write_nginx_state(application)


def snapshot(application) -> dict:
    """Every row of every table (alembic_version included) and every file, by content."""
    with application.app_context():
        names = sorted(db.inspect(db.engine).get_table_names())
        tables = {}
        with db.engine.connect() as conn:
            for name in names:
                rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
                tables[name] = sorted(repr(tuple(row)) for row in rows)
        files = {}
        for key in ("MEDIA_PATH", "CERTS_PATH", "NGINX_STATE_PATH"):
            root = Path(application.config[key])
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                files[f"{key}/{path.relative_to(root)}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"tables": tables, "files": files}


def wipe_everything(application) -> None:
    wipe(application)
    for key in ("MEDIA_PATH", "CERTS_PATH", "NGINX_STATE_PATH"):
        for path in sorted(Path(application.config[key]).rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
    (Path(application.config["MEDIA_PATH"]) / "stray.txt").write_text("must not survive a restore")


def test_restore_drill_brings_back_every_table_and_file(drill_app, registered_node, tmp_path):
    populate(drill_app, registered_node)
    before = snapshot(drill_app)
    assert before["tables"]["zap_node"] and before["tables"]["scan"] and before["tables"]["user"]
    assert any(name.startswith("MEDIA_PATH/") and "uploads" not in name for name in before["files"])
    archive = tmp_path / "drill.tar.gz"
    made = run_zapdesk("backup", "--output", str(archive))
    assert made.returncode == 0, made.stderr
    assert archive.stat().st_mode & 0o077 == 0
    wipe_everything(drill_app)
    assert snapshot(drill_app)["tables"]["user"] == []
    release_connections(drill_app)
    restored = run_zapdesk("restore", str(archive), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert snapshot(drill_app) == before


def test_manifest_lists_version_revisions_and_checksums(drill_app, registered_node, tmp_path):
    """In-process (the drill runs the command)."""
    from zapdesk.backup import create_backup

    populate(drill_app, registered_node)
    archive = tmp_path / "b.tar.gz"
    with drill_app.app_context():
        create_backup(archive)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        for name, meta in manifest["members"].items():
            data = tar.extractfile(name).read()
            assert meta == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    assert manifest["app_version"] == "0.1.0"
    with drill_app.app_context():
        assert manifest["database"]["dialect"] == db.engine.dialect.name
        assert manifest["database"]["revisions"] and not pending_revisions(manifest["database"]["revisions"])
    assert {"certs/fullchain.pem", "certs/privkey.pem", "nginx-state/setup_complete",
            "media/uploads/report.bin", manifest["database"]["member"]} <= set(manifest["members"])


def repack(archive: Path, target: Path, change) -> Path:
    """Copy `archive` into `target`, letting `change(members: dict[name, bytes])` edit it."""
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}
    change(members)
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def edit_manifest(edit):
    def change(members):
        manifest = json.loads(members["manifest.json"])
        edit(manifest)
        members["manifest.json"] = json.dumps(manifest).encode()
    return change


@pytest.fixture(scope="module")
def good_archive(app, tmp_path_factory):
    """One archive for the refusal tests, made in-process (the drill covers the CLI)."""
    from zapdesk.backup import create_backup

    root = tmp_path_factory.mktemp("good")
    paths = {"MEDIA_PATH": root / "media", "CERTS_PATH": root / "certs", "NGINX_STATE_PATH": root / "state"}
    application = create_app({"TESTING": True, **{k: str(v) for k, v in paths.items()}})
    with application.app_context():
        (paths["MEDIA_PATH"] / "uploads").mkdir(parents=True)
        (paths["MEDIA_PATH"] / "uploads" / "report.bin").write_bytes(b"report" * 1000)
        tls.write_pair(paths["CERTS_PATH"], *tls.generate_self_signed(["localhost"]))
        state.write_nginx_state(application)
        create_backup(root / "good.tar.gz")
        db.session.remove()
        db.engine.dispose()
    return root / "good.tar.gz"


def test_corrupt_archive_is_refused_and_nothing_changes(drill_app, good_archive, tmp_path):
    def flip(members):
        members["media/uploads/report.bin"] = b"tampered" + members["media/uploads/report.bin"][8:]

    bad = repack(good_archive, tmp_path / "bad.tar.gz", flip)
    with drill_app.app_context():
        db.session.add(Setting(key="after.backup", value=1))
        db.session.commit()
    before = snapshot(drill_app)
    release_connections(drill_app)
    result = run_zapdesk("restore", str(bad), "--yes")
    assert result.returncode != 0
    assert "media/uploads/report.bin: checksum mismatch" in result.stderr and "nothing was changed" in result.stderr
    assert snapshot(drill_app) == before


BAD_ARCHIVES = [
    (edit_manifest(lambda m: m["database"].update(revisions=["9999_from_the_future"])),
     "made by a newer zapdesk"),
    (edit_manifest(lambda m: m["database"].update(dialect="oracle")), "holds a oracle database"),
    (edit_manifest(lambda m: m.update(format=99)), "unsupported backup format"),
    (lambda members: members.update({"media/extra.txt": b"x"}), "media/extra.txt: not in the manifest"),
    (lambda members: members.pop("certs/privkey.pem"), "certs/privkey.pem: missing"),
    (lambda members: members.pop("manifest.json"), "no manifest.json"),
    (lambda members: members.update({"../escape.txt": b"x"}), "unsafe path"),
]


def test_bad_archives_are_refused_before_anything_is_touched(app_ctx, good_archive, tmp_path):
    for index, (change, message) in enumerate(BAD_ARCHIVES):
        bad = repack(good_archive, tmp_path / f"bad{index}.tar.gz", change)
        staging = tmp_path / f"staging{index}"
        staging.mkdir()
        with pytest.raises(BackupError, match=message):
            verify_archive(bad, staging)
    assert not (tmp_path / "escape.txt").exists()


def test_truncated_and_missing_archives(app_ctx, good_archive, tmp_path):
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(good_archive.read_bytes()[:2000])
    with pytest.raises(BackupError, match="not a readable zapdesk backup"):
        verify_archive(cut, tmp_path)
    with pytest.raises(BackupError, match="cannot read"):
        verify_archive(tmp_path / "nope.tar.gz", tmp_path)


def test_restore_without_yes_off_a_terminal_refuses(app, good_archive):
    result = run_zapdesk("restore", str(good_archive))
    assert result.returncode != 0 and "add --yes to confirm" in result.stderr
    assert "verified" in result.stdout  # verification ran first
    checked = run_zapdesk("restore", str(good_archive), "--verify-only")
    assert checked.returncode == 0 and "verified 5 files" in checked.stdout


def test_pending_revisions_of_an_older_database(app_ctx):
    assert "0001_core" not in pending_revisions(["0001_core"])
    assert pending_revisions([]) and "0001_core" in pending_revisions([])
