"""The command line: project/target/profile add and scan start, run through click's
runner in this process on the session database (the real `zapdesk` entry point is
exercised by the worker tests). `--wait` follows a scan that a thread ticks meanwhile."""
import json
import threading
import time

import pytest

from plugins.profiles.cli import profile_group, project_group, target_group
from plugins.scans.cli import scan_group
from plugins.scans.models import Scan
from plugins.scans.tests.conftest import drive
from zapdesk.extensions import db


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def _run(group, *args):
        return runner.invoke(group, list(args))

    return _run


def test_project_target_profile_add(cli):
    assert cli(project_group, "add", "Shop").exit_code == 0
    dup = cli(project_group, "add", "shop")
    assert dup.exit_code == 2 and "already exists" in dup.stderr
    added = cli(target_group, "add", "https://shop.example", "--project", "Shop", "--name", "Shop web")
    assert added.exit_code == 0 and added.stdout.strip().isdigit()
    bad = cli(target_group, "add", "shop.example", "--project", "Shop", "--include", "(")
    assert bad.exit_code == 2 and "http:// or https://" in bad.stderr and "regular expression" in bad.stderr
    profile = cli(profile_group, "add", "Quick", "--kind", "baseline", "--spider-depth", "2", "--filter", "10021 ignore")
    assert profile.exit_code == 0, profile.stderr
    api = cli(profile_group, "add", "Api", "--kind", "api")
    assert api.exit_code == 2 and "OpenAPI definition" in api.stderr
    pinned = cli(profile_group, "add", "Pinned", "--kind", "full", "--pin-node", "nope")
    assert pinned.exit_code == 2 and "no ZAP node is named 'nope'" in pinned.stderr


def test_scan_start_prints_the_id_or_refuses(cli, app):
    missing = cli(scan_group, "start", "--target", "https://nowhere.example/", "--profile", "x")
    assert missing.exit_code == 2 and "zapdesk target add" in missing.stderr
    cli(target_group, "add", "https://shop.example", "--project", "Shop")
    cli(profile_group, "add", "Base", "--kind", "baseline")
    started = cli(scan_group, "start", "--target", "https://shop.example/", "--profile", "base")
    assert started.exit_code == 0
    with app.app_context():
        assert db.session.get(Scan, int(started.stdout)).state == "queued"


def tick_newest_scan(app, stop):
    with app.app_context():
        while not stop.is_set():
            scan = db.session.query(Scan).order_by(Scan.id.desc()).first()
            if scan is not None:
                drive(scan.id)
                return
            time.sleep(0.05)


def test_scan_start_wait_prints_the_outcome(cli, app, registered_node, target_site):
    registered_node()
    cli(target_group, "add", target_site, "--project", "Local")
    cli(profile_group, "add", "Base", "--kind", "baseline")
    stop = threading.Event()
    ticker = threading.Thread(target=tick_newest_scan, args=(app, stop))
    ticker.start()
    result = cli(scan_group, "start", "--target", target_site, "--profile", "Base", "--wait", "--timeout", "60")
    stop.set()
    ticker.join()
    lines = result.stdout.strip().splitlines()
    outcome = json.loads(lines[-1])
    assert result.exit_code == 0, result.stderr
    assert lines[0] == str(outcome["id"]) and outcome["state"] == "done" and outcome["alerts"] > 0
    assert outcome["node"] and outcome["error"] is None
    progress = result.stderr.splitlines()
    assert progress[0].startswith(f"scan {outcome['id']}: queued") and progress[-1].endswith("done 100%")


def test_scan_start_wait_exits_1_when_the_scan_does_not_finish_in_time(cli, target_site):
    cli(target_group, "add", target_site, "--project", "Local")
    cli(profile_group, "add", "Base", "--kind", "baseline")
    result = cli(scan_group, "start", "--target", target_site, "--profile", "Base", "--wait", "--timeout", "0.5")
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert result.exit_code == 1 and outcome["state"] == "queued" and "timeout" in outcome["error"]
