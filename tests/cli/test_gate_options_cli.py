"""`dedup gate --dry-run / --disable / --review-penalty / --reject-penalty` and `scan --dry-run`:
a dry run decides as a real run and leaves the index as it was; the check's switches reach the gate."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from dedup.cli import app
from tests.near.corpus import article, copy_of

runner = CliRunner()


def _jsonl(path: Path, *rows: tuple[str, str]) -> str:
    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows), encoding="utf-8")
    return str(path)


def _dump(path: str) -> list[str]:
    with sqlite3.connect(path) as db:
        return list(db.iterdump())


def _rows(out: str) -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, out.splitlines())}


def test_a_dry_run_decides_as_a_real_run_and_stores_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "idx.sqlite")
    first = _jsonl(tmp_path / "1.jsonl", ("a", article(801)), ("b", article(802)))
    assert runner.invoke(app, ["gate", first, "--index", db, "--no-check"]).exit_code == 0
    before = _dump(db)
    later = _jsonl(
        tmp_path / "2.jsonl", ("c", copy_of(article(801), 1)), ("d", article(803)), ("b", article(804))
    )
    dry = runner.invoke(app, ["gate", later, "--index", db, "--no-check", "--dry-run"])
    assert dry.exit_code == 1, dry.stderr  # the copy is held back
    assert _dump(db) == before
    assert runner.invoke(app, ["index", "show", db, "d", "-f", "jsonl"]).stdout.count('"indexed": false') == 1
    real = runner.invoke(app, ["gate", later, "--index", db, "--no-check"])
    assert _rows(dry.stdout) == _rows(real.stdout)
    assert [r["decision"] for r in _rows(real.stdout).values()] == ["duplicate", "ingest", "update"]
    doc = json.loads(runner.invoke(app, ["gate", later, "--index", db, "--dry-run", "-f", "json"]).stdout)
    assert doc["params"]["dry_run"] is True


def test_scan_dry_run_finds_copies_in_the_index_and_stores_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "idx.sqlite")
    first = _jsonl(tmp_path / "1.jsonl", ("a", article(811)))
    assert runner.invoke(app, ["scan", first, "--index", db]).exit_code == 0
    before = _dump(db)
    later = _jsonl(tmp_path / "2.jsonl", ("c", copy_of(article(811), 2)), ("e", article(812)))
    res = runner.invoke(app, ["scan", later, "--index", db, "--dry-run", "-f", "jsonl"])
    assert res.exit_code == 0, res.stderr
    assert _rows(res.stdout)["c"]["duplicate_of"] == "a"
    assert _dump(db) == before


def test_dry_run_needs_an_index(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "in.jsonl", ("a", article(821)))
    for cmd in (["gate", src, "--dry-run"], ["scan", src, "--dry-run"]):
        res = runner.invoke(app, cmd)
        assert res.exit_code == 2 and "--dry-run goes with --index" in res.stderr


DOUBLED = (
    "The city council met on Tuesday to discuss the the new budget for schools and roads. "
    "Members argued for three hours about teacher salaries, bus routes and repairs to the old library. "
    "The mayor said a final vote would come next month after a public hearing."
)


def test_the_checks_switches_reach_the_gate(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "in.jsonl", ("a", DOUBLED))
    held = runner.invoke(app, ["gate", src, "-f", "json"])
    doc = json.loads(held.stdout)
    (d,) = doc["decisions"]
    assert d["flags"] == {"repeated_words": 1} and d["decision"] == "review"
    off = json.loads(runner.invoke(app, ["gate", src, "--disable", "repeated_words", "-f", "json"]).stdout)
    assert off["decisions"][0]["decision"] == "ingest" and off["params"]["disable"] == ["repeated_words"]
    lenient = runner.invoke(app, ["gate", src, "--review-penalty", "4", "-f", "json"])
    assert json.loads(lenient.stdout)["decisions"][0]["decision"] == "ingest"
    assert json.loads(lenient.stdout)["params"]["review_penalty"] == 4.0
    for bad in (["--disable", "nope"], ["--review-penalty", "9", "--reject-penalty", "2"]):
        assert runner.invoke(app, ["gate", src, *bad]).exit_code == 2


def test_max_pairs_bounds_the_alignment_with_a_records_reference(tmp_path: Path) -> None:
    mt = " ".join(f"Sentence number {k} tells about the port strike." for k in range(12))
    ref = " ".join(f"Line {k} of the other report covers the strike." for k in range(12))
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": mt, "ref": ref}) + "\n", encoding="utf-8")
    small = runner.invoke(app, ["gate", str(src), "--max-pairs", "100", "-f", "json"])
    doc = json.loads(small.stdout)
    (d,) = doc["decisions"]
    assert d["decision"] == "error" and "--max-pairs" in d["reasons"][0]  # 12 x 12 > 100: refused
    assert doc["params"]["max_pairs"] == 100
    enough = json.loads(runner.invoke(app, ["gate", str(src), "--max-pairs", "200", "-f", "json"]).stdout)
    assert enough["decisions"][0]["decision"] != "error"
    assert runner.invoke(app, ["gate", str(src), "--max-pairs", "0"]).exit_code == 2
