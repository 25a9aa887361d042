"""Pages of the evolution plugin, one module per resource."""
from pathlib import Path

from flask import Blueprint

bp = Blueprint("evolution", __name__, template_folder=str(Path(__file__).parent.parent / "templates"))

from . import evolution, findings, imports, panels, sections, settings  # noqa: E402,F401  (register the routes)
