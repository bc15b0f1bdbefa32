"""The pre-ingest step: one decision per input, in order, persistent across runs, nothing dropped."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dedup.cli import app
from dedup.gate import GateParams, gate, summary
from dedup.load import iter_articles
from dedup.model import Article, LoadError
from dedup.near.index import open_index
from dedup.near.index.base import content_fingerprint, fingerprint_hex
from dedup.near.index.memory import MemoryIndex
from tests.near.conftest import redis_url  # noqa: F401 - the real redis-server fixture, for the Redis runs
from tests.near.corpus import article, copy_of

CLEAN = (
    "City council approves new harbour bridge\n\n"
    "The city council of Portmere voted on Tuesday to approve a new bridge across the harbour, "
    "ending a debate that had lasted more than three years. Mayor Elena Varga said construction "
    "would begin in the spring and take about two years. Opponents of the plan argued that the "
    "bridge would block the view from the old town and bring more traffic to narrow streets. "
    "The council rejected a proposal to put the question to a referendum by nine votes to four. "
    "Local shop owners welcomed the decision, saying the bridge would bring more visitors."
)
OTHER = (
    "Storm closes mountain roads in the north\n\n"
    "Heavy snow closed several mountain passes on Sunday as a storm moved across the northern "
    "valleys, stranding drivers and cutting power to thousands of homes. Rescue teams reached a bus "
    "carrying thirty schoolchildren late in the evening. Forecasters expect the snow to ease by "
    "Wednesday, but warned that avalanche risk would remain high for the rest of the week."
)
GARBLED = (
    "Ministers meet in Geneva to discuss trade\n\n"
    "The delegation included Trade Minister Paulo SantosFinance Minister Ana Reis and the envoy "
    'Marco Lima。 Santos said the talks talks were useful. Reis said the "agreement agreement" '
    "would be signed soon (Related: Ministers travel to Rome | more articles). Lima added nothing."
)


def _copy(text: str) -> str:
    return (
        text.replace("\n\n", "\n\nAdvertisement\n\n", 1).replace("Tuesday", "Tuesday evening")
        + "\n\nALSO READ | More news"
    )


def _items(*pairs: tuple[str, str]) -> list[Article]:
    return [Article(id=i, text=t, origin=f"<{i}>") for i, t in pairs]


def test_one_decision_per_input_in_order() -> None:
    items: list[Article | LoadError] = [
        *_items(("a", CLEAN), ("b", OTHER), ("a-copy", _copy(CLEAN))),
        LoadError("<bad>", "malformed JSON: Expecting value at column 1"),
        *_items(("g", GARBLED)),
    ]
    decisions = list(gate(items))
    assert [d.id for d in decisions] == ["a", "b", "a-copy", None, "g"]
    by = {d.origin: d for d in decisions}
    assert by["<a>"].decision == "ingest" and by["<a>"].ingest
    assert by["<b>"].decision == "ingest"
    dup = by["<a-copy>"]
    assert (dup.decision, dup.step, dup.duplicate_of) == ("duplicate", "dedup", "a")
    assert dup.similarity is not None and dup.similarity > 0.5
    assert by["<bad>"].decision == "error" and "malformed JSON" in by["<bad>"].reasons[0]
    g = by["<g>"]
    assert g.decision in ("review", "reject") and g.step == "check"
    assert g.flags.get("merged_tokens", 0) >= 1 and g.flags.get("repeated_words", 0) >= 1
    assert summary(decisions)["ingest"] == 2


def test_hold_reject_lets_review_articles_in() -> None:
    (d,) = gate(_items(("g", GARBLED)), params=GateParams(hold="reject"))
    assert d.verdict is not None
    assert d.ingest == (d.verdict != "reject")


def test_index_persists_across_runs(tmp_path: Path) -> None:
    db = tmp_path / "gate.sqlite"
    first = list(gate(_items(("a", CLEAN)), index=str(db), params=GateParams(check=False)))
    assert [d.decision for d in first] == ["ingest"]
    second = list(
        gate(_items(("later", _copy(CLEAN)), ("b", OTHER)), index=str(db), params=GateParams(check=False))
    )
    assert [(d.id, d.decision, d.duplicate_of) for d in second] == [
        ("later", "duplicate", "a"),
        ("b", "ingest", None),
    ]


def test_small_batches_still_find_copies_across_batches() -> None:
    items = _items(("a", CLEAN), ("b", OTHER), ("c", _copy(OTHER)), ("d", _copy(CLEAN)))
    decisions = list(gate(items, params=GateParams(check=False, batch_size=1)))
    assert [(d.id, d.duplicate_of) for d in decisions] == [("a", None), ("b", None), ("c", "b"), ("d", "a")]


def test_a_failing_step_holds_one_article_not_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    check_mod = importlib.import_module("dedup.check")  # the module; `dedup.check` is the function

    real = check_mod.check

    def flaky(doc, *a, **k):  # type: ignore[no-untyped-def]
        if doc.id == "b":
            raise RuntimeError("detector crashed")
        return real(doc, *a, **k)

    monkeypatch.setattr(check_mod, "check", flaky)
    decisions = list(gate(_items(("a", CLEAN), ("b", OTHER))))
    assert [d.decision for d in decisions] == ["ingest", "error"]
    assert "detector crashed" in decisions[1].reasons[0]


def test_params_are_validated() -> None:
    with pytest.raises(ValueError):
        GateParams(hold="accept")
    with pytest.raises(ValueError):
        GateParams(level="story")


def test_cli_streams_jsonl_and_exit_codes(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    rows = [{"id": "a", "text": CLEAN}, {"id": "b", "text": OTHER}]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    runner = CliRunner()
    db = tmp_path / "idx.sqlite"
    res = runner.invoke(app, ["gate", str(src), "--index", str(db)])
    assert res.exit_code == 0, res.stderr
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert [(r["id"], r["decision"]) for r in out] == [("a", "ingest"), ("b", "ingest")]
    again = tmp_path / "again.jsonl"
    again.write_text(json.dumps({"id": "a2", "text": _copy(CLEAN)}) + "\n{not json\n")
    res = runner.invoke(app, ["gate", str(again), "--index", str(db), "--format", "json"])
    assert res.exit_code == 2  # an unreadable line is an input error; the copy is still decided
    doc = json.loads(res.stdout)
    assert doc["schema"] == "dedup.gate/2"
    assert doc["summary"]["duplicate"] == 1 and doc["summary"]["error"] == 1
    res = runner.invoke(app, ["gate", str(src), "--index", str(db)])
    assert res.exit_code == 1  # everything is now a duplicate: held back


def test_iter_articles_feeds_gate_lazily(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text(CLEAN)
    (tmp_path / "y.txt").write_bytes(b"")
    decisions = list(gate(iter_articles([tmp_path]), params=GateParams(check=False)))
    assert [(d.id, d.decision) for d in decisions] == [("x", "ingest"), ("y", "error")]


def test_api_inputs_with_repeated_ids_or_no_body_are_errors() -> None:
    items = _items(
        ("x", CLEAN), ("x", OTHER), ("e", "   "), ("ad", "Advertisement\n\nALSO READ | Other news")
    )
    decisions = list(gate(items, params=GateParams(check=False)))
    assert [d.decision for d in decisions] == ["ingest", "error", "error", "error"]
    assert "duplicate id 'x'" in decisions[1].reasons[0]
    assert decisions[2].reasons == ["empty text"]
    assert "no article body" in decisions[3].reasons[0]


def test_held_back_articles_do_not_enter_the_index(tmp_path: Path) -> None:
    db = str(tmp_path / "idx.sqlite")
    (first,) = gate(_items(("g", GARBLED)), index=db)
    assert first.decision in ("review", "reject")
    # The same id sent again, corrected: judged on its own, not as "already in the index".
    (resent,) = gate(_items(("g", CLEAN)), index=db)
    assert resent.decision == "ingest"
    # A copy of the rejected text is not a copy of anything that went in.
    (copy,) = gate(_items(("h", GARBLED)), index=db)
    assert copy.decision == first.decision and copy.duplicate_of is None


# -- resent ids: same text, changed text, a changed text that copies another article ---------------


NOCHECK = GateParams(check=False)
T1, T2, T3 = article(101), article(102), article(103)  # unrelated seeded articles


def _corrected(text: str) -> str:
    """A correction as an outlet sends one: one figure changed."""
    m = re.search(r"\b\d+\b", text)
    assert m is not None
    return text[: m.start()] + str(int(m.group()) + 7) + text[m.end() :]


Run = Callable[..., list[Any]]


@pytest.fixture(params=["memory", "sqlite", "redis"])
def run(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Run]:
    """`run(("id", text), ...)`: one gate run against the same persistent index (per backend)."""
    if request.param == "memory":
        spec: Any = MemoryIndex()  # an open index outlives the gate calls
    elif request.param == "sqlite":
        spec = str(tmp_path / "gate.sqlite")
    else:
        url = request.getfixturevalue("redis_url")
        spec = {"type": "redis", "url": url, "prefix": f"gate-{request.node.name}:"}

    def _run(*pairs: tuple[str, str], params: GateParams = NOCHECK) -> list[Any]:
        return list(gate(_items(*pairs), index=spec, params=params))

    _run.spec = spec  # type: ignore[attr-defined]
    yield _run


@contextmanager
def _opened(run: Run) -> Iterator[Any]:
    """The run's index, to look inside (an open memory index is shared, not closed)."""
    spec = run.spec  # type: ignore[attr-defined]
    idx = open_index(spec)
    try:
        yield idx
    finally:
        if idx is not spec:
            idx.close()


def test_resend_with_the_same_text_is_a_duplicate(run: Run) -> None:
    first = run(("a", T1), ("b", T2))
    assert [d.decision for d in first] == ["ingest", "ingest"]
    assert first[0].fingerprint == content_fingerprint(T1)
    # Re-wrapped whitespace is the same text; the check is skipped (no verdict).
    (again,) = run(("a", T1.replace("\n\n", "\n\n\n").replace(" ", "  ")), params=GateParams())
    assert (again.decision, again.duplicate_of, again.ingest) == ("duplicate", "a", False)
    assert again.reasons == ["already ingested (same id, same text)"]
    assert again.previous_fingerprint == again.fingerprint == first[0].fingerprint
    assert again.verdict is None


def test_resend_with_changed_text_replaces_the_indexed_version(run: Run) -> None:
    run(("a", T1), ("b", T2))
    with _opened(run) as idx:
        before = idx.count("copy")
        (num,) = idx.lookup(["a"]).values()
    (upd,) = run(("a", T3))
    assert (upd.decision, upd.ingest, upd.step) == ("update", True, "dedup")
    assert upd.previous_fingerprint == content_fingerprint(T1)
    assert upd.fingerprint == content_fingerprint(T3)
    assert fingerprint_hex(upd.previous_fingerprint) in upd.reasons[0]
    with _opened(run) as idx:  # replaced, not added: same number, same count, the new fingerprint
        assert idx.count("copy") == before
        assert idx.lookup(["a"]) == {"a": num}
        assert idx.fingerprints(["a"]) == {"a": content_fingerprint(T3)}
    later = run(("copy-new", copy_of(T3, 1)), ("copy-old", copy_of(T1, 2)))
    assert [(d.decision, d.duplicate_of) for d in later] == [("duplicate", "a"), ("ingest", None)]
    # The update's text is now the indexed one: sending it again is a plain duplicate.
    (again,) = run(("a", T3))
    assert (again.decision, again.reasons) == ("duplicate", ["already ingested (same id, same text)"])


def test_a_small_correction_is_an_update_not_a_duplicate(run: Run) -> None:
    run(("a", T1))
    (upd,) = run(("a", _corrected(T1)))
    assert upd.decision == "update" and upd.duplicate_of is None
    (dup,) = run(("x", copy_of(_corrected(T1), 3)))
    assert (dup.decision, dup.duplicate_of) == ("duplicate", "a")


@pytest.mark.parametrize("order", ["other-first", "other-later"])
def test_changed_text_that_copies_another_article_is_its_duplicate(run: Run, order: str) -> None:
    if order == "other-first":  # the copied article has the smaller number
        run(("b", T2), ("a", T1))
    else:
        run(("a", T1), ("b", T2))
    (d,) = run(("a", copy_of(T2, 4)))
    assert (d.decision, d.duplicate_of, d.ingest) == ("duplicate", "b", False)
    assert d.similarity is not None and d.similarity > 0.5
    assert "copy of b" in d.reasons[0] and "'a' was ingested before" in d.reasons[0]
    assert d.previous_fingerprint == content_fingerprint(T1)
    # Held back, so the indexed version of "a" is still the old one.
    (old,) = run(("old-copy", copy_of(T1, 5)))
    assert (old.decision, old.duplicate_of) == ("duplicate", "a")
    with _opened(run) as idx:
        assert idx.fingerprints(["a"]) == {"a": content_fingerprint(T1)}


def test_copies_held_back_do_not_stay_in_the_index(run: Run) -> None:
    first = run(("a", T1), ("dup", copy_of(T1, 6)))
    assert [d.decision for d in first] == ["ingest", "duplicate"]
    with _opened(run) as idx:
        assert idx.lookup(["a", "dup"]).keys() == {"a"}
    (again,) = run(("dup", copy_of(T1, 6)))  # not "already ingested": it never went in
    assert (again.decision, again.duplicate_of) == ("duplicate", "a")
    assert again.reasons[0].startswith("copy of a")


def test_decisions_follow_input_order_whatever_the_batch_size(tmp_path: Path) -> None:
    """Before the update arrives, a copy of the old text is a copy; after it, it is not."""
    out = []
    for size in (1, 2, 1000):
        db = str(tmp_path / f"b{size}.sqlite")
        list(gate(_items(("a", T1), ("b", T2)), index=db, params=NOCHECK))
        run2 = _items(("x", copy_of(T1, 7)), ("a", T3), ("y", copy_of(T1, 8)), ("z", copy_of(T3, 9)))
        decisions = list(gate(run2, index=db, params=GateParams(check=False, batch_size=size)))
        out.append([json.dumps(d.to_json(), sort_keys=True) for d in decisions])
        got = [(d.id, d.decision, d.duplicate_of) for d in decisions]
        assert got == [
            ("x", "duplicate", "a"),
            ("a", "update", None),
            ("y", "ingest", None),
            ("z", "duplicate", "a"),
        ]
    assert out[0] == out[1] == out[2]


def test_fingerprints_do_not_depend_on_the_process_or_hash_seed() -> None:
    code = (
        "import sys; from dedup.near.index.base import content_fingerprint as f; print(f(sys.stdin.read()))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code],
        input=T1,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},  # another process, another str hash seed
    ).stdout.strip()
    assert other == str(content_fingerprint(T1))
    assert content_fingerprint(T1) != content_fingerprint(_corrected(T1))
    assert 0 <= content_fingerprint(T1) < 2**64


def test_two_cli_runs_give_byte_identical_output(tmp_path: Path) -> None:
    first = tmp_path / "first.jsonl"
    first.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in [("a", T1), ("b", T2)]))
    second = tmp_path / "second.jsonl"
    rows = [("a", T1), ("b", T3), ("c", copy_of(T2, 1)), ("d", copy_of(T3, 2)), ("e", GARBLED)]
    second.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows))
    runner = CliRunner()
    outs = []
    for k in range(2):
        db = str(tmp_path / f"idx{k}.sqlite")
        assert runner.invoke(app, ["gate", str(first), "--index", db]).exit_code == 0
        res = runner.invoke(app, ["gate", str(second), "--index", db, "--format", "json"])
        assert res.exit_code == 1
        outs.append(res.stdout)
    assert outs[0] == outs[1]
    doc = json.loads(outs[0])
    assert [d["decision"] for d in doc["decisions"]][:4] == ["duplicate", "update", "ingest", "duplicate"]
    assert doc["summary"]["update"] == 1 and doc["summary"]["duplicate"] == 2
    assert doc["decisions"][1]["previous_fingerprint"] == fingerprint_hex(content_fingerprint(T2))


def test_a_failing_dedup_leaves_the_index_as_it_was(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib

    scan_mod = importlib.import_module("dedup.near.scan")  # the module; `dedup.near.scan` is the function
    db = str(tmp_path / "idx.sqlite")
    list(gate(_items(("a", T1)), index=db, params=NOCHECK))
    real = scan_mod.scan

    def broken(items, *a, **k):  # type: ignore[no-untyped-def]
        real(items, *a, **k)  # stores its sketches, then fails
        raise RuntimeError("scan crashed")

    monkeypatch.setattr(scan_mod, "scan", broken)
    decisions = list(gate(_items(("a", T3), ("n", T2)), index=db, params=NOCHECK))
    assert [d.decision for d in decisions] == ["error", "error"]
    assert all("scan crashed" in d.reasons[0] for d in decisions)
    monkeypatch.setattr(scan_mod, "scan", real)
    with open_index(db) as idx:
        assert idx.lookup(["a", "n"]).keys() == {"a"}
        assert idx.fingerprints(["a"]) == {"a": content_fingerprint(T1)}
    assert [d.decision for d in gate(_items(("a", T3), ("n", T2)), index=db, params=NOCHECK)] == [
        "update",
        "ingest",
    ]


def test_an_update_held_back_by_the_check_leaves_the_indexed_version(run: Run) -> None:
    """A changed text that fails the check is held back; the old version stays indexed as it was."""
    run(("a", T1), ("b", T2))
    with _opened(run) as idx:
        (num,) = idx.lookup(["a"]).values()
        before = (idx.count("copy"), idx.payloads("copy", [num]), idx.fingerprints(["a"]))
    (held,) = run(("a", GARBLED), params=GateParams(hold="review"))
    assert (held.decision, held.step, held.ingest) in {("review", "check", False), ("reject", "check", False)}
    assert held.previous_fingerprint == content_fingerprint(T1)
    with _opened(run) as idx:
        assert idx.lookup(["a"]) == {"a": num}
        assert (idx.count("copy"), idx.payloads("copy", [num]), idx.fingerprints(["a"])) == before
    (old,) = run(("old-copy", copy_of(T1, 11)))  # the old text is still what copies are judged against
    assert (old.decision, old.duplicate_of) == ("duplicate", "a")


@pytest.mark.parametrize("second", ["same text", "changed text"])
def test_an_id_twice_in_one_run_is_an_error_and_the_first_stands(run: Run, second: str) -> None:
    """Within one run an id is taken once: the repeat is an error that says so (not dropped, not a
    silent update); a correction is sent in a later run, where it is an update."""
    text = T1 if second == "same text" else _corrected(T1)
    first, again = run(("a", T1), ("a", text))
    assert first.decision == "ingest"
    assert (again.decision, again.step, again.ingest) == ("error", "read", False)
    assert "duplicate id 'a'" in again.reasons[0] and "later run" in again.reasons[0]
    with _opened(run) as idx:
        assert idx.fingerprints(["a"]) == {"a": content_fingerprint(T1)}
    (later,) = run(("a", text))
    assert later.decision == ("duplicate" if second == "same text" else "update")


def test_text_or_id_that_is_not_unicode_is_an_error_of_its_own(run: Run) -> None:
    """Lone surrogates (possible through the API only) used to stop the whole run while hashing."""
    decisions = run(("a", T1), ("bad", T2[:50] + "\ud800" + T2[50:]), ("x\udfff", T3), ("c", T2))
    assert [d.decision for d in decisions] == ["ingest", "error", "error", "ingest"]
    assert "text is not valid Unicode" in decisions[1].reasons[0]
    assert "id is not valid Unicode" in decisions[2].reasons[0]
    with _opened(run) as idx:
        assert idx.lookup(["a", "bad", "c"]).keys() == {"a", "c"}


def test_decisions_are_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    import shutil

    base = str(tmp_path / "base.sqlite")
    list(gate(_items(("a", T1), ("b", T2)), index=base, params=NOCHECK))
    second = tmp_path / "second.jsonl"
    rows = [("a", T1), ("b", T3), ("c", copy_of(T2, 1)), ("d", copy_of(T3, 2)), ("e", GARBLED)]
    second.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows))
    outs = []
    for seed in ("1", "4242"):  # another str hash seed in each process
        db = str(tmp_path / f"idx{seed}.sqlite")
        shutil.copy(base, db)
        cmd = [sys.executable, "-c", "from dedup.cli import app; app()", "gate", str(second)]
        res = subprocess.run(
            [*cmd, "--level", "both", "--index", db],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
        )
        assert res.returncode == 1, res.stderr
        outs.append(res.stdout)
    assert outs[0] == outs[1]
    assert [json.loads(r)["decision"] for r in outs[0].splitlines()][:4] == [
        "duplicate",
        "update",
        "ingest",  # a copy of b's old text, which the update replaced
        "duplicate",
    ]


def test_an_index_that_goes_away_mid_run_gives_every_input_a_decision(tmp_path: Path) -> None:
    """A real redis-server stopped while the gate reads its input: what was decided stands, every
    later article is an error that says why, and the run then raises IndexUnavailable."""
    from dedup.near.index import IndexUnavailable
    from tests.near.conftest import redis_server

    texts = [article(600 + i) for i in range(30)]
    texts[7] = _copy(texts[2])
    with redis_server(tmp_path) as (url, proc):

        def items() -> Iterator[Article]:
            for i, t in enumerate(texts):
                yield Article(id=f"n{i:02d}", text=t, origin=f"<n{i:02d}>")
                if i == 24:  # batches of 10: the first two are decided, the third is being read
                    proc.terminate()
                    proc.wait(timeout=10)

        out: list[Any] = []
        with pytest.raises(IndexUnavailable, match="redis failed"):
            for d in gate(items(), index=url, params=GateParams(check=False, batch_size=10)):
                out.append(d)
    assert [d.id for d in out] == [f"n{i:02d}" for i in range(30)]
    assert [d.decision for d in out[:20]] == ["ingest"] * 7 + ["duplicate"] + ["ingest"] * 12
    assert {d.decision for d in out[20:]} == {"error"}
    assert all("index became unavailable" in d.reasons[0] for d in out[20:])


def test_cli_gate_exit_code_3_when_the_index_goes_away(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The CLI still writes every decision (JSON summary included), then exits 3."""
    import dedup.cli.gate_cmd as gate_cmd
    from dedup.gate import GateItem
    from dedup.near.index import IndexUnavailable

    def gone(items: Any, index: Any, params: Any, jobs: int = 1, lock_wait: Any = None) -> Iterator[GateItem]:
        for k, art in enumerate(items):
            gi = GateItem(k, art.origin, art.id, article=art)
            if k == 0:
                gi.decision = "ingest"
            else:
                gi.hold("dedup", "error", "not deduplicated: the index became unavailable (x); send it again")
            yield gi
        raise IndexUnavailable("index x: redis failed: gone")

    monkeypatch.setattr(gate_cmd, "gate", gone)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"a{i}", "text": article(620 + i)}) + "\n" for i in range(3)))
    res = CliRunner().invoke(app, ["gate", str(src), "--format", "json"])
    assert res.exit_code == 3
    body = json.loads(res.stdout)
    assert body["summary"]["ingest"] == 1 and body["summary"]["error"] == 2
    assert "redis failed" in res.stderr


def _stopping(path: Path, at: str = "fingerprint") -> Any:
    """A real SQLite index whose next write of real fingerprints (`at="fingerprint"`) or of pending
    marks (`at="pending"`) fails as an unavailable index: a run stopped at that point."""
    from dedup.near.index import IndexUnavailable
    from dedup.near.index.base import PENDING, PENDING_UPDATE
    from dedup.near.index.sqlite import SQLiteIndex

    class Stopping(SQLiteIndex):
        def set_fingerprints(self, fps: Any) -> None:
            if (set(fps.values()) <= {PENDING, PENDING_UPDATE}) == (at == "pending"):
                raise IndexUnavailable("index: stopped")
            super().set_fingerprints(fps)

    return Stopping(path)


def test_an_article_whose_run_stopped_while_storing_it_is_judged_afresh(tmp_path: Path) -> None:
    """The run stops after the sketches are stored but before their fingerprints are (a real
    SQLite file; the failure is injected at that call). The next run must not take the articles
    for "already in the index": nobody was ever told they went in."""
    from dedup.near.index import IndexUnavailable
    from dedup.near.index.base import PENDING
    from dedup.near.index.sqlite import SQLiteIndex

    path = tmp_path / "gate.sqlite"
    pairs = (("a", article(640)), ("b", article(641)))
    idx = _stopping(path)
    with pytest.raises(IndexUnavailable):
        list(gate(_items(*pairs), index=idx, params=NOCHECK))
    idx.close()
    with SQLiteIndex(path) as again:  # the sketches are there, the fingerprints pending
        assert again.count("copy") == 2 and again.fingerprints(["a", "b"]) == {"a": PENDING, "b": PENDING}
    second = list(gate(_items(*pairs), index=str(path), params=NOCHECK))
    assert [d.decision for d in second] == ["ingest", "ingest"]  # never reported before: new
    third = list(gate(_items(*pairs), index=str(path), params=NOCHECK))
    assert [d.decision for d in third] == ["duplicate", "duplicate"]
    with SQLiteIndex(path) as look:  # stored once each, with their real fingerprints
        fps = look.fingerprints(["a", "b"])
        assert look.count("copy") == 2 and PENDING not in fps.values() and len(fps) == 2


def test_a_stopped_new_article_held_back_next_time_leaves_nothing_indexed(tmp_path: Path) -> None:
    """A new article whose run stopped while storing it, sent again and now held back (a copy of an
    article that went in meanwhile): what the stopped run left of it is gone from the index."""
    from dedup.near.index import IndexUnavailable
    from dedup.near.index.sqlite import SQLiteIndex

    path = tmp_path / "gate.sqlite"
    original = article(660)
    idx = _stopping(path)
    with pytest.raises(IndexUnavailable):
        list(gate(_items(("late", _copy(original))), index=idx, params=NOCHECK))
    idx.close()
    run = list(gate(_items(("first", original), ("late", _copy(original))), index=str(path), params=NOCHECK))
    assert [(d.id, d.decision) for d in run] == [("first", "ingest"), ("late", "duplicate")]
    with SQLiteIndex(path) as look:
        assert look.lookup(["late"]) == {} and look.count("copy") == 1


def test_an_update_whose_run_stopped_is_an_update_and_a_bare_number_is_new(tmp_path: Path) -> None:
    """Two more places a run can stop (real SQLite file, failure injected at the call): while
    storing an update (the next run's decision is still `update`), and before anything was stored
    (the id only has a number: the next run takes it as new, `ingest`, without resend wording)."""
    from dedup.near.index import IndexUnavailable
    from dedup.near.index.base import PENDING_UPDATE
    from dedup.near.index.sqlite import SQLiteIndex

    path = tmp_path / "gate.sqlite"
    base, changed = article(650), _corrected(article(650))
    assert [d.decision for d in gate(_items(("u", base)), index=str(path), params=NOCHECK)] == ["ingest"]
    idx = _stopping(path)  # stops after storing the update's sketch, before its fingerprint
    with pytest.raises(IndexUnavailable):
        list(gate(_items(("u", changed)), index=idx, params=NOCHECK))
    idx.close()
    with SQLiteIndex(path) as look:
        assert look.fingerprints(["u"]) == {"u": PENDING_UPDATE}
    again = list(gate(_items(("u", changed)), index=str(path), params=NOCHECK))
    assert [(d.decision, d.reasons[0][:30]) for d in again] == [("update", "an earlier run stopped while s")]

    idx = _stopping(path, at="pending")  # stops before anything of the new article is stored: a bare number
    with pytest.raises(IndexUnavailable):
        list(gate(_items(("n", article(651))), index=idx, params=NOCHECK))
    idx.close()
    with SQLiteIndex(path) as look:
        assert "n" in look.lookup(["n"]) and not look.fingerprints(["n"])
    fresh = list(gate(_items(("n", article(651))), index=str(path), params=NOCHECK))
    assert [(d.decision, d.reasons) for d in fresh] == [("ingest", [])]


def test_a_full_sqlite_index_then_the_same_input_again_gives_a_clean_runs_decisions(tmp_path: Path) -> None:
    """A real SQLite file that fills up (`max_page_count`, SQLite's own "database or disk is full"):
    every input still gets a decision, the run raises IndexUnavailable, and once there is room the
    same input gives each article that errored the decision a clean run gives it."""
    from dedup.near.index import IndexUnavailable
    from dedup.near.index.sqlite import SQLiteIndex

    texts = [article(700 + i) for i in range(60)]
    for i in range(5, 60, 7):
        texts[i] = _copy(texts[i - 5])
    items = [(f"n{i:02d}", t) for i, t in enumerate(texts)]
    params = GateParams(check=False, batch_size=10)
    clean = {d.id: d.decision for d in gate(_items(*items), index=None, params=params)}

    path = tmp_path / "full.sqlite"
    idx = SQLiteIndex(path)
    idx.db.execute("PRAGMA max_page_count = 30")  # per connection: this run only
    first: list[Any] = []
    with pytest.raises(IndexUnavailable, match="full"):
        for d in gate(_items(*items), index=idx, params=params):
            first.append(d)
    idx.close()
    assert [d.id for d in first] == [i for i, _ in items]
    errored = [d.id for d in first if d.decision == "error"]
    assert errored and len(errored) < len(items)  # it filled up part-way
    assert all("index became unavailable" in d.reasons[0] for d in first if d.decision == "error")

    again = {d.id: d.decision for d in gate(_items(*items), index=str(path), params=params)}
    assert {i: again[i] for i in errored} == {i: clean[i] for i in errored}
    went_in = [d.id for d in first if d.decision == "ingest"]
    assert {again[i] for i in went_in} == {"duplicate"}  # already ingested (same id, same text)


def test_checks_in_several_processes_give_the_same_decisions(tmp_path: Path) -> None:
    """`jobs` spreads the garble checks of a batch over processes; every decision (reasons, flags,
    verdicts) is the same as in one process, in the same order."""
    texts = []
    for i in range(40):
        body = article(760 + i)
        texts.append(GARBLED + "\n\n" + body if i % 3 == 0 else body)
    texts[10] = _copy(texts[4])
    pairs = [(f"j{i:02d}", t) for i, t in enumerate(texts)]
    params = GateParams(batch_size=25)
    one = [d.to_json() for d in gate(_items(*pairs), index=None, params=params, jobs=1)]
    two = [d.to_json() for d in gate(_items(*pairs), index=None, params=params, jobs=2)]
    assert one == two
    assert {d["decision"] for d in one} >= {"ingest", "duplicate", "review"}


def test_after_a_stopped_run_copies_keep_their_input_order(tmp_path: Path) -> None:
    """The stopped run had numbered an article and its copy (sent after it); the article was being
    stored, the copy held back. Sent again, the article goes in and the copy is its duplicate, not
    the other way round (left-over numbers would make the copy the "earlier" one)."""
    from dedup.near.index import IndexUnavailable

    path = tmp_path / "gate.sqlite"
    pairs = (("orig", article(670)), ("copy", _copy(article(670))))
    idx = _stopping(path)
    with pytest.raises(IndexUnavailable):
        list(gate(_items(*pairs), index=idx, params=NOCHECK))
    idx.close()
    again = list(gate(_items(*pairs), index=str(path), params=NOCHECK))
    assert [(d.id, d.decision, d.duplicate_of) for d in again] == [
        ("orig", "ingest", None),
        ("copy", "duplicate", "orig"),
    ]


def test_a_held_article_says_where_its_flags_are() -> None:
    """A reviewer of a held article sees each flag's span and reason in the decision itself:
    `text[start:end]` of the article as sent is the flagged text, sorted by offset."""
    text = (
        "The finance minister met union leaders on Tuesday to discuss the pay offer.\n\n"
        "The the talks lasted four hours, and both sides said progress had been made.\n\n"
        "A further meeting meeting is planned for next month, officials said on Wednesday."
    )
    (d,) = list(gate([Article(id="held", text=text, origin="t")], params=GateParams(hold="review")))
    spans = d.to_json()["flag_spans"]
    assert spans and [s["start"] for s in spans] == sorted(s["start"] for s in spans)
    assert sum(d.flags.values()) == len(spans)
    texts = {s["kind"]: text[s["start"] : s["end"]] for s in spans}
    assert texts.get("repeated_words") in ("The the", "meeting meeting")
    assert all(set(s) == {"start", "end", "kind", "severity", "confidence", "message"} for s in spans)


def test_gate_follows_the_global_format_option(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Shares rose on Monday after the bank's results beat forecasts.\n")
    res = CliRunner().invoke(app, ["-f", "table", "gate", str(tmp_path), "--no-check"])
    assert res.exit_code == 0, res.output
    assert res.output.split() == ["ingest", "a"]
    res = CliRunner().invoke(app, ["gate", str(tmp_path), "--no-check"])
    assert json.loads(res.output.splitlines()[0])["decision"] == "ingest"  # JSONL by default
