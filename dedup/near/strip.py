"""Boilerplate cut for the copy level, decided by `find_boilerplate` but only on the few lines that
can be boilerplate.

`find_boilerplate` reads every line with a dozen patterns (~160 us per article), too slow for a scan
of 100k articles. Boilerplate lines open with a handful of words ("Advertisement", "ALSO READ",
"By", "Follow us", "Published") and related-article blocks with "(Related:"; the tokenizer finds
those lines in numpy (`LINE_RULE`) and only they go through `find_boilerplate`, whose verdict is
applied. Datelines and repeated paragraphs are left in: a few shingles, and a repeat does not change
a shingle *set*. An ad marker glued to the next word ("AdvertisementIs ...") is not seen.
"""

from __future__ import annotations

from functools import lru_cache

from dedup.near.shingle import LineRule, StopTable
from dedup.text.boilerplate import find_boilerplate

# First words of lines that find_boilerplate may call boilerplate (ad markers, teasers, promos,
# dates, bylines); a line opening with one of them is looked at, any other line is body.
HEAD_WORDS = (
    "also read more see must recommended related don dont you watch listen latest ad ads advert "
    "advertisement advertisements advertising sponsored paid story article continue continues scroll "
    "follow subscribe sign click share download join get copyright © publish published posted "
    "updated last first release date by"
).split()
BRACKET_WORDS = "related see read also recommended extended further".split()
MAX_LINE_BYTES = 4000


@lru_cache(maxsize=1 << 16)
def cut_line(line: str) -> tuple[tuple[int, int], ...]:
    """Character spans of one line that `find_boilerplate` calls boilerplate (cached: a site's
    boilerplate lines repeat across its articles)."""
    spans, _ = find_boilerplate(line)
    return tuple((b.start, b.end) for b in spans)


LINE_RULE = LineRule(
    heads=StopTable(HEAD_WORDS),
    after_bracket=StopTable(BRACKET_WORDS),
    max_bytes=MAX_LINE_BYTES,
    cut=cut_line,
)
