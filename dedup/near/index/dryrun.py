"""An index that reads a real one and writes nothing to it: what a run would decide, not done.

`gate --dry-run` and `scan --dry-run` go through this view: reads see the base index plus what this
run would have stored, numbered, fingerprinted, named or removed; every write stays in memory and is
gone at the end. So a new feed can be tried against the production index (its copies found, its
articles checked, the decisions written) without a trace in the index, and a run's decisions are
those a real run would make on the index as it was when the dry run started. Other workers' writes
made during a dry run may or may not be seen; the dry run takes no lock (it never blocks them).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Container, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from dedup.near.index.base import (
    FORMAT,
    LOCK_WAIT,
    OLDER_FORMATS,
    Index,
    IndexMismatch,
    IndexUnavailable,
    guard_outages,
    unknown_format,
    upgraded_meta,
)
from dedup.near.index.memory import MemoryIndex
from dedup.near.index.sqlite import SQLiteIndex

# The newest older format a dry run reads as it is: format 4 only adds partner-list tables (missing
# ones read as empty lists), so nothing has to be rewritten to read it. Older formats need their
# rows rewritten first (a real run, or `dedup index info`, migrates them).
_READABLE_AS_IS = "dedup.index/3"


def _no_migration(where: str, found: object) -> IndexMismatch:
    return IndexMismatch(
        f"index {where} has format {found!r}: a dry run leaves the index as it is, and this one must be "
        f"migrated to {FORMAT!r} before it can be read; `dedup index info {where}` (or any real run) "
        "migrates it in place"
    )


@guard_outages(lambda self: (sqlite3.OperationalError,))
class ReadOnlySQLiteIndex(SQLiteIndex):
    """An existing SQLite index opened read-only (``mode=ro``): opening it never migrates it, never
    creates a table, and any write is refused by SQLite itself. Without it a dry run on an index of
    the previous format migrated it in place, and a read at a level whose partner-list table did not
    exist yet created it: the file changed although nothing was stored."""

    def __init__(self, path: str | Path, lock_wait: float = LOCK_WAIT) -> None:
        self.path = Path(path)
        self.where = str(self.path)
        self.lock_wait = float(lock_wait)
        self._lock_fd: int | None = None
        self._levels: set[str] = set()
        try:
            if self.path.is_dir():
                raise IndexMismatch(f"index {self.path} is a folder, not an SQLite file")
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            self.db = sqlite3.connect(uri, uri=True, isolation_level=None)
            tables = self._tables()
            if "dedup_meta" not in tables:
                raise IndexMismatch(f"index {self.path} is an SQLite file but not a dedup index")
            row = self.db.execute("SELECT value FROM dedup_meta WHERE name='format'").fetchone()
        except sqlite3.OperationalError as err:
            raise IndexUnavailable(f"index {self.path}: cannot use the SQLite file: {err}") from err
        except sqlite3.DatabaseError as err:
            raise IndexMismatch(f"index {self.path} is not a dedup SQLite index: {err}") from err
        found = None if row is None else json.loads(row[0])
        if found in OLDER_FORMATS and found != _READABLE_AS_IS:
            raise _no_migration(self.where, found)
        if found not in (FORMAT, _READABLE_AS_IS):
            raise IndexMismatch(unknown_format(self.where, found))
        self._tables_here = tables

    def _ensure_tables(self, level: str) -> None:
        """Nothing is created: a level's tables exist wherever its settings are recorded (a dry run
        asks the base only about those), except a partner-list table an older format lacks."""

    def _get_meta(self, level: str) -> dict[str, Any] | None:
        meta = super()._get_meta(level)
        return None if meta is None else upgraded_meta(meta)  # as the migration would record it

    def tops(self, level: str, nums: list[int]) -> dict[int, bytes]:
        if f"tops_{level}" not in self._tables_here:
            return {}  # format 3, or a level never used since its migration: no lists yet
        return super().tops(level, nums)


def recorded_redis_format(spec: str | Mapping[str, Any]) -> tuple[object, bool]:
    """(recorded format, whether anything is recorded) of a Redis index, read without opening it
    (opening migrates an older format in place, and records a format on an empty prefix)."""
    import redis

    cfg = {"url": spec} if isinstance(spec, str) else dict(spec)
    prefix = str(cfg.get("prefix", "dedup:"))
    try:
        r = redis.Redis.from_url(str(cfg["url"]), socket_connect_timeout=5)
        raw = r.hget(f"{prefix}meta", "format")
        layout = r.hget(f"{prefix}meta", "layout")
        r.close()
    except (redis.RedisError, OSError) as err:
        where = str(cfg["url"]).split("@")[-1]
        raise IndexUnavailable(f"index {where}: cannot use Redis: {err}") from err
    return (None if raw is None else json.loads(raw)), layout is not None


def open_read_only(spec: str | Mapping[str, Any] | Index | None) -> Index:
    """The index `spec` names, opened so that nothing in it changes: an SQLite file read-only, an
    index that does not exist yet as an empty one in memory (a dry run of a first run creates no
    file), an index of an older format read as it is or refused (it is not migrated)."""
    from dedup.near.index import backend_of, open_index, sqlite_path

    if spec is None or isinstance(spec, Index):
        return open_index(spec)
    cfg = dict(spec) if isinstance(spec, Mapping) else {}
    s = "" if cfg else str(spec)
    path = sqlite_path(spec)
    if path is not None:
        if not path.parent.exists():
            raise IndexUnavailable(f"index {path}: folder {path.parent} does not exist")
        if not path.is_dir() and (not path.exists() or not path.stat().st_size):
            return _empty(str(path))
        return ReadOnlySQLiteIndex(path, lock_wait=float(cfg.get("lock_wait", LOCK_WAIT)))
    if backend_of(spec) == "redis":
        found, laid_out = recorded_redis_format(spec)  # type: ignore[arg-type]
        where = str(cfg.get("url", s)).split("@")[-1]
        if found is None:
            return _empty(where)
        if found in OLDER_FORMATS or not laid_out:
            raise _no_migration(where, found)
    return open_index(spec)


def _empty(where: str) -> Index:
    """An index that has nothing yet, read as the empty index a real run would create there."""
    idx = MemoryIndex()
    idx.where = where
    return idx


class DryRunIndex(Index):
    """Reads go to `base` and to this run's own changes; writes go to an in-memory layer only."""

    def __init__(self, base: Index) -> None:
        self.base = base
        self.kind, self.where = base.kind, f"{base.where} (dry run)"
        self.lock_wait = getattr(base, "lock_wait", 0.0)
        self.layer = MemoryIndex()  # sketches, partner lists and settings this run would store
        self._new: dict[str, int] = {}  # ids numbered by this run
        self._new_ids: dict[int, str] = {}
        self._gone: dict[str, int] = {}  # base ids this run would forget, with their numbers
        self._hidden: dict[str, set[int]] = {}  # per level: base numbers whose sketch this run dropped
        self._fps: dict[str, int] = {}
        self._stories: dict[str, str] = {}
        # Numbers the base gives out after this view opened are another worker's new articles: this
        # view numbers its own from the same place, so a base answer naming one of them would be
        # taken for this run's article of that number (a copy of this run's article was then not
        # found once the other worker stored something). They are not seen, as allowed.
        try:
            self._next: int | None = base.next_number()
        except NotImplementedError:  # a base that cannot say: numbered on first use, nothing hidden
            self._next = None
        self._start = self._next

    # -- settings: recorded in the layer when the base has none ---------------------------------
    def _get_meta(self, level: str) -> dict[str, Any] | None:
        mine = self.layer._get_meta(level)  # noqa: SLF001 - the layer is this view's own
        return mine if mine is not None else self.base._get_meta(level)  # noqa: SLF001

    def _set_meta(self, level: str, meta: dict[str, Any]) -> None:
        self.layer._set_meta(level, meta)  # noqa: SLF001

    @contextmanager
    def exclusive(self, wait: float | None = None) -> Iterator[None]:
        """Nothing to exclude: nothing is written (and a dry run must not hold up real workers)."""
        yield

    # -- articles --------------------------------------------------------------------------
    def _mine_or_later(self, n: int) -> bool:
        return n in self._new_ids or (self._start is not None and n >= self._start)

    def _base_side(self, nums: list[int]) -> list[int]:
        gone = set(self._gone.values())
        return [n for n in nums if not self._mine_or_later(n) and n not in gone]

    def number(self, ids: list[str]) -> list[int]:
        known = self.lookup(ids)
        for i in dict.fromkeys(ids):
            if i not in known:
                if self._next is None:
                    self._next = self.base.next_number()
                known[i] = self._new[i] = self._next
                self._new_ids[self._next] = i
                self._next += 1
        return [known[i] for i in ids]

    def lookup(self, ids: list[str]) -> dict[str, int]:
        out = {i: self._new[i] for i in ids if i in self._new}
        rest = [i for i in ids if i not in self._new and i not in self._gone]
        theirs = self.base.lookup(rest) if rest else {}
        out.update({i: n for i, n in theirs.items() if self._start is None or n < self._start})
        return out

    def ids_of(self, nums: list[int]) -> dict[int, str]:
        out = {n: self._new_ids[n] for n in nums if n in self._new_ids}
        rest = self._base_side(nums)
        out.update(self.base.ids_of(rest) if rest else {})
        return out

    def fingerprints(self, ids: list[str]) -> dict[str, int]:
        known = self.lookup(ids)
        out = {i: self._fps[i] for i in known if i in self._fps}
        rest = [i for i in known if i not in self._fps and i not in self._new]
        out.update(self.base.fingerprints(rest) if rest else {})
        return out

    def _require(self, ids: list[str]) -> None:
        missing = set(ids) - set(self.lookup(ids))
        if missing:
            raise KeyError(f"id {sorted(missing)[0]!r} is not in the index")

    def set_fingerprints(self, fps: Mapping[str, int]) -> None:
        self._require(list(fps))
        self._fps.update({i: int(v) for i, v in fps.items()})

    def stories(self, ids: list[str]) -> dict[str, str]:
        known = self.lookup(ids)
        out = {i: self._stories[i] for i in known if i in self._stories}
        rest = [i for i in known if i not in self._stories and i not in self._new]
        out.update(self.base.stories(rest) if rest else {})
        return {i: name for i, name in out.items() if name != i}

    def set_stories(self, names: Mapping[str, str]) -> None:
        self._require(list(names))
        self._stories.update(names)  # a name equal to its id clears it (filtered when read)

    def forget(self, ids: list[str]) -> None:
        mine = {i: self._new[i] for i in ids if i in self._new}
        theirs = self.lookup([i for i in ids if i not in mine and i not in self._gone])  # base ids in view
        for level in list(self.layer._levels):  # noqa: SLF001 - before the ids are gone from view
            self._drop_here(level, [*mine.values(), *theirs.values()])
        for i, n in mine.items():
            del self._new[i], self._new_ids[n]
        self._gone.update(theirs)
        for i in ids:
            self._fps.pop(i, None)
            self._stories.pop(i, None)

    # -- one level ---------------------------------------------------------------------------
    def _base_level(self, level: str) -> bool:
        """Whether the base has this level (asking it about one it lacks could create its tables)."""
        return self.base._get_meta(level) is not None  # noqa: SLF001

    def _visible(self, level: str, nums: np.ndarray) -> np.ndarray:
        """Which base numbers still stand at this level in this run's view."""
        hidden = self._hidden.get(level, set()) | set(self._gone.values())
        if not hidden:
            return np.ones(len(nums), dtype=bool)
        return ~np.isin(nums, np.fromiter(hidden, dtype=np.int64, count=len(hidden)))

    def _still_there(self, level: str, nums: list[int], here: Container[int]) -> list[int]:
        """The numbers to ask the base about: not answered by the layer (`here`), not dropped or
        forgotten in this run, at a level the base has."""
        if not self._base_level(level):
            return []
        hidden = self._hidden.get(level, ())
        return [n for n in self._base_side(nums) if n not in here and n not in hidden]

    def has(self, level: str, nums: list[int]) -> set[int]:
        out = self.layer.has(level, nums)
        rest = self._still_there(level, nums, out)
        return out | self.base.has(level, rest) if rest else out

    def candidates(self, level: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows, nums = self.layer.candidates(level, keys)
        if not self._base_level(level):
            return rows, nums
        b_rows, b_nums = self.base.candidates(level, keys)
        keep = self._visible(level, b_nums)
        if self._start is not None:
            keep &= b_nums < self._start
        return np.concatenate([b_rows[keep], rows]), np.concatenate([b_nums[keep], nums])

    def add(self, level: str, nums: list[int], keys: np.ndarray, payloads: list[bytes]) -> None:
        self.layer.add(level, nums, keys, payloads)

    def _drop_here(self, level: str, nums: list[int]) -> None:
        """The layer's sketches and partner lists of these numbers gone, for those with a sketch in
        this view (as a backend's `drop` does; a list set here for a base article has no sketch in
        the layer, so the layer's own `drop` would keep it)."""
        stored = self.has(level, nums)
        self.layer.drop(level, nums)
        tops = self.layer._level(level).tops  # noqa: SLF001
        for n in stored:
            tops.pop(n, None)

    def drop(self, level: str, nums: list[int]) -> None:
        self._drop_here(level, nums)
        self._hidden.setdefault(level, set()).update(self._base_side(nums))

    def payloads(self, level: str, nums: list[int]) -> dict[int, bytes]:
        out = self.layer.payloads(level, nums)
        rest = self._still_there(level, nums, out)
        out.update(self.base.payloads(level, rest) if rest else {})
        return out

    def count(self, level: str) -> int:
        here = self.layer.count(level)
        if not self._base_level(level):
            return here
        hidden = sorted(self._hidden.get(level, set()) | set(self._gone.values()))
        covered = self.base.has(level, hidden) if hidden else set()  # an update re-added here is in `here`
        return self.base.count(level) - len(covered) + here

    def tops(self, level: str, nums: list[int]) -> dict[int, bytes]:
        out = self.layer.tops(level, nums)
        rest = self._still_there(level, nums, out)
        out.update(self.base.tops(level, rest) if rest else {})
        return out

    def set_tops(self, level: str, lists: Mapping[int, bytes]) -> None:
        self.layer.set_tops(level, lists)

    def next_number(self) -> int:
        if self._next is None:
            self._next = self.base.next_number()
        return self._next

    def close(self) -> None:
        self.base.close()
