"""Fixtures of the ops plugin's tests: a fake `docker` executable (Docker is the one thing
we mock: it records its argv) and the real ops agent served on a free loopback port."""
from __future__ import annotations

import json
import os
import secrets
import stat
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from zapdesk.testing import free_port, start_zapdesk, stop_process

FAKE_DOCKER = """#!{python}
import json, os, sys
with open({log!r}, "a") as fh:
    fh.write(json.dumps({{"argv": sys.argv[1:], "cwd": os.getcwd(),
                         "env_has_token": "OPS_AGENT_TOKEN" in os.environ}}) + "\\n")
print("fake docker ran:", " ".join(sys.argv[1:]))
sys.exit({exit_code})
"""


@dataclass
class FakeDocker:
    bin_dir: Path
    log: Path

    def calls(self) -> list[dict]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def compose_args(self) -> list[list[str]]:
        """The sub-command of each call, after `compose --ansi never --project-directory DIR`."""
        return [c["argv"][5:] for c in self.calls()]


def write_fake_docker(folder: Path, exit_code: int = 0) -> FakeDocker:
    bin_dir = folder / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    log = folder / "docker-calls.jsonl"
    script = bin_dir / "docker"
    script.write_text(FAKE_DOCKER.format(python=sys.executable, log=str(log), exit_code=exit_code))
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return FakeDocker(bin_dir, log)


@pytest.fixture
def fake_docker(tmp_path, monkeypatch):
    """A fake `docker` first on PATH (for this process and the subprocesses it starts)."""
    fake = write_fake_docker(tmp_path)
    monkeypatch.setenv("PATH", f"{fake.bin_dir}{os.pathsep}{os.environ['PATH']}")
    return fake


@dataclass
class RunningAgent:
    url: str
    token: str
    project_dir: Path


@pytest.fixture
def agent_token():
    return secrets.token_urlsafe(32)


@pytest.fixture
def agent_thread(app, fake_docker, agent_token, tmp_path):
    """The real agent WSGI app in a server thread (werkzeug's, which stops cleanly; the
    command's waitress is covered by `agent_process`), auditing into the test database."""
    from werkzeug.serving import make_server

    from plugins.ops.agent.actions import Limits
    from plugins.ops.agent.app import AgentSettings, OpsAgent
    from plugins.ops.agent.cli import database_audit

    project = tmp_path / "project"
    project.mkdir()
    agent = OpsAgent(AgentSettings(agent_token, str(project), Limits(scale_max=5)), audit=database_audit(app))
    server = make_server("127.0.0.1", 0, agent, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield RunningAgent(f"http://127.0.0.1:{server.server_port}", agent_token, project)
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def wait_for_agent(url: str, token: str, proc, timeout: float = 30) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"ops agent exited with {proc.returncode}")
        try:
            urllib.request.urlopen(urllib.request.Request(url + "/v1/ping", headers={"X-OPS-TOKEN": token}),
                                   timeout=1)
            return
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"ops agent answered {exc.code} to its own token") from exc
        except OSError:
            time.sleep(0.1)
    raise AssertionError("ops agent did not start")


@pytest.fixture
def agent_process(app, fake_docker, agent_token, tmp_path, monkeypatch):
    """`zapdesk ops-agent` in a subprocess, with the fake docker on its PATH."""
    import subprocess

    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.setenv("ENABLE_OPS_AGENT", "true")
    monkeypatch.setenv("OPS_AGENT_TOKEN", agent_token)
    monkeypatch.setenv("ZAPDESK_OPS_AGENT_PROJECT_DIR", str(project))
    port = free_port()
    log = open(tmp_path / "agent.log", "w+")  # a file, not a pipe: a full pipe would block it
    proc = start_zapdesk("ops-agent", "--port", str(port), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_agent(url, agent_token, proc)
        yield RunningAgent(url, agent_token, project)
    finally:
        stop_process(proc)
        log.close()


@pytest.fixture
def web_uses_agent(app, monkeypatch):
    """Point the web app's config at a running agent (or anywhere)."""
    def _configure(url: str, token: str):
        monkeypatch.setitem(app.config, "ENABLE_OPS_AGENT", True)
        monkeypatch.setitem(app.config, "OPS_AGENT_URL", url)
        monkeypatch.setitem(app.config, "OPS_AGENT_TOKEN", token)

    return _configure
