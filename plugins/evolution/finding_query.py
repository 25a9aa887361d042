"""The /findings list: filters, sorts and pages that stay fast with 100,000 findings.

Every sort has an index that starts with the status filter (see models.Finding); a page is
sorted and skipped over ids only (index-covered), then its 50 rows are loaded by id; the
total is counted only up to COUNT_CAP rows, so no request counts the whole table.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from sqlalchemy import func, select

from zapdesk.extensions import db

from .models import ACTIVE_STATUSES, RISK_NAMES, STATUSES, Finding

PER_PAGE = 50
COUNT_CAP = 10000
SORTS = {
    "risk": (Finding.risk.desc(), Finding.id.desc()),
    "newest": (Finding.first_seen_at.desc(), Finding.id.desc()),
    "last_seen": (Finding.last_seen_at.desc(), Finding.id.desc()),
    "name": (Finding.name.asc(), Finding.id.asc()),
}
STATUS_FILTERS = ("active", "all") + STATUSES


@dataclass
class FindingFilters:
    project: int | None = None
    target: int | None = None
    risk: int | None = None
    status: str = "active"
    rule: str = ""
    since: date | None = None
    sort: str = "risk"
    page: int = 1

    def as_args(self, **overrides) -> dict:
        args = {"project": self.project, "target": self.target,
                "risk": RISK_NAMES[self.risk] if self.risk is not None else None, "status": self.status,
                "rule": self.rule or None, "since": self.since.isoformat() if self.since else None,
                "sort": self.sort, "page": self.page}
        args.update(overrides)
        return {k: v for k, v in args.items() if v not in (None, "")}


def positive_int(raw) -> int | None:
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 and int(text) > 0 else None


def parse_date(raw) -> date | None:
    try:
        return date.fromisoformat(str(raw or "").strip())
    except ValueError:
        return None


def parse_filters(args) -> FindingFilters:
    """Unknown or malformed values fall back to the defaults instead of failing."""
    risk_name = str(args.get("risk") or "").strip().capitalize()
    status = str(args.get("status") or "active")
    sort = str(args.get("sort") or "risk")
    return FindingFilters(
        project=positive_int(args.get("project")), target=positive_int(args.get("target")),
        risk=RISK_NAMES.index(risk_name) if risk_name in RISK_NAMES else None,
        status=status if status in STATUS_FILTERS else "active", rule=str(args.get("rule") or "").strip()[:120],
        since=parse_date(args.get("since")), sort=sort if sort in SORTS else "risk",
        page=min(positive_int(args.get("page")) or 1, COUNT_CAP // PER_PAGE))


def filtered(filters: FindingFilters):
    from plugins.profiles.models import Target

    query = select(Finding)
    if filters.status == "active":
        query = query.where(Finding.status.in_(ACTIVE_STATUSES))
    elif filters.status != "all":
        query = query.where(Finding.status == filters.status)
    if filters.target:
        query = query.where(Finding.target_id == filters.target)
    if filters.project:
        query = query.where(Finding.target_id.in_(select(Target.id).where(Target.project_id == filters.project)))
    if filters.risk is not None:
        query = query.where(Finding.risk == filters.risk)
    if filters.rule:
        query = query.where(rule_condition(filters.rule))
    if filters.since:
        query = query.where(Finding.first_seen_at >= datetime.combine(filters.since, time(0), tzinfo=timezone.utc))
    return query


def rule_condition(rule: str):
    """A ZAP rule id (10020, 10020-1) matches exactly; anything else searches names."""
    if rule.replace("-", "").isdigit():
        return Finding.rule_id == rule
    escaped = rule.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Finding.name.ilike(f"%{escaped}%", escape="\\")


@dataclass
class FindingPage:
    findings: list[Finding]
    total: int
    capped: bool
    page: int
    pages: int


def find(filters: FindingFilters) -> FindingPage:
    query = filtered(filters)
    counted = db.session.scalar(select(func.count()).select_from(
        query.with_only_columns(Finding.id).limit(COUNT_CAP + 1).subquery()))
    pages = max(1, -(-min(counted, COUNT_CAP) // PER_PAGE))
    page = min(filters.page, pages)
    return FindingPage(page_rows(query, filters.sort, page), min(counted, COUNT_CAP), counted > COUNT_CAP, page, pages)


def page_rows(query, sort: str, page: int) -> list[Finding]:
    """Sort and skip over ids only (the indexes cover them), then load the page's 50 rows:
    sorting whole rows, descriptions included, is what makes a big table slow."""
    ids = list(db.session.scalars(query.with_only_columns(Finding.id).order_by(*SORTS[sort])
                                  .limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    rows = {f.id: f for f in db.session.scalars(select(Finding).where(Finding.id.in_(ids)))} if ids else {}
    return [rows[i] for i in ids if i in rows]


def ids_matching(filters: FindingFilters, limit: int = COUNT_CAP) -> list[int]:
    """For "apply to every finding matching these filters" bulk actions."""
    return list(db.session.scalars(filtered(filters).with_only_columns(Finding.id).limit(limit)))
