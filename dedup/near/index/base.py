"""What every index backend does: remember articles' band keys and payloads per level, answer
"which stored articles share a band key with these", and refuse to mix different settings.

A backend stores bytes and integers only; the scan machinery does the LSH maths. Articles get a
small integer number in the order they are first indexed, so "earliest" is well defined across runs.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from importlib.metadata import version
from typing import Any

import numpy as np

FORMAT = "dedup.index/1"
DATASKETCH_VERSION = version("datasketch")


class IndexMismatch(ValueError):
    """The index was built with other settings (or is not a dedup index): an input error."""


class IndexUnavailable(RuntimeError):
    """The backend cannot be reached or used: an infrastructure error."""


def level_meta(params: dict[str, Any], bands: int, rows: int) -> dict[str, Any]:
    """What an index records per level; any difference means the stored sketches do not compare."""
    return {
        "format": FORMAT,
        "datasketch": DATASKETCH_VERSION,
        "scheme": params.get("scheme"),
        "num_perm": params.get("num_perm"),
        "bands": bands,
        "rows": rows,
        "params": params,
    }


def describe_mismatch(where: str, level: str, stored: dict[str, Any], wanted: dict[str, Any]) -> str:
    diffs: list[str] = []
    flat_s = {**stored.get("params", {}), **{k: v for k, v in stored.items() if k != "params"}}
    flat_w = {**wanted.get("params", {}), **{k: v for k, v in wanted.items() if k != "params"}}
    for key in sorted(set(flat_s) | set(flat_w)):
        if flat_s.get(key) != flat_w.get(key):
            diffs.append(f"{key}: index has {flat_s.get(key)!r}, this run uses {flat_w.get(key)!r}")
    detail = "; ".join(diffs) or "settings differ"
    return (
        f"index {where} was built with other {level}-level settings ({detail}); "
        "use the same settings or a new index"
    )


def expand_ranges(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges [lo_i, hi_i): (i repeated per element, the element positions)."""
    counts = (hi - lo).astype(np.int64)
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(lo), dtype=np.int64), counts)
    if not total:
        return owner, np.empty(0, dtype=np.int64)
    ends = np.cumsum(counts)
    pos = np.arange(total, dtype=np.int64)
    pos += np.repeat(lo.astype(np.int64) - (ends - counts), counts)
    return owner, pos


class Index(ABC):
    """One index, several levels. Numbers are assigned by `number`, never reused."""

    kind: str = "index"
    where: str = "<index>"

    # -- settings -------------------------------------------------------------------------
    def ensure_level(self, level: str, meta: dict[str, Any]) -> None:
        """Record the level's settings on first use; raise IndexMismatch if they differ later."""
        stored = self._get_meta(level)
        if stored is None:
            self._set_meta(level, meta)
        elif json.loads(json.dumps(stored)) != json.loads(json.dumps(meta)):
            raise IndexMismatch(describe_mismatch(self.where, level, stored, meta))

    @abstractmethod
    def _get_meta(self, level: str) -> dict[str, Any] | None: ...

    @abstractmethod
    def _set_meta(self, level: str, meta: dict[str, Any]) -> None: ...

    # -- articles -------------------------------------------------------------------------
    @abstractmethod
    def number(self, ids: list[str]) -> list[int]:
        """Each id's number, assigning new numbers (in the given order) to ids not seen before."""

    @abstractmethod
    def lookup(self, ids: list[str]) -> dict[str, int]:
        """Numbers of the ids already indexed (any level)."""

    @abstractmethod
    def ids_of(self, nums: list[int]) -> dict[int, str]: ...

    # -- one level ------------------------------------------------------------------------
    @abstractmethod
    def has(self, level: str, nums: list[int]) -> set[int]:
        """Which of these numbers already have a sketch at this level."""

    @abstractmethod
    def candidates(self, level: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, stored number) for every stored article sharing a band key with row `row` of keys."""

    @abstractmethod
    def add(self, level: str, nums: list[int], keys: np.ndarray, payloads: list[bytes]) -> None: ...

    @abstractmethod
    def payloads(self, level: str, nums: list[int]) -> dict[int, bytes]: ...

    @abstractmethod
    def count(self, level: str) -> int: ...

    def close(self) -> None:  # noqa: B027 - most backends have nothing to release
        """Release the backend."""

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
