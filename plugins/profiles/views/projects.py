"""/projects and /projects/<id>."""
from flask import abort, flash, redirect, render_template, request, url_for

from zapdesk.audit import audit
from zapdesk.extensions import db
from zapdesk.permissions import require

from .. import service
from ..validation import ValidationError
from . import bp


@bp.get("/projects")
@require("profiles.view")
def projects():
    return render_template("profiles/projects.html", projects=service.list_projects(), errors={}, form={})


@bp.post("/projects")
@require("profiles.operate")
def create_project():
    form = request.form
    try:
        project = service.create_project(form.get("name", ""), form.get("description", ""))
    except ValidationError as exc:
        db.session.rollback()
        return render_template("profiles/projects.html", projects=service.list_projects(),
                               errors=exc.errors, form=form), 400
    audit("project.create", project, name=project.name)
    db.session.commit()
    flash(f"Project {project.name} created.", "success")
    return redirect(url_for("profiles.project", project_id=project.id))


@bp.get("/projects/<int:project_id>")
@require("profiles.view")
def project(project_id):
    found = service.get_project(project_id) or abort(404)
    return render_template("profiles/project.html", project=found, targets=service.list_targets(found.id),
                           errors={}, form={})
