"""The command line, as subprocesses on the session database: project/target/profile add,
scan start (queued id; --wait with a real worker subprocess and a simulated node)."""
import json

from zapdesk.testing import run_zapdesk


def test_project_target_profile_add(app):
    assert run_zapdesk("project", "add", "Shop").returncode == 0
    dup = run_zapdesk("project", "add", "shop")
    assert dup.returncode == 2 and "already exists" in dup.stderr
    added = run_zapdesk("target", "add", "https://shop.example", "--project", "Shop", "--name", "Shop web")
    assert added.returncode == 0 and added.stdout.strip().isdigit()
    bad = run_zapdesk("target", "add", "shop.example", "--project", "Shop", "--include", "(")
    assert bad.returncode == 2 and "http:// or https://" in bad.stderr and "regular expression" in bad.stderr
    profile = run_zapdesk("profile", "add", "Quick", "--kind", "baseline", "--spider-depth", "2",
                          "--filter", "10021 ignore")
    assert profile.returncode == 0, profile.stderr
    api = run_zapdesk("profile", "add", "Api", "--kind", "api")
    assert api.returncode == 2 and "OpenAPI definition" in api.stderr
    pinned = run_zapdesk("profile", "add", "Pinned", "--kind", "full", "--pin-node", "nope")
    assert pinned.returncode == 2 and "no ZAP node is named 'nope'" in pinned.stderr


def test_scan_start_refuses_unknown_target_or_profile(app):
    result = run_zapdesk("scan", "start", "--target", "https://nowhere.example/", "--profile", "x")
    assert result.returncode == 2 and "zapdesk target add" in result.stderr


def test_scan_start_wait_prints_the_outcome(app, registered_node, target_site, worker_process):
    """A real worker subprocess drives the scan; `--wait` follows it to the end."""
    registered_node()
    assert run_zapdesk("target", "add", target_site, "--project", "Local").returncode == 0
    assert run_zapdesk("profile", "add", "Base", "--kind", "baseline").returncode == 0
    worker_process()
    result = run_zapdesk("scan", "start", "--target", target_site, "--profile", "Base", "--wait", "--timeout", "90")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    outcome = json.loads(lines[-1])
    assert lines[0] == str(outcome["id"]) and outcome["state"] == "done" and outcome["alerts"] > 0
    assert "spider" in result.stderr, "plain progress lines when not a terminal"


def test_scan_start_wait_exits_1_when_the_scan_does_not_finish_in_time(app, target_site):
    run_zapdesk("target", "add", target_site, "--project", "Local")
    run_zapdesk("profile", "add", "Base", "--kind", "baseline")
    result = run_zapdesk("scan", "start", "--target", target_site, "--profile", "Base", "--wait", "--timeout", "1")
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert result.returncode == 1 and outcome["state"] == "queued" and "timeout" in outcome["error"]
