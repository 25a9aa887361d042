"""Day-2 commands: `zapdesk backup`, `restore`, `doctor`, `smoke` and `upgrade-check`."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click
from flask.cli import with_appcontext

MARKS = {"ok": "ok  ", "pass": "pass", "warn": "warn", "fail": "FAIL", "skip": "skip"}


def echo_result(name: str, status: str, detail: str, fix: str = "") -> None:
    click.echo(f"[{MARKS.get(status, status)}] {name}: {detail}")
    if fix:
        click.echo(f"       fix: {fix}")


@click.command("backup")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Archive to write (default: <BACKUP_PATH>/zapdesk-backup-<UTC time>.tar.gz).")
@with_appcontext
def backup_command(output):
    """Write one archive: a consistent database dump, media, certs/, nginx/state/ and a
    manifest with the app version, migration revisions and a sha256 per member."""
    from .backup import BackupError, create_backup, default_output

    target = (output or default_output()).resolve()
    try:
        manifest = create_backup(target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    size = target.stat().st_size
    click.echo(f"wrote {target} ({size} bytes, {len(manifest['members'])} files, "
               f"{manifest['database']['dialect']} at {', '.join(manifest['database']['revisions'])})")


@click.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (needed when stdin is not a terminal).")
@click.option("--verify-only", is_flag=True, help="Check the checksums and compatibility, change nothing.")
@with_appcontext
def restore_command(archive, yes, verify_only):
    """Restore ARCHIVE made by `zapdesk backup`. Every checksum and the migration
    compatibility are checked before anything is touched; then the database, media,
    certs/ and nginx/state/ are replaced. Stop web, worker and scheduler first."""
    from .backup import BackupError, restore_backup, verify_archive

    with tempfile.TemporaryDirectory(prefix="zapdesk-restore-") as staging:
        try:
            manifest = verify_archive(archive, Path(staging))
        except BackupError as exc:
            raise click.ClickException(f"{exc} — nothing was changed") from exc
        click.echo(f"{archive}: verified {len(manifest['members'])} files, zapdesk {manifest['app_version']}, "
                   f"made {manifest['created_at']}")
        if verify_only:
            return
        confirm_restore(yes)
        try:
            upgraded = restore_backup(archive, Path(staging), manifest)
        except BackupError as exc:
            raise click.ClickException(f"{exc} — the archive is intact; fix the cause and restore again") from exc
    click.echo("restored the database, media, certs/ and nginx/state/")
    if upgraded:
        click.echo(f"migrated the restored database to this version's heads ({', '.join(upgraded)})")
    click.echo("next: start the stack and run `zapdesk smoke` (docs/operations.md, Restore)")


def confirm_restore(yes: bool) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise click.ClickException("restore replaces the database, media, certs/ and nginx/state/; "
                                   "add --yes to confirm when not on a terminal")
    click.confirm("Replace the database, media, certs/ and nginx/state/ with this backup?", abort=True)


@click.command("doctor")
@click.option("--fix", is_flag=True, help="Make the setup flag and nginx/state/setup_complete agree "
                                          "where the right answer is certain.")
@with_appcontext
def doctor_command(fix):
    """Check the database, migrations, setup state (database flag vs nginx state file),
    Redis, workers and the TLS certificate; say what to fix. Exit 1 on any failure."""
    from .setup.doctor import fix_setup_state, run_doctor

    if fix:
        done = fix_setup_state()
        click.echo(f"fixed: {done}" if done else "nothing to fix automatically")
    findings = run_doctor()
    for finding in findings:
        echo_result(finding.name, finding.status, finding.detail, finding.fix)
    sys.exit(1 if any(f.status == "fail" for f in findings) else 0)


def smoke_options(base_url, email, target, profile, timeout, insecure, password_stdin):
    from .setup.smoke import SmokeOptions

    password = os.environ.get("ZAPDESK_SMOKE_PASSWORD", "")
    if email and not password and (password_stdin or not sys.stdin.isatty()):
        password = sys.stdin.readline().rstrip("\r\n")
    elif email and not password:
        password = click.prompt(f"Password for {email}", hide_input=True)
    return SmokeOptions(base_url=base_url, email=email or "", password=password, target=target or "",
                        profile=profile, scan_timeout=timeout, insecure=insecure)


def smoke_params(command):
    options = [
        click.option("--base-url", default="http://127.0.0.1:8080", show_default=True,
                     help="Where zapdesk answers (inside compose: http://web:8080 or https://nginx)."),
        click.option("--email", envvar="ZAPDESK_SMOKE_EMAIL", help="Log in as this user; the password "
                     "comes from ZAPDESK_SMOKE_PASSWORD, stdin or a prompt (never argv)."),
        click.option("--password-stdin", is_flag=True, help="Read the password from stdin."),
        click.option("--target", envvar="ZAPDESK_SMOKE_TARGET", help="Site to scan (created as a target when new)."),
        click.option("--profile", default="smoke-baseline", show_default=True,
                     help="Scan profile (a baseline profile is created when missing)."),
        click.option("--timeout", default=600.0, show_default=True, type=float, help="Seconds the scan may take."),
        click.option("--insecure", is_flag=True, help="Accept a self-signed HTTPS certificate."),
        click.option("--strict", is_flag=True, help="Count skipped steps as failures."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def run_and_print_smoke(base_url, email, password_stdin, target, profile, timeout, insecure, strict) -> bool:
    from .setup.smoke import run_smoke

    opts = smoke_options(base_url, email, target, profile, timeout, insecure, password_stdin)
    steps = run_smoke(opts, on_step=lambda s: echo_result(s.name, s.status, s.detail))
    bad = {"fail", "skip"} if strict else {"fail"}
    failed = [s for s in steps if s.status in bad]
    click.echo(f"smoke: {sum(s.status == 'pass' for s in steps)} passed, "
               f"{sum(s.status == 'fail' for s in steps)} failed, {sum(s.status == 'skip' for s in steps)} skipped")
    return not failed


@click.command("smoke")
@smoke_params
@with_appcontext
def smoke_command(**kwargs):
    """Run the runbook's smoke list against a running zapdesk: /health, login, node
    connectivity, a sample scan to completion, report download, evolution visible.
    Exit 1 when a step fails (skips are printed with their reason)."""
    sys.exit(0 if run_and_print_smoke(**kwargs) else 1)


@click.command("upgrade-check")
@smoke_params
@with_appcontext
def upgrade_check_command(**kwargs):
    """After an upgrade: migrations at every head, the setup state consistent, then the
    smoke list. Exit 1 when anything fails (roll back with `zapdesk restore`)."""
    from .setup.doctor import check_migrations, check_setup_state

    findings = [check_migrations()]
    if findings[0].status == "ok":
        findings.append(check_setup_state())
    for finding in findings:
        echo_result(finding.name, finding.status, finding.detail, finding.fix)
    healthy = all(f.status != "fail" for f in findings)
    smoke_ok = run_and_print_smoke(**kwargs)
    sys.exit(0 if healthy and smoke_ok else 1)


def register_maintenance_commands(cli) -> None:
    for command in (backup_command, restore_command, doctor_command, smoke_command, upgrade_check_command):
        cli.add_command(command)
