"""A third-party plugin, installed with pip in the test session: it adds a page, a menu
link, a dashboard panel, a health check, a periodic job, a command and a scan_finished
listener, through hooks only."""
import click
from flask import Blueprint, render_template

from zapdesk.contracts import Check, CheckResult, MenuLink, Panel, PeriodicJob
from zapdesk.hookspecs import hookimpl

bp = Blueprint("testplugin", __name__, template_folder="templates", url_prefix="/testplugin")
FINISHED: list[int] = []


@bp.get("/")
def index():
    return render_template("testplugin/index.html")


@bp.get("/panel")
def panel():
    return "<p>testplugin panel body</p>"


@hookimpl
def config_defaults():
    return {"TESTPLUGIN_GREETING": "hello from testplugin", "JOB_TIMEOUT": 1}


@hookimpl
def register_blueprints():
    return [bp]


@hookimpl
def menu_links(user):
    return [MenuLink("Test plugin", "testplugin.index", order=999)] if user.is_authenticated else []


@hookimpl
def dashboard_panels(user):
    return [Panel("Test plugin panel", "testplugin.panel")]


@hookimpl
def health_checks():
    return [Check("testplugin", lambda: CheckResult("ok", "fine"))]


@hookimpl
def register_jobs():
    return [PeriodicJob("testplugin-tick", "zapdesk_testplugin.tick", every_seconds=3600)]


@hookimpl
def register_commands(cli):
    @cli.command("testplugin-hello")
    def hello():
        """Say hello (proves plugins add commands)."""
        click.echo("hello from testplugin")


@hookimpl
def scan_finished(scan):
    FINISHED.append(getattr(scan, "id", scan))


def tick():
    return "ticked"
