"""The plugin contract. Every zapdesk feature is a plugin implementing these hooks.

Rules (pluggy's, as datasette applies them):
- the core calls every hook with keyword arguments, so implementations may accept any
  subset of the arguments, and new arguments can be added without breaking plugins;
  arguments are never renamed;
- hooks return data (lists of value objects from `zapdesk.contracts`, dicts, paths) and the
  core does the wiring; "list" hooks are called for every plugin and the results are
  concatenated, "first-result" hooks stop at the first non-None answer.

Each spec says when it is called and what it returns. `tests/core/test_hookspecs.py`
checks that every spec here has a docstring and a test named `test_hook_<name>`.
"""
from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("zapdesk")
hookimpl = pluggy.HookimplMarker("zapdesk")


# --- start-up -------------------------------------------------------------------------

@hookspec
def config_defaults() -> dict[str, Any]:
    """Called once in create_app() before the instance file and ZAPDESK_* env are applied.

    Return a dict of config keys; each is merged with setdefault, so core defaults and
    earlier plugins win, and the operator's instance file and environment override all.
    """


@hookspec
def register_blueprints() -> list:
    """Called once in create_app(). Return a list of Flask Blueprints.

    The core registers each one; a blueprint's own `url_prefix` is kept. Templates live in
    the plugin's `templates/<plugin>/` folder (namespaced).
    """


@hookspec
def register_migrations() -> str:
    """Called when Alembic is configured. Return the path of the plugin's alembic
    `versions` folder (its own branch, labelled with the plugin name), or None."""


@hookspec
def register_commands(cli) -> None:
    """Called once when the `zapdesk` command line is built. Add click commands or groups
    to `cli` (a click.Group). Commands that need the app use `flask.cli.with_appcontext`."""


@hookspec
def register_jobs() -> list:
    """Called by the scheduler at start. Return a list of `contracts.PeriodicJob`
    (health checks, schedules, retention). The scheduler enqueues each one every
    `every_seconds`, once across all scheduler processes."""



# --- pages ----------------------------------------------------------------------------

@hookspec
def menu_links(user) -> list:
    """Called for every full page render. Return a list of `contracts.MenuLink` that
    `user` (a User or an anonymous user) may follow. The navigation is built only from
    this hook, sorted by `order`."""


@hookspec
def dashboard_panels(user) -> list:
    """Called when /dashboard renders. Return a list of `contracts.Panel` for `user`;
    each panel's body is loaded with hx-get from its endpoint."""


@hookspec
def scan_sections(scan, user) -> list:
    """Called when a scan's page (/scans/<id>) renders. Return a list of
    `contracts.Section` that `user` may see (findings, changes, report downloads…);
    each is loaded with hx-get, so a slow section never delays the page."""


@hookspec
def target_sections(target, user) -> list:
    """Called when a target's page (/targets/<id>) renders. Return a list of
    `contracts.Section` (evolution, schedules, evolution report…) for `user`."""


@hookspec
def health_checks() -> list:
    """Called by /health and /ops/overview. Return a list of `contracts.Check`.
    Critical checks decide /health's status code (200 when all pass, else 503)."""


# --- access ---------------------------------------------------------------------------

@hookspec(firstresult=True)
def check_permission(user, action: str, obj) -> bool | None:
    """Called by `zapdesk.permissions.can()` for every access decision. First result
    wins: return True or False to decide, None to leave it to the next plugin.

    Actions are "<area>.<level>" strings, e.g. "scans.view", "scans.operate",
    "nodes.admin". The core's default (trylast) grants `view` to every active user,
    `operate` to engineers and admins, and `admin` to admins only. `obj` is the object
    acted on, or None."""


# --- scanning -------------------------------------------------------------------------

@hookspec(firstresult=True)
def select_node(scan, nodes: list):
    """Called when a queued scan looks for a ZAP node. `nodes` are the enabled, healthy
    nodes with free capacity. Return one of them, or None to keep the scan queued.
    First result wins; the built-in choice (nodes plugin) is trylast."""


@hookspec
def scan_phases(profile) -> list:
    """Called when a scan starts. Return the phases (names, in order) a scan with this
    profile runs, e.g. ["spider", "passive_wait", "active"]. Results of all plugins are
    concatenated in hook order, so a plugin can append a phase."""


@hookspec(firstresult=True)
def alert_fingerprint(alert: dict) -> str | None:
    """Called once per alert during ingestion. Return the finding key for a raw ZAP alert
    dict, or None to use the next implementation (the built-in one is trylast)."""


@hookspec
def register_report_formats() -> list:
    """Called when reports are listed or rendered. Return a list of ReportFormat
    (`plugins.reports.formats`: name, label, mimetype, extension, render, scope, order).
    `render(data) -> bytes` gets the report's data: a `ReportData` for scope "scan", an
    `EvolutionData` for scope "target" (both in plugins/reports/data.py). Names are
    unique; the first registration of a name wins and the built-ins come first."""


# --- events ---------------------------------------------------------------------------

@hookspec
def scan_finished(scan) -> None:
    """Called (in a worker) once when a scan reaches `done`. Return value ignored.
    Listeners must be quick: enqueue heavy work as jobs that take `scan.id`."""


@hookspec
def finding_changed(finding, change: dict) -> None:
    """Called after a finding's status changes (triage, evolution). `change` holds
    from, to, reason and actor. Return value ignored (notifications, audit)."""
