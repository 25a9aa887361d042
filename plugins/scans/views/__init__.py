"""Pages of the scans plugin, one module per resource."""
from pathlib import Path

from flask import Blueprint

bp = Blueprint("scans", __name__, template_folder=str(Path(__file__).parent.parent / "templates"))

from . import scans, schedules, target_sections  # noqa: E402,F401  (register the routes)
