"""The Spark runner gives the local scan's result exactly: rows, clusters, pairs, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dedup.load import load_articles
from dedup.model import Article
from dedup.near.scan import scan
from tests.near.corpus import article, copy_of
from tests.spark.conftest import BIG


def _clusters(result: Any) -> list[dict[str, Any]]:
    return [c.to_json() for c in result.clusters]


@pytest.fixture(scope="module")
def both(spark: Any, corpus_dir: Path) -> tuple[Any, Any]:
    """The folder scanned at both levels by Spark and locally (one Spark scan for several tests)."""
    from dedup.spark import read, spark_scan

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(read, "_MIN_SPLIT", 4096)  # the JSONL file is read in several splits, as a big one is
        result = spark_scan(spark, corpus_dir, level="both")
    return result, scan(load_articles([corpus_dir]), level="both")


def test_equals_local_scan_on_a_mixed_folder(both: tuple[Any, Any]) -> None:
    result, local = both
    rows = list(result.iter_rows())
    assert rows == local.to_jsonl_rows()
    assert _clusters(result) == _clusters(local)
    # The corpus exercises what it should (so the equality above is not between two empty results).
    by_id = {(r["id"], r.get("origin")): r for r in rows}
    copies = next(c for c in result.clusters if c.level == "copy" and c.id == "a0")
    assert copies.members == ["a0", "a1", "a2", "a3", "z9"]
    assert by_id[("z9", None)]["duplicate_of"] == "a0" and 0.5 <= by_id[("z9", None)]["similarity"] <= 1.0
    story = next(c for c in result.clusters if c.level == "story" and "s2" in c.members)
    assert {"s1", "s2"} <= set(story.members) and by_id[("s2", None)]["copy_cluster"] is None
    assert by_id[("t1", None)]["copy_cluster"] is None  # templated sibling: not a copy
    big = next(c for c in result.clusters if c.level == "copy" and c.id == "b00")
    assert len(big.members) == BIG and len(big.pairs) < BIG * (BIG - 1) // 2  # the bucket cap applied
    errors = {r["error"].split(":")[0].split(" (")[0] for r in rows if "error" in r}
    assert errors == {"empty text", "duplicate id 'a1'", "malformed JSON", "missing or invalid 'id'"}


def test_documents_and_statuses_match(both: tuple[Any, Any]) -> None:
    result, local = both
    docs = result.to_scan_result().documents
    assert [d.to_json() for d in docs] == [d.to_json() for d in local.documents]
    assert any(d.status == "empty" for d in docs)  # boilerplate only: nothing to sketch, not an error
    assert result.params["levels"] == local.params["levels"]


def test_write_jsonl_writes_the_same_lines(both: tuple[Any, Any], tmp_path: Path) -> None:
    result, local = both
    result.write_jsonl(tmp_path / "out")
    parts = sorted((tmp_path / "out").glob("part-*"))
    written = [line for part in parts for line in part.read_text("utf-8").splitlines()]
    assert written == list(result.jsonl_lines())
    assert [json.loads(line) for line in written] == local.to_jsonl_rows()


def test_dataframe_input_equals_local_scan_of_the_same_articles(spark: Any) -> None:
    from dedup.spark import spark_scan

    base, other = article(7), article(8)
    items = [
        ("n1", base, "en"),
        ("n2", copy_of(base, 1), None),
        ("n3", other, None),
        ("n4", copy_of(other, 2, truncate=0.6), "en"),
        ("n2", copy_of(base, 3), None),  # repeated id: an error row, the first n2 stays
        ("n5", "", None),  # empty text: an error row
    ]
    df = spark.createDataFrame(items, "id string, text string, lang string").repartition(1)
    result = spark_scan(spark, df, level="copy")
    articles = [
        Article(id=i, text=t, lang=lang, origin=f"<dataframe>:{k}") for k, (i, t, lang) in enumerate(items, 1)
    ]
    local = scan([a for a in articles if a.text], level="copy")
    rows = list(result.iter_rows())
    want = local.to_jsonl_rows()
    empty = {
        "id": "n5",
        "copy_cluster": None,
        "story_cluster": None,
        "duplicate_of": None,
        "similarity": None,
    }
    want.insert(5, {**empty, "origin": "<dataframe>:6", "error": "empty text"})
    assert rows == want
    assert _clusters(result) == _clusters(local)
    assert [c.members for c in result.clusters] == [["n1", "n2"], ["n3", "n4"]]


def test_missing_path_is_an_error_row(spark: Any, tmp_path: Path) -> None:
    from dedup.spark import spark_scan

    paths = [tmp_path / "nope.jsonl", tmp_path / "nope.txt"]
    rows = list(spark_scan(spark, paths).iter_rows())
    assert rows == scan(load_articles(paths)).to_jsonl_rows()
    assert [r["error"] for r in rows] == [
        "cannot read: No such file or directory",
        "no such file or directory",
    ]


def test_stdin_lines_are_read_by_the_driver(spark: Any) -> None:
    import io

    from dedup.spark.read import read_paths

    data = b'{"id": "q1", "text": "Harbour council approved budget"}\n\nnot json\n'
    rdd = read_paths(spark, ["-"], stdin=io.BytesIO(data))
    got = sorted(rdd.collect(), key=lambda e: e[0])
    assert [type(e[1]).__name__ for e in got] == ["Article", "LoadError"]
    assert got[1][1].origin == "<stdin>:3"
