"""Pages of the ops plugin."""
from flask import Blueprint, render_template

from zapdesk.permissions import require

bp = Blueprint("ops", __name__, template_folder="templates")


@bp.get("/ops/overview")
@require("ops.admin")
def index():
    return render_template("ops/index.html")
