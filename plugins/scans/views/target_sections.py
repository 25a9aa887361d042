"""The scans plugin's sections on a target's page: its recent scans."""
from flask import abort, render_template

from plugins.profiles.service import get_target
from zapdesk.permissions import require

from .. import service
from . import bp


@bp.get("/targets/<int:target_id>/scans")
@require("scans.view")
def target_scans(target_id):
    target = get_target(target_id) or abort(404)
    scans = service.list_scans(target_id=target.id, limit=20)
    return render_template("scans/_target_scans.html", target=target, scans=scans,
                           live=any(not s.is_finished for s in scans))
