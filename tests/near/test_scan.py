"""`scan` end to end on small corpora written for the tests: clusters, templates, bad inputs,
determinism, incremental runs through a real SQLite index, refusal of a mismatched index."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from dedup.load import article_from_text, load_articles
from dedup.model import Article, LoadError
from dedup.near.copy import CopyLevel
from dedup.near.index import IndexMismatch, open_index
from dedup.near.scan import LevelUnavailable, ScanResult, make_level, scan
from tests.conftest import SEED_EN, SEED_MT
from tests.near.corpus import article, copy_of, templated


def _corpus() -> list[Article]:
    base_a, base_b = article(100), article(200)
    texts = {
        "a0": base_a,
        "a1": copy_of(base_a, 1),
        "a2": copy_of(base_a, 2, replace=0.05, truncate=0.6),
        "b0": base_b,
        "b1": copy_of(base_b, 3),
        "t0": templated(base_a, 4),  # same template as a0, other figures and names
        "u0": article(300),
        "u1": article(301),
    }
    return [article_from_text(t, id=i) for i, t in texts.items()]


def _copy_clusters(result: ScanResult) -> list[list[str]]:
    return [c.members for c in result.clusters if c.level == "copy"]


def test_copy_clusters_found_and_template_kept_apart() -> None:
    result = scan(_corpus())
    assert _copy_clusters(result) == [["a0", "a1", "a2"], ["b0", "b1"]]
    docs = {d.id: d for d in result.documents}
    assert docs["a2"].duplicate_of == "a0" and docs["a0"].duplicate_of is None
    assert docs["t0"].clusters.get("copy") is None
    assert docs["a1"].similarity is not None and docs["a1"].similarity >= 0.5
    for c in result.clusters:
        assert c.id == min(c.members)
        assert all(p.a < p.b and p.similarity >= 0.5 for p in c.pairs)


def test_seed_pair_is_not_a_copy_pair() -> None:
    loaded = load_articles([SEED_EN, SEED_MT])
    result = scan(loaded, level="copy")
    assert result.clusters == []
    assert [d.status for d in result.documents] == ["ok", "ok"]


def test_bad_inputs_are_reported_not_dropped(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(article(1), encoding="utf-8")
    (tmp_path / "copy.txt").write_text(copy_of(article(1), 9), encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    (tmp_path / "ads.txt").write_text("Advertisement\n", encoding="utf-8")
    result = scan(load_articles([tmp_path]))
    docs = {d.id: d for d in result.documents}
    assert set(docs) == {"good", "copy", "empty", "binary", "ads"}
    assert docs["empty"].status == "error" and docs["binary"].status == "error"
    assert "binary" in (docs["binary"].error or "")
    assert docs["ads"].status == "empty"
    assert _copy_clusters(result) == [["copy", "good"]]
    rows = result.to_jsonl_rows()
    assert len(rows) == 5 and {r["id"] for r in rows} == set(docs)


def test_load_errors_without_id_are_kept() -> None:
    result = scan([article_from_text(article(1), id="x"), LoadError("in.jsonl:3", "malformed JSON")])
    assert [(d.id, d.status) for d in result.documents] == [(None, "error"), ("x", "ok")]


def test_two_runs_are_byte_identical() -> None:
    one = json.dumps(scan(_corpus()).to_json())
    two = json.dumps(scan(_corpus()).to_json())
    assert one == two
    # Input order only decides which member is the earliest, not the clusters.
    rev = scan(list(reversed(_corpus())))
    assert [c.to_json() for c in rev.clusters] == [c.to_json() for c in scan(_corpus()).clusters]


def test_json_schema() -> None:
    out = scan(_corpus()).to_json()
    assert list(out) == ["schema", "params", "documents", "clusters"]
    assert out["schema"] == "dedup.scan/1"
    assert out["params"]["levels"]["copy"]["scheme"] == "affine32"
    assert [d["id"] for d in out["documents"]] == sorted(d["id"] for d in out["documents"])
    for c in out["clusters"]:
        assert list(c) == ["id", "level", "members", "pairs"]
        assert c["members"] == sorted(c["members"]) and len(c["members"]) >= 2
    row = scan(_corpus()).to_jsonl_rows()[0]
    assert list(row) == ["id", "copy_cluster", "story_cluster", "duplicate_of", "similarity"]


def test_incremental_runs_through_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "index.db"
    corpus = {a.id: a for a in _corpus()}
    first = scan([corpus["a0"], corpus["b0"], corpus["u0"]], index=str(db))
    assert first.clusters == []
    second = scan([corpus["a1"], corpus["b1"], corpus["t0"]], index=f"sqlite://{db}")
    assert _copy_clusters(second) == [["a0", "a1"], ["b0", "b1"]]
    docs = {d.id: d for d in second.documents}
    assert set(docs) == {"a1", "b1", "t0"}  # the run's own articles; indexed ones appear as members
    assert docs["a1"].duplicate_of == "a0" and docs["b1"].duplicate_of == "b0"
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM payloads_copy").fetchone()[0] == 6
    # Scanning an already indexed article again neither duplicates it nor pairs it with itself.
    third = scan([corpus["a0"]], index=str(db))
    assert _copy_clusters(third) == [["a0", "a1"]]


def test_memory_index_reused_across_calls() -> None:
    corpus = {a.id: a for a in _corpus()}
    idx = open_index("memory")
    scan([corpus["a0"]], index=idx)
    again = scan([corpus["a2"], corpus["u1"]], index=idx)
    assert _copy_clusters(again) == [["a0", "a2"]]


@pytest.mark.parametrize(
    "other",
    [{"num_perm": 64}, {"scheme": "affine64"}, {"lsh_threshold": 0.5}, {"verify_threshold": 0.7}],
)
def test_mismatched_index_is_refused(tmp_path: Path, other: dict[str, object]) -> None:
    db = tmp_path / "index.db"
    scan([article_from_text(article(1), id="x")], index=str(db))
    with pytest.raises(IndexMismatch) as err:
        scan([article_from_text(article(2), id="y")], level=CopyLevel(**other), index=str(db))  # type: ignore[arg-type]
    key = next(iter(other))
    assert key in str(err.value) and str(db) in str(err.value)
    with sqlite3.connect(db) as con:  # nothing was added by the refused run
        assert con.execute("SELECT COUNT(*) FROM payloads_copy").fetchone()[0] == 1


def test_not_an_index_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
    with pytest.raises(IndexMismatch):
        scan([article_from_text(article(1), id="x")], index=str(other))
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(IndexMismatch):
        scan([article_from_text(article(1), id="x")], index=str(garbage))


def test_story_level_missing_gives_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dedup.near.story", None)  # import fails as if absent
    with pytest.raises(LevelUnavailable, match="story level is not available"):
        make_level("story")


def test_threshold_per_level() -> None:
    strict = scan(_corpus(), threshold=0.99)
    assert _copy_clusters(strict) == []
    with pytest.raises(ValueError):
        scan(_corpus(), threshold={"nope": 0.3})


def test_repeated_id_is_reported_not_merged() -> None:
    text = article(1)
    result = scan([article_from_text(text, id="x"), article_from_text(copy_of(text, 2), id="x")])
    assert [(d.id, d.status) for d in result.documents] == [("x", "error"), ("x", "ok")] or [
        (d.id, d.status) for d in result.documents
    ] == [("x", "ok"), ("x", "error")]
    assert any("duplicate id" in (d.error or "") for d in result.documents)


_BASE = (
    "The minister met the president on Tuesday to discuss trade tariffs and security cooperation in the "
    "region, officials said."
)
_CHAIN = [
    _BASE.replace("cooperation", "3"),
    _BASE.replace("discuss", "Monday"),
    _BASE.replace("in the region", "in talks region"),
    _BASE.replace("officials said", "officials Monday"),
]


def test_similarity_is_to_duplicate_of_even_through_a_chain() -> None:

    arts = [Article(id=f"a{i}", text=t) for i, t in enumerate(_CHAIN)]
    result = scan(arts, level="copy")
    level = CopyLevel()
    payloads = level.sketch_texts([a.text for a in arts])[1]
    by = {d.id: d for d in result.documents}
    assert by["a0"].duplicate_of is None and by["a0"].similarity is None
    for i in (1, 2, 3):
        d = by[f"a{i}"]
        if d.duplicate_of is not None:
            j = int(d.duplicate_of[1:])
            assert d.similarity == round(level.similarity(payloads[i], payloads[j]), 4)


def test_copies_share_their_story_cluster() -> None:

    arts = [Article(id=f"a{i}", text=t) for i, t in enumerate(_CHAIN)]
    result = scan(arts, level="both")
    for d in result.documents:
        if d.clusters.get("copy") is not None:
            mates = [e for e in result.documents if e.clusters.get("copy") == d.clusters["copy"]]
            assert {e.clusters.get("story") for e in mates} == {d.clusters.get("story")} != {None}


@pytest.mark.parametrize("level", ["copy", "story", "both"])
def test_text_or_id_that_is_not_unicode_is_one_error_not_a_dead_scan(level: str) -> None:
    """Lone surrogates (API callers only: the loader decodes strictly) cannot be hashed or stored."""
    t1, t2 = article(31), article(32)
    items = [
        Article(id="a", text=t1, origin="<a>"),
        Article(id="bad", text=t2[:40] + "\ud83d" + t2[40:], origin="<bad>"),
        Article(id="x\udc00", text=article(33), origin="<x>"),
        Article(id="a-copy", text=copy_of(t1, 4), origin="<a-copy>"),
    ]
    result = scan(items, level=level)
    status = {d.id: (d.status, d.error) for d in result.documents}
    assert status["a"][0] == status["a-copy"][0] == "ok"
    assert status["bad"][0] == "error" and "text is not valid Unicode" in str(status["bad"][1])
    assert status["x\udc00"][0] == "error" and "id is not valid Unicode" in str(status["x\udc00"][1])
    assert any({"a", "a-copy"} <= set(c.members) for c in result.clusters)
    json.dumps(result.to_json())  # the output can still be written


def _cut_copies_found(make_copy: Any, level: CopyLevel) -> int:
    """How many of 100 articles (8 paragraphs each) a scan puts in one cluster with their cut copy."""
    arts: list[Article] = []
    for i in range(100):
        text = article(1000 + i, paragraphs=8)
        arts += [Article(id=f"o{i:03d}", text=text), Article(id=f"t{i:03d}", text=make_copy(text, i))]
    res = scan(arts, level=level)
    got = {d.id: d.clusters.get("copy") for d in res.documents}
    assert all(len(c.members) == 2 for c in res.clusters)  # never two stories in one cluster
    return sum(1 for i in range(100) if got[f"t{i:03d}"] is not None and got[f"t{i:03d}"] == got[f"o{i:03d}"])


def _opening(text: str, share: float) -> str:
    cut = text[: int(len(text) * share)]
    return cut[: cut.rfind(".") + 1]


def test_copies_cut_to_their_opening_are_found() -> None:
    """A copy cut to its first quarter or third has a shingle Jaccard of ~0.25-0.3 with the whole
    article, which the main LSH bands find about half the time although verification accepts it;
    the lead bands (MinHashes of windows of the opening) find it. The same copies with a new
    headline, byline and advertisement lines spoil the first window, not the second."""
    plain = lambda text, i: _opening(text, 0.25)  # noqa: E731
    dressed = lambda text, i: copy_of(text, i, replace=0.0, drop=False, truncate=0.3)  # noqa: E731
    with_lead, without = CopyLevel(), CopyLevel(lead_windows=0)
    assert _cut_copies_found(plain, with_lead) >= 98
    assert _cut_copies_found(dressed, with_lead) >= 90
    assert _cut_copies_found(plain, without) <= 70  # what the lead bands are for
    assert _cut_copies_found(dressed, without) <= 70


def test_lead_windows_are_settings_of_the_index(tmp_path: Path) -> None:
    """The lead bands change which band keys an article has: an index built without them refuses
    a level with them, naming the setting."""
    path = str(tmp_path / "idx.sqlite")
    texts = [article(1100 + i) for i in range(3)]
    scan(
        [Article(id=f"a{i}", text=t) for i, t in enumerate(texts)],
        level=CopyLevel(lead_windows=0),
        index=path,
    )
    with pytest.raises(IndexMismatch, match="lead"):
        scan([Article(id="b", text=texts[0])], level=CopyLevel(), index=path)


def test_other_line_breaks_end_boilerplate_lines_for_the_story_level() -> None:
    """Lone CRs or U+2028 as line ends (old CMS exports): the story level's boilerplate is the same
    as with "\\n" (an "Advertisement" line is not body text), and its spans still index the
    original text."""
    from dedup.near.scan import ScanInputs

    text = copy_of(article(31), 32)
    (lf,) = ScanInputs([Article(id="a", text=text)], detect_lang=False).documents()
    assert lf.boilerplate
    for sep in ("\r", "\u2028"):
        other = text.replace("\n", sep)
        (doc,) = ScanInputs([Article(id="a", text=other)], detect_lang=False).documents()
        assert [(b.start, b.end) for b in doc.boilerplate] == [(b.start, b.end) for b in lf.boilerplate]
        assert all(
            other[b.start : b.end] == text[b.start : b.end].replace("\n", sep) for b in doc.boilerplate
        )
