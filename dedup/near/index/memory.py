"""The in-process index: numpy arrays of band keys, payloads in a dict. Gone when the process ends,
but reusable across `scan` and `gate` calls in one process."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import numpy as np

from dedup.near.index.base import Index, expand_ranges


class _Level:
    """Band keys as sorted runs (the logarithmic method of LSM trees): the keys added since the last
    lookup are sorted into a new run, and runs of similar size are merged, so a key is merged
    O(log n) times in all. One table re-sorted after every change cost a sort of the whole index
    per gate batch or scan call (4 s per call at 1M articles) and kept every key twice."""

    def __init__(self) -> None:
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []  # (keys sorted, their nums), sizes falling
        self.pending: list[tuple[np.ndarray, np.ndarray]] = []  # added, not sorted until looked up
        self.payloads: dict[int, bytes] = {}
        self.tops: dict[int, bytes] = {}  # partner lists (format 4)

    def add(self, nums: np.ndarray, keys: np.ndarray) -> None:
        flat = np.ascontiguousarray(keys).reshape(-1)
        if flat.size:
            small = 0 <= nums.min() and nums.max() < 2**31  # always, short of 2G articles: 4 B a key
            self.pending.append((flat, np.repeat(nums.astype(np.int32) if small else nums, keys.shape[1])))

    def _settle(self) -> None:
        """Sort what was added since the last lookup into a run (a one-shot scan never looks up
        after its only `add`, so it never pays for this)."""
        if not self.pending:
            return
        flat = np.concatenate([k for k, _ in self.pending])
        owners = np.concatenate([n for _, n in self.pending])
        self.pending = []
        order = np.argsort(flat, kind="stable")
        self.runs.append((flat[order], owners[order]))
        # Merge while the run before is not more than twice as large: run sizes then at least
        # double towards the oldest, so there are at most log2(n) runs to search.
        while len(self.runs) > 1 and len(self.runs[-2][0]) <= 2 * len(self.runs[-1][0]):
            (k1, n1), (k2, n2) = self.runs[-2], self.runs[-1]
            keys_all, nums_all = np.concatenate([k1, k2]), np.concatenate([n1, n2])
            order = np.argsort(keys_all, kind="stable")  # timsort: two sorted runs merge in O(n)
            self.runs[-2:] = [(keys_all[order], nums_all[order])]

    def candidates(self, flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position in `flat`, stored num) for every stored key equal to a key of `flat`."""
        self._settle()
        owners, found = [], []
        order = np.argsort(flat, kind="stable")
        probe = flat[order]  # sorted: each binary search starts where the previous one ended
        for skeys, snums in self.runs:
            lo = np.searchsorted(skeys, probe, side="left")
            hit = np.flatnonzero(lo < len(skeys))
            hit = hit[skeys[lo[hit]] == probe[hit]]  # most keys are in no stored article
            hi = np.searchsorted(skeys, probe[hit], side="right")
            owner, pos = expand_ranges(lo[hit], hi)
            owners.append(order[hit[owner]])
            found.append(snums[pos])
        if not owners:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate(owners), np.concatenate(found).astype(np.int64, copy=False)

    def drop(self, nums: list[int]) -> None:
        present = [n for n in set(nums) if n in self.payloads]  # the gate forgets unstored ids often
        for n in present:
            del self.payloads[n]
            self.tops.pop(n, None)
        if not present:
            return
        self._settle()
        gone = np.asarray(sorted(present), dtype=np.int64)
        kept = []
        for k, n in self.runs:
            keep = ~np.isin(n, gone)
            if keep.all():
                kept.append((k, n))
            elif keep.any():
                kept.append((k[keep], n[keep]))
        self.runs = kept


class MemoryIndex(Index):
    kind = "memory"
    where = "memory"

    def __init__(self) -> None:
        self._meta: dict[str, dict[str, Any]] = {}
        self._ids: list[str | None] = []  # by number; None once forgotten (numbers are not reused)
        self._nums: dict[str, int] = {}
        self._fps: dict[str, int] = {}
        self._stories: dict[str, str] = {}  # id -> story name, only where it is not the id itself
        self._levels: dict[str, _Level] = {}

    def _get_meta(self, level: str) -> dict[str, Any] | None:
        return copy.deepcopy(self._meta.get(level))

    def _set_meta(self, level: str, meta: dict[str, Any]) -> None:
        self._meta[level] = copy.deepcopy(meta)

    def number(self, ids: list[str]) -> list[int]:
        out = []
        for i in ids:
            n = self._nums.get(i)
            if n is None:
                n = self._nums[i] = len(self._ids)
                self._ids.append(i)
            out.append(n)
        return out

    def lookup(self, ids: list[str]) -> dict[str, int]:
        return {i: self._nums[i] for i in ids if i in self._nums}

    def ids_of(self, nums: list[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for n in nums:
            i = self._ids[n] if 0 <= n < len(self._ids) else None
            if i is not None:
                out[n] = i
        return out

    def fingerprints(self, ids: list[str]) -> dict[str, int]:
        return {i: self._fps[i] for i in ids if i in self._fps}

    def set_fingerprints(self, fps: Mapping[str, int]) -> None:
        for i, fp in fps.items():
            if i not in self._nums:
                raise KeyError(f"id {i!r} is not in the index")
            self._fps[i] = int(fp)

    def stories(self, ids: list[str]) -> dict[str, str]:
        return {i: self._stories[i] for i in ids if i in self._stories}

    def set_stories(self, names: Mapping[str, str]) -> None:
        for i, name in names.items():
            if i not in self._nums:
                raise KeyError(f"id {i!r} is not in the index")
            if name == i:
                self._stories.pop(i, None)
            else:
                self._stories[i] = name

    def forget(self, ids: list[str]) -> None:
        nums = [self._nums[i] for i in ids if i in self._nums]
        for lv in self._levels.values():
            lv.drop(nums)
        for i in ids:
            n = self._nums.pop(i, None)
            if n is not None:
                self._ids[n] = None
            self._fps.pop(i, None)
            self._stories.pop(i, None)

    def _level(self, level: str) -> _Level:
        return self._levels.setdefault(level, _Level())

    def tops(self, level: str, nums: list[int]) -> dict[int, bytes]:
        t = self._level(level).tops
        return {n: t[n] for n in nums if n in t}

    def set_tops(self, level: str, lists: Mapping[int, bytes]) -> None:
        self._level(level).tops.update({int(n): bytes(b) for n, b in lists.items()})

    def has(self, level: str, nums: list[int]) -> set[int]:
        p = self._level(level).payloads
        return {n for n in nums if n in p}

    def candidates(self, level: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if not len(keys) or not keys.shape[1]:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        owner, found = self._level(level).candidates(np.ascontiguousarray(keys).reshape(-1))
        return owner // keys.shape[1], found

    def add(self, level: str, nums: list[int], keys: np.ndarray, payloads: list[bytes]) -> None:
        lv = self._level(level)
        lv.add(np.asarray(nums, dtype=np.int64), keys)
        for n, p in zip(nums, payloads, strict=True):
            lv.payloads[n] = p

    def drop(self, level: str, nums: list[int]) -> None:
        if level in self._levels and nums:
            self._levels[level].drop(nums)

    def payloads(self, level: str, nums: list[int]) -> dict[int, bytes]:
        p = self._level(level).payloads
        return {n: p[n] for n in nums if n in p}

    def count(self, level: str) -> int:
        return len(self._level(level).payloads)

    def next_number(self) -> int:
        return len(self._ids)
