"""HTML and Markdown left in the text: tags ("<br>", "</p><p>"), character entities ("&amp;", "&nbsp;",
"&#233;"), Markdown emphasis ("**national strategy**"), links ("[El Mercurio](https://...)") and
heading marks ("## ") at a line start: the `markup` family (a family of its own, so a feed that
is Markdown on purpose can switch it off and keep the ad and teaser checks).

A scraper or a translation tool that passes markup through leaves it in the published text. Only
what cannot be prose is flagged: a tag of a known HTML element, an entity HTML defines (so "AT&T",
"R&D" and "Q&A" are not), emphasis marks around words, a bracketed text followed by a parenthesised
address, and "#" marks before a capitalised word at a line start (a hashtag has no space). Adjacent
pieces of markup ("</p><p>") are one flag, and so are a tag and its closing tag on one line
("<i>Diplomacy</i>"). The flag is the markup itself, or the whole emphasis, tagged text or link,
whose inner words are right but whose marks are not.
"""

from __future__ import annotations

import html.entities
from collections.abc import Iterator

import regex

from dedup.garbles.base import Context, Detector, register
from dedup.model import Flag

_TAGS = (
    "a|abbr|article|aside|b|blockquote|br|caption|center|cite|code|div|em|figcaption|figure|font|footer|"
    "h[1-6]|header|hr|i|iframe|img|li|nav|ol|p|pre|q|s|script|section|small|span|strong|style|sub|sup|"
    "table|tbody|td|th|thead|tr|u|ul"
)
_TAG = regex.compile(rf"</?(?i:{_TAGS})(?:\s[^<>\n]{{0,300}})?\s*/?>")
_ENTITY = regex.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# "**bold**"; "__bold words__" only around several words ("__init__" is a name in code).
_EMPHASIS = regex.compile(
    r"(?<![*_\p{L}\p{N}])(?:\*\*(?=\S)[^*\n]{1,200}(?<=\S)\*\*|__(?=\S)[^_\n]{0,200}\s[^_\n]{0,200}(?<=\S)__)"
    r"(?![*_\p{L}\p{N}])"
)
_LINK = regex.compile(r"!?\[[^\[\]\n]{1,200}\]\((?:https?://|www\.|/)[^()\s]{1,500}\)")
_HEADING = regex.compile(r"(?m)^[ \t]*#{1,6}[ \t]+(?=\p{Lu})")

WHAT = {
    "tag": "an HTML tag left in the text",
    "entity": "an HTML character entity left undecoded",
    "emphasis": "Markdown emphasis marks left in the text",
    "link": "a Markdown link left in the text",
    "heading": "a Markdown heading mark left in the text",
}


def _entity_known(ref: str) -> bool:
    if ref.startswith("&#"):
        return True
    return ref[1:] in html.entities.html5  # keys carry the ';'


_TAG_NAME = regex.compile(r"</?([A-Za-z][A-Za-z0-9]*)")


def _tag_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Each tag, except that an opening tag and its closing one on the same line with no tag between
    ("<i>Diplomacy</i>") make one span: one leftover, one flag."""
    tags = list(_TAG.finditer(text))
    k = 0
    while k < len(tags):
        m = tags[k]
        if k + 1 < len(tags):
            nxt = tags[k + 1]
            name, closing = _TAG_NAME.match(m.group()), _TAG_NAME.match(nxt.group())
            if (
                name is not None
                and closing is not None
                and not m.group().startswith("</")
                and nxt.group().startswith("</")
                and name.group(1).lower() == closing.group(1).lower()
                and "\n" not in text[m.end() : nxt.start()]
                and nxt.start() - m.end() <= 200
            ):
                yield m.start(), nxt.end(), "tag"
                k += 2
                continue
        yield m.start(), m.end(), "tag"
        k += 1


def markup_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every piece of markup in `text`, adjacent tags and entities merged."""
    found: list[tuple[int, int, str]] = list(_tag_spans(text))
    found += [(m.start(), m.end(), "entity") for m in _ENTITY.finditer(text) if _entity_known(m.group())]
    found += [(m.start(), m.end(), "emphasis") for m in _EMPHASIS.finditer(text)]
    found += [(m.start(), m.end(), "link") for m in _LINK.finditer(text)]
    found += [(m.start(), m.end(), "heading") for m in _HEADING.finditer(text)]
    found.sort()
    merged: list[tuple[int, int, str]] = []
    for s, e, kind in found:
        if merged and s <= merged[-1][1]:  # touching or overlapping: one piece of markup
            ps, pe, pk = merged[-1]
            merged[-1] = (ps, max(pe, e), pk if pe - ps >= e - s else kind)
        else:
            merged.append((s, e, kind))
    return merged


@register
class Markup(Detector):
    name = "markup"
    description = "HTML tags and entities, Markdown emphasis, links and heading marks left in the text"
    severity = "minor"

    def detect(self, ctx: Context) -> Iterator[Flag]:
        doc, text = ctx.mt, ctx.mt.text
        if not any(c in text for c in "<&*_[#"):
            return
        for start, end, kind in markup_spans(text):
            if any(b.start <= start < b.end for b in doc.boilerplate):
                continue  # set aside by the pipeline (a navigation line, a teaser block)
            yield self.flag(ctx, start, end, f"{WHAT[kind]}: {text[start:end][:60]!r}", confidence=0.9)
