"""Parse the dates that news metadata lines carry into ISO form (YYYY-MM-DD)."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_YMD = re.compile(r"(?P<y>\d{4})\s*[./\-年]\s*(?P<m>\d{1,2})\s*[./\-月]\s*(?P<d>\d{1,2})日?")
_DMY = re.compile(r"(?P<d>\d{1,2})\s*[./\-]\s*(?P<m>\d{1,2})\s*[./\-]\s*(?P<y>\d{4})")
_MDY_NAMED = re.compile(r"(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})")
_DMY_NAMED = re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})")


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """The first date found in `text` as YYYY-MM-DD, or None when there is none."""
    if m := _YMD.search(text):
        return _iso(int(m["y"]), int(m["m"]), int(m["d"]))
    for rx in (_MDY_NAMED, _DMY_NAMED):
        if (m := rx.search(text)) and (mon := _MONTHS.get(m["mon"].lower())):
            return _iso(int(m["y"]), mon, int(m["d"]))
    if m := _DMY.search(text):
        return _iso(int(m["y"]), int(m["m"]), int(m["d"]))
    return None
