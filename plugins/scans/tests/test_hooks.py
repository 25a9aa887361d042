"""The hooks the scans plugin calls: scan_phases (a plugin adds a phase that the engine
runs), scan_sections and target_sections (lazily loaded sections on the pages)."""
import pytest

from plugins.scans.launch import launch_scan
from plugins.scans.phases import ScanPhase, phases_for
from plugins.scans.tests.conftest import drive
from zapdesk.contracts import Section
from zapdesk.hookspecs import hookimpl


@pytest.fixture
def extra_plugin(app):
    pm = app.extensions["zapdesk_plugins"]
    registered = []

    def _register(plugin, name):
        pm.register(plugin, name=name)
        registered.append(name)

    yield _register
    for name in registered:
        pm.unregister(name=name)


class CountUrls(ScanPhase):
    """A third-party phase: counts the node's URLs for the target, in one tick."""

    name = "count_urls"

    def start(self, run):
        run.remember(counted=len(run.client.urls(run.base_url)))

    def poll(self, run):
        return 100


class AddsAPhase:
    @hookimpl
    def scan_phases(self, profile):
        return [CountUrls()] if profile.kind == "baseline" else []


def test_hook_scan_phases(app_ctx, extra_plugin, registered_node, target_site, scan_setup):
    target, baseline = scan_setup(target_site + "/")
    _, full = scan_setup(target_site + "/", kind="full", ajax_spider=True)
    _, api = scan_setup(target_site + "/", kind="api", openapi_url=target_site + "/openapi.json")
    assert [p.name for p in phases_for(full)] == ["spider", "ajax_spider", "passive_wait", "active"]
    assert [p.name for p in phases_for(api)] == ["openapi", "passive_wait", "active"]
    extra_plugin(AddsAPhase(), "adds-a-phase")
    assert [p.name for p in phases_for(baseline)] == ["spider", "passive_wait", "count_urls"]
    registered_node()
    scan = drive(launch_scan(target, baseline).id)
    assert scan.state == "done" and scan.phases[-1] == "count_urls"
    assert scan.zap_ids["counted"] > 0 and scan.phase_progress["count_urls"] == 100


def test_hook_scan_sections(app, extra_plugin, login_as, target_site, scan_setup):
    class Sections:
        @hookimpl
        def scan_sections(self, scan, user):
            return [Section("Findings here", f"/elsewhere/scan/{scan.id}", order=1)]

    with app.app_context():
        target, profile = scan_setup(target_site + "/")
        scan_id = launch_scan(target, profile).id
    extra_plugin(Sections(), "scan-sections")
    html = login_as("viewer").get(f"/scans/{scan_id}").get_data(as_text=True)
    assert "Findings here" in html and f'hx-get="/elsewhere/scan/{scan_id}"' in html


def test_hook_target_sections(app, extra_plugin, login_as, target_site, scan_setup):
    class Sections:
        @hookimpl
        def target_sections(self, target, user):
            return [Section("Evolution here", f"/elsewhere/target/{target.id}", order=99)]

    with app.app_context():
        target, _ = scan_setup(target_site + "/")
        target_id = target.id
    extra_plugin(Sections(), "target-sections")
    html = login_as("viewer").get(f"/targets/{target_id}").get_data(as_text=True)
    assert "Evolution here" in html and f'hx-get="/elsewhere/target/{target_id}"' in html
    assert f'hx-get="/targets/{target_id}/scans"' in html, "the scans plugin's own section"
    assert html.index("Scans</h2>") < html.index("Evolution here")
