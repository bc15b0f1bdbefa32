"""A month or a weekday in an MT sentence that differs from its aligned reference sentence.

The day and year figures of a date are number_mismatch's; this family reads the names: months
("July", "Jul. 19") and weekdays ("Monday"). As for numbers, only confident alignment links are
read, and a name is flagged only when the reference never mentions it while the linked reference
sentences name a different one of the same kind: comparable reports often date different events
in one sentence, so both conditions are required. Names are capitalised words; "May" and "March"
(also a verb) and the three-letter abbreviations count only next to a day or year figure ("May 5",
"5 March 2021", "Aug. 3") or after a word that introduces a date ("in May", "since March").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from dedup.garbles.base import Context, Detector, register
from dedup.garbles.rivals import rival_flag, rivals_on_links
from dedup.model import Document, Flag

_MONTHS = {
    "January": 1,
    "February": 2,
    "March": 3,
    "April": 4,
    "May": 5,
    "June": 6,
    "July": 7,
    "August": 8,
    "September": 9,
    "October": 10,
    "November": 11,
    "December": 12,
}
_ABBREVIATIONS = {
    "Jan": 1,
    "Feb": 2,
    "Mar": 3,
    "Apr": 4,
    "Jun": 6,
    "Jul": 7,
    "Aug": 8,
    "Sep": 9,
    "Sept": 9,
    "Oct": 10,
    "Nov": 11,
    "Dec": 12,
}
_WEEKDAYS = {
    "Monday": 1,
    "Tuesday": 2,
    "Wednesday": 3,
    "Thursday": 4,
    "Friday": 5,
    "Saturday": 6,
    "Sunday": 7,
}
_AMBIGUOUS = {"May", "March"}  # also a modal verb / a verb and a noun
_NAME = regex.compile(
    r"(?<![\p{L}\p{N}])(?P<name>"
    + "|".join(sorted([*_MONTHS, *_ABBREVIATIONS, *_WEEKDAYS], key=len, reverse=True))
    + r")(?P<dot>\.)?(?![\p{L}\p{N}])"
)
_FIGURE_AFTER = regex.compile(r"\.?,?\s+\d{1,4}(?!\d)")
_FIGURE_BEFORE = regex.compile(r"(?<![\d.,])\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?$")
_DATE_WORD_BEFORE = regex.compile(
    r"(?i:\b(?:in|on|of|since|until|till|by|from|to|through|early|late|mid|last|next|this|before|after|"
    r"between|and|during)\s+)$"
)


@dataclass(frozen=True)
class DateName:
    """A month or weekday name as written, with its number (1-12, 1-7) and kind."""

    start: int
    end: int
    value: int
    kind: str  # "month" | "weekday"


def date_names(text: str, start: int = 0, end: int | None = None) -> list[DateName]:
    """Month and weekday names in text[start:end] that read as dates (see the module docstring)."""
    end = len(text) if end is None else end
    out: list[DateName] = []
    for m in _NAME.finditer(text, start, end):
        name = m.group("name")
        s, e = m.start("name"), m.end("name")
        if name in _WEEKDAYS:
            out.append(DateName(s, e, _WEEKDAYS[name], "weekday"))
            continue
        if name in _ABBREVIATIONS or name in _AMBIGUOUS:
            figure = _FIGURE_AFTER.match(text, e) is not None or _FIGURE_BEFORE.search(
                text, max(0, s - 12), s
            )
            if not figure and (
                name in _ABBREVIATIONS or not _DATE_WORD_BEFORE.search(text, max(0, s - 12), s)
            ):
                continue
        value = _MONTHS.get(name) or _ABBREVIATIONS[name]
        out.append(DateName(s, e, value, "month"))
    return out


@register
class DateMismatch(Detector):
    name = "date_mismatch"
    description = (
        "A month or weekday in an MT sentence that the reference never mentions, while the aligned "
        "reference sentence names a different one."
    )
    severity = "major"
    needs_reference = True
    reference_agreement = True

    min_link_score: float = 0.4  # as number_mismatch: weak links pair sentences about other things

    def detect(self, ctx: Context) -> Iterator[Flag]:
        if ctx.ref is None or ctx.alignment is None:
            return
        in_ref = {(d.kind, d.value) for d in date_names(ctx.ref.text)}
        for link, d, rivals in rivals_on_links(
            ctx,
            self.min_link_score,
            date_names,
            lambda d: (d.kind, d.value) in in_ref,
            lambda r, d: (r.kind, r.value) == (d.kind, d.value),
        ):
            yield rival_flag(self, ctx, link, d, rivals)

    def agrees(self, flag: Flag, ref: Document) -> bool:
        """The reference names the flagged month or weekday somewhere."""
        mine = {(d.kind, d.value) for d in date_names(flag.text)}
        return bool(mine) and mine <= {(d.kind, d.value) for d in date_names(ref.text)}
