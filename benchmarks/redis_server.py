"""A throwaway `redis-server` for benchmarks: unix socket, no persistence, in a folder of the caller's."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path


def start(folder: Path | str) -> tuple[str, subprocess.Popen[bytes]]:
    """(URL of the server, its process); the caller terminates it."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server not found (apt-get install redis-server)")
    sock = Path(folder) / "redis.sock"
    cmd = [binary, "--port", "0", "--unixsocket", str(sock), "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen([*cmd, "--dir", str(folder)], stdout=subprocess.DEVNULL)
    while not sock.exists():
        time.sleep(0.05)
    return f"unix://{sock}", proc
