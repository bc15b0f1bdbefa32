"""Copy-level scan benchmark: `dedup scan` vs naive datasketch vs rensa, in one process, one core.

    taskset -c 0 .venv/bin/python benchmarks/bench_scan.py benchmarks/out/corpus_10k [--naive-limit N]

Every method starts from the JSONL file (reading and parsing included) and ends with clusters:
- dedup: `load_articles` + `dedup.near.scan(level="copy")` (the library, as the CLI runs it);
- naive datasketch: regex words, word 5-gram strings, one `MinHash.update` per shingle
  (scheme affine32, 128 permutations), `MinHashLSH(threshold=0.7)` query-then-insert, LSH
  candidates taken as duplicates, union-find (the common settings the issue describes);
- datasketch batch path: the same shingles through `MinHash.bulk` (one `update_batch` per article);
- rensa: the same shingles through `RMinHash.update` and `RMinHashLSH(threshold=0.7, 16 bands)`.
glibc is told to keep freed memory (`dedup.near.alloc.keep_freed_memory`, as `dedup scan` does) for
the whole process, so every method runs under the same allocator settings.
Wall and CPU time of this process are both recorded (the machine is shared: CPU time is the fairer
one-core figure); dedup and rensa runs alternate. Pairwise precision/recall/F1 against the
generator's true clusters. Memory: tracemalloc peak of
the dedup scan, and what its in-memory index keeps per article (measured in a separate pass, since
tracemalloc slows allocation).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

_WORDS = re.compile(r"\w+")


def pair_count(n: int) -> int:
    return n * (n - 1) // 2


def prf(pred: dict[str, Any], truth: dict[str, str], ids: Iterable[str]) -> dict[str, float]:
    """Pairwise precision/recall/F1 of predicted clusters (None = singleton) against true ones."""
    cont: Counter[tuple[Any, str]] = Counter()
    pc: Counter[Any] = Counter()
    tc: Counter[str] = Counter()
    for i in ids:
        p = pred.get(i)
        p = ("single", i) if p is None else p
        t = truth[i]
        cont[(p, t)] += 1
        pc[p] += 1
        tc[t] += 1
    tp = sum(pair_count(v) for v in cont.values())
    pp = sum(pair_count(v) for v in pc.values())
    tt = sum(pair_count(v) for v in tc.values())
    p_ = tp / pp if pp else 1.0
    r_ = tp / tt if tt else 1.0
    f1 = 2 * p_ * r_ / (p_ + r_) if p_ + r_ else 0.0
    return {"precision": p_, "recall": r_, "f1": f1, "true_pairs": tt, "predicted_pairs": pp}


def clusters_from_pairs(ids: list[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    from dedup.near.unionfind import UnionFind

    num = {i: k for k, i in enumerate(ids)}
    uf = UnionFind()
    for a, b in pairs:
        uf.union(num[a], num[b])
    out: dict[str, str] = {}
    for g in uf.groups():
        for n in g:
            out[ids[n]] = ids[g[0]]
    return out


def read_jsonl(path: Path, limit: int | None = None) -> tuple[list[str], list[str]]:
    ids, texts = [], []
    with path.open("rb") as fh:
        for k, line in enumerate(fh):
            if limit is not None and k >= limit:
                break
            obj = json.loads(line)
            ids.append(str(obj["id"]))
            texts.append(obj["text"])
    return ids, texts


def shingles5(text: str) -> list[str]:
    w = _WORDS.findall(text.lower())
    if len(w) < 5:
        return [" ".join(w)] if w else []
    return [" ".join(w[i : i + 5]) for i in range(len(w) - 4)]


# -- methods ----------------------------------------------------------------------------------
def run_dedup(path: Path) -> tuple[list[str], dict[str, Any]]:
    from dedup.load import load_articles
    from dedup.near import scan
    from dedup.near.scan import no_gc

    with no_gc():  # as `dedup scan` loads its inputs
        loaded = load_articles([path])
    result = scan(loaded, level="copy")
    ids = [d.id for d in result.documents if d.id is not None]
    return ids, {d.id: d.clusters.get("copy") for d in result.documents}


def run_naive(path: Path, limit: int | None) -> tuple[list[str], dict[str, Any]]:
    from datasketch import MinHash, MinHashLSH

    ids, texts = read_jsonl(path, limit)
    lsh = MinHashLSH(threshold=0.7, num_perm=128)
    pairs = []
    for i, t in zip(ids, texts, strict=True):
        m = MinHash(num_perm=128, seed=1, scheme="affine32")
        for s in shingles5(t):
            m.update(s.encode("utf-8"))
        pairs += [(i, j) for j in lsh.query(m)]
        lsh.insert(i, m)
    return ids, clusters_from_pairs(ids, pairs)


def run_batch(path: Path, limit: int | None) -> tuple[list[str], dict[str, Any]]:
    from datasketch import MinHash, MinHashLSH

    ids, texts = read_jsonl(path, limit)
    sets = [[s.encode("utf-8") for s in shingles5(t)] for t in texts]
    lsh = MinHashLSH(threshold=0.7, num_perm=128)
    pairs = []
    for i, m in zip(ids, MinHash.generator(sets, num_perm=128, seed=1, scheme="affine32"), strict=True):
        pairs += [(i, j) for j in lsh.query(m)]
        lsh.insert(i, m)
    return ids, clusters_from_pairs(ids, pairs)


def run_rensa(path: Path, limit: int | None) -> tuple[list[str], dict[str, Any]]:
    from rensa import RMinHash, RMinHashLSH

    ids, texts = read_jsonl(path, limit)
    lsh = RMinHashLSH(threshold=0.7, num_perm=128, num_bands=16)
    pairs = []
    for k, (i, t) in enumerate(zip(ids, texts, strict=True)):
        m = RMinHash(num_perm=128, seed=1)
        m.update(shingles5(t))
        pairs += [(i, ids[j]) for j in lsh.query(m)]
        lsh.insert(k, m)
    return ids, clusters_from_pairs(ids, pairs)


def timed(
    fn: Callable[[], tuple[list[str], dict[str, Any]]],
) -> tuple[float, float, list[str], dict[str, Any]]:
    """(wall seconds, CPU seconds of this process, ids, predicted clusters)."""
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    ids, pred = fn()
    return time.perf_counter() - t0, time.process_time() - c0, ids, pred


def dedup_memory(path: Path) -> dict[str, float]:
    """tracemalloc peak of a full scan, and the bytes the in-memory index keeps per article."""
    from dedup.load import load_articles
    from dedup.near import open_index, scan

    loaded = load_articles([path])
    n = len(loaded.articles)
    idx = open_index("memory")
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    result = scan(loaded, level="copy", index=idx)
    peak = tracemalloc.get_traced_memory()[1] - base
    del result
    gc.collect()
    kept = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    return {"peak_mb": peak / 1e6, "index_bytes_per_article": kept / n}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="path prefix written by gen_corpus.py (without .jsonl)")
    ap.add_argument("--naive-limit", type=int, default=None, help="run naive datasketch on the first N only")
    ap.add_argument(
        "--batch-limit", type=int, default=None, help="run datasketch's batch path on the first N only"
    )
    ap.add_argument("--rensa-limit", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3, help="dedup runs (best is reported)")
    ap.add_argument("--json", default=None, help="also write the figures here")
    a = ap.parse_args()
    from dedup.near.alloc import keep_freed_memory

    allocator_tuned = keep_freed_memory()  # as `dedup scan` does; applies to every method below
    path = Path(f"{a.corpus}.jsonl")
    truth = json.loads(Path(f"{a.corpus}.truth.json").read_text())["cluster"]
    out: dict[str, Any] = {
        "corpus": str(path),
        "articles": len(truth),
        "cpu_affinity": sorted(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "load_avg_start": os.getloadavg(),
        "allocator_tuned": allocator_tuned,
    }
    methods: dict[str, dict[str, Any]] = {}

    runs = [
        ("dedup scan", lambda limit: run_dedup(path), None, a.repeat),
        ("naive datasketch (update per shingle)", lambda limit: run_naive(path, limit), a.naive_limit, 1),
        ("datasketch batch path (MinHash.bulk)", lambda limit: run_batch(path, limit), a.batch_limit, 1),
        ("rensa (RMinHash.update)", lambda limit: run_rensa(path, limit), a.rensa_limit, a.repeat),
    ]
    # Repeated methods alternate (dedup, rensa, dedup, rensa, ...) so that both see the same load.
    order = [r for k in range(a.repeat) for r in runs if k < r[3]]
    for name, fn, limit, _ in order:
        wall, cpu, ids, pred = timed(lambda fn=fn, limit=limit: fn(limit))
        row = methods.setdefault(name, {"n": len(ids), "wall_s": [], "cpu_s": []})
        row["wall_s"].append(wall)
        row["cpu_s"].append(cpu)
        if "precision" not in row and (limit is None or limit >= len(truth)):
            row.update(prf(pred, truth, ids))
    methods["dedup scan"].update(dedup_memory(path))
    for row in methods.values():
        row["seconds"] = min(row["wall_s"])
        row["cpu_seconds"] = min(row["cpu_s"])
        row["articles_per_s"] = row["n"] / row["seconds"]
        row["articles_per_cpu_s"] = row["n"] / row["cpu_seconds"]
    ours = methods["dedup scan"]
    for row in methods.values():
        row["dedup_speedup_wall"] = ours["articles_per_s"] / row["articles_per_s"]
        row["dedup_speedup_cpu"] = ours["articles_per_cpu_s"] / row["articles_per_cpu_s"]
    out["methods"] = methods
    out["load_avg_end"] = os.getloadavg()
    print(
        f"corpus {path} ({len(truth):,} articles), cpus {out['cpu_affinity']}, load {out['load_avg_start']}"
    )
    print(
        f"{'method':40s} {'n':>7s} {'wall s':>7s} {'cpu s':>7s} {'art/s':>7s} {'art/cpu-s':>9s} "
        f"{'x wall':>6s} {'x cpu':>6s} {'P':>6s} {'R':>6s} {'F1':>6s}"
    )
    for name, r in methods.items():
        p = f"{r['precision']:.4f}" if "precision" in r else "-"
        rr = f"{r['recall']:.4f}" if "recall" in r else "-"
        f1 = f"{r['f1']:.4f}" if "f1" in r else "-"
        print(
            f"{name:40s} {r['n']:7d} {r['seconds']:7.2f} {r['cpu_seconds']:7.2f} {r['articles_per_s']:7.0f} "
            f"{r['articles_per_cpu_s']:9.0f} {r['dedup_speedup_wall']:6.1f} {r['dedup_speedup_cpu']:6.1f} "
            f"{p:>6s} {rr:>6s} {f1:>6s}"
        )
    d = methods["dedup scan"]
    print(
        f"dedup peak traced memory {d['peak_mb']:.1f} MB; index {d['index_bytes_per_article']:.0f} B/article"
    )
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
