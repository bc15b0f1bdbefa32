"""Seventh-session red-team: `check` on article styles the earlier passes did not cover
(`redteam7_articles.py`), through the Python API and the CLI, and offsets on awkward characters.

Every planted garble is flagged by its family with a span inside the garbled text (not the whole
sentence), nothing else is flagged, and every look-alike stays clean. The per-fix tests live in the
family's own test file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.check import check_articles
from dedup.cli import app
from dedup.load import article_from_text
from dedup.model import Flag
from tests.garbles.redteam7_articles import ARTICLES, Pair

# Planted garbles the check still misses, with the reason (see benchmarks/results/garbles.md).
KNOWN_MISSES: set[tuple[str, str, str]] = set()


def _span(text: str, needle: str) -> tuple[int, int]:
    s = text.index(needle)
    return s, s + len(needle)


def _covers(f: Flag, text: str, kind: str, needle: str) -> bool:
    """A flag of `kind` lying inside the needle's occurrence."""
    s, e = _span(text, needle)
    return f.kind == kind and s <= f.start and f.end <= e


def _touches(f: Flag, text: str, needle: str) -> bool:
    s, e = _span(text, needle)
    return f.start < e and s < f.end


@pytest.mark.parametrize("pair", ARTICLES, ids=[p.name for p in ARTICLES])
def test_planted_garbles_flagged_exactly_and_nothing_else(pair: Pair) -> None:
    for _, needle in pair.hits:
        assert pair.mt.count(needle) == 1, needle
    for needle in pair.lookalikes:
        assert pair.mt.count(needle) == 1, needle
    res = check_articles(article_from_text(pair.mt, id=pair.name), article_from_text(pair.ref, id="ref"))
    for f in res.flags:
        assert f.text == pair.mt[f.start : f.end]
    expected = [(k, n) for k, n in pair.hits if (pair.name, k, n) not in KNOWN_MISSES]
    for kind, needle in expected:
        assert any(_covers(f, pair.mt, kind, needle) for f in res.flags), (kind, needle, res.flags)
    unexpected = [
        (f.kind, f.text) for f in res.flags if not any(_covers(f, pair.mt, k, n) for k, n in expected)
    ]
    assert unexpected == []
    for needle in pair.lookalikes:
        assert not any(_touches(f, pair.mt, needle) for f in res.flags), needle


@pytest.mark.parametrize("pair", ARTICLES, ids=[p.name for p in ARTICLES])
def test_references_alone_are_clean(pair: Pair) -> None:
    res = check_articles(article_from_text(pair.ref, id="ref"))
    assert [(f.kind, f.text) for f in res.flags] == []


def test_cli_json_gives_the_api_flags(tmp_path: Path) -> None:
    pair = next(p for p in ARTICLES if p.name == "markup_es")
    mt, ref = tmp_path / "mt.txt", tmp_path / "ref.txt"
    mt.write_text(pair.mt, encoding="utf-8")
    ref.write_text(pair.ref, encoding="utf-8")
    out = CliRunner().invoke(app, ["check", str(mt), "--ref", str(ref), "--format", "json"])
    assert out.exit_code == 0, out.output
    flags = json.loads(out.stdout)["flags"]
    api = check_articles(article_from_text(pair.mt, id="mt"), article_from_text(pair.ref, id="ref"))
    assert [(f["start"], f["end"], f["kind"], f["text"]) for f in flags] == [
        (f.start, f.end, f.kind, f.text) for f in api.flags
    ]
    assert {f["kind"] for f in flags} == {"markup"}


_MT = (
    "Officials said on Tuesday that the the meeting in Beijing was useful。\n"
    "Reuters reported that KerryTreasury officials met on Tuesday (in Paris.\n"
    "The government said 120 people were hurt.\n"
)
_REF = (
    "Officials said on Tuesday the meeting in Beijing was useful.\n"
    "Kerry and Treasury officials met on Tuesday in Paris, Reuters reported.\n"
    "The government said 150 people were hurt.\n"
)
_KINDS = ["repeated_words", "foreign_script", "merged_tokens", "unbalanced", "number_mismatch"]
_VARIANTS = {
    "crlf": lambda s: s.replace("\n", "\r\n"),
    "cr": lambda s: s.replace("\n", "\r"),
    "tabs": lambda s: s.replace(" said", "\tsaid"),
    "emoji": lambda s: "\U0001f680\U0001f1fa\U0001f1f8 " + s.replace("useful", "useful \U0001f600"),
    "combining": lambda s: "Cafe\u0301 owners said. " + s.replace("Beijing", "Bei\u0301jing"),
    "zero_width": lambda s: s.replace("the the", "the\u200b the").replace("Officials", "\u200bOfficials"),
    "nbsp": lambda s: s.replace("120 people", "120\u00a0people").replace("the the", "the\u00a0the"),
    "bom": lambda s: "\ufeff" + s,
}


@pytest.mark.parametrize("name", sorted(_VARIANTS))
def test_offsets_survive_awkward_characters(name: str) -> None:
    mt = _VARIANTS[name](_MT)
    res = check_articles(article_from_text(mt, id="mt"), article_from_text(_REF, id="ref"))
    assert res.mt.text == mt
    assert sorted(f.kind for f in res.flags) == sorted(_KINDS)
    for f in res.flags:
        assert f.text == mt[f.start : f.end]
    assert any(f.kind == "repeated_words" and f.text.startswith("the") for f in res.flags)


def test_crlf_file_offsets_through_the_cli(tmp_path: Path) -> None:
    mt, ref = tmp_path / "mt.txt", tmp_path / "ref.txt"
    mt.write_bytes(_MT.replace("\n", "\r\n").encode("utf-8"))
    ref.write_text(_REF, encoding="utf-8")
    out = CliRunner().invoke(app, ["check", str(mt), "--ref", str(ref), "--format", "json"])
    raw = mt.read_bytes().decode("utf-8")
    flags = json.loads(out.stdout)["flags"]
    assert sorted(f["kind"] for f in flags) == sorted(_KINDS)
    for f in flags:
        assert f["text"] == raw[f["start"] : f["end"]]


@pytest.mark.parametrize("mt", ["", "  \n\n", "\u200b", "\U0001f680"])
def test_an_mt_without_sentences_gets_no_flag_and_no_crash(mt: str) -> None:
    res = check_articles(article_from_text(mt, id="mt"), article_from_text(_REF, id="ref"))
    assert res.flags == [] and res.mt.sentences == []
    assert res.verdict in ("accept", "review", "reject")


def test_an_mt_equal_to_its_reference_is_clean_and_scores_perfectly() -> None:
    res = check_articles(article_from_text(_REF, id="mt"), article_from_text(_REF, id="ref"))
    scores = res.scores.to_json()
    assert res.flags == [] and res.verdict == "accept"
    assert scores["chrf"] == 100.0 and scores["ter"] == 0.0 and scores["aligned_share"] == 1.0
