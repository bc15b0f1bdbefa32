"""Near-duplicate (copy) and same-story detection with MinHash LSH (`dedup scan`)."""

from __future__ import annotations

from dedup.near.copy import CopyLevel
from dedup.near.index import Index, IndexBusy, IndexMismatch, IndexUnavailable, open_index
from dedup.near.scan import Cluster, DocResult, LevelUnavailable, Pair, ScanResult, make_level, scan

__all__ = [
    "Cluster",
    "CopyLevel",
    "DocResult",
    "Index",
    "IndexMismatch",
    "IndexBusy",
    "IndexUnavailable",
    "LevelUnavailable",
    "Pair",
    "ScanResult",
    "make_level",
    "open_index",
    "scan",
]
