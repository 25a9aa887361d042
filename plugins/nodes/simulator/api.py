"""ZAP API endpoints the simulator answers, with the response shapes of ZAP's own
implementations (CoreAPI, AlertAPI, SpiderAPI, AjaxSpiderAPI, PassiveScanAPI,
ActiveScanAPI, ContextAPI, OpenApiAPI, ReplacerAPI; see tests/contract/)."""
from __future__ import annotations

from typing import Callable

from .api_core import (alerts_summary, core_alerts, core_number_of_alerts, core_number_of_messages,
                       core_urls, core_version, delete_alerts)
from .api_scans import (ajax_number_of_results, ajax_results, ajax_scan, ajax_status, ajax_stop,
                        ascan_add_policy, ascan_policy_names, ascan_progress, ascan_update_policy, ascan_scan, ascan_scanner_strength, ascan_scanner_threshold,
                        ascan_status, ascan_stop, option_setter, pscan_records, spider_results,
                        spider_scan, spider_status, spider_stop)
from .api_setup import (context_exclude, context_include, context_new, openapi_import_file,
                        openapi_import_url, replacer_add_rule, replacer_remove_rule)
from .engine import ApiError, Engine

Handler = Callable[[Engine, dict], dict]

ROUTES: dict[str, Handler] = {
    "core/view/version": core_version,
    "core/view/alerts": core_alerts,
    "core/view/numberOfAlerts": core_number_of_alerts,
    "core/view/numberOfMessages": core_number_of_messages,
    "core/view/urls": core_urls,
    "core/view/alertsSummary": alerts_summary,
    "alert/view/alerts": core_alerts,
    "alert/view/numberOfAlerts": core_number_of_alerts,
    "alert/view/alertsSummary": alerts_summary,
    "alert/action/deleteAlerts": delete_alerts,
    "spider/action/scan": spider_scan,
    "spider/view/status": spider_status,
    "spider/view/results": spider_results,
    "spider/action/stop": spider_stop,
    "spider/action/setOptionMaxDepth": option_setter,
    "spider/action/setOptionMaxDuration": option_setter,
    "spider/action/setOptionMaxChildren": option_setter,
    "ajaxSpider/action/scan": ajax_scan,
    "ajaxSpider/view/status": ajax_status,
    "ajaxSpider/view/numberOfResults": ajax_number_of_results,
    "ajaxSpider/view/results": ajax_results,
    "ajaxSpider/action/stop": ajax_stop,
    "ajaxSpider/action/setOptionMaxDuration": option_setter,
    "pscan/view/recordsToScan": pscan_records,
    "ascan/action/scan": ascan_scan,
    "ascan/view/status": ascan_status,
    "ascan/view/scanProgress": ascan_progress,
    "ascan/action/stop": ascan_stop,
    "ascan/action/setScannerAttackStrength": ascan_scanner_strength,
    "ascan/action/setScannerAlertThreshold": ascan_scanner_threshold,
    "ascan/view/scanPolicyNames": ascan_policy_names,
    "ascan/action/addScanPolicy": ascan_add_policy,
    "ascan/action/updateScanPolicy": ascan_update_policy,
    "context/action/newContext": context_new,
    "context/action/includeInContext": context_include,
    "context/action/excludeFromContext": context_exclude,
    "openapi/action/importUrl": openapi_import_url,
    "openapi/action/importFile": openapi_import_file,
    "replacer/action/addRule": replacer_add_rule,
    "replacer/action/removeRule": replacer_remove_rule,
}


COMPONENTS = {path.split("/")[0] for path in ROUTES}


def check_route(parts: list[str]) -> None:
    """/JSON/<component>/<view|action|other>/<name>/: the checks ZAP makes before the key."""
    if parts[0] != "JSON":
        raise ApiError("bad_format")
    if len(parts) < 2 or parts[1] not in COMPONENTS:
        raise ApiError("no_implementor")
    if len(parts) < 3 or parts[2] not in ("view", "action", "other"):
        raise ApiError("bad_type")
    if len(parts) < 4:
        raise ApiError("bad_view" if parts[2] == "view" else "bad_action")


def dispatch(engine: Engine, component: str, kind: str, name: str, params: dict) -> dict:
    handler = ROUTES.get(f"{component}/{kind}/{name}")
    if handler is None:
        raise ApiError("bad_view" if kind == "view" else "bad_action")
    return handler(engine, params)
