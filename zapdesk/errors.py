"""Error pages: a page (or an HTMX fragment) a person can act on, never a stack trace."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Check the form and try again."),
    403: ("Not allowed", "Your role does not allow this. Ask an administrator if you need it."),
    404: ("Not found", "There is nothing at this address. It may have been deleted or mistyped."),
    405: ("Method not allowed", "This address does not accept that kind of request."),
    413: ("Too large", "The upload is larger than this server accepts."),
    500: ("Something went wrong", "The error was logged. Try again; if it persists, tell an administrator."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json")


def render_error(code: int, message: str | None = None):
    title, default = MESSAGES.get(code, ("Error", "The request failed."))
    text = message or default
    if wants_json():
        return jsonify({"error": title, "message": text}), code
    template = "errors/_error.html" if request.headers.get("HX-Request") else "errors/error.html"
    return render_template(template, code=code, title=title, message=text), code


def custom_description(exc) -> str | None:
    """A description passed to abort(code, description=...) is meant for the user;
    werkzeug's class default is not."""
    description = getattr(exc, "description", None)
    if description and description != getattr(type(exc), "description", None):
        return description
    return None


def register(app: Flask) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, lambda exc, code=code: render_error(code, custom_description(exc)))

    @app.errorhandler(CSRFError)
    def csrf_error(_exc):
        return render_error(400, "This form has expired or was sent from another page. "
                                 "Reload the page and submit it again.")
