"""/scans (launch, list with filters, live status) and /scans/<id> (live progress, cancel)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from plugins.profiles import service as profiles
from zapdesk.permissions import require
from zapdesk.webui import is_htmx

from .. import service
from ..launch import LaunchError, cancel_scan, launch_scan
from ..models import RUNNING_STATES
from zapdesk.plugins import collect_sections
from . import bp

STATE_FILTERS = {"active": ("queued", *RUNNING_STATES), "queued": ("queued",), "running": RUNNING_STATES,
                 "done": ("done",), "problems": ("failed", "timed_out", "cancelled")}
PAGE_SIZE = 50


def filtered_scans():
    states = STATE_FILTERS.get(request.args.get("state", ""))
    target_id = request.args.get("target_id", type=int)
    profile_id = request.args.get("profile_id", type=int)
    page = max(request.args.get("page", 1, type=int), 1)
    return service.list_scans(target_id=target_id, states=states, profile_id=profile_id,
                              limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE), page


@bp.get("/scans")
@require("scans.view")
def index():
    scans, page = filtered_scans()
    live = any(not s.is_finished for s in scans)
    if is_htmx() and request.args.get("fragment") == "rows":
        return render_template("scans/_rows.html", scans=scans, live=live)
    return render_template("scans/index.html", scans=scans, live=live, page=page,
                           targets=profiles.list_targets(), profiles=profiles.list_profiles(),
                           state_filters=STATE_FILTERS, args=request.args)


@bp.post("/scans")
@require("scans.operate")
def launch():
    target = profiles.get_target(request.form.get("target_id", type=int) or 0)
    profile = profiles.get_profile(request.form.get("profile_id", type=int) or 0)
    try:
        scan = launch_scan(target, profile, requested_by=current_user.email)
    except LaunchError as exc:
        flash(f"The scan was not launched: {exc}.", "error")
        return redirect(request.referrer or url_for("scans.index"))
    flash(f"Scan #{scan.id} queued.", "success")
    return redirect(url_for("scans.detail", scan_id=scan.id))


def sections_for(scan) -> list:
    return collect_sections("scan_sections", scan=scan, user=current_user)


@bp.get("/scans/<int:scan_id>")
@require("scans.view")
def detail(scan_id):
    scan = service.get_scan(scan_id) or abort(404)
    if is_htmx() and request.args.get("fragment") == "progress":
        return render_template("scans/_progress.html", scan=scan)
    return render_template("scans/detail.html", scan=scan, sections=sections_for(scan))


@bp.post("/scans/<int:scan_id>/cancel")
@require("scans.operate")
def cancel(scan_id):
    scan = service.get_scan(scan_id) or abort(404)
    try:
        outcome = cancel_scan(scan, actor=current_user.email)
    except LaunchError as exc:
        flash(f"Nothing to cancel: {exc}.", "warning")
    else:
        flash(f"Scan #{scan.id}: {outcome}.", "success")
    if is_htmx():
        return render_template("scans/_progress.html", scan=service.get_scan(scan_id))
    return redirect(url_for("scans.detail", scan_id=scan_id))


@bp.app_template_filter("duration")
def duration(seconds) -> str:
    if seconds is None:
        return "—"
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


@bp.app_template_global("scan_elapsed")
def scan_elapsed(scan):
    from ..clock import as_utc
    from zapdesk.models import utcnow

    if not scan.started_at:
        return None
    end = as_utc(scan.finished_at) or utcnow()
    return (end - as_utc(scan.started_at)).total_seconds()




@bp.app_template_global("scan_overall")
def scan_overall(scan) -> int:
    """Overall progress: the phases and the collecting step weigh the same."""
    if scan.state == "done":
        return 100
    steps = [*scan.phases, "collecting"]
    return int(sum(scan.phase_progress.get(name, 0) for name in steps) / len(steps))


@bp.app_template_global("phase_took")
def phase_took(scan, phase: str):
    """Seconds a phase of the current attempt took (so far), or None if not started."""
    import time

    timing = (scan.zap_ids or {}).get("timings", {}).get(phase) or {}
    if "start" not in timing:
        return None
    return (timing.get("end") or (None if scan.is_finished else time.time()) or timing["start"]) - timing["start"]
