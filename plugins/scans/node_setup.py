"""Prepare a ZAP node for one scan attempt: a context holding the target's scope, and
the target's authentication applied as replacer rules (header, bearer, basic) or a
form login performed through ZAP so the session cookie lands in ZAP's HTTP state.

Secrets are decrypted here, sent to the node, and never logged or stored elsewhere."""
from __future__ import annotations

import base64
import re

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


def rule_description(scan) -> str:
    return f"{RULE_PREFIX}{scan.id}-{scan.attempt}"


def auth_headers(kind: str, config: dict) -> dict[str, str]:
    if kind == "header":
        return {config["header_name"]: config["header_value"]}
    if kind == "bearer":
        return {"Authorization": "Bearer " + config["token"]}
    if kind == "basic":
        raw = f"{config['username']}:{config['password']}".encode()
        return {"Authorization": "Basic " + base64.b64encode(raw).decode()}
    return {}


def apply_auth(run) -> None:
    kind = run.target.auth_kind or "none"
    if kind == "none":
        return
    config = target_auth_config(run.target)
    if kind == "form":
        form_login(run, config)
        return
    for header, value in auth_headers(kind, config).items():
        run.client.replacer_add_rule(rule_description(run.scan) + f"-{header.lower()}", True,
                                     "REQ_HEADER", False, header, value)
        run.remember(replacer_rules=[*run.zap_ids.get("replacer_rules", []), header.lower()])


def form_login(run, config: dict) -> None:
    """Log in through ZAP (so ZAP keeps the session cookie), using the client's form
    login call when the node supports it."""
    login = getattr(run.client, "form_login", None)
    if login is None:
        raise RuntimeError("this zapdesk build's ZAP client cannot perform form logins")
    login(run.zap_ids["context"], config["login_url"], config["username_field"],
          config["password_field"], config["username"], config["password"])
    run.remember(form_login=True)


def remove_auth(run) -> None:
    """Best effort: take the credentials off the node when the attempt ends."""
    remover = getattr(run.client, "replacer_remove_rule", None)
    if remover is None:
        return
    for header in run.zap_ids.get("replacer_rules", []):
        remover(rule_description(run.scan) + f"-{header}")
