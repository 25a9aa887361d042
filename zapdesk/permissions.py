"""Access decisions go through `can()`, which asks the `check_permission` hook.

Actions are "<area>.<level>"; the levels, from least to most privileged, are
`view`, `operate` and `admin`. The default rule below maps them to roles; a plugin can
decide any action first (first-result hook) without scattering role checks in views.
"""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from .hookspecs import hookimpl

LEVEL_ROLES = {
    "view": {"viewer", "engineer", "admin"},
    "operate": {"engineer", "admin"},
    "admin": {"admin"},
}


def can(action: str, obj=None, user=None) -> bool:
    from .plugins import get_plugin_manager

    user = current_user if user is None else user
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    decision = get_plugin_manager().hook.check_permission(user=user, action=action, obj=obj)
    return bool(decision)


def require(action: str):
    """View decorator: login required, then `can(action)` or 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not can(action):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


@hookimpl(trylast=True)
def check_permission(user, action):
    level = action.rsplit(".", 1)[-1]
    roles = LEVEL_ROLES.get(level)
    if roles is None:
        return False  # unknown levels are denied, never silently granted
    return user.role in roles
