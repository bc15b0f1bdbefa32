"""The gate checks a record against the texts it brought: `ref` (an English report of the same
story) and `src` (the article before translation), as `dedup check --ref/--src` does. Fixtures
written here."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dedup.cli import app
from dedup.gate import GateParams, check_article, gate
from dedup.load import load_articles
from dedup.model import Article

MT = (
    "Ferries stopped on Monday, the Oslo Post reported. The strike by port workers entered its third "
    "day as talks with the ferry operators failed. Unions said 400 workers joined the walkout."
)
REF = (
    "Ferries stopped on Monday, the Oslo Post reported. The port workers' strike is in its third day "
    "after talks with the ferry operators broke down. Unions said 450 workers had joined the walkout."
)
SRC = (
    "Die Fähren standen am Montag still, berichtete die Oslo Post. Der Streik der Hafenarbeiter ging "
    "in den dritten Tag. Die Gewerkschaften sagten, 400 Arbeiter hätten sich angeschlossen."
)
SWAPPED = MT.replace("Oslo Post", "Bergen Post", 1)


def test_reference_families_run_only_with_a_reference() -> None:
    alone = check_article(Article(id="a", text=MT))
    assert alone.verdict == "accept" and alone.flags == {}
    against = check_article(Article(id="a", text=MT, ref=REF))
    assert against.flags == {"number_mismatch": 1}
    (span,) = against.spans
    assert MT[span["start"] : span["end"]] == "400"  # an offset into the record's own text
    swapped = check_article(Article(id="b", text=SWAPPED, ref=REF))
    assert "entity_swap" in swapped.flags
    assert [SWAPPED[s["start"] : s["end"]] for s in swapped.spans if s["kind"] == "entity_swap"] == [
        "Bergen Post"
    ]


def test_the_source_settles_a_figure_the_reference_gives_otherwise() -> None:
    both = check_article(Article(id="a", text=MT, ref=REF, src=SRC))
    assert "number_mismatch" not in both.flags  # the source says 400, as the MT does


def test_gate_holds_what_its_reference_shows_garbled(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "with-ref", "text": SWAPPED, "ref": REF},
        {"id": "alone", "text": SWAPPED + " Talks resume on Friday."},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    decisions = {d.id: d for d in gate(load_articles([str(src)]).articles, params=GateParams())}
    assert decisions["with-ref"].decision in ("review", "reject") and decisions["with-ref"].step == "check"
    assert decisions["alone"].decision == "ingest"  # nothing to compare with: the text alone is clean
    # the reference is not part of the article: it is neither stored nor echoed in the decision
    line = json.dumps(decisions["with-ref"].to_json())
    assert "450 workers" not in line


def test_check_takes_a_records_reference_unless_one_is_named(tmp_path: Path) -> None:
    rec = tmp_path / "one.jsonl"
    rec.write_text(json.dumps({"id": "m", "text": SWAPPED, "ref": REF}) + "\n", encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(app, ["check", str(rec), "--format", "json"])
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["ref"]["id"] == "m (ref)" and "entity_swap" in {f["kind"] for f in doc["flags"]}
    other = tmp_path / "other.txt"
    other.write_text(SWAPPED, encoding="utf-8")  # named with --ref: it wins over the record's own
    doc = json.loads(runner.invoke(app, ["check", str(rec), "--ref", str(other), "--format", "json"]).stdout)
    assert doc["ref"]["id"] == "other" and doc["flags"] == []
