"""The Spark runner against the local scan on the same corpus: time, driver peak memory, and whether
the output is identical (every JSONL row, every cluster with its pairs).

    .venv/bin/python benchmarks/bench_spark.py benchmarks/out/corpus_10k --master 'local[2]' --level copy

The corpus comes from gen_corpus.py. The local scan runs first in a child process (so its memory
does not count as the Spark driver's); it hands back its time and a SHA-256 of its JSONL lines and
of its clusters. Spark then runs `--repeat` times in one session in this process: the first run
also pays for starting the Python workers and their imports; the JVM start is timed apart.

Driver memory: this process is the Python driver and the JVM (Spark's driver in local mode) is its
child; a thread samples both RSS every 20 ms. "rows" is the peak while `spark_scan` runs and its
JSONL rows are streamed (what `dedup scan --engine spark --format jsonl` does); "clusters" while
`result.clusters` (members and pairs) is fetched, which only JSON and table output need.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import logging
import os
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(
    0, os.environ.get("DEDUP_SRC") or str(Path(__file__).resolve().parents[1])
)  # DEDUP_SRC: another copy

from dedup.load import load_articles  # noqa: E402
from dedup.near.scan import scan  # noqa: E402

MB = 1024 * 1024


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _digest(lines: Iterable[str]) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    for line in lines:
        h.update(line.encode("utf-8") + b"\n")
        n += 1
    return h.hexdigest(), n


def _cluster_lines(clusters: Iterable[Any]) -> Iterable[str]:
    return (json.dumps(c.to_json(), ensure_ascii=False) for c in clusters)


def _row_lines(rows: Iterable[dict[str, Any]]) -> Iterable[str]:
    return (json.dumps(r, ensure_ascii=False, allow_nan=False) for r in rows)


def local_only(corpus: str, level: str) -> dict[str, Any]:
    """The local scan, timed, with the digests of its output (run in a child process)."""
    import resource

    t0 = time.perf_counter()
    c0 = time.process_time()
    local = scan(load_articles([Path(corpus + ".jsonl")]), level=level)
    rows = local.to_jsonl_rows()
    secs = time.perf_counter() - t0
    row_sha, n = _digest(_row_lines(rows))
    cl_sha, k = _digest(_cluster_lines(local.clusters))
    return {
        "articles": n,
        "local_s": round(secs, 3),
        "local_cpu_s": round(time.process_time() - c0, 3),
        "local_articles_per_s": round(n / secs),
        "local_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rows_sha256": row_sha,
        "clusters_sha256": cl_sha,
        "clusters": k,
        "clusters_by_level": {
            lv: sum(1 for c in local.clusters if c.level == lv) for lv in ("copy", "story")
        },
    }


class PeakRss(threading.Thread):
    """Peak RSS of this process and of its JVM child (Spark's driver in local mode), sampled."""

    def __init__(self, every: float = 0.02) -> None:
        super().__init__(daemon=True)
        import psutil

        self.me = psutil.Process()
        self.every = every
        self.py = self.jvm = 0
        self.stop_flag = threading.Event()

    def _jvm(self) -> Any:
        for child in self.me.children():
            try:
                if "java" in child.name():
                    return child
            except Exception:  # noqa: BLE001, S112 - a child that just ended
                continue
        return None

    def reset(self) -> None:
        self.py = self.jvm = 0

    def run(self) -> None:
        jvm = None
        while not self.stop_flag.is_set():
            try:
                self.py = max(self.py, self.me.memory_info().rss)
                jvm = jvm or self._jvm()
                if jvm is not None:
                    self.jvm = max(self.jvm, jvm.memory_info().rss)
            except Exception:  # noqa: BLE001, S110 - the JVM ended while sampling
                pass
            time.sleep(self.every)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="path prefix written by gen_corpus.py (without .jsonl)")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--level", default="copy", choices=["copy", "story", "both"])
    ap.add_argument("--repeat", type=int, default=2, help="Spark runs in the same session")
    ap.add_argument("--shuffle-partitions", type=int, default=8)
    ap.add_argument("--json", default=None, help="also write the figures here")
    ap.add_argument("--local-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.local_only:
        print(json.dumps(local_only(args.corpus, args.level)))
        return

    import pyspark

    from dedup.spark import local_session, spark_scan

    fig: dict[str, Any] = {
        "corpus": args.corpus + ".jsonl",
        "level": args.level,
        "master": args.master,
        "python": platform.python_version(),
        "pyspark": pyspark.__version__,
        "cpus": os.cpu_count(),
        "load_before": _load(),
    }
    child = subprocess.run(
        [sys.executable, __file__, args.corpus, "--level", args.level, "--local-only"],
        check=True,
        capture_output=True,
        text=True,
    )
    local = json.loads(child.stdout.strip().splitlines()[-1])
    fig.update({k: v for k, v in local.items() if not k.endswith("sha256")})
    n = local["articles"]
    print(
        f"local scan: {n} articles in {local['local_s']:.2f}s = {n / local['local_s']:,.0f}/s",
        file=sys.stderr,
    )

    notes: list[str] = []  # the runner's debug log (rounds of connected components)
    handler = logging.Handler()
    handler.emit = lambda record: notes.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("dedup.spark").addHandler(handler)
    logging.getLogger("dedup.spark").setLevel(logging.DEBUG)
    sampler = PeakRss()
    sampler.start()
    t0 = time.perf_counter()
    spark = local_session(args.master, shuffle_partitions=args.shuffle_partitions, app_name="bench")
    fig["spark_session_start_s"] = round(time.perf_counter() - t0, 3)
    fig["driver_rss_after_start_mb"] = round(sampler.me.memory_info().rss / MB)
    runs, peaks = [], []
    same = True
    for k in range(args.repeat):
        sampler.reset()
        t0 = time.perf_counter()
        res = spark_scan(spark, args.corpus + ".jsonl", level=args.level)
        row_sha, rows_n = _digest(res.jsonl_lines())
        s = time.perf_counter() - t0
        rows_peak = (sampler.py, sampler.jvm)
        sampler.reset()
        t1 = time.perf_counter()
        cl_sha, _ = _digest(_cluster_lines(res.clusters))
        cs = time.perf_counter() - t1
        runs.append({"rows_s": round(s, 3), "clusters_s": round(cs, 3), "log": notes[:]})
        notes.clear()
        peaks.append(
            {
                "rows": {"python_mb": round(rows_peak[0] / MB), "jvm_mb": round(rows_peak[1] / MB)},
                "clusters": {"python_mb": round(sampler.py / MB), "jvm_mb": round(sampler.jvm / MB)},
            }
        )
        ok = row_sha == local["rows_sha256"] and cl_sha == local["clusters_sha256"] and rows_n == n
        same = same and ok
        print(
            f"spark run {k + 1}: {s:.2f}s = {n / s:,.0f}/s (+{cs:.2f}s for the clusters), identical: {ok}, "
            f"driver peak: python {rows_peak[0] / MB:.0f} MB, jvm {rows_peak[1] / MB:.0f} MB",
            file=sys.stderr,
        )
        for df in getattr(res, "cached", [res.rows]):
            df.unpersist()
        del res  # its clusters would count in the next run's driver memory
        gc.collect()
    spark.stop()
    sampler.stop_flag.set()
    best = min(r["rows_s"] for r in runs)
    fig["spark_runs"] = runs
    fig["driver_peak_rss"] = peaks
    fig["spark_articles_per_s_best"] = round(n / best)
    fig["spark_articles_per_s_first"] = round(n / runs[0]["rows_s"])
    fig["spark_time_over_local"] = round(best / local["local_s"], 2)
    fig["identical"] = same
    fig["load_after"] = _load()
    print(json.dumps(fig, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(fig, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
