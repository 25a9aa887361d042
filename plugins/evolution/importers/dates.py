"""ZAP's `generated` stamp is localised ("jeu., 7 mai 2015 16:14:12", "Fr., 30 Sep. 2022
08:40:35"). We read what we can and never reject a report over its date."""
from __future__ import annotations

import re
from datetime import datetime, timezone

MONTHS = {
    "jan": 1, "janv": 1, "ene": 1, "gen": 1, "feb": 2, "fév": 2, "fev": 2, "févr": 2, "feb.": 2,
    "mar": 3, "mär": 3, "mars": 3, "maerz": 3, "apr": 4, "avr": 4, "abr": 4, "may": 5, "mai": 5,
    "mag": 5, "jun": 6, "juin": 6, "giu": 6, "jul": 7, "juil": 7, "lug": 7, "aug": 8, "août": 8,
    "aou": 8, "ago": 8, "sep": 9, "sept": 9, "set": 9, "oct": 10, "okt": 10, "ott": 10,
    "nov": 11, "dec": 12, "déc": 12, "dez": 12, "dic": 12,
}
STAMP = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]+)\.?\s+(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})")


def month_number(word: str) -> int | None:
    word = word.lower().rstrip(".")
    for length in (len(word), 4, 3):
        if word[:length] in MONTHS:
            return MONTHS[word[:length]]
    return None


def parse_generated(value) -> datetime | None:
    match = STAMP.search(str(value or ""))
    if not match:
        return None
    day, month_word, year, hour, minute, second = match.groups()
    month = month_number(month_word)
    if month is None:
        return None
    try:
        return datetime(int(year), month, int(day), int(hour), int(minute), int(second), tzinfo=timezone.utc)
    except ValueError:
        return None
