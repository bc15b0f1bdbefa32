"""A persistent index as it grows: scan time per chunk of new articles as the index fills up.

The pre-ingest use adds a day's articles to an index that holds everything before: what matters is
whether a run of N new articles costs the same against an index of 10k and of 1M articles. The
corpus is read in input order and scanned chunk by chunk into one index (a fresh SQLite file, a
fresh `redis-server` on a unix socket, or memory); each chunk's wall and CPU time, articles per
second, copies found and the index's size are printed, one JSON line per chunk.

    .venv/bin/python benchmarks/bench_index_growth.py benchmarks/out/corpus_1m.jsonl \
        --index sqlite --chunk 50000 [--articles N] [--code /tmp/old] [--level copy]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Any

from redis_server import start as start_redis


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path, help="a JSONL corpus (benchmarks/gen_corpus.py)")
    ap.add_argument("--index", default="sqlite", choices=["sqlite", "redis", "memory"])
    ap.add_argument("--chunk", type=int, default=50_000, help="new articles per scan")
    ap.add_argument("--articles", type=int, default=0, help="stop after N articles (0: all)")
    ap.add_argument("--level", default="copy", choices=["copy", "story", "both"])
    ap.add_argument("--code", type=Path, help="import dedup from this folder instead")
    ap.add_argument("--buckets", type=int, default=0, help="Redis bucket hashes per level (0: default)")
    ap.add_argument("--dir", default=None, help="where the SQLite file goes (default: a temp folder)")
    ap.add_argument("--links", action="store_true", help="story level: links missed vs one run")
    args = ap.parse_args(argv)
    if args.code:
        sys.path.insert(0, str(args.code))
    import dedup
    from dedup.load import iter_articles
    from dedup.near.alloc import keep_freed_memory
    from dedup.near.index import open_index
    from dedup.near.scan import scan

    keep_freed_memory()
    print(f"# dedup from {dedup.__file__}", file=sys.stderr)
    level: Any = args.level
    if args.links:
        from dedup.near.story import StoryLevel

        if args.level != "story":
            ap.error("--links needs --level story")
        level = StoryLevel(chain_k=0)
    found: set[tuple[str, str]] = set()
    folder = tempfile.mkdtemp(dir=args.dir)
    server = None
    spec: Any
    if args.index == "sqlite":
        spec = str(Path(folder) / "index.db")
    elif args.index == "redis":
        url, server = start_redis(folder)
        spec = url
        if args.buckets:
            spec = {"type": "redis", "url": spec, "buckets": args.buckets}
    else:
        spec = None
    idx = open_index(spec)
    stream = iter_articles([args.corpus])
    if args.articles:
        stream = islice(stream, args.articles)
    seen = 0
    digest = hashlib.sha256()  # of every chunk's JSON output: before/after runs must agree
    try:
        while chunk := list(islice(stream, args.chunk)):
            t0, c0 = time.perf_counter(), time.process_time()
            result = scan(chunk, level=level, index=idx)
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            seen += len(chunk)
            copies = sum(1 for d in result.documents if getattr(d, "duplicate_of", None))
            digest.update(json.dumps(result.to_json(), sort_keys=True).encode())
            found |= {(p.a, p.b) for c in result.clusters if c.level == "story" for p in c.pairs}
            row = {
                "articles": seen,
                "chunk": len(chunk),
                "wall_s": round(wall, 2),
                "cpu_s": round(cpu, 2),
                "per_s_wall": round(len(chunk) / wall),
                "copies": copies,
            }
            if args.index == "sqlite":
                db = Path(folder) / "index.db"
                row["file_bytes_per_article"] = round(os.path.getsize(db) / seen)
                wal = db.with_name("index.db-wal")
                row["wal_mb"] = round(os.path.getsize(wal) / 1e6) if wal.exists() else 0
                row.update(_table_bytes(db, seen))
            row["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
            row["output_sha256"] = digest.hexdigest()[:16]
            print(json.dumps(row), flush=True)
        if args.links:
            every = list(iter_articles([args.corpus]))[:seen]
            c0 = time.process_time()
            one = scan(every, level=level)
            links = {(p.a, p.b) for c in one.clusters if c.level == "story" for p in c.pairs}
            out = {
                "one_shot_links": len(links),
                "one_shot_cpu_s": round(time.process_time() - c0, 2),
                "chunked_links": len(found),
                "missed": len(links - found),
                "not_in_one_shot": len(found - links),
            }
            print(json.dumps(out), flush=True)
    finally:
        idx.close()
        if server is not None:
            server.terminate()
            server.wait()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _table_bytes(db: Path, seen: int) -> dict[str, float]:
    """Bytes per article of the story level's partner lists (format 4) and of its payloads."""
    import sqlite3

    con = sqlite3.connect(str(db))
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        out = {}
        if "tops_story" in tables:
            (b,) = con.execute("SELECT COALESCE(SUM(LENGTH(tops)), 0) FROM tops_story").fetchone()
            out["tops_bytes_per_article"] = round(b / seen, 1)
        if "payloads_story" in tables:
            (b,) = con.execute("SELECT COALESCE(SUM(LENGTH(payload)), 0) FROM payloads_story").fetchone()
            out["story_payload_bytes_per_article"] = round(b / seen, 1)
        return out
    finally:
        con.close()


if __name__ == "__main__":
    raise SystemExit(main())
