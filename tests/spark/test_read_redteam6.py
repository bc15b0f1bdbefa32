"""Sixth-session red team, Spark side: a text file reached through a folder and again through a
path inside it is read once, with the local loader's error row (not two articles, one a copy of
the other under two folder ids)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dedup.load import load_articles
from dedup.near.scan import scan
from tests.near.corpus import article


def test_a_file_given_twice_gives_the_local_rows(spark: Any, tmp_path: Path) -> None:
    from dedup.spark import spark_scan

    folder = tmp_path / "arch"
    (folder / "biz").mkdir(parents=True)
    (folder / "biz" / "001.txt").write_text(article(31))
    (folder / "top.txt").write_text(article(32))
    paths = [folder, folder / "biz" / "001.txt", folder / "biz", folder / "top.txt"]

    local = scan(load_articles(paths), level="copy").to_jsonl_rows()
    rows = list(spark_scan(spark, paths, level="copy").iter_rows())
    assert rows == local
    assert sorted(r["id"] for r in rows if "error" not in r) == ["biz/001", "top"]
    errors = [r["error"] for r in rows if "error" in r]
    assert len(errors) == 3
    assert sum("given twice" in e for e in errors) == 2  # the two that would have had another id
    assert sum(e.startswith("duplicate id 'top'") for e in errors) == 1  # the same id: as before
    assert not any(r.get("clusters") for r in rows)
