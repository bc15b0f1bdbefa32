"""JSONL read by byte ranges on the executors: the local loader's articles and errors, line for line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dedup.load import iter_articles, load_articles
from dedup.near.scan import scan
from dedup.spark.read import plan_ranges
from tests.near.corpus import article


def _line(obj: dict[str, Any]) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n"


def _feed(folder: Path, base: str) -> Path:
    raw = [
        _line({"id": "r1", "text": base}),
        _line({"id": "r2", "text": base + " Copied."}),
        b'{"id": "bad", "text": "caf\xe9 au lait, Latin-1 not UTF-8"}\n',  # invalid UTF-8
        _line({"id": "ok-fffd", "text": "A literal \ufffd replacement character is valid text."}),
        b"\n",  # blank: skipped but counted
        b'{"id": "cut", "text": "\xe2\x82"}\r\n',  # a truncated multi-byte character
        _line({"id": "r3", "text": base + " Copied again."}),
        b'{"id": "tail", "text": "no newline at the end \xff"}',
    ]
    path = folder / "feed.jsonl"
    path.write_bytes(b"".join(raw))
    return path


def _straddled(path: Path, split: int) -> int:
    """How many range boundaries fall inside a line (not on a line start)."""
    data = path.read_bytes()
    return sum(1 for start, _ in plan_ranges(len(data), split) if start and data[start - 1] != ord("\n"))


def test_invalid_utf8_lines_are_the_local_errors(spark: Any, tmp_path: Path) -> None:
    from dedup.spark import spark_scan

    path = _feed(tmp_path, article(11))
    split = path.stat().st_size // 4 + 1  # four ranges, lines cut across them
    assert _straddled(path, split) >= 2
    result = spark_scan(spark, path, level="copy", split_bytes=split)
    rows = list(result.iter_rows())
    assert rows == scan(load_articles([path]), level="copy").to_jsonl_rows()
    errors = {r["origin"]: r["error"] for r in rows if "error" in r}
    assert set(errors) == {f"{path}:3", f"{path}:6", f"{path}:8"}
    assert all(e.startswith("invalid UTF-8 at byte ") for e in errors.values())
    ok = {r["id"] for r in rows if "error" not in r}
    assert ok == {"r1", "r2", "r3", "ok-fffd"}  # a real U+FFFD in the text is not an error
    assert [c.members for c in result.clusters] == [["r1", "r2", "r3"]]


@pytest.mark.parametrize("split", [97, 1 << 20])
def test_ranges_give_the_loaders_entries_in_order(spark: Any, tmp_path: Path, split: int) -> None:
    from dedup.spark.read import read_paths

    path = _feed(tmp_path, "Harbour council approved the bridge budget. " * 3)
    max_bytes = 120  # the first two lines are "huge" here: rejected by their length, as the loader does
    rdd = read_paths(spark, [path], max_bytes=max_bytes, split_bytes=split)
    ranges = plan_ranges(path.stat().st_size, split)
    assert rdd.getNumPartitions() == len(ranges)
    assert split > 1000 or _straddled(path, split) >= 3
    got = [item for _, item in sorted(rdd.collect(), key=lambda e: e[0])]
    want = list(iter_articles([path], max_bytes=max_bytes))
    assert got == want
    assert [getattr(i, "message", "")[:14] for i in got[:3]] == ["line too large"] * 2 + ["invalid UTF-8 "]
    assert [i.origin for i in got] == [f"{path}:{k}" for k in (1, 2, 3, 4, 6, 7, 8)]


def test_line_starting_exactly_at_a_boundary_is_read_once(spark: Any, tmp_path: Path) -> None:
    from dedup.spark.read import read_paths

    line = _line({"id": "x", "text": "Harbour council approved budget"})
    path = tmp_path / "even.jsonl"
    lines = [line.replace(b'"x"', f'"x{k}"'.encode()) for k in range(6)]
    path.write_bytes(b"".join(lines))
    rdd = read_paths(spark, [path], split_bytes=len(lines[0]))  # every range starts on a line
    got = sorted(rdd.collect(), key=lambda e: e[0])
    assert [(e[1].id, e[1].origin) for e in got] == [(f"x{k}", f"{path}:{k + 1}") for k in range(6)]
