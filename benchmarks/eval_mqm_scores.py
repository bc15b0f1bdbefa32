"""Do `dedup check`'s scores and verdict agree with the human MQM judgements? (issue #6)

Each (document, system) of `../shared/data/mqm` is checked against ref.A as a user would
(`dedup.check.check`: alignment, every family, sacrebleu scores, verdict). The human score of an
article is its MQM penalty per 100 words, computed from the marked spans with the weights of
Freitag et al. (2021): Major 5 (Non_translation 25), Minor 1, Minor Fluency/Punctuation 0.1.
Reported: Kendall tau-b and Pearson r between each of our figures and the human penalty, at the
article level (all articles, and within each document: systems ranked on the same source, the
usual metrics-task reading) and at the system level (mean over its articles); and the human
penalty of the articles in each verdict class. Run by hand; figures go to benchmarks/results/check.md.

    .venv/bin/python benchmarks/eval_mqm_scores.py [--data PATH] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from scipy.stats import kendalltau, pearsonr

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_mqm import DEFAULT_DATA, Article, load_articles  # noqa: E402

from dedup.check import check  # noqa: E402
from dedup.load import article_from_text  # noqa: E402
from dedup.text import analyze  # noqa: E402

# Our figures and their direction: +1 when higher means a better translation.
FIGURES = {"chrf": 1, "bleu": 1, "ter": -1, "penalty": -1, "garble_density": -1}


def human_penalty(a: Article) -> float:
    """MQM penalty per 100 words; several raters' marks on one span count once per rater."""
    total = 0.0
    for s in a.spans:
        if s["severity"] == "Major":
            total += 25.0 if s["category"].startswith("Non_translation") else 5.0
        elif s["severity"] == "Minor":
            total += 0.1 if s["category"] == "Fluency/Punctuation" else 1.0
    return 100.0 * total / max(1, len(a.mt.split()))


def _corr(ours: list[float], human: list[float], sign: int) -> tuple[float, float]:
    """Kendall tau-b and Pearson r, oriented so that positive = agrees with the humans."""
    better = [sign * x for x in ours]
    quality = [-h for h in human]
    tau = kendalltau(better, quality).statistic
    r = pearsonr(better, quality).statistic if len(set(better)) > 1 else float("nan")
    return float(tau), float(r)


def evaluate(articles: list[Article]) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    refs: dict[str, Any] = {}
    t0 = time.process_time()
    for a in articles:
        mt = analyze(article_from_text(a.mt, id=f"{a.doc}/{a.system}"))
        ref = refs.get(a.doc)
        if ref is None:
            ref = refs[a.doc] = analyze(article_from_text(a.ref, id=f"{a.doc}/ref"))
        res = check(mt, ref)
        s = res.scores
        rows.append(
            {
                "doc": a.doc,
                "system": a.system,
                "human": human_penalty(a),
                "verdict": res.verdict,
                **{k: getattr(s, k) for k in FIGURES},
            }
        )
    cpu = time.process_time() - t0
    out: dict[str, Any] = {"articles": len(rows), "cpu_s": round(cpu, 1), "figures": {}}
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_sys: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_doc[r["doc"]].append(r)
        by_sys[r["system"]].append(r)
    for name, sign in FIGURES.items():
        ok = [r for r in rows if r[name] is not None]
        tau, r_ = _corr([r[name] for r in ok], [r["human"] for r in ok], sign)
        taus = []
        for group in by_doc.values():
            g = [r for r in group if r[name] is not None]
            if len(g) > 2 and len({r[name] for r in g}) > 1 and len({r["human"] for r in g}) > 1:
                taus.append(_corr([r[name] for r in g], [r["human"] for r in g], sign)[0])
        sys_ours = [statistics.fmean(r[name] for r in g if r[name] is not None) for g in by_sys.values()]
        sys_human = [statistics.fmean(r["human"] for r in g) for g in by_sys.values()]
        sys_tau, sys_r = _corr(sys_ours, sys_human, sign)
        out["figures"][name] = {
            "article_tau": round(tau, 3),
            "article_r": round(r_, 3),
            "within_document_tau_mean": round(statistics.fmean(taus), 3),
            "system_tau": round(sys_tau, 3),
            "system_r": round(sys_r, 3),
        }
    verdicts: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        verdicts[r["verdict"]].append(r["human"])
    out["verdicts"] = {
        v: {
            "articles": len(h),
            "human_median": round(statistics.median(h), 2),
            "human_mean": round(statistics.fmean(h), 2),
        }
        for v, h in sorted(verdicts.items())
    }
    out["systems"] = {
        s: {
            "human": round(statistics.fmean(r["human"] for r in g), 2),
            "chrf": round(statistics.fmean(r["chrf"] for r in g if r["chrf"] is not None), 2),
            "penalty": round(statistics.fmean(r["penalty"] for r in g), 3),
        }
        for s, g in sorted(by_sys.items(), key=lambda kv: statistics.fmean(r["human"] for r in kv[1]))
    }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)
    result = evaluate(load_articles(args.data))
    text = json.dumps(result, indent=2, sort_keys=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
