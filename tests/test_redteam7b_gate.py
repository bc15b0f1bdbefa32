"""Red-team (session 7, helper b) of the gate after a stopped run.

Found: at `--level both`, a batch holding a same-text resend and an id a stopped run left pending
stopped the whole run with a KeyError (the resend's number was missing from the second look at the
index, taken under the lock to tidy the left-over)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.gate import GateParams, gate
from dedup.model import Article
from dedup.near.index import open_index
from dedup.near.index.base import PENDING
from tests.near.corpus import article

BOTH = GateParams(level="both", check=False)


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_a_resend_next_to_a_stopped_runs_left_over_is_decided(backend: str, tmp_path: Path) -> None:
    idx = open_index("memory" if backend == "memory" else str(tmp_path / "idx.sqlite"))
    first = [Article(id="a", text=article(41)), Article(id="b", text=article(42))]
    assert [d.decision for d in gate(first, index=idx, params=BOTH)] == ["ingest", "ingest"]
    told = {d.id: d.story_cluster for d in gate(first[:1], index=idx, params=BOTH)}  # a plain resend
    idx.number(["half"])  # what a run stopped half-way leaves: a number marked pending
    idx.set_fingerprints({"half": PENDING})
    again = [first[0], Article(id="half", text=article(43)), first[1]]
    out = {d.id: d for d in gate(again, index=idx, params=BOTH)}
    assert (out["a"].decision, out["a"].duplicate_of) == ("duplicate", "a")
    assert out["a"].story_cluster == told["a"]  # told its recorded story, as without the left-over
    assert out["half"].decision == "ingest"  # the left-over judged afresh
    assert out["b"].decision == "duplicate"
    idx.close()


def test_a_reference_too_long_to_align_is_the_records_error_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from dedup.gate import check_article

    mt = " ".join(f"Council member {i} voted for plan {i}." for i in range(2001))
    ref = " ".join(f"Member {i} of the council backed plan {i}." for i in range(2001))
    out = check_article(Article(id="big", text=mt, ref=ref))
    assert out.error is not None and "TooLarge" in out.error and "2,001" in out.error
    assert not any(r.exc_info for r in caplog.records)  # an input refused by its size, not a bug
