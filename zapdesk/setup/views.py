"""Wizard steps 1-2 (instance, first administrator) and the wizard's own login, used to
resume after a restart or the switch from HTTP to HTTPS."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import login_user

from ..audit import audit
from ..auth import find_user
from ..extensions import db
from ..models import User, set_setting, utcnow
from ..passwords import password_problems
from . import state
from .blueprint import bp

MAX_NAME = 80


def render_step(step: str, code: int = 200, **context):
    return render_template(f"setup/{step}.html", step=step, steps=state.STEPS,
                           titles=state.STEP_TITLES, done=state.done_steps(), **context), code


@bp.get("/")
def index():
    return redirect(url_for("setup." + state.first_open_step()))


def external_url_problem(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "Enter the address people will use, e.g. https://zapdesk.example.com"
    if parts.username or parts.password or parts.query or parts.fragment:
        return "The address must not contain credentials, a query or a fragment."
    try:
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return "The port in the address is not a number between 1 and 65535."
    return None


def instance_errors(name: str, url: str) -> dict[str, str]:
    errors = {}
    if not name or len(name) > MAX_NAME:
        errors["instance_name"] = f"Give this instance a name of 1 to {MAX_NAME} characters."
    problem = external_url_problem(url)
    if problem:
        errors["external_url"] = problem
    return errors


@bp.route("/instance", methods=["GET", "POST"])
def instance():
    saved = state.load_state().get("instance") or {}
    if request.method == "GET":
        return render_step("instance", form=saved or default_instance_form(), errors={})
    form = {"instance_name": request.form.get("instance_name", "").strip(),
            "external_url": request.form.get("external_url", "").strip().rstrip("/")}
    errors = instance_errors(form["instance_name"], form["external_url"])
    if errors:
        return render_step("instance", 400, form=form, errors=errors)
    state.save_step("instance", form)
    set_setting(state.INSTANCE_NAME_KEY, form["instance_name"])
    set_setting(state.EXTERNAL_URL_KEY, form["external_url"])
    audit("setup.instance", form["instance_name"], external_url=form["external_url"])
    db.session.commit()
    state.apply_instance_settings(current_app)
    return redirect(url_for("setup.admin"))


def default_instance_form() -> dict[str, str]:
    return {"instance_name": current_app.config.get("INSTANCE_NAME") or "zapdesk",
            "external_url": current_app.config.get("EXTERNAL_BASE_URL") or request.host_url.rstrip("/")}


def admin_errors(email: str, password: str, confirm: str) -> dict[str, str]:
    errors = {}
    if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
        errors["email"] = "Enter the administrator's email address."
    elif find_user(email) is not None:
        errors["email"] = "A user with this email already exists; use another address."
    problems = password_problems(password, email)
    if problems:
        errors["password"] = " ".join(problems)
    elif password != confirm:
        errors["confirm"] = "The two passwords differ."
    return errors


@bp.route("/admin", methods=["GET", "POST"])
def admin():
    if state.admin_exists():  # only ever the first account; the guard made sure it is you
        return render_step("admin", existing=True)
    if request.method == "GET":
        return render_step("admin", email="", errors={})
    email = request.form.get("email", "").strip().lower()
    password = request.form.get("password", "")
    errors = admin_errors(email, password, request.form.get("confirm", ""))
    if errors:
        return render_step("admin", 400, email=email, errors=errors)
    user = User(email=email, role="admin", active=True, last_login_at=utcnow())
    user.set_password(password)
    db.session.add(user)
    audit("setup.admin_created", email, actor=email)
    db.session.commit()
    login_user(user)
    return redirect(url_for("setup.tls"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Resuming the wizard (new browser, HTTPS origin): the first admin logs in here,
    since every other page, /login included, redirects to the wizard meanwhile."""
    if request.method == "GET":
        return render_template("setup/login.html", email="")
    email = request.form.get("email", "").strip().lower()
    user = find_user(email) if email else None
    if user is None or user.role != "admin" or not user.active \
            or not user.check_password(request.form.get("password", "")):
        audit("setup.login", email or "-", outcome="denied", actor=email or "anonymous", commit=True)
        flash("Email or password is incorrect (only the administrator created by this wizard "
              "can continue it).", "error")
        return render_template("setup/login.html", email=email), 401
    login_user(user)
    audit("setup.login", user, actor=user.email, commit=True)
    return redirect(url_for("setup.index"))
