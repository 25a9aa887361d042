"""`zapdesk smoke`: the runbook's smoke list after an install or upgrade — /health, login,
node connectivity, a sample scan to completion, report download, evolution visible.

Pages are checked over HTTP as a person would see them (the base URL, through nginx when
given its address); nodes are tested through the nodes plugin's service (what "Test all"
does); the target comes from the profiles service; the profile and the scan go through the
documented commands (`zapdesk profile add`, `zapdesk scan start --wait`). Every step reports pass, fail or
skip with the reason."""
from __future__ import annotations

import http.cookiejar
import json
import re
import ssl
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db


@dataclass
class Step:
    name: str
    status: str = "skip"  # pass | fail | skip
    detail: str = ""


@dataclass
class SmokeOptions:
    base_url: str
    email: str = ""
    password: str = ""
    target: str = ""
    profile: str = "smoke-baseline"
    scan_timeout: float = 600.0
    insecure: bool = False
    context: dict = field(default_factory=dict)  # what earlier steps learned (scan id, target id)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies, CSRF token and no automatic redirects: enough to log in like a person."""

    def __init__(self, base_url: str, insecure: bool = False):
        self.base = base_url.rstrip("/")
        context = ssl._create_unverified_context() if insecure else None  # noqa: S323 (opt-in for self-signed)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect(),
            urllib.request.HTTPSHandler(context=context))

    def request(self, path: str, data: dict | None = None, timeout: float = 30):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()



def csrf_token(page: bytes) -> str:
    match = re.search(rb'name="csrf-token" content="([^"]+)"', page)
    return match.group(1).decode() if match else ""


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "zapdesk", *args], capture_output=True, text=True,
                          timeout=timeout)


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def step_health(browser: Browser, opts: SmokeOptions) -> Step:
    try:
        status, _, body = browser.request("/health", timeout=15)
    except (urllib.error.URLError, OSError) as exc:
        return Step("health", "fail", f"{browser.base} unreachable ({getattr(exc, 'reason', exc)})")
    try:
        overall = json.loads(body).get("status")
    except ValueError:
        return Step("health", "fail", f"/health answered {status} without JSON (is this zapdesk?)")
    ok = status == 200 and overall in ("ok", "degraded")
    return Step("health", "pass" if ok else "fail", f"HTTP {status}, status {overall}")


def step_login(browser: Browser, opts: SmokeOptions) -> Step:
    if not (opts.email and opts.password):
        return Step("login", "skip", "no credentials: pass --email and set ZAPDESK_SMOKE_PASSWORD "
                                     "(or pipe the password on stdin)")
    status, headers, body = browser.request("/login")
    if status in (301, 302) and "/setup" in headers.get("Location", ""):
        return Step("login", "fail", "setup is not complete: every page redirects to /setup "
                                     "(zapdesk doctor explains why)")
    form = {"email": opts.email, "password": opts.password, "csrf_token": csrf_token(body)}
    status, _, _ = browser.request("/login", form)
    if status != 302:
        return Step("login", "fail", f"login refused (HTTP {status}): check the email and password")
    dashboard = browser.request("/dashboard")[0]
    return Step("login", "pass" if dashboard == 200 else "fail",
                f"logged in as {opts.email}; /dashboard HTTP {dashboard}")


def step_nodes(browser: Browser, opts: SmokeOptions) -> Step:
    from .nodes_step import service

    nodes_service = service()
    if nodes_service is None:
        return Step("node connectivity", "skip", "the nodes plugin is not installed")
    nodes = nodes_service.list_nodes(enabled_only=True)
    if not nodes:
        return Step("node connectivity", "fail", "no enabled ZAP node: add one at /zapnodes")
    results = [(node.name, nodes_service.test_node(node)) for node in nodes]
    detail = "; ".join(f"{name}: {r.status}" + (f" ({r.error})" if r.error else f" {r.version}, {r.latency_ms} ms")
                       for name, r in results)
    return Step("node connectivity", "pass" if all(r.ok for _, r in results) else "fail", detail[:500])


def ensure_scan_inputs(opts: SmokeOptions) -> str | None:
    """Create the smoke target (profiles service) and profile (`zapdesk profile add`) when
    missing; returns an error or None."""
    from plugins.profiles.service import get_or_create_target, get_profile_by_name

    target = get_or_create_target(opts.target, project_name="Smoke tests")
    db.session.commit()
    opts.context["target_id"] = target.id
    if get_profile_by_name(opts.profile) is None:
        result = run_cli("profile", "add", opts.profile, "--kind", "baseline")
        if result.returncode != 0:
            return f"cannot add the profile {opts.profile}: {last_line(result.stderr)}"
    return None


def step_scan(browser: Browser, opts: SmokeOptions) -> Step:
    if not opts.target:
        return Step("sample scan", "skip", "no --target URL given (a site you are allowed to scan)")
    problem = ensure_scan_inputs(opts)
    if problem:
        return Step("sample scan", "fail", problem)
    result = run_cli("scan", "start", "--target", opts.target, "--profile", opts.profile, "--wait",
                     "--timeout", str(int(opts.scan_timeout)), timeout=opts.scan_timeout + 60)
    try:
        outcome = json.loads(last_line(result.stdout))
    except ValueError:
        return Step("sample scan", "fail", last_line(result.stderr))
    opts.context["scan_id"] = outcome.get("id")
    detail = (f"scan {outcome.get('id')} {outcome.get('state')} on {outcome.get('node')}: "
              f"{outcome.get('urls')} URLs, {outcome.get('alerts')} alerts")
    if outcome.get("state") != "done":
        return Step("sample scan", "fail", f"{detail}; {outcome.get('error') or 'see the worker logs'}")
    return Step("sample scan", "pass", detail)


def needs(opts: SmokeOptions, *keys: str) -> str | None:
    if not opts.context.get("logged_in"):
        return "needs a successful login"
    missing = [k for k in keys if not opts.context.get(k)]
    return "needs a finished sample scan" if missing else None


def step_report(browser: Browser, opts: SmokeOptions) -> Step:
    reason = needs(opts, "scan_id", "scan_done")
    if reason:
        return Step("report download", "skip", reason)
    path = f"/scans/{opts.context['scan_id']}/report/html"
    status, headers, body = browser.request(path, timeout=120)
    ok = status == 200 and headers.get("Content-Type", "").startswith("text/html") and body
    return Step("report download", "pass" if ok else "fail",
                f"GET {path}: HTTP {status}, {len(body)} bytes")


def step_evolution(browser: Browser, opts: SmokeOptions) -> Step:
    reason = needs(opts, "target_id", "scan_done")
    if reason:
        return Step("evolution visible", "skip", reason)
    path = f"/targets/{opts.context['target_id']}/evolution"
    status, _, body = browser.request(path)
    ok = status == 200 and b"volution" in body
    return Step("evolution visible", "pass" if ok else "fail", f"GET {path}: HTTP {status}")


def guarded(check, browser: Browser, opts: SmokeOptions) -> Step:
    """A step that breaks is a failed step with its reason, never a traceback."""
    try:
        return check(browser, opts)
    except Exception as exc:  # noqa: BLE001  (report and go on with the other steps)
        db.session.rollback()
        name = check.__name__.removeprefix("step_").replace("_", " ")
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:200] if str(exc) else ""
        hint = " (run `zapdesk doctor`)" if isinstance(exc, SQLAlchemyError) else ""
        return Step(STEP_NAMES.get(name, name), "fail", f"{type(exc).__name__}: {reason}{hint}")


STEP_NAMES = {"nodes": "node connectivity", "scan": "sample scan", "report": "report download",
              "evolution": "evolution visible"}


def run_smoke(opts: SmokeOptions, on_step=None) -> list[Step]:
    browser = Browser(opts.base_url, opts.insecure)
    steps = []
    for check in (step_health, step_login, step_nodes, step_scan, step_report, step_evolution):
        step = guarded(check, browser, opts)
        if step.name == "login" and step.status == "pass":
            opts.context["logged_in"] = True
        if step.name == "sample scan" and step.status == "pass":
            opts.context["scan_done"] = True
        steps.append(step)
        if on_step:
            on_step(step)
    return steps
