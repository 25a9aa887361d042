"""Checks and actions that go through the nodes and scans plugins' service functions:
failed-scan rate, the node health table, and syncing internal nodes after `scale zap N`.
Scan rows are written straight into the scans plugin's model as test data (the ops code
only reads them through scans.service.failed_scan_rate); nodes are simulated ZAP daemons."""
from __future__ import annotations

from datetime import timedelta

import pytest

from zapdesk.extensions import db
from zapdesk.models import utcnow
from zapdesk.testing import TEST_PASSWORD


def add_scans(app, *batches):
    from plugins.profiles.service import get_or_create_target
    from plugins.scans.models import Scan

    with app.app_context():
        target = get_or_create_target("http://target.example/")
        for count, state, hours_ago in batches:
            for _ in range(count):
                db.session.add(Scan(target_id=target.id, state=state, source="zap",
                                    finished_at=utcnow() - timedelta(hours=hours_ago)))
        db.session.commit()


def check(client, name) -> dict:
    return client.get("/ops/overview.json").json["checks"][name]


def test_failed_scan_rate_24h_and_7d(app, admin_client):
    add_scans(app, (3, "done", 1), (1, "failed", 2), (1, "timed_out", 3), (5, "failed", 72))
    result = check(admin_client, "failed_scans")
    assert result["status"] == "warn"  # 40 % is over the 20 % warning, under the 50 % failure
    assert result["detail"] == "24 h: 2 of 5 failed (40%); 7 d: 7 of 10 (70%)"
    assert result["metrics"]["rate_7d_percent"] == 70.0


def test_no_scans_is_not_a_failure(admin_client):
    result = check(admin_client, "failed_scans")
    assert result["status"] == "ok" and result["metrics"]["total_24h"] == 0


def test_node_health_table(app, admin_client, registered_node):
    healthy = registered_node()
    broken = registered_node(fault="refuse")
    result = check(admin_client, "nodes")
    assert result["status"] == "warn" and result["detail"] == "1 of 2 enabled nodes healthy"
    html = admin_client.get("/ops/overview").get_data(as_text=True)
    table = html.split('id="rows-nodes"', 1)[1].split("</table>", 1)[0]
    assert healthy.name in table and broken.name in table


def test_no_nodes_says_what_to_do(admin_client):
    result = check(admin_client, "nodes")
    assert result["status"] == "warn" and "add one under ZAP nodes" in result["detail"]


@pytest.fixture
def connected(agent_thread, web_uses_agent):
    web_uses_agent(agent_thread.url, agent_thread.token)
    return agent_thread


def scale(client, count):
    return client.post("/ops/actions/run", data={"action": "scale", "count": str(count),
                                                  "password": TEST_PASSWORD})


def test_scale_syncs_internal_nodes(app, admin_client, connected, fake_docker):
    from plugins.nodes.service import list_nodes

    response = scale(admin_client, 3)
    assert response.status_code == 200 and "Node registry synced" in response.get_data(as_text=True)
    assert scale(admin_client, 2).status_code == 200
    with app.app_context():
        nodes = {n.base_url: n.enabled for n in list_nodes() if n.kind == "internal"}
    assert nodes == {"http://zapdesk-zap-1:8080": True, "http://zapdesk-zap-2:8080": True,
                     "http://zapdesk-zap-3:8080": False}
    assert fake_docker.compose_args()[-1] == ["up", "--detach", "--no-recreate", "--scale", "zap=2", "zap"]


def test_failed_scale_does_not_touch_the_registry(app, admin_client, connected, tmp_path, monkeypatch):
    import os

    from plugins.nodes.service import list_nodes
    from plugins.ops.tests.conftest import write_fake_docker

    failing = write_fake_docker(tmp_path / "failing", exit_code=1)
    monkeypatch.setenv("PATH", f"{failing.bin_dir}{os.pathsep}{os.environ['PATH']}")
    response = scale(admin_client, 2)
    assert response.status_code == 200 and "Node registry" not in response.get_data(as_text=True)
    with app.app_context():
        assert list_nodes() == []
