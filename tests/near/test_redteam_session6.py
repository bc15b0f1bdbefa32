"""Sixth-session red team of the index changes (sorted runs, key-ordered SQLite writes, the index
lock): interleavings a long-lived gate produces, checked against a plain model, and a shared SQLite
index used by a second user (the lock's sidecar file is the first user's)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from dedup.near.index.base import Index
from dedup.near.index.memory import MemoryIndex
from dedup.near.index.sqlite import SQLiteIndex


def _want(model: dict[int, list[int]], q: np.ndarray, per_key: bool) -> list[tuple[int, int]]:
    """Every (row, stored number) sharing a key; the memory index counts a key repeated in one
    article's row each time, SQLite stores (key, number) once."""
    out = []
    for r, row in enumerate(q.tolist()):
        for k in row:
            for n, ks in model.items():
                out += [(r, n)] * (ks.count(k) if per_key else int(k in ks))
    return sorted(out)


def _interleave(idx: Index, seed: int, big: bool) -> None:
    rng = np.random.default_rng(seed)
    idx.ensure_level("copy", {"format": "x"})
    model: dict[int, list[int]] = {}
    made = 0
    for _ in range(50):
        op = int(rng.integers(0, 6))
        if op == 0 or not model:
            k = int(rng.integers(1, 4))
            nums = idx.number([f"d{made + i}" for i in range(k)])
            made += k
            if big and rng.random() < 0.3:
                nums = [n + 2**33 for n in nums]  # past int32: the run keeps 8-byte numbers
            keys = rng.integers(0, 25, size=(k, 4)).astype(np.uint64)
            keys[:, 0] = keys[:, 1]  # a key repeated in one article's row
            idx.add("copy", nums, keys, [b"p"] * k)
            model.update(zip(nums, keys.tolist(), strict=True))
        elif op == 1:  # drop stored numbers and one never stored
            gone = [int(v) for v in rng.choice(sorted(model), size=min(2, len(model)), replace=False)]
            idx.drop("copy", [*gone, 10**6])
            for n in gone:
                model.pop(n)
        elif op == 2:  # a resend: the sketch replaced under the same number
            n = int(rng.choice(sorted(model)))
            keys = rng.integers(0, 25, size=(4,)).astype(np.uint64)
            idx.replace("copy", n, keys, b"q")
            model[n] = keys.tolist()
        else:  # lookups between writes (0 to 3 rows)
            q = rng.integers(0, 25, size=(int(rng.integers(0, 4)), 4)).astype(np.uint64)
            rows, found = idx.candidates("copy", q)
            got = sorted(zip(rows.tolist(), found.tolist(), strict=True))
            assert got == _want(model, q, isinstance(idx, MemoryIndex))
            assert idx.count("copy") == len(model)


@pytest.mark.parametrize("seed", range(25))
def test_memory_index_interleaved_writes_and_lookups_match_a_model(seed: int) -> None:
    _interleave(MemoryIndex(), seed, big=True)


@pytest.mark.parametrize("seed", range(5))
def test_sqlite_index_interleaved_writes_and_lookups_match_a_model(seed: int, tmp_path: Path) -> None:
    idx = SQLiteIndex(tmp_path / "i.db")
    try:
        _interleave(idx, seed, big=False)
    finally:
        idx.close()


def test_memory_index_runs_stay_few_under_many_tiny_batches() -> None:
    """A gate sending one article per batch, with lookups and forgets between: the runs searched
    per lookup stay logarithmic, not one per batch."""
    idx = MemoryIndex()
    idx.ensure_level("copy", {"format": "x"})
    rng = np.random.default_rng(0)
    for i in range(2000):
        idx.add("copy", idx.number([f"a{i}"]), rng.integers(0, 2**62, size=(1, 8)).astype(np.uint64), [b"p"])
        idx.candidates("copy", rng.integers(0, 2**62, size=(1, 8)).astype(np.uint64))
        if i % 7 == 0:
            idx.forget([f"a{i // 2}"])
    assert len(idx._levels["copy"].runs) <= 12


_SECOND_USER = """
import sys
from dedup.near.index.sqlite import SQLiteIndex
idx = SQLiteIndex(sys.argv[1], lock_wait=5)
with idx.exclusive():
    print(idx.count("copy"))
idx.close()
"""


def test_a_second_user_of_a_shared_sqlite_index_can_take_its_lock() -> None:
    """Two users share an index file (writable by both); the lock file was created by the first
    with its umask (0644). Opening it read-write failed for the second user ("its lock file:
    Permission denied") though SQLite itself let them in; `flock` needs no write access."""
    root = os.geteuid() == 0
    if root and not shutil.which("setpriv"):
        pytest.skip("running as root and setpriv(1) is absent: cannot act as a second user")
    folder = Path(tempfile.mkdtemp(prefix="dedup-shared-"))
    try:
        folder.chmod(0o777)
        path = folder / "i.db"
        first = SQLiteIndex(path)
        with first.exclusive():
            first.ensure_level("copy", {"format": "x"})
        first.close()
        path.chmod(0o666)
        assert first.lock_path.exists()
        first.lock_path.chmod(0o644 if root else 0o444)  # not writable by the second user
        cmd = [sys.executable, "-c", _SECOND_USER, str(path)]
        if root:
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env, cwd=folder)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "0"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_two_paths_to_one_sqlite_file_share_one_lock(tmp_path: Path) -> None:
    """Workers configured with two paths to one index file (a link to it, e.g. a deployment's
    data/index.db -> /srv/index.db): SQLite itself follows the link (its -wal file is the
    target's), so the lock must too, or both workers enter the section and copies both go in."""
    from dedup.near.index.base import IndexBusy

    (tmp_path / "srv").mkdir()
    (tmp_path / "app").mkdir()
    real = SQLiteIndex(tmp_path / "srv" / "index.db")
    (tmp_path / "app" / "index.db").symlink_to(tmp_path / "srv" / "index.db")
    linked = SQLiteIndex(tmp_path / "app" / "index.db")
    try:
        with real.exclusive(), pytest.raises(IndexBusy):
            with linked.exclusive(wait=0.05):
                pass
        with linked.exclusive(wait=1):  # released: the other one gets in
            pass
    finally:
        real.close()
        linked.close()
