"""An index that reads a real one and writes nothing to it: what a run would decide, not done.

`gate --dry-run` and `scan --dry-run` go through this view: reads see the base index plus what this
run would have stored, numbered, fingerprinted, named or removed; every write stays in memory and is
gone at the end. So a new feed can be tried against the production index (its copies found, its
articles checked, the decisions written) without a trace in the index, and a run's decisions are
those a real run would make on the index as it was when the dry run started. Other workers' writes
made during a dry run may or may not be seen; the dry run takes no lock (it never blocks them).
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np

from dedup.near.index.base import Index
from dedup.near.index.memory import MemoryIndex


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
        self._next: int | None = None

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
    def _base_side(self, nums: list[int]) -> list[int]:
        gone = set(self._gone.values())
        return [n for n in nums if n not in self._new_ids and n not in gone]

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
        out.update(self.base.lookup(rest) if rest else {})
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
        theirs = self.base.lookup([i for i in ids if i not in mine and i not in self._gone])
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
