"""Pages of the profiles plugin, one module per resource."""
from pathlib import Path

from flask import Blueprint

bp = Blueprint("profiles", __name__, template_folder=str(Path(__file__).parent.parent / "templates"))

from . import profiles, projects, targets  # noqa: E402,F401  (register the routes)
