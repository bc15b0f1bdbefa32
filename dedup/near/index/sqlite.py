"""The embedded persistent index: one SQLite file, so a later run finds copies of earlier articles.

Band keys live in one WITHOUT ROWID table per level keyed by (key, num); a lookup loads the new
keys into a temporary table and lets SQLite join on the primary key.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

from dedup.near.index.base import FORMAT, Index, IndexMismatch, IndexUnavailable

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


def _table(level: str, what: str) -> str:
    if not _LEVEL_NAME.fullmatch(level):
        raise ValueError(f"invalid level name {level!r}")
    return f"{what}_{level}"


class SQLiteIndex(Index):
    kind = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.where = str(self.path)
        try:
            if self.path.parent and not self.path.parent.exists():
                raise IndexUnavailable(f"index {self.path}: folder {self.path.parent} does not exist")
            self.db = sqlite3.connect(str(self.path), isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self._init_schema()
        except sqlite3.DatabaseError as err:
            raise IndexMismatch(f"index {self.path} is not a dedup SQLite index: {err}") from err
        self._levels: set[str] = set()

    def _init_schema(self) -> None:
        tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and "dedup_meta" not in tables:
            raise IndexMismatch(f"index {self.path} is an SQLite file but not a dedup index")
        self.db.execute("BEGIN")
        self.db.execute("CREATE TABLE IF NOT EXISTS dedup_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self.db.execute("CREATE TABLE IF NOT EXISTS docs (num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE)")
        row = self.db.execute("SELECT value FROM dedup_meta WHERE name='format'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO dedup_meta VALUES ('format', ?)", (json.dumps(FORMAT),))
        elif json.loads(row[0]) != FORMAT:
            self.db.execute("ROLLBACK")
            raise IndexMismatch(f"index {self.path} has format {json.loads(row[0])!r}, expected {FORMAT!r}")
        self.db.execute("COMMIT")

    def _ensure_tables(self, level: str) -> None:
        if level in self._levels:
            return
        b, p = _table(level, "bands"), _table(level, "payloads")
        self.db.execute(
            f"CREATE TABLE IF NOT EXISTS {b} (key INTEGER NOT NULL, num INTEGER NOT NULL, "
            "PRIMARY KEY (key, num)) WITHOUT ROWID"
        )
        self.db.execute(f"CREATE TABLE IF NOT EXISTS {p} (num INTEGER PRIMARY KEY, payload BLOB NOT NULL)")
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
            self.db.execute("BEGIN")
            start = self.db.execute("SELECT COALESCE(MAX(num), -1) + 1 FROM docs").fetchone()[0]
            rows = [(start + k, i) for k, i in enumerate(new)]
            self.db.executemany("INSERT INTO docs (num, id) VALUES (?, ?)", rows)
            self.db.execute("COMMIT")
            known.update({i: n for n, i in rows})
        return [known[i] for i in ids]

    def lookup(self, ids: list[str]) -> dict[str, int]:
        return dict(_rows_in(self.db, "SELECT id, num FROM docs WHERE id IN ({})", ids))

    def ids_of(self, nums: list[int]) -> dict[int, str]:
        return dict(_rows_in(self.db, "SELECT num, id FROM docs WHERE num IN ({})", nums))

    def has(self, level: str, nums: list[int]) -> set[int]:
        self._ensure_tables(level)
        p = _table(level, "payloads")
        return {r[0] for r in _rows_in(self.db, f"SELECT num FROM {p} WHERE num IN ({{}})", nums)}

    def candidates(self, level: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        self._ensure_tables(level)
        if not len(keys) or not self.count(level):
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        b = _table(level, "bands")
        flat = keys.reshape(-1).view(np.int64).tolist()
        nb = keys.shape[1]
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS q (key INTEGER NOT NULL, row INTEGER NOT NULL)")
        self.db.execute("DELETE FROM q")
        self.db.execute("BEGIN")
        self.db.executemany("INSERT INTO q VALUES (?, ?)", ((k, i // nb) for i, k in enumerate(flat)))
        self.db.execute("COMMIT")
        found = self.db.execute(f"SELECT q.row, b.num FROM q JOIN {b} AS b ON b.key = q.key").fetchall()
        self.db.execute("DELETE FROM q")
        if not found:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        arr = np.asarray(found, dtype=np.int64)
        return arr[:, 0], arr[:, 1]

    def add(self, level: str, nums: list[int], keys: np.ndarray, payloads: list[bytes]) -> None:
        self._ensure_tables(level)
        b, p = _table(level, "bands"), _table(level, "payloads")
        nb = keys.shape[1] if keys.ndim == 2 else 0
        flat = keys.reshape(-1).view(np.int64).tolist()
        self.db.execute("BEGIN")
        self.db.executemany(f"INSERT OR IGNORE INTO {p} VALUES (?, ?)", zip(nums, payloads, strict=True))
        self.db.executemany(
            f"INSERT OR IGNORE INTO {b} VALUES (?, ?)", ((k, nums[i // nb]) for i, k in enumerate(flat))
        )
        self.db.execute("COMMIT")

    def payloads(self, level: str, nums: list[int]) -> dict[int, bytes]:
        self._ensure_tables(level)
        p = _table(level, "payloads")
        rows = _rows_in(self.db, f"SELECT num, payload FROM {p} WHERE num IN ({{}})", nums)
        return {n: bytes(v) for n, v in rows}

    def count(self, level: str) -> int:
        self._ensure_tables(level)
        return int(self.db.execute(f"SELECT COUNT(*) FROM {_table(level, 'payloads')}").fetchone()[0])

    def close(self) -> None:
        self.db.close()
