"""`DryRunIndex`: reads see the base plus the run's own changes, the base is never written. Held
against a plain model (a copy of the base that takes the writes), then through the gate on a real
SQLite file and a real redis-server: a dry run decides what a real run decides, and leaves the
index as it was."""

from __future__ import annotations

import copy
import random
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from dedup.gate import GateParams, gate
from dedup.model import Article
from dedup.near.index import open_index
from dedup.near.index.base import tops_blob
from dedup.near.index.dryrun import DryRunIndex
from dedup.near.index.memory import MemoryIndex
from tests.near.conftest import redis_url  # noqa: F401 - the real redis-server fixture
from tests.near.corpus import article, copy_of

LEVELS = ("copy", "story")


def _keys(rng: random.Random, n: int) -> np.ndarray:
    return np.array([[rng.randrange(40) for _ in range(4)] for _ in range(n)], dtype=np.uint64)


def _state(idx: Any, ids: list[str], nums: list[int]) -> dict[str, Any]:
    """Everything a reader can see of these ids and numbers."""
    probe = np.arange(40, dtype=np.uint64).reshape(10, 4)
    out: dict[str, Any] = {
        "lookup": idx.lookup(ids),
        "ids_of": idx.ids_of(nums),
        "fps": idx.fingerprints(ids),
        "stories": idx.stories(ids),
    }
    for lv in LEVELS:
        rows, found = idx.candidates(lv, probe)
        out[lv] = (
            sorted(idx.has(lv, nums)),
            idx.payloads(lv, nums),
            idx.count(lv),
            sorted(zip(rows.tolist(), found.tolist(), strict=True)),
            idx.tops(lv, nums),
        )
    return out


def _base(rng: random.Random) -> tuple[MemoryIndex, list[str]]:
    base = MemoryIndex()
    ids = [f"a{k}" for k in range(12)]
    nums = base.number(ids)
    for lv in LEVELS:
        base.ensure_level(lv, {"level": lv})
        take = [n for n in nums if rng.random() < 0.7]
        base.add(lv, take, _keys(rng, len(take)), [f"{lv}{n}".encode() for n in take])
        base.set_tops(lv, {n: tops_blob(np.array([2]), np.array([nums[0]])) for n in take[:3]})
    base.set_fingerprints({i: 100 + k for k, i in enumerate(ids[:8])})
    base.set_stories({ids[5]: ids[1], ids[6]: ids[1]})
    return base, ids


@pytest.mark.parametrize("seed", range(40))
def test_a_dry_run_reads_like_a_copy_that_took_the_writes(seed: int) -> None:
    rng = random.Random(seed)
    base, ids = _base(rng)
    before = copy.deepcopy(base)
    model, view = copy.deepcopy(base), DryRunIndex(base)
    pool = ids + [f"n{k}" for k in range(8)]
    for _ in range(30):
        op = rng.choice(["number", "add", "drop", "replace", "forget", "fp", "story", "tops"])
        lv = rng.choice(LEVELS)
        known = sorted(model.lookup(pool).values())
        if op == "number":
            new = rng.sample(pool, 3)
            assert view.number(new) == model.number(new)
        elif op == "add" and known:
            take = [n for n in rng.sample(known, min(2, len(known))) if n not in model.has(lv, known)]
            keys, pays = _keys(rng, len(take)), [f"x{seed}{n}".encode() for n in take]
            for idx in (view, model):
                idx.add(lv, take, keys, pays)
        elif op in ("drop", "replace") and known:
            n = rng.choice(known)
            keys = _keys(rng, 1)
            for idx in (view, model):
                idx.drop(lv, [n]) if op == "drop" else idx.replace(lv, n, keys[0], b"r")
        elif op == "forget":
            gone = rng.sample(pool, 2)
            for idx in (view, model):
                idx.forget(gone)
        elif op in ("fp", "story") and known:
            i = rng.choice(sorted(model.lookup(pool)))
            if op == "fp":
                fp = rng.randrange(2**60)
                for idx in (view, model):
                    idx.set_fingerprints({i: fp})
            else:
                name = rng.choice([i, "a1", "n3"])
                for idx in (view, model):
                    idx.set_stories({i: name})
        elif op == "tops" and known:
            lists = {rng.choice(known): tops_blob(np.array([3, 1]), np.array([0, 1]))}
            for idx in (view, model):
                idx.set_tops(lv, lists)
        nums = list(range(model.next_number() + 2))
        assert _state(view, pool, nums) == _state(model, pool, nums), op
    nums = list(range(before.next_number() + 10))
    assert _state(base, pool, nums) == _state(before, pool, nums)  # the base never saw a write


def _decisions(index: Any, rows: list[tuple[str, str]]) -> list[tuple[Any, ...]]:
    arts = (Article(id=i, text=t) for i, t in rows)
    return [
        (d.id, d.decision, d.duplicate_of, d.story_cluster, d.to_json()["fingerprint"])
        for d in gate(arts, index=index, params=GateParams(level="both", check=False))
    ]


def _dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return list(db.iterdump())


FIRST = [("a", article(701)), ("b", article(702)), ("c", article(703))]
SECOND = [
    ("d", copy_of(article(701), 1)),  # a copy of a stored article
    ("b", article(704)),  # an update of a stored id
    ("e", article(705)),  # new
    ("f", copy_of(article(705), 2)),  # a copy of the new one, in the same run
    ("a", article(701)),  # a resend, same text
]


def test_a_dry_gate_run_on_sqlite_decides_as_a_real_run_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "idx.sqlite"
    _decisions(str(db), FIRST)
    twin = tmp_path / "twin.sqlite"
    idx = open_index(str(db))
    idx.close()
    shutil.copy(db, twin)
    before = _dump(db)
    dry = _decisions(DryRunIndex(open_index(str(db))), SECOND)
    assert _dump(db) == before  # nothing written
    assert dry == _decisions(str(twin), SECOND)  # what a real run decides
    assert {d[0]: d[1] for d in dry} == {
        "d": "duplicate",
        "b": "update",
        "e": "ingest",
        "f": "duplicate",
        "a": "duplicate",
    }
    assert dry == _decisions(DryRunIndex(open_index(str(db))), SECOND)  # and again: nothing was kept


def test_a_dry_gate_run_on_redis_writes_nothing(request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("redis_url")
    spec = {"type": "redis", "url": url, "prefix": "dry:"}
    _decisions(spec, FIRST)
    idx = open_index(spec)
    r = idx.r  # type: ignore[attr-defined]
    snapshot = {k: r.dump(k) for k in sorted(r.keys("dry:*"))}
    dry = _decisions(DryRunIndex(idx), SECOND)
    assert {k: r.dump(k) for k in sorted(r.keys("dry:*"))} == snapshot
    real = _decisions(spec, SECOND)
    assert dry == real
