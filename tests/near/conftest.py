"""A real redis-server for the Redis index tests, on a unix socket in a temporary folder."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


@contextmanager
def redis_server(folder: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A redis-server of its own in `folder` (unix socket, no persistence): (url, process)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server binary not found (apt-get install redis-server, or `make test`)")
    sock = folder / "redis.sock"
    cmd = [binary, "--port", "0", "--unixsocket", str(sock), "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen(
        [*cmd, "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 10
        while not Path(sock).exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
        yield f"unix://{sock}", proc
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as (url, _proc):
        yield url


@pytest.fixture(params=["memory", "sqlite", "redis"])
def spec(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """One index on each backend, as `open_index` takes it: an in-process index, a real SQLite file,
    a prefix of the session's real redis-server (overridden by a test module's own `spec`)."""
    from dedup.near.index.memory import MemoryIndex

    if request.param == "memory":
        yield MemoryIndex()
    elif request.param == "sqlite":
        yield str(tmp_path / "s.sqlite")
    else:
        yield {
            "type": "redis",
            "url": request.getfixturevalue("redis_url"),
            "prefix": f"{request.node.name}:",
        }
