"""The command line: users (password never from argv), db upgrade on a blank database."""
import subprocess
import sys

from zapdesk.testing import run_zapdesk


def test_user_create_reads_password_from_stdin(app):
    result = run_zapdesk("user", "create", "--email", "Ops@Example.com", "--role", "admin",
                         input="a long enough password\n")
    assert result.returncode == 0, result.stderr
    listing = run_zapdesk("user", "list").stdout
    assert "ops@example.com\tadmin\tactive" in listing


def test_user_create_rejects_weak_password_and_duplicates(app):
    weak = run_zapdesk("user", "create", "--email", "w@example.com", input="short\n")
    assert weak.returncode != 0 and "at least 12 characters" in weak.stderr
    run_zapdesk("user", "create", "--email", "d@example.com", input="a long enough password\n")
    dup = run_zapdesk("user", "create", "--email", "d@example.com", input="a long enough password\n")
    assert dup.returncode != 0 and "already exists" in dup.stderr


def test_db_upgrade_brings_a_blank_sqlite_database_to_head(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "ZAPDESK_INSTANCE_PATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "zapdesk", "db", "upgrade"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    check = subprocess.run([sys.executable, "-m", "zapdesk", "db", "check"], env=env,
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr + check.stdout


def test_migrations_match_models(app):
    """The session database was built by migrations; the models must not differ from it."""
    import flask_migrate

    with app.app_context():
        flask_migrate.check()
