"""A stored article removed between the index lookup and the payload read (by a process that took
no lock: a dry run reads without one) is no longer a candidate; the scan goes on."""

from __future__ import annotations

from dedup.model import Article
from dedup.near.index.memory import MemoryIndex
from dedup.near.scan import scan
from tests.near.corpus import article, copy_of


class Vanishing(MemoryIndex):
    """Answers `payloads` as if some stored numbers had just been forgotten elsewhere."""

    gone: set[int] = set()

    def payloads(self, level: str, nums: list[int]) -> dict[int, bytes]:
        return {n: p for n, p in super().payloads(level, nums).items() if n not in self.gone}


def test_a_candidate_whose_sketch_vanished_is_dropped_not_a_crash() -> None:
    idx = Vanishing()
    scan([Article(id="a", text=article(901)), Article(id="b", text=article(902))], index=idx)
    idx.gone = {idx.lookup(["a"])["a"]}
    res = scan(
        [Article(id="c", text=copy_of(article(901), 1)), Article(id="d", text=copy_of(article(902), 1))],
        index=idx,
    )
    dup = {r["id"]: r["duplicate_of"] for r in res.to_jsonl_rows()}
    assert dup == {"c": None, "d": "b"}  # "a" vanished: nothing to be a copy of; "b" still there
