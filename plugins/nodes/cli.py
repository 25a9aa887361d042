"""`zapdesk node add|list|test` and `zapdesk sim-node`. API keys never come from argv
(except sim-node's --api-key, kept for compatibility; prefer ZAPDESK_SIM_API_KEY)."""
from __future__ import annotations

import os
import sys
import threading

import click
from flask.cli import with_appcontext

from .models import KINDS
from .simulator.faults import help_text

SIM_KEY_ENV = "ZAPDESK_SIM_API_KEY"


@click.group("node")
def node_group():
    """Register, list and test ZAP nodes."""


@node_group.command("add")
@click.argument("name")
@click.argument("url")
@click.option("--api-key-stdin", is_flag=True, help="Read the API key from the first line of stdin.")
@click.option("--kind", type=click.Choice(KINDS), default="external", show_default=True)
@click.option("--capacity", type=int, default=2, show_default=True, help="Concurrent scans on this node.")
@click.option("--no-verify", is_flag=True, help="Save without checking the node answers.")
@with_appcontext
def add_command(name, url, api_key_stdin, kind, capacity, no_verify):
    """Add a node NAME at URL (the key is read with --api-key-stdin, never from argv)."""
    from .service import add_node
    from .validation import NodeValidationError

    key = read_key() if api_key_stdin else ""
    try:
        node = add_node(name, url, key, kind=kind, capacity=capacity, verify=not no_verify)
    except NodeValidationError as exc:
        hint = " (pass it with --api-key-stdin)" if "api_key" in exc.errors and not api_key_stdin else ""
        raise click.ClickException("; ".join(f"{f}: {m}" for f, m in exc.errors.items()) + hint)
    click.echo(f"added {node.name} {node.base_url} status={node.status} version={node.version or '-'}")


@node_group.command("list")
@with_appcontext
def list_command():
    """List nodes: name, URL, kind, status, version, latency, running/capacity."""
    from .service import list_nodes

    for node in list_nodes():
        click.echo("\t".join([node.name, node.base_url, node.kind, node.status, node.version or "-",
                              _latency(node.latency_ms), f"{node.running_scans}/{node.capacity}"]))


@node_group.command("test")
@click.argument("name", required=False)
@click.option("--all", "test_all", is_flag=True, help="Test every enabled node.")
@with_appcontext
def test_command(name, test_all):
    """Test NAME (or --all enabled nodes). Exit 0 only when every tested node is healthy."""
    from .service import get_node_by_name, list_nodes, test_nodes

    if bool(name) == bool(test_all):
        raise click.UsageError("give a node NAME or --all")
    nodes = list_nodes(enabled_only=True) if test_all else [get_node_by_name(name)]
    if nodes == [None]:
        raise click.ClickException(f"no node named {name!r} (see `zapdesk node list`)")
    if not nodes:
        raise click.ClickException("no enabled nodes to test")
    results = test_nodes(nodes)
    for node, result in zip(nodes, results):
        detail = f"version={result.version} latency={_latency(result.latency_ms)}" if result.ok else result.error
        click.echo(f"{node.name}\t{result.status}\t{detail}")
    sys.exit(0 if all(r.ok for r in results) else 1)


def read_key() -> str:
    """From a hidden prompt on a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        return click.prompt("API key", hide_input=True)
    return sys.stdin.readline().strip()


def _latency(ms) -> str:
    return "-" if ms is None else f"{ms} ms"


@click.command("sim-node", epilog="Faults (--fault NAME or NAME:N):\n\n" + help_text().replace("\n", "\n\n"))
@click.option("--port", type=click.IntRange(0, 65535), required=True, help="Port on 127.0.0.1 (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--api-key", default=None, help=f"API key (prefer the {SIM_KEY_ENV} environment variable).")
@click.option("--api-key-env", default=SIM_KEY_ENV, show_default=True, help="Environment variable holding the key.")
@click.option("--fault", default=None, help="Start with a fault (see below).")
@click.option("--speed", type=float, default=1.0, show_default=True, help="Scan progress speed factor.")
@click.option("--report-perm-errors", is_flag=True, help="Answer a bad key with HTTP 400 bad_api_key (ZAP's api.reportpermerrors) instead of closing the connection.")
def sim_node_command(port, host, api_key, api_key_env, fault, speed, report_perm_errors):
    """Run one SIMULATED ZAP node in the foreground until interrupted — a stand-in for
    tests and demos that answers part of the ZAP API, NOT a scanner."""
    from .simulator import start_simulator
    from .simulator.faults import parse_fault

    key = api_key or os.environ.get(api_key_env, "")
    if not key:
        raise click.UsageError(f"set the API key in ${api_key_env} (or --api-key)")
    try:
        parse_fault(fault)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--fault")
    node = start_simulator(port=port, api_key=key, fault=fault, speed=speed, host=host,
                           report_perm_errors=report_perm_errors)
    click.echo(f"ZAP simulator (a stand-in, not a scanner) listening on {node.url} "
               f"fault={fault or 'none'} speed={speed:g}", err=False)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        node.stop()
