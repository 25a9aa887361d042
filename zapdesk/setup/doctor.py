"""`zapdesk doctor`: what an operator checks first, each finding with the fix in words.

The runbook's "setup redirects never end" comes down to the two records of one fact
disagreeing: the database flag (Setting "setup.complete", what the app's redirect to
/setup obeys) and nginx/state/setup_complete (what nginx's redirect to HTTPS obeys)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .revisions import database_revisions, known_revision, pending_revisions, script_directory
from ..extensions import db
from ..health import check_redis, check_workers
from . import state, tls

CERT_WARN_DAYS = 21
NO_SCHEMA = "the database has no schema yet"


@dataclass
class Finding:
    name: str
    status: str  # ok | warn | fail
    detail: str
    fix: str = ""


def check_database() -> Finding:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:200]
        return Finding("database", "fail", f"unreachable ({reason})",
                       "start the db service (docker compose up -d db) or fix ZAPDESK_DATABASE_URL")
    return Finding("database", "ok", f"{db.engine.dialect.name} reachable")


def check_migrations() -> Finding:
    try:
        current = database_revisions()
    except SQLAlchemyError:
        db.session.rollback()
        return Finding("migrations", "fail", NO_SCHEMA, "run: zapdesk db upgrade")
    unknown = [rev for rev in current if not known_revision(script_directory(), rev)]
    if unknown:
        return Finding("migrations", "fail", f"the database is ahead of this code ({', '.join(unknown)})",
                       "run the zapdesk version that migrated it, or restore the pre-upgrade backup")
    pending = pending_revisions(current)
    if pending:
        return Finding("migrations", "fail", f"pending: {', '.join(pending)}", "run: zapdesk db upgrade")
    return Finding("migrations", "ok", f"up to date ({', '.join(current)})")


def check_setup_state() -> Finding:
    flag, path = state.is_complete(), state.nginx_state_file()
    present = path.exists()
    if flag and present:
        return Finding("setup state", "ok", f"complete in the database and {path} exists (nginx redirects HTTP to HTTPS)")
    if flag:
        return Finding("setup state", "fail",
                       f"the database says setup is complete but {path} is missing, so nginx keeps "
                       "serving plain HTTP instead of redirecting to HTTPS",
                       "fix the nginx state file: zapdesk doctor --fix (writes it)")
    if present and state.admin_exists():
        return Finding("setup state", "fail",
                       f"{path} exists and an administrator exists, but the database flag is not set: "
                       "every page redirects to /setup, which only offers the admin login",
                       "fix the database flag: zapdesk doctor --fix (marks setup complete)")
    if present:
        return Finding("setup state", "fail",
                       f"{path} exists but the database is not set up (no administrator): nginx "
                       "redirects to HTTPS while the app sends everyone to /setup",
                       "finish the wizard at https://<host>/setup, or restore the database backup "
                       "that goes with nginx/state/ (zapdesk restore FILE)")
    if not current_app.config.get("SETUP_REQUIRED"):
        return Finding("setup state", "warn", "not complete, and the wizard is off (ZAPDESK_SETUP_REQUIRED=false)",
                       "create an admin with: zapdesk user create --email E --role admin")
    return Finding("setup state", "warn", "setup is not complete yet", "open http://<host>/setup")


def fix_setup_state() -> str | None:
    """Make the two records agree where the right answer is certain; say what was done."""
    flag, path = state.is_complete(), state.nginx_state_file()
    if flag and not path.exists():
        state.write_nginx_state()
        return f"wrote {path}"
    if path.exists() and not flag and state.admin_exists():
        state.mark_complete()
        db.session.commit()
        return "marked setup complete in the database"
    return None


def check_certificate() -> Finding:
    folder = state.certs_dir()
    info = tls.read_installed(folder)
    if info is None:
        return Finding("certificate", "warn", f"no certificate in {folder} (nginx makes a temporary one)",
                       "finish the wizard's TLS step or put fullchain.pem and privkey.pem there")
    days = info.days_left()
    if days < 0:
        return Finding("certificate", "fail", f"{info.subject} expired {-days} days ago",
                       f"replace {folder}/fullchain.pem and privkey.pem (nginx reloads them)")
    if info.temporary or days < CERT_WARN_DAYS:
        why = "the temporary certificate" if info.temporary else f"expires in {days} days"
        return Finding("certificate", "warn", f"{info.subject}: {why}",
                       f"replace {folder}/fullchain.pem and privkey.pem with your CA's pair")
    kind = "self-signed, " if info.self_signed else ""
    return Finding("certificate", "ok", f"{info.subject} ({kind}{days} days left)")


def from_check(name: str, result, fix: str) -> Finding:
    return Finding(name, result.status, result.detail, fix if result.status != "ok" else "")


def run_doctor() -> list[Finding]:
    database = check_database()
    findings = [database]
    if database.status == "ok":
        migrations = check_migrations()
        findings.append(migrations)
        if migrations.detail != NO_SCHEMA:
            findings.append(check_setup_state())
    findings += [from_check("redis", check_redis(), "start the redis service or fix ZAPDESK_REDIS_URL"),
                 from_check("workers", check_workers(), "start workers: docker compose up -d worker "
                                                        "(logs: docker compose logs -f worker)"),
                 check_certificate()]
    return findings
