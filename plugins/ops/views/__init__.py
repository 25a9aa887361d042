"""Pages of the ops plugin, one module per resource; each adds its routes to `bp`."""
from pathlib import Path

from flask import Blueprint

bp = Blueprint("ops", __name__, template_folder=str(Path(__file__).parent.parent / "templates"))

from . import actions, audit, metrics, overview, rq, settings  # noqa: E402,F401  (routes)
