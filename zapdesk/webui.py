"""What every page needs: the nav from `menu_links`, `can()` in templates, flash messages
as an out-of-band swap on HTMX requests, and `Vary: HX-Request`."""
from __future__ import annotations

from flask import Flask, get_flashed_messages, render_template, request
from flask_login import current_user
from markupsafe import Markup

from . import __version__
from .permissions import can
from .plugins import flatten, get_plugin_manager


def nav_links():
    links = flatten(get_plugin_manager().hook.menu_links(user=current_user))
    return sorted(links, key=lambda link: (link.order, link.label))


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def add_vary_and_oob_flashes(response):
    response.vary.add("HX-Request")
    if not is_htmx() or response.status_code in (301, 302, 303):
        return response
    if response.mimetype != "text/html" or response.direct_passthrough:
        return response
    messages = get_flashed_messages(with_categories=True)
    if messages:
        fragment = render_template("core/_flashes.html", messages=messages, oob=True)
        response.set_data(response.get_data() + fragment.encode())
    return response


def register(app: Flask) -> None:
    app.after_request(add_vary_and_oob_flashes)
    app.jinja_env.globals.update(can=can, nav_links=nav_links, zapdesk_version=__version__,
                                 is_htmx=is_htmx)
    app.jinja_env.filters["dt"] = format_datetime


def format_datetime(value, fmt: str = "%Y-%m-%d %H:%M") -> Markup | str:
    if value is None:
        return "—"
    return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), value.strftime(fmt) + " UTC")
