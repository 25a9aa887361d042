"""Start-up checks that fail with one clear line naming the setting to fix."""
from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from .jobs import get_redis


class PreflightError(RuntimeError):
    pass


def redact(url: str) -> str:
    """A URL fit for a message: the password is never shown."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable URL>"


def check_database(app) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        engine = create_engine(url, **_probe_options(url))
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise PreflightError(
            f"cannot connect to the database {redact(url)} ({reason}); "
            "fix ZAPDESK_DATABASE_URL or start the database") from exc


def _probe_options(url: str) -> dict:
    if url.startswith("postgresql"):
        return {"connect_args": {"connect_timeout": 5}}
    return {}


def check_redis(app) -> None:
    configured = app.config.get("REDIS_URL")
    try:
        with app.app_context():
            get_redis().ping()
    except Exception as exc:
        where = redact(configured) if configured else "the embedded Redis"
        raise PreflightError(
            f"cannot reach Redis at {where} ({type(exc).__name__}: {str(exc)[:160]}); "
            "fix ZAPDESK_REDIS_URL (unset it to use the embedded Redis) or start Redis") from exc


def run_preflight(app, redis_needed: bool = True) -> None:
    check_database(app)
    if redis_needed:
        check_redis(app)
