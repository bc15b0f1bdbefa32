"""The embedded persistent index: one SQLite file, so a later run finds copies of earlier articles.

Band keys live in one WITHOUT ROWID table per level keyed by (key, num); a lookup loads the new
keys into a temporary table and lets SQLite join on the primary key. Format 2 adds `docs.fp` (the
content fingerprint, signed 64-bit as SQLite stores integers) and `payloads_<level>.keys` (the
article's own band keys, so a replaced sketch's keys are deleted by primary key); format 3 adds
`docs.story` (the story name, NULL when it is the id itself); format 4 adds `tops_<level>` (num ->
partner list, `base.tops_blob`), a table of its own so that rewriting a list does not rewrite the
payload row. A file of an older format is migrated in place, in one transaction, when opened.

The exclusive section (`Index.exclusive`, what the gate holds while it scans and stores) is an OS
lock, `flock(2)`, on a sidecar file next to the database (``<path>.lock``), not on the database
file itself. SQLite's own locks are POSIX byte-range locks (`fcntl`) on the database file, and a
POSIX lock is released when ANY descriptor of that file is closed by the process: a second
descriptor of the database opened (and closed) for our lock would silently drop SQLite's locks
(SQLite's "How to corrupt" page, 2.2). On a file of its own nothing of SQLite's is touched; an
`flock` belongs to one open file, so two connections of one process exclude each other too, and
the OS releases it when the process dies, so a killed worker never blocks the others. (A SQLite
`BEGIN IMMEDIATE` around the section would exclude other writers too, but every write method of
this class runs its own transaction, which SQLite does not nest, and a waiting worker would wait
in SQLite's busy handler, on the connection's timeout, with no message of ours.)
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import numpy as np

from dedup.near.index.base import (
    FORMAT,
    LOCK_WAIT,
    Index,
    IndexBusy,
    IndexMismatch,
    IndexUnavailable,
    blob_keys,
    guard_outages,
    keys_blob,
    settle_format,
    upgraded_meta,
)

log = logging.getLogger("dedup.near")
_SIGN = 1 << 63

_LEVEL_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
_CHUNK = 50_000
_IN_LIMIT = 900  # bound parameters per `IN (...)`: under SQLite's default limit of 999


def _rows_in(db: sqlite3.Connection, select: str, values: list[Any]) -> list[tuple[Any, ...]]:
    """Rows of `select ... IN ({})` for all `values`, queried in chunks of bound parameters."""
    rows: list[tuple[Any, ...]] = []
    for k in range(0, len(values), _IN_LIMIT):
        part = values[k : k + _IN_LIMIT]
        rows.extend(db.execute(select.format(",".join("?" * len(part))), part))
    return rows


def _to_sql(fp: int) -> int:
    """Unsigned 64-bit -> SQLite's signed INTEGER."""
    return fp - (1 << 64) if fp >= _SIGN else fp


def _from_sql(v: int) -> int:
    return v + (1 << 64) if v < 0 else v


def _signed(keys: list[int]) -> list[int]:
    """Band keys (uint64) as the band tables store them (int64)."""
    return [k - (1 << 64) if k >= _SIGN else k for k in keys]


def _keys_per_num(rows: Iterable[tuple[int, int]]) -> Iterator[tuple[bytes, int]]:
    """(keys blob, num) per article from (num, key) rows ordered by num (a format-1 band table)."""
    num, keys = None, []
    for n, k in rows:
        if n != num:
            if keys:
                yield keys_blob(np.asarray(keys, dtype=np.int64).view(np.uint64)), num  # type: ignore[misc]
            num, keys = n, []
        keys.append(k)
    if keys:
        yield keys_blob(np.asarray(keys, dtype=np.int64).view(np.uint64)), num  # type: ignore[misc]


def _by_key(keys: np.ndarray, owners: np.ndarray) -> tuple[list[int], list[int]]:
    """Band keys (one row per article, uint64) as the band tables store them (int64), each with its
    row's owner, sorted by (key, owner): B-tree inserts and lookups in key order touch each page
    once, where row order sent each key to a random page."""
    flat = np.ascontiguousarray(keys, dtype=np.uint64).reshape(-1).view(np.int64)
    own = np.repeat(owners, keys.shape[1] if keys.ndim == 2 else 0)
    order = np.lexsort((own, flat))
    return flat[order].tolist(), own[order].tolist()


def _table(level: str, what: str) -> str:
    if not _LEVEL_NAME.fullmatch(level):
        raise ValueError(f"invalid level name {level!r}")
    return f"{what}_{level}"


@guard_outages(lambda self: (sqlite3.OperationalError,))
class SQLiteIndex(Index):
    kind = "sqlite"

    def __init__(self, path: str | Path, lock_wait: float = LOCK_WAIT) -> None:
        self.path = Path(path)
        self.where = str(self.path)
        self.lock_wait = float(lock_wait)
        self._lock_fd: int | None = None
        try:
            if self.path.parent and not self.path.parent.exists():
                raise IndexUnavailable(f"index {self.path}: folder {self.path.parent} does not exist")
            if self.path.is_dir():
                raise IndexMismatch(f"index {self.path} is a folder, not an SQLite file")
            # A new file is created under the index lock: two workers creating one file at once
            # made the second's switch to WAL fail at once with "database is locked" (SQLite does
            # not wait for it). An existing file is opened without it, so opening never waits
            # for another worker's section.
            fresh = not self.path.exists() or self.path.stat().st_size == 0
            with self.exclusive() if fresh else nullcontext():
                self.db = sqlite3.connect(str(self.path), isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self._init_schema()
        except sqlite3.OperationalError as err:  # cannot open or write it, locked: not its content
            raise IndexUnavailable(f"index {self.path}: cannot use the SQLite file: {err}") from err
        except sqlite3.DatabaseError as err:
            raise IndexMismatch(f"index {self.path} is not a dedup SQLite index: {err}") from err
        self._levels: set[str] = set()

    @contextmanager
    def _transaction(self, mode: str = "") -> Iterator[None]:
        """BEGIN ... COMMIT, rolled back on any error: a failed write (disk full, locked too long)
        must not leave a transaction open for the next call to trip over or half-commit."""
        self.db.execute(f"BEGIN {mode}".strip())
        try:
            yield
        except BaseException:
            if self.db.in_transaction:  # SQLite rolls back by itself on some errors (disk full)
                self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _init_schema(self) -> None:
        tables = self._tables()
        if tables and "dedup_meta" not in tables:
            raise IndexMismatch(f"index {self.path} is an SQLite file but not a dedup index")
        with self._transaction("IMMEDIATE"):
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS dedup_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"
            )
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS docs "
                "(num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, fp INTEGER, story TEXT)"
            )
            row = self.db.execute("SELECT value FROM dedup_meta WHERE name='format'").fetchone()
            found = None if row is None else json.loads(row[0])
            settle_format(
                found,
                str(self.path),
                lambda: self.db.execute("INSERT INTO dedup_meta VALUES ('format', ?)", (json.dumps(FORMAT),)),
                [self._migrate_v1, self._migrate_v2, self._migrate_v3],
            )

    def _tables(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}

    def _migrate_v1(self) -> None:
        """Format 1 -> 2 inside the caller's transaction: a fingerprint column (empty: the gate
        compares sketches for these ids) and each stored sketch's band keys, collected from the
        band table."""
        self.db.execute("ALTER TABLE docs ADD COLUMN fp INTEGER")
        tables = self._tables()
        for name in sorted(tables):
            if not name.startswith("payloads_"):
                continue
            level = name[len("payloads_") :]
            b = _table(level, "bands")
            self.db.execute(f"ALTER TABLE {name} ADD COLUMN keys BLOB")
            if b not in tables:
                continue
            cur = self.db.execute(f"SELECT num, key FROM {b} ORDER BY num")  # streamed, not loaded
            self.db.executemany(f"UPDATE {name} SET keys = ? WHERE num = ?", _keys_per_num(cur))

    def _migrate_v2(self) -> None:
        """Format 2 -> 3 inside the caller's transaction: a story-name column (empty: every article
        named after itself) and the new format in each level's recorded settings."""
        if "story" not in {r[1] for r in self.db.execute("PRAGMA table_info(docs)")}:
            self.db.execute("ALTER TABLE docs ADD COLUMN story TEXT")
        rows = self.db.execute("SELECT name, value FROM dedup_meta WHERE name LIKE 'level:%'").fetchall()
        for name, value in rows:
            meta = upgraded_meta(json.loads(value))
            self.db.execute("UPDATE dedup_meta SET value = ? WHERE name = ?", (json.dumps(meta), name))
        self.db.execute("UPDATE dedup_meta SET value = ? WHERE name = 'format'", (json.dumps(FORMAT),))

    def _migrate_v3(self) -> None:
        """Format 3 -> 4 inside the caller's transaction: partner-list tables come with each level
        (none yet: no stored article has a list, so each keeps every new partner that ranks in its
        top `cap` among the new ones), and the new format in each level's recorded settings."""
        rows = self.db.execute("SELECT name, value FROM dedup_meta WHERE name LIKE 'level:%'").fetchall()
        for name, value in rows:
            meta = upgraded_meta(json.loads(value))
            self.db.execute("UPDATE dedup_meta SET value = ? WHERE name = ?", (json.dumps(meta), name))
        self.db.execute("UPDATE dedup_meta SET value = ? WHERE name = 'format'", (json.dumps(FORMAT),))

    def _ensure_tables(self, level: str) -> None:
        if level in self._levels:
            return
        b, p = _table(level, "bands"), _table(level, "payloads")
        self.db.execute(
            f"CREATE TABLE IF NOT EXISTS {b} (key INTEGER NOT NULL, num INTEGER NOT NULL, "
            "PRIMARY KEY (key, num)) WITHOUT ROWID"
        )
        self.db.execute(
            f"CREATE TABLE IF NOT EXISTS {p} (num INTEGER PRIMARY KEY, payload BLOB NOT NULL, keys BLOB)"
        )
        self.db.execute(
            f"CREATE TABLE IF NOT EXISTS {_table(level, 'tops')} (num INTEGER PRIMARY KEY, tops BLOB NOT NULL)"
        )
        self._levels.add(level)

    def _get_meta(self, level: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT value FROM dedup_meta WHERE name=?", (f"level:{level}",)).fetchone()
        return None if row is None else json.loads(row[0])

    def _set_meta(self, level: str, meta: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO dedup_meta VALUES (?, ?)", (f"level:{level}", json.dumps(meta))
        )

    def number(self, ids: list[str]) -> list[int]:
        known = self.lookup(ids)
        new = [i for i in dict.fromkeys(ids) if i not in known]
        if new:
            with self._transaction("IMMEDIATE"):
                start = self.db.execute("SELECT COALESCE(MAX(num), -1) + 1 FROM docs").fetchone()[0]
                row = self.db.execute("SELECT value FROM dedup_meta WHERE name='next'").fetchone()
                if row is not None:  # numbers of forgotten ids are not given out again
                    start = max(start, int(row[0]))
                rows = [(start + k, i) for k, i in enumerate(new)]
                self.db.executemany("INSERT INTO docs (num, id) VALUES (?, ?)", rows)
                self.db.execute(
                    "INSERT OR REPLACE INTO dedup_meta VALUES ('next', ?)", (str(start + len(rows)),)
                )
            known.update({i: n for n, i in rows})
        return [known[i] for i in ids]

    def lookup(self, ids: list[str]) -> dict[str, int]:
        return dict(_rows_in(self.db, "SELECT id, num FROM docs WHERE id IN ({})", ids))

    def ids_of(self, nums: list[int]) -> dict[int, str]:
        return dict(_rows_in(self.db, "SELECT num, id FROM docs WHERE num IN ({})", nums))

    def fingerprints(self, ids: list[str]) -> dict[str, int]:
        rows = _rows_in(self.db, "SELECT id, fp FROM docs WHERE fp IS NOT NULL AND id IN ({})", ids)
        return {i: _from_sql(v) for i, v in rows}

    def set_fingerprints(self, fps: Mapping[str, int]) -> None:
        with self._transaction():
            cur = self.db.executemany(
                "UPDATE docs SET fp = ? WHERE id = ?", ((_to_sql(int(v)), i) for i, v in fps.items())
            )
            if cur.rowcount != len(fps):
                raise KeyError("a fingerprint for an id that is not in the index")

    def stories(self, ids: list[str]) -> dict[str, str]:
        return dict(
            _rows_in(self.db, "SELECT id, story FROM docs WHERE story IS NOT NULL AND id IN ({})", ids)
        )

    def set_stories(self, names: Mapping[str, str]) -> None:
        with self._transaction():
            cur = self.db.executemany(
                "UPDATE docs SET story = ? WHERE id = ?",
                ((None if n == i else n, i) for i, n in names.items()),
            )
            if cur.rowcount != len(names):
                raise KeyError("a story name for an id that is not in the index")

    def _levels_stored(self) -> list[str]:
        return sorted(n[len("payloads_") :] for n in self._tables() if n.startswith("payloads_"))

    def _drop(self, level: str, nums: list[int]) -> None:
        """`drop` inside the caller's transaction."""
        self._ensure_tables(level)
        b, p = _table(level, "bands"), _table(level, "payloads")
        rows = _rows_in(self.db, f"SELECT num, keys FROM {p} WHERE num IN ({{}})", nums)
        pairs = sorted((k, n) for n, blob in rows if blob is not None for k in _signed(blob_keys(blob)))
        self.db.executemany(f"DELETE FROM {b} WHERE key = ? AND num = ?", pairs)
        legacy = [n for n, blob in rows if blob is None]  # never after migration; kept safe anyway
        if legacy:
            _rows_in(self.db, f"DELETE FROM {b} WHERE num IN ({{}}) RETURNING num", legacy)
        _rows_in(self.db, f"DELETE FROM {p} WHERE num IN ({{}}) RETURNING num", nums)
        _rows_in(self.db, f"DELETE FROM {_table(level, 'tops')} WHERE num IN ({{}}) RETURNING num", nums)

    def drop(self, level: str, nums: list[int]) -> None:
        if not nums:
            return
        self._ensure_tables(level)
        with self._transaction():
            self._drop(level, nums)

    def replace(self, level: str, num: int, keys: np.ndarray, payload: bytes) -> None:
        """Drop and add in one transaction: a reader never sees the article without a sketch."""
        self._ensure_tables(level)
        b, p = _table(level, "bands"), _table(level, "payloads")
        row = np.ascontiguousarray(keys, dtype=np.uint64).reshape(-1)
        with self._transaction():
            self._drop(level, [num])
            self.db.execute(f"INSERT INTO {p} VALUES (?, ?, ?)", (num, payload, keys_blob(row)))
            self.db.executemany(
                f"INSERT OR IGNORE INTO {b} VALUES (?, ?)", ((k, num) for k in row.view(np.int64).tolist())
            )

    def forget(self, ids: list[str]) -> None:
        nums = [n for _, n in _rows_in(self.db, "SELECT id, num FROM docs WHERE id IN ({})", ids)]
        if not nums:
            return
        levels = self._levels_stored()
        for level in levels:
            self._ensure_tables(level)
        with self._transaction():
            for level in levels:
                self._drop(level, nums)
            _rows_in(self.db, "DELETE FROM docs WHERE num IN ({}) RETURNING num", nums)

    def tops(self, level: str, nums: list[int]) -> dict[int, bytes]:
        self._ensure_tables(level)
        t = _table(level, "tops")
        return {
            n: bytes(v) for n, v in _rows_in(self.db, f"SELECT num, tops FROM {t} WHERE num IN ({{}})", nums)
        }

    def set_tops(self, level: str, lists: Mapping[int, bytes]) -> None:
        if not lists:
            return
        self._ensure_tables(level)
        t = _table(level, "tops")
        with self._transaction():
            self.db.executemany(
                f"INSERT OR REPLACE INTO {t} VALUES (?, ?)",
                sorted((int(n), bytes(b)) for n, b in lists.items()),
            )

    def has(self, level: str, nums: list[int]) -> set[int]:
        self._ensure_tables(level)
        p = _table(level, "payloads")
        return {r[0] for r in _rows_in(self.db, f"SELECT num FROM {p} WHERE num IN ({{}})", nums)}

    def candidates(self, level: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        self._ensure_tables(level)
        if not len(keys) or not self.count(level):
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        b = _table(level, "bands")
        # In key order, so the join walks the band table's B-tree forwards instead of jumping to a
        # random page for every key: half the CPU time of this query at 100k stored articles.
        flat, rows = _by_key(keys, np.arange(len(keys), dtype=np.int64))
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS q (key INTEGER NOT NULL, row INTEGER NOT NULL)")
        self.db.execute("DELETE FROM q")
        with self._transaction():
            self.db.executemany("INSERT INTO q VALUES (?, ?)", zip(flat, rows, strict=True))
        found = self.db.execute(f"SELECT q.row, b.num FROM q JOIN {b} AS b ON b.key = q.key").fetchall()
        self.db.execute("DELETE FROM q")
        if not found:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        arr = np.asarray(found, dtype=np.int64)
        return arr[:, 0], arr[:, 1]

    def add(self, level: str, nums: list[int], keys: np.ndarray, payloads: list[bytes]) -> None:
        self._ensure_tables(level)
        b, p = _table(level, "bands"), _table(level, "payloads")
        flat, owners = _by_key(keys, np.asarray(nums, dtype=np.int64))  # in key order, as `candidates`
        with self._transaction():
            self.db.executemany(
                f"INSERT OR IGNORE INTO {p} VALUES (?, ?, ?)",
                ((n, pay, keys_blob(keys[r])) for r, (n, pay) in enumerate(zip(nums, payloads, strict=True))),
            )
            self.db.executemany(f"INSERT OR IGNORE INTO {b} VALUES (?, ?)", zip(flat, owners, strict=True))

    def payloads(self, level: str, nums: list[int]) -> dict[int, bytes]:
        self._ensure_tables(level)
        p = _table(level, "payloads")
        rows = _rows_in(self.db, f"SELECT num, payload FROM {p} WHERE num IN ({{}})", nums)
        return {n: bytes(v) for n, v in rows}

    def count(self, level: str) -> int:
        self._ensure_tables(level)
        return int(self.db.execute(f"SELECT COUNT(*) FROM {_table(level, 'payloads')}").fetchone()[0])

    def next_number(self) -> int:
        start = int(self.db.execute("SELECT COALESCE(MAX(num), -1) + 1 FROM docs").fetchone()[0])
        row = self.db.execute("SELECT value FROM dedup_meta WHERE name='next'").fetchone()
        return max(start, int(row[0])) if row is not None else start  # as `number` gives them out

    @property
    def lock_path(self) -> Path:
        """The sidecar file the exclusive section locks (created on first use, never removed:
        removing it while another worker waits on it would let two workers in). Next to the file a
        link leads to, as SQLite's own -wal file: two paths to one index share one lock."""
        real = Path(os.path.realpath(self.path))
        return real.with_name(real.name + ".lock")

    def _acquire(self, wait: float) -> None:
        # Opened per section, closed with it: a process forked meanwhile (the gate's check
        # workers) never shares the locked open file, so only this process holds the lock.
        try:
            # Read-only: `flock` needs no write access, and a lock file another user of a shared
            # index created (with that user's umask: 0644) is then still usable.
            fd = os.open(self.lock_path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except OSError as err:
            raise IndexUnavailable(
                f"index {self.where}: cannot use the SQLite file: its lock file: {err}"
            ) from err
        deadline = time.monotonic() + max(wait, 0.0)
        pause = 0.0005
        try:
            while True:  # flock has no timeout of its own: try, then back off (at most 20 ms)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    self._lock_fd = fd
                    return
                except BlockingIOError:
                    pass
                except OSError as err:
                    raise IndexUnavailable(
                        f"index {self.where}: cannot lock {self.lock_path}: {err}"
                    ) from err
                left = deadline - time.monotonic()
                if left <= 0:
                    raise IndexBusy(
                        f"index {self.where}: another worker held the index lock ({self.lock_path}) "
                        f"for more than {wait:g} s"
                    )
                time.sleep(min(pause, left))
                pause = min(pause * 2, 0.02)
        except BaseException:
            os.close(fd)
            raise

    def _release(self) -> None:
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            os.close(fd)  # closing the only descriptor of the open file releases its flock

    def close(self) -> None:
        self._release()  # a lock still held (never: `exclusive` releases it)
        self.db.close()
