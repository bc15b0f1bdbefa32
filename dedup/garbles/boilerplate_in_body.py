"""Page furniture that ended up inside the article body: ad markers, "ALSO READ" teasers,
related-article blocks, promos, and paragraphs printed twice.

The text pipeline finds boilerplate anywhere (`Document.boilerplate`); what sits before the first
or after the last body sentence is page furniture that the pipeline already cut off, and is not
a garble of the text. What sits between body sentences is: a related-article block inside a
paragraph ("(Related: ... | more articles)"), an ad marker glued to a line, a standalone
"Advertisement" or "ALSO READ | ..." line between two paragraphs (scrape residue, less sure), or
a repeated body paragraph. A paragraph that repeats the standfirst (the first lines before the
body proper) is a page convention and is left alone. This family also finds an ad marker or a
teaser that the pipeline could not see because it is glued into a body line ("... he said.
ALSO READ | Trump asks ...", "... the report said. Advertisement The finer details ..."), and a
teaser label in brackets closed without a colon ("【Related reading】 A-shares hit ... | ...").
Markup the page or a tool left in the text (HTML tags and entities, Markdown marks) is the
`markup` family's (`dedup.garbles.markup`).
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from dedup.garbles.base import Context, Detector, register
from dedup.model import Boilerplate, Evidence, Flag

_KINDS = frozenset({"advertisement", "also_read", "related", "promo"})
_STANDFIRST_LINES = 3  # title, standfirst, dateline: a repeat of these in the body is a convention
# Markers glued into a body line, after a sentence end (a teaser runs to the end of the line).
_GLUED_TEASER = regex.compile(
    r"(?<=[.!?\"”’)]\s{0,3})(?:ALSO READ|Also Read|Also read|READ MORE|Read More|Read more|SEE ALSO|See also)"
    r"\s*[|:：>»]\s*[^\n]+"
)
# A teaser label in brackets, closed without a colon ("【Related reading】 A-shares hit ... | Yuan ...",
# "[See also] ..."): the pipeline's related-block rule wants "Related:"; the label alone says enough.
_BRACKET_TEASER = regex.compile(
    r"(?:^|(?<=[.!?\"”’)。]\s{0,3}))[(\[（【]\s*"
    r"(?i:related|see also|read also|also read|recommended|read more|extended reading|further reading|more on this)"
    r"(?i:\s+(?:articles?|stories|news|reading|links?))?\s*[)\]）】][ \t]*[^\s][^\n]*",
    regex.MULTILINE,
)
_GLUED_AD = regex.compile(
    r"(?<=[.!?\"”’)]\s{0,3})(?:ADVERTISEMENT|Advertisement|Story continues below(?: this)? advertisement)"
    r"(?=\s*(?:[A-Z\"“(]|$))",
    regex.MULTILINE,
)


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _standfirst_end(text: str) -> int:
    """Offset where the first few non-blank lines (title, standfirst) end."""
    seen, pos = 0, 0
    for line in text.split("\n"):
        pos += len(line) + 1
        if line.strip():
            seen += 1
            if seen >= _STANDFIRST_LINES:
                return pos
    return pos


@register
class BoilerplateInBody(Detector):
    name = "boilerplate_in_body"
    description = "Ads, 'ALSO READ' teasers, related-article blocks or repeated paragraphs inside the body"
    severity = "minor"

    def detect(self, ctx: Context) -> Iterator[Flag]:
        doc = ctx.mt
        text = doc.text
        if not doc.sentences:
            return
        body_start = min(s.start for s in doc.sentences)
        body_end = max(s.end for s in doc.sentences)
        covered: list[tuple[int, int]] = []
        for b in doc.boilerplate:
            flag = self._judge(ctx, b, body_start, body_end)
            if flag is not None:
                covered.append((flag.start, flag.end))
                yield flag
        yield from self._bracket_teasers(ctx, body_start, body_end, covered)
        for pattern, what in ((_GLUED_TEASER, "teaser"), (_GLUED_AD, "ad marker")):
            for m in pattern.finditer(text):
                if m.start() <= body_start or any(s <= m.start() < e for s, e in covered):
                    continue
                if any(b.start <= m.start() < b.end for b in doc.boilerplate):
                    continue
                covered.append((m.start(), m.end()))
                yield self.flag(
                    ctx, m.start(), m.end(), f"{what} glued into a body paragraph", confidence=0.85
                )

    def _bracket_teasers(
        self, ctx: Context, body_start: int, body_end: int, covered: list[tuple[int, int]]
    ) -> Iterator[Flag]:
        """Bracketed teaser labels the pipeline left in the body: inside a line (major, as a related
        block) or as a line of their own between body paragraphs (less sure: scrape residue)."""
        doc, text = ctx.mt, ctx.mt.text
        for m in _BRACKET_TEASER.finditer(text):
            start, end = m.start(), m.start() + len(m.group().rstrip())
            if any(b.start <= start < b.end for b in doc.boilerplate) or any(
                s <= start < e for s, e in covered
            ):
                continue
            line_start, _ = _line_bounds(text, start)
            inline = bool(text[line_start:start].strip())
            if not inline and not (body_start < start and end < body_end):
                continue  # furniture before or after the body
            covered.append((start, end))
            if inline:
                yield self.flag(
                    ctx, start, end, "related-article teaser inside a line of text", 0.85, severity="major"
                )
            else:
                yield self.flag(ctx, start, end, "related-article teaser line between body paragraphs", 0.6)

    def _judge(self, ctx: Context, b: Boilerplate, body_start: int, body_end: int) -> Flag | None:
        text = ctx.mt.text
        if b.kind == "repeat":
            if b.of is None or b.of < _standfirst_end(text) or b.start < body_start:
                return None
            first_end = text.find("\n", b.of)
            first_end = len(text) if first_end < 0 else first_end
            return self.flag(
                ctx,
                b.start,
                b.end,
                "paragraph repeated in the body",
                confidence=0.7,
                evidence=[Evidence.at("first occurrence", "mt", text, b.of, first_end)],
            )
        if b.kind not in _KINDS:
            return None
        line_start, line_end = _line_bounds(text, b.start)
        inline = bool(text[line_start : b.start].strip() or text[b.end : line_end].strip())
        label = b.kind.replace("_", " ")
        if not inline and not (body_start < b.start and b.end < body_end):
            return None  # furniture before or after the body: already cut off, not a garble
        if inline:
            return self.flag(
                ctx, b.start, b.end, f"{label} inside a line of text", confidence=0.9, severity="major"
            )
        return self.flag(ctx, b.start, b.end, f"{label} line between body paragraphs", confidence=0.6)
