"""The scan engine: `advance(scan_id, expected_tick)` is one short tick of a scan's state
machine (DESIGN.md §5). It claims the scan with a compare-and-set on `scan.tick`, makes
one or a few ZAP calls, saves the new state (the save is checked against the claimed
tick, so a duplicate or late tick can never overwrite a newer one) and re-enqueues
itself: at once after a transition, else with a delay. `tick_due_at` says when the next
tick is overdue; the pump (jobs.pump_ticks) re-arms the scans whose tick went missing."""
from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError

from plugins.nodes.zaperrors import ZapApiError, ZapAuthError, ZapError
from zapdesk.extensions import db
from zapdesk.jobs import enqueue
from zapdesk.models import utcnow

from .clock import after, seconds_since
from .collect import IncompleteAlerts, collect
from .models import TERMINAL_STATES, Scan
from .node_choice import choose_node
from .node_setup import prepare_node
from .phases import PhaseFailed, phases_for, resolve
from .scan_run import ScanRun
from .transitions import end_attempt, finish, open_attempt, stop_zap_work

log = logging.getLogger(__name__)
NOW, LATER, QUEUED, FINISHED = "now", "later", "queued", "finished"
JOB = "plugins.scans.jobs.advance_scan"


def config(key: str):
    return current_app.config[key]


def claim(scan_id: int, expected_tick: int) -> bool:
    """Take the scan for this tick; False if another tick got there first."""
    result = db.session.execute(
        update(Scan).where(Scan.id == scan_id, Scan.tick == expected_tick, Scan.state.not_in(TERMINAL_STATES))
        .values(tick=expected_tick + 1, tick_due_at=after(config("SCANS_TICK_LEASE_S")))
        .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def advance(scan_id: int, expected_tick: int, client_factory=None) -> str:
    """One tick. Returns what happened: stale, lost, now, later, queued or finished."""
    if not claim(scan_id, expected_tick):
        return "stale"
    scan = db.session.get(Scan, scan_id, populate_existing=True)
    run = ScanRun(scan, client_factory=client_factory)
    outcome = step(run)
    delay = next_delay(outcome)
    try:
        scan.tick_due_at = None if delay is None else after(delay + overdue_grace(delay))
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        undo_claimed_slot(run)
        log.warning("scan %s: a newer tick took over; this tick's result is dropped", scan_id)
        return "lost"
    for action in run.after_commit:
        action()
    if delay is not None:
        enqueue_tick(scan.id, scan.tick, delay)
    return outcome


def next_delay(outcome: str) -> float | None:
    """Seconds until the next tick; None when the scan has ended."""
    return {NOW: 0.0, LATER: float(config("SCANS_TICK_INTERVAL_S")),
            QUEUED: float(config("SCANS_QUEUED_RECHECK_S"))}.get(outcome)


def overdue_grace(delay: float) -> float:
    """How long after its due time a tick counts as lost (the pump then re-arms it):
    an immediate tick may wait in a busy queue up to a lease, a delayed one a bit more
    than RQ's scheduler needs to move it."""
    return float(config("SCANS_TICK_LEASE_S")) if delay == 0 else float(config("SCANS_TICK_GRACE_S"))


def undo_claimed_slot(run) -> None:
    node_id = run.notes.get("claimed_node_id")
    if node_id:
        from plugins.nodes.service import release_slot

        release_slot(node_id)


def enqueue_tick(scan_id: int, tick: int, delay: float = 0.0) -> None:
    """Best effort: if Redis is away, the pump re-arms the tick once it is overdue."""
    try:
        enqueue(JOB, scan_id, tick, queue="scans", timeout=int(config("SCANS_TICK_LEASE_S")), delay=delay or None)
    except Exception as exc:
        log.warning("scan %s: could not enqueue its next tick (%s); the pump will", scan_id, exc)


def step(run) -> str:
    scan = run.scan
    if scan.cancel_requested:
        return cancel(run)
    if scan.state == "queued":
        return try_start(run)
    try:
        return step_on_node(run)
    except (ZapAuthError, ZapApiError) as exc:
        end_attempt(run, f"node {node_name(scan)}: {exc}")
    except ZapError as exc:
        return node_trouble(run, exc)
    except IncompleteAlerts as exc:
        return node_trouble(run, exc)
    except PhaseFailed as exc:
        stop_zap_work(run)
        finish(run, "failed", str(exc))
    except Exception as exc:  # a bug must not loop forever: it gets the node retry window
        log.exception("scan %s: unexpected error in state %s", scan.id, scan.state)
        return node_trouble(run, RuntimeError(f"internal error ({type(exc).__name__}); see the worker log"))
    return after_transition(scan)


def after_transition(scan) -> str:
    if scan.state in TERMINAL_STATES:
        return FINISHED
    return QUEUED if scan.state == "queued" else NOW


def step_on_node(run) -> str:
    scan = run.scan
    if timed_out(scan):
        return time_out(run)
    if scan.state == "starting":
        start_scan(run)
        return NOW
    if scan.state == "collecting":
        collect(run)
        return FINISHED
    return poll_phase(run)


def node_name(scan) -> str:
    return scan.node.name if scan.node else f"#{scan.node_id}"


def node_trouble(run, exc: Exception) -> str:
    """A node that does not answer (or answers garbage) gets a bounded retry window."""
    scan = run.scan
    scan.node_error_since = scan.node_error_since or utcnow()
    waited = seconds_since(scan.node_error_since)
    if waited < config("SCANS_NODE_RETRY_S"):
        scan.queued_reason = f"retrying: node {node_name(scan)} did not answer properly ({exc})"
        return LATER
    end_attempt(run, f"node {node_name(scan)} did not answer properly for {int(waited)}s: {exc}",
                node_answers=False)
    return after_transition(scan)


def try_start(run) -> str:
    scan = run.scan
    node, reason = choose_node(scan)
    if node is None:
        scan.queued_reason = reason
        return QUEUED
    run.notes["claimed_node_id"] = node.id
    scan.node, scan.state, scan.queued_reason = node, "starting", ""
    scan.started_at = scan.started_at or utcnow()
    scan.attempt_started_at = utcnow()
    open_attempt(scan, node)
    return NOW


def start_scan(run) -> None:
    scan = run.scan
    phases = phases_for(run.profile)
    if not phases:
        raise PhaseFailed(f"profile {run.profile.name} runs no phases")
    prepare_node(run)
    # The node's session keeps earlier scans' alerts: start this target from none, so
    # what this scan reports is what it found (and a fixed issue can be resolved).
    run.client.delete_alerts(run.target.base_url)
    scan.phases = [p.name for p in phases]
    scan.phase_progress = {p.name: 0 for p in phases}
    enter_phase(run, 0)


def enter_phase(run, index: int) -> None:
    scan = run.scan
    if index > 0:
        run.mark_time(scan.phases[index - 1], "end")
    scan.phase_index = index
    if index >= len(scan.phases):
        scan.state = "collecting"
        run.mark_time("collecting", "start")
        return
    phase = resolve(run.profile, scan.phases[index])
    scan.state = phase.name
    run.mark_time(phase.name, "start")
    scan.progress_signature, scan.progress_changed_at = "", utcnow()
    phase.start(run)


def poll_phase(run) -> str:
    scan = run.scan
    phase = resolve(run.profile, scan.state)
    if phase is None:
        raise PhaseFailed(f"no plugin provides the phase {scan.state!r} any more")
    progress = max(0, min(int(phase.poll(run)), 100))
    scan.phase_progress = {**scan.phase_progress, phase.name: progress}
    scan.node_error_since = None
    if progress >= 100:
        enter_phase(run, scan.phase_index + 1)
        return NOW
    scan.messages_count = run.client.number_of_messages(run.base_url)
    if stuck(scan, progress):
        end_attempt(run, f"stuck: no progress for {int(seconds_since(scan.progress_changed_at))}s "
                         f"in {phase.name} at {progress}% ({scan.messages_count} messages)")
        return after_transition(scan)
    return LATER


def stuck(scan, progress: int) -> bool:
    signature = f"{scan.state}:{progress}:{scan.messages_count}"
    if signature != scan.progress_signature:
        scan.progress_signature, scan.progress_changed_at = signature, utcnow()
        return False
    return seconds_since(scan.progress_changed_at) > config("SCANS_STUCK_AFTER_S")


def timed_out(scan) -> bool:
    limit = scan.profile.max_duration_s if scan.profile else None
    return bool(limit and scan.started_at and seconds_since(scan.started_at) > limit)


def time_out(run) -> str:
    scan = run.scan
    progress = scan.phase_progress.get(scan.state, 0)
    stop_zap_work(run)
    finish(run, "timed_out", f"stopped after the profile's maximum duration ({scan.profile.max_duration_s}s) "
                             f"in {scan.state} at {progress}%")
    return FINISHED


def cancel(run) -> str:
    scan = run.scan
    if scan.node_id:
        stop_zap_work(run)
    finish(run, "cancelled", scan.error or "cancelled")
    return FINISHED
