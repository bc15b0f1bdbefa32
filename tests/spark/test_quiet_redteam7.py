"""`dedup -q scan --engine spark`: errors only on stderr, Spark's own start-up WARN lines included
(they came before `setLogLevel` could act). A fresh JVM is needed, so this starts its own process
(about 20 s)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.near.corpus import article, copy_of

ROOT = Path(__file__).resolve().parents[2]


def test_quiet_silences_spark_warnings(tmp_path: Path) -> None:
    pytest.importorskip(
        "pyspark", reason="pyspark is not installed (the optional extra: pip install -e '.[spark]')"
    )
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime for Spark (apt-get install openjdk-17-jre-headless, or `make test`)")
    src = tmp_path / "in.jsonl"
    rows = [("a", article(9101)), ("b", copy_of(article(9101), 2)), ("c", article(9102))]
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "SPARK_LOCAL_IP"}  # the WARN it would avoid
    res = subprocess.run(
        [sys.executable, "-m", "dedup", "-q", "scan", str(src), "--engine", "spark", "-f", "jsonl"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    assert [json.loads(x)["duplicate_of"] for x in res.stdout.splitlines()] == [None, "a", None]
    assert res.stderr == ""  # before: "WARN Utils", "Setting default log level", "WARN NativeCodeLoader"


def test_an_unknown_log_level_is_refused() -> None:
    pytest.importorskip("pyspark")
    from dedup.spark.session import local_session

    with pytest.raises(ValueError, match="log_level"):
        local_session(log_level="LOUD")
