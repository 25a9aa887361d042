"""The profiles plugin's service functions: projects, targets and scan profiles.

Other plugins use only these functions. Writers validate everything first and raise
`ValidationError` (field -> message) without saving anything; they flush but leave the
commit to the caller, so an action and its audit line are saved together.
"""
from __future__ import annotations

from sqlalchemy import func, select

from zapdesk.extensions import db

from . import target_auth
from .models import Project, ScanProfile, Target
from .profile_form import clean_profile
from .validation import Collector, ValidationError, clean_base_url, clean_name, clean_patterns, clean_tags

DEFAULT_PROJECT = "Default"


# --- projects -------------------------------------------------------------------------

def get_project(project_id: int) -> Project | None:
    return db.session.get(Project, project_id)


def list_projects() -> list[Project]:
    return list(db.session.scalars(select(Project).order_by(Project.name)))


def find_project_by_name(name: str) -> Project | None:
    return db.session.scalar(select(Project).where(func.lower(Project.name) == name.strip().lower()))


def create_project(name: str, description: str = "") -> Project:
    form = Collector()
    name = form.check("name", clean_name, name, "project")
    if name and find_project_by_name(name):
        form.errors["name"] = f"a project named {name!r} already exists"
    form.raise_if_errors()
    project = Project(name=name, description=(description or "").strip())
    db.session.add(project)
    db.session.flush()
    return project


def get_or_create_project(name: str) -> Project:
    return find_project_by_name(name) or create_project(name)


# --- targets --------------------------------------------------------------------------

def get_target(target_id: int) -> Target | None:
    return db.session.get(Target, target_id)


def find_target_by_url(url: str) -> Target | None:
    try:
        url = clean_base_url(url)
    except ValueError:
        return None
    return db.session.scalar(select(Target).where(Target.base_url == url))


def list_targets(project_id: int | None = None) -> list[Target]:
    query = select(Target).order_by(Target.name)
    if project_id is not None:
        query = query.where(Target.project_id == project_id)
    return list(db.session.scalars(query))


def get_or_create_target(base_url: str, project_name: str = DEFAULT_PROJECT, name: str | None = None) -> Target:
    existing = find_target_by_url(base_url)
    if existing:
        return existing
    project = get_or_create_project(project_name)
    return save_target(None, {"base_url": base_url, "name": name or "", "project_id": project.id})


def save_target(target: Target | None, data: dict) -> Target:
    """Create (target None) or update a target from form-like `data`."""
    values, auth_config = clean_target(target, data)
    target = target or Target()
    for key, value in values.items():
        setattr(target, key, value)
    if auth_config is not None:
        target.auth_config_encrypted = target_auth.encrypt_auth(auth_config)
    db.session.add(target)
    db.session.flush()
    return target


def clean_target(target: Target | None, data: dict) -> tuple[dict, dict | None]:
    form = Collector()
    url = form.check("base_url", clean_base_url, data.get("base_url", target.base_url if target else ""))
    form.check("scope_include", clean_patterns, data.get("scope_include", target.scope_include if target else []))
    form.check("scope_exclude", clean_patterns, data.get("scope_exclude", target.scope_exclude if target else []))
    form.check("tags", clean_tags, data.get("tags", target.tags if target else []))
    form.values["environment"] = (data.get("environment", target.environment if target else "") or "").strip()[:40]
    form.values["name"] = (data.get("name") or "").strip()[:120] or (target.name if target else url or "")
    _check_project(form, data.get("project_id", target.project_id if target else None))
    _check_unique_url(form, url, target)
    auth_config = _clean_target_auth(form, target, data)
    form.raise_if_errors()
    return form.values, auth_config


def _check_project(form: Collector, project_id) -> None:
    try:
        project = get_project(int(project_id))
    except (TypeError, ValueError):
        project = None
    if project is None:
        form.errors["project_id"] = "choose an existing project"
    else:
        form.values["project_id"] = project.id


def _check_unique_url(form: Collector, url: str | None, target: Target | None) -> None:
    other = url and db.session.scalar(select(Target).where(Target.base_url == url))
    if other and (target is None or other.id != target.id):
        form.errors["base_url"] = f"this URL is already the target {other.name!r}"


def _clean_target_auth(form: Collector, target: Target | None, data: dict) -> dict | None:
    """None when the form does not touch authentication (keep what is stored)."""
    if "auth_kind" not in data:
        return None
    kind = data.get("auth_kind") or "none"
    previous = target_auth_config(target) if target and target.auth_kind == kind else {}
    try:
        config = target_auth.clean_auth(kind, data, previous)
    except ValidationError as exc:
        form.errors.update(exc.errors)
        return None
    form.values["auth_kind"] = kind
    return config


def target_auth_config(target: Target) -> dict:
    """The decrypted auth settings; only for code that sends them on to a ZAP node."""
    return target_auth.decrypt_auth(target.auth_config_encrypted)


# --- scan profiles --------------------------------------------------------------------

def get_profile(profile_id: int) -> ScanProfile | None:
    return db.session.get(ScanProfile, profile_id)


def get_profile_by_name(name: str) -> ScanProfile | None:
    return db.session.scalar(select(ScanProfile).where(func.lower(ScanProfile.name) == (name or "").strip().lower()))


def list_profiles() -> list[ScanProfile]:
    return list(db.session.scalars(select(ScanProfile).order_by(ScanProfile.name)))


def save_profile(profile: ScanProfile | None, data: dict) -> ScanProfile:
    """Create (profile None) or update a profile from form-like `data`."""
    values = clean_profile(profile, data)
    other = get_profile_by_name(values["name"])
    if other and (profile is None or other.id != profile.id):
        raise ValidationError({"name": f"a profile named {values['name']!r} already exists"})
    profile = profile or ScanProfile()
    for key, value in values.items():
        setattr(profile, key, value)
    db.session.add(profile)
    db.session.flush()
    return profile
