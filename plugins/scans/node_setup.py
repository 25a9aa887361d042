"""Prepare a ZAP node for one scan attempt: a context holding the target's scope, and
the target's authentication applied as request-header replacer rules: the header,
bearer or basic credentials, or for a form login the session cookie the worker obtained
by logging in (so the password itself never reaches the node).

Secrets are decrypted here, sent to the node, and never logged or stored elsewhere."""
from __future__ import annotations

import base64
import re

import requests

from plugins.profiles.service import target_auth_config

RULE_PREFIX = "zapdesk-scan-"


def context_name(scan) -> str:
    # The tick number keeps a retried "starting" tick from colliding with a context its
    # killed predecessor may already have created.
    return f"zapdesk-{scan.id}-{scan.attempt}-{scan.tick}"


def default_include(base_url: str) -> str:
    return "^" + re.escape(base_url.rstrip("/")) + ".*"


def prepare_node(run) -> None:
    scan, client = run.scan, run.client
    name = context_name(scan)
    context_id = client.context_new(name)
    for regex in run.target.scope_include or [default_include(run.base_url)]:
        client.context_include(name, regex)
    for regex in run.target.scope_exclude or []:
        client.context_exclude(name, regex)
    run.remember(context=name, context_id=context_id)
    apply_auth(run)


def rule_description(scan, header: str) -> str:
    # The tick number keeps a retried tick from colliding with a rule its killed
    # predecessor may already have added (ZAP rejects duplicate descriptions).
    return f"{RULE_PREFIX}{scan.id}-{scan.attempt}-{scan.tick}-{header.lower()}"


def auth_headers(kind: str, config: dict, timeout: float = 15.0) -> dict[str, str]:
    if kind == "header":
        return {config["header_name"]: config["header_value"]}
    if kind == "bearer":
        return {"Authorization": "Bearer " + config["token"]}
    if kind == "basic":
        raw = f"{config['username']}:{config['password']}".encode()
        return {"Authorization": "Basic " + base64.b64encode(raw).decode()}
    if kind == "form":
        return {"Cookie": form_login_cookie(config, timeout)}
    return {}


def form_login_cookie(config: dict, timeout: float) -> str:
    """Log in with the form (from the worker) and return the session cookies as a
    Cookie header for ZAP to send; the credentials themselves never reach the node."""
    from .phases import PhaseFailed

    session = requests.Session()
    data = {config["username_field"]: config["username"], config["password_field"]: config["password"]}
    try:
        response = session.post(config["login_url"], data=data, timeout=timeout, allow_redirects=True)
    except requests.RequestException as exc:
        raise PhaseFailed(f"form login at {config['login_url']} failed: {type(exc).__name__}") from None
    if response.status_code >= 400 or not session.cookies:
        raise PhaseFailed(f"form login at {config['login_url']} gave HTTP {response.status_code} and "
                          "no session cookie: check the login URL, the field names and the credentials")
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def target_url_regex(base_url: str) -> str:
    """Only requests to this target carry its credentials, never other targets scanned
    on the same node at the same time."""
    return re.escape(base_url.rstrip("/")) + "(?:[/?#].*)?"


def apply_auth(run) -> None:
    kind = run.target.auth_kind or "none"
    if kind == "none":
        return
    config = target_auth_config(run.target)
    for header, value in auth_headers(kind, config).items():
        description = rule_description(run.scan, header)
        run.client.replacer_add_rule(description, True, "REQ_HEADER", False, header, value,
                                     url=target_url_regex(run.target.base_url))
        run.remember(replacer_rules=[*run.zap_ids.get("replacer_rules", []), description])


def remove_auth(run) -> None:
    """Best effort: take the credentials off the node when the attempt ends."""
    remover = getattr(run.client, "replacer_remove_rule", None)
    if remover is None:
        return
    for description in run.zap_ids.get("replacer_rules", []):
        remover(description)
