"""`dedup scan --engine spark`: the same output as the local engine, and clear errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dedup.cli import app

runner = CliRunner()


def test_spark_engine_prints_the_local_jsonl(spark: Any, corpus_dir: Path) -> None:
    args = ["scan", str(corpus_dir / "feed.jsonl"), "--level", "copy", "--format", "jsonl"]
    local = runner.invoke(app, args)
    remote = runner.invoke(app, [*args, "--engine", "spark", "--spark-master", "local[2]"])
    assert remote.exit_code == local.exit_code == 2  # the corpus has bad lines: reported, not fatal
    assert remote.stdout == local.stdout
    rows = [json.loads(line) for line in remote.stdout.splitlines()]
    assert any(r["duplicate_of"] for r in rows) and any("error" in r for r in rows)
    assert spark.sparkContext._jsc is not None  # a session the CLI did not start is left running


def test_index_is_refused_with_the_spark_engine(tmp_path: Path) -> None:
    res = runner.invoke(
        app, ["scan", str(tmp_path), "--engine", "spark", "--index", str(tmp_path / "i.sqlite")]
    )
    assert res.exit_code == 2
    assert "--index" in res.output


def test_missing_pyspark_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "pyspark" or m.startswith("pyspark.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "pyspark", None)  # what `import pyspark` sees when it is not installed
    (tmp_path / "a.txt").write_text("Harbour council approves the bridge budget.", encoding="utf-8")
    res = runner.invoke(app, ["scan", str(tmp_path), "--engine", "spark"])
    assert res.exit_code == 3
    assert "dedup[spark]" in res.output and "pyspark" in res.output
