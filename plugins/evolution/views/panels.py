"""Dashboard panels (the core owns /dashboard; these are its lazily-loaded bodies)."""
from __future__ import annotations

from flask import render_template

from zapdesk.permissions import require

from ..risk import open_counts, score_of, trend
from . import bp
from .common import target_names


@bp.get("/dashboard/panels/findings")
@require("findings.view")
def panel_open_findings():
    counts = open_counts()
    return render_template("evolution/_panel_open_findings.html", counts=counts, score=score_of(counts))


@bp.get("/dashboard/panels/risk-trend")
@require("findings.view")
def panel_risk_trend():
    snapshots = trend("global", None, limit=60)
    top = max((s.score for s in snapshots), default=0) or 1
    width = 300
    step = width / max(1, len(snapshots) - 1)
    points = " ".join(f"{i * step:.1f},{60 - s.score / top * 56:.1f}" for i, s in enumerate(snapshots))
    return render_template("evolution/_panel_risk_trend.html", snapshots=snapshots, points=points, width=width)


@bp.get("/dashboard/panels/recent-scans")
@require("findings.view")
def panel_recent_scans():
    from plugins.scans.service import list_scans

    scans = list_scans(limit=8)
    return render_template("evolution/_panel_recent_scans.html", scans=scans,
                           targets=target_names(s.target_id for s in scans))


@bp.get("/dashboard/panels/nodes")
@require("findings.view")
def panel_node_health():
    from plugins.nodes.service import list_nodes

    nodes = list_nodes()
    return render_template("evolution/_panel_nodes.html", nodes=nodes)
