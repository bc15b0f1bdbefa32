"""Evaluate the story level (`dedup.near.story.StoryLevel`) with its defaults, untuned on the data.

Run by hand, from the project root:
    .venv/bin/python benchmarks/eval_story.py [--data ../shared/data] [--bbc-sample 1000] [--level '{json}']
    .venv/bin/python benchmarks/eval_story.py --embeddings    # the same with StoryLevel(embeddings=True)
`--level` overrides StoryLevel keyword arguments (to report an alternative candidate). With
`--embeddings` the encoder runs on one thread (torch.set_num_threads(1)), each document's article
vector is computed once per process and reused by the variant tables (a memo in this script only),
and the throughput section measures the level itself, without the memo.

0. Calibration on BBC only (how the defaults were chosen): halves of one article = a same-story
   proxy; an article cut into 1-3 parts = a corpus with known stories, for the chain guard and LSH.
1. SemEval-2022 Task 8 English pairs: every article in one corpus, LSH candidates (the scan's own
   banding) + exact verification + the level's chain guard (`filter_links`) + union-find. A
   same-story pair (Overall <= 1.5) counts as found when both land in one cluster; an unrelated
   pair (Overall >= 3.5) counts as a false link when they do. ROC-AUC of the verify similarity
   (and of word 5-gram Jaccard, the copy-level feature) over those pairs, for information.
2. The seed pair, added to the same corpus: its similarity and whether it is linked.
3. BBC: a seeded random sample of articles; linked pairs among them (some really are one story:
   the headlines are printed to judge), and the rate over same-topic and all pairs.
4. Throughput of `sketch_many` (cold and warm wordfreq cache), and datasketch's batch path
   against the naive one `update` per feature on the same feature sets.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import numpy as np
import scipy.sparse as sp  # a dependency of datasketch
from datasketch import MinHash

from dedup.align import embed
from dedup.model import Article, Document
from dedup.near import story as story_mod
from dedup.near import story_embed
from dedup.near.bands import band_keys, band_params, capped_pairs, colliding_pairs
from dedup.near.level import Sketch
from dedup.near.story import StoryLevel, _vector, decode_payload, mutual_top_k
from dedup.near.story_embed import DIM
from dedup.text import analyze

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ["seeds/000_acb89514df95002b.txt", "seeds/001_2439484a44ef32c6.txt"]


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def candidate_pairs(level: StoryLevel, sketches: list[Sketch | None]) -> list[tuple[int, int]]:
    """LSH candidates with the scan's own banding (`band_params`, `band_keys`, and `capped_pairs` or
    `colliding_pairs` as the level's `candidate_cap` says)."""
    rows_ok = [i for i, s in enumerate(sketches) if s is not None]
    if not rows_ok:
        return []
    bands, rows = band_params(level.lsh_threshold, level.num_perm)
    sig = np.stack([sketches[i].hashvalues for i in rows_ok])  # type: ignore[union-attr]
    keys = band_keys(sig, bands, rows)
    cap = getattr(level, "candidate_cap", 0)
    pairs = capped_pairs(keys, cap) if cap else colliding_pairs(keys)
    return sorted((min(rows_ok[a], rows_ok[b]), max(rows_ok[a], rows_ok[b])) for a, b in pairs.tolist())


def verified_links(
    level: StoryLevel, sketches: list[Sketch | None]
) -> tuple[list[tuple[int, int, float]], int]:
    """LSH candidates kept when their exact similarity reaches the verify threshold (as the scan does)."""
    pairs = candidate_pairs(level, sketches)
    links: list[tuple[int, int, float]] = []
    for i, j in pairs:
        sa, sb = sketches[i], sketches[j]
        assert sa is not None and sb is not None
        sim = level.similarity(sa.payload, sb.payload)
        if sim >= level.verify_threshold:
            links.append((i, j, sim))
    return links, len(pairs)


def union(n: int, links: list[tuple[int, int, float]], level: StoryLevel | None = None) -> UnionFind:
    """Union-find over verified links, after the level's chain guard (`filter_links`) as the scan calls it."""
    guard = getattr(level, "filter_links", None)
    kept = guard(links) if guard is not None else links
    uf = UnionFind(n)
    for i, j, _ in kept:
        uf.union(i, j)
    return uf


def cluster(level: StoryLevel, sketches: list[Sketch | None]) -> tuple[UnionFind, int, int]:
    """LSH candidates -> verified pairs -> chain guard -> union-find, as the scan does."""
    links, candidates = verified_links(level, sketches)
    return union(len(sketches), links, level), candidates, len(links)


def roc_auc(pos: list[float], neg: list[float]) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    ns = np.sort(np.asarray(neg))
    p = np.asarray(pos)
    below = np.searchsorted(ns, p, side="left")
    ties = np.searchsorted(ns, p, side="right") - below
    return float((below + 0.5 * ties).sum() / (len(pos) * len(neg)))


def word_shingles(text: str, k: int = 5) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + k]) for i in range(max(0, len(words) - k + 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def doc(id_: str, text: str) -> Document:
    return analyze(Article(id=id_, text=text), languages=False)


def kwargs_of(level: StoryLevel) -> dict[str, object]:
    """The level's constructor arguments, to build a variant that differs in one of them."""
    names = ("num_perm", "scheme", "seed", "lsh_threshold", "verify_threshold", "lsh_features")
    names += ("payload_features", "floor", "number_factor", "entity_factor", "lang", "chain_k")
    names += ("embeddings", "embed_mix", "embed_sentences", "embed_bands", "embed_bits", "candidate_cap")
    return {k: getattr(level, k) for k in names}


def split_parts(text: str, parts: int) -> list[str]:
    """Headline + paragraphs cut into `parts` consecutive chunks (the headline goes with the first)."""
    paras = [p for p in text.split("\n") if p.strip()]
    body = paras[1:]
    bounds = [round(k * len(body) / parts) for k in range(parts + 1)]
    chunks = ["\n\n".join(body[bounds[k] : bounds[k + 1]]) for k in range(parts)]
    chunks[0] = paras[0] + "\n\n" + chunks[0]
    return chunks


def all_pair_sims(sketches: list[Sketch | None], level: StoryLevel | None = None) -> np.ndarray:
    """Dense (n, n) similarity of every pair from the payloads (what verifying every pair would give):
    the word cosine, mixed with the article-vector cosine as `level.similarity` does in embeddings mode."""
    words = word_pair_sims(sketches)
    if level is None or not level.embeddings:
        return words
    vecs = np.zeros((len(sketches), DIM))
    for i, s in enumerate(sketches):
        if s is not None:
            vecs[i] = _vector(s.payload)
    meaning = np.clip(vecs @ vecs.T, 0.0, 1.0)
    return np.minimum(1.0, (1.0 - level.embed_mix) * words + level.embed_mix * meaning)


def word_pair_sims(sketches: list[Sketch | None]) -> np.ndarray:
    """Dense (n, n) word cosine of every pair from the payloads."""
    rows, cols, vals = [], [], []
    vocab: dict[int, int] = {}
    for i, s in enumerate(sketches):
        if s is None:
            continue
        keys, weights = decode_payload(s.payload)
        for k, w in zip(keys.tolist(), weights.tolist(), strict=True):
            rows.append(i)
            cols.append(vocab.setdefault(k, len(vocab)))
            vals.append(w)
    m = sp.csr_matrix((vals, (rows, cols)), shape=(len(sketches), max(1, len(vocab))))
    return np.clip((m @ m.T).toarray(), 0.0, 1.0)


def links_above(sims: np.ndarray, thr: float) -> list[tuple[int, int, float]]:
    iu, ju = np.nonzero(np.triu(sims >= thr, 1))
    return [(int(i), int(j), float(sims[i, j])) for i, j in zip(iu, ju, strict=True)]


def pair_scores(uf: UnionFind, truth: list[int], n: int) -> tuple[float, float, int]:
    """Pairwise precision and recall of the clusters against the true stories, and the largest cluster."""
    roots = [uf.find(i) for i in range(n)]
    pred = Counter(roots)
    both = Counter(zip(roots, truth, strict=True))
    true = Counter(truth)
    tp = sum(c * (c - 1) // 2 for c in both.values())
    pp = sum(c * (c - 1) // 2 for c in pred.values())
    tt = sum(c * (c - 1) // 2 for c in true.values())
    return (tp / pp if pp else 1.0), (tp / tt if tt else 1.0), max(pred.values())


def calibrate(level: StoryLevel, root: Path, sample: int = 600) -> None:
    """How the verify threshold was chosen, on BBC only: halves of one article stand for a same-story
    pair, different articles of the same topic for unrelated ones (an upper bound: some are one story)."""
    files = sorted(root.glob("*/*.txt"))
    files = random.Random(7).sample(files, min(sample, len(files)))
    topics = [f.parent.name for f in files]
    halves: list[Document] = []
    wholes: list[Document] = []
    for f in files:
        text = f.read_text(encoding="latin-1")
        a, b = split_parts(text, 2)
        halves += [doc(f"{f}#1", a), doc(f"{f}#2", b)]
        wholes.append(doc(str(f), text))
    hs = level.sketch_many(halves)
    ws = level.sketch_many(wholes)
    bands, rows = band_params(level.lsh_threshold, level.num_perm)
    pos, pos_cand = [], []
    for a, b in zip(hs[0::2], hs[1::2], strict=True):
        if a is not None and b is not None:
            pos.append(level.similarity(a.payload, b.payload))
            x = a.hashvalues[: bands * rows].reshape(bands, rows)
            y = b.hashvalues[: bands * rows].reshape(bands, rows)
            pos_cand.append(bool(np.any(np.all(x == y, axis=1))))
    sims = all_pair_sims(ws, level)
    t_ = np.asarray(topics)
    iu = np.triu_indices(len(ws), 1)
    neg = sims[iu][(t_[:, None] == t_[None, :])[iu]]
    p, c = np.asarray(pos), np.asarray(pos_cand)
    t = level.verify_threshold
    print(f"## Calibration 1: verify threshold on BBC halves ({len(files)} articles, seed 7)")
    print(
        f"- {len(p)} same-story proxies (two halves of one article), {len(neg)} same-topic pairs of different articles"
    )
    print(
        f"- ROC-AUC {roc_auc(pos, list(neg)):.3f}; 99th percentile of the same-topic pairs {np.quantile(neg, 0.99):.3f} "
        f"(verify_threshold {t}); at {t}: proxy recall {np.mean(p >= t):.3f}, same-topic pass rate {np.mean(neg >= t):.4f}"
    )
    print(
        f"- LSH ({bands} bands x {rows} rows): candidates among proxy pairs verification accepts: {c[p >= t].mean():.3f}"
    )
    print()
    if level.embeddings:
        mix_table(level, hs, ws, neg_mask=(t_[:, None] == t_[None, :])[iu], iu=iu, root=root)


def mix_table(
    level: StoryLevel,
    hs: list[Sketch | None],
    ws: list[Sketch | None],
    neg_mask: np.ndarray,
    iu: tuple[np.ndarray, np.ndarray],
    root: Path,
) -> None:
    """How `embed_mix` and the embeddings-mode verify threshold were chosen: for each mix, the 99th
    percentile of the same-topic pairs (the threshold rule) and the halves recall there; and MSRP
    recall at 0.1% of mismatched pairs (single sentences: word cosine of the level's features, the
    embedding of the sentence itself, unquantised)."""
    pairs = [(a, b) for a, b in zip(hs[0::2], hs[1::2], strict=True) if a is not None and b is not None]
    pw = np.array([story_mod.cosine(a.payload, b.payload) for a, b in pairs])
    pe = np.array([story_mod.embedding_cosine(a.payload, b.payload) for a, b in pairs])
    nw = word_pair_sims(ws)[iu][neg_mask]
    vecs = np.stack([_vector(s.payload) if s is not None else np.zeros(DIM) for s in ws])
    ne = np.clip(vecs @ vecs.T, 0.0, 1.0)[iu][neg_mask]
    lines = (root.parent.parent / "paraphrase" / "msr_paraphrase_train.txt").read_text(encoding="utf-8")
    msr = [(r[3], r[4]) for r in (x.split("\t") for x in lines.splitlines()[1:]) if len(r) == 5][:2000]

    def payloads(texts: list[str]) -> list[bytes]:
        return [story_mod.encode_payload(*level.vector(t)) for t in texts]

    ma, mb = payloads([a for a, _ in msr]), payloads([b for _, b in msr])
    mw = word_pair_sims([Sketch(np.zeros(1), p) for p in ma + mb])[: len(msr), len(msr) :]
    ea, eb = embed.encode([a for a, _ in msr]), embed.encode([b for _, b in msr])
    me = np.clip(ea @ eb.T, 0.0, 1.0)
    off = ~np.eye(len(msr), dtype=bool)
    print(f"### Mix of word and embedding cosines (halves proxy as above; MSRP {len(msr)} sentence pairs)")
    print(
        "| embed_mix | BBC AUC | 99th pct same-topic (threshold) | halves recall there | MSRP recall @0.1% |"
    )
    print("|---|---|---|---|---|")
    for mix in (0.0, 0.25, 0.4, 0.5, 0.6, 0.75, 1.0):
        pos, neg = (1 - mix) * pw + mix * pe, (1 - mix) * nw + mix * ne
        thr = float(np.quantile(neg, 0.99))
        m = (1 - mix) * mw + mix * me
        mthr = float(np.quantile(m[off], 0.999))
        mark = " (level)" if mix == level.embed_mix else ""
        print(
            f"| {mix}{mark} | {roc_auc(list(pos), list(neg)):.4f} | {thr:.3f} | {np.mean(pos >= thr):.3f} "
            f"| {np.mean(np.diag(m) > mthr):.3f} |"
        )
    print()


def halves_sims(level: StoryLevel, root: Path, sample: int = 600) -> tuple[np.ndarray, np.ndarray]:
    """Word cosine and article-vector cosine (zeros without embeddings) of the two halves of each of
    `sample` BBC articles (seed 7, as `calibrate`): the same-story proxy the thresholds are judged by."""
    files = sorted(root.glob("*/*.txt"))
    files = random.Random(7).sample(files, min(sample, len(files)))
    halves: list[Document] = []
    for f in files:
        a, b = split_parts(f.read_text(encoding="latin-1"), 2)
        halves += [doc(f"{f}#1", a), doc(f"{f}#2", b)]
    hs = level.sketch_many(halves)
    pairs = [(a, b) for a, b in zip(hs[0::2], hs[1::2], strict=True) if a is not None and b is not None]
    pw = np.array([story_mod.cosine(a.payload, b.payload) for a, b in pairs])
    if not level.embeddings:
        return pw, np.zeros(len(pw))
    return pw, np.array([story_mod.embedding_cosine(a.payload, b.payload) for a, b in pairs])


def msrp_sims(level: StoryLevel, root: Path, limit: int = 2000) -> tuple[np.ndarray, np.ndarray]:
    """MSRP sentence pairs (first `limit`): (n, n) word cosines and embedding cosines of every sentence
    of side 1 against every sentence of side 2 (the diagonal holds the paraphrase pairs)."""
    lines = (root.parent.parent / "paraphrase" / "msr_paraphrase_train.txt").read_text(encoding="utf-8")
    msr = [(r[3], r[4]) for r in (x.split("\t") for x in lines.splitlines()[1:]) if len(r) == 5][:limit]
    ma = [story_mod.encode_payload(*level.vector(a)) for a, _ in msr]
    mb = [story_mod.encode_payload(*level.vector(b)) for _, b in msr]
    mw = word_pair_sims([Sketch(np.zeros(1), p) for p in ma + mb])[: len(msr), len(msr) :]
    ea, eb = embed.encode([a for a, _ in msr]), embed.encode([b for _, b in msr])
    return mw, np.clip(ea @ eb.T, 0.0, 1.0)


def known_different(level: StoryLevel, bbc: Path, lee: Path) -> None:
    """The threshold rule on negatives with no true story among them (results/story.md, 2026-11-23/24):
    every (BBC 2004-05 UK, Lee/ABC 2001-02 Australia) pair; hard negatives = a Lee article against the
    BBC articles of its nearest BBC topic (word centroid). Threshold = the 99th percentile of the hard
    negatives' verify similarity, rounded to 0.01; in embeddings mode `embed_mix` by its own rule."""
    files = sorted(bbc.glob("*/*.txt"))
    topics = np.array([f.parent.name for f in files])
    lee_texts = [x for x in lee.read_text(encoding="latin-1").splitlines() if x.strip()]
    bs = level.sketch_many([doc(f"{f.parent.name}/{f.name}", f.read_text(encoding="latin-1")) for f in files])
    ls = level.sketch_many([doc(f"lee{i}", t) for i, t in enumerate(lee_texts)])
    words = word_pair_sims(ls + bs)
    nl = len(ls)
    cross_w = words[:nl, nl:]  # (Lee, BBC) word cosines
    names = sorted(set(topics.tolist()))
    # Centroid cosine = (sum of the topic's unit vectors) . lee vector / |sum|; from the Gram matrix.
    gram = words[nl:, nl:]
    cent = np.stack(
        [
            cross_w[:, topics == t].sum(axis=1) / np.sqrt(gram[np.ix_(topics == t, topics == t)].sum())
            for t in names
        ],
        axis=1,
    )
    assigned = np.array(names)[np.argmax(cent, axis=1)]
    hard = assigned[:, None] == topics[None, :]
    cross_e = np.zeros_like(cross_w)
    if level.embeddings:
        vecs = np.stack([_vector(s.payload) if s is not None else np.zeros(DIM) for s in ls + bs])
        cross_e = np.clip(vecs[:nl] @ vecs[nl:].T, 0.0, 1.0)
    mix = level.embed_mix if level.embeddings else 0.0
    sims = np.minimum(1.0, (1 - mix) * cross_w + mix * cross_e)
    pw, pe = halves_sims(level, bbc)
    pos = np.minimum(1.0, (1 - mix) * pw + mix * pe)
    q_hard, q_all = float(np.quantile(sims[hard], 0.99)), float(np.quantile(sims, 0.99))
    rule = round(q_hard, 2)
    print(
        f"## Known-different negatives: {len(files)} BBC (UK 2004-05) x {nl} Lee (ABC, Australia 2001-02) articles"
    )
    print(
        f"- {sims.size} cross-corpus pairs; hard negatives (Lee article x BBC articles of its nearest topic): "
        f"{int(hard.sum())}; Lee articles per nearest topic: {dict(sorted(Counter(assigned.tolist()).items()))}"
    )
    print(
        f"- verify similarity, 99th percentile: hard negatives {q_hard:.4f}, all cross pairs {q_all:.4f}; "
        f"99.9th percentile, hard: {np.quantile(sims[hard], 0.999):.4f}"
    )
    print(f"- **rule: verify_threshold {rule}** (level's current: {level.verify_threshold})")
    print(
        "| threshold | hard negatives passing | all cross pairs passing | Lee articles with a BBC partner above | BBC halves recall |"
    )
    print("|---|---|---|---|---|")
    for t in sorted({level.verify_threshold, rule}):
        print(
            f"| {t} | {np.mean(sims[hard] >= t):.4f} | {np.mean(sims >= t):.4f} "
            f"| {np.mean((sims >= t).any(axis=1)):.3f} | {np.mean(pos >= t):.3f} |"
        )
    print()
    # The whole pipeline on the mixed corpus (LSH + verify + chain guard): every Lee-BBC link is false.
    print(
        "| threshold | guarded links | Lee-BBC links (all false) | Lee articles linked to a BBC article "
        "| BBC halves recall |"
    )
    print("|---|---|---|---|---|")
    both = ls + bs
    lo_t, hi_t = sorted((level.verify_threshold, rule))
    for t in sorted({round(float(x), 2) for x in np.linspace(lo_t, hi_t, 5)}):
        lv = StoryLevel(**{**kwargs_of(level), "verify_threshold": t})
        kept = lv.filter_links(verified_links(lv, both)[0])
        cross = [(i, j) for i, j, _ in kept if (i < nl) != (j < nl)]
        print(
            f"| {t} | {len(kept)} | {len(cross)} | {len({min(i, j) for i, j in cross}) / nl:.3f} "
            f"| {np.mean(pos >= t):.3f} |"
        )
    print()
    if not level.embeddings:
        return
    mw, me = msrp_sims(level, bbc)
    off = ~np.eye(len(mw), dtype=bool)
    print(
        "### embed_mix by its rule on these negatives (best halves recall at the 1% hard-negative threshold)"
    )
    print(
        "| embed_mix | 99th pct hard negatives (threshold) | halves recall there (+- 1 s.e.) | MSRP recall @0.1% |"
    )
    print("|---|---|---|---|")
    for m in (0.0, 0.25, 0.4, 0.5, 0.6, 0.75, 1.0):
        neg = ((1 - m) * cross_w + m * cross_e)[hard]
        thr = float(np.quantile(neg, 0.99))
        r = float(np.mean((1 - m) * pw + m * pe >= thr))
        mm = (1 - m) * mw + m * me
        mark = " (level)" if m == level.embed_mix else ""
        print(
            f"| {m}{mark} | {thr:.4f} | {r:.3f} +- {np.sqrt(r * (1 - r) / len(pw)):.3f} "
            f"| {np.mean(np.diag(mm) > np.quantile(mm[off], 0.999)):.3f} |"
        )
    print()


def cluster_proxy(level: StoryLevel, root: Path, sample: int = 600) -> None:
    """Chain guard and LSH setting, on BBC only: each article cut into 1, 2 or 3 parts (seeded) gives a
    corpus with known stories of 1-3 documents inside a narrow five-topic year of news."""
    files = sorted(root.glob("*/*.txt"))
    rng = random.Random(11)
    files = rng.sample(files, min(sample, len(files)))
    docs: list[Document] = []
    truth: list[int] = []
    for k, f in enumerate(files):
        for m, part in enumerate(split_parts(f.read_text(encoding="latin-1"), rng.choice((1, 2, 3)))):
            docs.append(doc(f"{f}#{m}", part))
            truth.append(k)
    n = len(docs)
    sketches = level.sketch_many(docs)
    links, cands = verified_links(level, sketches)
    print(
        f"## Calibration 2: chain guard and LSH on a BBC story proxy ({len(files)} articles cut in 1-3 parts, seed 11)"
    )
    print(
        f"- {n} documents, {sum(c * (c - 1) // 2 for c in Counter(truth).values())} same-story pairs; "
        f"candidates {cands} = {cands / (n * (n - 1) / 2):.4f} of all pairs, verified links {len(links)}"
    )
    print()
    print(
        f"| clustering (verify threshold {level.verify_threshold}) | pair precision | pair recall | F1 | largest cluster |"
    )
    print("|---|---|---|---|---|")
    for k in (0, 1, 2, 3, 5):
        kept = mutual_top_k(links, k) if k else links
        uf = UnionFind(n)
        for i, j, _ in kept:
            uf.union(i, j)
        pr, rc, big = pair_scores(uf, truth, n)
        name = "union-find, all verified links" if not k else f"mutual top-{k} (chain_k={k})"
        print(f"| {name} | {pr:.3f} | {rc:.3f} | {2 * pr * rc / (pr + rc):.3f} | {big} |")
    print()
    lsh_table(level, docs, truth, "story proxy")


def lsh_variants(level: StoryLevel) -> list[dict[str, object]]:
    """The LSH settings compared (the level's own first): feature count and one-row band count for the
    word level; how many of the 128 one-row bands go to embedding sign bits, and their width, in
    embeddings mode."""
    if level.embeddings:
        rows: list[dict[str, object]] = [{}]
        for bands, bits in ((46, 10), (46, 12), (46, 16), (64, 12), (64, 14)):
            if (bands, bits) != (level.embed_bands, level.embed_bits):
                rows.append({"embed_bands": bands, "embed_bits": bits})
        return rows
    grid = [(16, 0.02), (12, 0.03), (12, 0.01), (16, 0.03), (16, 0.01), (20, 0.02), (24, 0.03), (8, 0.05)]
    grid += [(12, 0.1)]
    out: list[dict[str, object]] = [{}]
    for cap in (0, 20, 30, 40, 45, 50):  # the per-article candidate cap (bands.capped_pairs); 0 = off
        if cap != level.candidate_cap:
            out.append({"candidate_cap": cap})
    for feats, thr in grid:
        if (feats, thr) != (level.lsh_features, level.lsh_threshold):
            out.append({"lsh_features": feats, "lsh_threshold": thr})
    return out


def lsh_table(level: StoryLevel, docs: list[Document], truth: list[int] | None, name: str) -> None:
    """Candidate volume against what the guarded clustering loses, per LSH setting (the level's verify
    threshold and chain guard throughout). Reference: every pair verified."""
    n = len(docs)
    ref_sk = level.sketch_many(docs)
    sims = all_pair_sims(ref_sk, level)
    ref = set((i, j) for i, j, _ in level.filter_links(links_above(sims, level.verify_threshold)))
    allp = n * (n - 1) / 2
    print(
        f"### LSH settings on the {name} ({n} documents; reference: all {int(allp)} pairs verified, "
        f"{len(ref)} guarded links)"
    )
    print(
        "| lsh_features | lsh_threshold | bands x rows | candidate_cap | candidates (share of all pairs) "
        "| guarded links kept | other links | pair recall |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for kw in lsh_variants(level):
        lv = StoryLevel(**{**kwargs_of(level), **kw})
        feats, thr = lv.lsh_features, lv.lsh_threshold
        sk = lv.sketch_many(docs)
        links, cands = verified_links(lv, sk)
        got = set((i, j) for i, j, _ in lv.filter_links(links))
        b, r = band_params(thr, lv.num_perm)
        if lv.embeddings:
            b = f"{b - lv.embed_bands} MinHash + {lv.embed_bands} sign bands of {lv.embed_bits} bits, {b}"
        rc = "-"
        if truth is not None:
            uf = UnionFind(n)
            for i, j in got:
                uf.union(i, j)
            rc = f"{pair_scores(uf, truth, n)[1]:.3f}"
        print(
            f"| {feats} | {thr} | {b} x {r} | {lv.candidate_cap or 'off'} | {cands} ({cands / allp:.4f}) | {len(got & ref) / max(1, len(ref)):.3f} "
            f"| {len(got - ref)} | {rc} |"
        )
    print()


def eval_semeval(level: StoryLevel, path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts: dict[str, str] = {}
    for r in rows:
        texts[str(r["id_1"])] = r["text_1"]
        texts[str(r["id_2"])] = r["text_2"]
    ids = sorted(texts)
    for p in SEEDS:
        ids.append(p)
        texts[p] = (ROOT / p).read_text(encoding="utf-8")
    index = {id_: i for i, id_ in enumerate(ids)}
    docs = [doc(id_, texts[id_]) for id_ in ids]
    sketches = level.sketch_many(docs)
    links, candidates = verified_links(level, sketches)
    uf = union(len(ids), links, level)
    kept = level.filter_links(links)

    def sim(a: str, b: str) -> float:
        sa, sb = sketches[index[a]], sketches[index[b]]
        return 0.0 if sa is None or sb is None else level.similarity(sa.payload, sb.payload)

    def count(u: UnionFind, group: list[dict]) -> int:
        return sum(u.find(index[str(r["id_1"])]) == u.find(index[str(r["id_2"])]) for r in group)

    pos = [r for r in rows if r["Overall"] <= 1.5]
    neg = [r for r in rows if r["Overall"] >= 3.5]
    mid = [r for r in rows if 1.5 < r["Overall"] < 3.5]
    found, false, mid_linked = count(uf, pos), count(uf, neg), count(uf, mid)
    sims_pos = [sim(str(r["id_1"]), str(r["id_2"])) for r in pos]
    sims_neg = [sim(str(r["id_1"]), str(r["id_2"])) for r in neg]
    sh = {id_: word_shingles(docs[index[id_]].body_text()) for id_ in ids}
    jac_pos = [jaccard(sh[str(r["id_1"])], sh[str(r["id_2"])]) for r in pos]
    jac_neg = [jaccard(sh[str(r["id_1"])], sh[str(r["id_2"])]) for r in neg]
    n = len(ids)
    print(f"## SemEval-2022 Task 8 English pairs ({len(rows)} rated pairs, {n - 2} articles + 2 seeds)")
    print(
        f"- empty sketches: {sum(s is None for s in sketches)}; LSH candidates {candidates} "
        f"({candidates / (n * (n - 1) / 2):.4f} of all pairs), verified links {len(links)}, after the chain guard {len(kept)}"
    )
    print(
        f"- same-story pairs (Overall <= 1.5) in one cluster: {found}/{len(pos)} = recall {found / len(pos):.3f}"
    )
    print(f"- unrelated pairs (Overall >= 3.5) linked: {false}/{len(neg)} = {false / len(neg):.3f}")
    print(f"- in-between pairs (1.5 < Overall < 3.5) linked: {mid_linked}/{len(mid)}")
    print(
        f"- ROC-AUC same-story vs unrelated: story cosine {roc_auc(sims_pos, sims_neg):.3f}, "
        f"word 5-gram Jaccard {roc_auc(jac_pos, jac_neg):.3f}"
    )
    if level.embeddings:

        def part(f: object, r: dict) -> float:
            sa, sb = sketches[index[str(r["id_1"])]], sketches[index[str(r["id_2"])]]
            return 0.0 if sa is None or sb is None else f(sa.payload, sb.payload)  # type: ignore[operator]

        for name, f in (
            ("word cosine alone", story_mod.cosine),
            ("embedding cosine alone", story_mod.embedding_cosine),
        ):
            print(
                f"- ROC-AUC, {name}: {roc_auc([part(f, r) for r in pos], [part(f, r) for r in neg]):.3f}; "
                f"same-story values {sorted(round(part(f, r), 2) for r in pos)}"
            )
    print(
        f"- story similarity, same-story pairs: min {min(sims_pos):.3f} median {np.median(sims_pos):.3f}; "
        f"unrelated: median {np.median(sims_neg):.3f} max {max(sims_neg):.3f}"
    )
    a, b = SEEDS
    print(
        f"- seed pair: story cosine {sim(a, b):.3f}, linked {uf.find(index[a]) == uf.find(index[b])}, "
        f"word 5-gram Jaccard {jaccard(sh[a], sh[b]):.3f}"
    )
    cand = set(candidate_pairs(level, sketches))
    kept_set = {(i, j) for i, j, _ in kept}

    def why(r: dict) -> str:
        i, j = sorted((index[str(r["id_1"])], index[str(r["id_2"])]))
        if sim(str(r["id_1"]), str(r["id_2"])) < level.verify_threshold:
            return "below the verify threshold"
        if (i, j) not in cand:
            return "not an LSH candidate"
        return "cut by the chain guard" if (i, j) not in kept_set else "linked"

    missed = [
        (r["pair_id"], round(s, 3), why(r))
        for r, s in zip(pos, sims_pos, strict=True)
        if uf.find(index[str(r["id_1"])]) != uf.find(index[str(r["id_2"])])
    ]
    print(f"- missed same-story pairs (pair_id, cosine, why): {missed}")
    print()
    print("### SemEval, other settings (information only; the defaults were fixed beforehand on BBC)")
    print("| verify threshold | chain_k | same-story recall | unrelated linked |")
    print("|---|---|---|---|")
    t0 = level.verify_threshold
    for thr in (round(t0 - 0.05, 3), t0, round(t0 + 0.05, 3)):
        for k in (0, level.chain_k):
            other = StoryLevel(**{**kwargs_of(level), "verify_threshold": thr, "chain_k": k})
            lk, _ = verified_links(other, sketches)
            u2 = union(n, lk, other)
            print(f"| {thr} | {k} | {count(u2, pos)}/{len(pos)} | {count(u2, neg)}/{len(neg)} |")
    # What the LSH stage costs: every pair verified instead of the LSH candidates (same level otherwise).
    every = links_above(all_pair_sims(sketches, level), level.verify_threshold)
    u3 = union(n, every, level)
    print(
        f"| {level.verify_threshold}, every pair verified (no LSH) | {level.chain_k} | "
        f"{count(u3, pos)}/{len(pos)} | {count(u3, neg)}/{len(neg)} |"
    )
    print()


def eval_bbc(level: StoryLevel, root: Path, sample: int) -> None:
    files = sorted(root.glob("*/*.txt"))
    files = random.Random(0).sample(files, min(sample, len(files)))
    texts = [f.read_text(encoding="latin-1") for f in files]
    topics = [f.parent.name for f in files]
    t0 = time.perf_counter()
    docs = [doc(f"{f.parent.name}/{f.name}", t) for f, t in zip(files, texts, strict=True)]
    t1 = time.perf_counter()
    c1 = time.process_time()
    with MEMO.off() if MEASURE["throughput"] else nullcontext():  # the level's own cost: every vector encoded
        sketches = level.sketch_many(docs)  # cold: wordfreq lookups not cached yet
    t2, c2 = time.perf_counter(), time.process_time()
    warm = []
    for _ in range(1 if level.embeddings else 3):  # warm cache, best of three (the machine is shared)
        t, c = time.perf_counter(), time.process_time()
        level.sketch_many(docs)  # in embeddings mode: the vectors from the memo (word part only)
        warm.append((time.perf_counter() - t, time.process_time() - c))
    t3 = time.perf_counter()
    links, candidates = verified_links(level, sketches)
    uf = union(len(docs), links, level)
    t4 = time.perf_counter()
    n = len(docs)
    allp = n * (n - 1) / 2
    same_topic = sum(1 for i in range(n) for j in range(i + 1, n) if topics[i] == topics[j])
    print(f"## BBC, {n} random articles (seed 0), five topics, one year: a narrow corpus")
    print(
        f"- LSH candidates {candidates} ({candidates / allp:.4f} of all pairs), verified links {len(links)} "
        f"({len(links) / same_topic:.4f} of the {same_topic} same-topic pairs), after the chain guard "
        f"{len(level.filter_links(links))}"
    )
    print()
    print(
        "| clustering | pairs in clusters (share of all pairs) | same-topic pairs in clusters | largest clusters | articles in clusters |"
    )
    print("|---|---|---|---|---|")
    for k in (0, 1, 2, 3, 5):
        other = StoryLevel(**{**kwargs_of(level), "chain_k": k})
        u = union(n, links, other)
        roots = [u.find(i) for i in range(n)]
        sizes = sorted(Counter(roots).values(), reverse=True)
        pairs = sum(x * (x - 1) // 2 for x in sizes)
        st = sum(
            c * (c - 1) // 2 for c in Counter((r, t) for r, t in zip(roots, topics, strict=True)).values()
        )
        name = (
            "union-find, all verified links"
            if not k
            else f"chain_k={k}" + (" (default)" if k == level.chain_k else "")
        )
        print(
            f"| {name} | {pairs} ({pairs / allp:.5f}) | {st}/{same_topic} | {sizes[:5]} | {sum(x for x in sizes if x > 1)} |"
        )
    print()
    sizes = sorted(Counter(uf.find(i) for i in range(n)).values(), reverse=True)
    kept = level.filter_links(links)
    top = round(level.verify_threshold + 0.1, 3)
    print(
        f"- guarded links just above the threshold (similarity < {top}), headlines, to judge by eye "
        "(seeded sample of 15):"
    )
    near = [x for x in kept if x[2] < top]
    for i, j, s in sorted(random.Random(0).sample(near, min(15, len(near))), key=lambda x: -x[2]):
        hi, hj = texts[i].splitlines()[0].strip(), texts[j].splitlines()[0].strip()
        print(f"  - {s:.2f} [{topics[i]}] {hi!r} / [{topics[j]}] {hj!r}")
    print()
    lsh_table(level, docs, None, "BBC sample")
    if not MEASURE["throughput"]:
        return
    print("## Throughput (one process; the machine's 2 cores are shared with other work)")
    print(f"- text pipeline `analyze(languages=False)`: {n / (t1 - t0):.0f} articles/s")
    best = min(warm)
    print(
        f"- `StoryLevel.sketch_many`: {n / (t2 - t1):.1f} articles/s cold cache (CPU {c2 - c1:.1f} s = "
        f"{n / (c2 - c1):.1f} articles per CPU second), {n / best[0]:.0f} warm (CPU {best[1]:.2f} s)"
        + (
            " with the article vectors memoised, i.e. the word part alone"
            if level.embeddings
            else ", best of 3"
        )
    )
    if level.embeddings:
        embed_throughput(level, docs[:100])
    print(f"- banding + candidates + verify + chain guard + union-find: {n / (t4 - t3):.0f} articles/s")
    sets = [level.vector(d.body_text())[0][: level.lsh_features].tolist() for d in docs]
    sets = [s for s in sets if s]
    kw = {"num_perm": level.num_perm, "seed": level.seed, "scheme": level.scheme, "hashfunc": int}
    t5 = time.perf_counter()
    MinHash.bulk(sets, **kw)
    t6 = time.perf_counter()
    for s in sets:
        m = MinHash(**kw)
        for x in s:
            m.update(x)
    t7 = time.perf_counter()
    print(
        f"- MinHash of the LSH feature sets: batch `MinHash.bulk` {len(sets) / (t6 - t5):.0f} sets/s, "
        f"naive one `update` per feature {len(sets) / (t7 - t6):.0f} sets/s (x{(t7 - t6) / (t6 - t5):.1f})"
    )
    sizes_b = [len(s.payload) for s in sketches if s is not None]
    print(
        f"- payload size: mean {np.mean(sizes_b):.0f} bytes, max {max(sizes_b)} bytes; signature {level.num_perm * 4} bytes"
    )


def eval_lee(level: StoryLevel, path: Path) -> None:
    """A second negative corpus for the threshold rule (information): every pair of the 300 Lee
    background articles (ABC news, mixed topics; some pairs really are one story)."""
    lines = [x for x in path.read_text(encoding="latin-1").splitlines() if x.strip()]
    sketches = level.sketch_many([doc(f"lee{i}", t) for i, t in enumerate(lines)])
    iu = np.triu_indices(len(lines), 1)
    sims = all_pair_sims(sketches, level)[iu]
    words = word_pair_sims(sketches)[iu]
    t = level.verify_threshold
    print(
        f"## Lee background corpus ({len(lines)} ABC articles, every pair): the threshold rule on broad news"
    )
    print(
        f"- verify similarity: 99th percentile {np.quantile(sims, 0.99):.3f}, pass rate at {t}: {np.mean(sims >= t):.4f}; "
        f"word cosine alone: 99th percentile {np.quantile(words, 0.99):.3f}"
    )
    print()


def embed_throughput(level: StoryLevel, docs: list[Document]) -> None:
    """Article vectors: the level's batched path (all lead sentences of a batch in one encoder call)
    against the naive use of the same encoder (one call per article), on the same documents."""
    bodies = [d.body_text() for d in docs]
    n = len(bodies)
    with MEMO.off():
        t, c = time.perf_counter(), time.process_time()
        batched = story_embed.article_vectors(bodies, level.embed_sentences)
        tb, cb = time.perf_counter() - t, time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        naive = np.vstack([story_embed.article_vectors([b], level.embed_sentences) for b in bodies])
        tn, cn = time.perf_counter() - t, time.process_time() - c
    sents = sum(len(story_embed.lead_sentences(b, level.embed_sentences)) for b in bodies)
    print(
        f"- article vectors ({n} articles, {sents} sentences, torch threads {torch_threads()}): batched "
        f"{n / tb:.1f} articles/s (CPU {cb:.1f} s), one encoder call per article {n / tn:.1f} articles/s "
        f"(CPU {cn:.1f} s): x{cn / cb:.2f} CPU; largest difference of the vectors {np.abs(batched - naive).max():.1e}"
    )


def torch_threads() -> int:
    import torch

    return int(torch.get_num_threads())


class _Memo:
    """Article vectors memoised per (body, sentences) for this script's repeated sketches of the same
    documents (the variant tables); under `off()` every vector is computed (throughput measures the
    level itself) and then remembered."""

    def __init__(self) -> None:
        self.enabled = True
        self.cache: dict[tuple[str, int], np.ndarray] = {}
        self.real = story_embed.article_vectors
        self.disk: Path | None = None
        self.stored: dict[str, np.ndarray] = {}  # digest -> vector, from and for --vector-cache
        self.unsaved = 0  # vectors computed since the last save

    def load(self, path: Path) -> None:
        """Vectors from an earlier run of this script (`--vector-cache`), keyed by a digest of the body
        and the sentence count; the throughput section still computes its own (under `off()`)."""
        self.disk = path
        if path.exists():
            with np.load(path, allow_pickle=False) as z:
                if "digests" in z:
                    self.stored = dict(zip(z["digests"].tolist(), z["vectors"], strict=True))

    @staticmethod
    def digest(body: str, max_sentences: int) -> str:
        return hashlib.sha1(f"{max_sentences}\n{body}".encode()).hexdigest()

    def save(self) -> None:
        if self.disk is None or not self.unsaved:
            return
        for (b, m), v in self.cache.items():
            self.stored[self.digest(b, m)] = v
        self.disk.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(self.stored)
        np.savez(self.disk, digests=np.array(keys), vectors=np.stack([self.stored[k] for k in keys]))
        self.unsaved = 0

    def __call__(self, bodies: list[str], max_sentences: int) -> np.ndarray:
        if not self.enabled:  # computed by the level's own path; kept for the later sketches
            vecs = self.real(bodies, max_sentences)
            for b, v in zip(bodies, vecs, strict=True):
                self.cache[(b, max_sentences)] = v
            self.unsaved += len(bodies)
            return vecs
        for b in dict.fromkeys(bodies):
            if (b, max_sentences) not in self.cache and self.stored:
                hit = self.stored.get(self.digest(b, max_sentences))
                if hit is not None:
                    self.cache[(b, max_sentences)] = hit
        miss = [b for b in dict.fromkeys(bodies) if (b, max_sentences) not in self.cache]
        if miss:
            for b, v in zip(miss, self.real(miss, max_sentences), strict=True):
                self.cache[(b, max_sentences)] = v
            self.unsaved += len(miss)
            if self.unsaved >= 500:
                self.save()
        if not bodies:
            return np.zeros((0, DIM))
        return np.stack([self.cache[(b, max_sentences)] for b in bodies])

    @contextmanager
    def off(self) -> Iterator[None]:
        was, self.enabled = self.enabled, False
        try:
            yield
        finally:
            self.enabled = was


MEMO = _Memo()
MEASURE = {"throughput": True}  # off with --skip throughput (the BBC section then reuses cached vectors)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--bbc-sample", type=int, default=1000)
    ap.add_argument("--level", default="{}", help="JSON object of StoryLevel keyword arguments")
    ap.add_argument(
        "--skip",
        default="",
        help="comma list of sections to skip: calibrate,negatives,proxy,semeval,lee,bbc,throughput",
    )
    ap.add_argument("--embeddings", action="store_true", help="StoryLevel(embeddings=True) (the embed extra)")
    ap.add_argument(
        "--vector-cache", type=Path, default=None, help="npz file keeping article vectors between runs"
    )
    args = ap.parse_args()
    kwargs = json.loads(args.level)
    if args.embeddings:
        import torch

        torch.set_num_threads(1)  # one core, as every other figure here
        kwargs["embeddings"] = True
        story_mod.article_vectors = MEMO  # type: ignore[assignment]  # see _Memo
        if args.vector_cache is not None:
            MEMO.load(args.vector_cache)
    level = StoryLevel(**kwargs)
    skip = set(filter(None, args.skip.split(",")))
    MEASURE["throughput"] = "throughput" not in skip
    print(f"# Story level evaluation ({time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC)")
    print(f"params: {json.dumps(level.params(), sort_keys=True)}")
    print()
    bbc = args.data / "news" / "bbc"
    if "calibrate" not in skip:
        calibrate(level, bbc)
    if "negatives" not in skip:
        known_different(level, bbc, args.data / "news" / "lee" / "lee_background.cor")
    if "proxy" not in skip:
        cluster_proxy(level, bbc)
    if "semeval" not in skip:
        eval_semeval(level, args.data / "story" / "semeval2022_en_pairs.jsonl")
    if "lee" not in skip:
        eval_lee(level, args.data / "news" / "lee" / "lee_background.cor")
    if "bbc" not in skip:
        eval_bbc(level, bbc, args.bbc_sample)
    MEMO.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
