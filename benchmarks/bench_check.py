"""Time `dedup.check` on one core: a ~1,000-word MT article with its reference, and the seed pair.

    .venv/bin/python benchmarks/bench_check.py [--runs 7] [--data PATH] [--mqm-reading] [--news DIR] [--story JSONL]
    .venv/bin/python benchmarks/bench_check.py --mqm-only   # only the MQM reading (single and two refs)

The 1,000-word article is built like eval_mqm's: WMT21 zh-en MQM documents' MT segments of one
system, in seg_id order, longest documents first until 1,000 words, against the human reference
(../shared/data, read-only). Reported: median seconds of the text pipeline (with and without
langdetect), the aligner, every detector family, scoring, and `check()` end to end on analysed
Documents; CPU seconds of the process (`time.process_time`, pinned to one core), plus the wall time
of `check()` for comparison. Then the seed translation's flags, listed, for benchmarks/results/check.md.

`--mqm-reading` adds a reading of this part's families on the MQM set (the official precision is
benchmarks/eval_mqm.py's): raters of one system's output often leave unmarked an error they mark in
another system's output of the same document (the same misspelled name, the same wrong outlet). A
false alarm whose text is marked as an error (one containing the other) in another output of the
same document is
counted apart as "marked elsewhere"; the rest are listed in full to be read.

`--story ../shared/data/story/semeval2022_en_pairs.jsonl` checks English reports of one story
against each other (correct, comparable texts: the setting of real use, without MT errors).
`--news ../shared/data/news/bbc` runs the reference-free families of this part (name_variants,
rare_collocation) on every third BBC article, native English: each flag is listed to be read.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections import defaultdict
from pathlib import Path

from dedup.align import align
from dedup.check import check
from dedup.garbles.base import Context, active_detectors
from dedup.load import article_from_text
from dedup.score import MetricParams, VerdictPolicy, score
from dedup.text import analyze

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "mqm" / "wmt21_zhen_mqm_vs_refA.jsonl"


def thousand_words(path: Path, system: str = "hyp.Online-W") -> tuple[str, str, str, str]:
    """One system's MT of the longest documents, segments in a row until 1,000 words; the reference
    (ref.A) and the second human translation (ref.B) of the same segments."""
    groups: dict[str, list[dict]] = defaultdict(list)
    second: dict[tuple[str, int], str] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["system"] == system:
                groups[row["doc"]].append(row)
            elif row["system"] == "ref.B":
                second[(row["doc"], row["seg_id"])] = row["mt"]
    docs = sorted(groups, key=lambda d: (-sum(len(r["mt"].split()) for r in groups[d]), d))
    mt, ref, ref_b, used, n = [], [], [], [], 0
    for doc in docs:
        used.append(doc)
        for r in sorted(groups[doc], key=lambda r: r["seg_id"]):
            mt.append(r["mt"])
            ref.append(r["ref"])
            ref_b.append(second.get((doc, r["seg_id"]), ""))
            n += len(r["mt"].split())
            if n >= 1000:
                break
        if n >= 1000:
            break
    return "+".join(used), "\n".join(mt), "\n".join(ref), "\n".join(ref_b)


def median_time(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    """Median CPU seconds of this process (the machine is shared: wall time counts the neighbours)."""
    times = []
    for _ in range(runs):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


def median_wall(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_pair(
    name: str, mt_text: str, ref_text: str, runs: int, ref_b_text: str | None = None
) -> dict[str, float]:
    mt_a, ref_a = article_from_text(mt_text, id="mt"), article_from_text(ref_text, id="ref")
    out: dict[str, float] = {"mt_words": len(mt_text.split()), "ref_words": len(ref_text.split())}
    out["pipeline_langdetect_s"] = median_time(lambda: (analyze(mt_a), analyze(ref_a)), runs)
    out["pipeline_no_langdetect_s"] = median_time(
        lambda: (analyze(mt_a, languages=False), analyze(ref_a, languages=False)), runs
    )
    mt, ref = analyze(mt_a), analyze(ref_a)
    check(mt, ref)  # warm caches (wordfreq, regex compilation) before timing
    out["align_s"] = median_time(lambda: align(mt, ref), runs)
    alignment = align(mt, ref)
    ctx = Context(mt, ref, alignment)
    for det in active_detectors():
        out[f"detector_{det.name}_s"] = median_time(lambda det=det: list(det.detect(ctx)), runs)
    flags = check(mt, ref).flags
    out["score_s"] = median_time(lambda: score(mt, flags, VerdictPolicy(), ref, alignment), runs)
    # The naive use of sacrebleu: TER over every pair, however long (ours caps TER at 30-word pairs).
    naive = MetricParams(ter_max_words=None)
    out["score_naive_all_pairs_ter_s"] = median_time(
        lambda: score(mt, flags, VerdictPolicy(), ref, alignment, naive), max(1, runs // 3)
    )
    out["score_speedup_vs_naive"] = out["score_naive_all_pairs_ter_s"] / max(out["score_s"], 1e-9)
    out["check_s"] = median_time(lambda: check(mt, ref), runs)
    out["check_wall_s"] = median_wall(lambda: check(mt, ref), runs)
    out["analyze_and_check_s"] = median_time(lambda: check(analyze(mt_a), ref=analyze(ref_a)), runs)
    if ref_b_text:
        ref_b = analyze(article_from_text(ref_b_text, id="ref_b"))
        out["ref_b_words"] = len(ref_b_text.split())
        out["check_two_refs_s"] = median_time(lambda: check(mt, ref, refs=[ref_b]), runs)
    print(f"== {name}")
    for k, v in out.items():
        print(f"  {k:<40} {v:.4f}" if isinstance(v, float) else f"  {k:<40} {v}")
    return out


def _same_text(flagged: str, marked: str) -> bool:
    """The flagged string and a marked one name the same error (one contains the other). Both must be
    at least 3 characters: a flagged quote mark is "in" every marked quotation."""
    return len(marked) >= 3 and len(flagged) >= 3 and (flagged in marked or marked in flagged)


def mqm_reading(path: Path, families: tuple[str, ...], two_refs: bool = False) -> None:
    """With `two_refs`, every output but ref.B's is checked against ref.A and ref.B together."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from eval_mqm import load_articles, overlaps  # the official loader and overlap rule

    from dedup.garbles.base import load_all, run_detectors, run_detectors_refs

    arts = load_articles(path)
    second = {a.doc: a.mt for a in arts if a.system == "ref.B"}
    marked: dict[str, set[str]] = defaultdict(set)
    for a in arts:
        for sp in a.spans:
            marked[a.doc].add(sp["text"].strip())
    dets = [load_all()[f]() for f in families]
    refs: dict[str, object] = {}
    stats: dict[str, list[int]] = {f: [0, 0, 0] for f in families}
    left: dict[str, list[str]] = defaultdict(list)
    for a in arts:
        if two_refs and (a.system == "ref.B" or a.doc not in second):
            continue
        mt = analyze(article_from_text(a.mt, id=f"{a.doc}/{a.system}"))
        ref = refs.get(a.doc) or analyze(article_from_text(a.ref, id=f"{a.doc}/ref"))
        refs[a.doc] = ref
        if two_refs:
            ref_b = refs.get(f"{a.doc}/B") or analyze(article_from_text(second[a.doc], id=f"{a.doc}/refB"))
            refs[f"{a.doc}/B"] = ref_b
            flags = run_detectors_refs(mt, [ref, ref_b], [align(mt, ref), align(mt, ref_b)], dets)
        else:
            flags = run_detectors(Context(mt, ref, align(mt, ref)), dets)
        for f in flags:
            st = stats[f.kind]
            st[0] += 1
            if any(overlaps(f, sp) for sp in a.spans):
                st[1] += 1
            elif any(_same_text(f.text.strip(), m) for m in marked[a.doc]):
                st[2] += 1
            else:
                left[f.kind].append(f"{a.doc}/{a.system} {f.text!r}: {f.message}")
    mode = "ref.A + ref.B, outputs but ref.B's" if two_refs else "ref.A, every output"
    print(f"== MQM reading, {mode} (flags, corroborated, marked elsewhere in the same document, adjusted)")
    for fam, (n, hits, elsewhere) in stats.items():
        adj = (hits + elsewhere) / n if n else float("nan")
        prec = hits / n if n else float("nan")
        print(
            f"  {fam:<18} flags {n:>4}  hits {hits:>4} ({prec:.3f})  marked elsewhere {elsewhere:>3}  adjusted {adj:.3f}"
        )
        for line in left[fam]:
            print(f"      unexplained: {line}")


def english_news_reading(folder: Path, step: int = 3) -> None:
    """Reference-free families on real English news (no MT): every flag here is read by hand."""
    import glob

    from dedup.garbles.base import load_all

    dets = [load_all()[k]() for k in ("name_variants", "rare_collocation")]
    files = sorted(glob.glob(str(folder / "**" / "*.txt"), recursive=True))[::step]
    n = 0
    for path in files:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        doc = analyze(article_from_text(text, id=path), languages=False)
        for det in dets:
            for f in det.detect(Context(doc)):
                n += 1
                print(f"  {Path(path).parent.name}/{Path(path).name} {f.kind} {f.text!r}: {f.message}")
    print(f"== English news reading: {len(files)} articles, {n} flags")


def story_reading(path: Path, max_overall: float = 2.5) -> None:
    """English reports of one story (SemEval-2022, rated Overall <= 2.5) checked against each other,
    both ways: comparable, correct texts, so every flag of the reference families here is read by hand."""
    from dedup.garbles.base import load_all

    reg = load_all()
    fams = ("entity_swap", "number_mismatch", "date_mismatch", "name_variants", "rare_collocation")
    dets = [reg[k]() for k in fams]
    pairs = flags = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            p = json.loads(line)
            if p["Overall"] > max_overall:
                continue
            a = analyze(article_from_text(p["text_1"], id=str(p["id_1"])), languages=False)
            b = analyze(article_from_text(p["text_2"], id=str(p["id_2"])), languages=False)
            for mt, ref in ((a, b), (b, a)):
                pairs += 1
                ctx = Context(mt, ref, align(mt, ref))
                for det in dets:
                    for f in det.detect(ctx):
                        flags += 1
                        print(f"  {p['pair_id']} {f.kind} {f.text!r}: {f.message}")
    print(f"== same-story English pairs: {pairs} directed pairs, {flags} flags")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument(
        "--news", type=Path, help="also run the reference-free families on this English news folder"
    )
    ap.add_argument(
        "--mqm-reading", action="store_true", help="also read this part's families on the MQM set"
    )
    ap.add_argument(
        "--story", type=Path, help="also check same-story English pairs (SemEval JSONL) both ways"
    )
    ap.add_argument("--mqm-only", action="store_true", help="only the MQM reading, single and two references")
    args = ap.parse_args()
    if args.mqm_only:
        fams = ("name_variants", "entity_swap", "number_mismatch", "unbalanced", "rare_collocation")
        mqm_reading(args.data, fams)
        mqm_reading(args.data, fams, two_refs=True)
        return
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    doc, mt_text, ref_text, ref_b_text = thousand_words(args.data)
    print(f"1,000-word article: MQM docs {doc} (hyp.Online-W)")
    bench_pair("1000-word MQM article + reference", mt_text, ref_text, args.runs, ref_b_text)
    seed_mt = (ROOT / "seeds" / "001_2439484a44ef32c6.txt").read_text(encoding="utf-8")
    seed_en = (ROOT / "seeds" / "000_acb89514df95002b.txt").read_text(encoding="utf-8")
    bench_pair("seed pair", seed_mt, seed_en, args.runs)
    res = check(
        analyze(article_from_text(seed_mt, id="seed_mt")), analyze(article_from_text(seed_en, id="seed_en"))
    )
    print(f"== seed translation flags ({len(res.flags)}), verdict {res.verdict}: {'; '.join(res.reasons)}")
    for f in res.flags:
        print(f"  {f.start:>5}-{f.end:<5} {f.kind:<20} {f.severity:<5} {f.confidence:.2f} {f.text!r}")
    print("  scores:", json.dumps(res.scores.to_json()))
    if args.news:
        english_news_reading(args.news)
    if args.story:
        story_reading(args.story)
    if args.mqm_reading:
        fams = ("name_variants", "entity_swap", "number_mismatch", "unbalanced", "rare_collocation")
        mqm_reading(args.data, fams)
        mqm_reading(args.data, fams, two_refs=True)


if __name__ == "__main__":
    main()
