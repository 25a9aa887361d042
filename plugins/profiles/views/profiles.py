"""/profiles: list, create and edit scan profiles."""
from flask import abort, flash, redirect, render_template, request, url_for

from zapdesk.audit import audit
from zapdesk.extensions import db
from zapdesk.permissions import require

from .. import service
from ..models import PROFILE_KINDS, STRENGTHS, THRESHOLDS
from ..openapi_upload import UploadError, save_upload
from ..validation import ValidationError
from . import bp

FIELDS = ("name", "kind", "description", "spider_max_depth", "spider_max_children", "spider_max_duration_min",
          "ajax_spider_max_duration_min", "openapi_url", "scan_policy", "attack_strength", "alert_threshold",
          "max_duration_s", "pinned_node_id", "alert_filters")


def node_choices():
    from plugins.nodes.service import list_nodes

    return list_nodes()


def render_form(profile, errors, form, status=200):
    return render_template("profiles/profile_form.html", profile=profile, errors=errors, form=form,
                           kinds=PROFILE_KINDS, strengths=STRENGTHS, thresholds=THRESHOLDS,
                           nodes=node_choices()), status


def form_data() -> dict:
    data = {k: request.form[k] for k in FIELDS if k in request.form}
    data["ajax_spider"] = request.form.get("ajax_spider") == "on"
    return data


@bp.get("/profiles")
@require("profiles.view")
def index():
    return render_template("profiles/index.html", profiles=service.list_profiles())


@bp.get("/profiles/new")
@require("profiles.operate")
def new_profile():
    return render_form(None, {}, {})


@bp.get("/profiles/<int:profile_id>")
@require("profiles.view")
def edit_profile(profile_id):
    return render_form(service.get_profile(profile_id) or abort(404), {}, {})


@bp.post("/profiles")
@bp.post("/profiles/<int:profile_id>")
@require("profiles.operate")
def save_profile(profile_id=None):
    profile = service.get_profile(profile_id) or abort(404) if profile_id else None
    data = form_data()
    try:
        upload = request.files.get("openapi_upload")
        if upload and upload.filename:
            data["openapi_file"] = save_upload(upload)
        saved = service.save_profile(profile, data)
    except (ValidationError, UploadError) as exc:
        db.session.rollback()
        errors = exc.errors if isinstance(exc, ValidationError) else {"openapi_upload": str(exc)}
        return render_form(service.get_profile(profile_id) if profile_id else None, errors, request.form, 400)
    audit("profile.edit" if profile else "profile.create", saved, name=saved.name, kind=saved.kind)
    db.session.commit()
    flash(f"Profile {saved.name} saved.", "success")
    return redirect(url_for("profiles.index"))
