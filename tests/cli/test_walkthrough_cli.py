"""Defects a new user met on a walkthrough of the CLI: options that took nonsense values silently,
a table column that slipped, short options that one command had and its siblings lacked, and the
Spark engine printing differently from the local scan."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from dedup.cli import app, spark_cmd
from dedup.cli.common import EXIT_INFRA, EXIT_INPUT, Format

runner = CliRunner()

MT = (
    "Storm damage closed the coastal road on Tuesday, the Bay Ledger reported.\n\n"
    "Officials said the the repairs would cost 40 million dollars.\n\n"
    "Advertisement\n\n"
    "Engineer Mara Quill said the road would reopen in March.\n"
)
REF = (
    "Storm damage closed the coastal road on Tuesday, the Bay Ledger reported.\n\n"
    "Officials said the repairs would cost 40 million dollars.\n\n"
    "Engineer Mara Quill said the road would reopen in March.\n"
)


def _files(tmp_path: Path) -> tuple[str, str]:
    mt, ref = tmp_path / "mt.txt", tmp_path / "ref.txt"
    mt.write_text(MT, encoding="utf-8")
    ref.write_text(REF, encoding="utf-8")
    return str(mt), str(ref)


@pytest.mark.parametrize("command", ["align", "check"])
@pytest.mark.parametrize("value", ["0", "-3"])
def test_max_pairs_below_one_is_a_usage_error(tmp_path: Path, command: str, value: str) -> None:
    # Before: accepted, then "374 sentence pairs ... more than the limit of -3", which reads as a
    # size problem of the articles rather than a typo in the option.
    mt, ref = _files(tmp_path)
    res = runner.invoke(app, [command, mt, "--ref", ref, "--max-pairs", value])
    assert res.exit_code == EXIT_INPUT
    assert "Invalid value for '--max-pairs'" in res.output
    assert "sentence pairs" not in res.output


def test_review_penalty_above_reject_penalty_is_refused(tmp_path: Path) -> None:
    # Before: accepted, and no article could ever be a `review` (it went from accept to reject).
    mt, ref = _files(tmp_path)
    res = runner.invoke(app, ["check", mt, "--ref", ref, "--review-penalty", "10", "--reject-penalty", "2"])
    assert res.exit_code == EXIT_INPUT
    assert "--review-penalty 10 is above --reject-penalty 2" in res.output
    # Equal thresholds are a legitimate choice (a review is then a reject).
    res = runner.invoke(app, ["check", mt, "--ref", ref, "--review-penalty", "3", "--reject-penalty", "3"])
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("option", ["--review-penalty", "--reject-penalty"])
def test_negative_penalty_is_refused(tmp_path: Path, option: str) -> None:
    mt, ref = _files(tmp_path)
    res = runner.invoke(app, ["check", mt, "--ref", ref, option, "-1"])
    assert res.exit_code == EXIT_INPUT
    assert f"Invalid value for '{option}'" in res.output


def test_check_table_columns_stay_aligned_with_long_kind_names(tmp_path: Path) -> None:
    mt, ref = _files(tmp_path)
    res = runner.invoke(app, ["check", mt, "--ref", ref])
    assert res.exit_code == 0, res.output
    rows = [line for line in res.stdout.splitlines() if line.startswith("  ") and " 0." in line]
    kinds = {line.split()[1] for line in rows}
    assert "boilerplate_in_body" in kinds and len(kinds) >= 2, res.stdout  # 19 characters, and a shorter one
    # The severity column starts at the same place on every flag row.
    starts = {max(line.find(" major "), line.find(" minor ")) for line in rows}
    assert len(starts) == 1, res.stdout


def test_report_refuses_negative_jobs(tmp_path: Path) -> None:
    # `gate --jobs -1` is an input error; `report --jobs -1` quietly ran in one process.
    mt, ref = _files(tmp_path)
    res = runner.invoke(app, ["report", mt, ref, "--jobs", "-1", "-o", str(tmp_path / "r.html")])
    assert res.exit_code == EXIT_INPUT
    assert "Invalid value for '--jobs'" in res.output
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("command", ["align", "report"])
def test_ref_has_the_short_option_check_has(tmp_path: Path, command: str) -> None:
    mt, ref = _files(tmp_path)
    out = ["-o", str(tmp_path / "r.html")] if command == "report" else []
    res = runner.invoke(app, [command, mt, "-r", ref, *out])
    assert res.exit_code == 0, res.output
    assert "ref" in res.stdout if command == "align" else (tmp_path / "r.html").exists()


class _FakeSparkResult:
    """What `spark_scan` returns, as far as printing goes (no Spark session needed)."""

    def jsonl_lines(self) -> list[str]:
        return ['{"id": "a"}', '{"id": "b"}']

    def to_scan_result(self) -> None:
        return None


def test_spark_table_escapes_control_characters(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    # The local scan's table shows control characters as escapes; the Spark engine printed them raw,
    # so an ANSI escape in an input's name acted on the terminal.
    import dedup.cli.scan_cmd as scan_cmd

    monkeypatch.setattr(scan_cmd, "render_table", lambda result: "not sketched:\n  bad\x1b[2Jname\n")
    spark_cmd._emit(None, Format.table, _FakeSparkResult())  # type: ignore[arg-type]
    out = capsys.readouterr().out
    assert "\x1b" not in out and "bad\\x1b[2Jname" in out


class _ClosedPipe(io.StringIO):
    def write(self, s: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_spark_output_to_a_closed_pipe_exits_3(monkeypatch: pytest.MonkeyPatch) -> None:
    # `dedup scan --engine spark ... | head -1`: exit 3 with one line on stderr, as the local scan does,
    # instead of a BrokenPipeError traceback.
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    with pytest.raises(typer.Exit) as exc:
        spark_cmd._emit(None, Format.jsonl, _FakeSparkResult())  # type: ignore[arg-type]
    assert exc.value.exit_code == EXIT_INFRA


def test_a_bare_threshold_applies_to_every_level_and_the_help_says_so(tmp_path: Path) -> None:
    # `--level both -t 0.6`, meant for copies, also raised the story threshold from 0.2 to 0.6 and
    # emptied the story clusters; the help said only "a number".
    mt, ref = _files(tmp_path)
    res = runner.invoke(app, ["scan", mt, ref, "--level", "both", "-t", "0.45", "--format", "json"])
    assert res.exit_code == 0, res.output
    levels = json.loads(res.stdout)["params"]["levels"]
    assert levels["copy"]["verify_threshold"] == levels["story"]["verify_threshold"] == 0.45
    help_text = re.sub(r"[│\s]+", " ", runner.invoke(app, ["scan", "--help"]).output)
    assert "one number for every level scanned (with --level both, for both)" in help_text


def test_detector_list_columns_stay_aligned() -> None:
    res = runner.invoke(app, ["check", "--list-detectors"])
    assert res.exit_code == 0, res.output
    rows = res.stdout.splitlines()
    assert any(r.startswith("boilerplate_in_body ") for r in rows) and len(rows) >= 10
    assert len({max(r.find(" major "), r.find(" minor ")) for r in rows}) == 1, res.stdout


def test_pair_report_says_which_corpus_options_it_ignores(tmp_path: Path) -> None:
    # `report MT --ref REF --no-check` used to drop --no-check without a word.
    mt, ref = _files(tmp_path)
    out = str(tmp_path / "r.html")
    res = runner.invoke(app, ["report", mt, "--ref", ref, "--no-check", "-j", "2", "-o", out])
    assert res.exit_code == 0, res.output
    assert "--no-check, --jobs: corpus report options, ignored in a pair report" in res.stderr
    assert res.stdout.strip() == out  # stdout stays the path alone
    quiet = runner.invoke(app, ["report", mt, "--ref", ref, "-o", out])
    assert "ignored" not in quiet.stderr


@pytest.mark.parametrize("command", ["align", "check"])
def test_mt_help_says_stdin_is_jsonl(command: str) -> None:
    # `cat article.txt | dedup check - ...` fails with "malformed JSON"; the help now says what - reads.
    help_text = re.sub(r"[│\s]+", " ", runner.invoke(app, [command, "--help"]).output)
    assert "or - for one JSONL line on stdin" in help_text


def test_mt_from_stdin_as_jsonl(tmp_path: Path) -> None:
    _, ref = _files(tmp_path)
    line = json.dumps({"id": "from-stdin", "text": MT}) + "\n"
    res = runner.invoke(app, ["check", "-", "--ref", ref, "--format", "json"], input=line)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["mt"]["id"] == "from-stdin"
