"""Evaluate `dedup.align` on MAC-Dev: strict / lax F1 as the Bleualign scorer (as used by Vecalign).

Run by hand, from the project root:
    .venv/bin/python benchmarks/eval_align.py [--data ../shared/data/align/mac_dev] [--param NAME=VALUE ...]

Two settings:
- original: MT lines (zh/NNN.trans) against the published English (en/NNN), same order;
- comparable: 20% of the gold beads dropped on each side (independently), then the English cut
  into chunks of 1-4 lines and the chunks shuffled (seeded), so order carries no information.

The scorer follows Vecalign's score.py: precision over test beads (exact bead = strict hit; a
bead whose source overlaps a gold bead's source and whose target overlaps that gold bead's
targets = lax hit); recall is the same with gold and test swapped after dropping beads with an
empty side. Our output holds links only ("no counterpart" sentences are not beads), so a
sentence left unaligned costs recall and never precision.
"""

from __future__ import annotations

import argparse
import ast
import json
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from dedup.align import AlignParams, align_texts

Bead = tuple[tuple[int, ...], tuple[int, ...]]


def read_gold(path: Path) -> list[Bead]:
    beads: list[Bead] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        left, right = line.split(":")
        beads.append((tuple(ast.literal_eval(left)), tuple(ast.literal_eval(right))))
    return beads


def _precision(gold: list[Bead], test: list[Bead]) -> list[int]:
    tp_s = fp_s = tp_l = fp_l = 0
    test_set = {(tuple(x), tuple(y)) for x, y in test if len(x) or len(y)}
    gold_set = {(tuple(x), tuple(y)) for x, y in gold if len(x) or len(y)}
    src_to_tgt: dict[int, set[int]] = defaultdict(set)
    for gs, gt in gold_set:
        for s in gs:
            src_to_tgt[s].update(gt)
    for ts, tt in test_set:
        if (ts, tt) in gold_set:
            tp_s += 1
            tp_l += 1
            continue
        fp_s += 1
        targets = set().union(*(src_to_tgt[s] for s in ts)) if ts else set()
        if set(tt) & targets:
            tp_l += 1
        else:
            fp_l += 1
    return [tp_s, fp_s, tp_l, fp_l]


def score_multiple(golds: list[list[Bead]], tests: list[list[Bead]]) -> dict[str, float]:
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    for gold, test in zip(golds, tests, strict=True):
        p = [a + b for a, b in zip(p, _precision(gold, test), strict=True)]
        test_nd = [(x, y) for x, y in test if len(x) and len(y)]
        gold_nd = [(x, y) for x, y in gold if len(x) and len(y)]
        r = [a + b for a, b in zip(r, _precision(test_nd, gold_nd), strict=True)]

    def div(a: float, b: float) -> float:
        return a / b if b else 0.0

    ps, pl = div(p[0], p[0] + p[1]), div(p[2], p[2] + p[3])
    rs, rl = div(r[0], r[0] + r[1]), div(r[2], r[2] + r[3])
    return {
        "precision_strict": ps,
        "recall_strict": rs,
        "f1_strict": div(2 * ps * rs, ps + rs),
        "precision_lax": pl,
        "recall_lax": rl,
        "f1_lax": div(2 * pl * rl, pl + rl),
    }


def comparable(
    mt: list[str], en: list[str], gold: list[Bead], seed: int
) -> tuple[list[str], list[str], list[Bead]]:
    """Drop 20% of the beads on each side, shuffle chunks of 1-4 English lines; remap the gold."""
    rng = random.Random(seed)
    n = len(gold)
    drop_mt = set(rng.sample(range(n), round(0.2 * n)))
    drop_en = set(rng.sample(range(n), round(0.2 * n)))
    gone_mt = {i for b in drop_mt for i in gold[b][0]}
    gone_en = {j for b in drop_en for j in gold[b][1]}
    keep_mt = [i for i in range(len(mt)) if i not in gone_mt]
    keep_en = [j for j in range(len(en)) if j not in gone_en]
    chunks: list[list[int]] = []
    pos = 0
    while pos < len(keep_en):
        size = rng.randint(1, 4)
        chunks.append(keep_en[pos : pos + size])
        pos += size
    rng.shuffle(chunks)
    order_en = [j for c in chunks for j in c]
    mt_new = {old: new for new, old in enumerate(keep_mt)}
    en_new = {old: new for new, old in enumerate(order_en)}
    new_gold: list[Bead] = []
    for src, tgt in gold:
        s = tuple(mt_new[i] for i in src if i in mt_new)
        t = tuple(sorted(en_new[j] for j in tgt if j in en_new))
        if s or t:
            new_gold.append((s, t))
    return [mt[i] for i in keep_mt], [en[j] for j in order_en], new_gold


def load(data: Path) -> list[tuple[str, list[str], list[str], list[Bead]]]:
    out = []
    for gold_path in sorted((data / "gold").glob("*.align")):
        doc = gold_path.name.split(".")[0]
        mt = (data / "zh" / f"{doc}.trans").read_text(encoding="utf-8").splitlines()
        en = (data / "en" / doc).read_text(encoding="utf-8").splitlines()
        out.append((doc, mt, en, read_gold(gold_path)))
    return out


def run(
    docs, params: AlignParams, variant: str, seed: int, per_doc: bool = False
) -> tuple[dict[str, float], float, float]:  # type: ignore[no-untyped-def]
    """Scores, wall seconds and CPU seconds (this process) spent aligning."""
    golds, tests = [], []
    elapsed = cpu = 0.0
    for k, (_doc, mt, en, gold) in enumerate(docs):
        if variant == "comparable":
            mt, en, gold = comparable(mt, en, gold, seed + k)
        t0, c0 = time.perf_counter(), time.process_time()
        result = align_texts(mt, en, params)
        elapsed += time.perf_counter() - t0
        cpu += time.process_time() - c0
        golds.append(gold)
        tests.append([(lk.mt, lk.ref) for lk in result.links])
        if per_doc:
            one = score_multiple([gold], tests[-1:])
            print(f"  {variant} {_doc}: strict F1 {one['f1_strict']:.3f} | lax F1 {one['f1_lax']:.3f}")
    return score_multiple(golds, tests), elapsed, cpu


def time_40x40(docs, params: AlignParams, repeats: int = 5) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    """Median seconds for a 40 x 40 pair (first 40 lines of each document), ours and naive sacrebleu:
    (ours CPU, ours wall, naive CPU, naive wall). CPU time is this process's, so it is the figure
    to trust on a shared machine; torch threads (embeddings) add to it."""
    from sacrebleu.metrics import CHRF

    ours_cpu, ours_wall, naive_cpu, naive_wall = [], [], [], []
    chrf = CHRF()
    for _doc, mt, en, _gold in docs:
        a, b = mt[:40], en[:40]
        align_texts(a, b, params)  # warm caches fairly for both
        for _ in range(repeats):
            t0, c0 = time.perf_counter(), time.process_time()
            align_texts(a, b, params)
            ours_wall.append(time.perf_counter() - t0)
            ours_cpu.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        [[chrf.sentence_score(x, [y]).score for y in b] for x in a]
        naive_wall.append(time.perf_counter() - t0)
        naive_cpu.append(time.process_time() - c0)
    med = statistics.median
    return med(ours_cpu), med(ours_wall), med(naive_cpu), med(naive_wall)


def msr_calibration(path: Path, params: AlignParams, batch: int = 40, limit: int = 2000) -> None:
    """Similarity of MSR paraphrase pairs vs unrelated pairs (other pairs of the same batch of 40):
    where the absolute floors (min_sim, neighbour_sim) sit between the two."""
    import numpy as np

    from dedup.align.similarity import PairScorer

    rows = [line.rstrip("\n").split("\t") for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]]
    rows = rows[:limit]
    para, unrelated = [], []
    for start in range(0, len(rows) - batch + 1, batch):
        chunk = rows[start : start + batch]
        sim = PairScorer([r[3] for r in chunk], [r[4] for r in chunk], params).single
        para.extend(sim[i, i] for i, r in enumerate(chunk) if r[0] == "1")
        unrelated.extend(sim[~np.eye(len(chunk), dtype=bool)])
    para_a, unrel_a = np.array(para), np.array(unrelated)
    print(f"MSR: {len(para_a)} paraphrase pairs, {len(unrel_a)} unrelated pairs")
    print(
        f"  paraphrase similarity percentiles 1/5/50: {np.percentile(para_a, [1, 5, 50]).round(3).tolist()}"
    )
    print(
        f"  unrelated similarity percentiles 50/95/99/99.9: {np.percentile(unrel_a, [50, 95, 99, 99.9]).round(3).tolist()}"
    )
    for floor in sorted({params.min_sim, params.neighbour_sim, 0.15, 0.2, 0.25}):
        print(
            f"  floor {floor:.2f}: paraphrases kept {np.mean(para_a >= floor):.4f}, "
            f"unrelated pairs passing {np.mean(unrel_a >= floor):.4f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="../shared/data/align/mac_dev")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="override an AlignParams field"
    )
    ap.add_argument("--variants", default="original,comparable")
    ap.add_argument("--no-timing", action="store_true")
    ap.add_argument(
        "--timing-variant",
        default="original",
        choices=("original", "comparable"),
        help="documents the 40x40 excerpts come from (comparable: shuffled, so the order-free path runs)",
    )
    ap.add_argument("--per-doc", action="store_true", help="also print each document's F1")
    ap.add_argument("--msr", default=None, help="also calibrate floors on this MSR paraphrase file")
    args = ap.parse_args()
    docs = load(Path(args.data))
    overrides = {}
    for item in args.param:
        name, value = item.split("=", 1)
        try:
            overrides[name] = json.loads(value)
        except json.JSONDecodeError:  # a bare word: order=free
            overrides[name] = value
    params = AlignParams(**overrides)
    print(f"params: {params.to_json()}")
    if params.embeddings:  # the `embed` extra: load the model once, timed apart from the alignments
        from dedup.align.embed import encode, load_model

        t0 = time.perf_counter()
        load_model()
        loaded = time.perf_counter() - t0
        encode(["warm-up sentence."])
        print(
            f"embedding model: load {loaded:.2f} s (imports + weights), first encode {time.perf_counter() - t0 - loaded:.2f} s"
        )
    if args.msr:
        msr_calibration(Path(args.msr), params)
    for variant in filter(None, args.variants.split(",")):
        res, secs, cpu = run(docs, params, variant, args.seed, args.per_doc)
        print(
            f"{variant:11s} strict P/R/F1 {res['precision_strict']:.3f} {res['recall_strict']:.3f} "
            f"{res['f1_strict']:.3f} | lax P/R/F1 {res['precision_lax']:.3f} {res['recall_lax']:.3f} "
            f"{res['f1_lax']:.3f} | align time {secs:.2f} s wall, {cpu:.2f} s CPU for {len(docs)} documents"
        )
        sys.stdout.flush()
    if not args.no_timing:
        timed = docs
        if args.timing_variant == "comparable":
            timed = [
                (d, *comparable(mt, en, gold, args.seed + k)) for k, (d, mt, en, gold) in enumerate(docs)
            ]
        ours_cpu, ours_wall, naive_cpu, naive_wall = time_40x40(timed, params)
        print(
            f"40x40 align ({args.timing_variant}): median {ours_cpu * 1000:.1f} ms CPU / {ours_wall * 1000:.1f} ms wall (whole align); "
            f"naive sacrebleu sentence_chrf matrix alone: {naive_cpu * 1000:.1f} ms CPU / "
            f"{naive_wall * 1000:.1f} ms wall; ratio (CPU) {naive_cpu / ours_cpu:.1f}x"
        )


if __name__ == "__main__":
    main()
