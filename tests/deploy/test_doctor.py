"""`zapdesk doctor`: the database flag against nginx/state/setup_complete (the runbook's
"setup redirects never end"), migrations, certificates — each with the fix in words."""
from datetime import datetime, timedelta, timezone

import pytest

from zapdesk import create_app
from zapdesk.extensions import db
from zapdesk.models import User, set_setting
from zapdesk.setup import state, tls
from zapdesk.setup.doctor import check_certificate, check_migrations, check_setup_state, fix_setup_state
from zapdesk.testing import run_zapdesk


@pytest.fixture
def doctor_app(app, tmp_path, monkeypatch):
    paths = {"CERTS_PATH": str(tmp_path / "certs"), "NGINX_STATE_PATH": str(tmp_path / "state")}
    for key, value in paths.items():
        monkeypatch.setenv(f"ZAPDESK_{key}", value)
    application = create_app({"TESTING": True, "SETUP_REQUIRED": True, **paths})
    with application.app_context():
        yield application
        db.session.remove()


def add_admin():
    db.session.add(User(email="root@example.com", role="admin", password_hash="x"))
    db.session.commit()


def test_consistent_states(doctor_app):
    finding = check_setup_state()
    assert finding.status == "warn" and "open http://<host>/setup" in finding.fix
    set_setting("setup.complete", True)
    db.session.commit()
    state.write_nginx_state()
    assert check_setup_state().status == "ok"


def test_flag_set_but_state_file_missing_names_the_file_to_fix(doctor_app):
    set_setting("setup.complete", True)
    db.session.commit()
    finding = check_setup_state()
    assert finding.status == "fail"
    assert str(state.nginx_state_file()) in finding.detail and "fix the nginx state file" in finding.fix
    assert fix_setup_state() == f"wrote {state.nginx_state_file()}"
    assert check_setup_state().status == "ok"


def test_state_file_without_flag_names_the_database_to_fix(doctor_app):
    state.write_nginx_state()
    add_admin()
    finding = check_setup_state()
    assert finding.status == "fail" and "fix the database flag" in finding.fix
    assert fix_setup_state() == "marked setup complete in the database"
    assert check_setup_state().status == "ok"


def test_state_file_on_a_blank_database_is_not_fixed_blindly(doctor_app):
    state.write_nginx_state()
    finding = check_setup_state()
    assert finding.status == "fail" and "zapdesk restore" in finding.fix
    assert fix_setup_state() is None


def test_migrations_and_certificates(doctor_app):
    assert check_migrations().status == "ok"
    assert check_certificate().status == "warn"
    folder = state.certs_dir()
    tls.write_pair(folder, *tls.generate_self_signed(["localhost"], days=400))
    assert check_certificate().status == "ok"
    tls.write_pair(folder, *tls.generate_self_signed(["localhost"], days=5))
    assert "expires in" in check_certificate().detail
    tls.write_pair(folder, *tls.generate_self_signed(["localhost"], common_name=tls.TEMPORARY_CN))
    assert "temporary" in check_certificate().detail


def test_doctor_command_exit_code_and_fix(doctor_app):
    set_setting("setup.complete", True)
    db.session.commit()
    result = run_zapdesk("doctor")
    assert result.returncode == 1
    assert "[FAIL] setup state" in result.stdout and "zapdesk doctor --fix" in result.stdout
    fixed = run_zapdesk("doctor", "--fix")
    assert f"fixed: wrote {state.nginx_state_file()}" in fixed.stdout
    assert "[ok  ] setup state" in fixed.stdout and state.nginx_state_file().exists()


def test_expired_pair_is_refused_by_validation():
    cert, key = tls.generate_self_signed(["localhost"], days=1)
    later = datetime.now(timezone.utc) + timedelta(days=3)
    with pytest.raises(tls.TLSValidationError, match="expired"):
        tls.validate_pair(cert, key, "localhost", now=later)
    assert tls.covers(("*.example.com",), "a.example.com") and not tls.covers(("*.example.com",), "a.b.example.com")
