"""`zapdesk smoke` against a live zapdesk (waitress thread): each step says pass, fail or
skip with the reason, and the exit code follows."""
import pytest

from zapdesk.testing import run_zapdesk

pytestmark = pytest.mark.slow


def test_smoke_reports_skips_and_failures_with_reasons(live_server, make_user, monkeypatch):
    user = make_user("viewer")
    monkeypatch.setenv("ZAPDESK_SMOKE_PASSWORD", "not the password at all")
    result = run_zapdesk("smoke", "--base-url", live_server, "--email", user.email, timeout=120)
    assert "[pass] health:" in result.stdout
    assert "[FAIL] login: login refused (HTTP 401): check the email and password" in result.stdout
    assert "[skip] sample scan: no --target URL given" in result.stdout
    assert "[skip] report download: needs a successful login" in result.stdout
    assert result.returncode == 1


def test_smoke_says_when_zapdesk_is_unreachable(app):
    from zapdesk.testing import free_port

    result = run_zapdesk("smoke", "--base-url", f"http://127.0.0.1:{free_port()}", timeout=120)
    assert "[FAIL] health: http://127.0.0.1:" in result.stdout and "unreachable" in result.stdout
    assert result.returncode == 1
