"""Sections on other plugins' pages: a target's evolution summary, a scan's findings and
changes (each loaded lazily with hx-get)."""
from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import func, select

from zapdesk.extensions import db
from zapdesk.permissions import require

from ..models import Comparison, Finding, Occurrence, ScanIngest
from ..risk import open_counts, score_of
from ..service import auto_comparison
from . import bp
from .common import get_target_or_404

FINDINGS_IN_SECTION = 100


def get_scan_or_404(scan_id: int):
    from plugins.scans.service import get_scan

    scan = get_scan(scan_id)
    if scan is None:
        abort(404, description="No such scan.")
    return scan


@bp.get("/targets/<int:target_id>/evolution/section")
@require("findings.view")
def target_section(target_id: int):
    target = get_target_or_404(target_id)
    counts = open_counts(target_id=target_id)
    latest = db.session.scalar(select(Comparison).where(Comparison.target_id == target_id,
                                                        Comparison.on_demand.is_(False))
                               .order_by(Comparison.created_at.desc(), Comparison.id.desc()).limit(1))
    return render_template("evolution/_target_section.html", target=target, counts=counts,
                           score=score_of(counts), latest=latest)


@bp.get("/scans/<int:scan_id>/evolution/changes")
@require("findings.view")
def scan_changes_section(scan_id: int):
    scan = get_scan_or_404(scan_id)
    return render_template("evolution/_scan_changes.html", scan=scan, comparison=auto_comparison(scan_id),
                           ingested=db.session.get(ScanIngest, scan_id) is not None)


@bp.get("/scans/<int:scan_id>/evolution/findings")
@require("findings.view")
def scan_findings_section(scan_id: int):
    scan = get_scan_or_404(scan_id)
    in_scan = (select(Finding, func.count(Occurrence.id)).join(Occurrence, Occurrence.finding_id == Finding.id)
               .where(Occurrence.scan_id == scan_id).group_by(Finding.id))
    rows = db.session.execute(in_scan.order_by(Finding.risk.desc(), Finding.name, Finding.id)
                              .limit(FINDINGS_IN_SECTION)).all()
    total = db.session.scalar(select(func.count(func.distinct(Occurrence.finding_id)))
                              .where(Occurrence.scan_id == scan_id))
    return render_template("evolution/_scan_findings.html", scan=scan, rows=rows, total=total,
                           ingested=db.session.get(ScanIngest, scan_id) is not None)
