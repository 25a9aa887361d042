"""Ops settings: thresholds and retention. Defaults come from config (`config_defaults`,
overridable by ZAPDESK_* env); an admin's edits are stored as zapdesk Settings and win."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from zapdesk.models import get_setting, set_setting

from .agent.actions import DEFAULT_SERVICES

SETTING_PREFIX = "ops."
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Tunable:
    """One admin-editable number: its config key, label, bounds and unit."""

    key: str
    label: str
    default: float
    minimum: float
    maximum: float
    unit: str = ""
    whole: bool = True


TUNABLES = (
    Tunable("OPS_DISK_WARN_PERCENT", "Disk usage warning", 80, 1, 100, "%"),
    Tunable("OPS_DISK_FAIL_PERCENT", "Disk usage failure", 95, 1, 100, "%"),
    Tunable("OPS_CERT_WARN_DAYS", "Certificate expiry warning window", 21, 0, 365, "days"),
    Tunable("OPS_QUEUE_LATENCY_WARN_SECONDS", "Queue latency warning", 60, 1, 86400, "s"),
    Tunable("OPS_QUEUE_LATENCY_FAIL_SECONDS", "Queue latency failure", 900, 1, 86400, "s"),
    Tunable("OPS_FAILED_SCAN_RATE_WARN_PERCENT", "Failed-scan rate warning (24 h)", 20, 0, 100, "%"),
    Tunable("OPS_FAILED_SCAN_RATE_FAIL_PERCENT", "Failed-scan rate failure (24 h)", 50, 0, 100, "%"),
    Tunable("OPS_REDIS_MEMORY_WARN_MB", "Redis memory warning", 512, 1, 1_000_000, "MB"),
    Tunable("OPS_AUDIT_RETENTION_DAYS", "Keep audit events for", 365, 1, 36500, "days"),
)
TUNABLE_BY_KEY = {t.key: t for t in TUNABLES}


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUE


def config_defaults() -> dict:
    """Plain ENABLE_OPS_AGENT / OPS_AGENT_TOKEN (the compose .env names the runbook uses)
    seed the defaults; ZAPDESK_-prefixed variables still override them."""
    defaults = {t.key: int(t.default) if t.whole else t.default for t in TUNABLES}
    defaults.update({
        "ENABLE_OPS_AGENT": env_flag("ENABLE_OPS_AGENT"),
        "OPS_AGENT_TOKEN": os.environ.get("OPS_AGENT_TOKEN", ""),
        "OPS_AGENT_URL": "http://ops:8091",
        "OPS_AGENT_PROJECT_DIR": "",
        "OPS_AGENT_SERVICES": ",".join(DEFAULT_SERVICES),
        "OPS_AGENT_DOCKER": "docker",
        "OPS_AGENT_CONNECT_TIMEOUT": 3.0,
        "OPS_AGENT_TIMEOUT": 180.0,
        "OPS_COMPOSE_PROJECT": os.environ.get("COMPOSE_PROJECT_NAME", "zapdesk"),
        "OPS_ZAP_URL_PATTERN": "http://{project}-zap-{index}:8080",
        "OPS_ZAP_SCALE_MAX": 10,
        "ZAP_API_KEY": os.environ.get("ZAP_API_KEY", ""),  # the compose .env name
        "METRICS_TOKEN": "",
        "OPS_DATABASE_VOLUME_PATH": "",
    })
    return defaults


def threshold(key: str) -> float:
    tunable = TUNABLE_BY_KEY[key]
    value = get_setting(SETTING_PREFIX + key)
    if value is None:
        value = current_app.config.get(key, tunable.default)
    return float(value)


def save_thresholds(form: dict) -> dict[str, str]:
    """Validate every tunable in `form`; save all or nothing. Returns field errors."""
    errors, parsed = {}, {}
    for tunable in TUNABLES:
        raw = str(form.get(tunable.key, "")).strip()
        try:
            value = int(raw) if tunable.whole else float(raw)
        except ValueError:
            errors[tunable.key] = "Enter a number."
            continue
        if not tunable.minimum <= value <= tunable.maximum:
            errors[tunable.key] = f"Between {tunable.minimum:g} and {tunable.maximum:g}."
        parsed[tunable.key] = value
    errors.update(pair_errors(parsed))
    if not errors:
        for key, value in parsed.items():
            set_setting(SETTING_PREFIX + key, value)
    return errors


def pair_errors(values: dict) -> dict[str, str]:
    """A warning level must come before its failure level."""
    pairs = (("OPS_DISK_WARN_PERCENT", "OPS_DISK_FAIL_PERCENT"),
             ("OPS_QUEUE_LATENCY_WARN_SECONDS", "OPS_QUEUE_LATENCY_FAIL_SECONDS"),
             ("OPS_FAILED_SCAN_RATE_WARN_PERCENT", "OPS_FAILED_SCAN_RATE_FAIL_PERCENT"))
    return {fail: "Must be at least the warning level." for warn, fail in pairs
            if warn in values and fail in values and values[fail] < values[warn]}


def certs_path() -> Path:
    """CERTS_PATH is the setup wizard's key (zapdesk/setup): the folder nginx loads."""
    configured = current_app.config.get("CERTS_PATH")
    return Path(configured) if configured else Path(current_app.instance_path) / "certs"
