"""Redis index: memory per article and time, a corpus scanned as two runs into one real redis-server.

A fresh `redis-server` (unix socket, no persistence) is started for the run; the corpus is scanned
in two halves into the index (the second half finds copies of the first), then the server's
`used_memory` growth is divided by the number of articles. `--code DIR` runs another checkout's
`dedup` package (e.g. `git archive HEAD dedup | tar -x -C /tmp/old`) to compare layouts in the
same conditions.

    .venv/bin/python benchmarks/bench_redis_index.py benchmarks/out/corpus_10k.jsonl [--level copy]
        [--articles N] [--code /tmp/old] [--forget N] [--breakdown]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from redis_server import start as start_redis


def breakdown(r, articles: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """`MEMORY USAGE` summed by key group (the part of the name before any bucket number)."""
    groups: dict[str, int] = {}
    for key in r.scan_iter(count=10_000):
        name = key.decode()
        group = name.rsplit(":", 1)[0] + ":*" if name.rsplit(":", 1)[-1].isdigit() else name
        groups[group] = groups.get(group, 0) + (r.memory_usage(key, samples=0) or 0)
    return {g: round(b / articles, 1) for g, b in sorted(groups.items())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path, help="a JSONL corpus (benchmarks/gen_corpus.py)")
    ap.add_argument("--level", default="copy", choices=["copy", "story", "both"])
    ap.add_argument("--articles", type=int, default=0, help="only the first N articles (0: all)")
    ap.add_argument("--code", type=Path, help="import dedup from this folder instead")
    ap.add_argument("--forget", type=int, default=0, help="then forget N articles (removal time)")
    ap.add_argument("--breakdown", action="store_true", help="also bytes per article for each key group")
    ap.add_argument(
        "--buckets", type=int, default=0, help="bucket hashes per level for a new index (0: default)"
    )
    args = ap.parse_args(argv)
    if args.code:
        sys.path.insert(0, str(args.code))
    import redis

    import dedup
    from dedup.load import load_articles
    from dedup.near.scan import scan

    folder = tempfile.mkdtemp()
    _, server = start_redis(folder)
    sock = f"{folder}/redis.sock"
    try:
        r = redis.Redis(unix_socket_path=sock)
        base = r.info("memory")["used_memory"]
        arts = load_articles([args.corpus]).articles
        if args.articles:
            arts = arts[: args.articles]
        half = len(arts) // 2
        wall, cpu = [], []
        result = None
        for part in (arts[:half], arts[half:]):
            t0, c0 = time.perf_counter(), time.process_time()
            spec: Any = f"unix://{sock}"
            if args.buckets:
                spec = {"type": "redis", "url": spec, "buckets": args.buckets}
            result = scan(part, level=args.level, index=spec)
            wall.append(round(time.perf_counter() - t0, 2))
            cpu.append(round(time.process_time() - c0, 2))
        used = r.info("memory")["used_memory"] - base
        info = r.info("cpu")
        out = {
            "code": str(Path(dedup.__file__).parent),
            "level": args.level,
            "articles": len(arts),
            "bytes_per_article": round(used / len(arts)),
            "redis_keys": r.dbsize(),
            "wall_s": wall,
            "client_cpu_s": cpu,
            "server_cpu_s": round(info["used_cpu_user"] + info["used_cpu_sys"], 2),
            "clusters_second_run": len(result.clusters) if result else 0,
        }
        if args.forget:
            from dedup.near.index import open_index

            idx = open_index(f"unix://{sock}")
            ids = [a.id for a in arts[:: max(1, len(arts) // args.forget)]][: args.forget]
            before = r.info("cpu")
            t0, c0 = time.perf_counter(), time.process_time()
            idx.forget(ids)
            after = r.info("cpu")
            out["forget"] = {
                "articles": len(ids),
                "wall_s": round(time.perf_counter() - t0, 2),
                "client_cpu_s": round(time.process_time() - c0, 2),
                "server_cpu_s": round(
                    after["used_cpu_user"]
                    + after["used_cpu_sys"]
                    - before["used_cpu_user"]
                    - before["used_cpu_sys"],
                    2,
                ),
            }
            idx.close()
        if args.breakdown:
            out["breakdown_bytes_per_article"] = breakdown(r, len(arts))
        print(json.dumps(out))
        r.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
