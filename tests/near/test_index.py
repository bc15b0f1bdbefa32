"""Index backends behind one interface: chosen by URI/config, same answers, refusal of mismatches;
Redis against a real redis-server."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dedup.load import article_from_text
from dedup.near.copy import CopyLevel
from dedup.near.index import Index, IndexMismatch, IndexUnavailable, open_index
from dedup.near.index.memory import MemoryIndex
from dedup.near.index.sqlite import SQLiteIndex
from dedup.near.scan import scan
from tests.near.corpus import article, copy_of


def test_open_index_by_uri_and_config(tmp_path: Path) -> None:
    assert isinstance(open_index(None), MemoryIndex)
    assert isinstance(open_index("memory"), MemoryIndex)
    assert isinstance(open_index({"type": "memory"}), MemoryIndex)
    for spec in (
        str(tmp_path / "a.db"),
        f"sqlite://{tmp_path / 'b.db'}",
        {"type": "sqlite", "path": tmp_path / "c.db"},
    ):
        idx = open_index(spec)
        assert isinstance(idx, SQLiteIndex)
        idx.close()
    with pytest.raises(ValueError, match="unknown index"):
        open_index("ftp://example.org/x")
    with pytest.raises(ValueError, match="unknown index type"):
        open_index({"type": "cassandra"})


def _exercise(idx: Index) -> None:
    """The same small story on any backend: number, add, candidates, payloads, metadata."""
    meta = {"format": "x", "params": {"num_perm": 4}}
    idx.ensure_level("copy", meta)
    idx.ensure_level("copy", meta)  # same settings: fine
    with pytest.raises(IndexMismatch, match="num_perm"):
        idx.ensure_level("copy", {"format": "x", "params": {"num_perm": 8}})
    nums = idx.number(["a", "b", "c"])
    assert nums == sorted(nums) and len(set(nums)) == 3
    assert idx.number(["b"]) == [nums[1]]
    keys = np.array([[1, 2], [3, 4], [5, 2]], dtype=np.uint64)
    idx.add("copy", nums, keys, [b"pa", b"pb", b"pc"])
    rows, found = idx.candidates("copy", np.array([[9, 2], [3, 7]], dtype=np.uint64))
    got = sorted(zip(rows.tolist(), found.tolist(), strict=True))
    assert got == sorted([(0, nums[0]), (0, nums[2]), (1, nums[1])])
    assert idx.payloads("copy", [nums[2], 999]) == {nums[2]: b"pc"}
    assert idx.has("copy", [nums[0], 999]) == {nums[0]}
    assert idx.count("copy") == 3
    assert idx.lookup(["a", "zz"]) == {"a": nums[0]}
    assert idx.ids_of([nums[1]]) == {nums[1]: "b"}


def test_memory_backend() -> None:
    _exercise(MemoryIndex())


def test_sqlite_backend(tmp_path: Path) -> None:
    with SQLiteIndex(tmp_path / "i.db") as idx:
        _exercise(idx)
    with SQLiteIndex(tmp_path / "i.db") as idx:  # persisted
        assert idx.count("copy") == 3


def test_sqlite_missing_folder_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailable):
        open_index(str(tmp_path / "no" / "such" / "dir" / "i.db"))


@pytest.mark.redis
def test_redis_backend(redis_url: str) -> None:
    from dedup.near.index.redis import RedisIndex

    idx = RedisIndex(redis_url, prefix="t1:")
    try:
        _exercise(idx)
    finally:
        idx.close()


@pytest.mark.redis
def test_redis_incremental_scan_and_refusal(redis_url: str) -> None:
    url = redis_url  # unix:///.../redis.sock
    base = article(40)
    idx = open_index({"type": "redis", "url": url, "prefix": "t2:"})
    try:
        scan([article_from_text(base, id="orig")], index=idx)
        result = scan([article_from_text(copy_of(base, 1), id="later")], index=idx)
        assert [c.members for c in result.clusters] == [["later", "orig"]]
        with pytest.raises(IndexMismatch, match="num_perm"):
            scan([article_from_text(base, id="x")], level=CopyLevel(num_perm=64), index=idx)
    finally:
        idx.close()


def test_redis_unreachable_is_infra_error() -> None:
    pytest.importorskip("redis")
    with pytest.raises(IndexUnavailable):
        open_index("redis://127.0.0.1:1/0")
