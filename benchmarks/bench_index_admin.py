"""`dedup index forget` / `info` on a real SQLite index: ids removed in one call (one lock, one
transaction) against the naive loop (one `forget` per id, each in its own locked section).

Run by hand, from the project root (a corpus from `gen_corpus.py`):
    .venv/bin/python benchmarks/bench_index_admin.py benchmarks/out/corpus_10k.jsonl [--forget 1000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from dedup.index_admin import index_forget, index_info, index_show
from dedup.load import load_articles
from dedup.near.index import open_index
from dedup.near.scan import scan


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", help="a .jsonl corpus")
    ap.add_argument("--forget", type=int, default=1000, help="ids removed by each method")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "idx.sqlite")
        loaded = load_articles([args.corpus])
        t = time.process_time()
        scan(loaded, level="copy", index=db)
        built = time.process_time() - t
        ids = sorted(a.id for a in loaded.articles)[: 2 * args.forget]
        one, rest = ids[: args.forget], ids[args.forget :]
        t = time.perf_counter()
        index_show(db, one)
        shown = time.perf_counter() - t
        t = time.perf_counter()
        done = index_forget(db, one)["forgotten"]
        batch = time.perf_counter() - t
        idx = open_index(db)
        t = time.perf_counter()
        for i in rest:  # naive: one id per call, each in its own locked section
            with idx.exclusive():
                idx.forget([i])
        naive = time.perf_counter() - t
        idx.close()
        t = time.perf_counter()
        info = index_info(db)
        took = time.perf_counter() - t
    print(
        json.dumps(
            {
                "corpus": args.corpus,
                "stored": len(loaded.articles),
                "scan_into_index_cpu_s": round(built, 2),
                "show_s": round(shown, 3),
                "forget_one_call_s": round(batch, 3),
                "forgotten": len(done),
                "forget_naive_loop_s": round(naive, 3),
                "ratio": round(naive / batch, 1) if batch else None,
                "info_s": round(took, 4),
                "left_in_copy_level": info["levels"]["copy"]["articles"],
            }
        )
    )


if __name__ == "__main__":
    main()
