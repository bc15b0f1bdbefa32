"""Bad input through every command (fifth-session red-team): a clear message on stderr, a
documented exit code, every input accounted for in the output, offsets into the original text, no
traceback when stdout goes away, the same bytes under any hash seed."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.cli import app

runner = CliRunner()
EXE = Path(sys.executable).parent / "dedup"

MT = (
    "Flood waters rise in the northern valley\r\n\r\n"
    "Heavy rain flooded the valley on Tuesday night. Rescue teams evacuated 200 people, officials said.\r\n"
    "Advertisement\r\n"
    "The weather service warned of more storms on Wednesday. Farmers said the damage would take "
    "months to assess.\r\n"
)
REF = (
    "Floods hit northern valley\n\n"
    "Heavy rain flooded the northern valley late on Tuesday, and rescue teams evacuated 200 people.\n"
    "Forecasters warned of further storms on Wednesday. Farmers expect months of work on the damage.\n"
)


def _inputs(folder: Path) -> dict[str, str]:
    """Good and bad inputs of every kind; the value is what the error must say ('' for a good one)."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple[bytes, str]] = {
        "good.txt": (MT.encode(), ""),
        "cr.txt": (REF.replace("\n", "\r").encode(), ""),
        "u16.txt": (REF.encode("utf-16"), "UTF-16"),
        "gz.txt": (gzip.compress(REF.encode()), "gzip"),
        "latin.txt": ("Café society met on Monday.".encode("latin-1"), "invalid UTF-8 at byte 3"),
        "rows.jsonl": (
            "\n".join(
                [
                    json.dumps({"id": "j1", "text": "Talks resumed in Geneva on Monday. Both sides spoke."}),
                    "",
                    r'{"id": "sur", "text": "Talks \ud800 in Geneva."}',
                    json.dumps({"id": 7, "text": "Markets rose on Friday after the central bank spoke."}),
                    json.dumps([1, 2]),
                    json.dumps({"id": "j1", "text": "A repeat of the first id."}),
                ]
            ).encode(),  # no final newline
            "",
        ),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return {name: why for name, (_, why) in files.items()}


EXPECTED_ERRORS = {
    "u16.txt": "UTF-16",
    "gz.txt": "gzip",
    "latin.txt": "invalid UTF-8 at byte 3",
    "rows.jsonl:3": "lone surrogate",
    "rows.jsonl:5": "got an array",
    "rows.jsonl:6": "duplicate id 'j1'",
}
GOOD_IDS = {"cr", "good", "j1", "7"}


def _origin_key(origin: str) -> str:
    return origin.rsplit("/", 1)[-1]


@pytest.mark.parametrize("command", ["inspect", "scan", "gate"])
def test_every_input_is_accounted_for_with_its_reason(tmp_path: Path, command: str) -> None:
    _inputs(tmp_path / "in")
    args = [command, str(tmp_path / "in"), "-f", "jsonl"] + (["--no-check"] if command == "gate" else [])
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    if command == "inspect":
        good = {r["id"] for r in rows if "error" not in r}
        errors = {_origin_key(r["error"]["origin"]): r["error"]["message"] for r in rows if "error" in r}
    elif command == "scan":
        good = {r["id"] for r in rows if "error" not in r}
        errors = {_origin_key(r["origin"]): r["error"] for r in rows if "error" in r}
    else:
        good = {r["id"] for r in rows if r["decision"] != "error"}
        errors = {_origin_key(r["origin"]): "; ".join(r["reasons"]) for r in rows if r["decision"] == "error"}
    assert good == GOOD_IDS
    assert set(errors) == set(EXPECTED_ERRORS)
    for key, why in EXPECTED_ERRORS.items():
        assert why in errors[key], (key, errors[key])
        assert f"{key}" in res.stderr  # each bad input is named on stderr too (gate included)
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize("command", ["align", "check"])
@pytest.mark.parametrize("bad", ["u16.txt", "gz.txt", "latin.txt"])
def test_pair_commands_refuse_a_bad_article_with_exit_2(tmp_path: Path, command: str, bad: str) -> None:
    expect = _inputs(tmp_path)[bad]
    for mt, ref in ((tmp_path / bad, tmp_path / "good.txt"), (tmp_path / "good.txt", tmp_path / bad)):
        res = runner.invoke(app, [command, str(mt), "--ref", str(ref), "-f", "json"])
        assert res.exit_code == 2 and res.stdout == ""
        assert expect in res.stderr and bad in res.stderr


def test_a_lone_surrogate_is_exit_2_not_a_traceback_for_pairs(tmp_path: Path) -> None:
    src = tmp_path / "mt.jsonl"
    src.write_text(r'{"id": "m", "text": "Talks \udc80 in Geneva went on."}' + "\n")
    (tmp_path / "ref.txt").write_text(REF)
    for command in ("align", "check"):
        res = runner.invoke(app, [command, str(src), "--ref", str(tmp_path / "ref.txt")])
        assert res.exit_code == 2 and "lone surrogate" in res.stderr, res.output


def test_stdin_named_twice_is_a_usage_error(tmp_path: Path) -> None:
    row = json.dumps({"id": "m", "text": MT}) + "\n"
    for command in ("align", "check"):
        res = runner.invoke(app, [command, "-", "--ref", "-"], input=row)
        assert res.exit_code == 2 and "stdin (-) can be read only once" in res.stderr


@pytest.mark.parametrize("breaks", ["\r\n", "\r", "\u2028"])
def test_offsets_are_into_the_text_as_read_from_the_file(tmp_path: Path, breaks: str) -> None:
    """A file with CRLF, lone CR or U+2028 line ends: every span of inspect and check names the
    original text (read as bytes, decoded, never newline-translated)."""
    mt_path, ref_path = tmp_path / "mt.txt", tmp_path / "ref.txt"
    mt_path.write_bytes(MT.replace("\r\n", "\n").replace("\n", breaks).encode())
    ref_path.write_bytes(REF.encode())
    text = mt_path.read_bytes().decode("utf-8")
    res = runner.invoke(app, ["inspect", str(mt_path), "-f", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)["documents"][0]
    assert doc["length"] == len(text)
    kinds = [b["kind"] for b in doc["boilerplate"]]
    assert "advertisement" in kinds  # the line-based steps saw the lines
    for s in doc["sentences"]:
        piece = text[s["start"] : s["end"]]
        assert piece == piece.strip() and "Advertisement" not in piece
    res = runner.invoke(app, ["check", str(mt_path), "--ref", str(ref_path), "-f", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    for s in out["mt"]["sentences"]:
        assert text[s["start"] : s["end"]].strip() == text[s["start"] : s["end"]]
    for f in out["flags"]:
        assert text[f["start"] : f["end"]] == f["text"]


def _corpus(path: Path, n: int) -> Path:
    words = "river bridge council budget school harbour festival market railway storm".split()
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = " ".join(f"{words[(i + k) % 10]}{(i * 7 + k) % 97}" for k in range(60)) + "."
            fh.write(json.dumps({"id": f"a{i}", "text": text}) + "\n")
    return path


@pytest.mark.parametrize(
    "args",
    [["inspect", "-f", "jsonl"], ["scan", "-f", "json"], ["gate", "--no-check"]],
    ids=["inspect", "scan", "gate"],
)
def test_closed_stdout_is_exit_3_with_one_line_not_a_traceback(tmp_path: Path, args: list[str]) -> None:
    """`dedup ... | head -1`: the reader goes away; no traceback, not click's exit 1 ("findings")."""
    corpus = _corpus(tmp_path / "c.jsonl", 600)
    proc = subprocess.Popen(
        [EXE, *args, str(corpus)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 3, err
    assert "Traceback" not in err and "Exception ignored" not in err
    assert "stdout was closed before the output was complete" in err


def test_report_with_closed_stdout_still_writes_the_file_and_exits_3(tmp_path: Path) -> None:
    """`report` prints only the path it wrote; a reader already gone is said once, not a traceback."""
    corpus = _corpus(tmp_path / "c.jsonl", 30)
    out = tmp_path / "r.html"
    proc = subprocess.Popen(
        [EXE, "report", str(corpus), "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 3, err
    assert "Traceback" not in err and "stdout was closed before the output was complete" in err
    assert out.stat().st_size > 0


def test_output_is_the_same_bytes_under_any_hash_seed(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c.jsonl", 40)
    (tmp_path / "mt.txt").write_text(MT)
    (tmp_path / "ref.txt").write_text(REF)
    runs = {}
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        runs[seed] = [
            subprocess.run([EXE, *cmd], capture_output=True, env=env, cwd=tmp_path).stdout
            for cmd in (
                ["scan", "--level", "both", "-f", "json", str(corpus), "mt.txt", "ref.txt"],
                ["check", "mt.txt", "--ref", "ref.txt", "-f", "json"],
                ["gate", str(corpus), "mt.txt", "--level", "both", "-j", "1"],
            )
        ]
    assert all(runs["0"]) and runs["0"] == runs["4242"]


@pytest.mark.parametrize("command", ["scan", "gate"])
def test_many_bad_lines_are_all_in_the_output_and_counted_on_stderr(tmp_path: Path, command: str) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text("\n".join(["{broken"] * 45 + [json.dumps({"id": "ok", "text": REF})]) + "\n")
    res = runner.invoke(app, [command, str(src)] + (["--no-check"] if command == "gate" else ["-f", "jsonl"]))
    assert res.exit_code == 2
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) == 46
    named = [line for line in res.stderr.splitlines() if "malformed JSON" in line]
    assert len(named) == 20 and "... and 25 more" in res.stderr


def test_tables_show_control_characters_as_escapes(tmp_path: Path) -> None:
    """An ANSI escape or backspace in an article must not act on the terminal a table is read in."""
    mt = tmp_path / "esc.txt"
    mt.write_text(
        "Talks covered \x1b[31mtrade\x1b[0m and\x08 energy in Geneva on Monday. Both sides spoke.\n"
    )
    (tmp_path / "ref.txt").write_text(REF)
    for args in (["inspect", str(mt)], ["align", str(mt), "--ref", str(tmp_path / "ref.txt")]):
        res = runner.invoke(app, args)
        assert res.exit_code == 0, res.output
        assert "\x1b" not in res.stdout and "\x08" not in res.stdout
        assert "\\x1b[31mtrade" in res.stdout
    res = runner.invoke(app, ["inspect", str(mt), "-f", "json"])  # JSON: the text untouched, offsets into it
    assert json.loads(res.stdout)["documents"][0]["length"] == len(mt.read_text())
