"""What the wizard remembers between requests (and restarts): one Setting, "setup.state",
plus the two places outside the database that setup touches — the certs folder and the
nginx state folder (`setup_complete` there switches nginx from proxying HTTP to
redirecting it to HTTPS)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app

from ..extensions import db
from ..models import User, get_setting, set_setting
from ..setup_gate import SETUP_FLAG

STATE_KEY = "setup.state"
INSTANCE_NAME_KEY = "instance.name"
EXTERNAL_URL_KEY = "instance.external_base_url"
NGINX_STATE_FILE = "setup_complete"
STEPS = ("instance", "admin", "tls", "zap", "finish")
STEP_TITLES = {"instance": "Instance", "admin": "Administrator", "tls": "TLS certificate",
               "zap": "ZAP node", "finish": "Finish"}


def config_defaults(instance_path: Path) -> dict[str, str]:
    """Where deployment state lives (compose points these at bind mounts and volumes)."""
    return {"NGINX_STATE_PATH": str(instance_path / "nginx" / "state"),
            "CERTS_PATH": str(instance_path / "certs"),
            "BACKUP_PATH": str(instance_path / "backups"),
            "SETUP_ZAP_URL": "http://zap:8080",
            "SETUP_ZAP_API_KEY": ""}


def certs_dir(app=None) -> Path:
    return Path((app or current_app).config["CERTS_PATH"])


def nginx_state_dir(app=None) -> Path:
    return Path((app or current_app).config["NGINX_STATE_PATH"])


def nginx_state_file(app=None) -> Path:
    return nginx_state_dir(app) / NGINX_STATE_FILE


def write_nginx_state(app=None) -> Path:
    path = nginx_state_file(app)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("setup complete\n")
    return path


def load_state() -> dict[str, Any]:
    return dict(get_setting(STATE_KEY, {}) or {})


def save_step(step: str, data: dict[str, Any]) -> None:
    """Record a step's outcome (the caller commits, together with its audit line)."""
    state = load_state()
    state[step] = data
    set_setting(STATE_KEY, state)


def admin_exists() -> bool:
    return db.session.execute(db.select(User.id).where(User.role == "admin").limit(1)).first() is not None


def done_steps() -> set[str]:
    state = load_state()
    done = {step for step in ("instance", "tls", "zap") if state.get(step)}
    if admin_exists():
        done.add("admin")
    return done


def first_open_step() -> str:
    done = done_steps()
    return next((step for step in STEPS if step not in done), "finish")


def reachable(step: str) -> bool:
    """A step can be opened once every step before it is done (going back is allowed)."""
    done = done_steps()
    return all(s in done for s in STEPS[:STEPS.index(step)])


def mark_complete() -> None:
    set_setting(SETUP_FLAG, True)


def is_complete() -> bool:
    return bool(get_setting(SETUP_FLAG, False))


def apply_instance_settings(app) -> None:
    """The wizard's instance name and external URL override the configured defaults."""
    name = get_setting(INSTANCE_NAME_KEY)
    url = get_setting(EXTERNAL_URL_KEY)
    if name:
        app.config["INSTANCE_NAME"] = name
    if url:
        app.config["EXTERNAL_BASE_URL"] = url
