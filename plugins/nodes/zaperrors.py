"""Typed errors of the ZAP client. Every message says what to check, never the API key."""
from __future__ import annotations


class ZapError(Exception):
    """Base class: `str(error)` is a message a person can act on."""


class ZapUnreachable(ZapError):
    """Connection refused, DNS failure, timeout or a dropped connection."""


class ZapTLSError(ZapError):
    """The TLS handshake or certificate check failed."""


class ZapAuthError(ZapError):
    """ZAP rejected the API key (real ZAP closes the connection without a reply by
    default, or answers 400 bad_api_key when api.reportpermerrors is on)."""

    def __init__(self, message: str = "API key rejected"):
        super().__init__(message)


class ZapApiError(ZapError):
    """ZAP answered with one of its API error codes (ApiException.Type in lower case)."""

    def __init__(self, code: str, message: str, detail: str | None = None, where: str = ""):
        self.code, self.zap_message, self.detail = code, message, detail
        text = f"ZAP error {code}{' from ' + where if where else ''}: {message}"
        super().__init__(f"{text} ({detail})" if detail else text)


class ZapMalformedResponse(ZapError):
    """The answer is not ZAP JSON (an HTML page, truncated or unexpected JSON)."""
