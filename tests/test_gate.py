"""The pre-ingest step: one decision per input, in order, persistent across runs, nothing dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dedup.cli import app
from dedup.gate import GateParams, gate, summary
from dedup.load import iter_articles
from dedup.model import Article, LoadError

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
    assert doc["schema"] == "dedup.gate/1"
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
