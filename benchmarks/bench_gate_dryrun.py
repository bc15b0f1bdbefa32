"""`gate --dry-run` against a real run: the same decisions, the index untouched, and what the
in-memory layer costs. The first half of a corpus goes into an SQLite index; the second half is
then gated for real (on a copy of the file) and as a dry run (on the original).

Run by hand, from the project root (a corpus from `gen_corpus.py`):
    .venv/bin/python benchmarks/bench_gate_dryrun.py benchmarks/out/corpus_10k.jsonl [--level both]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from dedup.gate import GateParams, gate
from dedup.load import load_articles
from dedup.near.index import open_index
from dedup.near.index.dryrun import DryRunIndex


def _digest(decisions: list[dict]) -> str:
    return hashlib.sha256("\n".join(json.dumps(d) for d in decisions).encode()).hexdigest()[:16]


def _dump(path: Path) -> str:
    with sqlite3.connect(path) as db:
        return hashlib.sha256("\n".join(db.iterdump()).encode()).hexdigest()[:16]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus")
    ap.add_argument("--level", default="copy", choices=["copy", "both"])
    args = ap.parse_args()
    arts = load_articles([args.corpus]).articles
    half = len(arts) // 2
    params = GateParams(level=args.level, check=False)
    out = {"corpus": args.corpus, "level": args.level, "stored": half, "gated": len(arts) - half}
    with tempfile.TemporaryDirectory() as tmp:
        db, twin = Path(tmp) / "idx.sqlite", Path(tmp) / "twin.sqlite"
        list(gate(arts[:half], index=str(db), params=params))
        shutil.copy(db, twin)
        before = _dump(db)
        t = time.process_time()
        real = [d.to_json() for d in gate(arts[half:], index=str(twin), params=params)]
        out["real_cpu_s"] = round(time.process_time() - t, 2)
        idx = DryRunIndex(open_index(str(db)))
        t = time.process_time()
        dry = [d.to_json() for d in gate(arts[half:], index=idx, params=params)]
        out["dry_run_cpu_s"] = round(time.process_time() - t, 2)
        idx.close()
        out["same_decisions"] = _digest(real) == _digest(dry)
        out["decisions_sha256"] = _digest(dry)
        out["index_unchanged"] = _dump(db) == before
    print(json.dumps(out))


if __name__ == "__main__":
    main()
