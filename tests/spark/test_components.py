"""Connected components and the story level's chain guard in Spark equal the local union-find and
`mutual_top_k`, on shapes that need one round or many."""

from __future__ import annotations

import random
from typing import Any

import pytest

from dedup.near.story import mutual_top_k
from dedup.near.unionfind import UnionFind


def _shuffled_path(n: int, seed: int) -> list[tuple[int, int]]:
    """A path whose labels are shuffled: min-label propagation would need n rounds."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [(order[i], order[i + 1]) for i in range(n - 1)]


SHAPES = {
    "one link": [(3, 9)],
    "ascending chain": [(i, i + 1) for i in range(40)],
    "descending chain": [(i + 1, i) for i in reversed(range(40))],
    "long shuffled path": _shuffled_path(300, 1),
    "two stars joined at their tips": [(0, i) for i in range(1, 30)]
    + [(i, 99) for i in range(50, 99)]
    + [(29, 50)],
    "clique": [(a, b) for a in range(8) for b in range(a + 1, 8)],
    "random forest of small parts": [
        (random.Random(k).randrange(900), random.Random(-k).randrange(900)) for k in range(600)
    ],
}


def test_components_equal_union_find(spark: Any) -> None:
    """Every shape at once (labels moved apart), so one Spark run checks them all."""
    from dedup.spark.components import connected_components

    edges = [(a + 1000 * i, b + 1000 * i) for i, shape in enumerate(SHAPES.values()) for a, b in shape]
    comp, rounds = connected_components(spark.createDataFrame(edges, "a long, b long"))
    got = [(r.node, r.root) for r in comp.collect()]
    uf = UnionFind()
    for a, b in edges:
        uf.union(a, b)
    want = {n: g[0] for g in uf.groups() for n in g}
    assert sorted(got) == sorted(want.items())  # one row per node, no repeats
    assert rounds >= 3  # the shuffled path needs the iterations (and their checkpoints)


def test_a_clique_is_one_round(spark: Any) -> None:
    from dedup.spark.components import connected_components

    comp, rounds = connected_components(spark.createDataFrame(SHAPES["clique"], "a long, b long"))
    assert rounds == 1 and {r.root for r in comp.collect()} == {0}


def test_no_links_give_no_components(spark: Any) -> None:
    from dedup.spark.components import connected_components

    comp, rounds = connected_components(spark.createDataFrame([], "a long, b long"))
    assert comp.collect() == [] and rounds == 1


def test_a_round_limit_is_an_error_not_a_wrong_answer(spark: Any) -> None:
    from dedup.spark.components import connected_components

    with pytest.raises(RuntimeError, match="did not converge"):
        connected_components(spark.createDataFrame(_shuffled_path(300, 2), "a long, b long"), max_rounds=1)


def test_mutual_top_k_equals_the_local_guard(spark: Any) -> None:
    from dedup.spark.scan import mutual_top_k as spark_mutual_top_k

    rng = random.Random(5)
    pairs = sorted({(a, b) for a, b in ((rng.randrange(60), rng.randrange(60)) for _ in range(400)) if a < b})
    links = [(a, b, rng.choice([0.3, 0.35, 0.4, 0.5, rng.random()])) for a, b in pairs]  # many ties
    df = spark.createDataFrame(links, "a long, b long, sim double").cache()
    for k in (1, 2, 3):
        got = sorted((r.a, r.b, r.sim) for r in spark_mutual_top_k(df, k).collect())
        want = sorted(mutual_top_k(links, k))
        assert got == want, k
        assert 0 < len(want) < len(links)  # the guard dropped some links and kept some
