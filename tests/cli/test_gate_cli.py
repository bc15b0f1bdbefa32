"""`dedup gate` through the CLI: the `update` decision in every format, exit codes, the summary."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dedup.cli import app
from tests.near.corpus import article, copy_of

runner = CliRunner()


def _jsonl(path: Path, *rows: tuple[str, str]) -> str:
    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows), encoding="utf-8")
    return str(path)


def test_an_update_goes_in_and_is_printed(tmp_path: Path) -> None:
    db = str(tmp_path / "idx.sqlite")
    first = _jsonl(tmp_path / "1.jsonl", ("a", article(301)), ("b", article(302)))
    assert runner.invoke(app, ["gate", first, "--index", db, "--no-check"]).exit_code == 0
    # Only an update: everything went in, so exit code 0.
    resend = _jsonl(tmp_path / "2.jsonl", ("a", article(303)))
    res = runner.invoke(app, ["-v", "gate", resend, "--index", db, "--no-check"])
    assert res.exit_code == 0, res.stderr
    (row,) = [json.loads(line) for line in res.stdout.splitlines()]
    assert (row["decision"], row["ingest"], row["duplicate_of"]) == ("update", True, None)
    assert len(row["fingerprint"]) == 16 and row["previous_fingerprint"] != row["fingerprint"]
    assert "gate: ingest 0, update 1, duplicate 0" in res.stderr
    # Table view: the same id again is a duplicate now, a copy of the update's text too; exit 1.
    again = _jsonl(tmp_path / "3.jsonl", ("a", article(303)), ("c", copy_of(article(303), 1)))
    res = runner.invoke(app, ["gate", again, "--index", db, "--no-check", "--format", "table"])
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    assert lines[0].split()[:2] == ["duplicate", "a"] and "same id, same text" in lines[0]
    assert lines[1].split()[:2] == ["duplicate", "c"] and "copy of a" in lines[1]


def test_json_summary_lists_every_decision(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "in.jsonl", ("a", article(304)))
    res = runner.invoke(app, ["gate", src, "--no-check", "--format", "json"])
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    assert doc["schema"] == "dedup.gate/2"
    assert list(doc["summary"]) == ["ingest", "update", "duplicate", "review", "reject", "error"]
