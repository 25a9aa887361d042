"""Login, logout and "change my password"."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from .audit import audit
from .extensions import db, login_manager
from .models import User, utcnow
from .passwords import password_problems

bp = Blueprint("auth", __name__)
BAD_LOGIN = "Email or password is incorrect."


@login_manager.user_loader
def load_user(user_id: str):
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None


def find_user(email: str) -> User | None:
    return db.session.execute(
        db.select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()


def safe_next(target: str | None) -> str:
    """Only same-site relative paths; anything else goes to the dashboard."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("core.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.dashboard"))
    if request.method == "GET":
        return render_template("auth/login.html", email="")
    email = request.form.get("email", "").strip().lower()
    user = find_user(email) if email else None
    if user is None or not user.active or not user.check_password(request.form.get("password", "")):
        audit("auth.login", email or "-", outcome="denied", actor=email or "anonymous", commit=True)
        flash(BAD_LOGIN, "error")
        return render_template("auth/login.html", email=email), 401
    login_user(user)
    user.last_login_at = utcnow()
    audit("auth.login", user, actor=user.email, commit=True)
    return redirect(safe_next(request.args.get("next")))


@bp.post("/logout")
@login_required
def logout():
    audit("auth.logout", current_user._get_current_object(), commit=True)
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    if request.method == "GET":
        return render_template("auth/password.html")
    user = current_user._get_current_object()
    if not user.check_password(request.form.get("current_password", "")):
        flash("Your current password is incorrect.", "error")
        return render_template("auth/password.html"), 400
    new = request.form.get("new_password", "")
    if new != request.form.get("confirm_password", ""):
        flash("The two new passwords differ.", "error")
        return render_template("auth/password.html"), 400
    problems = password_problems(new, user.email)
    if problems:
        for problem in problems:
            flash(problem, "error")
        return render_template("auth/password.html"), 400
    user.set_password(new)
    audit("auth.password_changed", user)
    db.session.commit()
    flash("Password changed.", "success")
    return redirect(url_for("core.dashboard"))
