"""`dedup check` through the CLI: JSON schema, table view, gating exit codes, input errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.cli import app

runner = CliRunner()

MT = (
    "Flood waters reached the old town on Monday, the Harbour Times reported.\n\n"
    "Mayor Lena Ostrova said 300 homes were damaged. The the bridge stayed closed.\n\n"
    "Ostrowa said repairs would take two weeks.\n"
)
REF = (
    "Flood waters reached the old town on Monday, the Harbour Times reported.\n\n"
    "Mayor Lena Ostrova said 300 homes were damaged, and the bridge stayed closed.\n\n"
    "Ostrova said repairs would take two weeks.\n"
)


def _files(tmp_path: Path) -> tuple[str, str]:
    mt, ref = tmp_path / "mt.txt", tmp_path / "ref.txt"
    mt.write_text(MT, encoding="utf-8")
    ref.write_text(REF, encoding="utf-8")
    return str(mt), str(ref)


def test_json_output(tmp_path: Path) -> None:
    mt, ref = _files(tmp_path)
    res = runner.invoke(app, ["check", mt, "--ref", ref, "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["schema"] == "dedup.check/1" and out["mt"]["id"] == "mt" and out["ref"]["id"] == "ref"
    assert {f["kind"] for f in out["flags"]} >= {"name_variants", "repeated_words"}
    for f in out["flags"]:
        assert f["text"] == MT[f["start"] : f["end"]]


def test_table_output_and_fail_on(tmp_path: Path) -> None:
    mt, ref = _files(tmp_path)
    res = runner.invoke(app, ["check", mt, "--ref", ref])
    assert res.exit_code == 0
    assert "name_variants" in res.stdout and "'Ostrowa'" in res.stdout and "verdict:" in res.stdout
    assert "chrf signature: nrefs:1" in res.stdout
    verdict = res.stdout.split("verdict: ")[1].split()[0]
    gated = runner.invoke(app, ["check", mt, "--ref", ref, "--fail-on", "review"])
    assert gated.exit_code == (1 if verdict in ("review", "reject") else 0)
    clean = tmp_path / "clean.txt"
    clean.write_text(REF, encoding="utf-8")
    ok = runner.invoke(app, ["check", str(clean), "--ref", ref, "--fail-on", "review"])
    assert ok.exit_code == 0 and "verdict: accept" in ok.stdout


def test_disable_and_list(tmp_path: Path) -> None:
    mt, ref = _files(tmp_path)
    res = runner.invoke(app, ["check", mt, "--ref", ref, "-f", "json", "--disable", "name_variants"])
    assert res.exit_code == 0
    assert "name_variants" not in {f["kind"] for f in json.loads(res.stdout)["flags"]}
    bad = runner.invoke(app, ["check", mt, "--disable", "nope"])
    assert bad.exit_code == 2 and "unknown detector" in bad.stderr
    listing = runner.invoke(app, ["check", "--list-detectors", "-f", "json"])
    names = {d["name"] for d in json.loads(listing.stdout)["detectors"]}
    assert {"name_variants", "entity_swap", "number_mismatch", "rare_collocation"} <= names


def test_input_errors_exit_2(tmp_path: Path) -> None:
    mt, _ = _files(tmp_path)
    missing = runner.invoke(app, ["check", mt, "--ref", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert runner.invoke(app, ["check", str(binary)]).exit_code == 2
    assert runner.invoke(app, ["check"]).exit_code == 2


def test_thresholds_from_the_command_line(tmp_path: Path) -> None:
    mt, ref = _files(tmp_path)
    strict = runner.invoke(app, ["check", mt, "--ref", ref, "-f", "json", "--reject-penalty", "0.01"])
    out = json.loads(strict.stdout)
    assert out["verdict"] == "reject" and out["params"]["verdict_policy"]["reject_penalty"] == 0.01
    lenient = runner.invoke(
        app,
        [
            "check",
            mt,
            "-f",
            "json",
            "--review-penalty",
            "1000",
            "--reject-penalty",
            "1000",
            "--disable",
            "name_variants",
        ],
    )
    assert json.loads(lenient.stdout)["verdict"] == "accept"


def test_repeated_ref(tmp_path: Path) -> None:
    mt, ref = _files(tmp_path)
    other = tmp_path / "other.txt"
    other.write_text(REF.replace("Ostrova said repairs", "Ostrowa said repairs"), encoding="utf-8")
    one = runner.invoke(app, ["check", mt, "--ref", ref, "-f", "json"])
    two = runner.invoke(app, ["check", mt, "--ref", ref, "--ref", str(other), "-f", "json"])
    assert one.exit_code == 0 and two.exit_code == 0, two.output
    out1, out2 = json.loads(one.stdout), json.loads(two.stdout)
    assert "refs" not in out1 and [r["id"] for r in out2["refs"]] == ["ref", "other"]
    assert out2["ref"] == out1["ref"]
    # The second report spells the name as the MT's later occurrence: no reference-based flag on it.
    assert "Ostrowa" in {f["text"] for f in out1["flags"] if f["kind"] == "name_variants"}
    assert "Ostrowa" not in {f["text"] for f in out2["flags"] if f["kind"] == "name_variants"}
    table = runner.invoke(app, ["check", mt, "-r", ref, "-r", str(other)])
    assert "REF ref, other" in table.stdout and "chrf signature: nrefs:2" in table.stdout


@pytest.mark.parametrize("position", ["first", "second"])
def test_repeated_ref_with_a_missing_file_exits_2_naming_it(tmp_path: Path, position: str) -> None:
    mt, ref = _files(tmp_path)
    missing = str(tmp_path / "nowhere.txt")
    refs = [missing, ref] if position == "first" else [ref, missing]
    res = runner.invoke(app, ["check", mt, "--ref", refs[0], "--ref", refs[1], "-f", "json"])
    assert res.exit_code == 2
    assert res.stdout == ""  # no half result on stdout
    assert "reference" in res.stderr and "nowhere.txt" in res.stderr


def test_source_clears_a_figure_the_reference_got_wrong(tmp_path: Path) -> None:
    mt, ref = _files(tmp_path)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(REF.replace("300 homes", "3,000 homes"), encoding="utf-8")
    src = tmp_path / "src.txt"
    src.write_text("周一洪水涌入老城。市长奥斯特罗娃说，300所房屋受损，大桥仍然关闭。\n", encoding="utf-8")
    without = json.loads(runner.invoke(app, ["check", mt, "--ref", str(wrong), "-f", "json"]).stdout)
    res = runner.invoke(app, ["check", mt, "--ref", str(wrong), "--src", str(src), "-f", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert "300" in {f["text"] for f in without["flags"] if f["kind"] == "number_mismatch"}
    assert not [f for f in out["flags"] if f["kind"] == "number_mismatch"]
    assert out["src"]["id"] == "src" and "src" not in without
    assert {f["text"] for f in out["flags"]} == {f["text"] for f in without["flags"]} - {"300"}
    table = runner.invoke(app, ["check", mt, "--ref", str(wrong), "--src", str(src)])
    assert "SRC src" in table.stdout
    missing = runner.invoke(app, ["check", mt, "--ref", ref, "--src", str(tmp_path / "none.txt")])
    assert missing.exit_code == 2 and "source" in missing.stderr
