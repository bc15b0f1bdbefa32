"""`dedup report` through the CLI: writes one HTML file, prints its path, documented exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dedup.cli import app

runner = CliRunner()

MT = (
    "Council approves new budget budget for schools\n\n"
    "The city council approved the budget on Tuesday after a long debate (and a vote. "
    "The mayor said <script>window.__pwned=1</script> the plan was fair.\n"
)
REF = (
    "Council passes schools budget\n\n"
    "The city council passed the budget on Tuesday after a long debate and a vote. "
    "The mayor called the plan fair.\n"
)
COPY_A = (
    "Storm cuts power to thousands\n\n"
    "A winter storm swept across the northern coast on Monday night, cutting power to about 30,000 homes "
    "and closing several roads. Crews worked through the night to restore electricity, the utility said, "
    "and most customers should be reconnected by Wednesday. Schools in three districts stayed closed.\n"
)
COPY_B = (
    COPY_A.replace("Storm cuts power to thousands", "Winter storm leaves thousands in the dark")
    + "\nAdvertisement\n"
)


def _write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


def test_pair_report(tmp_path: Path) -> None:
    mt, ref = _write(tmp_path, "mt.txt", MT), _write(tmp_path, "ref.txt", REF)
    out = tmp_path / "reports" / "pair.html"
    res = runner.invoke(app, ["report", str(mt), "--ref", str(ref), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert res.stdout == f"{out}\n"
    html = out.read_text(encoding="utf-8")
    assert 'id="mt-text"' in html and 'id="ref-text"' in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert 'class="verdict v-' in html and "<svg" in html


def test_single_article_without_reference(tmp_path: Path) -> None:
    mt = _write(tmp_path, "mt.txt", MT)
    out = tmp_path / "one.html"
    res = runner.invoke(app, ["report", str(mt), "-o", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert 'id="mt-text"' in html and 'id="ref-text"' not in html


def test_corpus_report(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, "a.txt", COPY_A)
    _write(folder, "b.txt", COPY_B)
    _write(folder, "c.txt", REF)
    out = tmp_path / "corpus.html"
    res = runner.invoke(app, ["report", str(folder), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert res.stdout == f"{out}\n"
    html = out.read_text(encoding="utf-8")
    assert "3 articles" in html and 'id="doc-table"' in html
    assert html.count('class="doc-row"') == 3
    # the two copies form one copy cluster, diffed against the earliest member
    assert html.count('class="cluster" data-level="copy"') == 1
    assert "<ins>Winter storm leaves thousands in the dark</ins>" in html or "<del>Storm cuts power" in html


def test_input_errors_exit_2(tmp_path: Path) -> None:
    mt = _write(tmp_path, "mt.txt", MT)
    res = runner.invoke(
        app, ["report", str(mt), "--ref", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "x.html")]
    )
    assert res.exit_code == 2
    assert not (tmp_path / "x.html").exists()
    res = runner.invoke(app, ["report", str(mt), str(mt), "--ref", str(mt), "-o", str(tmp_path / "y.html")])
    assert res.exit_code == 2


def test_corpus_report_checks_story_pairs(tmp_path: Path) -> None:
    from tests.conftest import SEED_EN, SEED_MT

    out = tmp_path / "seeds.html"
    res = runner.invoke(app, ["report", str(SEED_EN), str(SEED_MT), "--check-pairs", "-o", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "Checked pairs (1)" in html
    # the machine translation (more flags per word on its own) is checked against the English report
    assert (
        f'<b class="mono">{SEED_MT.stem}</b> <span class="muted">against</span> <b class="mono">{SEED_EN.stem}</b>'
        in html
    )


def test_bad_input_in_a_corpus_is_listed_and_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, "a.txt", COPY_A)
    _write(folder, "b.txt", COPY_B)
    (folder / "bad.txt").write_bytes(b"\xff\xfe\x00\x00" * 4 + b"\x00" * 64)
    out = tmp_path / "corpus.html"
    res = runner.invoke(app, ["report", str(folder), "-o", str(out)])
    assert res.exit_code == 2
    assert res.stdout == f"{out}\n"
    html = out.read_text(encoding="utf-8")
    assert html.count('class="doc-row"') == 2 and "bad.txt" in html.split("<h2>Errors</h2>")[1]


def test_pair_report_with_two_references(tmp_path: Path) -> None:
    """`--ref` repeats: the page is checked against both and names the second one."""
    mt, ref = _write(tmp_path, "mt.txt", MT), _write(tmp_path, "ref.txt", REF)
    second = _write(
        tmp_path,
        "second.txt",
        "Schools budget approved\n\nCouncillors approved the schools budget on Tuesday. The mayor said it was fair.\n",
    )
    out = tmp_path / "two.html"
    res = runner.invoke(app, ["report", str(mt), "--ref", str(ref), "--ref", str(second), "-o", str(out)])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert 'id="other-refs"' in html and "<code>second</code>" in html
    one = tmp_path / "one.html"
    assert runner.invoke(app, ["report", str(mt), "--ref", str(ref), "-o", str(one)]).exit_code == 0
    assert 'id="other-refs"' not in one.read_text(encoding="utf-8")


def test_pair_report_with_the_source(tmp_path: Path) -> None:
    """`--src` reaches the check: a figure the reference got wrong and the source gives is not flagged."""
    mt = _write(tmp_path, "mt.txt", "Floods hit the town.\n\nThe mayor said 300 homes were damaged.\n")
    ref = _write(tmp_path, "ref.txt", "Floods hit the town.\n\nThe mayor said 3,000 homes were damaged.\n")
    src = _write(tmp_path, "src.txt", "洪水袭击了该镇。市长说，300所房屋受损。\n")
    pages = {}
    for name, extra in (("without", []), ("with", ["--src", str(src)])):
        out = tmp_path / f"{name}.html"
        res = runner.invoke(app, ["report", str(mt), "--ref", str(ref), *extra, "-o", str(out)])
        assert res.exit_code == 0, res.output
        pages[name] = out.read_text(encoding="utf-8")
    flag = '"kind":"number_mismatch"'
    assert flag in pages["without"] and flag not in pages["with"]
    alone = runner.invoke(app, ["report", str(mt), "--src", str(src), "-o", str(tmp_path / "x.html")])
    assert alone.exit_code == 2 and "--src goes with --ref" in alone.stderr


def test_a_corpus_report_of_one_bad_input_says_why_in_its_last_line(tmp_path: Path) -> None:
    """Nothing to report: exit 2, no file, and the closing message names the input and its reason
    (a script that keeps only the last line of stderr still knows why)."""
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    out = tmp_path / "r.html"
    res = runner.invoke(app, ["report", str(empty), "-o", str(out)])
    assert res.exit_code == 2
    assert not out.exists()
    last = res.output.strip().splitlines()[-1]
    assert "no article could be loaded" in last and "empty.txt" in last and "empty text" in last


def test_a_record_with_its_own_reference_makes_a_pair_report(tmp_path: Path) -> None:
    rec = _write(tmp_path, "one.jsonl", json.dumps({"id": "m", "text": MT, "ref": REF}) + "\n")
    alone = _write(tmp_path, "alone.jsonl", json.dumps({"id": "m", "text": MT}) + "\n")
    out, out_alone = tmp_path / "rec.html", tmp_path / "alone.html"
    assert runner.invoke(app, ["report", str(rec), "-o", str(out)]).exit_code == 0
    assert runner.invoke(app, ["report", str(alone), "-o", str(out_alone)]).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert 'id="ref-text"' in html and "Council passes schools budget" in html
    assert 'id="ref-text"' not in out_alone.read_text(encoding="utf-8")
