"""Pages of the scans plugin."""
from flask import Blueprint, render_template

from zapdesk.permissions import require

bp = Blueprint("scans", __name__, template_folder="templates")


@bp.get("/scans")
@require("scans.view")
def index():
    return render_template("scans/index.html")
