"""/findings/import: upload a ZAP report (traditional JSON or XML) as a finished scan."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from zapdesk.extensions import db
from zapdesk.permissions import require

from ..importers import ReportError
from ..report_import import ImportRejected, import_report
from . import bp


def form_page(errors: dict, form: dict, status: int = 200):
    from plugins.profiles.service import list_profiles

    return render_template("evolution/import.html", errors=errors, form=form, profiles=list_profiles()), status


@bp.get("/findings/import")
@require("findings.operate")
def import_form():
    return form_page({}, {})


@bp.post("/findings/import")
@require("findings.operate")
def import_upload():
    upload = request.files.get("report")
    form = {"target_url": (request.form.get("target_url") or "").strip(), "profile": request.form.get("profile") or ""}
    if upload is None or not upload.filename:
        return form_page({"report": "Choose the report file to import (ZAP's JSON or XML report)."}, form, 400)
    try:
        result = import_report(upload.read(), upload.filename, form["target_url"], form["profile"] or None,
                               actor=current_user.email)
    except ReportError as exc:
        db.session.rollback()
        return form_page({"report": f"Nothing was imported. {exc}"}, form, 400)
    except ImportRejected as exc:
        db.session.rollback()
        field = "profile" if str(exc).startswith("profile") else "target_url"
        return form_page({field: str(exc)}, form, 400)
    flash(f"Imported {result['alerts_read']} alerts as scan {result['scan_id']}: {result['findings']} findings, "
          f"{result['new']} new, {result['resolved']} resolved.", "success")
    return redirect(url_for("evolution.target_evolution_page", target_id=result["target_id"]))
