"""`zapdesk project add`, `zapdesk target add`, `zapdesk profile add`."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from zapdesk.audit import audit
from zapdesk.extensions import db

from . import service
from .validation import ValidationError


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def explain(exc: ValidationError) -> str:
    return "; ".join(f"{field.replace('_', ' ')}: {message}" for field, message in exc.errors.items())


def create_or_fail(create, action: str, describe) -> None:
    """Run `create()`, audit and commit, print the new id; or explain what to fix."""
    try:
        obj = create()
    except ValidationError as exc:
        db.session.rollback()
        fail(explain(exc))
    audit(action, obj, actor="cli", **describe(obj))
    db.session.commit()
    click.echo(obj.id)


@click.group("project")
def project_group():
    """Projects group targets."""


@project_group.command("add")
@click.argument("name")
@click.option("--description", default="")
@with_appcontext
def project_add(name, description):
    """Create a project."""
    create_or_fail(lambda: service.create_project(name, description), "project.create",
                   lambda p: {"name": p.name})


@click.group("target")
def target_group():
    """Targets: what to scan."""


@target_group.command("add")
@click.argument("url")
@click.option("--project", "project_name", required=True, help="Project name (created if missing).")
@click.option("--name", default="", help="Display name (default: the URL).")
@click.option("--include", multiple=True, help="Scope include regex (repeatable).")
@click.option("--exclude", multiple=True, help="Scope exclude regex (repeatable).")
@click.option("--environment", default="")
@click.option("--tag", "tags", multiple=True)
@with_appcontext
def target_add(url, project_name, name, include, exclude, environment, tags):
    """Add a target URL to a project."""
    def create():
        project = service.get_or_create_project(project_name)
        return service.save_target(None, {"base_url": url, "name": name, "project_id": project.id,
                                          "scope_include": list(include), "scope_exclude": list(exclude),
                                          "environment": environment, "tags": list(tags)})

    create_or_fail(create, "target.create", lambda t: {"url": t.base_url})


@click.group("profile")
def profile_group():
    """Scan profiles: what a scan runs."""


@profile_group.command("add")
@click.argument("name")
@click.option("--kind", type=click.Choice(["baseline", "full", "api"]), required=True)
@click.option("--spider-depth", type=int, default=5, show_default=True)
@click.option("--spider-children", type=int, default=0, show_default=True, help="0: unlimited")
@click.option("--spider-minutes", type=int, default=0, show_default=True, help="0: unlimited")
@click.option("--ajax-spider/--no-ajax-spider", default=False, show_default=True)
@click.option("--ajax-minutes", type=int, default=5, show_default=True)
@click.option("--openapi-url", default="")
@click.option("--policy", default="", help="Active scan policy name on the node.")
@click.option("--strength", default="DEFAULT", show_default=True)
@click.option("--threshold", default="DEFAULT", show_default=True)
@click.option("--max-duration", type=int, default=3600, show_default=True, help="Seconds.")
@click.option("--pin-node", default="", help="Name of the node this profile must run on.")
@click.option("--filter", "filters", multiple=True, help="'<rule id> <new risk|ignore>' (repeatable).")
@with_appcontext
def profile_add(name, kind, spider_depth, spider_children, spider_minutes, ajax_spider, ajax_minutes,
                openapi_url, policy, strength, threshold, max_duration, pin_node, filters):
    """Create a scan profile."""
    data = {"name": name, "kind": kind, "spider_max_depth": spider_depth, "spider_max_children": spider_children,
            "spider_max_duration_min": spider_minutes, "ajax_spider": ajax_spider,
            "ajax_spider_max_duration_min": ajax_minutes, "openapi_url": openapi_url, "scan_policy": policy,
            "attack_strength": strength.upper(), "alert_threshold": threshold.upper(),
            "max_duration_s": max_duration, "pinned_node_id": pinned_node_id(pin_node),
            "alert_filters": "\n".join(filters)}
    create_or_fail(lambda: service.save_profile(None, data), "profile.create",
                   lambda p: {"name": p.name, "kind": p.kind})


def pinned_node_id(name: str):
    if not name:
        return None
    from plugins.nodes.service import get_node_by_name

    node = get_node_by_name(name)
    if node is None:
        fail(f"no ZAP node is named {name!r}; see `zapdesk node list`")
    return node.id


def register(cli) -> None:
    for group in (project_group, target_group, profile_group):
        cli.add_command(group)
