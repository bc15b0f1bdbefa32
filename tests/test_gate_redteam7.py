"""`gate` stopped by its caller: what it stored for decisions the caller did not take is taken
out of the index again (`withdraw`), so a re-run judges those articles afresh instead of calling
them "already ingested" (seventh-session red-team)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dedup.gate import GateParams, gate, withdraw
from dedup.model import Article
from dedup.near.index import open_index
from tests.near.corpus import article, copy_of

PARAMS = GateParams(check=False)


def _arts(*rows: tuple[str, str]) -> list[Article]:
    return [Article(id=i, text=t, origin=f"in:{k}") for k, (i, t) in enumerate(rows, 1)]


def _decide(db: str, arts: list[Article]) -> dict[str, tuple[str, str | None]]:
    return {d.id: (d.decision, d.duplicate_of) for d in gate(arts, index=db, params=PARAMS)}  # type: ignore[misc]


def test_closing_the_run_early_takes_back_what_the_caller_did_not_take(tmp_path: Path) -> None:
    db = str(tmp_path / "idx.sqlite")
    arts = _arts(*((f"n{k}", article(8100 + k)) for k in range(5)))
    run = gate(arts, index=db, params=PARAMS)
    first, second = next(run), next(run)  # asking for the second takes the first
    assert (first.decision, second.decision) == ("ingest", "ingest")
    run.close()  # the caller stops: the second and the three never yielded were stored
    with open_index(db) as idx:
        assert sorted(idx.lookup([a.id for a in arts])) == ["n0"]
    again = _decide(db, arts)
    assert again == {"n0": ("duplicate", "n0"), **{f"n{k}": ("ingest", None) for k in range(1, 5)}}


def test_a_decision_marked_taken_is_never_taken_back(tmp_path: Path) -> None:
    db = str(tmp_path / "idx.sqlite")
    arts = _arts(("a", article(8201)), ("b", article(8202)), ("c", copy_of(article(8202), 3)))
    run = gate(arts, index=db, params=PARAMS)
    _, b = next(run), next(run)
    b.taken = True  # delivered by the caller, which then stops before asking again
    run.close()
    with open_index(db) as idx:
        assert sorted(idx.lookup(["a", "b", "c"])) == ["a", "b"]  # c was a duplicate: never stored
    assert _decide(db, arts) == {"a": ("duplicate", "a"), "b": ("duplicate", "b"), "c": ("duplicate", "b")}


def test_a_withdrawn_update_is_an_update_on_the_rerun(tmp_path: Path) -> None:
    db = str(tmp_path / "idx.sqlite")
    assert _decide(db, _arts(("u", article(8301)))) == {"u": ("ingest", None)}
    new = _arts(("u", article(8302)))
    (d,) = list(gate(new, index=db, params=PARAMS))
    assert d.decision == "update"
    # Its decision never reached the reader (the JSON output failed): taken back.
    assert withdraw(db, [d]) == ["u"]
    (again,) = list(gate(new, index=db, params=PARAMS))
    assert again.decision == "update" and "earlier run stopped" in again.reasons[0]


def test_withdraw_leaves_what_another_worker_stored_since(tmp_path: Path) -> None:
    db = str(tmp_path / "idx.sqlite")
    arts = _arts(("w", article(8401)))
    (d,) = list(gate(arts, index=db, params=PARAMS))
    # Another worker replaced the text since: its fingerprint is not this decision's.
    (upd,) = list(gate(_arts(("w", article(8402))), index=db, params=PARAMS))
    assert upd.decision == "update"
    assert withdraw(db, [d]) == []
    assert _decide(db, _arts(("w", article(8402)))) == {"w": ("duplicate", "w")}


def test_a_paused_input_is_decided_without_waiting_for_a_full_batch() -> None:
    # A feed that goes quiet after its first article: before, the decision waited for 999 more
    # articles or the end of the input (here: for ever, as the feed waits for that decision).
    decided = threading.Event()
    waited: list[bool] = []
    arts = _arts(("p0", article(8501)), ("p1", copy_of(article(8501), 1)), ("p2", article(8502)))

    def feed() -> Iterator[Article]:
        yield arts[0]
        waited.append(decided.wait(timeout=20))  # the gate must answer before more comes
        yield from arts[1:]

    out = []
    for d in gate(feed(), params=PARAMS, linger=0.05):
        out.append((d.id, d.decision, d.duplicate_of))
        decided.set()
    assert waited == [True]
    assert out == [("p0", "ingest", None), ("p1", "duplicate", "p0"), ("p2", "ingest", None)]
    assert out == [(d.id, d.decision, d.duplicate_of) for d in gate(arts, params=PARAMS)]


def test_an_input_that_fails_while_read_in_the_thread_raises_in_the_caller() -> None:
    def feed() -> Iterator[Article]:
        yield _arts(("f0", article(8601)))[0]
        raise OSError("the feed went away")

    run = gate(feed(), params=PARAMS, linger=0.05)
    with pytest.raises(OSError, match="feed went away"):
        list(run)
