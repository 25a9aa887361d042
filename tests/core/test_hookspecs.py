"""The plugin contract: documented hookspecs, a test per hook, and a third-party plugin
(pip-installed from tests/testplugin in this session) that adds a page, a menu link and a
scan_finished listener without touching the core."""
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from zapdesk import create_app, hookspecs
from zapdesk.contracts import PeriodicJob
from zapdesk.plugins import build_plugin_manager

ROOT = Path(__file__).resolve().parents[2]


def spec_names():
    return sorted(name for name, obj in vars(hookspecs).items()
                  if inspect.isfunction(obj) and hasattr(obj, "zapdesk_spec"))


def test_every_hookspec_has_a_docstring():
    names = spec_names()
    assert len(names) >= 15
    for name in names:
        doc = inspect.getdoc(getattr(hookspecs, name)) or ""
        assert len(doc) > 40, f"hookspec {name} needs a docstring saying when it is called and what it returns"


def test_every_hookspec_has_a_test():
    sources = "\n".join(p.read_text() for folder in ("tests", "plugins")
                        for p in (ROOT / folder).rglob("test_*.py"))
    missing = [n for n in spec_names() if not re.search(rf"def test_hook_{n}\b", sources)]
    assert not missing, f"hookspecs without a test_hook_<name>: {missing}"


@pytest.fixture(scope="module")
def third_party(tmp_path_factory, test_env):
    """pip-install tests/testplugin into a private folder and build an app with it."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-build-isolation", "--target", str(target), str(ROOT / "tests" / "testplugin")],
                   check=True)
    sys.path.insert(0, str(target))
    try:
        pm = build_plugin_manager()
        assert pm.get_plugin("testplugin") is not None, "entry point not found after pip install"
        yield pm
    finally:
        sys.path.remove(str(target))


@pytest.fixture
def plugin_app(third_party, app):
    return create_app({"TESTING": True}, plugin_manager=third_party)


def login_client(plugin_app, make_user):
    from zapdesk.testing import AuthedClient

    return AuthedClient(plugin_app.test_client(), make_user("viewer"))


def test_third_party_plugin_adds_page_and_menu_link(plugin_app, make_user):
    c = login_client(plugin_app, make_user)
    html = c.get("/dashboard").get_data(as_text=True)
    assert '>Test plugin</a>' in html
    page = c.get("/testplugin/")
    assert page.status_code == 200 and "Test plugin page" in page.get_data(as_text=True)


def test_hook_scan_finished(third_party, plugin_app):
    import zapdesk_testplugin

    class FakeScan:
        id = 4242

    with plugin_app.app_context():  # first-party listeners enqueue jobs (they need the app)
        third_party.hook.scan_finished(scan=FakeScan())
    assert zapdesk_testplugin.FINISHED[-1] == 4242


def test_hook_config_defaults(plugin_app):
    assert plugin_app.config["TESTPLUGIN_GREETING"] == "hello from testplugin"
    assert plugin_app.config["JOB_TIMEOUT"] == 300, "core defaults win over plugin defaults"


def test_hook_register_blueprints(plugin_app):
    assert "testplugin.index" in plugin_app.view_functions
    for name in ("nodes", "profiles", "scans", "evolution", "reports", "ops"):
        assert name in plugin_app.blueprints


def test_hook_menu_links(plugin_app, make_user):
    c = login_client(plugin_app, make_user)
    html = c.get("/dashboard").get_data(as_text=True)
    labels = re.findall(r'<nav class="mainnav".*?</nav>', html, re.S)[0]
    assert labels.index(">Dashboard<") < labels.index(">Test plugin<")


def test_hook_dashboard_panels(plugin_app, make_user):
    c = login_client(plugin_app, make_user)
    html = c.get("/dashboard").get_data(as_text=True)
    assert "Test plugin panel" in html and 'hx-get="/testplugin/panel"' in html


def test_hook_health_checks(plugin_app):
    body = plugin_app.test_client().get("/health").json
    assert body["checks"]["testplugin"] == {"status": "ok", "detail": "fine"}
    assert {"database", "redis", "workers"} <= set(body["checks"])


def test_hook_register_jobs(third_party, plugin_app):
    from zapdesk.scheduler import tick

    with plugin_app.app_context():
        jobs = [j for j in third_party.hook.register_jobs() for j in (j or [])]
    assert any(isinstance(j, PeriodicJob) and j.name == "testplugin-tick" for j in jobs)
    assert "testplugin-tick" in tick(plugin_app)
    assert "testplugin-tick" not in tick(plugin_app), "claimed once per period"


def test_hook_register_commands(third_party):
    import click

    group = click.Group("zapdesk")
    third_party.hook.register_commands(cli=group)
    result = CliRunner().invoke(group, ["testplugin-hello"])
    assert result.output.strip() == "hello from testplugin"


def test_hook_register_migrations(app):
    from zapdesk.migrations_config import version_locations

    with app.app_context():
        paths = version_locations()
    assert paths[0].endswith("zapdesk/migrations/versions")
    for name in ("nodes", "scans", "evolution"):
        assert any(p.endswith(f"plugins/{name}/migrations/versions") for p in paths)


def test_hook_check_permission(app, make_user):
    from zapdesk.permissions import can

    viewer, engineer, admin = make_user("viewer"), make_user("engineer"), make_user("admin")
    with app.app_context():
        assert can("scans.view", user=viewer) and not can("scans.operate", user=viewer)
        assert can("scans.operate", user=engineer) and not can("nodes.admin", user=engineer)
        assert can("nodes.admin", user=admin)
        assert not can("nodes.weird-level", user=admin), "unknown levels are denied"


def test_check_permission_first_result_wins(app, make_user):
    from zapdesk.hookspecs import hookimpl
    from zapdesk.permissions import can

    class DenyScans:
        @hookimpl
        def check_permission(self, user, action):
            return False if action.startswith("scans.") else None

    pm = app.extensions["zapdesk_plugins"]
    admin = make_user("admin")
    pm.register(DenyScans(), name="deny-scans")
    try:
        with app.app_context():
            assert not can("scans.view", user=admin)
            assert can("nodes.view", user=admin)
    finally:
        pm.unregister(name="deny-scans")


def test_plugin_guide_documents_every_hook():
    guide = (ROOT / "docs" / "plugins.md").read_text()
    missing = [n for n in spec_names() if f"### `{n}(" not in guide]
    assert not missing, f"docs/plugins.md lacks {missing}; regenerate the hook list"
