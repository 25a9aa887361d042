"""/zapnodes through the Flask test client, against simulated ZAP nodes (the stand-in
for ZAP); database, audit and permissions are real."""
import re

from plugins.nodes import service
from plugins.nodes.models import ZapNode
from zapdesk.extensions import db
from zapdesk.models import AuditEvent


def node_names(app) -> list[str]:
    with app.app_context():
        return [n.name for n in service.list_nodes()]


def test_admin_adds_a_node_and_the_key_is_never_shown(app, admin_client, sim_node):
    sim = sim_node(api_key="very-secret-key-123")
    response = admin_client.post("/zapnodes", data={"name": "zap-1", "base_url": sim.url,
                                                    "api_key": "very-secret-key-123", "kind": "external",
                                                    "capacity": "3", "enabled": "on"})
    assert response.status_code == 302
    page = admin_client.get("/zapnodes").get_data(as_text=True)
    assert "zap-1" in page and "healthy" in page and "zapdesk-simulator" in page
    with app.app_context():
        node_id = service.list_nodes()[0].id
    edit = admin_client.get(f"/zapnodes/{node_id}/edit").get_data(as_text=True)
    assert "API key is set" in edit
    for html in (page, edit):
        assert "very-secret-key-123" not in html


def test_form_errors_keep_nothing_and_echo_no_key(app, admin_client):
    response = admin_client.post("/zapnodes", data={"name": "", "base_url": "http://u:p@zap:8080",
                                                    "api_key": "typed-secret", "kind": "external", "capacity": "0"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a name" in html and "Remove the user name and password" in html
    assert "Capacity must be between 1 and 64" in html and "typed-secret" not in html
    assert node_names(app) == []


def test_unreachable_wrong_key_and_html_are_form_errors(app, admin_client, sim_node):
    cases = [(sim_node(api_key="right"), "wrong", "API key rejected"),
             (sim_node(fault="html"), "key", "HTML page"),
             (sim_node(fault="refuse"), "key", "connection refused")]
    for sim, key, message in cases:
        response = admin_client.post("/zapnodes", data={"name": "zap-x", "base_url": sim.url, "api_key": key,
                                                        "kind": "external", "capacity": "2"})
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert node_names(app) == []


def test_viewer_and_engineer_read_only(login_as, registered_node):
    registered_node(name="zap-ro")
    for role in ("viewer", "engineer"):
        client = login_as(role)
        html = client.get("/zapnodes").get_data(as_text=True)
        assert "zap-ro" in html and "Add node" not in html and "Test all" not in html
        node_id = re.search(r'id="node-(\d+)"', html).group(1)
        for path in (f"/zapnodes/{node_id}/test", "/zapnodes/test-all", f"/zapnodes/{node_id}/delete",
                     f"/zapnodes/{node_id}/disable", "/zapnodes"):
            assert client.post(path, data={"name": "x"}).status_code == 403
        assert client.get("/zapnodes/new").status_code == 403


def test_htmx_test_swaps_the_row_with_the_result(app, admin_client, registered_node):
    node = registered_node(name="zap-t")
    node.sim.set_fault("bad_key")
    response = admin_client.post(f"/zapnodes/{node.id}/test", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert f'<tr id="node-{node.id}"' in html and "<html" not in html, "just the row"
    assert "unhealthy" in html and "API key rejected" in html
    with app.app_context():
        events = db.session.query(AuditEvent).filter_by(action="node.status").all()
        assert [e.outcome for e in events][-1] == "unhealthy"


def test_delete_is_refused_while_scans_run(app, admin_client, registered_node):
    node = registered_node(name="zap-busy")
    with app.app_context():
        assert service.claim_slot(node.id)
    response = admin_client.post(f"/zapnodes/{node.id}/delete", follow_redirects=True)
    assert "Not deleted" in response.get_data(as_text=True) and "running 1 scan" in response.get_data(as_text=True)
    with app.app_context():
        service.release_slot(node.id)
    admin_client.post(f"/zapnodes/{node.id}/delete")
    assert node_names(app) == []


def test_disable_and_edit_replace_key(app, admin_client, registered_node, sim_node):
    node = registered_node(name="zap-e", api_key="old")
    admin_client.post(f"/zapnodes/{node.id}/disable")
    with app.app_context():
        assert service.get_node(node.id).status == "disabled"
    other = sim_node(api_key="new-key")
    response = admin_client.post(f"/zapnodes/{node.id}", data={"name": "zap-e2", "base_url": other.url,
                                                               "api_key": "new-key", "kind": "internal", "capacity": "4"})
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(ZapNode, node.id)
        assert (saved.name, saved.kind, saved.capacity) == ("zap-e2", "internal", 4)
        assert service.client_for(saved).version()
