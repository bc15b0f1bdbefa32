"""Index backends behind one small interface, chosen by URI or by a config `type`.

- ``None`` / ``"memory"``: in-process (`MemoryIndex`);
- ``"sqlite:///path/to/index.db"`` or a plain path: an SQLite file (`SQLiteIndex`);
- ``"redis://host:port/db"``, ``"rediss://..."``, ``"unix:///path/redis.sock"``: Redis (`RedisIndex`).
A config mapping works too: ``{"type": "sqlite", "path": ...}``, ``{"type": "redis", "url": ...,
"prefix": ...}``, ``{"type": "memory"}``. Backends are imported only when chosen (as datasketch's
storage does), so `redis` is needed only for Redis.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from dedup.near.index.base import Index, IndexBusy, IndexMismatch, IndexUnavailable

_BACKENDS = {
    "memory": ("dedup.near.index.memory", "MemoryIndex"),
    "sqlite": ("dedup.near.index.sqlite", "SQLiteIndex"),
    "redis": ("dedup.near.index.redis", "RedisIndex"),
}


def _backend(kind: str) -> type[Index]:
    if kind not in _BACKENDS:
        raise ValueError(f"unknown index type {kind!r}; expected one of {', '.join(sorted(_BACKENDS))}")
    module, name = _BACKENDS[kind]
    return getattr(importlib.import_module(module), name)


def open_index(spec: str | Mapping[str, Any] | Index | None = None) -> Index:
    """An index from a URI, a path, a config mapping, or an already open index (returned as is)."""
    if isinstance(spec, Index):
        return spec
    if spec is None:
        return _backend("memory")()
    if isinstance(spec, Mapping):
        cfg = dict(spec)
        kind = str(cfg.pop("type", "memory"))
        return _backend(kind)(**cfg)
    s = str(spec)
    if s in ("memory", "memory://", ":memory:"):
        return _backend("memory")()
    if s.startswith("sqlite://"):
        return _backend("sqlite")(s[len("sqlite://") :])
    if s.startswith(("redis://", "rediss://", "unix://")):
        return _backend("redis")(s)
    if "://" in s:
        raise ValueError(
            f"unknown index URI scheme in {s!r}; use sqlite:///path, redis://host:port/db or unix:///path"
        )
    return _backend("sqlite")(s)


def dry_run(spec: str | Mapping[str, Any] | Index | None) -> Index:
    """The index `spec` names, read as usual but never written (`DryRunIndex`): for a run that
    decides without storing anything. Opening it changes nothing either: an SQLite file is opened
    read-only, an index not created yet reads as empty (no file is made), an older format is not
    migrated (format 3 is read as it is; older ones are refused, naming what migrates them)."""
    from dedup.near.index.dryrun import DryRunIndex, open_read_only

    return DryRunIndex(open_read_only(spec))


__all__ = ["Index", "IndexBusy", "IndexMismatch", "IndexUnavailable", "dry_run", "open_index"]
