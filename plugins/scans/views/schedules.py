"""Schedules, shown and edited in a section of the target's page (HTMX fragment)."""
from flask import abort, render_template, request
from flask_login import current_user

from plugins.profiles.service import get_profile, get_target, list_profiles
from zapdesk.extensions import db
from zapdesk.permissions import require

from .. import schedules
from ..models import Schedule
from . import bp


def render_section(target, errors=None, form=None, status=200):
    items = schedules.schedules_for_target(target.id)
    return render_template("scans/_schedules.html", target=target, schedules=items, errors=errors or {},
                           form=form or {}, profiles=list_profiles(), preview=schedules.preview), status


@bp.get("/targets/<int:target_id>/schedules")
@require("scans.view")
def target_schedules(target_id):
    return render_section(get_target(target_id) or abort(404))


@bp.post("/targets/<int:target_id>/schedules")
@require("scans.operate")
def create_schedule(target_id):
    target = get_target(target_id) or abort(404)
    form = request.form
    profile = get_profile(form.get("profile_id", type=int) or 0)
    try:
        schedules.create_schedule(target, profile, cron=form.get("cron", ""), interval_min=form.get("interval_min", ""),
                                  enabled=True, actor=current_user.email)
    except schedules.ScheduleError as exc:
        db.session.rollback()
        return render_section(target, exc.errors, form, status=200)
    db.session.commit()
    return render_section(target)


def schedule_or_404(schedule_id) -> Schedule:
    return db.session.get(Schedule, schedule_id) or abort(404)


@bp.post("/schedules/<int:schedule_id>/toggle")
@require("scans.operate")
def toggle_schedule(schedule_id):
    schedule = schedule_or_404(schedule_id)
    schedules.set_enabled(schedule, not schedule.enabled, actor=current_user.email)
    db.session.commit()
    return render_section(schedule.target)


@bp.post("/schedules/<int:schedule_id>/delete")
@require("scans.operate")
def delete_schedule(schedule_id):
    schedule = schedule_or_404(schedule_id)
    target = schedule.target
    schedules.delete_schedule(schedule, actor=current_user.email)
    db.session.commit()
    return render_section(target)
