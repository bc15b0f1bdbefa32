"""Stored partner lists (index format 4): a story scan cut into several runs keeps every candidate
pair one run over everything keeps, on every backend, including the pairs that only the EARLIER
article ranks in its top `cap` (stored articles vote with their lists); the lists are exact; an
index of format 3 is migrated in place.

The level here writes its band labels in the text ("1 2 3 ..."), every candidate verifying at 1.0,
so a scan's clusters show exactly the candidate pairs it verified; labels come from a small
alphabet, so articles share many bands and tie often (the cap is what decides).
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from dedup.load import article_from_text
from dedup.model import Document
from dedup.near.index import Index, IndexMismatch, open_index
from dedup.near.index.base import FORMAT, blob_tops, tops_blob
from dedup.near.index.memory import MemoryIndex
from dedup.near.index.staged import StagedView
from dedup.near.level import Sketch
from dedup.near.scan import scan
from tests.near.conftest import redis_url  # noqa: F401 - the real redis-server fixture

BANDS = 8


class LabelLevel:
    """Band labels read from the text's first `BANDS` words; every candidate verifies at 1.0."""

    name = "story"
    scheme = "affine32"
    num_perm = BANDS
    lsh_threshold = 0.05  # BANDS one-row bands
    verify_threshold = 0.5

    def __init__(self, cap: int) -> None:
        self.candidate_cap = cap

    def params(self) -> dict[str, Any]:
        return {
            "level": self.name,
            "scheme": self.scheme,
            "num_perm": BANDS,
            "candidate_cap": self.candidate_cap,
        }

    def sketch_many(self, docs: Sequence[Document]) -> list[Sketch | None]:
        out: list[Sketch | None] = []
        for d in docs:
            labels = [int(x) for x in d.article.text.split()[:BANDS]]
            out.append(Sketch(hashvalues=np.asarray(labels, dtype=np.uint64), payload=d.article.id.encode()))
        return out

    def similarity(self, a: bytes, b: bytes) -> float:
        return 1.0


def corpus(n: int, seed: int, alphabet: int = 4) -> list[tuple[str, str]]:
    """(id, text): labels then a filler of words of its own (no two texts are copies)."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        labels = " ".join(str(rng.randrange(alphabet)) for _ in range(BANDS))
        filler = " ".join(f"w{rng.randrange(10**6)}" for _ in range(40))
        out.append((f"a{k:03d}", f"{labels} {filler}\n"))
    return out


def articles(items: Sequence[tuple[str, str]]) -> list[Any]:
    return [article_from_text(t, id=i) for i, t in items]


def pairs(result: Any) -> set[tuple[str, str]]:
    return {(p.a, p.b) for c in result.clusters for p in c.pairs}


def shared(items: Sequence[tuple[str, str]]) -> dict[tuple[int, int], int]:
    """Bands shared by each pair of articles (by position in `items`), written out."""
    labels = [t.split()[:BANDS] for _, t in items]
    out = {}
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            c = sum(x == y for x, y in zip(labels[i], labels[j], strict=True))
            if c:
                out[(i, j)] = c
    return out


def top(k: int, partners: dict[int, int], cap: int) -> list[int]:
    """Article k's best `cap` partners (count descending, then earlier first) among `partners`."""
    return [p for _, p in sorted((-c, p) for p, c in partners.items() if p != k)[:cap]]


def partners_of(counts: dict[tuple[int, int], int], k: int, upto: int) -> dict[int, int]:
    return {(j if i == k else i): c for (i, j), c in counts.items() if k in (i, j) and max(i, j) < upto}


def earlier_only(items: Sequence[tuple[str, str]], cap: int, run: int) -> set[tuple[str, str]]:
    """One-shot pairs that the later article, scanned in its run, does not keep: only the earlier
    article's vote finds them incrementally (what the index's lists are for)."""
    counts = shared(items)
    n = len(items)
    out = set()
    for (i, j), _ in counts.items():
        in_one = j in top(i, partners_of(counts, i, n), cap) or i in top(j, partners_of(counts, j, n), cap)
        end = (j // run + 1) * run
        if in_one and i // run < j // run and i not in top(j, partners_of(counts, j, end), cap):
            out.add((items[i][0], items[j][0]))
    return out


def runs(
    spec: Any, items: Sequence[tuple[str, str]], cap: int, size: int
) -> tuple[set[tuple[str, str]], list[Any]]:
    idx = open_index(spec)
    found: set[tuple[str, str]] = set()
    outputs = []
    try:
        for k in range(0, len(items), size):
            res = scan(articles(items[k : k + size]), level=LabelLevel(cap), index=idx)
            found |= pairs(res)
            outputs.append(json.dumps({**res.to_json(), "params": None}, sort_keys=True))
    finally:
        if idx is not spec:
            idx.close()
    return found, outputs


@pytest.mark.parametrize("seed", [1, 2])
def test_runs_keep_every_pair_of_one_run(spec: Any, seed: int) -> None:
    items = corpus(48, seed)
    cap, size = 2, 8
    one = pairs(scan(articles(items), level=LabelLevel(cap)))
    needs_vote = earlier_only(items, cap, size)
    assert needs_vote and needs_vote <= one  # the corpus has pairs only the stored side keeps
    got, _ = runs(spec, items, cap, size)
    assert one - got == set()


def test_runs_are_deterministic(tmp_path: Path) -> None:
    items = corpus(40, 5)
    first = runs(str(tmp_path / "a.sqlite"), items, 2, 7)
    again = runs(str(tmp_path / "b.sqlite"), items, 2, 7)
    assert first == again
    with open_index(str(tmp_path / "a.sqlite")) as a, open_index(str(tmp_path / "b.sqlite")) as b:
        nums = list(range(40))
        assert a.tops("story", nums) == b.tops("story", nums) != {}


@pytest.mark.parametrize("size", [1, 6, 40])
def test_lists_are_each_articles_best_partners_so_far(size: int) -> None:
    """After any cut into runs, an article's list is its top `cap` among all stored articles, with
    the bands they share: the same as one run over everything would give it."""
    items = corpus(40, 9)
    cap = 3
    idx = MemoryIndex()
    for k in range(0, len(items), size):
        scan(articles(items[k : k + size]), level=LabelLevel(cap), index=idx)
    counts = shared(items)
    nums = idx.lookup([i for i, _ in items])
    lists = idx.tops("story", list(nums.values()))
    for k, (i, _) in enumerate(items):
        mine = partners_of(counts, k, len(items))
        want = [(mine[p], nums[items[p][0]]) for p in top(k, mine, cap)]
        c, p = blob_tops(lists[nums[i]]) if nums[i] in lists else (np.empty(0), np.empty(0))
        assert list(zip(c.tolist(), p.tolist(), strict=True)) == want, i


def test_a_staged_view_stores_lists_only_of_what_goes_in() -> None:
    base = MemoryIndex()
    items = corpus(12, 3, alphabet=2)
    scan(articles(items[:6]), level=LabelLevel(2), index=base)
    view = StagedView(base)
    scan(articles(items[6:]), level=LabelLevel(2), index=view)
    nums = base.lookup([i for i, _ in items])
    going = [nums[i] for i, _ in items[6:9]]
    held = {nums[i] for i, _ in items[9:]}
    staged = view.staged_tops["story"]
    assert any(np.isin(blob_tops(b)[1], list(held)).any() for b in staged.values())  # something to drop
    view.commit(going)
    lists = base.tops("story", list(nums.values()))
    assert not held & lists.keys()
    assert all(not np.isin(blob_tops(b)[1], list(held)).any() for b in lists.values())
    assert set(going) <= lists.keys()


def _named_lists(idx: Index, ids: list[str]) -> dict[str, list[tuple[int, str]]]:
    """Stored articles' lists with partners named by id (numbers differ between indexes)."""
    nums = idx.lookup(ids)
    lists = idx.tops("story", sorted(nums.values()))
    names = idx.ids_of(sorted({int(p) for b in lists.values() for p in blob_tops(b)[1]}))
    out = {}
    for i, n in nums.items():
        if n in lists:
            c, p = blob_tops(lists[n])
            out[i] = [(int(a), names[int(b)]) for a, b in zip(c, p, strict=True)]
    return out


def test_held_articles_leave_no_trace_and_shorten_no_stored_list() -> None:
    """The gate holds some of a batch back: after `commit`, no list names them, every entry is a
    real partner with its true count, and a stored article's list is never shorter than before
    (the old entries the held ones had pushed out come back)."""
    items = corpus(30, 8)
    base = MemoryIndex()
    scan(articles(items[:15]), level=LabelLevel(2), index=base)
    ids = [i for i, _ in items]
    before = _named_lists(base, ids[:15])
    view = StagedView(base)
    scan(articles(items[15:]), level=LabelLevel(2), index=view)
    going, held = ids[15::2], set(ids[16::2])
    staged = view.staged_tops["story"]
    named = base.ids_of(sorted({int(p) for b in staged.values() for p in blob_tops(b)[1]}))
    pushed = [  # stored lists where a held article took the place of an old entry
        n for n, b in staged.items() if {named[int(p)] for p in blob_tops(b)[1]} & held and n < 15
    ]
    assert pushed
    view.commit(sorted(base.lookup(going).values()))
    base.forget(sorted(held))
    after = _named_lists(base, ids)
    counts = shared(items)
    at = {i: k for k, i in enumerate(ids)}
    for i, lst in after.items():
        assert not {p for _, p in lst} & held
        for c, p in lst:
            assert counts[(min(at[i], at[p]), max(at[i], at[p]))] == c
    for i, old in before.items():
        assert len(after.get(i, [])) >= len(old), i


def test_dropping_an_article_drops_its_list(spec: Any) -> None:
    idx = open_index(spec)
    try:
        idx.ensure_level("story", {"format": FORMAT})
        a, b = idx.number(["a", "b"])
        idx.add("story", [a, b], np.array([[1, 2], [1, 3]], dtype=np.uint64), [b"x", b"y"])
        idx.set_tops(
            "story", {a: tops_blob(np.array([1]), np.array([b])), b: tops_blob(np.array([1]), np.array([a]))}
        )
        assert set(idx.tops("story", [a, b, 99])) == {a, b}
        idx.replace("story", a, np.array([5, 6], dtype=np.uint64), b"z")  # a new sketch: a new list to come
        idx.forget(["b"])
        assert idx.tops("story", [a, b]) == {}
    finally:
        if idx is not spec:
            idx.close()


def test_partner_list_records() -> None:
    blob = tops_blob(np.array([2, 5, 2, 300]), np.array([9, 4, 3, 7]))
    assert len(blob) == 20
    counts, nums = blob_tops(blob)
    assert counts.tolist() == [255, 5, 2, 2] and nums.tolist() == [7, 4, 3, 9]
    with pytest.raises(ValueError):
        blob_tops(blob[:-1])
    with pytest.raises(ValueError):
        tops_blob(np.array([1]), np.array([2**32]))


def _to_format_3_sqlite(path: Path) -> None:
    """What format 3 wrote: no partner-list tables, format 3 in the file and each level's settings."""
    db = sqlite3.connect(str(path))
    with db:
        db.execute("DROP TABLE tops_story")
        for name, value in db.execute(
            "SELECT name, value FROM dedup_meta WHERE name LIKE 'level:%'"
        ).fetchall():
            meta = {**json.loads(value), "format": "dedup.index/3"}
            db.execute("UPDATE dedup_meta SET value = ? WHERE name = ?", (json.dumps(meta), name))
        db.execute("UPDATE dedup_meta SET value = ? WHERE name = 'format'", ('"dedup.index/3"',))
    db.close()


def test_sqlite_index_of_format_3_is_migrated(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Its articles have no lists: they keep more (never fewer) new partners from then on."""
    items = corpus(40, 4)
    path = tmp_path / "old.sqlite"
    one = pairs(scan(articles(items), level=LabelLevel(2)))
    got, _ = runs(str(path), items[:24], 2, 8)
    _to_format_3_sqlite(path)
    with caplog.at_level("WARNING", logger="dedup.near"):
        later, _ = runs(str(path), items[24:], 2, 8)
    assert any("migrated from dedup.index/3 to dedup.index/4" in r.message for r in caplog.records)
    assert one - (got | later) == set()
    db = sqlite3.connect(str(path))
    assert db.execute("SELECT value FROM dedup_meta WHERE name='format'").fetchone() == (json.dumps(FORMAT),)
    (meta,) = db.execute("SELECT value FROM dedup_meta WHERE name = 'level:story'").fetchone()
    assert json.loads(meta)["format"] == FORMAT
    assert db.execute("SELECT COUNT(*) FROM tops_story").fetchone()[0] > 0
    db.close()


@pytest.mark.redis
def test_redis_index_of_format_3_is_migrated(redis_url: str) -> None:  # noqa: F811
    import redis

    items = corpus(40, 4)
    spec = {"type": "redis", "url": redis_url, "prefix": "v3:"}
    one = pairs(scan(articles(items), level=LabelLevel(2)))
    got, _ = runs(spec, items[:24], 2, 8)
    r = redis.Redis.from_url(redis_url)
    try:
        r.delete("v3:t:story")
        r.hset("v3:meta", "format", '"dedup.index/3"')
        meta = {**json.loads(r.hget("v3:meta", "level:story")), "format": "dedup.index/3"}
        r.hset("v3:meta", "level:story", json.dumps(meta))
        later, _ = runs(spec, items[24:], 2, 8)
        assert one - (got | later) == set()
        assert json.loads(r.hget("v3:meta", "format")) == FORMAT
        assert json.loads(r.hget("v3:meta", "level:story"))["format"] == FORMAT
        assert r.hlen("v3:t:story") > 0
        r.hset("v3:meta", "format", '"dedup.index/5"')  # written by a newer dedup: refused, untouched
        with pytest.raises(IndexMismatch, match=r"dedup.index/5.*expected 'dedup.index/4'"):
            open_index(spec)
        assert r.hget("v3:meta", "format") == b'"dedup.index/5"'
    finally:
        r.close()


def test_sqlite_index_of_a_newer_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    runs(str(path), corpus(6, 1), 2, 3)
    db = sqlite3.connect(str(path))
    with db:
        db.execute("UPDATE dedup_meta SET value = ? WHERE name = 'format'", ('"dedup.index/5"',))
    db.close()
    with pytest.raises(
        IndexMismatch, match=r"dedup.index/5.*expected 'dedup.index/4'.*another dedup version"
    ):
        open_index(str(path))


def test_an_index_without_lists_loses_nothing() -> None:
    """A backend that keeps no lists (the `Index` defaults) lets every stored article vote among
    the new ones: more candidates, never fewer."""

    class NoLists(MemoryIndex):
        def tops(self, level: str, nums: list[int]) -> dict[int, bytes]:
            return Index.tops(self, level, nums)

        def set_tops(self, level: str, lists: Any) -> None:
            Index.set_tops(self, level, lists)

    items = corpus(40, 6)
    one = pairs(scan(articles(items), level=LabelLevel(2)))
    plain, _ = runs(NoLists(), items, 2, 8)
    listed, _ = runs(MemoryIndex(), items, 2, 8)
    assert one <= listed < plain  # the lists keep candidates bounded


def test_story_level_runs_keep_every_link_of_one_run(spec: Any) -> None:
    """The real story level (cap 3, chain guard off): 30 reports on three made-up stories, some on
    two, scanned in runs of 5 link every pair one run links."""
    from dedup.near.story import StoryLevel
    from tests.test_gate_stories import report

    items = []
    for t in range(3):
        for s in range(10):
            topics = [f"t{t}", f"t{(t + 1) % 3}"] if s % 4 == 0 else [f"t{t}"]
            items.append((f"r{t}{s}", report(topics, 100 * t + s)))
    random.Random(1).shuffle(items)
    one = pairs(scan(articles(items), level=StoryLevel(candidate_cap=3, chain_k=0)))
    idx = open_index(spec)
    got: set[tuple[str, str]] = set()
    try:
        for k in range(0, len(items), 5):
            got |= pairs(
                scan(articles(items[k : k + 5]), level=StoryLevel(candidate_cap=3, chain_k=0), index=idx)
            )
    finally:
        if idx is not spec:
            idx.close()
    assert len(one) > 30
    assert one - got == set()
