"""Pages of the profiles plugin."""
from flask import Blueprint, render_template

from zapdesk.permissions import require

bp = Blueprint("profiles", __name__, template_folder="templates")


@bp.get("/profiles")
@require("profiles.view")
def index():
    return render_template("profiles/index.html")
