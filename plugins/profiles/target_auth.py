"""A target's authentication settings: validated, encrypted at rest as one JSON blob,
decrypted only in the worker that applies them on a ZAP node."""
from __future__ import annotations

import json
import re

from zapdesk import secrets_box

from .validation import ValidationError, clean_base_url

# Fields per kind; the ones in SECRET_FIELDS are never rendered back into a form.
FIELDS = {
    "none": (),
    "header": ("header_name", "header_value"),
    "bearer": ("token",),
    "basic": ("username", "password"),
    "form": ("login_url", "username_field", "password_field", "username", "password"),
}
SECRET_FIELDS = {"header_value", "token", "password"}
HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$")


def clean_auth(kind: str, form: dict, previous: dict | None = None) -> dict:
    """The auth settings for `kind` from form values; a blank secret keeps the previous one."""
    if kind not in FIELDS:
        raise ValidationError({"auth_kind": f"authentication must be one of: {', '.join(FIELDS)}"})
    previous = previous or {}
    config, errors = {}, {}
    for field in FIELDS[kind]:
        value = (form.get(field) or "").strip()
        if not value and field in SECRET_FIELDS:
            value = previous.get(field, "")
        if not value:
            errors[field] = "required for this kind of authentication"
        config[field] = value
    errors.update(_kind_errors(kind, config))
    if errors:
        raise ValidationError(errors)
    return config


def _kind_errors(kind: str, config: dict) -> dict:
    errors = {}
    if kind == "header" and config.get("header_name") and not HEADER_NAME.match(config["header_name"]):
        errors["header_name"] = "not a valid HTTP header name"
    if kind == "form" and config.get("login_url"):
        try:
            config["login_url"] = clean_base_url(config["login_url"])
        except ValueError as exc:
            errors["login_url"] = str(exc)
    for field in ("header_value", "token", "username", "password"):
        if any(c in (config.get(field) or "") for c in "\r\n"):
            errors[field] = "must not contain line breaks"
    return errors


def encrypt_auth(config: dict) -> str | None:
    return secrets_box.encrypt(json.dumps(config)) if config else None


def decrypt_auth(token: str | None) -> dict:
    return json.loads(secrets_box.decrypt(token)) if token else {}


def public_view(kind: str, config: dict) -> dict:
    """The settings that may be shown: secrets replaced by a marker."""
    return {k: ("•••••• (set)" if k in SECRET_FIELDS and v else v) for k, v in config.items()
            if k in FIELDS.get(kind, ())}
