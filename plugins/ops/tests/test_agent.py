"""The ops agent over real HTTP (waitress, loopback). Docker is mocked by a fake `docker`
executable on PATH that records its argv; everything else is real, including the audit
trail in the test database."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from zapdesk.extensions import db
from zapdesk.models import AuditEvent
from zapdesk.testing import run_zapdesk

from plugins.ops.agent.actions import ActionRejected, Limits, compose_args


def request(agent, path, body=None, token=None, method=None):
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["X-OPS-TOKEN"] = token
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(agent.url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def audit_rows(app, action):
    with app.app_context():
        return db.session.execute(db.select(AuditEvent).where(AuditEvent.action == action)
                                  .order_by(AuditEvent.id)).scalars().all()


@pytest.mark.parametrize("path,method", [("/v1/ping", "GET"), ("/v1/actions", "POST"),
                                         ("/no/such/path", "GET"), ("/", "DELETE")])
@pytest.mark.parametrize("token", [None, "wrong-token", ""])
def test_every_path_needs_the_token_before_routing(app, agent_thread, fake_docker, path, method, token):
    status, body = request(agent_thread, path, body={"action": "status"} if method == "POST" else None,
                           token=token, method=method)
    assert status == 401 and "X-OPS-TOKEN" in body["error"]
    denied = audit_rows(app, "ops_agent.auth")
    assert [(e.outcome, e.detail["path"], e.ip) for e in denied] == [("denied", path, "127.0.0.1")]
    assert fake_docker.calls() == []


def test_unknown_path_with_token_is_404(agent_thread):
    assert request(agent_thread, "/v1/nope", token=agent_thread.token)[0] == 404


def test_restart_runs_docker_compose_with_an_argument_list(app, agent_thread, fake_docker):
    status, body = request(agent_thread, "/v1/actions", {"action": "restart", "service": "worker",
                                                         "actor": "a@example.com"}, agent_thread.token)
    assert status == 200 and body["ok"] and body["exit_code"] == 0
    assert "fake docker ran: compose --ansi never" in body["output"]
    (call,) = fake_docker.calls()
    assert call["argv"] == ["compose", "--ansi", "never", "--project-directory",
                            str(agent_thread.project_dir), "restart", "worker"]
    assert call["cwd"] == str(agent_thread.project_dir)
    assert call["env_has_token"] is False, "the token must not reach docker's environment"
    (event,) = audit_rows(app, "ops_agent.action")
    assert event.outcome == "ok" and event.detail["argv"] == ["restart", "worker"]
    assert event.detail["by"] == "a@example.com" and event.actor == "ops-agent"


@pytest.mark.parametrize("body,message", [
    ({"action": "rm -rf /"}, "unknown action"),
    ({"action": "restart", "service": "postgres; reboot"}, "service not allowed"),
    ({"action": "logs", "service": "ops"}, "service not allowed"),
    ({"action": "scale", "count": 6}, "from 1 to 5"),
    ({"action": "scale", "count": 0}, "from 1 to 5"),
    ({"action": "scale", "count": "three"}, "whole number"),
    ({"action": "logs", "service": "web", "lines": 999999}, "lines must be"),
])
def test_input_outside_the_allow_list_is_400(app, agent_thread, fake_docker, body, message):
    status, answer = request(agent_thread, "/v1/actions", body, agent_thread.token)
    assert status == 400 and message in answer["error"]
    assert fake_docker.calls() == []
    assert [e.outcome for e in audit_rows(app, "ops_agent.action")] == ["rejected"]


def test_non_json_body_is_400(agent_thread):
    req = urllib.request.Request(agent_thread.url + "/v1/actions", data=b"action=status",
                                 headers={"X-OPS-TOKEN": agent_thread.token}, method="POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 400


def test_failing_docker_is_reported_not_hidden(app, agent_thread, tmp_path, monkeypatch):
    from plugins.ops.tests.conftest import write_fake_docker

    failing = write_fake_docker(tmp_path / "failing", exit_code=3)
    monkeypatch.setenv("PATH", f"{failing.bin_dir}:{__import__('os').environ['PATH']}")
    status, body = request(agent_thread, "/v1/actions", {"action": "status"}, agent_thread.token)
    assert status == 200 and body["ok"] is False and body["exit_code"] == 3
    assert audit_rows(app, "ops_agent.action")[0].outcome == "error"


def test_compose_arguments_of_each_action():
    limits = Limits(services=("web", "worker", "zap"), scale_max=4)
    assert compose_args("status", {}, limits) == ["ps", "--all"]
    assert compose_args("logs", {"service": "web", "lines": "50"}, limits) == [
        "logs", "--no-color", "--timestamps", "--tail", "50", "web"]
    assert compose_args("rebuild", {"service": "worker"}, limits) == [
        "up", "--detach", "--build", "--no-deps", "worker"]
    assert compose_args("redeploy", {}, limits) == ["up", "--detach", "--remove-orphans"]
    assert compose_args("scale", {"count": "4"}, limits) == [
        "up", "--detach", "--no-recreate", "--scale", "zap=4", "zap"]
    with pytest.raises(ActionRejected):
        compose_args("restart", {"service": "scheduler"}, limits)


def test_refuses_to_start_with_one_clear_line(app, monkeypatch):
    """The real command in a subprocess: exit 2 and one line naming the setting."""
    monkeypatch.setenv("ENABLE_OPS_AGENT", "false")
    monkeypatch.setenv("OPS_AGENT_TOKEN", "x" * 40)
    result = run_zapdesk("ops-agent", "--port", "1", timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "set ENABLE_OPS_AGENT=true" in lines[0]
    assert "xxxxxxxxxx" not in result.stderr


def test_refuses_a_short_token(app, monkeypatch):
    """The same command in-process (click's runner), a token one character too short."""
    from click.testing import CliRunner

    from flask.cli import ScriptInfo

    from plugins.ops.agent.cli import ops_agent_command

    monkeypatch.setitem(app.config, "ENABLE_OPS_AGENT", True)
    monkeypatch.setitem(app.config, "OPS_AGENT_TOKEN", "x" * 31)
    result = CliRunner().invoke(ops_agent_command, ["--port", "1"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 2
    assert result.output.strip() == ("error: OPS_AGENT_TOKEN must be set to at least 32 characters "
                                     "(the same value in the web and ops services)")


@pytest.mark.parametrize("config,refused", [
    ({"ENABLE_OPS_AGENT": True, "OPS_AGENT_TOKEN": ""}, True),
    ({"ENABLE_OPS_AGENT": True, "OPS_AGENT_TOKEN": None}, True),
    ({"ENABLE_OPS_AGENT": False, "OPS_AGENT_TOKEN": "y" * 32}, True),
    ({"ENABLE_OPS_AGENT": True, "OPS_AGENT_TOKEN": "y" * 32}, False),
])
def test_start_rules(config, refused):
    from plugins.ops.agent.cli import refusal

    assert (refusal(config) is not None) is refused


def test_the_command_serves_the_agent(app, agent_process, fake_docker):
    """`zapdesk ops-agent` as a subprocess: token checked, action run, audited in the DB."""
    assert request(agent_process, "/v1/ping")[0] == 401
    status, body = request(agent_process, "/v1/actions", {"action": "scale", "count": 2}, agent_process.token)
    assert status == 200 and body["ok"]
    assert fake_docker.compose_args() == [["up", "--detach", "--no-recreate", "--scale", "zap=2", "zap"]]
    assert [e.outcome for e in audit_rows(app, "ops_agent.auth")] == ["denied"]
    assert [e.outcome for e in audit_rows(app, "ops_agent.action")] == ["ok"]
