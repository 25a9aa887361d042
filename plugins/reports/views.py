"""Pages of the reports plugin."""
from flask import Blueprint, render_template

from zapdesk.permissions import require

bp = Blueprint("reports", __name__, template_folder="templates")


@bp.get("/reports")
@require("reports.view")
def index():
    return render_template("reports/index.html")
