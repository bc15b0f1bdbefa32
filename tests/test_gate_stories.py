"""Story names in the gate (`--level both`): recorded in the index with each article that goes in,
so an article is told the name the earlier articles of its story were told, whatever run or batch.

The articles are written here: each story has its own made-up vocabulary (seeded syllables), so
reports of one story share their rare words and reports of different stories share only glue words
(the shared-vocabulary articles of `tests.near.corpus` are all one story at this level).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dedup.gate import GateParams, gate
from dedup.model import Article
from dedup.near.index import open_index
from dedup.near.index.memory import MemoryIndex
from tests import test_gate
from tests.near.conftest import redis_url  # noqa: F401 - the real redis-server fixture
from tests.test_gate import Run

run = test_gate.run  # the fixture: one gate run after another on one index, per backend

BOTH = GateParams(check=False, level="both")
_GLUE = "the a of to in and said on for with that was at by from after before as officials".split()
_SYLLABLES = "ka lo mi ren tas vor pel dun gri sho ba ne tu vik sar mol".split()


def _vocabulary(topic: str) -> list[str]:
    rng = random.Random(f"topic-{topic}")
    return ["".join(rng.choice(_SYLLABLES) for _ in range(3)) for _ in range(40)]


def report(topics: list[str], seed: int) -> str:
    """A report on these topics: sentences of their words and glue words (another seed, another
    wording: never a copy of another report)."""
    rng = random.Random(f"report-{seed}")
    words = [w for t in topics for w in _vocabulary(t)]
    sents = []
    for _ in range(14):
        ws = [rng.choice(words if rng.random() < 0.6 else _GLUE) for _ in range(rng.randint(10, 16))]
        sents.append(" ".join(ws).capitalize() + ".")
    paras = [" ".join(sents[i : i + 3]) for i in range(0, len(sents), 3)]
    return " ".join(rng.choice(words).capitalize() for _ in range(5)) + "\n\n" + "\n\n".join(paras) + "\n"


def blend(first: str, second: str, seed: int) -> str:
    """The first half of one report and the second half of another, reworded (a quarter and a half
    of the words): a report that is about both stories and a copy of neither."""
    rng = random.Random(seed)
    h1, _, b1 = first.partition("\n\n")
    p1, p2 = (
        first.partition("\n\n")[2].strip().split("\n\n"),
        second.partition("\n\n")[2].strip().split("\n\n"),
    )

    def reword(p: str, rate: float) -> str:
        return " ".join(w if rng.random() > rate else rng.choice(p.split()) for w in p.split(" "))

    paras = [reword(p, 0.25) for p in p1[: len(p1) // 2]] + [reword(p, 0.5) for p in p2[len(p2) // 2 :]]
    return h1 + "\n\n" + "\n\n".join(paras) + "\n"


X1, X2, Y1, Y2 = report(["x"], 11), report(["x"], 12), report(["y"], 13), report(["y"], 14)
XY = blend(X2, Y2, 15)  # closest to X2 and Y2 (its two best story links), linked to X1 and Y1 too
Y3 = report(["y"], 16)
A, AB, B = report(["a"], 21), report(["a", "b"], 22), report(["b"], 23)  # B is linked to AB, not to A


def _stories(run: Run, ids: list[str]) -> dict[str, str]:
    spec = run.spec  # type: ignore[attr-defined]
    idx = open_index(spec)
    try:
        return idx.stories(ids)
    finally:
        if idx is not spec:
            idx.close()


def _names(decisions: list[Any]) -> list[tuple[str, str, str | None]]:
    return [(d.id, d.decision, d.story_cluster) for d in decisions]


def test_a_name_told_in_an_earlier_run_is_told_again(run: Run) -> None:
    """AB was told "A"; B, a later run's report linked to AB only, is told "A" too. Before, the
    index kept no names and B was told "AB" (AB's own id)."""
    assert _names(run(("A", A), ("AB", AB), params=BOTH)) == [("A", "ingest", None), ("AB", "ingest", "A")]
    assert _stories(run, ["A", "AB"]) == {"AB": "A"}  # the first of its story is its own name
    (b,) = run(("B", B), params=BOTH)
    assert (b.decision, b.story_cluster) == ("ingest", "A")
    assert _stories(run, ["B"]) == {"B": "A"}


def test_an_article_linking_two_stories_takes_the_earlier_storys_name(run: Run) -> None:
    """XY's two best links are X2 (story "X1") and Y2 (story "Y1"): it is told the name of the story
    whose first article was indexed first. Names already told do not change: Y2 is still "Y1" when
    resent, and a later report linked to Y1 and Y2 is told "Y1"."""
    run(("X1", X1), ("Y1", Y1), params=BOTH)
    assert _names(run(("X2", X2), ("Y2", Y2), params=BOTH)) == [
        ("X2", "ingest", "X1"),
        ("Y2", "ingest", "Y1"),
    ]
    (xy,) = run(("XY", XY), params=BOTH)
    assert (xy.decision, xy.story_cluster) == ("ingest", "X1")
    (y3,) = run(("Y3", Y3), params=BOTH)
    assert y3.story_cluster == "Y1"
    (y2,) = run(("Y2", Y2), params=BOTH)
    assert (y2.decision, y2.story_cluster) == ("duplicate", "Y1")
    assert _stories(run, ["X1", "X2", "Y1", "Y2", "XY", "Y3"]) == {
        "X2": "X1",
        "Y2": "Y1",
        "XY": "X1",
        "Y3": "Y1",
    }


def test_a_same_text_resend_is_told_its_story(run: Run) -> None:
    """Before, a same-text resend (no scan) had no story_cluster. The first of a story is told its
    own id (the name later reports of its story were told); an article that went in at copy level
    only has no story sketch, so no story."""
    run(("X1", X1), ("X2", X2), params=BOTH)
    run(("C", Y1))  # copy level
    resent = run(("X1", X1), ("X2", X2), ("C", Y1), params=BOTH)
    assert _names(resent) == [("X1", "duplicate", "X1"), ("X2", "duplicate", "X1"), ("C", "duplicate", None)]
    assert [d.reasons for d in resent] == [["already ingested (same id, same text)"]] * 3
    (copy_level,) = run(("X2", X2))  # without --level both there is no story to tell
    assert (copy_level.decision, copy_level.story_cluster) == ("duplicate", None)


def test_an_update_records_its_new_story_name(run: Run) -> None:
    """An update is told the story of its new text; the recorded name follows (cleared when it is
    now the first of a story, so later reports of that story are told its own id)."""
    run(("X1", X1), ("Y1", Y1), ("X2", X2), params=BOTH)
    assert _stories(run, ["X2"]) == {"X2": "X1"}
    (upd,) = run(("X2", Y2), params=BOTH)
    assert (upd.decision, upd.story_cluster) == ("update", "Y1")
    assert _stories(run, ["X2"]) == {"X2": "Y1"}
    (alone,) = run(("X2", A), params=BOTH)
    assert (alone.decision, alone.story_cluster) == ("update", None)
    assert _stories(run, ["X2"]) == {}
    (later,) = run(("AB", AB), params=BOTH)
    assert later.story_cluster == "X2"


def test_names_are_read_from_the_index(run: Run) -> None:
    """The gate keeps no map of names for the run: what an earlier article was told is read from
    the index (here a name recorded by hand, as another process sharing the index would)."""
    run(("X1", X1), ("Y1", Y1), params=BOTH)
    spec = run.spec  # type: ignore[attr-defined]
    idx = open_index(spec)
    try:
        idx.set_stories({"Y1": "X1"})
    finally:
        if idx is not spec:
            idx.close()
    (y2,) = run(("Y2", Y2), params=BOTH)
    assert y2.story_cluster == "X1"


Fresh = Callable[[], Any]


@pytest.fixture(params=["memory", "sqlite", "redis"])
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Fresh]:
    """A new empty index of the backend at every call."""
    made: list[int] = []

    def make() -> Any:
        made.append(len(made))
        if request.param == "memory":
            return MemoryIndex()
        if request.param == "sqlite":
            return str(tmp_path / f"g{len(made)}.sqlite")
        url = request.getfixturevalue("redis_url")
        return {"type": "redis", "url": url, "prefix": f"stories-{request.node.name}-{len(made)}:"}

    yield make


STREAM = [
    ("X1", X1),
    ("A", A),
    ("Y1", Y1),
    ("X2", X2),
    ("AB", AB),
    ("Y2", Y2),
    ("XY", XY),
    ("B", B),
    ("Y3", Y3),
    ("X2c", X2.replace("\n\n", "\n\nAdvertisement\n\n", 1)),  # a copy of X2: a duplicate, told "X1"
]


def _play(spec: Any, cuts: list[int], batch_size: int) -> list[tuple[str, str, str | None]]:
    params = GateParams(check=False, level="both", batch_size=batch_size)
    out = []
    for lo, hi in zip([0, *cuts], [*cuts, len(STREAM)], strict=True):
        items = [Article(id=i, text=t, origin=f"<{i}>") for i, t in STREAM[lo:hi]]
        out += _names(list(gate(items, index=spec, params=params)))
    return out


def test_story_names_do_not_depend_on_runs_or_batches(fresh: Fresh) -> None:
    one = _play(fresh(), [], 1000)
    assert one == [
        ("X1", "ingest", None),
        ("A", "ingest", None),
        ("Y1", "ingest", None),
        ("X2", "ingest", "X1"),
        ("AB", "ingest", "A"),
        ("Y2", "ingest", "Y1"),
        ("XY", "ingest", "X1"),
        ("B", "ingest", "A"),
        ("Y3", "ingest", "Y1"),
        ("X2c", "duplicate", "X1"),
    ]
    for cuts, size in [([], 1), ([], 3), ([4], 1000), ([2, 5, 7], 2), (list(range(1, 10)), 1000)]:
        assert _play(fresh(), cuts, size) == one, (cuts, size)


# -- the story candidate cap across batches and runs (index format 4) ---------------------------


def _gate_links(
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    items: list[tuple[str, str]],
    cap: int,
    cuts: list[int],
    batch: int,
) -> set[tuple[str, str]]:
    """The story links the gate derives (`_earlier_story_links`) with the label level of
    `tests.near.test_story_tops` (cap `cap`, every candidate verifying), over the runs `cuts`."""
    import importlib

    from tests.near.test_story_tops import LabelLevel

    gate_mod = importlib.import_module("dedup.gate")
    scan_mod = importlib.import_module("dedup.near.scan")  # `dedup.near.scan` is also the function

    make = scan_mod.make_level
    monkeypatch.setattr(
        scan_mod, "make_level", lambda name, t=None: LabelLevel(cap) if name == "story" else make(name, t)
    )
    found: set[tuple[str, str]] = set()
    inner = gate_mod._earlier_story_links

    def record(*args: Any) -> dict[str, dict[str, float]]:
        out = inner(*args)
        found.update((min(a, b), max(a, b)) for a, others in out.items() for b in others)
        return out

    monkeypatch.setattr(gate_mod, "_earlier_story_links", record)
    params = GateParams(check=False, level="both", batch_size=batch)
    bounds = [0, *cuts, len(items)]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        decisions = run(*items[lo:hi], params=params)
        assert [d.decision for d in decisions] == ["ingest"] * (hi - lo)  # no copies: all go in
    return found


@pytest.mark.parametrize(("cuts", "batch"), [([], 1000), ([], 5), ([12, 30], 7)])
def test_gate_story_candidates_hold_every_pair_of_one_scan(
    run: Run, monkeypatch: pytest.MonkeyPatch, cuts: list[int], batch: int
) -> None:
    """Whatever the batches and runs, the gate considers every pair one scan over all the articles
    keeps, including those only the earlier article ranks in its top `cap`."""
    from dedup.near.scan import scan
    from tests.near.test_story_tops import LabelLevel, articles, corpus, earlier_only, pairs

    items = corpus(40, 11)
    one = pairs(scan(articles(items), level=LabelLevel(2)))
    assert earlier_only(items, 2, 5) & one  # pairs the later article alone would not keep
    assert one - _gate_links(run, monkeypatch, items, 2, cuts, batch) == set()
