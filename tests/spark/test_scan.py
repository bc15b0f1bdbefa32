"""The Spark runner gives the local scan's result exactly: rows, clusters, pairs, errors."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from dedup.load import load_articles
from dedup.model import Article
from dedup.near.copy import CopyLevel
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


def _paragraphs(seed: int, n: int) -> list[str]:
    return article(seed, paragraphs=n).partition("\n\n")[2].strip().split("\n\n")


def test_chains_and_stars_are_clustered_in_spark_as_locally(
    spark: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """A path of overlapping excerpts (its ends share nothing) in shuffled input order, and a star
    (two halves of one article, which share nothing, and the whole) whose earliest member is a
    leaf: clusters need several rounds, and `similarity` to `duplicate_of` is computed for members
    that were never verified against it (here often 0.0)."""
    import logging

    from dedup.spark import spark_scan

    paras = _paragraphs(11, 8 + 3 * 11)
    path = [(f"p{k:02d}", f"Report {k}\n\n" + "\n\n".join(paras[3 * k : 3 * k + 8])) for k in range(12)]
    random.Random(4).shuffle(path)
    whole = _paragraphs(12, 8)
    star = [
        ("h9", "Left\n\n" + "\n\n".join(whole[:4])),
        ("h2", "Right\n\n" + "\n\n".join(whole[4:])),
        ("h0", "Hub\n\n" + "\n\n".join(whole)),
    ]
    single = [(f"u{k}", article(400 + k)) for k in range(3)]
    items = [*path, *star, *single]
    df = spark.createDataFrame(items, "id string, text string")
    with caplog.at_level(logging.DEBUG, logger="dedup.spark"):
        result = spark_scan(spark, df)  # in input order (a repartition would shuffle it)
    local = scan([Article(id=i, text=t, origin=f"<dataframe>:{k}") for k, (i, t) in enumerate(items, 1)])
    rows = list(result.iter_rows())
    assert rows == local.to_jsonl_rows()
    assert _clusters(result) == _clusters(local)
    assert [c.members for c in result.clusters] == [["h0", "h2", "h9"], [i for i, _ in sorted(path)]]
    chain = next(c for c in result.clusters if c.id == "p00")
    assert len(chain.pairs) == len(path) - 1  # a path: only neighbours were linked
    by_id = {r["id"]: r for r in rows}
    assert by_id["h2"]["duplicate_of"] == "h9" and by_id["h2"]["similarity"] == 0.0  # leaf to leaf
    assert all(by_id[f"u{k}"]["copy_cluster"] is None for k in range(3))  # singletons stay alone
    rounds = [int(m.split(" in ")[1].split()[0]) for m in caplog.messages if "connected components" in m]
    assert rounds and rounds[0] >= 2


def test_only_singletons_and_errors(spark: Any) -> None:
    from dedup.spark import spark_scan

    items = [("s1", article(501)), ("s2", article(502)), ("s3", ""), ("s1", article(503))]
    result = spark_scan(spark, spark.createDataFrame(items, "id string, text string").repartition(1))
    rows = list(result.iter_rows())
    assert result.clusters == []
    assert [(r["id"], r.get("error")) for r in rows] == [
        ("s1", None),
        ("s1", "duplicate id 's1' (first seen at <dataframe>:1)"),
        ("s2", None),
        ("s3", "empty text"),
    ]
    assert all(r["copy_cluster"] is None and r["duplicate_of"] is None for r in rows)


class _StrictCopies(CopyLevel):
    """A level whose link filter Spark has no form for (so it runs on the driver)."""

    def filter_links(self, pairs: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
        return [p for p in pairs if p[2] >= 0.9]


def test_a_link_filter_spark_does_not_know_runs_on_the_driver(spark: Any) -> None:
    from dedup.spark import spark_scan

    base = article(601)
    items = [
        ("f1", base),
        ("f2", copy_of(base, 1, replace=0.0, drop=False)),
        ("f3", copy_of(base, 2, replace=0.08)),  # a looser copy: linked, then dropped by the filter
        ("f4", copy_of(base, 3, replace=0.0, drop=False)),
    ]
    result = spark_scan(spark, spark.createDataFrame(items, "id string, text string"), level=_StrictCopies())
    articles = [Article(id=i, text=t, origin=f"<dataframe>:{k}") for k, (i, t) in enumerate(items, 1)]
    plain = scan(articles)
    local = scan(articles, level=_StrictCopies())
    assert list(result.iter_rows()) == local.to_jsonl_rows()
    assert _clusters(result) == _clusters(local)
    assert _clusters(local) != _clusters(plain)  # the filter changed something
