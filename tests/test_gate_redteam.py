"""Red-team scenarios for the gate: sequences of runs over one index, checked against the README.

Each test is one scenario a news team can produce (resends, updates, copies across runs, batch sizes,
story clusters); the expected decisions are what the README's `gate` section says, and where it says
a sequence of runs gives what one run gives, the test compares with a from-scratch single run.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest

from dedup.gate import GateParams, gate
from dedup.model import Article
from dedup.near.index.base import content_fingerprint
from dedup.near.index.memory import MemoryIndex
from tests import test_gate
from tests.near.conftest import redis_url  # noqa: F401 - the real redis-server fixture
from tests.near.corpus import article, copy_of
from tests.test_gate import GARBLED, NOCHECK, Run

run = test_gate.run  # the fixture: one gate run after another on one index, per backend

T1, T2, T3, T4 = article(201), article(202), article(203), article(204)
BOTH = GateParams(check=False, level="both")


def _story(seed: int) -> str:
    """Another outlet's report of T1's story: same event, too rewritten to be a copy."""
    return copy_of(T1, seed, replace=0.4)


def _rows(decisions: list[Any]) -> list[tuple[Any, ...]]:
    return [(d.id, d.decision, d.duplicate_of, d.story_cluster) for d in decisions]


def _gate(spec: Any, pairs: list[tuple[str, str]], params: GateParams = NOCHECK, jobs: int = 1) -> list[Any]:
    items = [Article(id=i, text=t, origin=f"<{i}>") for i, t in pairs]
    return list(gate(items, index=spec, params=params, jobs=jobs))


def test_a_resend_of_a_copy_with_the_originals_text_is_still_its_duplicate(run: Run) -> None:
    first = run(("a", T1), ("c", copy_of(T1, 1)))
    assert _rows(first) == [("a", "ingest", None, None), ("c", "duplicate", "a", None)]
    (again,) = run(("c", T1))  # the copy never went in: judged as new, an exact copy of "a"
    assert (again.decision, again.duplicate_of, again.similarity) == ("duplicate", "a", 1.0)
    assert again.previous_fingerprint is None


def test_copies_of_an_updated_article_follow_its_new_text(run: Run) -> None:
    run(("a", T1), ("c", copy_of(T1, 2)))
    (upd,) = run(("a", T3))
    assert upd.decision == "update"
    # "copies of the old text are not" duplicates of it: the copy held back before now goes in.
    (c,) = run(("c", copy_of(T1, 2)))
    assert (c.decision, c.duplicate_of) == ("ingest", None)
    (x,) = run(("x", copy_of(T3, 3)))
    assert (x.decision, x.duplicate_of) == ("duplicate", "a")


def test_an_update_that_copies_a_later_article_is_its_duplicate_and_stays_old(run: Run) -> None:
    run(("a", T1))
    run(("b", T2))
    (d,) = run(("a", copy_of(T2, 4)))
    assert (d.decision, d.duplicate_of) == ("duplicate", "b")
    (old,) = run(("y", copy_of(T1, 5)))
    assert (old.decision, old.duplicate_of) == ("duplicate", "a")


def test_updates_in_one_run_see_each_other_in_input_order(run: Run) -> None:
    run(("a", T1), ("b", T2))
    # b moves away from T2 first, so a's new text (a copy of T2) copies nothing indexed any more.
    decisions = run(("b", T3), ("a", copy_of(T2, 6)))
    assert [d.decision for d in decisions] == ["update", "update"]
    # and the other way round: a copies b's current text, then b changes
    run2 = run(("a", copy_of(T3, 7)), ("b", T4))
    assert [(d.decision, d.duplicate_of) for d in run2] == [("duplicate", "b"), ("update", None)]


def test_an_update_copied_by_a_new_article_later_in_the_same_run(run: Run) -> None:
    run(("a", T1))
    decisions = run(("a", T4), ("n", copy_of(T4, 8)))
    assert _rows(decisions) == [("a", "update", None, None), ("n", "duplicate", "a", None)]


def test_whitespace_and_unicode_normalisation_are_the_same_text(run: Run) -> None:
    accents = "Zoë Müller and José Ångström visited the façade of the café in Malmö. " * 4
    text = unicodedata.normalize("NFC", accents + "\n\n" + T1)
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text and content_fingerprint(nfd) == content_fingerprint(text)
    run(("a", text))
    (same,) = run(("a", nfd.replace(" ", "\u00a0 ").replace("\n\n", "\r\n\r\n")))
    assert (same.decision, same.reasons) == ("duplicate", ["already ingested (same id, same text)"])
    (other,) = run(("x", nfd))  # another id with the same text: a copy of "a"
    assert (other.decision, other.duplicate_of) == ("duplicate", "a")


def test_held_by_the_check_then_resent_corrected_is_new(run: Run) -> None:
    (held,) = run(("g", GARBLED), params=GateParams())
    assert held.decision in ("review", "reject") and held.step == "check"
    (fixed,) = run(("g", T2), params=GateParams(hold="reject"))
    assert (fixed.decision, fixed.previous_fingerprint) == ("ingest", None)
    (c,) = run(("c", copy_of(T2, 9)))
    assert (c.decision, c.duplicate_of) == ("duplicate", "g")


SEQUENCE = [
    [("a", T1), ("s1", _story(11)), ("c1", copy_of(T1, 12))],
    [("b", T2), ("s2", _story(13)), ("a", T3)],
    [("c1", copy_of(T1, 12)), ("s0", _story(14)), ("x", copy_of(T3, 15)), ("b", copy_of(T3, 16))],
]


def _play(spec: Any, params: GateParams) -> list[tuple[Any, ...]]:
    return [r for pairs in SEQUENCE for r in _rows(_gate(spec, pairs, params))]


@pytest.mark.parametrize("batch_size", [1, 2, 1000])
def test_a_sequence_of_runs_does_not_depend_on_the_batch_size(tmp_path: Path, batch_size: int) -> None:
    sqlite = _play(str(tmp_path / "g.sqlite"), GateParams(check=False, batch_size=batch_size))
    assert sqlite == _play(MemoryIndex(), NOCHECK)
    assert [r[1] for r in sqlite] == ["ingest"] * 2 + ["duplicate"] + ["ingest", "ingest", "update"] + [
        "ingest",
        "ingest",
        "duplicate",
        "duplicate",
    ]


def test_story_names_across_runs_do_not_depend_on_the_batch_size() -> None:
    """Before, the names differed: the index kept no story names, and the scan's chain guard kept
    different story links depending on which articles shared a batch."""
    one = _play(MemoryIndex(), GateParams(check=False, level="both", batch_size=1))
    assert one == _play(MemoryIndex(), BOTH)
    assert any(r[3] is not None for r in one)  # there are story names to compare


def test_story_clusters_do_not_depend_on_where_runs_and_batches_end() -> None:
    """The story label is the earliest member's id (as `duplicate_of` is), so an article's story
    cluster is named the same whether the story's articles came in one run, one by one, or in
    batches: before, it was the smallest id among the members one scan saw ("b" in one run, "m"
    then "b" then "c" run by run)."""
    pairs = [("m", _story(21)), ("n", _story(22)), ("b", _story(23)), ("c", _story(24))]
    one = _rows(_gate(MemoryIndex(), pairs, BOTH))
    assert [r[3] for r in one] == [None, "m", "m", "m"]  # the first of its story has no earlier one
    idx = MemoryIndex()
    runs = [r for p in ([pairs[0], pairs[1]], [pairs[2]], [pairs[3]]) for r in _rows(_gate(idx, p, BOTH))]
    assert runs == one
    batched = _rows(_gate(MemoryIndex(), pairs, GateParams(check=False, level="both", batch_size=1)))
    assert batched == one


def test_a_story_update_keeps_the_story_label(run: Run) -> None:
    run(("m", _story(31)), ("n", _story(32)), params=BOTH)
    (upd,) = run(("n", _story(33)), params=BOTH)
    assert (upd.decision, upd.story_cluster) == ("update", "m")
    (later,) = run(("a", _story(34)), params=BOTH)
    assert later.story_cluster == "m"


def test_an_id_repeated_after_a_first_occurrence_that_was_an_error_is_still_a_repeat(run: Run) -> None:
    """ "An id sent twice in one run: the first is judged as usual and the repeat is an error",
    whichever step held the first back; before, a repeat after an empty first text was judged."""
    decisions = run(("a", "   "), ("a", T1), ("b", T2[:40] + "\ud800"), ("b", T2))
    assert [(d.decision, d.step) for d in decisions] == [("error", "read")] * 4
    assert "duplicate id 'a'" in decisions[1].reasons[0]
    assert "duplicate id 'b'" in decisions[3].reasons[0]
    (later,) = run(("a", T1))
    assert later.decision == "ingest"


def test_interleaved_runs_on_two_indexes_do_not_mix(tmp_path: Path) -> None:
    one, two = str(tmp_path / "one.sqlite"), str(tmp_path / "two.sqlite")
    _gate(one, [("a", T1)])
    (b,) = _gate(two, [("b", copy_of(T1, 41))])
    assert b.decision == "ingest"
    (a2,) = _gate(one, [("a2", copy_of(T1, 42))])
    assert (a2.decision, a2.duplicate_of) == ("duplicate", "a")
    (b2,) = _gate(two, [("a", T1)])  # "a" is new on the second index: a copy of "b" there
    assert (b2.decision, b2.duplicate_of, b2.previous_fingerprint) == ("duplicate", "b", None)


def test_a_sequence_with_jobs_and_checks_gives_the_same_decisions(tmp_path: Path) -> None:
    seq = [
        [(f"g{k}", GARBLED.replace("Geneva", f"Geneva {k}")) for k in range(3)] + [("a", T1)],
        [(f"c{k}", copy_of(T1, 50 + k)) for k in range(16)] + [("g0", T2), ("a", T3)],
    ]

    def play(spec: Any, jobs: int) -> list[Any]:
        return [d.to_json() for pairs in seq for d in _gate(spec, pairs, GateParams(batch_size=7), jobs)]

    assert play(str(tmp_path / "j1.sqlite"), 1) == play(str(tmp_path / "j2.sqlite"), 2)


@pytest.mark.parametrize("batch_size", [1, 1000])
def test_a_later_article_does_not_make_an_earlier_one_a_copy(run: Run, batch_size: int) -> None:
    """n1 copies both "a" and n0, n0 is too far from "a" to be its copy. Before, with n0 and n1 in
    one batch, n0 was held as a "copy of a (similarity 0.37)": linked through n1, which came after
    it; scanned one by one it went in."""
    base = article(301)
    mid = copy_of(base, 1, replace=0.08)
    far = copy_of(mid, 2, replace=0.08)
    run(("a", base))
    n0, n1 = run(("n0", far), ("n1", mid), params=GateParams(check=False, batch_size=batch_size))
    assert (n0.decision, n0.duplicate_of) == ("ingest", None)
    assert (n1.decision, n1.duplicate_of) == ("duplicate", "a")
    assert n1.similarity is not None and n1.similarity > 0.5
