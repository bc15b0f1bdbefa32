"""A view of an index that keeps a scan's new sketches aside until the caller says which go in.

The gate scans articles before it knows which of them go in; through this view the scan reads the
index as usual, but what it would store is staged, and `commit` stores only the articles that went
in. So copies held back never touch the band tables (no write-then-delete), and a resent article is
judged against everything except its own indexed version (`exclude`), which `commit` replaces.
Partner lists (`set_tops`) are staged too: `commit` writes those of the stored articles and of the
articles that go in, without the partners that did not go in (a list may be shorter than `cap`: it
must only never name an article that is not in the index).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

import numpy as np

from dedup.near.index.base import TOP_RECORD, Index, blob_tops


class StagedView(Index):
    """Reads go to `base`; `add` is staged; `number` is passed through (numbers are cheap and are
    given back with `forget` for what did not go in)."""

    def __init__(self, base: Index, exclude: int | None = None) -> None:
        self.base, self.exclude = base, exclude
        self.kind, self.where = base.kind, base.where
        self.staged: dict[str, dict[int, tuple[np.ndarray, bytes]]] = {}
        self.staged_tops: dict[str, dict[int, bytes]] = {}
        # Per level, what `bands.top_stored` last found: (keys, `bands.StoredSide`), for a caller
        # that ranks the same candidates another way (the gate's story names) without asking again.
        self.looked: dict[str, tuple[np.ndarray, Any]] = {}

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
        for level, lists in sorted(self.staged_tops.items()):
            self._commit_tops(level, lists, keep)

    def _commit_tops(self, level: str, lists: dict[int, bytes], keep: set[int]) -> None:
        """Write the staged partner lists of what is in the index, without the partners that did
        not go in. A stored article's list gets back the old entries they had pushed out (from its
        list in the base index), so it never gets shorter than it was."""
        from dedup.near.bands import lists_of

        run = set(self.staged.get(level, {}))
        if self.exclude is not None:
            run.add(self.exclude)
        out_nums = np.asarray(sorted(run - keep), dtype=np.int64)
        run_nums = np.asarray(sorted(run), dtype=np.int64)
        owners = np.asarray(sorted(lists), dtype=np.int64)
        owners = owners[~np.isin(owners, out_nums)]
        own, counts, partners = _decode(owners, lists)
        gone = np.isin(partners, out_nums)
        touched = np.isin(owners, own[gone])
        write = {n: lists[n] for n in owners[~touched].tolist()}
        stored = touched & ~np.isin(owners, run_nums)  # lists to mend with their old entries
        fresh = np.isin(own, owners[touched & ~stored]) & ~gone  # new articles' lists: just shorter
        write.update(lists_of(own[fresh], counts[fresh], partners[fresh]))
        mend = owners[stored]
        if len(mend):
            size = dict(zip(*np.unique(own[np.isin(own, mend)], return_counts=True), strict=True))
            before = self.base.tops(level, mend.tolist())
            o_own, o_cnt, o_num = _decode(np.asarray(sorted(before), dtype=np.int64), before)
            old = ~np.isin(o_num, run_nums)  # entries of this run's articles were ranked afresh
            new = np.isin(own, mend) & ~gone & np.isin(partners, run_nums)
            m_own = np.concatenate([o_own[old], own[new]])
            m_cnt = np.concatenate([o_cnt[old], counts[new]])
            m_num = np.concatenate([o_num[old], partners[new]])
            order = np.lexsort((m_num, -m_cnt, m_own))
            m_own, m_cnt, m_num = m_own[order], m_cnt[order], m_num[order]
            first = np.r_[True, m_own[1:] != m_own[:-1]]
            rank = np.arange(len(m_own)) - np.maximum.accumulate(np.where(first, np.arange(len(m_own)), 0))
            limit = np.asarray([size[n] for n in m_own.tolist()], dtype=np.int64)
            fit = rank < limit  # its best `cap` (or all it had): the length of the staged list
            write.update(lists_of(m_own[fit], m_cnt[fit], m_num[fit]))
        if write:
            self.base.set_tops(level, write)

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

    def tops(self, level: str, nums: list[int]) -> dict[int, bytes]:
        return self.base.tops(level, [n for n in nums if n != self.exclude])

    def set_tops(self, level: str, lists: Mapping[int, bytes]) -> None:
        self.staged_tops.setdefault(level, {}).update({int(n): bytes(b) for n, b in lists.items()})

    def has(self, level: str, nums: list[int]) -> set[int]:
        return self.base.has(level, [n for n in nums if n != self.exclude])

    def candidates(self, level: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows, found = self.base.candidates(level, keys)
        if self.exclude is not None:
            keep = found != self.exclude
            rows, found = rows[keep], found[keep]
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

    def next_number(self) -> int:
        return self.base.next_number()


def _decode(owners: np.ndarray, lists: Mapping[int, bytes]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(owner, count, partner) entries of these owners' lists, each list in its stored order."""
    blobs = [lists[n] for n in owners.tolist()]
    (counts, partners), size = blob_tops(b"".join(blobs)), [len(b) // TOP_RECORD.itemsize for b in blobs]
    return np.repeat(owners, size), counts, partners
