"""State transitions that end an attempt or a scan. Side effects on other rows or
services (releasing the node slot, firing scan_finished, removing credentials from the
node) are queued on `run.after_commit` and happen only once the scan row is saved."""
from __future__ import annotations

import logging

from plugins.nodes import service as nodes
from zapdesk.models import utcnow

from . import node_setup, storage
from .clock import iso
from .models import RUNNING_STATES

log = logging.getLogger(__name__)


def open_attempt(scan, node) -> None:
    scan.attempts = [*(scan.attempts or []), {
        "attempt": scan.attempt, "node_id": node.id, "node": node.name, "started_at": iso(utcnow()),
        "ended_at": None, "outcome": "running", "error": ""}]


def close_attempt(scan, outcome: str, error: str = "") -> None:
    attempts = [dict(a) for a in scan.attempts or []]
    if attempts and attempts[-1]["outcome"] == "running":
        attempts[-1].update(ended_at=iso(utcnow()), outcome=outcome, error=error[:2000])
    scan.attempts = attempts


def leave_node(run, remove_credentials: bool = True) -> None:
    """Queue the slot release (and credential removal) for after the commit."""
    scan = run.scan
    if scan.node_id is None or scan.state not in RUNNING_STATES:
        return
    node_id = scan.node_id
    run.after_commit.append(lambda: nodes.release_slot(node_id))
    if remove_credentials and scan.zap_ids.get("replacer_rules"):
        run.after_commit.append(lambda: best_effort(node_setup.remove_auth, run))


def best_effort(func, *args) -> None:
    try:
        func(*args)
    except Exception as exc:  # the attempt is already over; a failed clean-up is only logged
        log.warning("scan clean-up step %s failed: %s", getattr(func, "__name__", func), exc)


def finish(run, state: str, error: str = "") -> None:
    """End the scan in a terminal state."""
    scan = run.scan
    leave_node(run)
    close_attempt(scan, state, error)
    scan.state = state
    scan.error = error[:4000]
    scan.finished_at = utcnow()
    if state == "done":
        from .service import fire_scan_finished

        run.after_commit.append(lambda: fire_scan_finished(scan))


def stop_zap_work(run) -> None:
    """Stop the current phase's ZAP work, best effort (cancel, timeout, failed attempt)."""
    from .phases import resolve

    phase = resolve(run.profile, run.scan.state) if run.profile else None
    if phase is not None and run.scan.node_id:
        best_effort(phase.stop, run)


def end_attempt(run, reason: str, node_answers: bool = True) -> None:
    """This attempt failed: re-queue the scan onto another node if the failover policy
    allows, else fail it with `reason`."""
    scan = run.scan
    if node_answers:
        stop_zap_work(run)
    if scan.attempt > run.config("SCANS_FAILOVER_ATTEMPTS"):
        finish(run, "failed", reason)
        return
    if not failover_node_exists(scan):
        finish(run, "failed", f"{reason} (no other healthy node to fail over to)")
        return
    leave_node(run, remove_credentials=node_answers)
    close_attempt(scan, "failed", reason)
    requeue(scan, reason)


def failover_node_exists(scan) -> bool:
    """Pinned scans retry on their node; others need a healthy node not yet tried."""
    if scan.profile is not None and scan.profile.pinned_node_id:
        return True
    tried = {a["node_id"] for a in scan.attempts or []} | {scan.node_id}
    return any(n.enabled and n.status == "healthy" and n.id not in tried for n in nodes.list_nodes())


def requeue(scan, reason: str) -> None:
    node_name = scan.node.name if scan.node else "its node"
    storage.discard(scan.id)
    scan.state, scan.node_id, scan.node = "queued", None, None
    scan.attempt += 1
    scan.phases, scan.phase_index, scan.phase_progress, scan.zap_ids = [], 0, {}, {}
    scan.urls_count = scan.messages_count = scan.alerts_count = 0
    scan.node_error_since = None
    scan.progress_signature, scan.progress_changed_at = "", None
    scan.queued_reason = f"attempt {scan.attempt - 1} on {node_name} failed ({reason}); waiting for another node"
