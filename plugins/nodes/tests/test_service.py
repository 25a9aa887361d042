"""The node registry's service functions, on the real database, against simulated ZAP
nodes (the simulator stands in for ZAP; nothing else is mocked)."""
import pytest

from plugins.nodes import service
from plugins.nodes.models import ZapNode
from plugins.nodes.validation import NodeValidationError
from zapdesk.extensions import db
from zapdesk.models import AuditEvent


def node_count() -> int:
    return db.session.query(ZapNode).count()


def test_add_node_checks_the_node_and_encrypts_the_key(app_ctx, sim_node):
    sim = sim_node(api_key="s3cret-key")
    node = service.add_node("zap-a", sim.url + "/", "s3cret-key")
    assert node.base_url == sim.url, "trailing slash normalised away"
    assert node.status == "healthy" and node.version.endswith("zapdesk-simulator")
    assert node.latency_ms is not None and node.latency_ms >= 0
    assert "s3cret-key" not in node.api_key_encrypted
    assert service.client_for(node).version() == node.version
    assert [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)] == ["node.add", "node.status"]


@pytest.mark.parametrize("url, message", [
    ("ftp://zap:8080", "http:// or https://"),
    ("http://admin:pw@zap:8080", "Remove the user name and password"),
    ("http://zap:99999", "not a valid URL"),
    ("", "Enter the node's URL"),
    ("http://zap:8080/?apikey=x", "query string"),
])
def test_bad_urls_are_refused_and_nothing_is_saved(app_ctx, url, message):
    with pytest.raises(NodeValidationError) as caught:
        service.add_node("zap-b", url, "key", verify=False)
    assert message in caught.value.errors["base_url"]
    assert node_count() == 0


def test_empty_key_duplicate_name_and_url(app_ctx, sim_node):
    sim = sim_node()
    with pytest.raises(NodeValidationError) as caught:
        service.add_node("zap-c", sim.url, "  ")
    assert "API key" in caught.value.errors["api_key"]
    service.add_node("zap-c", sim.url, "key")
    with pytest.raises(NodeValidationError) as caught:
        service.add_node("ZAP-C", sim.url.upper().replace("HTTP", "http"), "key")
    assert "already exists" in caught.value.errors["name"]
    assert "already uses this URL" in caught.value.errors["base_url"]
    assert node_count() == 1


@pytest.mark.parametrize("fault, field, message", [
    ("bad_key", "api_key", "API key rejected"),
    ("html", "base_url", "HTML page"),
    ("refuse", "base_url", "connection refused"),
])
def test_verification_failures_are_field_errors(app_ctx, sim_node, fault, field, message):
    sim = sim_node(fault=fault)
    with pytest.raises(NodeValidationError) as caught:
        service.add_node("zap-d", sim.url, "key")
    assert message in caught.value.errors[field]
    assert node_count() == 0


def test_wrong_key_is_reported_as_rejected(app_ctx, sim_node):
    sim = sim_node(api_key="right")
    with pytest.raises(NodeValidationError) as caught:
        service.add_node("zap-e", sim.url, "wrong")
    assert caught.value.errors == {"api_key": "API key rejected"}


def test_claim_slot_never_exceeds_capacity(app_ctx, registered_node):
    node = registered_node(capacity=2)
    assert [service.claim_slot(node.id) for _ in range(3)] == [True, True, False]
    assert service.candidate_nodes() == []
    service.release_slot(node.id)
    assert [n.id for n in service.candidate_nodes()] == [node.id]
    for _ in range(3):
        service.release_slot(node.id)
    assert service.get_node(node.id).running_scans == 0


def test_claim_slot_refuses_unhealthy_and_disabled(app_ctx, registered_node):
    node = service.get_node(registered_node().id)
    service.set_enabled(node, False)
    assert not service.claim_slot(node.id)
    service.set_enabled(node, True)
    assert node.status == "unknown" and not service.claim_slot(node.id)
    service.test_node(node)
    assert service.claim_slot(node.id)


def test_sync_running_counts(app_ctx, registered_node):
    a, b = registered_node(), registered_node()
    service.claim_slot(a.id)
    service.sync_running_counts({b.id: 2})
    assert (service.get_node(a.id).running_scans, service.get_node(b.id).running_scans) == (0, 2)


def test_hook_select_node(app_ctx, registered_node):
    """The default (trylast) choice: most free capacity, then lowest latency, then id."""
    from zapdesk.plugins import get_plugin_manager

    a, b, c = (service.get_node(registered_node(capacity=cap).id) for cap in (2, 3, 3))
    a.latency_ms, b.latency_ms, c.latency_ms = 5, 9, 7
    db.session.commit()
    hook = get_plugin_manager().hook.select_node
    assert hook(scan=None, nodes=[a, b, c]).id == c.id
    c.running_scans = 1
    assert hook(scan=None, nodes=[a, b, c]).id == b.id
    b.latency_ms = c.latency_ms = a.latency_ms = None
    assert hook(scan=None, nodes=[a, b]).id == b.id
    assert hook(scan=None, nodes=[]) is None


def test_sync_internal_nodes_adds_disables_and_reenables(app_ctx):
    first = service.sync_internal_nodes(["http://zap-1:8080", "http://zap-2:8080/"], "internal-key")
    assert first["added"] == ["internal-zap-1-8080", "internal-zap-2-8080"]
    assert all("internal-key" not in n.api_key_encrypted for n in service.list_nodes())
    second = service.sync_internal_nodes(["http://zap-1:8080"], "internal-key")
    assert second["disabled"] == ["internal-zap-2-8080"] and second["kept"] == ["internal-zap-1-8080"]
    assert {n.name: n.status for n in service.list_nodes()}["internal-zap-2-8080"] == "disabled"
    third = service.sync_internal_nodes(["http://zap-1:8080", "http://zap-2:8080"], "internal-key")
    assert third["enabled"] == ["internal-zap-2-8080"] and len(service.list_nodes()) == 2
    with pytest.raises(NodeValidationError):
        service.sync_internal_nodes(["ftp://zap-3"], "internal-key")
