"""Seeded near-duplicate corpus from the real news articles in ../shared/data/news, with true clusters.

    .venv/bin/python benchmarks/gen_corpus.py --size 10000 --seed 7 --out benchmarks/out/corpus_10k

writes ``<out>.jsonl`` (one article per line: id, text) and ``<out>.truth.json`` (id -> true
cluster, id -> kind). What is in it:

- bases: the real BBC and Lee (ABC) articles, first deduplicated among themselves (the sets hold
  rewrites of one story: any article whose word 3-grams are >= 20% contained in an earlier kept one
  is dropped). When a corpus needs more bases than there are real articles, further bases are
  *re-worded* real articles: every content word (outside the 300 most frequent), number and name
  is mapped through a fresh seeded random mapping, so they keep real structure and length but share
  no content with their source;
- syndicated copies of a base (same true cluster): headline changed, byline and boilerplate lines
  ("Advertisement", "ALSO READ | ...", "Read more: ...", "Follow us ...") added, a paragraph dropped
  or moved, 0-5% of the words replaced, truncated to 55-95%;
- templated non-copies (their own true cluster): the same text with every number changed and every
  mid-sentence name replaced (consistently), like daily market or sports reports.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from pathlib import Path

NEWS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "news"
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*|\s+|[^\sA-Za-z\d]+")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
FIRST = "James Maria Ahmed Chen Laura Pedro Fatima Olga Kenji Aisha David Ines Tom Priya Lucas Sara".split()
LAST = (
    "Smith Okafor Novak Garcia Lindqvist Tanaka Moreau Rossi Kowalski Haddad Byrne Silva Patel Jensen".split()
)
BOILER = [
    "Advertisement",
    "ADVERTISEMENT",
    "Story continues below advertisement",
    "ALSO READ | {title}",
    "Read more: {title}",
    "See also - {title}",
    "Follow us on Twitter and Facebook for the latest news",
    "Subscribe to our newsletter",
    "Click here to download our app",
]


def load_base() -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of every real article, in a fixed order."""
    out: list[tuple[str, list[str]]] = []
    for f in sorted((NEWS / "bbc").glob("*/*.txt")):
        raw = f.read_bytes().decode("utf-8", errors="replace")
        lines = [ln.strip() for ln in raw.split("\n")]
        title = lines[0]
        paras = [ln for ln in lines[1:] if ln]
        if paras:
            out.append((title, paras))
    for name in ("lee_background.cor", "lee.cor"):
        for line in (NEWS / "lee" / name).read_text(encoding="utf-8", errors="replace").splitlines():
            sents = [s for s in _SENT.split(line.strip()) if s]
            if len(sents) < 2:
                continue
            paras = [" ".join(sents[i : i + 2]) for i in range(0, len(sents), 2)]
            out.append((" ".join(sents[0].split()[:8]), paras))
    return out


def _grams(text: str) -> set[tuple[str, ...]]:
    w = [x.lower() for x in _WORD.findall(text)]
    return {tuple(w[i : i + 3]) for i in range(len(w) - 2)}


def dedupe(base: list[tuple[str, list[str]]], limit: float = 0.2) -> list[tuple[str, list[str]]]:
    """Drop every article whose 3-grams are >= `limit` contained in (or contain) an earlier kept one."""
    kept: list[tuple[str, list[str]]] = []
    postings: dict[tuple[str, ...], list[int]] = {}
    sizes: list[int] = []
    for title, paras in base:
        g = _grams(" ".join(paras))
        if not g:
            continue
        hits: Counter[int] = Counter()
        for x in g:
            for k in postings.get(x, ()):
                hits[k] += 1
        if any(c / min(len(g), sizes[k]) >= limit for k, c in hits.items()):
            continue
        k = len(kept)
        kept.append((title, paras))
        sizes.append(len(g))
        for x in g:
            postings.setdefault(x, []).append(k)
    return kept


class Gen:
    def __init__(self, base: list[tuple[str, list[str]]], seed: int) -> None:
        self.rng = random.Random(seed)
        self.base = base
        counts: Counter[str] = Counter()
        names: set[str] = set()
        for _, paras in base:
            for p in paras:
                words = _WORD.findall(p)
                counts.update(w.lower() for w in words if not w[0].isdigit())
                names.update(w for i, w in enumerate(words) if i and w[0].isupper() and len(w) > 2)
        self.common = {w for w, _ in counts.most_common(300)}
        self.vocab = sorted(w for w, c in counts.items() if c >= 2 and w not in self.common)
        self.names = sorted(n for n in names if n.lower() not in self.common)

    # -- word-level rewrites ------------------------------------------------------------------
    def _number(self, tok: str) -> str:
        digits = re.sub(r"\D", "", tok)
        while True:
            new = "".join(self.rng.choice("0123456789") for _ in digits)
            new = new.lstrip("0") or "1"
            if new != digits.lstrip("0"):
                break
        return new

    def _rewrite(self, text: str, mapping: dict[str, str], content: bool) -> str:
        """Map numbers and mid-sentence names (and with `content`, every uncommon word) consistently."""
        out: list[str] = []
        prev_end = "."
        for tok in _TOKEN.findall(text):
            if tok[0].isdigit():
                out.append(mapping.setdefault(tok, self._number(tok)))
            elif tok[0].isalpha():
                is_name = tok[0].isupper() and prev_end not in ".!?\"'"
                if is_name and tok.lower() not in self.common:
                    out.append(mapping.setdefault(tok, self.rng.choice(self.names)))
                elif content and tok.lower() not in self.common:
                    new = mapping.setdefault(tok.lower(), self.rng.choice(self.vocab))
                    out.append(new.capitalize() if tok[0].isupper() else new)
                else:
                    out.append(tok)
            else:
                out.append(tok)
            if not tok.isspace():
                prev_end = tok[-1]
        return "".join(out)

    def reworded(self, title: str, paras: list[str]) -> tuple[str, list[str]]:
        mapping: dict[str, str] = {}
        return self._rewrite(title, mapping, True), [self._rewrite(p, mapping, True) for p in paras]

    def templated(self, title: str, paras: list[str]) -> tuple[str, list[str]] | None:
        mapping: dict[str, str] = {}
        new = [self._rewrite(p, mapping, False) for p in paras]
        if len(mapping) < 6:  # too few figures and names to make a template of
            return None
        return self._rewrite(title, mapping, False), new

    def copy(self, title: str, paras: list[str]) -> str:
        rng = self.rng
        paras = list(paras)
        if len(paras) >= 4 and rng.random() < 0.3:
            del paras[rng.randrange(1, len(paras))]
        if len(paras) >= 3 and rng.random() < 0.3:
            p = paras.pop(rng.randrange(len(paras)))
            paras.insert(rng.randrange(len(paras) + 1), p)
        rate = rng.uniform(0.0, 0.05)
        if rate > 0:
            edited = []
            for p in paras:
                toks = _TOKEN.findall(p)
                for i, t in enumerate(toks):
                    if t[0].isalnum() and rng.random() < rate:
                        toks[i] = rng.choice(self.vocab)
                edited.append("".join(toks))
            paras = edited
        if rng.random() < 0.3:
            words = sum(len(p.split()) for p in paras)
            keep = int(words * rng.uniform(0.55, 0.95))
            cut: list[str] = []
            for p in paras:
                w = p.split()
                if keep <= 0:
                    break
                cut.append(" ".join(w[:keep]))
                keep -= len(w)
            paras = cut
        if rng.random() < 0.7:
            tw = title.split()
            if rng.random() < 0.4:
                title = " ".join(rng.choice(self.vocab).capitalize() if rng.random() < 0.5 else w for w in tw)
            else:
                title = rng.choice(["UPDATE: ", "Breaking: ", "", "WATCH: "]) + " ".join(
                    rng.sample(tw, len(tw))
                )
        lines = [title, ""]
        if rng.random() < 0.5:
            lines += [f"By {rng.choice(FIRST)} {rng.choice(LAST)}", ""]
        body: list[str] = []
        for p in paras:
            body += [p, ""]
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            other = rng.choice(self.base)[0]
            line = rng.choice(BOILER).format(title=other)
            pos = 2 * rng.randrange(len(body) // 2 + 1)
            body[pos:pos] = [line, ""]
        return "\n".join(lines + body).strip() + "\n"


def generate(
    size: int, seed: int
) -> tuple[list[dict[str, str]], dict[str, str], dict[str, str], dict[str, int]]:
    base = load_base()
    real = dedupe(base)
    g = Gen(real, seed)
    rng = g.rng
    order = list(range(len(real)))
    rng.shuffle(order)
    docs: list[tuple[str, str, str]] = []  # (text, cluster, kind)
    n_cluster = 0
    k = 0
    while len(docs) < size:
        title, paras = real[order[k % len(order)]]
        if k >= len(order):
            title, paras = g.reworded(title, paras)
        k += 1
        variants = [(title, paras, "original")]
        if rng.random() < 0.12:
            for _ in range(rng.choice([1, 1, 2, 3])):
                t = g.templated(title, paras)
                if t is not None:
                    variants.append((t[0], t[1], "templated"))
        for t, p, kind in variants:
            cid = f"c{n_cluster:06d}"
            n_cluster += 1
            docs.append((t + "\n\n" + "\n\n".join(p) + "\n", cid, kind))
            n_copies = rng.choices([0, 1, 2, 3, 4, 5, 6, 7], weights=[50, 25, 10, 6, 4, 2, 2, 1])[0]
            for _ in range(n_copies):
                docs.append((g.copy(t, p), cid, "copy"))
    docs = docs[:size]
    rng.shuffle(docs)
    rows, cluster, kinds = [], {}, {}
    for i, (text, cid, kind) in enumerate(docs):
        aid = f"a{i:07d}"
        rows.append({"id": aid, "text": text})
        cluster[aid] = cid
        kinds[aid] = kind
    stats = {"real_bases_after_dedupe": len(real), "real_articles": len(base), "bases_used": k}
    return rows, cluster, kinds, stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default="benchmarks/out/corpus_10k")
    a = ap.parse_args()
    rows, cluster, kinds, stats = generate(a.size, a.seed)
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{out}.jsonl", "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    truth = {"size": a.size, "seed": a.seed, "stats": stats, "cluster": cluster, "kind": kinds}
    Path(f"{out}.truth.json").write_text(json.dumps(truth), encoding="utf-8")
    print(json.dumps({"articles": len(rows), **stats, "kinds": Counter(kinds.values())}))


if __name__ == "__main__":
    main()
