"""`python -m dedup` runs the same CLI as the `dedup` script (for a venv whose scripts are not on PATH)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "dedup", "inspect", str(SEEDS / "000_acb89514df95002b.txt"), "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert '"id": "000_acb89514df95002b"' in out.stdout
