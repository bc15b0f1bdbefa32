"""Find what is not article body: ad markers, "ALSO READ" lines, related-article blocks, repeated
paragraphs and metadata lines. Everything is a span into the original text; nothing is removed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dedup.model import Boilerplate, Metadata
from dedup.text.dates import parse_date

# A whole line that is only an ad marker.
_AD_LINE = re.compile(
    r"(?:advertisements?|advertising|ad|sponsored(?: content)?|paid content|"
    r"story continues (?:below|after) (?:this )?(?:advertisement|ad)|"
    r"(?:article )?continues? (?:below|after) (?:this )?(?:advertisement|ad)|"
    r"scroll (?:down )?to continue(?: with content| reading)?|continue reading(?: below)?)",
    re.IGNORECASE,
)
# "ALSO READ | ...", "Read more: ...", "See also - ..." as a line of its own.
_TEASER_LINE = re.compile(
    r"(?:also read|read also|read more|see also|must read|recommended|related(?: articles?| stories| news)?|"
    r"don'?t miss|you may also like|watch|listen|more on this story|latest)\s*[|:：>»\-–—]\s*\S.*",
    re.IGNORECASE,
)
_PROMO_LINE = re.compile(
    r"(?:follow us on|subscribe (?:to|now)|sign up (?:for|to)|click here|share this(?: article| story)?|"
    r"download (?:our|the) app|join our (?:whatsapp|telegram)|get the latest news|"
    r"copyright\s*(?:©|\(c\))|©\s*\d{4}|all rights reserved).*",
    re.IGNORECASE,
)
_PROMO_MAX = 200
# A short promotional line that ends in its call to action ("We'll send breaking news to your inbox
# as it happens! Sign up!"): the call starts a sentence, so "residents were urged to sign up." is not one.
_CTA = r"(?:Sign up|Subscribe|Register)(?: (?:now|here|today|for free|for our newsletter))?\s*[.!]*"
_PROMO_TAIL = re.compile(r".*[.!?…]\s*" + _CTA)
_CTA_LINE = re.compile(_CTA)
# The line a bare call to action ("Sign up!") closes is its offer when it speaks of what is sent.
_OFFER = re.compile(r"\b(?:newsletters?|inbox|alerts|e-?mails?|breaking news|updates)\b", re.IGNORECASE)
# An ad marker glued to the next line's first word ("AdvertisementIs U.S.-China ...").
_AD_GLUED = re.compile(r"(?:Advertisement|ADVERTISEMENT|Sponsored)(?=[A-Z\"'“‘(])")
# Metadata lines: publication / update dates, bylines.
_DATE_LINE = re.compile(
    r"(?P<label>publish(?:ed)?(?:\s+(?:day|date|on|at|time))?|posted(?:\s+on)?|updated(?:\s+on)?|"
    r"last updated|first published(?:\s+on)?|release date|date)\s*[:：]?\s*(?P<value>.{4,60})",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"By\s+(?P<value>[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|and|&|de|van|von|al)){0,6})(?:\s*[,|].{0,60})?"
)
_BYLINE_MAX = 90
# "WASHINGTON (Reuters) - " or "NEW DELHI, Oct 6 (AP) — " at the start of a paragraph.
_DATELINE = re.compile(
    r"(?P<value>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3})"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s*\d{0,2})?\s*(?:\((?:[A-Za-z .]{2,30})\))?\s*[-–—]{1,2}\s+(?=\S)"
)
# Inline related-article blocks: "(Related: ... | more articles)".
_RELATED_OPEN = re.compile(
    r"[(\[（【]\s*(?:related|see also|read also|also read|recommended|read more|extended reading|further reading)"
    r"(?:\s+(?:articles?|stories|news|reading))?\s*[:：]",
    re.IGNORECASE,
)
_MORE_ARTICLES = re.compile(r"\|\s*more (?:articles|stories|news)\s*[)\]）】]", re.IGNORECASE)
_CLOSERS = {"(": ")", "[": "]", "（": "）", "【": "】"}
_REPEAT_MIN_CHARS = 40
_REPEAT_MIN_WORDS = 6
_NORM = re.compile(r"[\W_]+", re.UNICODE)


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every non-blank line, trimmed of surrounding white space."""
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        s, e = pos, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            yield s, e
        if nl < 0:
            break
        pos = nl + 1


def _related_blocks(text: str) -> Iterator[tuple[int, int]]:
    """Inline related-article blocks, up to their '| more articles)' or their matching bracket."""
    pos = 0
    while True:
        m = _RELATED_OPEN.search(text, pos)
        if not m:
            return
        start = m.start()
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        more = _MORE_ARTICLES.search(text, m.end(), line_end)
        if more:
            end = more.end()
        else:
            opener = text[start]
            closer = _CLOSERS[opener]
            depth, end = 0, -1
            for i in range(start, line_end):
                ch = text[i]
                if ch == opener:
                    depth += 1
                elif ch == closer:
                    depth -= 1
                    if depth == 0:
                        end = i + 1
                        break
            if end < 0:  # never closed: the block runs to the end of the line
                end = line_end
                while end > start and text[end - 1].isspace():
                    end -= 1
        yield start, end
        pos = end


def _normalise(s: str) -> str:
    return _NORM.sub(" ", s.lower()).strip()


def find_boilerplate(text: str) -> tuple[list[Boilerplate], list[Metadata]]:
    """Boilerplate spans (sorted, non-overlapping) and the metadata recognised among them."""
    found: list[Boilerplate] = []
    metadata: list[Metadata] = []
    seen_paragraphs: dict[str, int] = {}
    body_lines = 0
    prev: tuple[int, int] | None = None  # the previous non-blank line
    for s, e in _lines(text):
        line = text[s:e]
        if _CTA_LINE.fullmatch(line):
            if prev is not None and prev[1] - prev[0] <= _PROMO_MAX and _OFFER.search(text, *prev):
                found.append(Boilerplate(prev[0], prev[1], "promo"))
            found.append(Boilerplate(s, e, "promo"))
            prev = None
            continue
        prev = (s, e)
        if _AD_LINE.fullmatch(line):
            found.append(Boilerplate(s, e, "advertisement"))
            continue
        if _TEASER_LINE.fullmatch(line) and len(line) < 400:
            found.append(Boilerplate(s, e, "also_read"))
            continue
        if len(line) <= _PROMO_MAX and (_PROMO_LINE.fullmatch(line) or _PROMO_TAIL.fullmatch(line)):
            found.append(Boilerplate(s, e, "promo"))
            continue
        m = _DATE_LINE.fullmatch(line)
        if m and (value := parse_date(m.group("value"))) is not None:
            label = m.group("label").lower()
            kind = "updated" if "updat" in label else "published"
            found.append(Boilerplate(s, e, "metadata"))
            metadata.append(Metadata(s, e, kind, value))
            continue
        m = _BYLINE.fullmatch(line)
        if m and len(line) <= _BYLINE_MAX:
            found.append(Boilerplate(s, e, "metadata"))
            metadata.append(Metadata(s, e, "byline", m.group("value")))
            continue
        glued = _AD_GLUED.match(line)
        if glued:
            found.append(Boilerplate(s, s + glued.end(), "advertisement"))
            s += glued.end()
            line = text[s:e]
        if body_lines < 3:  # a dateline opens the story, not its tenth paragraph
            dm = _DATELINE.match(line)
            if dm and dm.end() < len(line):
                found.append(Boilerplate(s, s + dm.end(), "metadata"))
                value = text[s : s + dm.end()].strip().rstrip("-–— ").strip()
                metadata.append(Metadata(s, s + dm.end(), "dateline", value))
        key = _normalise(line)
        if len(key) >= _REPEAT_MIN_CHARS and key.count(" ") + 1 >= _REPEAT_MIN_WORDS:
            if key in seen_paragraphs:
                found.append(Boilerplate(s, e, "repeat", of=seen_paragraphs[key]))
                continue
            seen_paragraphs[key] = s
        body_lines += 1

    for s, e in _related_blocks(text):
        found.append(Boilerplate(s, e, "related"))
    return _disjoint(found), sorted(metadata, key=lambda m: (m.start, m.end))


def _disjoint(spans: list[Boilerplate]) -> list[Boilerplate]:
    """Sorted and non-overlapping: a span inside an earlier, longer one is dropped."""
    out: list[Boilerplate] = []
    for b in sorted(spans, key=lambda b: (b.start, -b.end)):
        if out and b.start < out[-1].end:
            if b.end <= out[-1].end:
                continue
            b = Boilerplate(out[-1].end, b.end, b.kind, b.of)
        out.append(b)
    return out
