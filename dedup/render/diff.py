"""A compact word-level diff of a copy against the earliest member of its cluster (difflib)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import regex

_WORD = regex.compile(r"\S+")


@dataclass
class Hunk:
    """One change with a little unchanged context on each side (words joined by single spaces)."""

    before: str
    deleted: str
    inserted: str
    after: str


@dataclass
class WordDiff:
    hunks: list[Hunk] = field(default_factory=list)
    more: int = 0  # changes left out by the cap
    ratio: float = 1.0  # difflib similarity of the word sequences
    same: bool = True
    truncated_input: bool = False


MAX_CHARS = 300  # per part of a hunk: one "word" can be a 100 KB blob (inline base64, minified script)


def _clip(words: list[str], limit: int, max_chars: int = MAX_CHARS) -> str:
    text = " ".join(words[:limit])
    if len(text) > max_chars:
        return text[: max_chars - 1] + "…"
    return text + (" …" if len(words) > limit else "")


def _tail(text: str, max_chars: int = MAX_CHARS) -> str:
    return text if len(text) <= max_chars else "…" + text[-(max_chars - 1) :]


def word_diff(
    a: str,
    b: str,
    context: int = 4,
    max_hunks: int = 12,
    max_words: int = 2000,
    max_change_words: int = 40,
) -> WordDiff:
    """Changes that turn `a` into `b`, word by word, at most `max_hunks` of them.

    Inputs are cut to `max_words` words each so one huge article cannot stall a report.
    """
    wa = _WORD.findall(a)
    wb = _WORD.findall(b)
    truncated = len(wa) > max_words or len(wb) > max_words
    wa, wb = wa[:max_words], wb[:max_words]
    sm = difflib.SequenceMatcher(None, wa, wb, autojunk=False)
    changes = [op for op in sm.get_opcodes() if op[0] != "equal"]
    out = WordDiff(ratio=sm.ratio(), same=not changes, truncated_input=truncated)
    for _tag, i1, i2, j1, j2 in changes[:max_hunks]:
        before = wa[max(0, i1 - context) : i1]
        after = wa[i2 : i2 + context]
        deleted = wa[i1:i2]
        inserted = wb[j1:j2]
        out.hunks.append(
            Hunk(
                before=_tail(("… " if i1 - context > 0 else "") + " ".join(before)),
                deleted=_clip(deleted, max_change_words),
                inserted=_clip(inserted, max_change_words),
                after=_clip(after, context) + (" …" if i2 + context < len(wa) else ""),
            )
        )
    out.more = max(0, len(changes) - max_hunks)
    return out
