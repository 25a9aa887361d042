"""Scan phases: what a profile runs, in order (the `scan_phases` hook).

A phase is an object with a `name` and three methods the engine calls on ticks:
`start(run)` once (launch the ZAP work, remember its ids), `poll(run) -> int` on every
later tick (0-100; 100 only on positive evidence that the work is complete) and
`stop(run)` on cancel or timeout. A plugin adds a phase by returning such an object
from its own `scan_phases` hookimpl; its `name` becomes the scan's state while it runs.
"""
from __future__ import annotations

import time

from zapdesk.plugins import flatten, get_plugin_manager


class PhaseFailed(Exception):
    """The phase cannot complete (e.g. an OpenAPI import that yields no URLs)."""


class ScanPhase:
    name = ""

    def start(self, run) -> None:
        raise NotImplementedError

    def poll(self, run) -> int:
        raise NotImplementedError

    def stop(self, run) -> None:
        """Stop the ZAP-side work; default: nothing to stop."""

    def __repr__(self) -> str:
        return f"<phase {self.name}>"


class SpiderPhase(ScanPhase):
    name = "spider"

    def start(self, run) -> None:
        profile, client = run.profile, run.client
        client.spider_set_option_max_depth(profile.spider_max_depth)
        client.spider_set_option_max_duration(profile.spider_max_duration_min)
        spider_id = client.spider_scan(run.base_url, max_children=profile.spider_max_children or None,
                                       recurse=True, context_name=run.zap_ids.get("context"))
        run.remember(spider=spider_id)

    def poll(self, run) -> int:
        progress = run.client.spider_status(run.zap_ids["spider"])
        if progress < 100:
            return min(progress, 99)
        results = run.client.spider_results(run.zap_ids["spider"])
        if not results:
            raise PhaseFailed(f"the spider found no URLs at {run.base_url}: check that the node "
                              "can reach the target and that the scope patterns match it")
        run.remember(spider_urls=len(results))
        return 100

    def stop(self, run) -> None:
        if "spider" in run.zap_ids:
            run.client.spider_stop(run.zap_ids["spider"])


class AjaxSpiderPhase(ScanPhase):
    name = "ajax_spider"

    def start(self, run) -> None:
        run.client.ajax_spider_set_option_max_duration(run.profile.ajax_spider_max_duration_min)
        run.client.ajax_spider_scan(run.base_url, context_name=run.zap_ids.get("context"))
        run.remember(ajax_started=time.time())

    def poll(self, run) -> int:
        if run.client.ajax_spider_status() == "stopped":
            run.remember(ajax_urls=run.client.ajax_spider_number_of_results())
            return 100
        elapsed = time.time() - float(run.zap_ids.get("ajax_started") or time.time())
        budget = max(run.profile.ajax_spider_max_duration_min, 1) * 60
        return min(int(100 * elapsed / budget), 99)

    def stop(self, run) -> None:
        run.client.ajax_spider_stop()


class OpenApiPhase(ScanPhase):
    name = "openapi"

    def start(self, run) -> None:
        profile = run.profile
        if profile.openapi_url:
            imported = run.client.openapi_import_url(profile.openapi_url, host_override=None)
        else:
            imported = run.client.openapi_import_file(openapi_file_path(profile), target=run.base_url)
        run.remember(openapi_imported=True)
        urls = run.client.urls(run.base_url)
        if not urls:
            problems = "; ".join(str(p) for p in imported[:3]) if imported else "no operations found"
            raise PhaseFailed(f"the OpenAPI import added no URLs for {run.base_url} ({problems}): "
                              "check the definition and that its servers match the target")
        run.remember(openapi_urls=len(urls))

    def poll(self, run) -> int:
        return 100


class PassiveWaitPhase(ScanPhase):
    name = "passive_wait"

    def start(self, run) -> None:
        run.remember(pscan_initial=max(run.client.pscan_records_to_scan(), 1))

    def poll(self, run) -> int:
        left = run.client.pscan_records_to_scan()
        if left == 0:
            return 100
        initial = max(int(run.zap_ids.get("pscan_initial") or 1), left)
        return min(int(100 * (initial - left) / initial), 99)


class ActiveScanPhase(ScanPhase):
    name = "active"

    def start(self, run) -> None:
        profile, client = run.profile, run.client
        policy = profile.scan_policy or None
        if profile.attack_strength != "DEFAULT" and policy:
            client.ascan_set_attack_strength("", profile.attack_strength, policy)
        if profile.alert_threshold != "DEFAULT" and policy:
            client.ascan_set_alert_threshold("", profile.alert_threshold, policy)
        ascan_id = client.ascan_scan(run.base_url, recurse=True, scan_policy_name=policy,
                                     context_id=run.zap_ids.get("context_id"))
        run.remember(ascan=ascan_id)

    def poll(self, run) -> int:
        progress = run.client.ascan_status(run.zap_ids["ascan"])
        return 100 if progress >= 100 else progress

    def stop(self, run) -> None:
        if "ascan" in run.zap_ids:
            run.client.ascan_stop(run.zap_ids["ascan"])


BUILT_IN = {p.name: p for p in (SpiderPhase(), AjaxSpiderPhase(), OpenApiPhase(),
                                PassiveWaitPhase(), ActiveScanPhase())}


def built_in_phases(profile) -> list[ScanPhase]:
    """baseline: spider + passive; full: spider, optional ajax spider, active;
    api: OpenAPI import, passive, active."""
    names = {
        "baseline": ["spider", "passive_wait"],
        "full": ["spider"] + (["ajax_spider"] if profile.ajax_spider else []) + ["passive_wait", "active"],
        "api": ["openapi", "passive_wait", "active"],
    }[profile.kind]
    return [BUILT_IN[name] for name in names]


def phases_for(profile) -> list[ScanPhase]:
    """Every plugin's phases for `profile`, in hook order; plain names mean built-ins."""
    phases = []
    for item in flatten(get_plugin_manager().hook.scan_phases(profile=profile)):
        phase = BUILT_IN.get(item) if isinstance(item, str) else item
        if phase is not None and phase.name not in {p.name for p in phases}:
            phases.append(phase)
    return phases


def resolve(profile, name: str) -> ScanPhase | None:
    return next((p for p in phases_for(profile) if p.name == name), None)


def openapi_file_path(profile) -> str:
    from pathlib import Path

    from flask import current_app

    return str(Path(current_app.config["MEDIA_PATH"]) / profile.openapi_file)
