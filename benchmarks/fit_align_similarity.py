"""Fit the learned pair similarity of `dedup.align` (`AlignParams(similarity="learned")`) on MSR.

Run by hand, from the project root:
    .venv/bin/python benchmarks/fit_align_similarity.py [--msr ../shared/data/paraphrase/msr_paraphrase_train.txt]

Data: the MSR paraphrase corpus (training part), never MAC-Dev. The file is read in batches of 40
consecutive pairs, each batch scored as one "document pair" (left sentences vs right sentences), as
`eval_align.msr_calibration` does, so the word weights see a realistic neighbourhood. Positives: the
label-1 pairs (same content). Negatives: every off-diagonal pair of a batch (sentences of different
pairs: unrelated news sentences); `--hard` also counts the label-0 pairs (related but not the same
content) as negatives. Every fifth batch is held out; the model is a class-balanced logistic
regression (Newton steps, small L2 penalty) on `similarity.FEATURES`, fitted in numpy.

The log-odds are then mapped affinely onto the hand-weighted mix's scale: the MSR unrelated median
and paraphrase median of the learned score equal those of the mix, so the floors calibrated on MSR
(`background`, `min_sim`, `path_sim`, ...) keep their meaning. The printed constants are what
`dedup/align/similarity.py` holds (`LEARNED_COEF`, `LEARNED_BIAS`, `LEARNED_SCALE`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from dedup.align import AlignParams
from dedup.align.similarity import FEATURES, PairScorer, learned_logit


def batches(path: Path, batch: int = 40) -> list[tuple[list[str], list[str], np.ndarray]]:
    text = path.read_text(encoding="utf-8-sig").splitlines()[1:]
    rows = [line.rstrip("\n").split("\t") for line in text]
    rows = [r for r in rows if len(r) == 5]
    out = []
    for start in range(0, len(rows) - batch + 1, batch):
        chunk = rows[start : start + batch]
        out.append(([r[3] for r in chunk], [r[4] for r in chunk], np.array([r[0] == "1" for r in chunk])))
    return out


def dataset(
    data: list[tuple[list[str], list[str], np.ndarray]], hard: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels, the hand mix's similarity, and the batch row id of every pair used."""
    params = AlignParams()
    xs, ys, mixes, rows = [], [], [], []
    for b, (left, right, label) in enumerate(data):
        scorer = PairScorer(left, right, params)
        feats = scorer.run_features(1, 1)
        mix = scorer.single
        n = len(left)
        for i in range(n):
            for j in range(n):
                if i == j and not label[i] and not hard:
                    continue
                xs.append(feats[i, j])
                ys.append(1.0 if (i == j and label[i]) else 0.0)
                mixes.append(mix[i, j])
                rows.append(b * 1000 + i)
    return np.array(xs), np.array(ys), np.array(mixes), np.array(rows)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 50) -> tuple[np.ndarray, float]:
    """Class-balanced logistic regression by Newton's method (features standardised inside)."""
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-12
    z = np.hstack([(x - mu) / sd, np.ones((len(x), 1))])
    sw = np.where(y > 0, 0.5 / max(y.sum(), 1), 0.5 / max((1 - y).sum(), 1)) * len(y)
    w = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (sw * (p - y)) / len(y) + l2 * np.r_[w[:-1], 0.0]
        hess = (z * (sw * p * (1 - p))[:, None]).T @ z / len(y) + l2 * np.diag(
            np.r_[np.ones(len(w) - 1), 0.0]
        )
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    coef = w[:-1] / sd
    bias = float(w[-1] - (mu / sd) @ w[:-1])
    return coef, bias


def auc(score: np.ndarray, y: np.ndarray) -> float:
    """ROC AUC by ranks (ties averaged)."""
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    s = score[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1
        i = j + 1
    pos = y > 0
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def top1(score: np.ndarray, y: np.ndarray, rows: np.ndarray) -> float:
    """Share of paraphrase pairs that are the best pair of their left sentence (what the greedy needs)."""
    hits = total = 0
    for r in np.unique(rows[y > 0]):
        sel = rows == r
        total += 1
        hits += int(y[sel][np.argmax(score[sel])] > 0)
    return hits / max(total, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--msr", default="../shared/data/paraphrase/msr_paraphrase_train.txt")
    ap.add_argument("--hard", action="store_true", help="label-0 MSR pairs count as negatives too")
    ap.add_argument("--l2", type=float, default=1e-3)
    args = ap.parse_args()
    data = batches(Path(args.msr))
    train = [d for k, d in enumerate(data) if k % 5]
    test = [d for k, d in enumerate(data) if not k % 5]
    x, y, mix, _rows = dataset(train, args.hard)
    xt, yt, mixt, rowst = dataset(test, args.hard)
    coef, bias = fit_logistic(x, y, args.l2)
    print(f"features: {FEATURES}")
    print(
        f"train: {int(y.sum())} positives, {int((1 - y).sum())} negatives; held out: {int(yt.sum())} / {int((1 - yt).sum())}"
    )
    lt = learned_logit(xt, coef, bias)
    chrf_only = xt[:, FEATURES.index("chrf")]
    for name, sc in (("hand mix 0.7/0.3", mixt), ("chrF alone", chrf_only), ("learned", lt)):
        print(f"  held out {name:18s} AUC {auc(sc, yt):.4f}  top-1 of its row {top1(sc, yt, rowst):.4f}")
    # Affine map onto the mix's scale: unrelated median and paraphrase median coincide (train part).
    lg = learned_logit(x, coef, bias)
    unrel = y == 0
    lo_l, hi_l = np.median(lg[unrel]), np.median(lg[~unrel])
    lo_m, hi_m = np.median(mix[unrel]), np.median(mix[~unrel])
    scale = (hi_m - lo_m) / (hi_l - lo_l)
    shift = lo_m - scale * lo_l
    mapped = np.clip(scale * lt + shift, 0, 1)
    for floor in (0.12, 0.15, 0.22):
        print(
            f"  floor {floor:.2f}: held-out paraphrases kept mix {np.mean(mixt[yt > 0] >= floor):.3f} / "
            f"learned {np.mean(mapped[yt > 0] >= floor):.3f}; unrelated passing mix "
            f"{np.mean(mixt[yt == 0] >= floor):.4f} / learned {np.mean(mapped[yt == 0] >= floor):.4f}"
        )
    print("constants for dedup/align/similarity.py:")
    print(f"LEARNED_COEF = ({', '.join(f'{c:.4f}' for c in coef)})")
    print(f"LEARNED_BIAS = {bias:.4f}")
    print(f"LEARNED_SCALE = ({scale:.5f}, {shift:.5f})")


if __name__ == "__main__":
    main()
