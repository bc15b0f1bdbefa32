"""`dedup align` through the CLI: JSON schema, offsets, table view, input errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dedup.cli import app
from tests.align.fixtures import MT_SENTENCES, REF_SENTENCES

runner = CliRunner()


def _write(tmp_path: Path) -> tuple[Path, Path]:
    mt = tmp_path / "mt.txt"
    ref = tmp_path / "ref.txt"
    mt.write_text("\n".join(MT_SENTENCES) + "\n", encoding="utf-8")
    ref.write_text("\n".join(REF_SENTENCES) + "\n", encoding="utf-8")
    return mt, ref


def test_align_json_schema(tmp_path: Path) -> None:
    mt, ref = _write(tmp_path)
    res = runner.invoke(
        app, ["align", str(mt), "--ref", str(ref), "--sentences-per-line", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["schema"] == "dedup.align/1"
    assert set(out) == {"schema", "ref", "mt", "links", "unaligned_mt", "unaligned_ref", "params"}
    texts = {"mt": mt.read_text(), "ref": ref.read_text()}
    for side in ("mt", "ref"):
        assert set(out[side]) == {"id", "sentences"}
        got = [texts[side][s["start"] : s["end"]] for s in out[side]["sentences"]]
        assert got == texts[side].splitlines()
    n_mt, n_ref = len(out["mt"]["sentences"]), len(out["ref"]["sentences"])
    for link in out["links"]:
        assert set(link) == {"mt", "ref", "score"}
        assert all(0 <= i < n_mt for i in link["mt"]) and all(0 <= j < n_ref for j in link["ref"])
    assert {"mt": [0], "ref": [4]} in [{"mt": lk["mt"], "ref": lk["ref"]} for lk in out["links"]]
    assert 3 in out["unaligned_mt"] and 3 in out["unaligned_ref"]


def test_align_segments_without_flag(tmp_path: Path) -> None:
    mt, ref = _write(tmp_path)
    mt.write_text(" ".join(MT_SENTENCES) + "\n", encoding="utf-8")  # one paragraph: must be segmented
    res = runner.invoke(app, ["align", str(mt), "--ref", str(ref), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert len(out["mt"]["sentences"]) == len(MT_SENTENCES)


def test_align_table(tmp_path: Path) -> None:
    mt, ref = _write(tmp_path)
    res = runner.invoke(app, ["align", str(mt), "--ref", str(ref), "--sentences-per-line"])
    assert res.exit_code == 0, res.output
    assert "mt[0] -> ref[4]" in res.stdout
    assert "Unmatched MT sentences" in res.stdout and "Local bakers" in res.stdout
    assert "Unmatched REF sentences" in res.stdout and "Snow is forecast" in res.stdout


def test_align_missing_input_is_input_error(tmp_path: Path) -> None:
    _mt, ref = _write(tmp_path)
    res = runner.invoke(app, ["align", str(tmp_path / "nope.txt"), "--ref", str(ref)])
    assert res.exit_code == 2
    assert res.stdout == ""


def test_align_order_option(tmp_path: Path) -> None:
    mt, ref = _write(tmp_path)
    base = ["align", str(mt), "--ref", str(ref), "--sentences-per-line", "--format", "json"]
    for order in ("auto", "free", "monotone"):
        res = runner.invoke(app, [*base, "--order", order])
        assert res.exit_code == 0, res.output
        out = json.loads(res.stdout)
        assert out["params"]["order"] == order
        assert out["params"]["order_used"] in ("free", "monotone")
    assert json.loads(runner.invoke(app, [*base, "--order", "monotone"]).stdout)["params"]["order_used"] == (
        "monotone"
    )
    bad = runner.invoke(app, [*base, "--order", "sideways"])
    assert bad.exit_code == 2


def test_align_json_reference_list_with_a_gap(tmp_path: Path) -> None:
    from tests.align.test_join_apart import MT, REF

    mt, ref = tmp_path / "mt.txt", tmp_path / "ref.txt"
    mt.write_text("\n".join(MT) + "\n", encoding="utf-8")
    ref.write_text("\n".join(REF) + "\n", encoding="utf-8")
    res = runner.invoke(
        app, ["align", str(mt), "--ref", str(ref), "--sentences-per-line", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["schema"] == "dedup.align/1"
    links = [(lk["mt"], lk["ref"]) for lk in out["links"]]
    assert ([0], [0, 3]) in links  # same schema: a sorted index list, here with a gap
    table = runner.invoke(app, ["align", str(mt), "--ref", str(ref), "--sentences-per-line"])
    assert "mt[0] -> ref[0,3]" in table.stdout


def test_a_pair_too_large_to_align_is_a_clear_input_error(tmp_path: Path) -> None:
    """2,100 x 2,100 sentences (4.4 M pairs, over the default limit of 4 M): exit code 2 with the
    sizes and the setting that raises the limit, for align and check alike, before any scoring."""
    mt, ref = tmp_path / "mt.txt", tmp_path / "ref.txt"
    mt.write_text("".join(f"Line {i} of the translation says something.\n" for i in range(2100)))
    ref.write_text("".join(f"Line {i} of the report says something else.\n" for i in range(2100)))
    for args in (
        ["align", str(mt), "--ref", str(ref), "--sentences-per-line"],
        ["check", str(mt), "--ref", str(ref)],
    ):
        res = CliRunner().invoke(app, args)
        assert res.exit_code == 2, args
        assert "2,100 MT sentences x 2,100 reference sentences" in res.stderr and "max_pairs" in res.stderr
        assert "Traceback" not in res.stderr + res.stdout


def test_max_pairs_is_a_setting() -> None:
    import pytest

    from dedup.align import AlignParams, align_texts
    from dedup.model import TooLarge

    with pytest.raises(TooLarge, match="limit of 1 "):
        align_texts(MT_SENTENCES, REF_SENTENCES, AlignParams(max_pairs=1))
    assert align_texts(MT_SENTENCES, REF_SENTENCES, AlignParams(max_pairs=10**6)).links


def test_max_pairs_option(tmp_path: Path) -> None:
    """`--max-pairs` sets the limit from the command line, for align and check."""
    mt, ref = _write(tmp_path)
    n = len(MT_SENTENCES) * len(REF_SENTENCES)
    for cmd in (
        ["align", str(mt), "--ref", str(ref), "--sentences-per-line"],
        ["check", str(mt), "--ref", str(ref)],
    ):
        low = runner.invoke(app, [*cmd, "--max-pairs", "1"])
        assert low.exit_code == 2 and "limit of 1 " in low.stderr, cmd
        ok = runner.invoke(app, [*cmd, "--max-pairs", str(100 * n), "--format", "json"])
        assert ok.exit_code in (0, 1) and json.loads(ok.stdout)["schema"].startswith("dedup."), cmd
