"""`dedup.index_admin`: what a persistent index holds, what it knows of an id, removing ids for good.
Real SQLite files and a real redis-server; the gate fills them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dedup.gate import GateParams, gate
from dedup.index_admin import index_forget, index_info, index_show
from dedup.model import Article
from dedup.near.index import IndexBusy, IndexMismatch, open_index
from dedup.near.index.memory import MemoryIndex
from tests.near.conftest import redis_url  # noqa: F401 - the real redis-server fixture
from tests.near.corpus import article, copy_of

PARAMS = GateParams(level="both", check=False)


@pytest.fixture(params=["sqlite", "redis"])
def spec(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "sqlite":
        yield str(tmp_path / "idx.sqlite")
    else:
        url = request.getfixturevalue("redis_url")
        yield {"type": "redis", "url": url, "prefix": f"admin-{request.node.name}:"}


def _gate(spec: Any, *rows: tuple[str, str]) -> dict[str, Any]:
    idx = open_index(spec)
    try:
        return {d.id: d for d in gate((Article(id=i, text=t) for i, t in rows), index=idx, params=PARAMS)}
    finally:
        idx.close()


def test_info_counts_each_level_and_gives_the_recorded_settings(spec: Any) -> None:
    _gate(spec, ("a", article(401)), ("b", article(402)), ("c", copy_of(article(401), 1)))
    info = index_info(spec)
    assert info["schema"] == "dedup.index-info/1"
    assert sorted(info["levels"]) == ["copy", "story"]
    assert info["levels"]["copy"]["articles"] == 2  # the copy "c" was held back, not stored
    copy = info["levels"]["copy"]
    assert copy["scheme"] and copy["num_perm"] == copy["params"]["num_perm"]
    assert copy["bands"] * copy["rows"] <= copy["num_perm"]
    if isinstance(spec, str):
        assert info["index"]["backend"] == "sqlite" and info["index"]["bytes_on_disk"] > 0
    else:
        assert info["index"]["backend"] == "redis" and info["index"]["bytes_on_disk"] is None


def test_show_tells_number_levels_fingerprint_and_story(spec: Any) -> None:
    made = _gate(spec, ("a", article(411)), ("b", article(412)), ("c", copy_of(article(411), 2)))
    shown = {r["id"]: r for r in index_show(spec, ["b", "nope", "a", "c"])["ids"]}
    assert list(shown) == ["b", "nope", "a", "c"]  # in the order asked
    assert shown["a"]["indexed"] and shown["a"]["levels"] == ["copy", "story"]
    assert shown["a"]["fingerprint"] == made["a"].to_json()["fingerprint"]
    assert shown["a"]["number"] != shown["b"]["number"]
    assert shown["a"]["story"] == "a"
    assert not shown["nope"]["indexed"] and shown["nope"]["number"] is None and shown["nope"]["levels"] == []
    assert not shown["c"]["indexed"]  # a duplicate is not stored


def test_forget_lets_a_later_copy_go_in_and_keeps_the_others(spec: Any) -> None:
    text = article(421)
    first = _gate(spec, ("a", text), ("b", article(422)))
    assert first["a"].decision == "ingest"
    before = _gate(spec, ("a2", copy_of(text, 3)))
    assert before["a2"].decision == "duplicate" and before["a2"].duplicate_of == "a"
    result = index_forget(spec, ["a", "ghost", "a"])
    assert result["forgotten"] == ["a"] and result["not_found"] == ["ghost"]
    assert not index_show(spec, ["a"])["ids"][0]["indexed"]
    assert index_info(spec)["levels"]["copy"]["articles"] == 1
    after = _gate(spec, ("a2", copy_of(text, 3)), ("b", article(422)))
    assert after["a2"].decision == "ingest"  # nothing left to be a copy of
    assert after["b"].decision == "duplicate"  # "b" is still there: same id, same text


def test_forget_waits_for_a_worker_holding_the_index(spec: Any) -> None:
    _gate(spec, ("a", article(431)))
    holder = open_index(spec)
    try:
        with holder.exclusive():
            with pytest.raises(IndexBusy):
                index_forget(spec, ["a"], lock_wait=0.2)
    finally:
        holder.close()
    assert index_show(spec, ["a"])["ids"][0]["indexed"]  # nothing removed while it was busy
    assert index_forget(spec, ["a"], lock_wait=0)["forgotten"] == ["a"]


def test_looking_at_a_missing_file_does_not_create_an_index(tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite"
    for call in (lambda: index_info(str(missing)), lambda: index_show(f"sqlite://{missing}", ["a"])):
        with pytest.raises(IndexMismatch, match="does not exist"):
            call()
    with pytest.raises(IndexMismatch, match="does not exist"):
        index_forget({"type": "sqlite", "path": str(missing)}, ["a"])
    assert not missing.exists()


def test_an_open_index_is_used_and_left_open() -> None:
    idx = MemoryIndex()
    list(gate([Article(id="a", text=article(441))], index=idx, params=PARAMS))
    assert index_info(idx)["levels"]["copy"]["articles"] == 1
    assert index_forget(idx, ["a"])["forgotten"] == ["a"]
    assert idx.lookup(["a"]) == {} and idx.count("copy") == 0  # still usable: not closed


def test_an_index_with_nothing_stored_has_no_levels(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    open_index(str(path)).close()
    info = index_info(str(path))
    assert info["levels"] == {}
    with sqlite3.connect(path) as db:  # looking wrote nothing: no level tables were created
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert not any(t.startswith(("bands_", "payloads_")) for t in tables), tables
