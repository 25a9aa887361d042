"""Which node a queued scan runs on: the pinned node if it is usable, else the
`select_node` hook's pick among the healthy nodes with a free slot; the slot is then
claimed atomically, so a node's capacity is never exceeded."""
from __future__ import annotations

from plugins.nodes import service as nodes
from zapdesk.plugins import get_plugin_manager


def failed_node_ids(scan) -> set[int]:
    return {a["node_id"] for a in scan.attempts or [] if a.get("outcome") == "failed" and a.get("node_id")}


def pinned_problem(node) -> str:
    if node is None:
        return "the profile's pinned node no longer exists; edit the profile"
    if not node.enabled:
        return f"the profile's pinned node {node.name} is disabled; enable it or unpin the profile"
    if node.status != "healthy":
        return f"the profile's pinned node {node.name} is {node.status}; waiting for it to recover"
    if node.running_scans >= node.capacity:
        return f"the profile's pinned node {node.name} is busy ({node.running_scans}/{node.capacity} scans); waiting for a free slot"
    return ""


def no_node_reason(excluded: set[int]) -> str:
    registered = nodes.list_nodes()
    if not registered:
        return "no ZAP node is registered: add one on the ZAP nodes page"
    healthy = [n for n in registered if n.enabled and n.status == "healthy"]
    if not healthy:
        return f"no healthy ZAP node ({len(registered)} registered, none enabled and healthy); waiting"
    others = [n for n in healthy if n.id not in excluded]
    if not others:
        names = ", ".join(n.name for n in healthy)
        return f"waiting for a healthy node other than {names}, where an earlier attempt failed"
    used = sum(n.running_scans for n in healthy)
    slots = sum(n.capacity for n in healthy)
    return f"all healthy nodes are busy ({used}/{slots} slots in use); the scan starts when a slot frees"


def candidates_for(scan) -> tuple[list, str]:
    profile = scan.profile
    if profile is not None and profile.pinned_node_id:
        node = nodes.get_node(profile.pinned_node_id)
        problem = pinned_problem(node)
        return ([], problem) if problem else ([node], "")
    excluded = failed_node_ids(scan)
    candidates = [n for n in nodes.candidate_nodes() if n.id not in excluded]
    return candidates, "" if candidates else no_node_reason(excluded)


def choose_node(scan):
    """(node with a claimed slot, "") or (None, the reason the scan keeps waiting)."""
    candidates, reason = candidates_for(scan)
    if not candidates:
        return None, reason
    chosen = get_plugin_manager().hook.select_node(scan=scan, nodes=candidates)
    if chosen is None:
        return None, "the node selection policy chose no node; waiting"
    if not nodes.claim_slot(chosen.id):
        return None, f"node {chosen.name} filled up just before this scan could claim a slot; retrying"
    return chosen, ""
