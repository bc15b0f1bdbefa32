"""Variants of the story similarity, measured on two proxies only (never on the SemEval pairs).

Run by hand, from the project root (PyStemmer is needed for the stemming row only; it is skipped
when absent):
    .venv/bin/python benchmarks/story_variants.py [--data ../shared/data]

Proxies:
- BBC halves: 600 BBC articles (seed 7), each cut into two halves = a same-story pair written by
  one hand; negatives: every pair of different articles of the same topic. Figure: ROC-AUC and
  recall at the threshold that 1% of the negatives pass (how `verify_threshold` is chosen).
- MSRP: 2,000 sentence pairs of the MSR paraphrase corpus (news sentences on one event from
  different outlets, i.e. different hands); negatives: every mismatched pair. Figure: recall at
  the threshold that 0.1% of the negatives pass.
Each variant changes one thing of the feature function (`dedup.near.story_features`), payloads
built as the level does (top 192 features, L2-normalised), similarity = cosine (or, for the
entity-overlap rows, a mix of the content cosine and a cosine over proper-noun tokens).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import regex
import scipy.sparse as sp  # a dependency of datasketch

from dedup.model import Article
from dedup.near.story_features import _ACRONYM_DOTS, _CAP_RUN, _NUMBER, _WORD, word_info
from dedup.text import analyze

ROOT = Path(__file__).resolve().parent.parent
_ALLCAPS = regex.compile(r"\b\p{Lu}{2,6}\b")
_PROPER = regex.compile(r"(?<=[\p{Ll},;:] )\p{Lu}[\p{L}\p{M}]+")  # capitalised, not sentence-initial

Vec = dict[str, float]


def s_stem(w: str) -> str:
    """Harman's S-stemmer: plural folding only."""
    if w.endswith("ies") and not w.endswith(("eies", "aies")):
        return w[:-3] + "y"
    if w.endswith("es") and not w.endswith(("aes", "ees", "oes")):
        return w[:-1]
    if w.endswith("s") and not w.endswith(("us", "ss")):
        return w[:-1]
    return w


def features(
    text: str,
    floor: float = 3.0,
    nf: float = 0.5,
    ef: float = 0.5,
    stem: Callable[[str], str] | None = None,
    tf: str = "log",
    power: float = 1.0,
    acronyms: bool = False,
) -> Vec:
    """`story_features` with switches (floor 3, ef 0.5, log tf, power 1 = the previous defaults)."""
    raw = _ACRONYM_DOTS.sub(lambda m: m.group(0).replace(".", ""), text).replace("’", "'")
    counts = Counter(w for w in _WORD.findall(raw.lower()) if len(w) > 1)

    def tfw(c: int) -> float:
        return {"log": 1.0 + math.log(c), "bin": 1.0, "sqrt": math.sqrt(c)}[tf]

    out: Vec = {}
    for w, c in counts.items():
        i = word_info(w)
        if i > floor:
            key = stem(w) if stem else w
            out[key] = out.get(key, 0.0) + tfw(c) * (i - floor) ** power
    if nf > 0:
        for n, c in Counter(n.replace(",", "") for n in _NUMBER.findall(raw)).items():
            wt = nf * (word_info(n) - floor)
            if wt > 0:
                out["#" + n] = tfw(c) * wt**power
    af = ef or 0.5  # acronym features count like names (at 0.5 when name bigrams are off)
    if ef > 0 or acronyms:
        names: Counter[str] = Counter()
        for run in _CAP_RUN.findall(raw):
            ws = [w for w in _WORD.findall(run.lower()) if len(w) > 1 and word_info(w) > floor]
            if ef > 0:
                names.update(a + " " + b for a, b in zip(ws, ws[1:], strict=False))
            caps = [w for w in _WORD.findall(run) if w[:1].isupper()]
            if acronyms and len(caps) >= 2:  # "World Health Organization" -> the acronym "who"
                names["^" + "".join(w[0] for w in caps).lower()] += 1
        for name, c in names.items():
            if name.startswith("^"):
                wt = af * (max(word_info(name[1:]), 5.0) - floor)
            else:
                a, b = name.split(" ")
                wt = ef * (max(word_info(a), word_info(b)) - floor)
            out["@" + name] = tfw(c) * wt**power
        if acronyms:  # "WHO" in the text meets the acronym of the expansion
            for a, c in Counter(_ALLCAPS.findall(raw)).items():
                k = "@^" + a.lower()
                out[k] = out.get(k, 0.0) + tfw(c) * (af * (max(word_info(a.lower()), 5.0) - floor)) ** power
    return out


def proper_nouns(text: str, floor: float) -> Vec:
    c = Counter(w.lower() for w in _PROPER.findall(text.replace("’", "'")))
    return {"E" + w: (1 + math.log(n)) * (word_info(w) - floor) for w, n in c.items() if word_info(w) > floor}


def unit(f: Vec, top: int = 192) -> Vec:
    items = sorted(f.items(), key=lambda x: (-x[1], x[0]))[:top]
    n = math.sqrt(sum(w * w for _, w in items)) or 1.0
    return {k: w / n for k, w in items}


def sims(va: list[Vec], vb: list[Vec]) -> np.ndarray:
    """Dense cosine matrix of two lists of unit vectors."""
    vocab: dict[str, int] = {}

    def mat(vs: list[Vec]) -> sp.csr_matrix:
        rows, cols, vals = [], [], []
        for i, v in enumerate(vs):
            for k, w in v.items():
                rows.append(i)
                cols.append(vocab.setdefault(k, len(vocab)))
                vals.append(w)
        return rows, cols, vals

    a, b = mat(va), mat(vb)
    shape = len(vocab) or 1
    ma = sp.csr_matrix((a[2], (a[0], a[1])), shape=(len(va), shape))
    mb = sp.csr_matrix((b[2], (b[0], b[1])), shape=(len(vb), shape))
    return (ma @ mb.T).toarray()


def roc_auc(pos: np.ndarray, neg: np.ndarray) -> float:
    ns = np.sort(neg)
    below = np.searchsorted(ns, pos, side="left")
    ties = np.searchsorted(ns, pos, side="right") - below
    return float((below + 0.5 * ties).sum() / (len(pos) * len(neg)))


def load(data: Path) -> tuple[list[tuple[str, str]], list[str], list[str], list[tuple[str, str]]]:
    files = sorted((data / "news" / "bbc").glob("*/*.txt"))
    files = random.Random(7).sample(files, 600)
    halves, wholes, topics = [], [], []

    def body(text: str) -> str:
        return analyze(Article(id="x", text=text), languages=False).body_text()

    for f in files:
        text = f.read_text(encoding="latin-1")
        paras = [p for p in text.split("\n") if p.strip()]
        rest, h = paras[1:], (len(paras) - 1) // 2
        halves.append((body(paras[0] + "\n\n" + "\n\n".join(rest[:h])), body("\n\n".join(rest[h:]))))
        wholes.append(body(text))
        topics.append(f.parent.name)
    lines = (data / "paraphrase" / "msr_paraphrase_train.txt").read_text(encoding="utf-8").splitlines()[1:]
    msr = [(r[3], r[4]) for r in (line.split("\t") for line in lines) if len(r) == 5][:2000]
    return halves, wholes, topics, msr


def measure(name: str, data: tuple, kw: dict, mix: float = 0.0) -> None:
    halves, wholes, topics, msr = data
    floor = kw.get("floor", 3.0)

    def score(xs: list[str], ys: list[str]) -> np.ndarray:
        c = sims([unit(features(x, **kw)) for x in xs], [unit(features(y, **kw)) for y in ys])
        if not mix:
            return c
        e = sims([unit(proper_nouns(x, floor)) for x in xs], [unit(proper_nouns(y, floor)) for y in ys])
        return (1 - mix) * c + mix * e

    pos = np.diag(score([a for a, _ in halves], [b for _, b in halves]))
    whole = score(wholes, wholes)
    t = np.asarray(topics)
    iu = np.triu_indices(len(wholes), 1)
    neg = whole[iu][(t[:, None] == t[None, :])[iu]]
    thr = float(np.quantile(neg, 0.99))
    m = score([a for a, _ in msr], [b for _, b in msr])
    mpos = np.diag(m)
    mneg = m[~np.eye(len(msr), dtype=bool)]
    mthr = float(np.quantile(mneg, 0.999))
    print(
        f"| {name} | {roc_auc(pos, neg):.4f} | {thr:.3f} | {np.mean(pos > thr):.3f} | "
        f"{roc_auc(mpos, mneg):.4f} | {np.mean(mpos > mthr):.3f} |",
        flush=True,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--only", default="", help="run only the variants whose name contains this text")
    args = ap.parse_args()
    data = load(args.data)
    variants: list[tuple[str, dict, float]] = [
        ("previous defaults (floor 3, name bigrams 0.5)", {}, 0.0),
        ("plural folding (S-stemmer)", {"stem": s_stem}, 0.0),
        ("acronyms <-> expansions", {"acronyms": True}, 0.0),
        ("tf binary", {"tf": "bin"}, 0.0),
        ("tf sqrt", {"tf": "sqrt"}, 0.0),
        ("weight power 0.5", {"power": 0.5}, 0.0),
        ("weight power 1.5", {"power": 1.5}, 0.0),
        ("name bigrams 1.0", {"ef": 1.0}, 0.0),
        ("no name bigrams", {"ef": 0.0}, 0.0),
        ("floor 2", {"floor": 2.0}, 0.0),
        ("floor 2.5", {"floor": 2.5}, 0.0),
        ("+ proper-noun cosine, mix 0.25", {}, 0.25),
        ("+ proper-noun cosine, mix 0.5", {}, 0.5),
        ("floor 2.5, no name bigrams (new defaults)", {"floor": 2.5, "ef": 0.0}, 0.0),
        ("floor 2.5, no name bigrams, plural folding", {"floor": 2.5, "ef": 0.0, "stem": s_stem}, 0.0),
        ("floor 2.5, no name bigrams, acronyms", {"floor": 2.5, "ef": 0.0, "acronyms": True}, 0.0),
        ("floor 2.5, no name bigrams, power 0.5", {"floor": 2.5, "ef": 0.0, "power": 0.5}, 0.0),
        ("floor 2.5, no name bigrams, + proper-noun cosine 0.25", {"floor": 2.5, "ef": 0.0}, 0.25),
    ]
    try:
        import Stemmer  # PyStemmer: Snowball (Porter 2) stemming

        snow = Stemmer.Stemmer("english")
        variants.insert(1, ("Snowball stemming (PyStemmer)", {"stem": snow.stemWord}, 0.0))
        variants.append(
            ("floor 2.5, no name bigrams, Snowball", {"floor": 2.5, "ef": 0.0, "stem": snow.stemWord}, 0.0)
        )
    except ImportError:
        print("(PyStemmer not installed: Snowball rows skipped)", file=sys.stderr)
    print("| variant | BBC AUC | BBC thr @1% | BBC recall @1% | MSRP AUC | MSRP recall @0.1% |")
    print("|---|---|---|---|---|---|")
    for name, kw, mix in variants:
        if args.only in name:
            measure(name, data, kw, mix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
