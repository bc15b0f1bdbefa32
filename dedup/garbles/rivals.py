"""Shared by the families that compare a kind of item (a figure, a month) across alignment links.

The rule both use: on a confident link, an MT item the reference never gives is flagged when the
linked reference sentences give a different item of the same kind (comparable reports cite other
figures and dates for other things, so both conditions are required). No detector lives here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol, TypeVar

from dedup.garbles.base import Context, Detector
from dedup.model import Document, Evidence, Flag, Link


class Item(Protocol):
    start: int
    end: int
    kind: str


T = TypeVar("T", bound=Item)


def in_sentence(doc: Document, i: int, extract: Callable[[str, int, int], list[T]]) -> list[T]:
    """The items of sentence i (none for an index outside the document)."""
    if not 0 <= i < len(doc.sentences):
        return []
    s = doc.sentences[i]
    return extract(doc.text, s.start, s.end)


def rivals_on_links(
    ctx: Context,
    min_score: float,
    extract: Callable[[str, int, int], list[T]],
    given_by_ref: Callable[[T], bool],
    same: Callable[[T, T], bool],
) -> Iterator[tuple[Link, T, list[T]]]:
    """(link, MT item, the reference items of its kind it contradicts) for every MT item on a link of
    at least `min_score` that `given_by_ref` does not clear and that has rivals: reference items of
    the same kind that are `same` as no MT item of the link."""
    if ctx.ref is None or ctx.alignment is None:
        return
    for link in ctx.alignment.links:
        if link.score < min_score:
            continue
        mine = [x for i in link.mt for x in in_sentence(ctx.mt, i, extract)]
        theirs = [x for j in link.ref for x in in_sentence(ctx.ref, j, extract)]
        if not mine or not theirs:
            continue
        for x in mine:
            if given_by_ref(x):
                continue
            rivals = [r for r in theirs if r.kind == x.kind and not any(same(r, y) for y in mine)]
            if rivals:
                yield link, x, rivals


def rival_flag(det: Detector, ctx: Context, link: Link, item: Item, rivals: Sequence[Item]) -> Flag:
    """The flag on an MT item with the reference's rival items as evidence (up to three)."""
    mt, ref = ctx.mt.text, ctx.ref.text if ctx.ref is not None else ""
    return det.flag(
        ctx,
        item.start,
        item.end,
        f"{item.kind} {mt[item.start : item.end]!r} appears nowhere in the reference; "
        f"the aligned sentence says {ref[rivals[0].start : rivals[0].end]!r}",
        confidence=min(0.95, 0.6 + 0.4 * link.score),
        evidence=[
            Evidence.at(f"aligned reference gives {ref[r.start : r.end]!r}", "ref", ref, r.start, r.end)
            for r in rivals[:3]
        ],
    )
