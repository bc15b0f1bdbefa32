"""Several gate workers on one shared index (a real SQLite file, a real redis-server): copies of each
other, or one id, sent to two workers at the same moment never both go in, and the decisions are
those of one worker fed the same articles in some serial order.

The deterministic tests build the race with a hook instead of timing: worker A stops inside its
dedup step, after scanning and before storing, and worker B runs meanwhile (in a thread, on its
own index connection) until it either finishes or waits for the index lock. Without the lock B
scans an index that does not hold A's article yet, and both go in."""

from __future__ import annotations

import importlib
import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dedup.gate import GateParams, gate
from dedup.model import Article
from dedup.near.index import IndexBusy, open_index
from dedup.near.index.base import Index
from dedup.near.index.memory import MemoryIndex
from dedup.near.index.staged import StagedView
from tests.near.conftest import redis_url  # noqa: F401 - the real redis-server fixture
from tests.near.corpus import article, copy_of

gate_mod = importlib.import_module("dedup.gate")  # `dedup.gate` the attribute is the function
NOCHECK = GateParams(check=False)
T1, T2, T3 = article(301), article(302), article(303)
Opener = Callable[[], Index]


def _arts(*pairs: tuple[str, str]) -> list[Article]:
    return [Article(id=i, text=t, origin=f"<{i}>") for i, t in pairs]


@pytest.fixture(params=["sqlite", "redis"])
def spec(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """One shared index (per backend); each worker opens its own connection to it."""
    if request.param == "sqlite":
        return {"type": "sqlite", "path": str(tmp_path / "shared.sqlite")}
    url = request.getfixturevalue("redis_url")
    return {"type": "redis", "url": url, "prefix": f"conc-{request.node.name}:"}


def _interleaved(
    monkeypatch: pytest.MonkeyPatch,
    spec: dict[str, Any],
    a_items: list[Article],
    b_items: list[Article],
    point: str = "scanned",
    a_params: GateParams = NOCHECK,
    b_params: GateParams = NOCHECK,
) -> tuple[list[Any], list[Any]]:
    """Run A; when A has scanned its batch and is about to store it (`point` "scanned") or has
    marked it pending and not stored the sketches yet ("storing"), run B until it finishes or waits
    for the index lock, then let A go on. Returns (A's decisions, B's decisions)."""
    b_out: list[Any] = []
    b_failed: list[BaseException] = []
    b_ready, b_go, b_waits, b_done = (
        threading.Event(),
        threading.Event(),
        threading.Event(),
        threading.Event(),
    )

    def run_b() -> None:
        """B's own connection, opened in its thread (SQLite connections are per thread) before A
        starts (opening a SQLite index waits for the lock too); B's gate runs when let in."""
        try:
            b_idx = open_index(spec)
            original = getattr(b_idx, "_acquire", None)  # (absent before the lock: B never waits)

            def acquire(wait: float) -> None:  # B is about to wait for A's lock: A may go on
                b_waits.set()
                original(wait)  # type: ignore[misc]

            b_idx._acquire = acquire  # type: ignore[method-assign]
            b_ready.set()
            try:
                if b_go.wait(60):
                    b_out.extend(gate(b_items, index=b_idx, params=b_params))
            finally:
                b_idx.close()
        except BaseException as err:  # pragma: no cover - reported by the assertion below
            b_failed.append(err)
        finally:
            b_ready.set()
            b_done.set()

    thread = threading.Thread(target=run_b)
    thread.start()
    assert b_ready.wait(60)
    a_idx = open_index(spec)
    started: list[bool] = []

    def let_b_in(index: Any) -> None:
        if started or (index is not a_idx and getattr(index, "base", None) is not a_idx):
            return
        started.append(True)
        b_go.set()
        while not (b_waits.is_set() or b_done.is_set()):  # a condition, not a guess at timing
            b_done.wait(0.01)

    if point == "scanned":
        store = gate_mod._store
        monkeypatch.setattr(
            gate_mod, "_store", lambda index, *a, **k: (let_b_in(index), store(index, *a, **k))[1]
        )
    else:
        commit = StagedView.commit
        monkeypatch.setattr(StagedView, "commit", lambda view, nums: (let_b_in(view), commit(view, nums))[1])
    try:
        a_out = list(gate(a_items, index=a_idx, params=a_params))
        assert started, "A never reached the point where B is let in"
    finally:
        a_idx.close()
        b_go.set()
        thread.join(60)
    assert b_done.is_set() and not b_failed, b_failed
    return a_out, b_out


def _serial(*runs: tuple[list[Article], GateParams]) -> list[list[Any]]:
    """The same runs made one after the other by one worker (memory index)."""
    idx = MemoryIndex()
    return [list(gate(items, index=idx, params=params)) for items, params in runs]


def _key(d: Any) -> tuple[Any, ...]:
    return (
        d.id,
        d.decision,
        d.duplicate_of,
        d.similarity,
        tuple(d.reasons),
        d.verdict,
        d.previous_fingerprint,
    )


def _ingested(spec: dict[str, Any], ids: Iterable[str]) -> set[str]:
    with open_index(spec) as idx:
        return set(idx.lookup(list(ids)))


@pytest.mark.parametrize("point", ["scanned", "storing"])
def test_two_workers_taking_copies_of_each_other_ingest_one(
    monkeypatch: pytest.MonkeyPatch, spec: dict[str, Any], point: str
) -> None:
    a_items, b_items = _arts(("a", T1), ("a2", T2)), _arts(("b", copy_of(T1, 7)))
    a_out, b_out = _interleaved(monkeypatch, spec, a_items, b_items, point)
    decisions = {d.id: d for d in a_out + b_out}
    assert [d.decision for d in a_out] == ["ingest", "ingest"]
    assert (decisions["b"].decision, decisions["b"].duplicate_of) == ("duplicate", "a")
    assert _ingested(spec, ["a", "a2", "b"]) == {"a", "a2"}
    # What one worker gives when A's run comes first (B waited for A: that is the serial order).
    sa, sb = _serial((a_items, NOCHECK), (b_items, NOCHECK))
    assert [_key(d) for d in a_out + b_out] == [_key(d) for d in sa + sb]


@pytest.mark.parametrize("point", ["scanned", "storing"])
def test_one_id_sent_to_two_workers_is_ingested_once(
    monkeypatch: pytest.MonkeyPatch, spec: dict[str, Any], point: str
) -> None:
    """B's resend step reads the index before A stores the id; B's check runs (checks on); under
    the lock B finds the id stored with the same text: "already ingested", without the verdict of
    the check it did not need, as one worker would decide it sent second."""
    a_items, b_items = _arts(("x", T1)), _arts(("x", T1))
    a_out, b_out = _interleaved(monkeypatch, spec, a_items, b_items, point, b_params=GateParams())
    assert [d.decision for d in a_out] == ["ingest"]
    assert [(d.decision, d.duplicate_of) for d in b_out] == [("duplicate", "x")]
    sa, sb = _serial((a_items, NOCHECK), (b_items, GateParams()))
    assert [_key(d) for d in a_out + b_out] == [_key(d) for d in sa + sb]
    assert b_out[0].verdict is None and b_out[0].flags == {}
    with open_index(spec) as idx:  # stored once, whole: a fingerprint, a sketch
        (num,) = idx.lookup(["x"]).values()
        assert idx.fingerprints(["x"]) == {"x": a_out[0].fingerprint}
        assert idx.has("copy", [num]) == {num}


def test_one_changed_text_sent_to_two_workers_is_one_update(
    monkeypatch: pytest.MonkeyPatch, spec: dict[str, Any]
) -> None:
    first = _arts(("x", T1))
    assert [d.decision for d in gate(first, index=spec, params=NOCHECK)] == ["ingest"]
    a_items, b_items = _arts(("x", T3)), _arts(("x", T3))
    a_out, b_out = _interleaved(monkeypatch, spec, a_items, b_items)
    assert [d.decision for d in a_out] == ["update"]
    assert [(d.decision, d.reasons) for d in b_out] == [
        ("duplicate", ["already ingested (same id, same text)"])
    ]
    _, sa, sb = _serial((first, NOCHECK), (a_items, NOCHECK), (b_items, NOCHECK))
    assert [_key(d) for d in a_out + b_out] == [_key(d) for d in sa + sb]


def test_a_changed_text_and_its_copy_at_two_workers_let_one_in(
    monkeypatch: pytest.MonkeyPatch, spec: dict[str, Any]
) -> None:
    """B was read as a new id; the id it copies became an update meanwhile: B is its duplicate."""
    first = _arts(("x", T1))
    list(gate(first, index=spec, params=NOCHECK))
    a_items, b_items = _arts(("x", T3)), _arts(("y", copy_of(T3, 9)))
    a_out, b_out = _interleaved(monkeypatch, spec, a_items, b_items)
    assert [(d.decision, d.duplicate_of) for d in a_out + b_out] == [("update", None), ("duplicate", "x")]
    assert _ingested(spec, ["x", "y"]) == {"x"}


def test_a_worker_that_cannot_get_the_lock_gives_error_decisions(spec: dict[str, Any]) -> None:
    """Nothing lost: every article has a decision that says why, the run raises IndexBusy after
    the last one (exit code 3 in the CLI), and nothing of it is stored."""
    holder = open_index(spec)
    try:
        with holder.exclusive():
            run = gate(_arts(("a", T1), ("b", T2)), index=spec, params=NOCHECK, lock_wait=0.1)
            out = []
            with pytest.raises(IndexBusy):
                for d in run:
                    out.append(d)
    finally:
        holder.close()
    assert [d.decision for d in out] == ["error", "error"]
    assert all("index lock" in d.reasons[0] and "send it again" in d.reasons[0] for d in out)
    assert _ingested(spec, ["a", "b"]) == set()
    assert [d.decision for d in gate(_arts(("a", T1)), index=spec, params=NOCHECK)] == ["ingest"]


def test_cli_lock_wait_gives_exit_code_3_and_says_why(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from dedup.cli import app

    src, db = tmp_path / "in.jsonl", tmp_path / "idx.sqlite"
    src.write_text(json.dumps({"id": "a", "text": T1}) + "\n")
    runner = CliRunner()
    args = ["gate", str(src), "--index", str(db), "--no-check", "--lock-wait", "0.05"]
    with open_index(str(db)) as holder, holder.exclusive():
        res = runner.invoke(app, args)
    assert res.exit_code == 3, res.stderr
    (row,) = [json.loads(line) for line in res.stdout.splitlines()]
    assert row["decision"] == "error" and "index lock" in row["reasons"][0]
    assert "another worker held the index lock" in res.stderr
    assert runner.invoke(app, args).exit_code == 0  # free again: it goes in
    assert runner.invoke(app, [*args[:-1], "-1"]).exit_code == 2


def test_a_stopped_runs_leftover_is_tidied_under_the_lock_only(spec: dict[str, Any]) -> None:
    """A pending id is what a stopped run left, or another worker's article half-stored: the resend
    step forgets it only once it holds the lock (there, nothing is half-stored but by a dead run)."""
    from dedup.near.index.base import PENDING

    with open_index(spec) as idx:
        idx.number(["x"])
        idx.set_fingerprints({"x": PENDING})
        with idx.exclusive():  # a live worker storing x: the resend step must wait, not forget
            run = gate(_arts(("x", T1)), index=spec, params=NOCHECK, lock_wait=0.1)
            with pytest.raises(IndexBusy):
                list(run)
        assert idx.lookup(["x"]) == {"x": 0}  # still there
    (d,) = list(gate(_arts(("x", T1)), index=spec, params=NOCHECK))  # no holder: a dead run's left-over
    assert d.decision == "ingest"


# -- several processes ---------------------------------------------------------------------------

N_WORKERS, N_PAIRS = 3, 6


def _corpus() -> tuple[list[list[tuple[str, str]]], list[tuple[str, str]], list[str]]:
    """Interleaved shards: each pair's original and copy sit at the same position of two different
    shards; one id is sent to every worker at the same position. (shards, pairs, shared ids)"""
    shards: list[list[tuple[str, str]]] = [[] for _ in range(N_WORKERS)]
    pairs = []
    for k in range(N_PAIRS):
        w = k % N_WORKERS
        text = article(500 + k)
        shards[w].append((f"p{k}", text))
        shards[(w + 1) % N_WORKERS].append((f"c{k}", copy_of(text, 600 + k)))
        pairs.append((f"p{k}", f"c{k}"))
        shards[(w + 2) % N_WORKERS].append((f"u{k}", article(700 + k)))  # unrelated: ingested
    shared = article(800)
    for s in shards:
        s.append(("shared", shared))
    return shards, pairs, ["shared"]


def _synchronised(items: list[tuple[str, str]], barrier: Any) -> Iterator[Article]:
    """The workers take each next article at the same moment (as consumers of one queue would)."""
    for i, t in items:
        barrier.wait()
        yield Article(id=i, text=t, origin=f"<{i}>")


def _worker(
    spec: dict[str, Any], items: list[tuple[str, str]], barrier: Any, out: Any
) -> None:  # pragma: no cover
    params = GateParams(check=False, batch_size=1)
    decisions = [
        (d.id, d.decision, d.duplicate_of) for d in gate(_synchronised(items, barrier), spec, params)
    ]
    out.put(decisions)


def test_worker_processes_on_one_index_never_ingest_both_copies(spec: dict[str, Any]) -> None:
    shards, pairs, shared = _corpus()
    ctx = multiprocessing.get_context("fork")
    barrier, out = ctx.Barrier(N_WORKERS, timeout=120), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(spec, shard, barrier, out)) for shard in shards]
    for p in procs:
        p.start()
    try:
        results = [out.get(timeout=180) for _ in procs]
    finally:
        for p in procs:
            p.join(30)
            if p.is_alive():
                p.kill()
    decided = [d for r in results for d in r]
    assert sorted(d[0] for d in decided) == sorted(i for s in shards for i, _ in s)  # one per input
    by_id: dict[str, list[tuple[str, str, str | None]]] = {}
    for d in decided:
        by_id.setdefault(d[0], []).append(d)
    going = {d[0] for d in decided if d[1] == "ingest"}
    both = [p for p in pairs if set(p) <= going]
    assert not both, f"copy pairs ingested twice: {both}"
    assert all(set(p) & going for p in pairs)  # and one of each pair went in
    for i in shared:
        assert sorted(d[1] for d in by_id[i]) == ["duplicate"] * (N_WORKERS - 1) + ["ingest"]
    assert {d[0] for d in decided if d[0].startswith("u")} <= going
    assert _ingested(spec, by_id) == going  # the index holds exactly what went in
