"""How an index spec is read: one place (`backend_of`, `sqlite_path`) for open_index, the CLI's
folder check, `dedup index` and dry runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.near.index import backend_of, sqlite_path
from dedup.near.index.memory import MemoryIndex


@pytest.mark.parametrize(
    ("spec", "kind", "path"),
    [
        (None, "memory", None),
        (":memory:", "memory", None),
        ("memory://", "memory", None),
        ("idx.sqlite", "sqlite", Path("idx.sqlite")),
        ("sqlite:///data/idx.db", "sqlite", Path("/data/idx.db")),
        ({"type": "sqlite", "path": "a/b.db"}, "sqlite", Path("a/b.db")),
        ("redis://localhost:6379/0", "redis", None),
        ("unix:///tmp/redis.sock", "redis", None),
        ({"type": "redis", "url": "redis://h"}, "redis", None),
    ],
)
def test_specs(spec: object, kind: str, path: Path | None) -> None:
    assert backend_of(spec) == kind  # type: ignore[arg-type]
    assert sqlite_path(spec) == path  # type: ignore[arg-type]


def test_an_unknown_scheme_is_refused_and_names_no_file() -> None:
    with pytest.raises(ValueError, match="unknown index URI scheme"):
        backend_of("postgres://db")
    assert sqlite_path("postgres://db") is None
    assert backend_of(MemoryIndex()) == "memory" and sqlite_path(MemoryIndex()) is None
