"""`zapdesk db …`: Alembic through Flask-Migrate, aware that every plugin owns a branch
(so `upgrade` defaults to all heads, not a single head)."""
from __future__ import annotations

import click
import flask_migrate
from flask.cli import with_appcontext


@click.group("db")
def db_group():
    """Database migrations (every plugin has its own branch)."""


@db_group.command("upgrade")
@click.argument("revision", default="heads")
@with_appcontext
def upgrade(revision):
    """Bring the database to REVISION (default: every branch's head)."""
    flask_migrate.upgrade(revision=revision)
    click.echo(f"database upgraded to {revision}")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def downgrade(revision):
    """Step back to REVISION (e.g. nodes@-1, or base)."""
    flask_migrate.downgrade(revision=revision)


@db_group.command("current")
@with_appcontext
def current():
    """Show the revision(s) the database is at."""
    flask_migrate.current(verbose=False)


@db_group.command("heads")
@with_appcontext
def heads():
    """Show every branch head."""
    flask_migrate.heads(verbose=False)


@db_group.command("history")
@with_appcontext
def history():
    """List all revisions."""
    flask_migrate.history()


@db_group.command("check")
@with_appcontext
def check():
    """Fail if the models differ from what the migrations create."""
    flask_migrate.check()


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--branch", required=True, help="core or a plugin name, e.g. nodes")
@click.option("--autogenerate/--empty", default=True)
@with_appcontext
def revision(message, branch, autogenerate):
    """Write a new revision on BRANCH's line (run `db upgrade` first)."""
    flask_migrate.revision(message=message, autogenerate=autogenerate, head=f"{branch}@head")
