"""Story level: clusters do not depend on input order or on the ids, and hostile text is one
result per input, never a dead scan."""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup.model import Article
from dedup.near.scan import scan
from tests.near.corpus import article, copy_of


def _retold(text: str, rng: random.Random) -> str:
    """The same story in another outlet's words: sentences reordered, a third left out."""
    head, _, body = text.partition("\n\n")
    sents = [s for s in body.replace("\n\n", " ").split(". ") if s]
    rng.shuffle(sents)
    return "Report: " + head + "\n\n" + ". ".join(sents[: max(3, len(sents) * 2 // 3)]) + "."


def _corpus(seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for s in range(rng.randint(3, 5)):
        base = article(7000 + 10 * seed + s, paragraphs=rng.randint(1, 3))
        texts.append(base)
        for _ in range(rng.randint(0, 2)):
            texts.append(_retold(base, rng) if rng.random() < 0.7 else copy_of(base, rng.randrange(99)))
    return texts


def _clusters(arts: list[Article], rename: dict[str, str] | None = None) -> list[tuple[str, tuple[str, ...]]]:
    rename = rename or {}
    result = scan(arts, level="both")
    return sorted((c.level, tuple(sorted(rename.get(m, m) for m in c.members))) for c in result.clusters)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), order=st.randoms(use_true_random=False))
def test_clusters_do_not_depend_on_input_order_or_ids(seed: int, order: random.Random) -> None:
    texts = _corpus(seed)
    arts = [Article(id=f"d{k:02d}", text=t, origin=f"<{k}>") for k, t in enumerate(texts)]
    want = _clusters(arts)
    assert any(level == "story" for level, _ in want)  # the corpus has stories to find
    shuffled = arts[:]
    order.shuffle(shuffled)
    assert _clusters(shuffled) == want
    new_ids = [a.id for a in arts]
    order.shuffle(new_ids)
    back = {n: a.id for n, a in zip(new_ids, arts, strict=True)}
    renamed = [Article(id=n, text=a.text, origin=a.origin) for n, a in zip(new_ids, arts, strict=True)]
    assert _clusters(renamed, back) == want


_PIECES = [
    "bridge", "Council", "\u200b", "\u202e", "e\u0301", "中文", "。", "\x00", "\ufeff", "\n\n", "\r\n",
    "Advertisement", "ALSO READ | x", "1,234", "4.2", "(", '"', "🙂", "ǅ", "İ", "ß", "ﬁ", "Mr.", "U.S.",
    "a" * 300, "\ud800",
]  # fmt: skip
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=30).map(" ".join) | st.text(max_size=120)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TEXT, min_size=1, max_size=4))
def test_hostile_text_gets_one_result_per_input(texts: list[str]) -> None:
    arts = [Article(id=f"i{k}", text=t, origin=f"<{k}>") for k, t in enumerate(texts)]
    result = scan(arts, level="story")
    assert sorted(d.id for d in result.documents) == sorted(a.id for a in arts)
    assert json.dumps(result.to_json()) == json.dumps(scan(arts, level="story").to_json())  # same input
    again = scan(list(reversed(arts)), level="story")  # "earliest" changes; the clusters do not
    assert {tuple(c.members) for c in again.clusters} == {tuple(c.members) for c in result.clusters}
