"""Red-team (session 7, helper b) of `dedup index forget --ids-from`: ids as written.

Found: each line was stripped, so an id the gate stored with a leading or trailing space could not
be taken down from a list (it was looked up without them and reported "not found", exit 0), and a
list saved with a byte-order mark missed its first id."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dedup.cli import app
from tests.near.corpus import article

runner = CliRunner()


def test_forget_takes_the_ids_of_a_list_as_written(tmp_path: Path) -> None:
    db = str(tmp_path / "idx.sqlite")
    src = tmp_path / "in.jsonl"
    rows = [(" padded ", article(881)), ("first", article(882)), ("plain", article(883))]
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows), encoding="utf-8")
    assert runner.invoke(app, ["gate", str(src), "--index", db, "--no-check"]).exit_code == 0
    takedown = tmp_path / "takedown.txt"
    takedown.write_bytes("\ufefffirst\r\n padded \r\n\r\n   \nmissing \n".encode())  # Notepad-style
    res = runner.invoke(app, ["index", "forget", db, "--ids-from", str(takedown), "-f", "json"])
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["forgotten"] == ["first", " padded "]
    assert doc["not_found"] == ["missing "]
    assert "'missing '" in res.stderr  # the space is visible in the warning
    shown = json.loads(runner.invoke(app, ["index", "show", db, "plain", " padded ", "-f", "json"]).stdout)
    assert [r["indexed"] for r in shown["ids"]] == [True, False]
