"""Story names in the index (format 3), on every backend; an index of format 2 is migrated."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from dedup.gate import GateParams, gate
from dedup.model import Article
from dedup.near.index import Index, open_index
from dedup.near.index.base import FORMAT
from dedup.near.index.memory import MemoryIndex
from dedup.near.index.staged import StagedView
from tests.test_gate_stories import X1, X2, Y1, report

X3 = report(["x"], 17)  # a third report of the X story

BOTH = GateParams(check=False, level="both")


def _open(spec: Any) -> Index:
    return open_index(spec)


def _close(idx: Index, spec: Any) -> None:
    if idx is not spec:
        idx.close()


def test_story_names_are_stored_cleared_and_forgotten(spec: Any) -> None:
    idx = _open(spec)
    idx.number(["a", "b", "c"])
    idx.set_stories({"b": "a", "c": "c"})  # "c" is its own name: nothing stored
    assert idx.stories(["a", "b", "c", "zz"]) == {"b": "a"}
    with pytest.raises(KeyError):
        idx.set_stories({"not-indexed": "a"})
    idx.set_stories({"c": "a"})
    _close(idx, spec)
    idx = _open(spec)  # persisted (SQLite file, Redis server)
    assert idx.stories(["b", "c"]) == {"b": "a", "c": "a"}
    idx.set_stories({"b": "b"})  # a name equal to the id clears it
    idx.forget(["c"])
    assert idx.stories(["a", "b", "c"]) == {}
    idx.number(["c"])  # a forgotten id comes back without its old name
    assert idx.stories(["c"]) == {}
    _close(idx, spec)


def test_a_staged_view_reads_names_and_writes_none() -> None:
    base = MemoryIndex()
    base.number(["a", "b"])
    base.set_stories({"b": "a"})
    view = StagedView(base)
    assert view.stories(["a", "b"]) == {"b": "a"}
    with pytest.raises(RuntimeError):
        view.set_stories({"a": "b"})


def _gate(spec: Any, *pairs: tuple[str, str]) -> list[tuple[str, str, str | None]]:
    items = [Article(id=i, text=t, origin=f"<{i}>") for i, t in pairs]
    return [(d.id, d.decision, d.story_cluster) for d in gate(items, index=spec, params=BOTH)]


def _format_2_sqlite(path: Path) -> None:
    """What format 2 wrote: no story column, format 2 in the file and in each level's settings."""
    db = sqlite3.connect(str(path))
    with db:
        db.execute("ALTER TABLE docs DROP COLUMN story")
        for name, value in db.execute(
            "SELECT name, value FROM dedup_meta WHERE name LIKE 'level:%'"
        ).fetchall():
            db.execute(
                "UPDATE dedup_meta SET value = ? WHERE name = ?",
                (json.dumps({**json.loads(value), "format": "dedup.index/2"}), name),
            )
        db.execute("UPDATE dedup_meta SET value = ? WHERE name = 'format'", ('"dedup.index/2"',))
    db.close()


def test_sqlite_index_of_format_2_is_migrated(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Its articles have no names (each is named after itself); the next run records names."""
    path = tmp_path / "old.sqlite"
    assert _gate(str(path), ("X1", X1), ("X2", X2)) == [("X1", "ingest", None), ("X2", "ingest", "X1")]
    _format_2_sqlite(path)
    with caplog.at_level("WARNING", logger="dedup.near"):
        got = _gate(str(path), ("Y1", Y1), ("X3", X3))
    assert any("migrated from dedup.index/2 to dedup.index/4" in r.message for r in caplog.records)
    assert got == [("Y1", "ingest", None), ("X3", "ingest", "X1")]
    db = sqlite3.connect(str(path))
    assert db.execute("SELECT value FROM dedup_meta WHERE name='format'").fetchone() == (json.dumps(FORMAT),)
    metas = [
        json.loads(v)["format"]
        for (v,) in db.execute("SELECT value FROM dedup_meta WHERE name LIKE 'level:%'")
    ]
    assert metas == [FORMAT, FORMAT]
    db.close()
    with open_index(str(path)) as idx:
        assert idx.stories(["X1", "X2", "Y1", "X3"]) == {"X3": "X1"}  # none from before the migration


@pytest.mark.redis
def test_redis_index_of_format_2_is_migrated(redis_url: str) -> None:
    import redis

    spec = {"type": "redis", "url": redis_url, "prefix": "v2:"}
    assert _gate(spec, ("X1", X1), ("X2", X2)) == [("X1", "ingest", None), ("X2", "ingest", "X1")]
    r = redis.Redis.from_url(redis_url)
    try:
        r.delete("v2:story")
        r.hset("v2:meta", "format", '"dedup.index/2"')
        for level in ("copy", "story"):
            meta = {**json.loads(r.hget("v2:meta", f"level:{level}")), "format": "dedup.index/2"}
            r.hset("v2:meta", f"level:{level}", json.dumps(meta))
        got = _gate(spec, ("Y1", Y1), ("X3", X3))
        assert got == [("Y1", "ingest", None), ("X3", "ingest", "X1")]
        assert json.loads(r.hget("v2:meta", "format")) == FORMAT
        assert json.loads(r.hget("v2:meta", "level:story"))["format"] == FORMAT
        assert r.hgetall("v2:story") == {b"X3": b"X1"}
    finally:
        r.close()
