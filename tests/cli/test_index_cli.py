"""`dedup index info|show|forget` through the CLI: formats, ids from a file, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dedup.cli import app
from dedup.near.index import open_index
from tests.near.corpus import article, copy_of

runner = CliRunner()


def _filled(tmp_path: Path) -> str:
    db = str(tmp_path / "idx.sqlite")
    src = tmp_path / "in.jsonl"
    rows = [("a", article(501)), ("b", article(502)), ("c", article(503))]
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows), encoding="utf-8")
    assert runner.invoke(app, ["gate", str(src), "--index", db, "--no-check"]).exit_code == 0
    return db


def test_info_as_table_and_json(tmp_path: Path) -> None:
    db = _filled(tmp_path)
    res = runner.invoke(app, ["index", "info", db])
    assert res.exit_code == 0, res.stderr
    assert "copy    3 articles" in res.stdout and "datasketch" in res.stdout
    doc = json.loads(runner.invoke(app, ["-f", "json", "index", "info", db]).stdout)
    assert doc["levels"]["copy"]["articles"] == 3 and "story" not in doc["levels"]


def test_show_jsonl_one_row_per_id(tmp_path: Path) -> None:
    db = _filled(tmp_path)
    res = runner.invoke(app, ["index", "show", db, "c", "zz", "--format", "jsonl"])
    assert res.exit_code == 0
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [(r["id"], r["indexed"]) for r in rows] == [("c", True), ("zz", False)]


def test_forget_ids_from_a_file_then_a_copy_goes_in(tmp_path: Path) -> None:
    db = _filled(tmp_path)
    ids = tmp_path / "takedown.txt"
    ids.write_text("a\n\nb\nmissing\n", encoding="utf-8")
    res = runner.invoke(app, ["index", "forget", db, "--ids-from", str(ids), "-f", "json"])
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["forgotten"] == ["a", "b"] and doc["not_found"] == ["missing"]
    assert "1 id(s) not in the index: missing" in res.stderr
    idx = open_index(db)
    assert idx.lookup(["a", "b", "c"]) == {"c": idx.lookup(["c"])["c"]}
    idx.close()
    again = tmp_path / "again.jsonl"
    again.write_text(json.dumps({"id": "a9", "text": copy_of(article(501), 1)}) + "\n", encoding="utf-8")
    res = runner.invoke(app, ["gate", str(again), "--index", db, "--no-check"])
    assert json.loads(res.stdout)["decision"] == "ingest"


def test_exit_codes(tmp_path: Path) -> None:
    db = _filled(tmp_path)
    assert runner.invoke(app, ["index", "forget", db]).exit_code == 2  # no ids
    res = runner.invoke(app, ["index", "forget", db, "--ids-from", str(tmp_path / "none.txt")])
    assert res.exit_code == 2 and "cannot read the ids" in res.stderr
    for wait in ("-1", "nan"):
        assert runner.invoke(app, ["index", "forget", db, "a", "--lock-wait", wait]).exit_code == 2
    res = runner.invoke(app, ["index", "info", str(tmp_path / "typo.sqlite")])
    assert res.exit_code == 2 and "does not exist" in res.stderr
    assert not (tmp_path / "typo.sqlite").exists()
    not_index = tmp_path / "notes.txt"
    not_index.write_text("not a database at all, just some words\n" * 50, encoding="utf-8")
    assert runner.invoke(app, ["index", "show", str(not_index), "a"]).exit_code == 2
    holder = open_index(db)
    with holder.exclusive():
        res = runner.invoke(app, ["index", "forget", db, "c", "--lock-wait", "0.1"])
    holder.close()
    assert res.exit_code == 3 and "lock" in res.stderr
