"""Connected components of an edge table in Spark SQL: large-star / small-star (Kiveris et al.,
"Connected Components in MapReduce and Beyond", SoCC 2014).

Why in Spark and not union-find on the driver: verified links grow with the corpus, and collecting
them all to one process is what a Spark run must avoid. Why this algorithm: min-label propagation
needs one round per hop (a chain of 1,000 edited copies takes 1,000 rounds), while alternating
large-star and small-star needs O(log^2 n) rounds whatever the diameter; each round is a few
shuffles of the edge table. Why not GraphFrames (which implements the same algorithm): it needs a
jar downloaded at run time. The edge table is checkpointed after each round, so the query plan does
not grow with the rounds.
"""

from __future__ import annotations

from typing import Any

MAX_ROUNDS = 200  # a component of n nodes needs O(log^2 n) rounds: 200 is far beyond any corpus


def connected_components(edges: Any, max_rounds: int = MAX_ROUNDS) -> tuple[Any, int]:
    """`(node, root)` for every node of `edges` (long columns `a`, `b`), root = the smallest node of
    its component (a root maps to itself); and the number of rounds it took (one round turns
    cliques, the usual shape of copy clusters, into stars)."""
    from pyspark.sql import functions as F

    e = _cut(_oriented(edges.select(F.col("a").alias("x"), F.col("b").alias("y"))))
    rounds = 0
    while True:  # no check before the first round: scan links are rarely stars already
        if rounds == max_rounds:
            raise RuntimeError(f"connected components did not converge in {max_rounds} rounds")
        e = _cut(_small_star(_large_star(e)))
        rounds += 1
        if _converged(e):
            break
    roots = e.select(F.col("v").alias("node"), F.col("v").alias("root")).distinct()
    return e.select(F.col("u").alias("node"), F.col("v").alias("root")).unionByName(roots), rounds


def _oriented(pairs: Any) -> Any:
    """Edges as (u, v) with u > v, without self-loops or repeats (the form every step keeps)."""
    from pyspark.sql import functions as F

    return (
        pairs.where(F.col("x") != F.col("y"))
        .select(F.greatest("x", "y").alias("u"), F.least("x", "y").alias("v"))
        .distinct()
    )


def _large_star(e: Any) -> Any:
    """Every node's larger neighbours are linked to the smallest node of its neighbourhood (one
    shuffle: a window over each node's neighbours, no join)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    both = e.select(F.col("u").alias("n"), F.col("v").alias("w")).unionByName(
        e.select(F.col("v").alias("n"), F.col("u").alias("w"))
    )
    low = F.least(F.col("n"), F.min("w").over(Window.partitionBy("n")))
    return (
        both.select("n", "w", low.alias("m"))
        .where(F.col("w") > F.col("n"))
        .select(F.col("w").alias("u"), F.col("m").alias("v"))
    )


def _small_star(e: Any) -> Any:
    """Every node and its smaller neighbours are linked to the smallest of them (one window)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    low = e.select("u", "v", F.min("v").over(Window.partitionBy("u")).alias("m"))
    moved = low.where(F.col("v") != F.col("m")).select(F.col("v").alias("u"), F.col("m").alias("v"))
    return moved.unionByName(low.select("u", F.col("m").alias("v"))).distinct()


def _converged(e: Any) -> bool:
    """Stars: each node points to one node, and no pointed-to node points anywhere. Since links
    keep the components connected, each component is then one star around its smallest node."""
    from pyspark.sql import functions as F

    ends = e.select(F.col("u").alias("n"), F.lit(1).alias("out"), F.lit(0).alias("into")).unionByName(
        e.select(F.col("v").alias("n"), F.lit(0).alias("out"), F.lit(1).alias("into"))
    )
    per = ends.groupBy("n").agg(F.sum("out").alias("o"), F.max("into").alias("i"))
    return per.where((F.col("o") > 1) | ((F.col("o") > 0) & (F.col("i") > 0))).isEmpty()


def cut_lineage(df: Any) -> Any:
    """`df` computed now and cut from its plan: a reliable checkpoint when the context has a
    checkpoint directory (what a cluster should set), else a local one on the executors."""
    if df.sparkSession.sparkContext.getCheckpointDir() is not None:
        return df.checkpoint(eager=True)
    return df.localCheckpoint(eager=True)


_cut = cut_lineage
