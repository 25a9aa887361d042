"""Pages of the evolution plugin."""
from flask import Blueprint, render_template

from zapdesk.permissions import require

bp = Blueprint("evolution", __name__, template_folder="templates")


@bp.get("/findings")
@require("findings.view")
def index():
    return render_template("evolution/index.html")
