"""Red-team (session 7, helper b) of `dedup gate --dry-run` / `scan --dry-run` through the CLI:
an index of the previous format, an index not created yet, a dry run stopped by SIGTERM."""

from __future__ import annotations

import hashlib
import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from dedup.cli import app
from tests.cli.test_gate_redteam7 import _read_line
from tests.near.corpus import article, copy_of

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def _jsonl(path: Path, rows: list[tuple[str, str]]) -> str:
    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows), encoding="utf-8")
    return str(path)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_dry_runs_on_an_index_not_created_yet_create_no_file(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "in.jsonl", [("a", article(851)), ("b", copy_of(article(851), 1))])
    db = tmp_path / "typo.sqlite"
    gate = runner.invoke(app, ["gate", src, "--index", str(db), "--no-check", "--dry-run"])
    assert gate.exit_code == 1, gate.stderr  # b is a duplicate of a
    assert [json.loads(x)["decision"] for x in gate.stdout.splitlines()] == ["ingest", "duplicate"]
    scan = runner.invoke(app, ["scan", src, "--index", str(db), "--dry-run", "-f", "jsonl"])
    assert scan.exit_code == 0, scan.stderr
    assert not db.exists() and not Path(f"{db}.lock").exists()


def test_a_dry_gate_run_leaves_a_format_3_index_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "idx.sqlite"
    first = _jsonl(tmp_path / "first.jsonl", [("a", article(861)), ("b", article(862))])
    assert (
        runner.invoke(app, ["gate", first, "--index", str(db), "--no-check", "--level", "both"]).exit_code
        == 0
    )
    with sqlite3.connect(db) as con:  # as the previous commit wrote it
        con.execute("UPDATE dedup_meta SET value = '\"dedup.index/3\"' WHERE name = 'format'")
        for name, value in con.execute(
            "SELECT name, value FROM dedup_meta WHERE name LIKE 'level:%'"
        ).fetchall():
            con.execute(
                "UPDATE dedup_meta SET value = ? WHERE name = ?",
                (json.dumps({**json.loads(value), "format": "dedup.index/3"}), name),
            )
        for (t,) in con.execute("SELECT name FROM sqlite_master WHERE name LIKE 'tops_%'").fetchall():
            con.execute(f"DROP TABLE {t}")
    con.close()
    before = _digest(db)
    second = _jsonl(tmp_path / "second.jsonl", [("c", copy_of(article(861), 2)), ("d", article(863))])
    res = runner.invoke(
        app, ["gate", second, "--index", str(db), "--no-check", "--level", "both", "--dry-run"]
    )
    assert res.exit_code == 1, res.stderr
    assert [json.loads(x)["decision"] for x in res.stdout.splitlines()] == ["duplicate", "ingest"]
    assert _digest(db) == before and "migrated" not in res.stderr


def test_a_dry_run_stopped_by_sigterm_says_nothing_was_stored(tmp_path: Path) -> None:
    db = tmp_path / "idx.sqlite"
    assert (
        runner.invoke(
            app,
            ["gate", _jsonl(tmp_path / "a.jsonl", [("a", article(871))]), "--index", str(db), "--no-check"],
        ).exit_code
        == 0
    )
    before = _digest(db)
    cmd = [
        sys.executable,
        "-m",
        "dedup",
        "gate",
        "-",
        "--index",
        str(db),
        "--no-check",
        "--dry-run",
        "-j",
        "1",
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdin is not None
    try:
        proc.stdin.write(json.dumps({"id": "n", "text": article(872)}) + "\n")
        proc.stdin.flush()
        assert json.loads(_read_line(proc, 60))["decision"] == "ingest"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM
    assert "dry run: nothing stored" in err and "already ingested" not in err and "Traceback" not in err
    assert _digest(db) == before
