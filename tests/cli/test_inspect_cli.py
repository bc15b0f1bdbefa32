"""`dedup inspect` through the real CLI: JSON schema, stdout/stderr discipline, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from dedup.cli import app
from tests.conftest import SEED_EN, SEED_MT

runner = CliRunner()


def test_inspect_json_on_seeds() -> None:
    res = runner.invoke(app, ["inspect", str(SEED_EN), str(SEED_MT), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["schema"] == "dedup.inspect/1"
    assert [d["id"] for d in out["documents"]] == [SEED_EN.stem, SEED_MT.stem]
    texts = {SEED_EN.stem: SEED_EN.read_text(), SEED_MT.stem: SEED_MT.read_text()}
    for d in out["documents"]:
        assert d["lang"] == "en"
        assert set(d) >= {"id", "lang", "sentences", "boilerplate", "metadata", "errors"}
        text = texts[d["id"]]
        for s in d["sentences"]:
            assert set(s) == {"start", "end", "lang"}
            assert text[s["start"] : s["end"]].strip() == text[s["start"] : s["end"]]
        for b in d["boilerplate"]:
            assert b["kind"] in {"advertisement", "also_read", "related", "repeat", "metadata", "promo"}


def test_global_format_option_applies() -> None:
    res = runner.invoke(app, ["--format", "json", "inspect", str(SEED_MT)])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["schema"] == "dedup.inspect/1"


def test_table_view_names_sentences_and_boilerplate() -> None:
    res = runner.invoke(app, ["inspect", str(SEED_EN)])
    assert res.exit_code == 0
    assert "B advertisement" in res.stdout and "B repeat" in res.stdout and "S0 en" in res.stdout


def test_bad_input_reported_others_processed_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    jl = tmp_path / "in.jsonl"
    jl.write_text('{"id": "ok", "text": "A fine sentence about the talks in Geneva."}\n{broken\n')
    res = runner.invoke(app, ["inspect", str(bad), str(jl), "--format", "jsonl"])
    assert res.exit_code == 2
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r.get("id") for r in rows if "error" not in r] == ["ok"]
    errors = [r["error"] for r in rows if "error" in r]
    assert len(errors) == 2
    assert "binary" in errors[0]["message"] and "malformed JSON" in errors[1]["message"]
    assert "input error" in res.stderr


def test_console_script_version_and_stdin() -> None:
    exe = Path(sys.executable).parent / "dedup"
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("dedup ")
    proc = subprocess.run(
        [exe, "inspect", "-", "--format", "json"],
        input='{"id": "s", "text": "Talks resumed in Geneva on Monday. Both sides spoke."}\n',
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)["documents"][0]
    assert doc["id"] == "s" and len(doc["sentences"]) == 2
