"""`dedup scan` through the CLI: JSON/JSONL output, exit codes, index refusal, stdout discipline."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.cli import app
from tests.conftest import SEED_EN, SEED_MT
from tests.near.corpus import article, copy_of, templated

runner = CliRunner()


def _write(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    base = article(7)
    (folder / "orig.txt").write_text(base, encoding="utf-8")
    (folder / "copy.txt").write_text(copy_of(base, 1), encoding="utf-8")
    (folder / "tmpl.txt").write_text(templated(base, 2), encoding="utf-8")
    (folder / "other.txt").write_text(article(8), encoding="utf-8")
    return folder


def test_scan_json(tmp_path: Path) -> None:
    res = runner.invoke(app, ["scan", str(_write(tmp_path / "in")), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["schema"] == "dedup.scan/1"
    assert [c["members"] for c in out["clusters"]] == [["copy", "orig"]]
    assert out["clusters"][0]["id"] == "copy" and out["clusters"][0]["level"] == "copy"
    assert [d["id"] for d in out["documents"]] == ["copy", "orig", "other", "tmpl"]


def test_scan_jsonl_and_table(tmp_path: Path) -> None:
    folder = _write(tmp_path / "in")
    res = runner.invoke(app, ["scan", str(folder), "-f", "jsonl"])
    assert res.exit_code == 0
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    by_id = {r["id"]: r for r in rows}
    assert by_id["orig"]["copy_cluster"] == "copy" and by_id["tmpl"]["copy_cluster"] is None
    assert by_id["copy"]["duplicate_of"] == "orig" or by_id["orig"]["duplicate_of"] == "copy"
    table = runner.invoke(app, ["scan", str(folder)])
    assert "[copy] copy" in table.stdout and "1 copy cluster" in table.stdout


def test_scan_seeds_no_copy_pair() -> None:
    res = runner.invoke(app, ["scan", str(SEED_EN), str(SEED_MT), "-f", "json", "--level", "copy"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["clusters"] == []


def test_index_incremental_and_mismatch(tmp_path: Path) -> None:
    base = article(9)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "first.txt").write_text(base, encoding="utf-8")
    (tmp_path / "b" / "second.txt").write_text(copy_of(base, 3), encoding="utf-8")
    db = tmp_path / "idx.sqlite"
    assert runner.invoke(app, ["scan", str(tmp_path / "a"), "--index", str(db)]).exit_code == 0
    res = runner.invoke(app, ["scan", str(tmp_path / "b"), "--index", f"sqlite://{db}", "-f", "json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["clusters"][0]["members"] == ["first", "second"]
    bad = runner.invoke(app, ["scan", str(tmp_path / "b"), "--index", str(db), "--threshold", "0.8"])
    assert bad.exit_code == 2
    assert "verify_threshold" in bad.stderr and bad.stdout == ""


def test_bad_input_reported_exit_2(tmp_path: Path) -> None:
    folder = _write(tmp_path / "in")
    (folder / "broken.txt").write_bytes(b"\x00\x00binary")
    res = runner.invoke(app, ["scan", str(folder), "-f", "jsonl"])
    assert res.exit_code == 2
    rows = {r["id"]: r for r in map(json.loads, res.stdout.splitlines())}
    assert "broken" in rows and "binary" in rows["broken"]["error"]
    assert len(rows) == 5


def test_invalid_threshold_is_usage_error(tmp_path: Path) -> None:
    folder = str(_write(tmp_path / "in"))
    for bad in ("copy=2", "copy=0.5,copy=0.6", "abc", "-0.1", "story=x"):
        res = runner.invoke(app, ["scan", folder, "--threshold", bad])
        assert res.exit_code == 2 and "invalid --threshold" in res.stderr, bad


def test_story_unavailable_is_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dedup.near.story", None)
    res = runner.invoke(app, ["scan", str(_write(tmp_path / "in")), "--level", "both"])
    assert res.exit_code == 3
    assert "story level is not available" in res.stderr and res.stdout == ""


def test_determinism_byte_identical(tmp_path: Path) -> None:
    folder = _write(tmp_path / "in")
    one = runner.invoke(app, ["scan", str(folder), "-f", "json"]).stdout
    two = runner.invoke(app, ["scan", str(folder), "-f", "json"]).stdout
    assert one == two and one
