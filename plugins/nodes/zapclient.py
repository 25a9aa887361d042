"""The ZAP API client zapdesk uses: the official `zaproxy` (zapv2) client's generated
endpoint methods over a transport of ours that talks to the daemon directly (no proxy),
sends the key as `X-ZAP-API-Key`, has a timeout on every call and turns every failure
into a typed `ZapError` (see zaperrors.py).
"""
from __future__ import annotations

import json
from typing import Any, Iterator

import requests
from zapv2 import ZAPv2

from .zaperrors import (ZapApiError, ZapAuthError, ZapError, ZapMalformedResponse,
                        ZapTLSError, ZapUnreachable)

AUTH_CODES = {"bad_api_key"}
DEFAULT_POLICY = "Default Policy"  # ZAP's ascan.policymgr.default.name


def _plain(value: Any) -> Any:
    """ZAP parses booleans case-insensitively, but send them the way its docs show."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class _Transport(ZAPv2):
    """zapv2's ZAPv2 with its HTTP layer replaced (it only speaks through a proxy,
    without a timeout, and returns errors as data)."""

    def __init__(self, base_url: str, api_key: str | None, timeout: float, verify: bool | str = True):
        super().__init__(proxies={}, apikey=None)
        self.base = base_url.rstrip("/") + "/JSON/"
        self.base_other = base_url.rstrip("/") + "/OTHER/"
        self.root = base_url.rstrip("/") + "/"
        self.timeout = timeout
        self.session = requests.Session()
        self.session.trust_env = False  # never route a node through an environment proxy
        self.session.verify = verify
        if api_key:
            self.session.headers["X-ZAP-API-Key"] = api_key

    def _request_api(self, url, query=None, method="GET", body=None):
        params = {k: _plain(v) for k, v in (query or {}).items()}
        try:
            return self.session.request(method, url, params=params, data=body,
                                        timeout=self.timeout, allow_redirects=False)
        except requests.exceptions.SSLError as exc:
            raise ZapTLSError(f"TLS failure talking to ZAP at {self.root}: check the certificate "
                              f"and that the URL scheme is right ({type(exc).__name__})") from None
        except requests.exceptions.Timeout:
            raise ZapUnreachable(f"ZAP at {self.root} did not answer within {self.timeout:g} s: "
                                 "check the node is running and not overloaded") from None
        except requests.exceptions.ConnectionError as exc:
            raise self._connection_error(exc) from None
        except requests.exceptions.RequestException as exc:
            raise ZapUnreachable(f"cannot reach ZAP at {self.root}: {type(exc).__name__}") from None

    def _connection_error(self, exc: Exception) -> ZapError:
        if "RemoteDisconnected" in repr(exc) or "Connection aborted" in repr(exc):
            return self._empty_reply_error()
        reason = "connection refused" if "refused" in repr(exc).lower() else "connection failed"
        if "Name or service not known" in repr(exc) or "NameResolution" in repr(exc):
            reason = "host name not found"
        return ZapUnreachable(f"cannot reach ZAP at {self.root} ({reason}): check the URL, "
                              "that the daemon runs and that the network allows it")

    def _empty_reply_error(self) -> ZapError:
        """Real ZAP (api.reportpermerrors=false, the default) closes the connection
        without a reply when the key is wrong. If the same daemon answers its API root
        page, it is alive, so the key was refused."""
        try:
            self.session.get(self.root, timeout=self.timeout, allow_redirects=False)
        except requests.exceptions.RequestException:
            return ZapUnreachable(f"ZAP at {self.root} closed the connection without a reply: "
                                  "check the API key, that the API is enabled and that this "
                                  "address is permitted (api.addrs)")
        return ZapAuthError()

    def _request(self, url, get=None, method="GET", body=None):
        return parse_response(self._request_api(url, get, method, body), self.root)


def parse_response(response: requests.Response, where: str) -> dict:
    """ZAP JSON object, or the typed error its status and body describe."""
    data = _json_object(response, where)
    if response.status_code >= 400:
        return _raise_api_error(response, data, where)
    return data


def _json_object(response: requests.Response, where: str) -> dict:
    if response.status_code in (401, 403) and "json" not in response.headers.get("Content-Type", ""):
        raise ZapAuthError(f"API key rejected (HTTP {response.status_code} from {where})")
    try:
        data = json.loads(response.content)
    except ValueError:
        kind = "an HTML page" if b"<html" in response.content[:2048].lower() else "text that is not JSON"
        raise ZapMalformedResponse(
            f"{where} answered with {kind} (HTTP {response.status_code}) instead of ZAP JSON: "
            "is this URL the ZAP API (the daemon's host and port)?") from None
    if not isinstance(data, dict):
        raise ZapMalformedResponse(f"{where} answered with JSON that is not a ZAP API object")
    return data


def _raise_api_error(response: requests.Response, data: dict, where: str):
    code = str(data.get("code") or "")
    if code in AUTH_CODES:
        raise ZapAuthError()
    if not code:
        raise ZapMalformedResponse(f"{where} answered HTTP {response.status_code} without a ZAP error code")
    raise ZapApiError(code, str(data.get("message") or code), data.get("detail"), where)


def _int(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ZapMalformedResponse(f"ZAP returned {what}={value!r}, expected a number") from None


def _list(value: Any, what: str) -> list:
    if not isinstance(value, list):
        raise ZapMalformedResponse(f"ZAP returned {what} that is not a list")
    return value


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ZapMalformedResponse(f"ZAP returned {what}={value!r}, expected text")
    return value


class ZapClient:
    """One ZAP daemon. Every method raises a ZapError subclass on failure."""

    def __init__(self, base_url: str, api_key: str | None, timeout: float = 10.0, verify: bool | str = True):
        """`verify`: True (system CAs), or the path of a CA bundle for nodes whose
        certificate a private CA signed."""
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.zap = _Transport(self.base_url, api_key, timeout, verify)

    def __repr__(self) -> str:  # never shows the key
        return f"<ZapClient {self.base_url}>"

    def _view(self, path: str, key: str, **params) -> Any:
        data = self.zap._request(self.zap.base + path + "/", {k: v for k, v in params.items() if v is not None})
        if key not in data:
            raise ZapMalformedResponse(f"ZAP answered {path} without the expected '{key}' field")
        return data[key]

    # --- core -------------------------------------------------------------------------
    def version(self) -> str:
        return _str(self._view("core/view/version", "version"), "version")

    def number_of_alerts(self, baseurl: str | None = None) -> int:
        return _int(self.zap.core.number_of_alerts(baseurl=baseurl), "numberOfAlerts")

    def alerts(self, baseurl: str | None = None, start: int = 0, count: int = 500) -> list[dict]:
        """`count` alerts after skipping `start` (a 0-based offset). ZAP's own `start` is
        1-based (its PaginationConstraintsChecker treats 0 and 1 alike), so the offset is
        sent as start + 1: paging by offsets then neither repeats nor skips an alert."""
        return _list(self._view("core/view/alerts", "alerts", baseurl=baseurl, start=int(start) + 1, count=count),
                     "alerts")

    def iter_alerts(self, baseurl: str | None = None, page_size: int = 500) -> Iterator[dict]:
        """All alerts, one page (request) at a time."""
        start = 0
        while True:
            page = self.alerts(baseurl, start, page_size)
            yield from page
            if len(page) < page_size:
                return
            start += page_size

    def alerts_summary(self, baseurl: str | None = None) -> dict:
        summary = self._view("alert/view/alertsSummary", "alertsSummary", baseurl=baseurl)
        if not isinstance(summary, dict):
            raise ZapMalformedResponse("ZAP returned an alertsSummary that is not an object")
        return {risk: _int(n, f"alertsSummary.{risk}") for risk, n in summary.items()}

    def number_of_messages(self, baseurl: str | None = None) -> int:
        return _int(self.zap.core.number_of_messages(baseurl=baseurl), "numberOfMessages")

    def urls(self, baseurl: str | None = None) -> list[str]:
        return _list(self._view("core/view/urls", "urls", baseurl=baseurl), "urls")

    # --- spider -----------------------------------------------------------------------
    def spider_scan(self, url: str, max_children=None, recurse=True, context_name=None,
                    subtree_only=None) -> str:
        scan_id = self.zap.spider.scan(url, maxchildren=max_children, recurse=recurse,
                                       contextname=context_name, subtreeonly=subtree_only)
        return str(_int(scan_id, "scan"))

    def spider_status(self, scan_id: str) -> int:
        return _int(self._view("spider/view/status", "status", scanId=scan_id), "status")

    def spider_results(self, scan_id: str) -> list[str]:
        return _list(self._view("spider/view/results", "results", scanId=scan_id), "results")

    def delete_alerts(self, baseurl: str) -> None:
        """alert/action/deleteAlerts for one base URL: a long-lived node keeps every alert
        of its session, so without this a fixed issue would look present on every rescan."""
        self.zap.alert.delete_alerts(baseurl=baseurl)

    def spider_stop(self, scan_id: str) -> None:
        self.zap.spider.stop(scan_id)

    def spider_set_option_max_depth(self, depth: int) -> None:
        self.zap.spider.set_option_max_depth(int(depth))

    def spider_set_option_max_duration(self, minutes: int) -> None:
        self.zap.spider.set_option_max_duration(int(minutes))

    # --- ajax spider ------------------------------------------------------------------
    def ajax_spider_scan(self, url: str, in_scope=None, context_name=None, subtree_only=None) -> None:
        self.zap.ajaxSpider.scan(url, inscope=in_scope, contextname=context_name, subtreeonly=subtree_only)

    def ajax_spider_status(self) -> str:
        return _str(self._view("ajaxSpider/view/status", "status"), "status")

    def ajax_spider_number_of_results(self) -> int:
        return _int(self._view("ajaxSpider/view/numberOfResults", "numberOfResults"), "numberOfResults")

    def ajax_spider_results(self, start: int = 0, count: int = 500) -> list[dict]:
        return _list(self._view("ajaxSpider/view/results", "results", start=start, count=count), "results")

    def ajax_spider_stop(self) -> None:
        self.zap.ajaxSpider.stop()

    def ajax_spider_set_option_max_duration(self, minutes: int) -> None:
        self.zap.ajaxSpider.set_option_max_duration(int(minutes))

    # --- passive and active scan ------------------------------------------------------
    def pscan_records_to_scan(self) -> int:
        return _int(self._view("pscan/view/recordsToScan", "recordsToScan"), "recordsToScan")

    def ascan_scan(self, url: str, recurse=True, scan_policy_name=None, context_id=None) -> str:
        scan_id = self.zap.ascan.scan(url, recurse=recurse, scanpolicyname=scan_policy_name,
                                      contextid=context_id)
        return str(_int(scan_id, "scan"))

    def ascan_status(self, scan_id: str) -> int:
        return _int(self._view("ascan/view/status", "status", scanId=scan_id), "status")

    def ascan_scan_progress(self, scan_id: str) -> list:
        return _list(self._view("ascan/view/scanProgress", "scanProgress", scanId=scan_id), "scanProgress")

    def ascan_stop(self, scan_id: str) -> None:
        self.zap.ascan.stop(scan_id)

    def ascan_set_attack_strength(self, plugin_ids: str, strength: str, policy: str | None = None) -> None:
        """For the rules with these ids (comma-separated), or for the whole policy when
        `plugin_ids` is empty (ascan/action/updateScanPolicy)."""
        if not plugin_ids.strip():
            self.zap.ascan.update_scan_policy(policy or DEFAULT_POLICY, attackstrength=strength)
        for rule_id in filter(None, (i.strip() for i in plugin_ids.split(","))):
            self.zap.ascan.set_scanner_attack_strength(rule_id, strength, scanpolicyname=policy)

    def ascan_set_alert_threshold(self, plugin_ids: str, threshold: str, policy: str | None = None) -> None:
        """Like ascan_set_attack_strength, for the alert threshold."""
        if not plugin_ids.strip():
            self.zap.ascan.update_scan_policy(policy or DEFAULT_POLICY, alertthreshold=threshold)
        for rule_id in filter(None, (i.strip() for i in plugin_ids.split(","))):
            self.zap.ascan.set_scanner_alert_threshold(rule_id, threshold, scanpolicyname=policy)

    def ascan_scan_policy_names(self) -> list[str]:
        return _list(self._view("ascan/view/scanPolicyNames", "scanPolicyNames"), "scanPolicyNames")

    def ascan_add_scan_policy(self, name: str, alert_threshold: str | None = None,
                              attack_strength: str | None = None) -> None:
        self.zap.ascan.add_scan_policy(name, alertthreshold=alert_threshold, attackstrength=attack_strength)

    # --- context, OpenAPI, replacer ---------------------------------------------------
    def context_new(self, name: str) -> str:
        return str(_int(self.zap.context.new_context(name), "contextId"))

    def context_include(self, name: str, regex: str) -> None:
        self.zap.context.include_in_context(name, regex)

    def context_exclude(self, name: str, regex: str) -> None:
        self.zap.context.exclude_from_context(name, regex)

    def openapi_import_url(self, url: str, host_override: str | None = None) -> list:
        return _list(self.zap.openapi.import_url(url, hostoverride=host_override), "importUrl")

    def openapi_import_file(self, path: str, target: str | None = None) -> list:
        return _list(self.zap.openapi.import_file(path, target=target), "importFile")

    def replacer_add_rule(self, description: str, enabled: bool, match_type: str, match_regex: bool,
                          match_string: str, replacement: str, url: str | None = None) -> None:
        """`url` is ZAP's regex of the request URLs the rule applies to; without it the rule
        applies to every request the node makes, for every target."""
        self.zap.replacer.add_rule(description, enabled, match_type, match_regex, match_string,
                                   replacement=replacement, url=url)

    def replacer_remove_rule(self, description: str) -> None:
        self.zap.replacer.remove_rule(description)
