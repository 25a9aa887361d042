"""`zapdesk user …`: manage accounts without the web UI. Passwords never come from argv."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from .audit import audit
from .extensions import db
from .models import ROLES, User
from .passwords import password_problems


def read_password(confirm: bool = True) -> str:
    """From a hidden prompt on a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=confirm)
    return sys.stdin.readline().rstrip("\r\n")


@click.group("user")
def user_group():
    """Create and manage user accounts."""


@user_group.command("create")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
@with_appcontext
def create_user(email, role):
    """Create a user. The password is read from a prompt, or from stdin when piped."""
    email = email.strip().lower()
    if "@" not in email:
        raise click.ClickException(f"{email!r} is not an email address")
    if db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none():
        raise click.ClickException(f"a user with email {email} already exists")
    password = read_password()
    problems = password_problems(password, email)
    if problems:
        raise click.ClickException(" ".join(problems))
    user = User(email=email, role=role, active=True)
    user.set_password(password)
    db.session.add(user)
    audit("user.create", email, actor="cli", role=role)
    db.session.commit()
    click.echo(f"created {role} {email}")


@user_group.command("list")
@with_appcontext
def list_users():
    """List users with their role and state."""
    for user in db.session.execute(db.select(User).order_by(User.email)).scalars():
        state = "active" if user.active else "inactive"
        click.echo(f"{user.email}\t{user.role}\t{state}")


@user_group.command("set-password")
@click.option("--email", required=True)
@with_appcontext
def set_password(email):
    """Reset a user's password (prompt, or stdin when piped)."""
    user = db.session.execute(db.select(User).where(User.email == email.strip().lower())).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"no user with email {email}")
    password = read_password()
    problems = password_problems(password, user.email)
    if problems:
        raise click.ClickException(" ".join(problems))
    user.set_password(password)
    audit("user.password_reset", user, actor="cli")
    db.session.commit()
    click.echo(f"password changed for {user.email}")
