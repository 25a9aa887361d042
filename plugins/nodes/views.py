"""Pages of the nodes plugin."""
from flask import Blueprint, render_template

from zapdesk.permissions import require

bp = Blueprint("nodes", __name__, template_folder="templates")


@bp.get("/zapnodes")
@require("nodes.view")
def index():
    return render_template("nodes/index.html")
