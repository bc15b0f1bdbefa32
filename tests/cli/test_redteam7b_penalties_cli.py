"""Red-team (session 7, helper b) of the verdict thresholds of `gate` and `check`.

Found: `--reject-penalty inf` was taken, then the JSON output died on it (a traceback; the gate had
stored its articles already, with no output written); `gate --reject-penalty 0.5` alone was refused
(the review default is above it) where `check` takes it as a strict gate, as the README says."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.cli import app
from dedup.gate import GateParams

runner = CliRunner()
TEXT = "The mayor opened the new bridge on Monday. It cost 7 million dollars to build and took two years."


def _input(tmp_path: Path) -> str:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": TEXT}) + "\n", encoding="utf-8")
    return str(src)


def test_a_lone_reject_threshold_below_the_review_default_is_a_strict_gate_as_in_check(
    tmp_path: Path,
) -> None:
    src = _input(tmp_path)
    res = runner.invoke(app, ["gate", src, "--reject-penalty", "0.5", "--jobs", "0", "-f", "json"])
    assert res.exit_code in (0, 1), res.stderr
    assert json.loads(res.stdout)["params"]["reject_penalty"] == 0.5
    assert GateParams(reject_penalty=0.5).policy().reject_penalty == 0.5
    assert GateParams(review_penalty=6.0).policy().review_penalty == 6.0
    with pytest.raises(ValueError, match="review comes first"):
        GateParams(review_penalty=9.0, reject_penalty=2.0)  # both given, in the wrong order


@pytest.mark.parametrize("value", [math.inf, math.nan])
def test_a_threshold_that_is_not_finite_is_refused_by_gate_params(value: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        GateParams(reject_penalty=value)


@pytest.mark.parametrize("command", ["gate", "check"])
def test_an_infinite_threshold_is_an_input_error_before_anything_is_stored(
    tmp_path: Path, command: str
) -> None:
    src = _input(tmp_path)
    db = tmp_path / "idx.sqlite"
    args = [command, src, "--reject-penalty", "inf", "-f", "json"]
    if command == "gate":
        args += ["--index", str(db), "--jobs", "0"]
    res = runner.invoke(app, args)
    assert res.exit_code == 2, (res.stdout, res.exception)
    assert "finite" in res.stderr and res.stdout == ""
    assert not db.exists()
