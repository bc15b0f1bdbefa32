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
from pathlib import Path
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


MEMORY_SPECS = ("memory", "memory://", ":memory:")
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def backend_of(spec: str | Mapping[str, Any] | Index | None) -> str:
    """Which backend a spec names ("memory", "sqlite", "redis", or a config's `type`), as
    `open_index` reads it; an unknown URI scheme is a ValueError."""
    if isinstance(spec, Index):
        return spec.kind
    if spec is None:
        return "memory"
    if isinstance(spec, Mapping):
        return str(spec.get("type", "memory"))
    s = str(spec)
    if s in MEMORY_SPECS:
        return "memory"
    if s.startswith(REDIS_SCHEMES):
        return "redis"
    if "://" in s and not s.startswith("sqlite://"):
        raise ValueError(
            f"unknown index URI scheme in {s!r}; use sqlite:///path, redis://host:port/db or unix:///path"
        )
    return "sqlite"


def sqlite_path(spec: str | Mapping[str, Any] | Index | None) -> Path | None:
    """The file a spec names when it is an SQLite index (a path, sqlite:///path, a config, an open
    one), else None (another backend, or a spec `open_index` will refuse)."""
    try:
        if backend_of(spec) != "sqlite":
            return None
    except ValueError:
        return None
    if isinstance(spec, Index):
        path = getattr(spec, "path", None)
        return Path(path) if path is not None else None
    if isinstance(spec, Mapping):
        return Path(str(spec["path"])) if "path" in spec else None
    return Path(str(spec).removeprefix("sqlite://"))


def open_index(spec: str | Mapping[str, Any] | Index | None = None) -> Index:
    """An index from a URI, a path, a config mapping, or an already open index (returned as is)."""
    if isinstance(spec, Index):
        return spec
    kind = backend_of(spec)
    if isinstance(spec, Mapping):
        cfg = dict(spec)
        cfg.pop("type", None)
        return _backend(kind)(**cfg)
    if kind == "memory":
        return _backend("memory")()
    if kind == "sqlite":
        return _backend("sqlite")(str(spec).removeprefix("sqlite://"))  # as written: messages name it so
    return _backend("redis")(str(spec))


def dry_run(spec: str | Mapping[str, Any] | Index | None) -> Index:
    """The index `spec` names, read as usual but never written (`DryRunIndex`): for a run that
    decides without storing anything. Opening it changes nothing either: an SQLite file is opened
    read-only, an index not created yet reads as empty (no file is made), an older format is not
    migrated (format 3 is read as it is; older ones are refused, naming what migrates them)."""
    from dedup.near.index.dryrun import DryRunIndex, open_read_only

    return DryRunIndex(open_read_only(spec))


__all__ = [
    "Index",
    "IndexBusy",
    "IndexMismatch",
    "IndexUnavailable",
    "backend_of",
    "dry_run",
    "open_index",
    "sqlite_path",
]
