"""A view of an index that keeps a scan's new sketches aside until the caller says which go in.

The gate scans articles before it knows which of them go in; through this view the scan reads the
index as usual, but what it would store is staged, and `commit` stores only the articles that went
in. So copies held back never touch the band tables (no write-then-delete), and a resent article is
judged against everything except its own indexed version (`exclude`), which `commit` replaces.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

import numpy as np

from dedup.near.index.base import Index


class StagedView(Index):
    """Reads go to `base`; `add` is staged; `number` is passed through (numbers are cheap and are
    given back with `forget` for what did not go in)."""

    def __init__(self, base: Index, exclude: int | None = None) -> None:
        self.base, self.exclude = base, exclude
        self.kind, self.where = base.kind, base.where
        self.staged: dict[str, dict[int, tuple[np.ndarray, bytes]]] = {}
        # Per level, the last `candidates` call: (keys, rows, stored numbers), for a caller that
        # ranks the same candidates another way (the gate's story names) without asking again.
        self.looked: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def commit(self, nums: list[int]) -> None:
        """Store the staged sketches of these numbers (replacing the excluded number's old one)."""
        keep = set(nums)
        for level, rows in sorted(self.staged.items()):
            if self.exclude in keep and self.exclude in rows:
                keys, payload = rows[self.exclude]
                self.base.replace(level, self.exclude, keys, payload)
            new = [n for n in rows if n in keep and n != self.exclude]
            if new:
                self.base.add(level, new, np.stack([rows[n][0] for n in new]), [rows[n][1] for n in new])

    def ensure_level(self, level: str, meta: dict[str, Any]) -> None:
        self.base.ensure_level(level, meta)

    def exclusive(self, wait: float | None = None) -> AbstractContextManager[None]:
        """The base index's section (a view has no lock of its own)."""
        return self.base.exclusive(wait)

    def _get_meta(self, level: str) -> dict[str, Any] | None:  # pragma: no cover - via ensure_level
        return self.base._get_meta(level)

    def _set_meta(self, level: str, meta: dict[str, Any]) -> None:  # pragma: no cover
        self.base._set_meta(level, meta)

    def number(self, ids: list[str]) -> list[int]:
        return self.base.number(ids)

    def lookup(self, ids: list[str]) -> dict[str, int]:
        return self.base.lookup(ids)

    def ids_of(self, nums: list[int]) -> dict[int, str]:
        return self.base.ids_of(nums)

    def fingerprints(self, ids: list[str]) -> dict[str, int]:
        return self.base.fingerprints(ids)

    def set_fingerprints(self, fps: Mapping[str, int]) -> None:
        raise RuntimeError("a staged view does not write fingerprints")

    def stories(self, ids: list[str]) -> dict[str, str]:
        return self.base.stories(ids)

    def set_stories(self, names: Mapping[str, str]) -> None:
        raise RuntimeError("a staged view does not write story names")

    def forget(self, ids: list[str]) -> None:
        raise RuntimeError("a staged view does not forget articles")

    def has(self, level: str, nums: list[int]) -> set[int]:
        return self.base.has(level, [n for n in nums if n != self.exclude])

    def candidates(self, level: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows, found = self.base.candidates(level, keys)
        if self.exclude is not None:
            keep = found != self.exclude
            rows, found = rows[keep], found[keep]
        self.looked[level] = (keys, rows, found)
        return rows, found

    def add(self, level: str, nums: list[int], keys: np.ndarray, payloads: list[bytes]) -> None:
        rows = self.staged.setdefault(level, {})
        for row, (n, p) in enumerate(zip(nums, payloads, strict=True)):
            rows[n] = (np.array(keys[row], copy=True), p)

    def drop(self, level: str, nums: list[int]) -> None:
        raise RuntimeError("a staged view does not drop sketches")

    def payloads(self, level: str, nums: list[int]) -> dict[int, bytes]:
        return self.base.payloads(level, nums)

    def count(self, level: str) -> int:
        return self.base.count(level)
