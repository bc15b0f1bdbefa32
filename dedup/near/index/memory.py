"""The in-process index: numpy arrays of band keys, payloads in a dict. Gone when the process ends,
but reusable across `scan` and `gate` calls in one process."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import numpy as np

from dedup.near.index.base import Index, expand_ranges


class _Level:
    def __init__(self) -> None:
        self.chunks: list[tuple[np.ndarray, np.ndarray]] = []  # (nums, keys (n, bands))
        self.payloads: dict[int, bytes] = {}
        self.sorted: tuple[np.ndarray, np.ndarray] | None = None  # (flat keys sorted, their nums)

    def table(self) -> tuple[np.ndarray, np.ndarray]:
        if self.sorted is None:
            if not self.chunks:
                self.sorted = (np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64))
            else:
                nums = np.concatenate([np.repeat(n, k.shape[1]) for n, k in self.chunks])
                keys = np.concatenate([k.reshape(-1) for _, k in self.chunks])
                order = np.argsort(keys, kind="stable")
                self.sorted = (keys[order], nums[order])
        return self.sorted

    def drop(self, nums: list[int]) -> None:
        gone = np.asarray(sorted(set(nums)), dtype=np.int64)
        kept = []
        for n, k in self.chunks:
            keep = ~np.isin(n, gone)
            if keep.all():
                kept.append((n, k))
            elif keep.any():
                kept.append((n[keep], k[keep]))
        self.chunks = kept
        for n in nums:
            self.payloads.pop(n, None)
        self.sorted = None


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

    def has(self, level: str, nums: list[int]) -> set[int]:
        p = self._level(level).payloads
        return {n for n in nums if n in p}

    def candidates(self, level: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        skeys, snums = self._level(level).table()
        if not len(skeys) or not len(keys):
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        flat = keys.reshape(-1)
        lo = np.searchsorted(skeys, flat, side="left")
        hi = np.searchsorted(skeys, flat, side="right")
        owner, pos = expand_ranges(lo, hi)
        return owner // keys.shape[1], snums[pos]

    def add(self, level: str, nums: list[int], keys: np.ndarray, payloads: list[bytes]) -> None:
        lv = self._level(level)
        lv.chunks.append((np.asarray(nums, dtype=np.int64), np.ascontiguousarray(keys)))
        lv.sorted = None
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
