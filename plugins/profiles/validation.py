"""Input checks for targets and profiles. Each returns a cleaned value or raises
ValidationError with a message per field, so nothing half-valid is ever saved."""
from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

MAX_PATTERNS = 50


class ValidationError(ValueError):
    """`errors` maps a form field to a message a person can act on."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def clean_base_url(value: str) -> str:
    """An absolute http(s) URL without credentials or fragment; path defaults to '/'."""
    value = (value or "").strip()
    if not value:
        raise ValueError("enter the target's base URL, e.g. https://app.example.com/")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("the URL must start with http:// or https://")
    if not parts.hostname:
        raise ValueError("the URL has no host name")
    if parts.username or parts.password:
        raise ValueError("do not put credentials in the URL; use the authentication settings")
    try:
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        raise ValueError("the URL's port is not a number between 1 and 65535") from None
    if any(c.isspace() for c in value):
        raise ValueError("the URL must not contain spaces")
    netloc = parts.netloc.lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def clean_patterns(lines: list[str] | str) -> list[str]:
    """Regexes, one per line; each must compile."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    patterns = [line.strip() for line in lines if line and line.strip()]
    if len(patterns) > MAX_PATTERNS:
        raise ValueError(f"at most {MAX_PATTERNS} patterns")
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{pattern!r} is not a valid regular expression ({exc})") from None
    return patterns


def clean_tags(value: list[str] | str) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    tags = []
    for tag in (t.strip() for t in value):
        if tag and tag not in tags:
            tags.append(tag[:40])
    return tags


def clean_name(value: str, what: str, max_len: int = 120) -> str:
    value = (value or "").strip()
    if not value:
        raise ValueError(f"enter a {what} name")
    if len(value) > max_len:
        raise ValueError(f"a {what} name has at most {max_len} characters")
    return value


def clean_int(value, lo: int, hi: int, what: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a whole number") from None
    if not lo <= number <= hi:
        raise ValueError(f"{what} must be between {lo} and {hi}")
    return number


def clean_choice(value: str, choices: tuple[str, ...], what: str) -> str:
    value = (value or "").strip()
    if value not in choices:
        raise ValueError(f"{what} must be one of: {', '.join(choices)}")
    return value


class Collector:
    """Runs field cleaners, gathering every error instead of stopping at the first."""

    def __init__(self):
        self.errors: dict[str, str] = {}
        self.values: dict = {}

    def check(self, field: str, cleaner, *args):
        try:
            self.values[field] = cleaner(*args)
        except ValueError as exc:
            self.errors[field] = str(exc)
        return self.values.get(field)

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
