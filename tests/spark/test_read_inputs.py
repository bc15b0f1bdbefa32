"""The fifth session's input red-team cases read by Spark: the local scan's rows, byte for byte
(links read under their own name, a binary or UTF-16 JSONL file one error, a loop named as such)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from dedup.load import load_articles
from dedup.near.scan import scan
from tests.near.corpus import article, copy_of


def test_red_team_inputs_give_the_local_rows(spark: Any, tmp_path: Path) -> None:
    from dedup.spark import spark_scan

    folder = tmp_path / "in"
    (folder / "real").mkdir(parents=True)
    base = article(21)
    (folder / "real" / "orig.txt").write_text(base)
    (folder / "linked.txt").symlink_to(folder / "real" / "orig.txt")  # its id is "linked", not "orig"
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    row = json.dumps({"id": "j", "text": copy_of(base, 4)}) + "\n"
    (folder / "gz.jsonl").write_bytes(gzip.compress(row.encode() * 30))
    (folder / "u16.jsonl").write_bytes((row * 3).encode("utf-16"))
    (folder / "good.jsonl").write_text(row + r'{"id": "s", "text": "Talks \ud800 in Geneva."}' + "\n")
    (folder / "notes.json").write_text("{}")  # not an article: skipped by both, said on stderr
    paths = [folder, tmp_path / "missing.txt", folder / "loop.txt"]

    local = scan(load_articles(paths), level="copy").to_jsonl_rows()
    rows = list(spark_scan(spark, paths, level="copy").iter_rows())
    assert rows == local
    errors = {Path(r["origin"]).name: r["error"] for r in rows if "error" in r}
    assert errors["gz.jsonl"].startswith("binary content (gzip-compressed data), not JSONL")
    assert errors["u16.jsonl"].startswith("UTF-16 text, not JSONL")
    assert errors["dangling.txt"] == "cannot read: No such file or directory"
    assert errors["loop.txt"] == "cannot read: Too many levels of symbolic links"
    assert "lone surrogate" in errors["good.jsonl:2"]
    assert {r["id"] for r in rows if "error" not in r} == {"linked", "real/orig", "j"}


def test_stdin_named_twice_is_read_once_with_an_error_row(spark: Any) -> None:
    """`dedup scan --engine spark - -`: as the local loader, the second "-" is an error, not a
    silent second read of an empty stdin."""
    import io

    from dedup.spark.read import read_paths

    rows = "".join(json.dumps({"id": f"a{i}", "text": article(40 + i)}) + "\n" for i in range(3)).encode()
    local = load_articles(["-", "-"], stdin=io.BytesIO(rows))
    got = [
        e
        for _, e in sorted(
            read_paths(spark, ["-", "-"], stdin=io.BytesIO(rows)).collect(), key=lambda t: t[0]
        )
    ]
    assert [a.id for a in got if not hasattr(a, "message")] == [a.id for a in local.articles]
    assert [e.message for e in got if hasattr(e, "message")] == [e.message for e in local.errors]
    assert [e.message for e in local.errors] == ["stdin (-) is given twice; it is read once"]
