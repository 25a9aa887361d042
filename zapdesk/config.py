"""Configuration: built-in defaults -> plugin defaults -> instance file -> ZAPDESK_* env.

Every key is documented in README.md ("Configuration"). The instance folder holds all
local state: the SQLite file, the embedded Redis socket and data, media and the secret key.
"""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

ENV_PREFIX = "ZAPDESK_"

DEFAULTS: dict[str, Any] = {
    "INSTANCE_NAME": "zapdesk",
    "EXTERNAL_BASE_URL": "",
    "DATABASE_URL": "",  # empty: sqlite:///<instance>/zapdesk.sqlite3
    "REDIS_URL": "",  # empty: the embedded Redis under <instance>/redis/
    "MEDIA_PATH": "",  # empty: <instance>/media
    "SECRET_KEY": "",  # empty: generated once into <instance>/secret_key
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "JOB_TIMEOUT": 300,
    "WORKER_HEARTBEAT_SECONDS": 15,
    "LOG_LEVEL": "INFO",
    "SETUP_REQUIRED": True,
    "WTF_CSRF_ENABLED": True,
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "TRUSTED_PROXY_COUNT": 0,  # 1 behind nginx (compose sets it): trust one X-Forwarded-* hop
    "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
}

# Flask reads these names directly; everything else is zapdesk's own.
_BOOL_TRUE = {"1", "true", "yes", "on"}


def instance_path_from_env() -> Path:
    return Path(os.environ.get(ENV_PREFIX + "INSTANCE_PATH", "instance")).resolve()


def load_instance_file(instance_path: Path) -> dict[str, Any]:
    """Optional `<instance>/zapdesk.json`: a flat object of config keys."""
    path = instance_path / "zapdesk.json"
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text())
    except ValueError as exc:
        raise ConfigError(f"{path} is not valid JSON ({exc}); fix or remove it") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold a JSON object of settings")
    return data


def coerce(value: str, like: Any) -> Any:
    """Turn an env string into the type of the default it overrides."""
    if isinstance(like, bool):
        return value.strip().lower() in _BOOL_TRUE
    if isinstance(like, int):
        try:
            return int(value)
        except ValueError as exc:
            raise ConfigError(f"expected a whole number, got {value!r}") from exc
    if isinstance(like, float):
        return float(value)
    if isinstance(like, (list, dict)):
        return json.loads(value)
    return value


def env_overrides(known: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in os.environ.items():
        if not name.startswith(ENV_PREFIX) or name == ENV_PREFIX + "INSTANCE_PATH":
            continue
        key = name[len(ENV_PREFIX):]
        try:
            out[key] = coerce(value, known.get(key, ""))
        except (ConfigError, ValueError) as exc:
            raise ConfigError(f"{name}: {exc}") from exc
    return out


def secret_key(instance_path: Path) -> str:
    """Generated on first run, persisted with mode 0600, never a constant in code."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def finalize(config: dict[str, Any], instance_path: Path) -> None:
    """Fill the derived defaults that depend on the instance folder."""
    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'zapdesk.sqlite3'}"
    if not config.get("MEDIA_PATH"):
        config["MEDIA_PATH"] = str(instance_path / "media")
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = secret_key(instance_path)
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["DATABASE_URL"])
    config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(config["SQLALCHEMY_DATABASE_URI"]))


def normalise_database_url(url: str) -> str:
    if url.startswith("postgres://"):
        return "postgresql://" + url[len("postgres://"):]
    return url


def engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        # WAL + a busy timeout let the web process and workers share one file.
        return {"connect_args": {"timeout": 30, "check_same_thread": False}}
    return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}


class ConfigError(RuntimeError):
    """A setting is wrong; the message names it and says how to fix it."""
