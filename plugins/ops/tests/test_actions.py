"""/ops/actions through the real agent (waitress thread on loopback). Docker is a fake
executable on PATH that records its argv; the password check, audit and agent are real."""
from __future__ import annotations

import time

import pytest

from zapdesk.extensions import db
from zapdesk.models import AuditEvent
from zapdesk.testing import TEST_PASSWORD, free_port


def ops_events(app) -> list[AuditEvent]:
    with app.app_context():
        return db.session.execute(db.select(AuditEvent).where(AuditEvent.action.like("ops.%"))
                                  .order_by(AuditEvent.id)).scalars().all()


@pytest.fixture
def connected(agent_thread, web_uses_agent):
    web_uses_agent(agent_thread.url, agent_thread.token)
    return agent_thread


def run(client, password=TEST_PASSWORD, **form):
    return client.post("/ops/actions/run", data={"password": password, **form},
                       headers={"HX-Request": "true"})


def test_disabled_agent_page_names_the_settings(admin_client, app, monkeypatch):
    monkeypatch.setitem(app.config, "ENABLE_OPS_AGENT", False)
    monkeypatch.setitem(app.config, "OPS_AGENT_TOKEN", "")
    html = admin_client.get("/ops/actions").get_data(as_text=True)
    for words in ("ENABLE_OPS_AGENT=true", "COMPOSE_PROFILES=ops", "OPS_AGENT_TOKEN",
                  "identical in the <code>web</code> and <code>ops</code> services"):
        assert words in html
    response = run(admin_client, action="status")
    assert response.status_code == 409 and "ENABLE_OPS_AGENT=true" in response.get_data(as_text=True)


def test_restart_with_the_password_runs_and_is_audited(app, admin_client, connected, fake_docker):
    response = run(admin_client, action="restart", service="worker", lines="10", count="2")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "fake docker ran: compose --ansi never" in html and "restart worker" in html
    assert fake_docker.compose_args() == [["restart", "worker"]]
    web_event = [e for e in ops_events(app) if e.action == "ops.restart"][0]
    assert (web_event.actor, web_event.object_id, web_event.outcome) == (admin_client.user.email, "worker", "ok")
    assert "lines" not in web_event.detail and "count" not in web_event.detail
    assert connected.token not in html


def test_wrong_password_runs_nothing(app, admin_client, connected, fake_docker):
    response = run(admin_client, password="not my password", action="restart", service="web")
    assert response.status_code == 400 and "password is incorrect" in response.get_data(as_text=True)
    assert fake_docker.calls() == []
    assert [(e.action, e.outcome) for e in ops_events(app)] == [("ops.restart", "denied")]


@pytest.mark.parametrize("form,words", [
    ({"action": "shell"}, "unknown action"),
    ({"action": "logs", "service": "ops"}, "service not allowed"),
    ({"action": "scale", "count": "11"}, "from 1 to 10"),
    ({"action": "scale", "count": "-1"}, "from 1 to 10"),
])
def test_input_outside_the_allow_list_is_400(app, admin_client, connected, fake_docker, form, words):
    response = run(admin_client, **form)
    assert response.status_code == 400 and words in response.get_data(as_text=True)
    assert fake_docker.calls() == []
    assert [e.outcome for e in ops_events(app)] == ["rejected"]
    expected = "ops.unknown_action" if form["action"] == "shell" else f"ops.{form['action']}"
    assert ops_events(app)[0].action == expected


def test_unreachable_agent_is_reported_quickly(app, admin_client, web_uses_agent, fake_docker):
    web_uses_agent(f"http://127.0.0.1:{free_port()}", "t" * 40)
    started = time.monotonic()
    response = run(admin_client, action="status")
    assert time.monotonic() - started < 5
    assert response.status_code == 502 and "unreachable" in response.get_data(as_text=True)
    status = admin_client.get("/ops/actions/agent", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "The ops agent is unreachable." in status
    assert [e.outcome for e in ops_events(app)] == ["error"]


def test_token_mismatch_says_so(admin_client, agent_thread, web_uses_agent):
    web_uses_agent(agent_thread.url, "x" * 40)
    response = run(admin_client, action="status")
    assert response.status_code == 502 and "must be identical" in response.get_data(as_text=True)


def test_agent_status_fragment(admin_client, connected):
    html = admin_client.get("/ops/actions/agent", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "The ops agent answers" in html


def test_viewer_cannot_run_actions(login_as, connected, fake_docker):
    assert run(login_as("viewer"), action="status").status_code == 403
    assert fake_docker.calls() == []


def test_an_agent_that_never_answers_does_not_hang_the_page(app, admin_client, web_uses_agent, monkeypatch):
    """A socket that accepts connections (kernel backlog) but never answers."""
    import socket

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        web_uses_agent(f"http://127.0.0.1:{silent.getsockname()[1]}", "s" * 40)
        monkeypatch.setitem(app.config, "OPS_AGENT_CONNECT_TIMEOUT", 0.3)
        monkeypatch.setitem(app.config, "OPS_AGENT_TIMEOUT", 0.5)
        started = time.monotonic()
        response = run(admin_client, action="status")
        status = admin_client.get("/ops/actions/agent", headers={"HX-Request": "true"}).get_data(as_text=True)
        elapsed = time.monotonic() - started
    assert response.status_code == 502 and "did not answer within 0.5 s" in response.get_data(as_text=True)
    assert "The ops agent is unreachable." in status and "did not answer within 0.3 s" in status
    assert elapsed < 5


def test_something_else_on_the_agent_port_is_reported(admin_client, web_uses_agent):
    """A server that answers garbage instead of HTTP."""
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def answer_garbage():
        conn, _ = server.accept()
        conn.recv(4096)
        conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
        conn.close()

    threading.Thread(target=answer_garbage, daemon=True).start()
    web_uses_agent(f"http://127.0.0.1:{server.getsockname()[1]}", "g" * 40)
    response = run(admin_client, action="status")
    server.close()
    assert response.status_code == 502 and "does not speak HTTP" in response.get_data(as_text=True)
