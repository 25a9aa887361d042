"""Streaming readers for alert files given to `zapdesk bench ingest`: the generator's
`{"alerts": [...]}`, a bare JSON list, or one alert per line. Memory holds one buffer of
the file, never the whole list."""
from __future__ import annotations

import json
import re
from typing import Iterator, TextIO

BUFFER = 1 << 20
MAX_ALERT = 64 << 20  # an unfinished object this long is broken JSON, not a big alert
ALERTS_ARRAY = re.compile(r'^\s*(\{\s*"alerts"\s*:\s*)?\[')
DECODER = json.JSONDecoder()


class AlertFileError(ValueError):
    """A file that is not a list of alerts; the message names the file and the place."""


def iter_alert_file(path: str) -> Iterator[dict]:
    try:
        handle = open(path, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise AlertFileError(f"{path}: cannot read it ({exc.strerror})") from None
    with handle:
        head = handle.read(BUFFER)
        opening = ALERTS_ARRAY.match(head)
        if opening:
            yield from array_items(handle, head[opening.end():], path)
        else:
            yield from lines_of(handle, head, path)


def array_items(handle: TextIO, buffer: str, path: str) -> Iterator[dict]:
    position, offset = 0, 0
    while True:
        while position < len(buffer) and buffer[position] in " \t\r\n,":
            position += 1
        if position >= len(buffer):
            more = handle.read(BUFFER)
            if not more:
                raise AlertFileError(f"{path}: the list of alerts is not closed with ']'")
            buffer, offset, position = buffer[position:] + more, offset + position, 0
            continue
        if buffer[position] == "]":
            return
        item, position, buffer, offset = decode_next(handle, buffer, position, offset, path)
        yield checked(item, path, f"character {offset + position}")


def decode_next(handle: TextIO, buffer: str, position: int, offset: int, path: str):
    while True:
        try:
            item, end = DECODER.raw_decode(buffer, position)
            return item, end, buffer, offset
        except json.JSONDecodeError as exc:
            more = handle.read(BUFFER) if len(buffer) - position < MAX_ALERT else ""
            if not more:
                raise AlertFileError(f"{path}: invalid JSON at character {offset + exc.pos} ({exc.msg})") from None
            buffer, offset, position = buffer[position:] + more, offset + position, 0


def lines_of(handle: TextIO, head: str, path: str) -> Iterator[dict]:
    number, pending = 0, head
    while True:
        lines = pending.split("\n")
        more = handle.read(BUFFER)
        pending = lines.pop() + more if more else lines.pop()
        for line in lines:
            number += 1
            if line.strip():
                yield parse_line(line, path, number)
        if not more:
            if pending.strip():
                yield parse_line(pending, path, number + 1)
            return


def parse_line(line: str, path: str, number: int) -> dict:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise AlertFileError(f"{path}: line {number}: invalid JSON ({exc.msg}); expected one alert per line "
                             'or {"alerts": [...]}') from None
    return checked(item, path, f"line {number}")


def checked(item, path: str, where: str) -> dict:
    if not isinstance(item, dict) or not (item.get("pluginId") or item.get("pluginid") or item.get("alertRef")):
        raise AlertFileError(f"{path}: {where}: not a ZAP alert (an object with pluginId, url, risk…)")
    return item
