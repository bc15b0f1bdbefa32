"""Copies cut to their opening: how many the copy level finds, against how many it would accept.

Run by hand, from the project root (reads BBC articles from ../shared/data at run time):
    .venv/bin/python benchmarks/eval_cut_copies.py [--code DIR] [--n 600]

Each of n seeded BBC articles gets one copy cut after the sentence that ends before `share` of its
characters (kept from the start, as syndicated teasers are), and the same with its headline line
replaced. "verifiable" counts copies the exact verification accepts (so a scan that compared
every pair would cluster them); "found" counts copies the scan put in one cluster with their
original. `--code DIR` runs another checkout's `dedup` (e.g. the previous commit, for before/after).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

SHARES = (0.25, 0.3, 0.4, 0.5)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="../shared/data/news/bbc")
    ap.add_argument("--code", help="directory holding another checkout's dedup package")
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--seed", type=int, default=5)
    a = ap.parse_args()
    if a.code:
        sys.path.insert(0, a.code)
    import dedup
    from dedup.model import Article
    from dedup.near.scan import make_level, scan

    files = sorted(Path(a.data).rglob("*.txt"))
    texts = [f.read_text(encoding="latin-1") for f in random.Random(a.seed).sample(files, a.n)]
    level = make_level("copy")
    print(f"dedup from {Path(dedup.__file__).parent}, {a.n} BBC articles (seed {a.seed})")
    print("| cut to | headline | verifiable | found | found / verifiable | scan CPU s |")
    print("|---|---|---:|---:|---:|---:|")
    for new_headline in (False, True):
        for share in SHARES:
            cuts = []
            for t in texts:
                cut = t[: int(len(t) * share)]
                cut = cut[: cut.rfind(".") + 1] or cut
                if new_headline:
                    cut = "Exclusive report from our partners\n" + cut.partition("\n")[2]
                cuts.append(cut)
            _, whole = level.sketch_texts(texts)
            _, parts = level.sketch_texts(cuts)
            ok = [
                p is not None and q is not None and level.similarity(p, q) >= level.verify_threshold
                for p, q in zip(whole, parts, strict=True)
            ]
            arts = []
            for i, (t, c) in enumerate(zip(texts, cuts, strict=True)):
                arts += [
                    Article(id=f"o{i:04d}", text=t, origin="bbc"),
                    Article(id=f"t{i:04d}", text=c, origin="cut"),
                ]
            t0 = time.process_time()
            res = scan(arts, level="copy")
            cpu = time.process_time() - t0
            got = {d.id: d.clusters.get("copy") for d in res.documents}
            found = [
                got[f"t{i:04d}"] is not None and got[f"t{i:04d}"] == got[f"o{i:04d}"]
                for i in range(len(texts))
            ]
            both = sum(1 for f, o in zip(found, ok, strict=True) if f and o)
            print(
                f"| {share:.2f} | {'replaced' if new_headline else 'kept'} | {sum(ok)} | {sum(found)} | "
                f"{both / max(sum(ok), 1):.3f} | {cpu:.2f} |"
            )


if __name__ == "__main__":
    main()
