"""`zapdesk node …` and `zapdesk sim-node` as subprocesses on the session's database,
with simulated ZAP nodes standing in for ZAP."""
import os
import signal
import subprocess
import sys
import time

import requests

from zapdesk.testing import free_port, run_zapdesk


def test_node_add_list_test(app, sim_node):
    good, bad = sim_node(api_key="k-good"), sim_node(api_key="k-bad")
    added = run_zapdesk("node", "add", "cli-good", good.url, "--api-key-stdin", "--capacity", "3", input="k-good\n")
    assert added.returncode == 0, added.stderr
    assert "status=healthy" in added.stdout and "k-good" not in added.stdout + added.stderr
    refused = run_zapdesk("node", "add", "cli-bad", bad.url, "--api-key-stdin", input="wrong\n")
    assert refused.returncode == 1 and "API key rejected" in refused.stderr
    assert run_zapdesk("node", "add", "cli-bad", bad.url, "--api-key-stdin", "--no-verify", input="wrong\n").returncode == 0
    listing = run_zapdesk("node", "list").stdout
    assert "cli-good\t" + good.url in listing and "0/3" in listing
    one = run_zapdesk("node", "test", "cli-good")
    assert one.returncode == 0 and "healthy" in one.stdout and " ms" in one.stdout
    every = run_zapdesk("node", "test", "--all")
    assert every.returncode == 1 and "cli-bad\tunhealthy\tAPI key rejected" in every.stdout
    missing = run_zapdesk("node", "test", "nope")
    assert missing.returncode == 1 and "no node named 'nope'" in missing.stderr


def test_node_add_without_key_says_how(app):
    result = run_zapdesk("node", "add", "cli-nokey", "http://127.0.0.1:9")
    assert result.returncode == 1 and "--api-key-stdin" in result.stderr


def test_sim_node_help_documents_every_fault():
    from plugins.nodes.simulator.faults import FAULTS

    text = run_zapdesk("sim-node", "--help").stdout
    assert "NOT a scanner" in text
    for name in FAULTS:
        assert name in text


def test_sim_node_runs_until_interrupted_with_key_from_env():
    port = free_port()
    env = {**os.environ, "ZAPDESK_SIM_API_KEY": "env-key"}
    proc = subprocess.Popen([sys.executable, "-m", "zapdesk", "sim-node", "--port", str(port), "--fault", "slow:0.1"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/JSON/core/view/version/",
                                      headers={"X-ZAP-API-Key": "env-key"}, timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read() if proc.poll() else ""
                time.sleep(0.2)
        assert answer.json()["version"].endswith("zapdesk-simulator")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
    assert "a stand-in, not a scanner" in proc.stdout.read()
