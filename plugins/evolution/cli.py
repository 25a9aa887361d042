"""`zapdesk import-report` and `zapdesk bench ingest`."""
from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext

from zapdesk.extensions import db


@click.command("import-report")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--target", "target_url", required=True, help="URL of the target the report is about.")
@click.option("--profile", "profile_name", default=None, help="Scan profile to file the scan under.")
@with_appcontext
def import_report_command(file, target_url, profile_name):
    """Import a ZAP report (traditional JSON or XML) as a finished scan; prints one JSON
    object (scan id, alerts read, findings, occurrences, new, resolved)."""
    from .importers import ReportError
    from .report_import import ImportRejected, import_report

    try:
        with open(file, "rb") as handle:
            data = handle.read()
        result = import_report(data, file, target_url, profile_name, actor="cli")
    except OSError as exc:
        fail(f"{file}: cannot read it ({exc.strerror})")
    except (ReportError, ImportRejected) as exc:
        db.session.rollback()
        fail(f"{file}: {exc}; nothing was imported")
    click.echo(json.dumps(result))


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@click.command("ingest")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--database-url", default=None, help="Ingest into this database (migrated first) instead of the configured one.")
@click.option("--keys", is_flag=True, help="Also print new_keys/resolved_keys in the generator's truth-key form.")
def bench_ingest_command(files, database_url, keys):
    """Ingest alert files (generator output, {"alerts": [...]} or one alert per line) as
    consecutive scans of one fresh target; one JSON object per scan."""
    from .bench_ingest import run_bench_ingest

    try:
        for line in run_bench_ingest(list(files), database_url, keys):
            click.echo(json.dumps(line), nl=True)
            sys.stdout.flush()
    except (ValueError, OSError) as exc:
        fail(str(exc))


def register(cli) -> None:
    cli.add_command(import_report_command)
    bench = cli.commands.get("bench")
    if bench is None:
        bench = click.Group("bench", help="Benchmarks and load tools.")
        cli.add_command(bench)
    bench.add_command(bench_ingest_command)
