"""Story-level scan at scale: candidates and CPU time with and without the per-article candidate cap.

Run by hand, from the project root (corpus from benchmarks/gen_corpus.py, a narrow BBC-based corpus):
    .venv/bin/python benchmarks/bench_story_scale.py benchmarks/out/corpus_100k --sizes 10000,50000 \
        [--caps 0,45,20] [--cache benchmarks/out/story_scale]

For each size (the first N articles of the file) and each cap (0 = off, the previous behaviour: every
pair colliding in a band, each row paired with the next 63 of its bucket; then the level's default),
`dedup.near.scan(level=StoryLevel(candidate_cap=...))` runs in a fresh process (clean peak memory)
and reports: CPU seconds (`time.process_time`) of the scan and of its stages, LSH candidates
verified, verified links, story clusters, peak RSS; then how many of the uncapped run's clustered
story links the capped run also has.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def read(path: Path, limit: int) -> list[Any]:
    from dedup.model import Article

    out = []
    with path.open(encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if k >= limit:
                break
            row = json.loads(line)
            out.append(Article(id=row["id"], text=row["text"], origin=f"{path.name}:{k + 1}"))
    return out


class _Stages(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.text = ""

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage()
        if msg.startswith("scan stage CPU seconds"):
            self.text = msg.split(": ", 1)[1]


def run_one(path: Path, size: int, cap: int) -> dict[str, Any]:
    from dedup.near.story import StoryLevel

    scan_mod = importlib.import_module("dedup.near.scan")  # the module (dedup.near.scan is also a function)

    arts = read(path, size)
    seen: dict[str, int] = {}
    verify = scan_mod._verify

    def counting(level: Any, pairs: Any, payload_of: Any, progress: Any) -> Any:
        seen["candidates"] = len(pairs)
        out = verify(level, pairs, payload_of, progress)
        seen["verified"] = len(out)
        return out

    scan_mod._verify = counting  # type: ignore[assignment]  # this benchmark's process only
    stages = _Stages()
    log = logging.getLogger("dedup.near")
    log.addHandler(stages)
    log.setLevel(logging.DEBUG)
    level = StoryLevel(candidate_cap=cap)
    c0, w0 = time.process_time(), time.perf_counter()
    res = scan_mod.scan(arts, level=level)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    links = sorted({(p.a, p.b) for c in res.clusters for p in c.pairs})
    sizes = sorted((len(c.members) for c in res.clusters), reverse=True)
    return {
        "size": len(arts),
        "cap": cap,
        "cpu_s": round(cpu, 2),
        "wall_s": round(wall, 2),
        "candidates": seen.get("candidates", 0),
        "verified": seen.get("verified", 0),
        "links": links,
        "clusters": len(res.clusters),
        "largest": sizes[:5],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "stages": stages.text,
    }


def run_incremental(path: Path, size: int, cap: int, batches: int) -> dict[str, Any]:
    """The same articles in `batches` consecutive scans through one in-memory index: the candidates
    and CPU of each later scan (the cap covers the index's candidates too)."""
    from dedup.near.index import open_index
    from dedup.near.story import StoryLevel

    scan_mod = importlib.import_module("dedup.near.scan")
    arts = read(path, size)
    seen: list[int] = []
    verify = scan_mod._verify

    def counting(level: Any, pairs: Any, payload_of: Any, progress: Any) -> Any:
        seen.append(len(pairs))
        return verify(level, pairs, payload_of, progress)

    scan_mod._verify = counting  # type: ignore[assignment]
    idx = open_index(None)
    step = -(-len(arts) // batches)
    cpu: list[float] = []
    links: set[tuple[str, str]] = set()
    for k in range(0, len(arts), step):
        c0 = time.process_time()
        res = scan_mod.scan(arts[k : k + step], level=StoryLevel(candidate_cap=cap), index=idx)
        cpu.append(round(time.process_time() - c0, 2))
        links |= {(p.a, p.b) for c in res.clusters for p in c.pairs}
    return {"size": len(arts), "cap": cap, "candidates": seen, "cpu_s": cpu, "links": sorted(links)}


def _run_one(corpus: str, spec: str) -> dict:
    """One measurement in a fresh process (so peak RSS and caches are its own); its last stdout line is JSON."""
    out = subprocess.run(
        [sys.executable, __file__, corpus, "--one", spec], check=True, stdout=subprocess.PIPE, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", help="path prefix written by gen_corpus.py (without .jsonl)")
    ap.add_argument("--sizes", default="10000,50000")
    ap.add_argument(
        "--caps", default="0,45,20", help="candidate caps to compare; 0 = off (the previous scan)"
    )
    ap.add_argument(
        "--cache", type=Path, default=None, help="folder for each run's JSON; a run found there is not redone"
    )
    ap.add_argument("--one", default=None, help=argparse.SUPPRESS)  # "size,cap": one run, JSON out
    ap.add_argument(
        "--incremental",
        type=int,
        default=0,
        help="also: the first size of --sizes in N scans through one index",
    )
    a = ap.parse_args()
    path = Path(f"{a.corpus}.jsonl")
    if a.one:
        size, cap, *inc = (int(x) for x in a.one.split(","))
        print(json.dumps(run_incremental(path, size, cap, inc[0]) if inc else run_one(path, size, cap)))
        return 0
    caps = [int(c) for c in a.caps.split(",")]
    print(f"# story-level scan at scale ({time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC), {path}")
    print()
    print(
        "| articles | candidate_cap | candidates | share of all pairs | per article | scan CPU s | wall s "
        "| verified links | clustered links | uncapped links kept | clusters | largest | peak RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    details = []
    for size in (int(s) for s in a.sizes.split(",")):
        ref: set[tuple[str, str]] | None = None
        for cap in caps:
            cached = a.cache / f"story_scale_{size}_{cap}.json" if a.cache else None
            if cached is not None and cached.exists():
                r = json.loads(cached.read_text(encoding="utf-8"))
            else:
                r = _run_one(a.corpus, f"{size},{cap}")
                if cached is not None:
                    cached.parent.mkdir(parents=True, exist_ok=True)
                    cached.write_text(json.dumps(r), encoding="utf-8")
            links = {(x, y) for x, y in r["links"]}
            if cap == 0:
                ref = links
            kept = "-" if ref is None or cap == 0 else f"{len(links & ref) / max(1, len(ref)):.4f}"
            n = r["size"]
            allp = n * (n - 1) / 2
            print(
                f"| {n} | {cap or 'off'} | {r['candidates']} | {r['candidates'] / allp:.4f} "
                f"| {2 * r['candidates'] / n:.1f} | {r['cpu_s']} | {r['wall_s']} | {r['verified']} "
                f"| {len(links)} | {kept} | {r['clusters']} | {r['largest']} | {r['peak_rss_mb']} |",
                flush=True,
            )
            details.append(f"- {n} articles, cap {cap or 'off'}: stage CPU seconds: {r['stages']}")
    print()
    print("\n".join(details))
    if a.incremental:
        size = int(a.sizes.split(",")[0])
        print()
        print(f"### {size} articles in {a.incremental} scans through one in-memory index")
        print("| candidate_cap | candidates per scan | scan CPU s | clustered links (union) |")
        print("|---|---|---|---|")
        for cap in caps:
            r = _run_one(a.corpus, f"{size},{cap},{a.incremental}")
            print(f"| {cap or 'off'} | {r['candidates']} | {r['cpu_s']} | {len(r['links'])} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
