"""Looking after a persistent index: what it holds, what it knows of an id, and removing ids.

An index used by `gate` every hour lives for months: an operator needs to see its settings and
size without a scan, to check why an article was called a duplicate (is it there, under which
number, at which level, in which story), and to remove articles for good (a retraction, a legal
takedown, an article ingested by mistake), so that a later copy of them goes in again instead of
being held as a duplicate of something no longer in the corpus. Reading never creates an index
or a level; removing runs inside the index's exclusive section, so it never interleaves with a
gate worker's batch.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dedup.near.index import Index, IndexMismatch, backend_of, open_index, sqlite_path
from dedup.near.index.base import FORMAT, PENDING, PENDING_UPDATE, fingerprint_hex
from dedup.near.index.dryrun import recorded_redis_format
from dedup.near.scan import LEVEL_NAMES

# What `show` says of an id a run stopped storing (`base.PENDING`): a new article, or an update.
_PENDING = {PENDING: "new", PENDING_UPDATE: "update"}

INFO_SCHEMA = "dedup.index-info/1"
SHOW_SCHEMA = "dedup.index-show/1"
FORGET_SCHEMA = "dedup.index-forget/1"


@contextmanager
def open_existing(spec: str | Mapping[str, Any] | Index) -> Iterator[Index]:
    """An index that must already exist: looking at a mistyped path must not create an empty index
    there (which a later gate run would then fill, splitting the corpus in two). Closed at the end
    unless the caller passed it open."""
    if isinstance(spec, Index):
        yield spec
        return
    path = sqlite_path(spec)
    if path is not None and (not path.exists() or not path.stat().st_size):
        raise IndexMismatch(f"index {path} does not exist (nothing to look at or remove)")
    if (
        backend_of(spec) == "redis"
    ):  # a mistyped database number or prefix: opening it would record a new index
        found, _ = recorded_redis_format(spec)
        if found is None:
            cfg = spec if isinstance(spec, Mapping) else {"url": spec}
            raise IndexMismatch(
                f"index {str(cfg['url']).split('@')[-1]} has no dedup index under prefix "
                f"{cfg.get('prefix', 'dedup:')!r} (nothing to look at or remove; check the database "
                "number and the prefix)"
            )
    idx = open_index(spec)
    try:
        yield idx
    finally:
        idx.close()


def _levels(idx: Index) -> dict[str, dict[str, Any]]:
    """The levels this index has recorded settings for (read only: no table is created)."""
    out = {}
    for level in LEVEL_NAMES:
        meta = idx._get_meta(level)  # noqa: SLF001 - the settings record, read as recorded
        if meta is not None:
            out[level] = meta
    return out


def index_info(spec: str | Mapping[str, Any] | Index) -> dict[str, Any]:
    """The index's backend, format, and per level its recorded settings and article count."""
    with open_existing(spec) as idx:
        levels = {
            name: {
                "articles": idx.count(name),
                "datasketch": meta.get("datasketch"),
                "scheme": meta.get("scheme"),
                "num_perm": meta.get("num_perm"),
                "bands": meta.get("bands"),
                "rows": meta.get("rows"),
                "params": meta.get("params", {}),
            }
            for name, meta in sorted(_levels(idx).items())
        }
        path = sqlite_path(idx)
        disk = None
        if path is not None:  # the file and its write-ahead log: what the index takes on disk
            disk = sum(os.path.getsize(p) for p in (path, Path(f"{path}-wal")) if p.exists())
        return {
            "schema": INFO_SCHEMA,
            "index": {"backend": idx.kind, "where": idx.where, "format": FORMAT, "bytes_on_disk": disk},
            "levels": levels,
        }


def index_show(spec: str | Mapping[str, Any] | Index, ids: Iterable[str]) -> dict[str, Any]:
    """What the index knows of each id, in the order given: its number, the levels it has a sketch
    at, its content fingerprint and its story name (null for an id that is not indexed)."""
    wanted = list(dict.fromkeys(ids))
    with open_existing(spec) as idx:
        nums = idx.lookup(wanted)
        fps = idx.fingerprints(list(nums))
        stories = idx.stories(list(nums))
        levels = _levels(idx)
        stored = {name: idx.has(name, sorted(nums.values())) for name in sorted(levels)}
        rows = []
        for i in wanted:
            n = nums.get(i)
            fp = fps.get(i)
            rows.append(
                {
                    "id": i,
                    "indexed": n is not None,
                    "number": n,
                    "levels": [name for name, have in stored.items() if n in have] if n is not None else [],
                    # a stopped run's mark is not a fingerprint: the next run judges the id afresh
                    "fingerprint": None if fp in _PENDING else fingerprint_hex(fp),
                    "pending": _PENDING.get(fp) if n is not None else None,
                    "story": stories.get(i, i) if n is not None else None,
                }
            )
        return {"schema": SHOW_SCHEMA, "index": idx.where, "ids": rows}


def index_forget(
    spec: str | Mapping[str, Any] | Index, ids: Iterable[str], lock_wait: float | None = None
) -> dict[str, Any]:
    """Remove ids for good (number, fingerprint, story name, sketches at every level), inside the
    index's exclusive section. Ids not in the index are listed as such, not an error: a takedown
    list is often run against several indexes. Other articles keep the story name they were given
    (it may be a removed id: a name is a label, not a link)."""
    wanted = list(dict.fromkeys(ids))
    with open_existing(spec) as idx:
        with idx.exclusive(lock_wait):
            found = idx.lookup(wanted)
            idx.forget([i for i in wanted if i in found])
        return {
            "schema": FORGET_SCHEMA,
            "index": idx.where,
            "forgotten": [i for i in wanted if i in found],
            "not_found": [i for i in wanted if i not in found],
        }
