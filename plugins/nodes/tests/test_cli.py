"""`zapdesk node …` and `zapdesk sim-node`, with simulated ZAP nodes standing in for ZAP.
Most cases run the click commands in-process on the session app (fast); one run of each
command line goes through a real `zapdesk` subprocess."""
import os
import signal
import subprocess
import sys
import time

import requests

from plugins.nodes.cli import node_group, sim_node_command
from zapdesk.testing import free_port, run_zapdesk


def node_cli(app, *args, input=None):
    return app.test_cli_runner().invoke(node_group, list(args), input=input)


def test_node_add_list_test(app, sim_node):
    good, bad = sim_node(api_key="k-good"), sim_node(api_key="k-bad")
    added = node_cli(app, "add", "cli-good", good.url, "--api-key-stdin", "--capacity", "3", input="k-good\n")
    assert added.exit_code == 0, added.output
    assert "status=healthy" in added.output and "k-good" not in added.output
    refused = node_cli(app, "add", "cli-bad", bad.url, "--api-key-stdin", input="wrong\n")
    assert refused.exit_code == 1 and "API key rejected" in refused.output
    assert node_cli(app, "add", "cli-bad", bad.url, "--api-key-stdin", "--no-verify", input="wrong\n").exit_code == 0
    listing = node_cli(app, "list").output
    assert "cli-good\t" + good.url in listing and "0/3" in listing
    one = node_cli(app, "test", "cli-good")
    assert one.exit_code == 0 and "healthy" in one.output and " ms" in one.output
    missing = node_cli(app, "test", "nope")
    assert missing.exit_code == 1 and "no node named 'nope'" in missing.output
    every = run_zapdesk("node", "test", "--all")
    assert every.returncode == 1, every.stderr
    assert "cli-bad\tunhealthy\tAPI key rejected" in every.stdout and "cli-good\thealthy" in every.stdout


def test_node_add_without_key_says_how(app):
    result = node_cli(app, "add", "cli-nokey", "http://127.0.0.1:9")
    assert result.exit_code == 1 and "--api-key-stdin" in result.output


def test_sim_node_help_documents_every_fault():
    from click.testing import CliRunner

    from plugins.nodes.simulator.faults import FAULTS

    text = CliRunner().invoke(sim_node_command, ["--help"]).output
    assert "NOT a scanner" in text and "ZAPDESK_SIM_API_KEY" in text
    for name in FAULTS:
        assert name in text


def test_sim_node_runs_until_interrupted_with_key_from_env():
    port = free_port()
    env = {**os.environ, "ZAPDESK_SIM_API_KEY": "env-key"}
    proc = subprocess.Popen([sys.executable, "-m", "zapdesk", "sim-node", "--port", str(port), "--fault", "slow:0.1"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        answer = wait_for_answer(proc, port)
        assert answer.json()["version"].endswith("zapdesk-simulator")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    assert "a stand-in, not a scanner" in proc.stdout.read()


def wait_for_answer(proc, port: int) -> requests.Response:
    deadline = time.monotonic() + 30
    while True:
        try:
            return requests.get(f"http://127.0.0.1:{port}/JSON/core/view/version/",
                                headers={"X-ZAP-API-Key": "env-key"}, timeout=2)
        except requests.ConnectionError:
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "sim-node did not start"
            time.sleep(0.2)
