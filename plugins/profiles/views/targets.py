"""/targets/<id> (with the target_sections other plugins add) and target forms."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from zapdesk.audit import audit
from zapdesk.extensions import db
from zapdesk.permissions import require

from .. import service, target_auth
from zapdesk.plugins import collect_sections
from ..validation import ValidationError
from . import bp

FORM_FIELDS = ("name", "base_url", "scope_include", "scope_exclude", "environment", "tags", "auth_kind",
               *{f for fields in target_auth.FIELDS.values() for f in fields})


def target_data(form) -> dict:
    return {k: form.get(k, "") for k in FORM_FIELDS if k in form}


def sections_for(target) -> list:
    return collect_sections("target_sections", target=target, user=current_user)


@bp.post("/projects/<int:project_id>/targets")
@require("profiles.operate")
def create_target(project_id):
    project = service.get_project(project_id) or abort(404)
    data = {**target_data(request.form), "project_id": project.id}
    try:
        target = service.save_target(None, data)
    except ValidationError as exc:
        db.session.rollback()
        return render_template("profiles/project.html", project=project, targets=service.list_targets(project.id),
                               errors=exc.errors, form=request.form), 400
    audit("target.create", target, url=target.base_url, auth_kind=target.auth_kind)
    db.session.commit()
    flash(f"Target {target.name} added.", "success")
    return redirect(url_for("profiles.target", target_id=target.id))


@bp.get("/targets/<int:target_id>")
@require("profiles.view")
def target(target_id):
    found = service.get_target(target_id) or abort(404)
    return render_page(found, errors={}, form={})


def render_page(found, errors, form, status=200):
    auth_view = target_auth.public_view(found.auth_kind, service.target_auth_config(found)) \
        if found.auth_kind != "none" else {}
    return render_template("profiles/target.html", target=found, sections=sections_for(found),
                           auth_view=auth_view, profiles=service.list_profiles(),
                           projects=service.list_projects(), errors=errors, form=form), status


@bp.post("/targets/<int:target_id>")
@require("profiles.operate")
def update_target(target_id):
    found = service.get_target(target_id) or abort(404)
    data = {**target_data(request.form), "project_id": request.form.get("project_id", found.project_id)}
    try:
        service.save_target(found, data)
    except ValidationError as exc:
        db.session.rollback()
        return render_page(service.get_target(target_id), errors=exc.errors, form=request.form, status=400)
    audit("target.edit", found, url=found.base_url, auth_kind=found.auth_kind)
    db.session.commit()
    flash("Target saved.", "success")
    return redirect(url_for("profiles.target", target_id=found.id))
