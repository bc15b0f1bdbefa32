"""Offsets to nested HTML: one sweep over the boundary points of every layer of spans.

Layers nest in a fixed order (outermost first, e.g. boilerplate > sentence > flag). Items of one
layer may overlap each other (two flags on the same characters); a piece of text then carries the
set of items that cover it. Where a span of an inner layer crosses the edge of an outer one it is
split into pieces that share its keys, so the HTML is always well nested and the concatenated text
of the pieces of an item is exactly ``text[start:end]``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import escape

from dedup.render.safe import plain_enough, visible

# A layer's opener: given the sorted keys of the items covering a piece, the element to wrap it in
# as (open_tag, close_tag), or None for no element.
Opener = Callable[[tuple[int, ...]], tuple[str, str] | None]


@dataclass(frozen=True)
class Layer:
    """Spans of one kind, as (start, end, key) triples, and how to wrap a piece they cover."""

    items: Sequence[tuple[int, int, int]]
    opener: Opener


def clamp_items(spans: Sequence[tuple[int, int]], length: int) -> list[tuple[int, int, int]]:
    """(start, end, index) for spans that name at least one character of the text; others are dropped."""
    out = []
    for i, (s, e) in enumerate(spans):
        s, e = max(0, int(s)), min(length, int(e))
        if s < e:
            out.append((s, e, i))
    return out


def render_layers(text: str, layers: Sequence[Layer]) -> str:
    """The text, escaped (`safe.visible`: the page's text is exactly `text`), with every layer's spans
    wrapped in the layer's elements, well nested."""
    n = len(text)
    starts: dict[int, list[tuple[int, int]]] = {}
    ends: dict[int, list[tuple[int, int]]] = {}
    points = {0, n}
    for li, layer in enumerate(layers):
        for s, e, key in layer.items:
            s, e = max(0, s), min(n, e)
            if s >= e:
                continue
            starts.setdefault(s, []).append((li, key))
            ends.setdefault(e, []).append((li, key))
            points.add(s)
            points.add(e)
    simple = plain_enough(text)  # one test for the whole text, not one per piece
    active: list[set[int]] = [set() for _ in layers]
    chain: list[tuple[int, tuple[int, ...], str]] = []  # open elements: (layer, keys, close_tag)
    out: list[str] = []
    ordered = sorted(points)
    for p, q in zip(ordered, ordered[1:], strict=False):
        for li, key in ends.get(p, ()):
            active[li].discard(key)
        for li, key in starts.get(p, ()):
            active[li].add(key)
        want: list[tuple[int, tuple[int, ...]]] = [
            (li, tuple(sorted(keys))) for li, keys in enumerate(active) if keys
        ]
        keep = 0
        while keep < len(chain) and keep < len(want) and chain[keep][:2] == want[keep]:
            keep += 1
        while len(chain) > keep:
            out.append(chain.pop()[2])
        for li, keys in want[keep:]:
            tags = layers[li].opener(keys)
            if tags is None:
                tags = ("", "")
            out.append(tags[0])
            chain.append((li, keys, tags[1]))
        out.append(str(escape(text[p:q]) if simple else visible(text[p:q], text[q : q + 1])))
    while chain:
        out.append(chain.pop()[2])
    return "".join(out)
