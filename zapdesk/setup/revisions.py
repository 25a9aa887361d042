"""Where the database stands against this code's migrations (every plugin owns an
Alembic branch, so "up to date" means every branch's head is applied)."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import text

from ..extensions import db


def database_revisions() -> list[str]:
    with db.engine.connect() as conn:
        return sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def script_directory():
    from alembic.script import ScriptDirectory

    migrate = current_app.extensions["migrate"]
    return ScriptDirectory.from_config(migrate.migrate.get_config())


def code_heads() -> list[str]:
    return sorted(script_directory().get_heads())


def _as_tuple(value) -> tuple:
    if not value:
        return ()
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def applied_revisions(revisions: list[str]) -> set[str]:
    """Every revision implied by the rows of alembic_version (Alembic keeps only the
    leaves: a branch that others depend on drops out of the table)."""
    scripts, seen, stack = script_directory(), set(), list(revisions)
    while stack:
        revision = stack.pop()
        if revision in seen:
            continue
        seen.add(revision)
        script = scripts.get_revision(revision)
        stack += [*_as_tuple(script.down_revision), *_as_tuple(script.dependencies)]
    return seen


def pending_revisions(revisions: list[str]) -> list[str]:
    """What `zapdesk db upgrade` would still apply to a database at `revisions`."""
    applied = applied_revisions(revisions)
    return sorted(s.revision for s in script_directory().walk_revisions() if s.revision not in applied)


def known_revision(scripts, revision: str) -> bool:
    try:
        return scripts.get_revision(revision) is not None
    except Exception:  # alembic raises several types for an unknown id
        return False
