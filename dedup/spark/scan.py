"""`dedup scan` as a Spark batch job: the same result as `dedup.near.scan.scan`, row for row.

Where each step runs, and why it gives the local result exactly:
- sketching (executors, `mapPartitions`): the local scan's own `ScanInputs` and `sketch_inputs` on each
  chunk of a partition (text pipeline, shingles, MinHash with the explicit scheme, band keys);
  a level sketches each article independently, so chunking does not change a sketch;
- candidates (Spark SQL; numpy for the cap): one row per (article, band, band key). A level with a
  `candidate_cap` (the story level) keeps, per article, the `cap` partners sharing the most band
  keys (ties: the earlier one), a pair kept when either end keeps it, as `capped_pairs` does (one
  row per article with its buckets' members, partners counted in numpy). Other levels pair articles
  sharing a bucket (the band key's top 40 bits, as `colliding_pairs` sorts them), each with the
  next 63 in input order (the local cap for big buckets, `MAX_RUN_ALL_PAIRS`). Either way the
  candidate set equals the local one (for `colliding_pairs`: below 2**24 sketched articles; above,
  the local scan buckets on all 64 bits, in an arbitrary order);
- verification (executors): the level's `similarity_many` (or `similarity`) on candidate pairs
  grouped by their first article, each group receiving the payloads it needs once; the pairs at
  or above the verify threshold stay in Spark, with their similarity rounded by Python's `round`;
- link filter (Spark SQL): the story level's chain guard (`mutual_top_k`: each link among the
  `chain_k` best of both its ends) is per article, so two window functions; a filter Spark does
  not know runs on the driver (that level's links collected). Copy links carried into the story
  level: an anti-join, their story similarity computed on the executors;
- clustering (Spark SQL): connected components by large-star / small-star (`components`), root =
  the earliest member; cluster id = the smallest member id; `duplicate_of` = the root, with the
  verified similarity or, for members linked through others, the exact `similarity` computed on
  the executors. Nothing is collected: `rows` (per article) and `cluster_table` (members and pairs
  per cluster) are DataFrames; the driver only streams what the caller asks for.
Repeated ids become error rows (the first in input order wins), as in the local scan. No
persistent index: this is a batch over the given corpus.
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dedup.model import Article, LoadError
from dedup.near.bands import MAX_RUN_ALL_PAIRS, band_params
from dedup.near.index.base import level_meta
from dedup.near.level import Level
from dedup.near.scan import (
    LEVEL_NAMES,
    Cluster,
    DocResult,
    Pair,
    ScanInputs,
    ScanResult,
    resolve_levels,
    sketch_inputs,
)
from dedup.spark.components import connected_components
from dedup.spark.read import read_dataframe, read_paths
from dedup.spark.session import require_pyspark

log = logging.getLogger("dedup.spark")

_ROUND = 4  # as the local scan rounds similarities
_BUCKET_SHIFT = 24  # the local scan buckets on a band key's top 40 bits
_CHUNK = 2048  # articles sketched at once in a partition (bounds the executor's memory)
_VERIFY_CHUNK = 4096
_PAIR_SCHEMA = "level string, a long, b long, ia string, ib string, sim double, sim_r double"
ROW_COLUMNS = ("id", "copy_cluster", "story_cluster", "duplicate_of", "similarity", "origin", "error")


@dataclass
class SparkScanResult:
    """What a Spark scan found, kept in Spark. `rows` is a DataFrame sorted as the local output (by
    id, origin) with the JSONL columns plus `lang` and `status` (ok | empty | error);
    `cluster_table` has one row per cluster (`level`, `cid`, `members`, `pairs`). Only `clusters`
    (and `to_scan_result`, which JSON and table output need) brings the clusters to the driver."""

    params: dict[str, Any]
    rows: Any  # pyspark.sql.DataFrame
    cluster_table: Any  # pyspark.sql.DataFrame
    cached: list[Any] = field(default_factory=list)  # what `unpersist` releases

    @functools.cached_property
    def clusters(self) -> list[Cluster]:
        """Every cluster with its members and verified pairs, sorted as the local scan sorts them."""
        out = []
        for r in self.cluster_table.toLocalIterator():
            pairs = sorted(Pair(a, b, s) if a < b else Pair(b, a, s) for a, b, s in (r.pairs or []))
            out.append(Cluster(r.cid, r.level, sorted(r.members), pairs))
        out.sort(key=lambda c: (LEVEL_NAMES.index(c.level) if c.level in LEVEL_NAMES else 99, c.level, c.id))
        return out

    def unpersist(self) -> None:
        """Release the cached rows and clusters."""
        for df in self.cached:
            df.unpersist()

    def iter_rows(self) -> Iterator[dict[str, Any]]:
        """The rows of `dedup scan --format jsonl`, streamed to the driver in order."""
        for r in self.rows.toLocalIterator():
            yield _jsonl_row(r.asDict())

    def jsonl_lines(self) -> Iterator[str]:
        for row in self.iter_rows():
            yield json.dumps(row, ensure_ascii=False, allow_nan=False)

    def write_jsonl(self, path: str | Path) -> None:
        """The JSONL lines written by Spark into the folder `path` (part files, in order)."""
        lines = self.rows.rdd.map(
            lambda r: (json.dumps(_jsonl_row(r.asDict()), ensure_ascii=False, allow_nan=False),)
        )
        self.rows.sparkSession.createDataFrame(lines, "value string").write.mode("overwrite").text(str(path))

    def to_scan_result(self) -> ScanResult:
        """Everything on the driver, as the local `scan` returns it (for JSON and table output)."""
        docs = []
        for r in self.rows.toLocalIterator():
            d = DocResult(id=r.id, origin=r.origin, lang=r.lang, status=r.status, error=r.error)
            for name in LEVEL_NAMES:
                if r[f"{name}_cluster"] is not None:
                    d.clusters[name] = r[f"{name}_cluster"]
            d.duplicate_of, d.similarity = r.duplicate_of, r.similarity
            docs.append(d)
        return ScanResult(params=self.params, documents=docs, clusters=self.clusters)


def _jsonl_row(r: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: r[k] for k in ROW_COLUMNS[:5]}
    if r["error"] is not None:
        out["origin"], out["error"] = r["origin"], r["error"]
    return out


def spark_scan(
    spark: Any,
    source: Any,
    level: str | Level | Sequence[str | Level] = "copy",
    threshold: float | Mapping[str, float] | None = None,
    detect_lang: bool = False,
    batch_size: int = 512,
    split_bytes: int | None = None,
) -> SparkScanResult:
    """Copy (and/or story) clusters of a corpus, computed by Spark, equal to the local `scan`.

    `source`: a DataFrame (`id`, `text`, optional `lang`, `origin`, ...), a path, or a list of
    paths (JSONL files, text files, folders, as `dedup scan` takes them). `level`, `threshold`,
    `detect_lang`: as in `dedup.near.scan.scan`. `split_bytes`: bytes per parallel range of a JSONL
    file (default: the file over the cores, 1-64 MB). The returned rows and clusters are cached in
    Spark (`result.unpersist()` when done).
    """
    require_pyspark()
    from pyspark import StorageLevel

    levels = resolve_levels(level, threshold)
    if isinstance(source, (str, Path)):
        entries = read_paths(spark, [source], split_bytes=split_bytes)
    elif isinstance(source, Sequence):
        entries = read_paths(spark, list(source), split_bytes=split_bytes)
    else:
        entries = read_dataframe(source)
    metas = {}
    for lv in levels:
        b, r = band_params(lv.lsh_threshold, lv.num_perm)
        metas[lv.name] = level_meta(lv.params(), b, r)
    shared = spark.sparkContext.broadcast((levels, {k: (m["bands"], m["rows"]) for k, m in metas.items()}))

    def sketch(records: Iterator[Any]) -> Iterator[tuple[Any, ...]]:
        lvs, shapes = shared.value
        return _sketch_partition(records, lvs, shapes, detect_lang, batch_size)

    raw = spark.createDataFrame(entries.mapPartitions(sketch), _doc_schema(), verifySchema=False)
    raw = raw.persist(StorageLevel.MEMORY_AND_DISK)
    steps: list[Any] = []
    try:
        docs = _mark_repeated(spark, raw)
        rows, clusters, steps = _cluster(spark, docs, levels)
        rows = rows.persist(StorageLevel.MEMORY_AND_DISK)
        clusters = clusters.persist(StorageLevel.MEMORY_AND_DISK)
        rows.count()  # both materialised before the sketches and the steps are released
        clusters.count()
    finally:
        for df in [raw, *steps]:
            df.unpersist()
        shared.unpersist()
    level_params = {
        lv.name: {**lv.params(), "bands": metas[lv.name]["bands"], "rows": metas[lv.name]["rows"]}
        for lv in levels
    }
    params = {"levels": level_params, "index": None, "detect_lang": detect_lang, "engine": "spark"}
    return SparkScanResult(params=params, rows=rows, cluster_table=clusters, cached=[rows, clusters])


def _mark_repeated(spark: Any, raw: Any) -> Any:
    """A repeated id is an error row (the first in input order wins), with the local message."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    by_id = Window.partitionBy("id").orderBy("seq")
    repeated = (
        raw.where(F.col("status") != "error")
        .select("seq", "id", "origin")
        .withColumn("first", F.first("origin").over(by_id))
        .withColumn("k", F.row_number().over(by_id))
        .where(F.col("k") > 1)
        .collect()
    )
    if not repeated:
        return raw
    table = [(r.seq, f"duplicate id {r.id!r} (first seen at {r.first})") for r in repeated]
    dup = F.col("dup_error").isNotNull()
    joined = raw.join(F.broadcast(spark.createDataFrame(table, "seq long, dup_error string")), "seq", "left")
    cols = []
    for c in raw.columns:
        if c.endswith(("_payload", "_keys")):
            cols.append(F.when(dup, F.lit(None)).otherwise(F.col(c)).alias(c))
        elif c in ("status", "lang"):
            cols.append(F.when(dup, F.lit("error" if c == "status" else "und")).otherwise(F.col(c)).alias(c))
        elif c == "error":
            cols.append(F.coalesce(F.col("dup_error"), F.col("error")).alias("error"))
        else:
            cols.append(F.col(c))
    return joined.select(*cols)


def _doc_schema() -> Any:
    from pyspark.sql.types import ArrayType, BinaryType, LongType, StringType, StructField, StructType

    fields = [
        StructField("seq", LongType(), False),
        StructField("id", StringType()),
        StructField("origin", StringType()),
        StructField("lang", StringType()),
        StructField("status", StringType()),
        StructField("error", StringType()),
    ]
    for name in LEVEL_NAMES:
        fields.append(StructField(f"{name}_payload", BinaryType()))
        fields.append(StructField(f"{name}_keys", ArrayType(LongType())))
    return StructType(fields)


def _sketch_partition(
    records: Iterator[tuple[int, Article | LoadError]],
    levels: list[Level],
    shapes: Mapping[str, tuple[int, int]],
    detect_lang: bool,
    batch_size: int,
) -> Iterator[tuple[Any, ...]]:
    """One row per entry: its error, or its payload and LSH buckets at each level."""
    it = iter(records)
    while chunk := list(itertools.islice(it, _CHUNK)):
        good: list[tuple[int, Article]] = []
        for seq, item in chunk:
            if isinstance(item, Article):
                good.append((seq, item))
                continue
            yield (seq, item.id, item.origin, "und", "error", item.message, *([None] * 2 * len(LEVEL_NAMES)))
        if not good:
            continue
        inputs = ScanInputs([a for _, a in good], detect_lang)
        sketched: dict[str, tuple[list[Any], list[bytes | None]]] = {}
        for lv in levels:
            bands, rows = shapes[lv.name]
            keys, payloads = sketch_inputs(lv, inputs, batch_size, None, bands, rows)
            sketched[lv.name] = (keys.view(np.int64).tolist(), payloads)  # the 64-bit keys, as Spark longs
        for k, (seq, art) in enumerate(good):
            per_level: list[Any] = []
            status = "ok"
            for name in LEVEL_NAMES:
                if name not in sketched:
                    per_level += [None, None]
                    continue
                buckets, payloads = sketched[name]
                p = payloads[k]
                if p is None:
                    status = "empty"
                per_level += [None, None] if p is None else [bytearray(p), buckets[k]]
            yield (seq, art.id, art.origin, inputs.langs[k], status, None, *per_level)


def _candidates(docs: Any, level: Level) -> Any:
    """(a, b) seq pairs (a < b) as the local scan makes them: for a level with a `candidate_cap`,
    each article's `cap` partners sharing the most band keys (ties: the earlier partner), a pair
    kept when either end keeps it (`capped_pairs`); else every pair sharing a bucket (a band key's
    top 40 bits), in a big bucket only articles fewer than 64 apart (`colliding_pairs`)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    name = level.name
    keyed = docs.where(F.col(f"{name}_payload").isNotNull()).select(
        "seq", F.posexplode(f"{name}_keys").alias("band", "key")
    )
    cap = getattr(level, "candidate_cap", None)
    if not cap:
        keyed = keyed.withColumn("key", F.shiftrightunsigned("key", _BUCKET_SHIFT))
    bucket = Window.partitionBy("band", "key")
    shared = keyed.withColumn("n", F.count(F.lit(1)).over(bucket)).where(F.col("n") > 1).drop("n")
    if cap:  # one row per article with all its buckets' members; partners counted in numpy
        members = shared.groupBy("band", "key").agg(F.collect_list("seq").alias("m"))
        per_row = members.select(F.explode("m").alias("row"), "m").groupBy("row")
        lists = per_row.agg(F.flatten(F.collect_list("m")).alias("all"))
        kept = lists.rdd.mapPartitions(lambda rows: _top_partners(rows, int(cap)))
        return docs.sparkSession.createDataFrame(kept, "a long, b long").distinct()
    following = bucket.orderBy("seq").rowsBetween(1, MAX_RUN_ALL_PAIRS - 1)
    nxt = shared.withColumn("next", F.collect_list("seq").over(following))
    return nxt.select(F.col("seq").alias("a"), F.explode("next").alias("b")).distinct()


def _top_partners(rows: Iterator[Any], cap: int) -> Iterator[tuple[int, int]]:
    """Each article's `cap` partners sharing the most band keys (ties: the earlier partner)."""
    for r in rows:
        every = np.asarray(r["all"], dtype=np.int64)
        partner, shared = np.unique(every[every != r.row], return_counts=True)
        for p in partner[np.lexsort((partner, -shared))[:cap]].tolist():
            yield (r.row, p) if r.row < p else (p, r.row)


def _payloads(docs: Any, levels: list[Level]) -> Any:
    """(level, seq, id, payload) of every sketched article at every level."""
    from pyspark.sql import functions as F

    parts = [
        docs.where(F.col(f"{lv.name}_payload").isNotNull()).select(
            F.lit(lv.name).alias("level"), "seq", "id", F.col(f"{lv.name}_payload").alias("payload")
        )
        for lv in levels
    ]
    return functools.reduce(lambda x, y: x.unionByName(y), parts)


def _pair_job(payloads: Any, pairs: Any, levels: list[Level], vectorised: bool, floor: bool) -> Any:
    """Similarities of (level, a, b) pairs on the executors: with `similarity_many` where a level has
    it and `vectorised`, else `similarity`; with `floor`, only pairs at or above the verify threshold.
    A DataFrame (`_PAIR_SCHEMA`) with each similarity as computed and rounded as the local output
    rounds it (Python's `round`, done here: Spark's `round` rounds half up on decimals).

    Pairs are split into groups by `a`; each group receives the payloads its pairs need once (sorted
    ahead of its pairs), not two payloads per pair: the story level has ~100 candidates per article,
    and joining payloads onto every pair shipped 2.6 GB to Python for 10k articles."""
    from pyspark.sql import functions as F

    groups = int(payloads.sparkSession.conf.get("spark.sql.shuffle.partitions"))
    tagged = pairs.select("level", "a", "b", F.pmod(F.xxhash64("a"), F.lit(groups)).alias("g"))
    need = (
        tagged.select("g", "level", F.col("a").alias("seq"))
        .union(tagged.select("g", "level", F.col("b").alias("seq")))
        .distinct()
        .join(payloads.select("level", "seq", "id", "payload"), ["level", "seq"])
    )
    blank = {"id": F.lit(None).cast("string"), "payload": F.lit(None).cast("binary")}
    partners = tagged.groupBy("g", "level", "a").agg(F.collect_list("b").alias("bs"))  # one row per article
    rows = (
        need.select(
            "g",
            F.lit(0).alias("kind"),
            "level",
            F.col("seq").alias("a"),
            F.lit(None).cast("array<long>").alias("bs"),
            "id",
            "payload",
        )
        .unionByName(
            partners.select(
                "g",
                F.lit(1).alias("kind"),
                "level",
                "a",
                "bs",
                blank["id"].alias("id"),
                blank["payload"].alias("payload"),
            )
        )
        .repartition(groups, "g")
        .sortWithinPartitions("g", "kind")
    )
    by_name = {lv.name: lv for lv in levels}

    def run(stream: Iterator[Any]) -> Iterator[tuple[str, int, int, str, str, float, float]]:
        store: dict[tuple[str, int], tuple[str, bytes]] = {}
        todo: dict[str, list[tuple[int, int]]] = {}
        group = None
        for r in stream:
            if r.g != group:  # a new group: finish the last one, forget its payloads
                yield from _flush(todo, store, by_name, vectorised, floor)
                store, group = {}, r.g
            if r.kind == 0:
                store[(r.level, r.a)] = (r.id, bytes(r.payload))
            else:
                todo.setdefault(r.level, []).extend((r.a, b) for b in r.bs)
                if len(todo[r.level]) >= _VERIFY_CHUNK:
                    yield from _flush(todo, store, by_name, vectorised, floor)
        yield from _flush(todo, store, by_name, vectorised, floor)

    return payloads.sparkSession.createDataFrame(
        rows.rdd.mapPartitions(run), _PAIR_SCHEMA, verifySchema=False
    )


def _flush(
    todo: dict[str, list[tuple[int, int]]],
    store: Mapping[tuple[str, int], tuple[str, bytes]],
    by_name: Mapping[str, Level],
    vectorised: bool,
    floor: bool,
) -> Iterator[tuple[str, int, int, str, str, float, float]]:
    """Verify the buffered pairs of each level (emptying the buffer): (level, a, b, id_a, id_b, sim,
    rounded sim)."""
    for name in sorted(todo):
        lv = by_name[name]
        items = [
            (a, b) for a, b in todo[name] if (name, a) in store and (name, b) in store
        ]  # else unsketched
        batch = getattr(lv, "similarity_many", None) if vectorised else None
        pairs = [(store[(name, a)][1], store[(name, b)][1]) for a, b in items]  # one bytes object per article
        sims = batch(pairs).tolist() if batch is not None else [lv.similarity(x, y) for x, y in pairs]
        for (a, b), s in zip(items, sims, strict=True):
            if not floor or s >= lv.verify_threshold:
                yield name, a, b, store[(name, a)][0], store[(name, b)][0], float(s), round(float(s), _ROUND)
    todo.clear()


def _cluster(spark: Any, docs: Any, levels: list[Level]) -> tuple[Any, Any, list[Any]]:
    """Per-article cluster columns and per-cluster members and pairs, both as DataFrames, as the
    local scan builds them; and the DataFrames cached on the way (to release once both exist).

    Nothing here is collected to the driver except the links of a level whose `filter_links` has no
    Spark form (see `_filter_links`)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    payloads = _payloads(docs, levels)
    cands = [_candidates(docs, lv).select(F.lit(lv.name).alias("level"), "a", "b") for lv in levels]
    found = _pair_job(payloads, functools.reduce(lambda x, y: x.unionByName(y), cands), levels, True, True)
    found = found.persist(StorageLevel.MEMORY_AND_DISK)
    cached = [found]
    ids = docs.select("seq", "id")
    copy_links = None
    per_level: dict[str, Any] = {}
    tables = []
    for lv in levels:
        acc = _filter_links(spark, lv, found.where(F.col("level") == lv.name).drop("level"))
        if lv.name == "copy":
            copy_links = acc
        elif copy_links is not None:  # a copy of an article is in the same story (as in the local scan)
            extra = copy_links.select("a", "b").join(acc.select("a", "b"), ["a", "b"], "left_anti")
            sims = _pair_job(
                payloads, extra.select(F.lit(lv.name).alias("level"), "a", "b"), levels, False, False
            )
            acc = acc.unionByName(sims.drop("level"))
        acc = acc.persist(StorageLevel.MEMORY_AND_DISK)
        cached.append(acc)
        comp, rounds = connected_components(acc.select("a", "b"))
        log.debug("%s level: connected components in %d rounds", lv.name, rounds)
        named = comp.join(ids.withColumnRenamed("seq", "node"), "node")
        first = named.groupBy("root").agg(  # cluster id: the smallest member id; root: the earliest
            F.min("id").alias("cid"), F.min_by("id", "node").alias("root_id")
        )
        members = named.join(first, "root").persist(
            StorageLevel.MEMORY_AND_DISK
        )  # node, root, id, cid, root_id
        cached.append(members)
        per_level[lv.name] = members.select(
            F.col("node").alias("seq"), F.col("cid").alias(f"{lv.name}_cluster")
        )
        pairs = (
            acc.join(members.select(F.col("node").alias("a"), "root"), "a")
            .groupBy("root")
            .agg(F.collect_list(F.struct("ia", "ib", "sim_r")).alias("pairs"))
        )
        tables.append(
            members.groupBy("root", "cid")
            .agg(F.collect_list("id").alias("members"))
            .join(pairs, "root", "left")
            .select(F.lit(lv.name).alias("level"), "cid", "members", "pairs")
        )
        if lv is levels[0]:
            dup = _duplicate_of(lv, members, acc, payloads, levels)
            per_level[lv.name] = per_level[lv.name].join(dup, "seq", "left")
    rows = _rows(docs, per_level)
    clusters = functools.reduce(lambda x, y: x.unionByName(y), tables)
    return rows, clusters, cached


def _duplicate_of(lv: Level, members: Any, acc: Any, payloads: Any, levels: list[Level]) -> Any:
    """(seq, duplicate_of, similarity): every member but the earliest points to the earliest, with
    their verified similarity, or (linked through others) their exact `similarity`, computed here."""
    from pyspark.sql import functions as F

    later = members.where(F.col("node") != F.col("root")).select("node", "root", "root_id")
    known = acc.select(F.col("a").alias("root"), F.col("b").alias("node"), "sim_r")
    linked = later.join(known, ["root", "node"], "left")
    need = linked.where(F.col("sim_r").isNull()).select(
        F.lit(lv.name).alias("level"), F.col("node").alias("a"), F.col("root").alias("b")
    )
    computed = _pair_job(payloads, need, levels, False, False).select(
        F.col("a").alias("node"), F.col("sim_r").alias("computed")
    )
    return linked.join(computed, "node", "left").select(
        F.col("node").alias("seq"),
        F.col("root_id").alias("duplicate_of"),
        F.coalesce("sim_r", "computed").alias("similarity"),
    )


def _filter_links(spark: Any, lv: Level, acc: Any) -> Any:
    """The level's `filter_links` (the story level's chain guard) on its verified links.

    The story level's guard (`mutual_top_k`: a link is kept when it reaches the `chain_k`-th best
    similarity of both its ends) is per article, so it runs in Spark as two window functions. A
    filter Spark does not know runs on the driver: this level's verified links are collected."""
    link_filter = getattr(lv, "filter_links", None)
    if link_filter is None:
        return acc
    k = _mutual_k(lv)
    if k is not None:
        return acc if k <= 0 else mutual_top_k(acc, k)
    rows = {(r.a, r.b): r for r in acc.collect()}
    kept = link_filter(sorted((a, b, r.sim) for (a, b), r in rows.items()))
    table = [(a, b, rows[(a, b)].ia, rows[(a, b)].ib, float(s), round(float(s), _ROUND)) for a, b, s in kept]
    return spark.createDataFrame(table, _PAIR_SCHEMA.replace("level string, ", ""))


def _mutual_k(lv: Level) -> int | None:
    """`chain_k` when `lv` filters its links with the story level's mutual top-k guard, else None."""
    try:
        from dedup.near.story import StoryLevel
    except Exception:  # noqa: BLE001 - the story level is optional
        return None
    if getattr(type(lv), "filter_links", None) is not StoryLevel.filter_links:
        return None
    k = getattr(lv, "chain_k", None)
    return k if isinstance(k, int) else None


def mutual_top_k(acc: Any, k: int) -> Any:
    """`dedup.near.story.mutual_top_k` in Spark: links reaching the k-th best similarity of both
    ends (ties at the k-th all kept), over a DataFrame with columns `a`, `b`, `sim`."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    ends = acc.select(F.col("a").alias("n"), "sim").unionByName(acc.select(F.col("b").alias("n"), "sim"))
    ranked = ends.withColumn("r", F.row_number().over(Window.partitionBy("n").orderBy(F.desc("sim"))))
    ranked = ranked.withColumn("c", F.count(F.lit(1)).over(Window.partitionBy("n")))
    kth = ranked.where(F.col("r") == F.least(F.lit(k), F.col("c"))).select("n", F.col("sim").alias("t"))
    return (
        acc.join(kth.select(F.col("n").alias("a"), F.col("t").alias("ta")), "a")
        .join(kth.select(F.col("n").alias("b"), F.col("t").alias("tb")), "b")
        .where((F.col("sim") >= F.col("ta")) & (F.col("sim") >= F.col("tb")))
        .select(*acc.columns)
    )


def _rows(docs: Any, per_level: Mapping[str, Any]) -> Any:
    """The documents with their cluster columns (the first level's table also has `duplicate_of`
    and `similarity`), sorted as the local output."""
    from pyspark.sql import functions as F

    out = docs.select("seq", "id", "origin", "lang", "status", "error")
    for name in LEVEL_NAMES:
        if name in per_level:
            out = out.join(per_level[name], "seq", "left")
        else:
            out = out.withColumn(f"{name}_cluster", F.lit(None).cast("string"))
    order = F.coalesce(F.col("id"), F.lit("")), F.col("origin")
    return out.orderBy(*order).select(*ROW_COLUMNS, "lang", "status")
