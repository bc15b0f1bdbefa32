"""Gate workers sharing one index: the cost of the index lock, and N workers' total throughput.

    .venv/bin/python benchmarks/gen_corpus.py --size 2000 --seed 7 --out benchmarks/out/corpus_2k
    .venv/bin/python benchmarks/bench_gate_concurrent.py benchmarks/out/corpus_2k --workers 1 2 \\
        --backend sqlite redis [--no-check] [--batch-size 1000] [--repeat 2]

For each backend, each worker count N and each lock setting ("lock": the gate as it is; "no lock":
`Index._acquire`/`_release` replaced by no-ops in the workers, i.e. the gate before the lock
existed, racing), N worker processes (fork) gate interleaved shards of the corpus (worker w takes
articles w, w+N, ...) into one fresh shared index (SQLite file in a temporary folder; Redis: a
redis-server of its own on a unix socket, a fresh prefix per run), all started at once. Recorded:
wall time until the last worker is done, articles per wall second (the throughput of the pool),
CPU seconds of the workers (each warmed up on one article's check before the clock starts),
the time spent inside the dedup sections and waiting to enter them (summed over workers; with
"no lock" the same sections, not excluding each other), decision counts, and two race figures against the corpus's true
clusters: "clusters ingested twice" (true copy clusters with more than one article ingested; the
one-worker run's figure is the detector's own misses) and "ingested" (articles that went in).
With `--repeat`, the settings are run in turn that many times (interleaved, so a noisy neighbour
hits all alike) and the best wall time is kept.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from redis_server import start as start_redis


def _worker(
    spec: Any, rows: list[dict[str, str]], params: dict[str, Any], lock: bool, start: Any, out: Any
) -> None:
    from dedup.gate import GateParams, gate
    from dedup.model import Article
    from dedup.near.index.base import Index

    clock: dict[str, Any] = {"waited": 0.0, "held": 0.0, "since": 0.0, "sections": 0}
    for mod, name in (("dedup.near.index.sqlite", "SQLiteIndex"), ("dedup.near.index.redis", "RedisIndex")):
        cls = getattr(__import__(mod, fromlist=[name]), name)
        # "no lock": the gate before the lock, every worker scans and stores when it likes
        acquire, release = (cls._acquire, cls._release) if lock else (Index._acquire, Index._release)

        def timed_acquire(self: Any, wait: float, _a: Any = acquire) -> None:
            t = time.perf_counter()
            _a(self, wait)
            clock["since"] = now = time.perf_counter()
            clock["open"] = True
            clock["waited"] += now - t
            clock["sections"] += 1

        def timed_release(self: Any, _r: Any = release) -> None:
            if clock.pop("open", False):  # `close` releases too, held or not
                clock["held"] += time.perf_counter() - clock["since"]
            _r(self)

        cls._acquire, cls._release = timed_acquire, timed_release
    items = [Article(id=r["id"], text=r["text"], origin=f"<{r['id']}>") for r in rows]
    if params.get("check", True) and items:  # warm up (imports, word lists): not part of the clock
        from dedup.gate import check_article

        check_article(items[0])
    start.wait()
    t0, c0 = time.perf_counter(), time.process_time()
    decisions = [(d.id, d.decision) for d in gate(items, index=spec, params=GateParams(**params))]
    out.put(
        {
            "decisions": decisions,
            "cpu_s": time.process_time() - c0,
            "wall_s": time.perf_counter() - t0,
            **{k: clock[k] for k in ("waited", "held", "sections")},
        }
    )


def run(
    rows: list[dict[str, str]], spec: Any, n: int, params: dict[str, Any], lock: bool, truth: dict[str, str]
) -> dict[str, Any]:
    from dedup.near.index import open_index

    open_index(spec).close()  # created before the workers start, in every setting alike
    ctx = multiprocessing.get_context("fork")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(spec, rows[w::n], params, lock, start, out)) for w in range(n)]
    for p in procs:
        p.start()
    time.sleep(3)  # let every worker build its input and warm up before the clock starts
    t0 = time.perf_counter()
    start.set()
    results = [out.get(timeout=900) for _ in procs]
    wall = time.perf_counter() - t0
    for p in procs:
        p.join()
    decisions = [d for r in results for d in r["decisions"]]
    went_in = [i for i, dec in decisions if dec in ("ingest", "update")]
    per_cluster = Counter(truth[i] for i in went_in)
    return {
        "workers": n,
        "lock": lock,
        "wall_s": round(wall, 2),
        "articles_per_s": round(len(decisions) / wall, 1),
        "cpu_s": round(sum(r["cpu_s"] for r in results), 2),
        "lock_held_s": round(sum(r["held"] for r in results), 2),  # in the dedup sections, all workers
        "lock_waited_s": round(sum(r["waited"] for r in results), 2),
        "sections": sum(r["sections"] for r in results),
        "decisions": dict(sorted(Counter(dec for _, dec in decisions).items())),
        "ingested": len(went_in),
        "clusters_ingested_twice": sum(1 for c in per_cluster.values() if c > 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="gen_corpus.py output prefix (reads <prefix>.jsonl and .truth.json)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--backend", nargs="+", choices=("sqlite", "redis"), default=["sqlite", "redis"])
    ap.add_argument("--no-check", action="store_true", help="skip the garble checks")
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--locks", nargs="+", choices=("lock", "nolock"), default=["lock", "nolock"])
    args = ap.parse_args()
    rows = [json.loads(line) for line in Path(args.corpus + ".jsonl").read_text().splitlines() if line]
    truth = json.loads(Path(args.corpus + ".truth.json").read_text())["cluster"]
    params = {"check": not args.no_check, "batch_size": args.batch_size}
    best: dict[tuple[str, int, bool], dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        url, proc = start_redis(Path(tmp)) if "redis" in args.backend else (None, None)
        try:
            k = 0
            for _ in range(args.repeat):
                for backend in args.backend:
                    for n in args.workers:
                        for lk in args.locks:
                            k += 1
                            if backend == "sqlite":
                                spec: Any = str(Path(tmp) / f"run{k}.sqlite")
                            else:
                                spec = {"type": "redis", "url": url, "prefix": f"bench{k}:"}
                            res = run(rows, spec, n, params, lk == "lock", truth)
                            res["backend"] = backend
                            print(json.dumps(res), flush=True)
                            key = (backend, n, lk == "lock")
                            if key not in best or res["wall_s"] < best[key]["wall_s"]:
                                best[key] = res
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait()
    print(f"# best of {args.repeat}; load average {os.getloadavg()}; params {params}")
    print(
        "| backend | workers | lock | wall s | articles/s | CPU s | in sections s | waiting s | ingested "
        "| clusters ingested twice |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for (backend, n, lk), r in sorted(best.items(), key=lambda x: (x[0][0], x[0][1], not x[0][2])):
        print(
            f"| {backend} | {n} | {'yes' if lk else 'no'} | {r['wall_s']} | {r['articles_per_s']} | {r['cpu_s']} | "
            f"{r['lock_held_s']} | {r['lock_waited_s']} | {r['ingested']} | {r['clusters_ingested_twice']} |"
        )


if __name__ == "__main__":
    main()
