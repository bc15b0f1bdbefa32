"""`Index.exclusive`: one holder at a time per index, across connections and processes, released on
errors and when the holder dies. Real SQLite files and a real redis-server."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dedup.near.index import IndexBusy, IndexUnavailable, open_index
from dedup.near.index.base import Index
from dedup.near.index.memory import MemoryIndex
from dedup.near.index.sqlite import SQLiteIndex
from tests.near.conftest import redis_url  # noqa: F401 - the real redis-server fixture

Opener = Callable[..., Index]


@pytest.fixture(params=["sqlite", "redis"])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """`opener(**options)`: a new connection to one shared index (per backend)."""
    opened: list[Index] = []
    if request.param == "sqlite":
        base: dict[str, Any] = {"type": "sqlite", "path": str(tmp_path / "idx.sqlite")}
    else:
        url = request.getfixturevalue("redis_url")
        base = {"type": "redis", "url": url, "prefix": f"lock-{request.node.name}:"}

    def _open(**options: Any) -> Index:
        idx = open_index({**base, **options})
        opened.append(idx)
        return idx

    _open.spec = base  # type: ignore[attr-defined]
    yield _open
    for idx in opened:
        idx.close()


def test_a_second_connection_waits_then_gets_busy(opener: Opener) -> None:
    a, b = opener(), opener()
    with a.exclusive():
        t0 = time.monotonic()
        with pytest.raises(IndexBusy, match="another worker held the index lock") as err:
            with b.exclusive(wait=0.2):
                pytest.fail("entered a section another connection holds")
        assert time.monotonic() - t0 >= 0.15  # it waited (about) the time allowed, not given up at once
        assert isinstance(err.value, IndexUnavailable)  # the front ends treat it as an outage
    with b.exclusive(wait=0):  # free again at once
        pass


def test_the_lock_is_released_when_the_section_fails(opener: Opener) -> None:
    a, b = opener(), opener()
    with pytest.raises(RuntimeError, match="boom"):
        with a.exclusive():
            raise RuntimeError("boom")
    with b.exclusive(wait=0):
        pass
    with a.exclusive(wait=0):  # and the failing connection can take it again
        pass


def test_sections_nest_on_one_connection(opener: Opener) -> None:
    a, b = opener(), opener()
    with a.exclusive(wait=0):
        with a.exclusive(wait=0):  # re-entrant: no self-deadlock
            pass
        with pytest.raises(IndexBusy):  # the inner exit did not release the outer section
            with b.exclusive(wait=0):
                pass
    with b.exclusive(wait=0):
        pass


def test_the_default_wait_is_configurable(opener: Opener) -> None:
    a, b = opener(), opener(lock_wait=0.05)
    assert b.lock_wait == 0.05
    with a.exclusive(), pytest.raises(IndexBusy, match="0.05 s"):
        with b.exclusive():
            pass


def test_index_reads_and_writes_work_while_another_connection_holds_the_lock(opener: Opener) -> None:
    """The lock excludes only other sections: SQLite's own locking (byte-range locks on the
    database file) is untouched by the sidecar file's flock, and Redis commands are not blocked."""
    a, b = opener(), opener()
    with a.exclusive():
        assert b.number(["x", "y"]) == [0, 1]
        b.set_fingerprints({"x": 12345})
        assert a.fingerprints(["x"]) == {"x": 12345}
        a.forget(["y"])
    assert b.lookup(["x", "y"]) == {"x": 0}


def _hold_and_wait(spec: dict[str, Any], ready: Any) -> None:  # pragma: no cover - in a child
    idx = open_index(spec)
    with idx.exclusive():
        ready.set()
        time.sleep(600)  # killed by the test long before


def test_a_killed_holder_does_not_block_the_others(opener: Opener) -> None:
    """SQLite: the OS drops a dead process's flock at once. Redis: the lock expires after
    `lock_ttl` (nobody renews it any more)."""
    spec = {**opener.spec}  # type: ignore[attr-defined]
    redis = spec["type"] == "redis"
    if redis:
        spec["lock_ttl"] = 1.5
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    child = ctx.Process(target=_hold_and_wait, args=(spec, ready))
    child.start()
    try:
        assert ready.wait(30), "the child did not take the lock"
        b = opener()
        with pytest.raises(IndexBusy):  # held while the holder lives
            with b.exclusive(wait=0):
                pass
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join(30)
        if redis:  # the dead holder's lock is still there until it expires
            with pytest.raises(IndexBusy):
                with b.exclusive(wait=0):
                    pass
        t0 = time.monotonic()
        with b.exclusive(wait=30):
            waited = time.monotonic() - t0
        assert waited < (10 if redis else 1)
    finally:
        if child.is_alive():
            child.kill()
        child.join()


@pytest.mark.redis
def test_a_redis_section_longer_than_the_lock_ttl_keeps_the_lock(redis_url: str) -> None:  # noqa: F811
    """The holder renews the expiry while its section lasts: the expiry frees only dead holders."""
    spec = {"type": "redis", "url": redis_url, "prefix": "lock-renew:"}
    with open_index({**spec, "lock_ttl": 0.3}) as a, open_index(spec) as b:
        with a.exclusive():
            time.sleep(1.0)  # more than three expiries
            with pytest.raises(IndexBusy):
                with b.exclusive(wait=0):
                    pass
        with b.exclusive(wait=0):
            pass


def test_the_sqlite_lock_is_a_sidecar_file(tmp_path: Path) -> None:
    with SQLiteIndex(tmp_path / "idx.sqlite") as a:
        assert a.lock_path == tmp_path / "idx.sqlite.lock"
        with a.exclusive():
            assert a.lock_path.exists()
        assert a.lock_path.exists()  # never removed: a waiter may hold it open


def test_memory_index_has_nothing_to_exclude() -> None:
    idx = MemoryIndex()
    with idx.exclusive(wait=0), idx.exclusive(wait=0):
        idx.number(["a"])
    assert idx.lookup(["a"]) == {"a": 0}


def _open_at_once(path: str, start: Any, out: Any) -> None:  # pragma: no cover - in a child
    start.wait()
    try:
        open_index(path).close()
        out.put("ok")
    except Exception as err:
        out.put(f"{type(err).__name__}: {err}")


def test_workers_creating_one_new_sqlite_index_at_once_all_open_it(tmp_path: Path) -> None:
    """Opening takes the lock: the second of two processes creating the file at once failed at
    once with "database is locked" (switching to WAL does not wait). A smoke test: without the
    lock about one round in 30 of 4 processes failed."""
    ctx = multiprocessing.get_context("fork")
    for k in range(5):
        start, out = ctx.Event(), ctx.Queue()
        procs = [
            ctx.Process(target=_open_at_once, args=(str(tmp_path / f"i{k}.sqlite"), start, out))
            for _ in range(3)
        ]
        for p in procs:
            p.start()
        start.set()
        results = [out.get(timeout=60) for _ in procs]
        for p in procs:
            p.join(30)
        assert results == ["ok"] * 3


def test_a_long_wait_is_said_on_stderr(opener: Opener, caplog: pytest.LogCaptureFixture) -> None:
    """Waiting for another worker's section is said once it passes a second (a silent wait looks
    like a hang); the error after the whole wait names it."""
    a, b = opener(), opener()
    with a.exclusive(), caplog.at_level("WARNING", logger="dedup.near"):
        with pytest.raises(IndexBusy, match=r"\(1\.3 s in all\)"):
            with b.exclusive(wait=1.3):
                pytest.fail("entered a section another connection holds")
    assert "another worker holds the index lock; waiting up to 0.3 s more" in caplog.text
    caplog.clear()
    with b.exclusive(wait=5):  # free: no wait, nothing said
        pass
    assert "waiting" not in caplog.text


def test_scan_sketches_before_it_takes_the_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scan into a shared index holds the lock only for the index work (numbers, candidates,
    verification, storing), not while it sketches, its slow part: gate workers wait less."""
    import importlib

    from dedup.load import article_from_text
    from dedup.near.index.sqlite import SQLiteIndex
    from tests.near.corpus import article

    scan_module = importlib.import_module("dedup.near.scan")  # the module (the package exports a function)
    idx = SQLiteIndex(tmp_path / "i.db")
    depth_when: dict[str, list[int]] = {"sketch": [], "add": []}
    sketch, add = scan_module.sketch_inputs, idx.add

    def sketch_spy(*args: Any, **kwargs: Any) -> Any:
        depth_when["sketch"].append(getattr(idx, "_lock_depth", 0))
        return sketch(*args, **kwargs)

    def add_spy(*args: Any, **kwargs: Any) -> Any:
        depth_when["add"].append(getattr(idx, "_lock_depth", 0))
        return add(*args, **kwargs)

    monkeypatch.setattr(scan_module, "sketch_inputs", sketch_spy)
    monkeypatch.setattr(idx, "add", add_spy)
    scan_module.scan([article_from_text(article(i), id=f"a{i}") for i in range(4)], level="both", index=idx)
    assert depth_when == {"sketch": [0, 0], "add": [1, 1]}
    idx.close()
