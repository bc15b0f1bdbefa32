"""The gate's check with what a record brings (`ref`, `src`) against the text alone, on real
Chinese-to-English MT (WMT 2021 MQM): time per article and what the flags catch.

Each (document, system) output becomes a record (segments joined, as `eval_mqm.py` does); each
system goes through its own gate run (outputs of one document by several systems are copies of
each other, which the gate would hold back unchecked). A flag is corroborated when it overlaps a
span the raters marked.

Run by hand, from the project root:
    .venv/bin/python benchmarks/bench_gate_reference.py [--systems 4]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_mqm import load_articles  # noqa: E402 - the benchmark's own loader

from dedup.gate import GateParams, gate  # noqa: E402
from dedup.model import Article  # noqa: E402

DATA = Path("../shared/data/mqm/wmt21_zhen_mqm_vs_refA.jsonl")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--systems", type=int, default=4, help="how many MT systems (sorted by name)")
    args = ap.parse_args()
    outputs = [a for a in load_articles(args.data) if not a.system.startswith("ref.")]
    systems = sorted({a.system for a in outputs})[: args.systems]
    for variant in ("text", "ref", "ref+src"):
        took = 0.0
        decisions: Counter[str] = Counter()
        flags: Counter[str] = Counter()
        hits: Counter[str] = Counter()
        n = 0
        for system in systems:
            mine = [a for a in outputs if a.system == system]
            recs = [
                Article(
                    id=a.doc,
                    text=a.mt,
                    ref=a.ref if "ref" in variant else None,
                    src=a.src if variant == "ref+src" and a.src.strip() else None,
                )
                for a in mine
            ]
            marks = {a.doc: a.spans for a in mine}
            t = time.process_time()
            out = list(gate(recs, params=GateParams()))
            took += time.process_time() - t
            n += len(out)
            for d in out:
                decisions[d.decision] += 1
                for s in d.flag_spans:
                    flags[s["kind"]] += 1
                    if any(m["start"] < s["end"] and s["start"] < m["end"] for m in marks[d.id]):
                        hits[s["kind"]] += 1
        print(
            json.dumps(
                {
                    "variant": variant,
                    "systems": systems,
                    "articles": n,
                    "cpu_s": round(took, 1),
                    "ms_per_article": round(1000 * took / n, 1),
                    "decisions": dict(sorted(decisions.items())),
                    "flags_corroborated": {k: f"{hits[k]}/{v}" for k, v in sorted(flags.items())},
                }
            )
        )


if __name__ == "__main__":
    main()
