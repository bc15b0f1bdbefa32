"""The Spark runner against the local scan on the same corpus, in the same run: articles/s, and
whether the output is identical (every JSONL row, every cluster with its pairs).

    .venv/bin/python benchmarks/bench_spark.py benchmarks/out/corpus_10k --master 'local[2]' --level copy

The corpus comes from gen_corpus.py. Spark runs `--repeat` times in one session: the first run
also pays for starting the Python workers and their imports; the JVM start is timed apart.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dedup.load import load_articles  # noqa: E402
from dedup.near.scan import scan  # noqa: E402
from dedup.spark import local_session, spark_scan  # noqa: E402


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="path prefix written by gen_corpus.py (without .jsonl)")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--level", default="copy", choices=["copy", "story", "both"])
    ap.add_argument("--repeat", type=int, default=2, help="Spark runs in the same session")
    ap.add_argument("--shuffle-partitions", type=int, default=8)
    ap.add_argument("--json", default=None, help="also write the figures here")
    args = ap.parse_args()
    path = Path(args.corpus + ".jsonl")
    import pyspark

    fig: dict[str, object] = {
        "corpus": str(path),
        "level": args.level,
        "master": args.master,
        "python": platform.python_version(),
        "pyspark": pyspark.__version__,
        "cpus": os.cpu_count(),
        "load_before": _load(),
    }

    t0 = time.perf_counter()
    c0 = time.process_time()
    loaded = load_articles([path])
    local = scan(loaded, level=args.level)
    local_rows = local.to_jsonl_rows()
    local_s = time.perf_counter() - t0
    n = len(local.documents)
    fig["articles"] = n
    fig["local_s"] = round(local_s, 3)
    fig["local_cpu_s"] = round(time.process_time() - c0, 3)
    fig["local_articles_per_s"] = round(n / local_s)
    print(f"local scan: {n} articles in {local_s:.2f}s = {n / local_s:,.0f}/s", file=sys.stderr)

    t0 = time.perf_counter()
    spark = local_session(args.master, shuffle_partitions=args.shuffle_partitions, app_name="bench")
    fig["spark_session_start_s"] = round(time.perf_counter() - t0, 3)
    runs = []
    same = True
    for k in range(args.repeat):
        t0 = time.perf_counter()
        res = spark_scan(spark, path, level=args.level)
        rows = list(res.iter_rows())
        s = time.perf_counter() - t0
        runs.append(round(s, 3))
        ok = rows == local_rows and [c.to_json() for c in res.clusters] == [
            c.to_json() for c in local.clusters
        ]
        same = same and ok
        print(f"spark run {k + 1}: {s:.2f}s = {n / s:,.0f}/s, identical: {ok}", file=sys.stderr)
        res.rows.unpersist()
    spark.stop()
    best = min(runs)
    fig["spark_runs_s"] = runs
    fig["spark_articles_per_s_best"] = round(n / best)
    fig["spark_articles_per_s_first"] = round(n / runs[0])
    fig["spark_time_over_local"] = round(best / local_s, 2)
    fig["identical"] = same
    fig["clusters"] = {lv: sum(1 for c in local.clusters if c.level == lv) for lv in ("copy", "story")}
    fig["load_after"] = _load()
    print(json.dumps(fig, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(fig, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
