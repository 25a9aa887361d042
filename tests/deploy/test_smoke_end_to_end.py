"""`zapdesk smoke` end to end: a live zapdesk (waitress thread), a real RQ worker, a
simulated ZAP node (the one mock: plugins.nodes' simulator) and the local target site;
every step of the runbook's smoke list runs for real."""
import pytest

from zapdesk.testing import TEST_PASSWORD, run_zapdesk

pytestmark = pytest.mark.slow


def test_smoke_runs_the_runbook_list_end_to_end(live_server, make_user, registered_node, target_site,
                                                worker_process, monkeypatch):
    user = make_user("admin")
    registered_node(name="smoke-node")
    worker_process()
    monkeypatch.setenv("ZAPDESK_SMOKE_PASSWORD", TEST_PASSWORD)
    result = run_zapdesk("smoke", "--base-url", live_server, "--email", user.email, "--target", target_site,
                         "--timeout", "120", "--strict", timeout=300)
    for step in ("health", "login", "node connectivity", "sample scan", "report download", "evolution visible"):
        assert f"[pass] {step}:" in result.stdout, step
    assert result.returncode == 0 and "6 passed, 0 failed, 0 skipped" in result.stdout
