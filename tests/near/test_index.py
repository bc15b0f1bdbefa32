"""Index backends behind one interface: chosen by URI/config, same answers, refusal of mismatches;
Redis against a real redis-server."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    _exercise_replacement(idx, nums)


def _found(idx: Index, keys: list[list[int]]) -> list[tuple[int, int]]:
    rows, found = idx.candidates("copy", np.array(keys, dtype=np.uint64))
    return sorted(zip(rows.tolist(), found.tolist(), strict=True))


def _exercise_replacement(idx: Index, nums: list[int]) -> None:
    """Format 2: fingerprints, a sketch replaced in place, ids forgotten (numbers not reused)."""
    big = 2**64 - 3  # fingerprints are unsigned 64-bit: the top bit must survive every backend
    idx.set_fingerprints({"a": big, "b": 7})
    assert idx.fingerprints(["a", "b", "c", "zz"]) == {"a": big, "b": 7}
    with pytest.raises(KeyError):
        idx.set_fingerprints({"not-indexed": 1})
    # "c" (keys 5, 2) becomes keys (6, 2**63 + 1): its old key 5 no longer finds it.
    idx.replace("copy", nums[2], np.array([6, 2**63 + 1], dtype=np.uint64), b"pc2")
    assert _found(idx, [[5, 6], [2**63 + 1, 0]]) == [(0, nums[2]), (1, nums[2])]
    assert _found(idx, [[9, 2]]) == [(0, nums[0])]  # key 2 is "a"'s alone now
    assert idx.payloads("copy", [nums[2]]) == {nums[2]: b"pc2"}
    assert idx.count("copy") == 3 and idx.lookup(["c"]) == {"c": nums[2]}
    idx.drop("copy", [nums[1]])
    assert idx.has("copy", nums) == {nums[0], nums[2]} and _found(idx, [[3, 4]]) == []
    idx.forget(["a", "zz"])
    assert idx.lookup(["a", "b"]) == {"b": nums[1]} and idx.fingerprints(["a", "b"]) == {"b": 7}
    assert _found(idx, [[1, 2], [6, 0]]) == [(1, nums[2])] and idx.count("copy") == 1
    assert idx.ids_of([nums[0]]) == {}
    (fresh,) = idx.number(["a"])  # a forgotten id comes back as a new article
    assert fresh > max(nums)


def test_memory_backend() -> None:
    _exercise(MemoryIndex())


def test_sqlite_backend(tmp_path: Path) -> None:
    with SQLiteIndex(tmp_path / "i.db") as idx:
        _exercise(idx)
    with SQLiteIndex(tmp_path / "i.db") as idx:  # persisted, with what `_exercise` replaced and forgot
        assert idx.count("copy") == 1 and idx.fingerprints(["b"]) == {"b": 7}
        assert idx.payloads("copy", idx.number(["c"])) == {idx.number(["c"])[0]: b"pc2"}


def test_sqlite_missing_folder_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailable):
        open_index(str(tmp_path / "no" / "such" / "dir" / "i.db"))


def test_sqlite_numbers_of_forgotten_ids_are_not_reused(tmp_path: Path) -> None:
    with SQLiteIndex(tmp_path / "i.db") as idx:
        (a, b) = idx.number(["a", "b"])
        idx.forget(["b"])
    with SQLiteIndex(tmp_path / "i.db") as idx:
        assert idx.number(["c"]) == [b + 1]


def _downgrade_sqlite(path: Path) -> None:
    """Turn a format-3 file into what format 1 wrote: no fingerprints, no story names, no per-article
    keys, and level settings recorded with format 1."""
    db = sqlite3.connect(str(path))
    with db:
        db.execute("ALTER TABLE docs DROP COLUMN fp")
        db.execute("ALTER TABLE docs DROP COLUMN story")
        for name, value in db.execute(
            "SELECT name, value FROM dedup_meta WHERE name LIKE 'level:%'"
        ).fetchall():
            meta = {**json.loads(value), "format": "dedup.index/1"}
            db.execute("UPDATE dedup_meta SET value = ? WHERE name = ?", (json.dumps(meta), name))
        db.execute("ALTER TABLE payloads_copy DROP COLUMN keys")
        db.execute("UPDATE dedup_meta SET value = ? WHERE name = 'format'", ('"dedup.index/1"',))
        db.execute("DELETE FROM dedup_meta WHERE name = 'next'")
    db.close()


def _gate_over_old_index(spec: object, reopen: object) -> None:
    """An index written by format 1 is migrated: its ids have no fingerprint, so their sketches
    decide (same sketch: duplicate; other text: update, which replaces the migrated band keys)."""
    from dedup.gate import GateParams, gate
    from dedup.model import Article

    def run(*pairs: tuple[str, str]) -> list[tuple[str, str | None]]:
        items = [Article(id=i, text=t, origin=f"<{i}>") for i, t in pairs]
        return [(d.decision, d.duplicate_of) for d in gate(items, index=spec, params=GateParams(check=False))]

    t1, t2, t3 = article(201), article(202), article(203)
    assert run(("a", t1), ("b", t2)) == [("ingest", None), ("ingest", None)]
    reopen("downgrade")
    assert run(("a", t1), ("b", t3)) == [("duplicate", "a"), ("update", None)]
    assert run(("x", copy_of(t2, 1)), ("y", copy_of(t3, 2)), ("z", copy_of(t1, 3))) == [
        ("ingest", None),
        ("duplicate", "b"),
        ("duplicate", "a"),
    ]
    assert run(("b", t3)) == [("duplicate", "b")]  # the update recorded a fingerprint
    reopen("check")


def test_sqlite_index_of_format_1_is_migrated(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "old.sqlite"

    def reopen(what: str) -> None:
        if what == "downgrade":
            _downgrade_sqlite(path)
            return
        db = sqlite3.connect(str(path))
        assert db.execute("SELECT value FROM dedup_meta WHERE name='format'").fetchone() == (
            '"dedup.index/4"',
        )
        (level,) = db.execute("SELECT value FROM dedup_meta WHERE name='level:copy'").fetchone()
        assert json.loads(level)["format"] == "dedup.index/4"
        blobs = db.execute("SELECT COUNT(*) FROM payloads_copy WHERE keys IS NULL").fetchone()
        db.close()
        assert blobs == (0,)

    with caplog.at_level("WARNING", logger="dedup.near"):
        _gate_over_old_index(str(path), reopen)
    assert any("migrated from dedup.index/1" in r.message for r in caplog.records)


def test_sqlite_index_of_an_unknown_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    SQLiteIndex(path).close()
    db = sqlite3.connect(str(path))
    with db:
        db.execute("UPDATE dedup_meta SET value = ? WHERE name = 'format'", ('"dedup.index/9"',))
    db.close()
    with pytest.raises(
        IndexMismatch, match=r"dedup.index/9.*expected 'dedup.index/4'.*dedup.index/3.*another dedup"
    ):
        open_index(str(path))


@pytest.mark.redis
def test_redis_index_of_format_1_is_migrated(redis_url: str) -> None:
    import redis

    from dedup.near.index.redis import RedisIndex

    spec = {"type": "redis", "url": redis_url, "prefix": "old[1]:"}  # glob characters in the prefix
    r = redis.Redis.from_url(redis_url)

    def reopen(what: str) -> None:
        if what == "downgrade":
            _to_set_layout(r, "old[1]:", {"a": article(201), "b": article(202)})
            r.delete("old[1]:fp", "old[1]:k:copy", "old[1]:story")
            r.hset("old[1]:meta", "format", '"dedup.index/1"')
            meta = {**json.loads(r.hget("old[1]:meta", "level:copy")), "format": "dedup.index/1"}
            r.hset("old[1]:meta", "level:copy", json.dumps(meta))
            return
        assert r.hget("old[1]:meta", "format") == b'"dedup.index/4"'
        assert json.loads(r.hget("old[1]:meta", "level:copy"))["format"] == "dedup.index/4"
        assert r.hlen("old[1]:k:copy") == r.hlen("old[1]:p:copy") > 0
        assert not list(r.scan_iter(match="old\\[1\\]:b:*"))  # no set per band key is left

    try:
        _gate_over_old_index(spec, reopen)
        r.hset("old[1]:meta", "format", '"dedup.index/9"')
        with pytest.raises(IndexMismatch, match="another dedup version"):
            RedisIndex(redis_url, prefix="old[1]:")
    finally:
        r.close()


def _scan_into_redis(url: str, prefix: str, buckets: int, texts: list[str]) -> None:
    """A new Redis index of `buckets` buckets per level holding these texts (ids s0, s1, ...)."""
    from dedup.near.index.redis import RedisIndex

    with RedisIndex(url, prefix=prefix, buckets=buckets) as idx:
        scan([article_from_text(t, id=f"s{i}") for i, t in enumerate(texts)], index=idx)


def _stored_band_keys(r: Any, prefix: str, level: str, texts: dict[str, str]) -> dict[int, list[int]]:
    """Each stored article's full band keys, recomputed from its text (the index keeps only the
    buckets they fall in, and the lead bands are not a function of the stored payload)."""
    import json

    from dedup.near.bands import band_keys
    from dedup.near.scan import make_level

    meta = json.loads(r.hget(f"{prefix}meta", f"level:{level}"))
    id_of = {int(n): i.decode() for n, i in r.hgetall(f"{prefix}nums").items()}
    nums = sorted(int(n) for n in r.hkeys(f"{prefix}p:{level}"))
    sig, _ = make_level(level).sketch_texts([texts[id_of[n]] for n in nums])
    keys = band_keys(sig, meta["bands"], meta["rows"])
    return {n: keys[k].tolist() for k, n in enumerate(nums)}


def _to_set_layout(r: Any, prefix: str, texts: dict[str, str]) -> None:
    """Rewrite an index as the earlier layout: one Redis set per band key, and each article's full
    band keys in ``k:<level>`` (both rebuilt from the payloads: a bucket field holds only part of
    the key)."""
    esc = "".join("\\" + c if c in "*?[]\\" else c for c in prefix)
    for name in list(r.scan_iter(match=esc + "k:*")):
        level = name.decode()[len(prefix) :].split(":")[1]
        for num, keys in _stored_band_keys(r, prefix, level, texts).items():
            for key in keys:
                r.sadd(f"{prefix}b:{level}:{key}", num)
            r.hset(name, num, np.asarray(keys, dtype="<u8").tobytes())
    for name in list(r.scan_iter(match=esc + "h:*")):
        r.delete(name)
    r.hdel(f"{prefix}meta", "layout")


@pytest.mark.redis
def test_redis_set_layout_is_moved_into_buckets(redis_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """An index of the first format-2 layout (one set per band key) answers the same after the move,
    and takes less memory."""
    import redis

    from dedup.near.index.redis import RedisIndex

    r = redis.Redis.from_url(redis_url)
    texts = [article(300 + i) for i in range(30)]
    try:
        _scan_into_redis(redis_url, "lay:", 64, texts)
        buckets_memory = sum(r.memory_usage(k) for k in r.scan_iter(match="lay:h:*"))
        _to_set_layout(r, "lay:", {f"s{i}": t for i, t in enumerate(texts)})
        sets_memory = sum(r.memory_usage(k) for k in r.scan_iter(match="lay:b:*"))
        assert buckets_memory < sets_memory
        with caplog.at_level("WARNING", logger="dedup.near"):
            idx = RedisIndex(redis_url, prefix="lay:")
        assert any("bucket hashes" in rec.message for rec in caplog.records)
        assert idx.buckets == 2**16 and not list(r.scan_iter(match="lay:b:*"))
        copies = [article_from_text(copy_of(t, 1), id=f"c{i}") for i, t in enumerate(texts[:5])]
        result = scan(copies, index=idx)
        assert sorted(d.duplicate_of for d in result.documents) == [f"s{i}" for i in range(5)]
        idx.close()
        with pytest.raises(IndexMismatch, match="buckets"):
            RedisIndex(redis_url, prefix="lay:", buckets=128)
        with pytest.raises(ValueError, match="power of two"):
            RedisIndex(redis_url, prefix="lay2:", buckets=100)
    finally:
        r.close()


@pytest.mark.redis
def test_redis_key_lists_of_layout_2_become_bucket_lists(
    redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Layout 2 listed each article's full band keys (8 bytes each); layout 3 lists their buckets.
    The move keeps every answer, shrinks the lists, and removals still empty exactly the article's
    fields afterwards."""
    import json

    import redis

    from dedup.near.index.redis import RedisIndex

    r = redis.Redis.from_url(redis_url)
    texts = [article(400 + i) for i in range(20)]
    try:
        _scan_into_redis(redis_url, "l2:", 256, texts)
        new_lists = r.hgetall("l2:k:copy")
        full = _stored_band_keys(r, "l2:", "copy", {f"s{i}": t for i, t in enumerate(texts)})
        assert {int(n): np.frombuffer(b, dtype="<u2").tolist() for n, b in new_lists.items()} == {
            n: sorted({k % 256 for k in keys}) for n, keys in full.items()
        }
        for num, keys in full.items():  # back to layout 2
            r.hset("l2:k:copy", num, np.asarray(keys, dtype="<u8").tobytes())
        r.hset("l2:meta", "layout", json.dumps({"bands": "buckets/2", "buckets": 256}))
        with caplog.at_level("WARNING", logger="dedup.near"):
            idx = RedisIndex(redis_url, prefix="l2:")
        assert any("bucket lists" in rec.message for rec in caplog.records)
        assert json.loads(r.hget("l2:meta", "layout"))["bands"] == "buckets/3"
        assert r.hgetall("l2:k:copy") == new_lists
        copies = [article_from_text(copy_of(t, 2), id=f"c{i}") for i, t in enumerate(texts[:4])]
        result = scan(copies, index=idx)
        assert sorted(d.duplicate_of for d in result.documents) == [f"s{i}" for i in range(4)]
        everyone = [f"s{i}" for i in range(20)] + [f"c{i}" for i in range(4)]
        idx.forget(everyone[::2])
        kept = set(idx.lookup(everyone).values())
        held = {int(m) for name in r.scan_iter(match="l2:h:*") for v in r.hvals(name) for m in v.split(b",")}
        assert held == kept  # forgotten numbers are gone from every bucket, the others all stay
        idx.close()
    finally:
        r.close()


@pytest.mark.redis
def test_redis_two_writers_share_band_keys(redis_url: str) -> None:
    """Two clients append to the same band keys (each append is a server-side script): no number
    is lost, none is stored twice, and a removal takes out exactly one."""
    from dedup.near.index.redis import RedisIndex

    a, b = RedisIndex(redis_url, prefix="cc:", buckets=2), RedisIndex(redis_url, prefix="cc:")
    try:
        keys = np.array([[7, 8]], dtype=np.uint64)
        for k in range(20):
            idx = a if k % 2 else b
            (n,) = idx.number([f"id{k}"])
            idx.add("copy", [n], keys, [b"p"])
        rows, found = b.candidates("copy", keys)
        assert rows.tolist() == [0] * 40  # one query row (an article with two band keys)
        assert len(set(found.tolist())) == 20 and len(found) == 40  # 20 articles, each under 2 keys
        b.drop("copy", [int(found[0])])
        assert len(a.candidates("copy", keys)[1]) == 38
    finally:
        a.close()
        b.close()


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


_OPS = st.lists(
    st.one_of(
        st.tuples(
            st.just("add"),
            st.lists(st.integers(0, 7), min_size=1, max_size=4),
            st.lists(st.integers(0, 12), min_size=2, max_size=2, unique=True),
        ),
        st.tuples(
            st.just("replace"),
            st.integers(0, 7),
            st.lists(st.integers(0, 12), min_size=2, max_size=2, unique=True),
        ),
        st.tuples(st.just("drop"), st.lists(st.integers(0, 7), max_size=3), st.just([])),
        st.tuples(st.just("forget"), st.lists(st.integers(0, 7), max_size=3), st.just([])),
    ),
    max_size=12,
)


def _band_keys(small: list[int]) -> np.ndarray:
    """Band keys as `bands.band_keys` makes them (64-bit hashes) from small labels."""
    from dedup.near.shingle import fmix64

    return fmix64(np.asarray(small, dtype=np.uint64) + np.uint64(1))


def _apply_ops(idx: Index, ops: list[tuple[str, Any, list[int]]]) -> list[Any]:
    """Run operations on articles "a0".."a7" with band keys drawn from a small set (so articles share
    keys, and with 2 buckets every key shares a bucket; one article's keys are distinct and hashed,
    as `bands.band_keys` makes them); return every observable answer."""
    seen: list[Any] = []
    for op, who, keys in ops:
        if op == "add":
            ids = [f"a{w}" for w in dict.fromkeys(who)]
            nums = idx.number(ids)
            fresh = [n for n in nums if n not in idx.has("copy", nums)]
            if fresh:
                row = _band_keys(keys)[None, :].repeat(len(fresh), axis=0)
                idx.add("copy", fresh, row, [b"p%d" % n for n in fresh])
        elif op == "replace":
            (n,) = idx.number([f"a{who}"])
            idx.replace("copy", n, _band_keys(keys), b"r%d" % n)
        elif op == "drop":
            idx.drop("copy", sorted(idx.lookup([f"a{w}" for w in who]).values()))
        else:
            idx.forget([f"a{w}" for w in who])
        probe = _band_keys(list(range(13))).reshape(-1, 1)
        rows, found = idx.candidates("copy", probe)
        names = idx.ids_of(sorted(set(found.tolist())))
        live = idx.lookup([f"a{i}" for i in range(8)])
        seen.append(
            (
                sorted((int(r), names.get(int(f))) for r, f in zip(rows, found, strict=True)),
                sorted(live),
                sorted(idx.ids_of(sorted(idx.has("copy", list(live.values())))).values()),
                idx.count("copy"),
            )
        )
    return seen


def assert_answers_as_memory(idx: Index, ops: list[tuple[str, Any, list[int]]]) -> None:
    """A backend (fresh, level "copy" not yet set) answers every operation as the in-process index."""
    idx.ensure_level("copy", {"format": "x"})
    mem = MemoryIndex()
    mem.ensure_level("copy", {"format": "x"})
    assert _apply_ops(idx, ops) == _apply_ops(mem, ops)


@pytest.mark.redis
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_OPS)
def test_redis_answers_as_the_memory_index_under_any_operations(redis_url: str, ops: list[Any]) -> None:
    """The bucket layout (server-side append and remove scripts) gives the same answers as the
    in-process index for every sequence of add, replace, drop and forget."""
    import redis

    from dedup.near.index.redis import RedisIndex

    prefix = f"prop{abs(hash(repr(ops))) % 10**9}:"
    idx = RedisIndex(redis_url, prefix=prefix, buckets=2)
    try:
        assert_answers_as_memory(idx, ops)
    finally:
        idx.close()
        r = redis.Redis.from_url(redis_url)
        for k in r.scan_iter(match=prefix + "*"):
            r.delete(k)
        r.close()


def test_sqlite_paths_that_cannot_be_an_index_say_why(tmp_path: Path) -> None:
    """A folder is a usage error (exit 2); a file that cannot be opened is an infrastructure error
    (exit 3), not "not a dedup index"; a file that is not SQLite is a mismatch (exit 2)."""
    (tmp_path / "folder.sqlite").mkdir()
    with pytest.raises(IndexMismatch, match="is a folder"):
        SQLiteIndex(tmp_path / "folder.sqlite")
    (tmp_path / "plain").write_text("not a database, and not a folder either")
    with pytest.raises(IndexUnavailable, match="cannot use the SQLite file"):
        SQLiteIndex(tmp_path / "plain" / "x.sqlite")
    (tmp_path / "text.sqlite").write_text("just some text, long enough to be read as a header........")
    with pytest.raises(IndexMismatch, match="not a dedup SQLite index"):
        SQLiteIndex(tmp_path / "text.sqlite")
