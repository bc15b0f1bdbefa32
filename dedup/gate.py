"""The pre-ingest pipeline step: one decision per article, and why.

Steps are generators over `GateItem`s, as datatrove's pipeline blocks are: each step passes every
item on, and when it holds one back it records which step did it and why. Order: read, check,
dedup, decide: only articles that go in reach the index. Nothing is dropped: an
article that cannot be read, or that makes a step fail, still gets a decision ("error").
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from dedup.model import Article, Document, LoadError

log = logging.getLogger("dedup.gate")

SCHEMA = "dedup.gate/1"
DECISIONS = ("ingest", "duplicate", "review", "reject", "error")


@dataclass(frozen=True)
class GateParams:
    """What changes the decisions; written into every JSON output."""

    level: str = "copy"  # "copy" holds back copies; "both" also reports the story cluster
    check: bool = True  # run the garble checks (no reference) on articles that are not copies
    hold: str = "review"  # the lowest verdict that holds an article back: "review" or "reject"
    batch_size: int = 1000  # articles per scan batch (memory stays bounded on long streams)

    def __post_init__(self) -> None:
        if self.level not in ("copy", "both"):
            raise ValueError(f"level must be 'copy' or 'both', not {self.level!r}")
        if self.hold not in ("review", "reject"):
            raise ValueError(f"hold must be 'review' or 'reject', not {self.hold!r}")
        if self.batch_size < 1:
            raise ValueError("batch_size must be at least 1")

    def to_json(self) -> dict[str, Any]:
        return {"level": self.level, "check": self.check, "hold": self.hold, "batch_size": self.batch_size}


@dataclass
class GateItem:
    """One input on its way through the steps."""

    position: int
    origin: str
    id: str | None
    article: Article | None = None
    doc: Document | None = None  # the analysed article, once the check step has made it
    decision: str | None = None  # set by the step that holds the item back, or "ingest" at the end
    step: str | None = None
    reasons: list[str] = field(default_factory=list)
    duplicate_of: str | None = None
    similarity: float | None = None
    story_cluster: str | None = None
    verdict: str | None = None
    flags: dict[str, int] = field(default_factory=dict)

    def hold(self, step: str, decision: str, reason: str) -> None:
        self.decision, self.step = decision, step
        self.reasons.append(reason)

    @property
    def ingest(self) -> bool:
        return self.decision == "ingest"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "origin": self.origin,
            "decision": self.decision,
            "ingest": self.ingest,
            "step": self.step,
            "reasons": list(self.reasons),
            "duplicate_of": self.duplicate_of,
            "similarity": self.similarity,
            "story_cluster": self.story_cluster,
            "verdict": self.verdict,
            "flags": dict(sorted(self.flags.items())),
        }


def read_step(items: Iterable[Article | LoadError]) -> Iterator[GateItem]:
    """Articles become items; inputs that could not be read, empty texts and repeated ids are
    held back as errors (the loader does this for files; API callers may pass anything)."""
    seen: dict[str, str] = {}
    for pos, item in enumerate(items):
        if isinstance(item, LoadError):
            gi = GateItem(pos, item.origin, item.id)
            gi.hold("read", "error", item.message)
        else:
            gi = GateItem(pos, item.origin, item.id, article=item)
            if item.id in seen:
                gi.hold("read", "error", f"duplicate id {item.id!r} (first seen at {seen[item.id]})")
            elif not item.text.strip():
                gi.hold("read", "error", "empty text")
            else:
                seen[item.id] = item.origin
        yield gi


def _batches(items: Iterator[GateItem], size: int) -> Iterator[list[GateItem]]:
    while batch := list(islice(items, size)):
        yield batch


def dedup_step(items: Iterable[GateItem], index: Any, params: GateParams) -> Iterator[GateItem]:
    """Copies of an earlier article (this run or the index) are held back as duplicates."""
    from dedup.near.index.base import IndexMismatch, IndexUnavailable
    from dedup.near.scan import scan

    for batch in _batches(iter(items), params.batch_size):
        todo = [gi for gi in batch if gi.decision is None and gi.article is not None]
        seen = index.lookup([gi.id for gi in todo]) if todo else {}
        for gi in todo:
            if gi.id in seen:  # the same id went in before: a re-run or a re-send, not news
                gi.duplicate_of = gi.id
                gi.hold("dedup", "duplicate", f"id {gi.id!r} is already in the index")
        todo = [gi for gi in todo if gi.decision is None]
        if todo:
            level = "both" if params.level == "both" else "copy"
            try:
                # The check step's Document (boilerplate already found) saves the scan a second pass.
                result = scan([gi.doc or gi.article for gi in todo], level=level, index=index)
            except (IndexMismatch, IndexUnavailable):
                raise  # the index is wrong for every article: stop the run and say why
            except Exception as err:
                log.exception("dedup step failed on a batch")
                for gi in todo:
                    gi.hold("dedup", "error", f"dedup failed: {type(err).__name__}: {err}")
                yield from batch
                continue
            by_id = {d.id: d for d in result.documents}
            for gi in todo:
                d = by_id.get(gi.id)
                if d is None:  # never expected: say so rather than let it through unseen
                    gi.hold("dedup", "error", "no dedup result for this article")
                    continue
                if d.status == "error":
                    gi.hold("dedup", "error", d.error or "could not be deduplicated")
                    continue
                if d.status == "empty":
                    gi.hold("dedup", "error", "no article body left once boilerplate is removed")
                    continue
                gi.story_cluster = d.clusters.get("story")
                if d.duplicate_of is not None:
                    gi.duplicate_of, gi.similarity = d.duplicate_of, d.similarity
                    gi.hold("dedup", "duplicate", f"copy of {d.duplicate_of} (similarity {d.similarity})")
        yield from batch


def check_step(items: Iterable[GateItem], params: GateParams) -> Iterator[GateItem]:
    """Garble checks on what is still going in; the verdict may hold an article back."""
    from dedup.check import check
    from dedup.text import analyze

    holding = ("review", "reject") if params.hold == "review" else ("reject",)
    for gi in items:
        if gi.decision is None and gi.article is not None and params.check:
            try:
                gi.doc = analyze(gi.article)
                res = check(gi.doc)
            except Exception as err:  # one bad article never stops the pipeline
                log.exception("check failed on %s", gi.id)
                gi.hold("check", "error", f"check failed: {type(err).__name__}: {err}")
                yield gi
                continue
            gi.verdict = res.verdict
            gi.flags = dict(Counter(f.kind for f in res.flags))
            if res.verdict in holding:
                why = "; ".join(res.reasons) if res.reasons else f"verdict {res.verdict}"
                gi.hold("check", res.verdict, why)
        yield gi


def decide_step(items: Iterable[GateItem]) -> Iterator[GateItem]:
    """Whatever no step held back goes in."""
    for gi in items:
        if gi.decision is None:
            gi.decision = "ingest"
        yield gi


def gate(
    items: Iterable[Article | LoadError],
    index: str | Mapping[str, Any] | Any | None = None,
    params: GateParams | None = None,
) -> Iterator[GateItem]:
    """Decisions in input order, one per input, streaming.

    `index`: where earlier runs' articles are (a path, URI, config or open index; None keeps an
    in-memory index for this run only, so copies within the run are still found)."""
    from dedup.near.index import open_index

    params = params or GateParams()
    idx = open_index(index)
    try:
        # Check before dedup: the index must hold only what went in, so that a corrected resend
        # of a rejected article, or a copy of it, is judged on its own and not as "seen".
        stream = read_step(items)
        stream = check_step(stream, params)
        stream = dedup_step(stream, idx, params)
        yield from decide_step(stream)
    finally:
        if idx is not index:
            idx.close()


def summary(decisions: Iterable[GateItem]) -> dict[str, int]:
    """How many inputs got each decision (every decision listed, zeros included)."""
    counts = Counter(d.decision for d in decisions)
    return {k: counts.get(k, 0) for k in DECISIONS}
