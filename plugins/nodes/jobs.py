"""Jobs of the nodes plugin (run by `zapdesk worker`)."""
from __future__ import annotations

from flask import current_app

from .service import list_nodes, test_nodes


def check_nodes() -> dict:
    """Periodic health check: re-test every enabled node. A node turns unhealthy after
    NODE_UNHEALTHY_AFTER consecutive failures and healthy again on the first success;
    status changes are audited. Returns {node name: status}."""
    nodes = list_nodes(enabled_only=True)
    threshold = int(current_app.config.get("NODE_UNHEALTHY_AFTER", 3))
    results = test_nodes(nodes, unhealthy_after=threshold)
    return {node.name: result.status for node, result in zip(nodes, results)}
