"""Red-team of `dedup gate` run as an hourly pre-ingest step (seventh session): a run stopped by a
signal, a stdout that fails, `scan --lock-wait`, an index in a folder that does not exist.

The invariant: every article gets exactly one `ingest: true` across a run and its re-run on the
same input, whatever stopped the first run; decisions of the two runs together are those of one
uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.cli import app
from dedup.near.index import open_index
from tests.near.corpus import article, copy_of

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]


def _corpus(path: Path, n: int) -> Path:
    """n articles, every fifth a copy of the one before it (so copies and their originals are
    split across where a run may stop)."""
    rows = []
    for k in range(n):
        text = copy_of(article(7000 + k - 1), k) if k % 5 == 4 else article(7000 + k)
        rows.append(json.dumps({"id": f"r{k:04d}", "text": text}))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _gate_cmd(src: Path, db: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "dedup",
        "gate",
        str(src),
        "--index",
        str(db),
        "--no-check",
        "-j",
        "1",
        *extra,
    ]


def _run(cmd: list[str]) -> tuple[int, list[dict], str]:
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)
    return res.returncode, [json.loads(x) for x in res.stdout.splitlines()], res.stderr


def _merged(first: list[dict], again: list[dict]) -> dict[str, tuple]:
    """Each id's decision: the first run's when it was written there, else the re-run's."""
    seen = {d["id"]: d for d in first}
    return {d["id"]: _key(seen.get(d["id"], d)) for d in again}


def _key(d: dict) -> tuple:
    return (d["decision"], d["duplicate_of"])


def _blocked(pid: int, limit: float = 20.0) -> None:
    """Wait until the process waits to write to its stdout pipe (or give up after `limit`)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            wchan = Path(f"/proc/{pid}/wchan").read_text()
        except OSError:
            wchan = ""
        if "pipe" in wchan or "select" in wchan or "poll" in wchan:
            return
        time.sleep(0.05)


def test_sigterm_while_decisions_wait_on_a_full_pipe_loses_no_article(tmp_path: Path) -> None:
    # 500 decision lines (~170 KB) do not fit in a pipe (64 KB): the batch is stored and the gate
    # waits to write. Before: SIGTERM ended it there, and the re-run called the ~300 stored,
    # unwritten articles "already ingested": nobody ever ingested them.
    src = _corpus(tmp_path / "in.jsonl", 500)
    code, whole, _ = _run(_gate_cmd(src, tmp_path / "ref.sqlite"))
    assert code == 1 and len(whole) == 500
    db = tmp_path / "idx.sqlite"
    proc = subprocess.Popen(
        _gate_cmd(src, db), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stderr is not None
    head = [proc.stdout.readline() for _ in range(20)]
    _blocked(proc.pid)
    proc.send_signal(signal.SIGTERM)
    rest, err = proc.stdout.read(), proc.stderr.read()
    assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    assert "Traceback" not in err and "stopped by SIGTERM" in err
    lines = "".join(head).splitlines() + rest.splitlines()
    first = [json.loads(x) for x in lines if x.endswith("}")]  # a line cut short is no decision
    assert 20 <= len(first) < 500
    code, again, _ = _run(_gate_cmd(src, db))
    assert len(again) == 500
    ingested_first = {d["id"] for d in first if d["ingest"]}
    ingested_again = {d["id"] for d in again if d["ingest"]}
    assert not ingested_first & ingested_again  # nothing ingested twice
    assert ingested_first | ingested_again == {d["id"] for d in whole if d["ingest"]}  # nothing lost
    assert _merged(first, again) == {d["id"]: _key(d) for d in whole}


def test_stdout_on_a_full_disk_is_exit_3_and_the_rerun_loses_nothing(tmp_path: Path) -> None:
    # Before: a traceback and exit code 1 ("findings"), and every article of the batch stored
    # without a decision written: "already ingested" on the re-run.
    src = _corpus(tmp_path / "in.jsonl", 30)
    code, whole, _ = _run(_gate_cmd(src, tmp_path / "ref.sqlite"))
    db = tmp_path / "idx.sqlite"
    for fmt in ("jsonl", "json", "table"):
        with open("/dev/full", "w") as full:
            res = subprocess.run(
                _gate_cmd(src, db, "-f", fmt), cwd=ROOT, stdout=full, stderr=subprocess.PIPE, text=True
            )
        assert res.returncode == 3, (fmt, res.stderr)
        assert "Traceback" not in res.stderr and "stdout could not be written" in res.stderr
    code, again, _ = _run(_gate_cmd(src, db))
    assert [_key(d) for d in again] == [_key(d) for d in whole]


def test_scan_on_a_full_disk_is_exit_3_without_a_traceback(tmp_path: Path) -> None:
    src = _corpus(tmp_path / "in.jsonl", 3)
    with open("/dev/full", "w") as full:
        res = subprocess.run(
            [sys.executable, "-m", "dedup", "scan", str(src), "-f", "jsonl"],
            cwd=ROOT,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert res.returncode == 3 and "Traceback" not in res.stderr
    assert res.stderr.strip().splitlines()[-1].endswith("No space left on device")


def test_scan_lock_wait_gives_up_on_a_held_index(tmp_path: Path) -> None:
    src = _corpus(tmp_path / "in.jsonl", 3)
    db = tmp_path / "idx.sqlite"
    assert runner.invoke(app, ["scan", str(src), "--index", str(db)]).exit_code == 0
    holder = open_index(str(db))  # another worker's section (flock excludes a second open file too)
    try:
        with holder.exclusive():
            t = time.monotonic()
            res = runner.invoke(app, ["scan", str(src), "--index", str(db), "--lock-wait", "0.3"])
            assert time.monotonic() - t < 20  # not the default 120 s
            assert res.exit_code == 3, res.output
            assert "another worker held the index lock" in res.stderr and "0.3 s" in res.stderr
    finally:
        holder.close()
    assert runner.invoke(app, ["scan", str(src), "--index", str(db), "--lock-wait", "-1"]).exit_code == 2
    assert runner.invoke(app, ["scan", str(src), "--index", str(db), "--lock-wait", "0"]).exit_code == 0


@pytest.mark.parametrize("command", ["scan", "gate"])
@pytest.mark.parametrize("form", ["{}", "sqlite://{}"])
def test_an_index_in_a_folder_that_does_not_exist_is_a_usage_error(
    tmp_path: Path, command: str, form: str
) -> None:
    src = _corpus(tmp_path / "in.jsonl", 2)
    missing = form.format(tmp_path / "no" / "such" / "idx.sqlite")
    res = runner.invoke(app, [command, str(src), "--index", missing])
    assert res.exit_code == 2, res.output
    assert "does not exist" in res.stderr
    assert not (tmp_path / "no").exists()
    # A file where the folder should be: the same.
    res = runner.invoke(app, [command, str(src), "--index", str(src / "idx.sqlite")])
    assert res.exit_code == 2 and "is not a folder" in res.stderr
    # A new file in an existing folder is created, as before.
    res = runner.invoke(app, [command, str(src), "--index", str(tmp_path / "new.sqlite"), "-f", "jsonl"])
    assert res.exit_code == 0 and (tmp_path / "new.sqlite").exists()


def test_a_path_with_spaces_and_unicode_is_one_index(tmp_path: Path) -> None:
    src = _corpus(tmp_path / "in.jsonl", 5)
    folder = tmp_path / "shared index" / "ünï"
    folder.mkdir(parents=True)
    plain, uri = str(folder / "i dx.sqlite"), f"sqlite://{folder / 'i dx.sqlite'}"
    assert runner.invoke(app, ["gate", str(src), "--index", plain, "--no-check"]).exit_code == 1
    res = runner.invoke(app, ["gate", str(src), "--index", uri, "--no-check"])
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert len(rows) == 5 and not any(r["ingest"] for r in rows)  # the URI names the same file
    assert all(r["decision"] == "duplicate" for r in rows)
    assert "i dx.sqlite" in os.listdir(folder)


def _read_line(proc: subprocess.Popen, limit: float) -> str:
    """One line of the process's stdout within `limit` seconds, or "" (select, not a blocking read)."""
    import select

    assert proc.stdout is not None
    ready, _, _ = select.select([proc.stdout], [], [], limit)
    return proc.stdout.readline() if ready else ""


def test_a_feed_on_stdin_is_decided_as_it_trickles_in(tmp_path: Path) -> None:
    # `tail -F feed.jsonl | dedup gate -`: each article's decision comes out while the feed is
    # quiet. Before: nothing until 1,000 articles or the end of the input. With checks in two
    # processes (forked while a thread waits on stdin: they hung for good until it started them
    # before reading).
    cmd = [sys.executable, "-m", "dedup", "gate", "-", "--index", str(tmp_path / "i.sqlite"), "-j", "2"]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdin is not None
    texts = [article(7501), copy_of(article(7501), 1)]
    try:
        got = []
        for k, text in enumerate(texts):
            proc.stdin.write(json.dumps({"id": f"s{k}", "text": text}) + "\n")
            proc.stdin.flush()
            line = _read_line(proc, 60)
            assert line, f"no decision for s{k} while the feed is open"
            got.append(json.loads(line))
        proc.stdin.close()
        assert proc.wait(timeout=60) in (0, 1)
    finally:
        proc.kill()
    # The same decisions as the same articles read from a file in one batch.
    src = tmp_path / "same.jsonl"
    src.write_text("".join(json.dumps({"id": f"s{k}", "text": t}) + "\n" for k, t in enumerate(texts)))
    res = runner.invoke(app, ["gate", str(src), "-j", "1"])
    want = [json.loads(x) for x in res.stdout.splitlines()]
    assert [{**d, "origin": None} for d in got] == [{**d, "origin": None} for d in want]
    assert got[1]["duplicate_of"] == "s0" or not got[0]["ingest"]


def test_jsonl_output_keeps_no_decided_article_in_memory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The CLI kept every decision with its article (and analysis) until the end, for the summary:
    # ~1.5 KB per tiny article, 1.5 GB for a million; the gate's batches bound its own memory.
    import gc
    import weakref

    import dedup.cli.gate_cmd as gate_cmd
    from dedup.gate import GateItem

    alive: list[bool] = []

    def fake(items, **kwargs):  # type: ignore[no-untyped-def]
        refs = []
        for k, art in enumerate(items):
            gi = GateItem(k, art.origin, art.id, article=art, decision="ingest")
            refs.append(weakref.ref(art))
            del art
            if k >= 2:
                gc.collect()
                alive.append(refs[k - 2]() is not None)  # two back: the CLI's loop variable is gone
            yield gi

    monkeypatch.setattr(gate_cmd, "gate", fake)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"m{k}", "text": article(7600 + k)}) + "\n" for k in range(5)))
    res = runner.invoke(app, ["gate", str(src)])
    assert res.exit_code == 0 and len(res.stdout.splitlines()) == 5
    assert alive == [False, False, False]


def test_a_stop_while_the_feed_is_open_ends_cleanly(tmp_path: Path) -> None:
    # The thread reading a paced stdin was blocked in `sys.stdin` when the process ended: the
    # interpreter aborted at shutdown ("Fatal Python error: ... could not acquire lock for
    # <stdin>", exit 134) instead of exiting 143 after saying why.
    cmd = [sys.executable, "-m", "dedup", "gate", "-", "--no-check", "--index", str(tmp_path / "i.sqlite")]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdin is not None and proc.stderr is not None
    try:
        proc.stdin.write(json.dumps({"id": "q0", "text": article(7701)}) + "\n")
        proc.stdin.flush()
        assert json.loads(_read_line(proc, 60))["id"] == "q0"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 128 + signal.SIGTERM
        err = proc.stderr.read()
        assert "Fatal Python error" not in err and "stopped by SIGTERM after 1 decision(s)" in err
    finally:
        proc.kill()


@pytest.mark.parametrize("command", ["gate", "scan"])
def test_a_lock_wait_that_is_not_a_number_is_refused(tmp_path: Path, command: str) -> None:
    # `--lock-wait nan` passed the "0 or more" check and then waited for ever on a held index
    # (no comparison with nan is true, so the deadline never came).
    src = _corpus(tmp_path / "in.jsonl", 2)
    res = runner.invoke(app, [command, str(src), "--index", str(tmp_path / "i.sqlite"), "--lock-wait", "nan"])
    assert res.exit_code == 2 and "--lock-wait must be 0 or more seconds" in res.stderr
    assert not (tmp_path / "i.sqlite").exists()
