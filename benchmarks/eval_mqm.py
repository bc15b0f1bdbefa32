"""Precision of every garble detector family against translator-marked MQM error spans.

Data: WMT 2021 zh-en MQM annotations (see ../shared/data/README.md). A document's segments are
joined in seg_id order, one per line, per system, into an article-length MT text and a reference
text; each segment's offset is kept so the marked spans map to article offsets. The text
pipeline and all registered detectors run on the MT article (with the reference Document and
the alignment when `dedup.align.align` is importable). A flag is corroborated when it overlaps a
marked span (a zero-width omission span counts when it lies inside the flag).

    .venv/bin/python benchmarks/eval_mqm.py [--data PATH] [--samples 12] [--json out.json] [--timing]
    .venv/bin/python benchmarks/eval_mqm.py --two-refs [--families ...]

`--two-refs`: the data holds a second human translation of every document (system "ref.B"). Every
MT output except ref.B's own is checked twice, against ref.A alone and against ref.A and ref.B
(`run_detectors_refs`: a reference-based flag stands only when no reference agrees with the MT), and
both precisions are reported on the same articles.

`--recall [--recall-samples 15]`: recall on the marked errors each family exists for, selected by the
span's category and shape (`RECALL_SCOPES`: a short name spelled two ways, a proper noun whose
reference segment names another, a figure the reference segment does not write, a quote or bracket
mark, a doubled word); a marked span is found when a flag of that family overlaps it.

Prints, per family: flags, corroborated flags, precision; then samples of false alarms (flags
over no marked span) and of misses (marked spans of the family's kind that no flag of it covers).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex
from rapidfuzz.distance import Levenshtein
from wordfreq import zipf_frequency

from dedup.garbles.base import Context, active_detectors, load_all, run_detectors, run_detectors_refs
from dedup.load import article_from_text
from dedup.model import Document, Flag
from dedup.text import analyze

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "mqm" / "wmt21_zhen_mqm_vs_refA.jsonl"
MINE = (
    "merged_tokens",
    "repeated_words",
    "foreign_script",
    "unbalanced",
    "boilerplate_in_body",
    "wrong_language",
)

# What a miss of each family looks like among the marked spans (for the miss samples only).
_MISS_FILTERS: dict[str, Any] = {
    "merged_tokens": lambda s: bool(regex.search(r"\p{Ll}\p{Lu}\p{Ll}", s["text"])),
    "repeated_words": lambda s: bool(regex.search(r"(?i)\b(\p{L}+)\s+\1\b", s["text"])),
    "foreign_script": lambda s: (
        bool(regex.search(r"[^\p{Script=Latin}\p{Common}\p{Inherited}]", s["text"]))
        or bool(regex.search(r"[\u3000-\u303F\uFF00-\uFF60]", s["text"]))
    ),
    "unbalanced": lambda s: (
        s["category"] == "Fluency/Punctuation" and bool(regex.search(r"[()\[\]\"“”«»（）【】]", s["text"]))
    ),
    "boilerplate_in_body": lambda s: bool(
        regex.search(r"(?i)advertisement|also read|related|more articles", s["text"])
    ),
    "wrong_language": lambda s: s["category"] in ("Non_translation", "Accuracy/Untranslated"),
    "name_variants": lambda s: (
        s["category"] in ("Locale_convention/Name", "Terminology/Inconsistent", "Fluency/Inconsistency")
    ),
    "entity_swap": lambda s: (
        s["category"] == "Accuracy/Mistranslation" and bool(regex.match(r"\p{Lu}", s["text"]))
    ),
    "number_mismatch": lambda s: (
        s["category"].startswith(("Accuracy", "Locale_convention")) and bool(regex.search(r"\d", s["text"]))
    ),
    "rare_collocation": lambda s: s["category"] in ("Accuracy/Mistranslation", "Terminology/Inappropriate"),
}


# Recall: the marked errors each family exists for, selected by the span's category and shape (code, not
# hand-picked ids; the selections do not call the detectors). A marked span is "found" when a flag of the
# family overlaps it. Several raters' marks of one span count once.
_NAME_CATS = frozenset(
    ("Fluency/Spelling", "Locale_convention/Name", "Terminology/Inconsistent", "Fluency/Inconsistency")
)
_ENTITY_CATS = frozenset(("Locale_convention/Name", "Accuracy/Mistranslation"))
_CAP_WORD = regex.compile(r"(?<![\p{L}\p{N}])\p{Lu}[\p{L}'’\-]*\p{L}(?![\p{L}\p{N}])")
_NAME_WORD = regex.compile(r"(?<![\p{L}\p{N}'’\-])\p{Lu}\p{Ll}{3,}(?![\p{L}\p{N}])")
_CONNECTORS = frozenset(("of", "the", "and", "for", "de", "van", "von", "al", "on", "in"))
_DIGITS = regex.compile(r"(?<![\p{L}\p{N}.,\-])\d[\d,]*(?:\.\d+)?(?![\p{N}])")
_PAIRS = (("(", ")"), ("[", "]"), ("（", "）"), ("【", "】"), ("“", "”"), ("«", "»"))
_DOUBLED = regex.compile(r"(?i)(?<![\p{L}\p{N}])(\p{L}+)[ \t\u00a0]+\1(?![\p{L}\p{N}])")


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def _close_spelling(a: str, b: str) -> bool:
    """Two spellings one or two edits apart with the same first letter, neither a prefix of the other
    (an inflection), not a case or diacritics difference."""
    x, y = _fold(a), _fold(b)
    if x == y or x[0] != y[0] or x.startswith(y) or y.startswith(x):
        return False
    return Levenshtein.distance(x, y) <= 2 and Levenshtein.normalized_similarity(x, y) >= 0.75


def _name_span(text: str, most: int) -> list[str]:
    """The span's words when it is a short name: 1..`most` words, every one capitalised."""
    words = regex.findall(r"\p{L}[\p{L}'’\-]*", text)
    if not 1 <= len(words) <= most or any(not w[0].isupper() for w in words):
        return []
    return words


def _spelled_two_ways(s: dict[str, Any]) -> bool:
    """A short name span (1-3 capitalised words) holding a rare word (wordfreq zipf < 4.5: not an
    ordinary word capitalised) that is a close spelling of a name elsewhere in the output or the reference."""
    if not _NAME_CATS & s["cats"] or not _name_span(s["text"], 3):
        return False
    mt, ref = s["art_mt"], s["art_ref"]
    elsewhere = [
        m.group() for m in _NAME_WORD.finditer(mt) if not (m.start() < s["end"] and s["start"] < m.end())
    ]
    others = set(elsewhere) | {m.group() for m in _NAME_WORD.finditer(ref)}
    mine = [w for w in _NAME_WORD.findall(s["text"]) if zipf_frequency(w.lower(), "en") < 4.5]
    return any(_close_spelling(w, o) for w in mine for o in others)


def _words(text: str) -> set[str]:
    return {w.lower() for w in regex.findall(r"\p{L}+", text)}


def _proper_noun_swapped(s: dict[str, Any]) -> bool:
    """A proper noun (capitalised words, connectors allowed) none of whose words the reference segment
    has, while the reference segment has a capitalised word (not its first) the MT segment lacks."""
    if not _ENTITY_CATS & s["cats"] or regex.search(r"\d", s["text"]):
        return False
    words = regex.findall(r"\p{L}[\p{L}'’\-]*", s["text"])
    caps = [w for w in words if w[0].isupper()]
    if not caps or any(not w[0].isupper() and w.lower() not in _CONNECTORS for w in words):
        return False
    ref_words, mt_words = _words(s["seg_ref"]), _words(s["seg_mt"])
    if any(w.lower() in ref_words for w in caps if w.lower() not in _CONNECTORS):
        return False
    # A near spelling of a word of the reference segment is a misspelling (name_variants), not a swap.
    if any(_close_spelling(w, r) for w in caps for r in _CAP_WORD.findall(s["seg_ref"])):
        return False
    rivals = [m.group() for m in _CAP_WORD.finditer(s["seg_ref"]) if m.start() > 0]
    return any(r.lower() not in mt_words and r.lower() not in _CONNECTORS for r in rivals)


def _number_differs(s: dict[str, Any]) -> bool:
    """A mistranslation span holding a figure the reference segment does not write, while it writes one."""
    if s["cats"].isdisjoint({"Accuracy/Mistranslation"}) or len(s["text"].split()) > 6:
        return False
    ref_nums = {n.replace(",", "") for n in _DIGITS.findall(s["seg_ref"])}
    mine = {n.replace(",", "") for n in _DIGITS.findall(s["text"])}
    return bool(mine and ref_nums and mine - ref_nums)


def _quote_or_bracket(s: dict[str, Any]) -> bool:
    return "Fluency/Punctuation" in s["cats"] and bool(regex.search(r"[()\[\]\"“”«»（）【】]", s["text"]))


def _line_unbalanced(s: dict[str, Any]) -> bool:
    """A quote/bracket mark on a segment whose marks of that kind do not pair up."""
    if not _quote_or_bracket(s):
        return False
    line, t = s["seg_mt"], s["text"]
    if '"' in t and line.count('"') % 2:
        return True
    return any((o in t or c in t) and line.count(o) != line.count(c) for o, c in _PAIRS)


def _doubled(s: dict[str, Any]) -> bool:
    """Any marked span over a word written twice in a row (the raters may mark one copy only)."""
    a, b = s["start"] - s["seg_start"], s["end"] - s["seg_start"]
    return any(m.start() < max(b, a + 1) and a < m.end() for m in _DOUBLED.finditer(s["seg_mt"]))


RECALL_SCOPES: dict[str, list[tuple[str, Any]]] = {
    "name_variants": [("short name, spelled two ways (MT or ref)", _spelled_two_ways)],
    "entity_swap": [("proper noun, another in the ref segment", _proper_noun_swapped)],
    "number_mismatch": [("figure not in the ref segment, <= 6 words", _number_differs)],
    "unbalanced": [
        ("quote/bracket, segment unbalanced", _line_unbalanced),
        ("any quote/bracket punctuation mark", _quote_or_bracket),
    ],
    "repeated_words": [("over a doubled word", _doubled)],
}


def marked_errors(a: Article) -> list[dict[str, Any]]:
    """The article's marked spans, one per (start, end), with the categories of every rater."""
    out: dict[tuple[int, int], dict[str, Any]] = {}
    for s in a.spans:
        got = out.setdefault((s["start"], s["end"]), {**s, "cats": set(), "art_mt": a.mt, "art_ref": a.ref})
        got["cats"].add(s["category"])
    return [out[k] for k in sorted(out)]


def _recall_tally(rec: dict[str, Any], a: Article, flags: list[Flag], families: list[str] | None) -> None:
    errors = marked_errors(a)
    for kind, scopes in RECALL_SCOPES.items():
        if families and kind not in families:
            continue
        mine = [f for f in flags if f.kind == kind]
        for label, keep in scopes:
            st = rec.setdefault((kind, label), {"scope": 0, "found": 0, "misses": []})
            for s in errors:
                if not keep(s):
                    continue
                st["scope"] += 1
                if any(overlaps(f, s) for f in mine):
                    st["found"] += 1
                else:
                    ref = s["seg_ref"] if len(s["seg_ref"]) <= 300 else s["seg_ref"][:300] + "…"
                    st["misses"].append(
                        f"{a.doc}/{a.system} {'+'.join(sorted(s['cats']))}: "
                        f"{_context(a.mt, s['start'], s['end'], 70)}\n      ref: {ref}"
                    )


def _recall_table(rec: dict[str, Any], samples: int, rng: random.Random) -> dict[str, Any]:
    print("\n# recall: marked errors of each family's kind that a flag of the family overlaps")
    print(f"{'family':<18}{'selection':<42}{'in scope':>9}{'found':>7}{'recall':>8}")
    figures: dict[str, Any] = {}
    for (kind, label), st in sorted(rec.items()):
        r = st["found"] / st["scope"] if st["scope"] else float("nan")
        figures[f"{kind}: {label}"] = {"scope": st["scope"], "found": st["found"], "recall": round(r, 4)}
        print(f"{kind:<18}{label:<42}{st['scope']:>9}{st['found']:>7}{r:>8.3f}")
    for (kind, label), st in sorted(rec.items()):
        pool = st["misses"]
        if pool and samples:
            print(f"\n## recall misses: {kind}, {label} ({len(pool)}), sample")
            for s in sorted(rng.sample(pool, min(samples, len(pool)))):
                print("  -", s)
    return figures


@dataclass
class Article:
    doc: str
    system: str
    mt: str
    ref: str
    spans: list[dict[str, Any]] = field(default_factory=list)  # offsets into `mt`
    src: str = ""  # the Chinese source, segments joined as `mt` is


def load_articles(path: Path) -> list[Article]:
    """Per (doc, system): segments joined in seg_id order, spans moved to article offsets."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            groups[(row["doc"], row["system"])].append(row)
    out: list[Article] = []
    bad = 0
    for (doc, system), rows in sorted(groups.items()):
        rows.sort(key=lambda r: r["seg_id"])
        mt_parts: list[str] = []
        spans: list[dict[str, Any]] = []
        pos = 0
        for r in rows:
            for s in r["spans"]:
                if r["mt"][s["start"] : s["end"]] != s["text"]:
                    bad += 1
                spans.append(
                    {
                        **s,
                        "start": s["start"] + pos,
                        "end": s["end"] + pos,
                        "seg_id": r["seg_id"],
                        "seg_mt": r["mt"],
                        "seg_ref": r["ref"],
                        "seg_start": pos,
                    }
                )
            mt_parts.append(r["mt"])
            pos += len(r["mt"]) + 1
        out.append(
            Article(
                doc,
                system,
                "\n".join(mt_parts),
                "\n".join(r["ref"] for r in rows),
                spans,
                "\n".join(r.get("src") or "" for r in rows),
            )
        )
    if bad:
        print(f"warning: {bad} marked spans do not match their text", file=sys.stderr)
    return out


def overlaps(flag: Flag, span: dict[str, Any]) -> bool:
    if span["start"] == span["end"]:
        return flag.start <= span["start"] < flag.end
    return flag.start < span["end"] and span["start"] < flag.end


def _aligner() -> Any:
    try:
        from dedup.align import align
    except ImportError:
        return None
    return align


def _context(text: str, start: int, end: int, width: int = 50) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ⏎ ")
    right = text[end : end + width].replace("\n", " ⏎ ")
    return f"…{left}[[{text[start:end]}]]{right}…"


def _tally(per: dict[str, dict[str, Any]], a: Article, flags: list[Flag]) -> None:
    for f in flags:
        if f.text != a.mt[f.start : f.end]:
            raise AssertionError(f"offset broken: {f}")
        hit = [s for s in a.spans if overlaps(f, s)]
        stats = per[f.kind]
        stats["flags"] += 1
        sample = f"{a.doc}/{a.system} {f.message}: {_context(a.mt, f.start, f.end)}"
        if hit:
            stats["hits"] += 1
            cats = sorted({s["category"] for s in hit})
            stats["tp"].append(f"{sample}  <- {', '.join(cats)}")
        else:
            stats["fa"].append(sample)


def _stats() -> dict[str, dict[str, Any]]:
    return defaultdict(lambda: {"flags": 0, "hits": 0, "fa": [], "tp": []})


def evaluate(
    articles: list[Article],
    families: list[str] | None = None,
    two_refs: bool = False,
    recall: bool = False,
    use_src: bool = False,
) -> dict[str, Any]:
    detectors = [d for d in active_detectors(enable=list(load_all())) if not families or d.name in families]
    align = _aligner()
    ref_docs: dict[str, Document] = {}
    second = {a.doc: a.mt for a in articles if a.system == "ref.B"} if two_refs else {}
    per = _stats()
    per_two = _stats()
    misses: dict[str, list[str]] = defaultdict(list)
    rec: dict[Any, Any] = {}
    words = 0
    n = 0
    t0 = time.perf_counter()
    for a in articles:
        if two_refs and (a.system == "ref.B" or a.doc not in second):
            continue  # ref.B's own output is not checked against itself
        n += 1
        mt_doc = analyze(article_from_text(a.mt, id=f"{a.doc}/{a.system}"))
        ref_doc = ref_docs.get(a.doc)
        if ref_doc is None:
            ref_doc = ref_docs[a.doc] = analyze(article_from_text(a.ref, id=f"{a.doc}/ref"))
        alignment = align(mt_doc, ref_doc) if align else None
        src_doc = None
        if use_src:
            src_doc = ref_docs.get(f"{a.doc}/src")
            if src_doc is None:
                src_doc = ref_docs[f"{a.doc}/src"] = analyze(article_from_text(a.src, id=f"{a.doc}/src"))
        flags = run_detectors(Context(mt=mt_doc, ref=ref_doc, alignment=alignment, src=src_doc), detectors)
        words += len(a.mt.split())
        _tally(per, a, flags)
        if recall:
            _recall_tally(rec, a, flags, families)
        if two_refs and align:
            key = f"{a.doc}/refB"
            ref_b = ref_docs.get(key)
            if ref_b is None:
                ref_b = ref_docs[key] = analyze(article_from_text(second[a.doc], id=key))
            both = run_detectors_refs(
                mt_doc, [ref_doc, ref_b], [alignment, align(mt_doc, ref_b)], detectors, src=src_doc
            )
            _tally(per_two, a, both)
        for kind, keep in _MISS_FILTERS.items():
            if families and kind not in families:
                continue
            for s in a.spans:
                if keep(s) and not any(f.kind == kind and overlaps(f, s) for f in flags):
                    misses[kind].append(
                        f"{a.doc}/{a.system} {s['category']}: {_context(a.mt, s['start'], s['end'])}"
                    )
    elapsed = time.perf_counter() - t0
    return {
        "per": per,
        "per_two": per_two if two_refs else None,
        "misses": misses,
        "recall": rec,
        "articles": n,
        "words": words,
        "seconds": elapsed,
    }


def _thousand_words(articles: list[Article], system: str = "hyp.Facebook-AI") -> tuple[str, str]:
    """An MT text of >= 1,000 words (whole lines of one system's articles) and the matching reference."""
    mt_lines: list[str] = []
    ref_lines: list[str] = []
    n = 0
    for a in articles:
        if a.system != system:
            continue
        for mt_line, ref_line in zip(a.mt.split("\n"), a.ref.split("\n"), strict=False):
            mt_lines.append(mt_line)
            ref_lines.append(ref_line)
            n += len(mt_line.split())
            if n >= 1000:
                return "\n".join(mt_lines), "\n".join(ref_lines)
    return "\n".join(mt_lines), "\n".join(ref_lines)


def timing(articles: list[Article], runs: int = 5) -> dict[str, float]:
    """Time to check a 1,000-word article with its reference: the first run on the text (cold), and
    the median of the runs after it (warm: langdetect caches sentence results, so warm pipeline runs
    are cheaper). Run it in a fresh process (--timing-only): the evaluation warms every cache."""
    mt_text, ref_text = _thousand_words(articles)
    # Load langdetect's profiles and wordfreq's tables on another text first: "cold" below is a
    # text never seen before, not the one-off start-up of the process.
    warm_mt, warm_ref = _thousand_words(articles, system="hyp.NiuTrans")
    analyze(article_from_text(warm_mt, id="w"))
    analyze(article_from_text(warm_ref, id="wr"))
    mine = [d for d in active_detectors() if d.name in MINE]
    every = active_detectors(enable=list(load_all()))
    align = _aligner()
    out: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        t = time.perf_counter()
        mt_doc = analyze(article_from_text(mt_text, id="t"))
        ref_doc = analyze(article_from_text(ref_text, id="r"))
        out["pipeline_s"].append(time.perf_counter() - t)
        alignment = None
        if align:
            t = time.perf_counter()
            alignment = align(mt_doc, ref_doc)
            out["align_s"].append(time.perf_counter() - t)
        ctx = Context(mt=mt_doc, ref=ref_doc, alignment=alignment)
        t = time.perf_counter()
        run_detectors(ctx, mine)
        out["my_detectors_s"].append(time.perf_counter() - t)
        t = time.perf_counter()
        run_detectors(ctx, every)
        out["all_detectors_s"].append(time.perf_counter() - t)
        for d in every:
            t = time.perf_counter()
            list(d.detect(ctx))
            out[f"{d.name}_s"].append(time.perf_counter() - t)
    result: dict[str, float] = {"words": len(mt_text.split())}
    for k, v in out.items():
        result[f"{k}_cold"] = round(v[0], 4)
        result[f"{k}_warm"] = round(statistics.median(v[1:]), 4)
    return result


def clean_run(folder: Path, samples: int, rng: random.Random) -> dict[str, int]:
    """Flags raised on edited English news (no reference): each is a false alarm unless the text
    itself is faulty, so read them."""
    files = sorted(folder.glob("*/*.txt"))
    detectors = [d for d in active_detectors() if d.name in MINE]
    counts: dict[str, int] = defaultdict(int)
    pool: dict[str, list[str]] = defaultdict(list)
    for path in files:
        text = path.read_text(encoding="latin-1")
        doc = analyze(article_from_text(text, id=str(path)))
        for f in run_detectors(Context(mt=doc), detectors):
            counts[f.kind] += 1
            pool[f.kind].append(
                f"{path.parent.name}/{path.name} {f.message}: {_context(text, f.start, f.end)}"
            )
    print(f"\n## clean English news: {len(files)} articles in {folder}")
    for kind in MINE:
        print(f"{kind:<22}{counts.get(kind, 0):>7}")
    for kind in sorted(pool):
        print(f"\n## clean: {kind} ({len(pool[kind])}), sample")
        for s in sorted(rng.sample(pool[kind], min(samples, len(pool[kind])))):
            print("  -", s)
    return dict(counts)


_FOREIGN = (
    "El ministro dijo que la reunión con sus colegas será muy importante para todos los países.",
    "Le ministre a déclaré que les discussions reprendront la semaine prochaine avec les syndicats.",
    "Der Sprecher sagte, dass die Gespräche in der nächsten Woche mit allen Beteiligten fortgesetzt werden.",
    "Il portavoce ha detto che le trattative continueranno la prossima settimana con tutti i partner.",
)
_NAME_LIST = regex.compile(r"(?<![\p{L}.])(\p{Lu}\p{Ll}{3,}), (\p{Lu}\p{Ll}{2,})(?![\p{L}-])")
_PLAIN_WORD = regex.compile(r"(?<=[a-z,] )([a-z]{4,})(?= [a-z])")


def _inject(text: str, kind: str, rng: random.Random) -> tuple[str, int, int] | None:
    """The text with one garble of `kind` put in, and the span (in the new text) it occupies."""
    paras = [m for m in regex.finditer(r"[^\n]+", text) if len(m.group()) > 80]
    if kind == "merged_tokens":
        cands = list(_NAME_LIST.finditer(text))
        if not cands:
            return None
        m = rng.choice(cands)
        glued = m.group(1) + m.group(2)
        return text[: m.start()] + glued + text[m.end() :], m.start(), m.start() + len(glued)
    if kind == "repeated_words":
        cands = list(_PLAIN_WORD.finditer(text))
        if not cands:
            return None
        m = rng.choice(cands)
        return text[: m.end()] + " " + m.group(1) + text[m.end() :], m.start(), m.end() + 1 + len(m.group(1))
    if kind == "foreign_script":
        cands = [m.start() for m in regex.finditer(r"(?<=[a-z])\.(?= [A-Z])", text)]
        if not cands:
            return None
        i = rng.choice(cands)
        return text[:i] + "。" + text[i + 1 :], i, i + 1
    if kind == "unbalanced":
        cands = [m for m in regex.finditer(r'"[^"\n]{3,200}"', text)] + list(
            regex.finditer(r"\([^()\n]{2,80}\)", text)
        )
        if not cands:
            return None
        m = rng.choice(cands)
        i = m.end() - 1  # drop the closing mark: the opener is left unmatched
        return text[:i] + text[i + 1 :], m.start(), m.start() + 1
    if kind in ("boilerplate_in_body", "wrong_language"):
        if len(paras) < 3:
            return None
        at = rng.choice(paras[1:-1]).end()
        insert = (
            rng.choice(
                (
                    "Advertisement",
                    "ALSO READ | Ministers to meet unions next week",
                    "Story continues below advertisement",
                )
            )
            if kind == "boilerplate_in_body"
            else rng.choice(_FOREIGN)
        )
        return text[:at] + "\n\n" + insert + text[at:], at + 2, at + 2 + len(insert)
    return None


def inject_run(folder: Path, rng: random.Random, samples: int) -> dict[str, dict[str, int]]:
    """Recall on garbles put into edited English news: one garble of one family per article."""
    files = sorted(folder.glob("*/*.txt"))
    detectors = {d.name: d for d in active_detectors() if d.name in MINE}
    out: dict[str, dict[str, int]] = {k: {"injected": 0, "found": 0} for k in MINE}
    missed: dict[str, list[str]] = defaultdict(list)
    for n, path in enumerate(files):
        kind = MINE[n % len(MINE)]
        got = _inject(path.read_text(encoding="latin-1"), kind, rng)
        if got is None:
            continue
        text, start, end = got
        doc = analyze(article_from_text(text, id=str(path)))
        flags = list(detectors[kind].detect(Context(mt=doc)))
        out[kind]["injected"] += 1
        if any(f.start < end and start < f.end for f in flags):
            out[kind]["found"] += 1
        else:
            missed[kind].append(f"{path.parent.name}/{path.name}: {_context(text, start, end)}")
    print(f"\n## injected garbles in {folder} (one per article, seeded)")
    for kind, st in out.items():
        rec = st["found"] / st["injected"] if st["injected"] else float("nan")
        print(f"{kind:<22}{st['injected']:>7}{st['found']:>7}{rec:>9.3f}")
    for kind in sorted(missed):
        print(f"\n## injected, missed: {kind} ({len(missed[kind])}), sample")
        for s in sorted(rng.sample(missed[kind], min(samples, len(missed[kind])))):
            print("  -", s)
    return out


def _table(per: dict[str, dict[str, Any]], kinds: list[str], title: str) -> dict[str, Any]:
    """Print flags / corroborated / precision per family; return the figures."""
    if title:
        print(f"\n# {title}")
    print(f"{'family':<22}{'flags':>7}{'hits':>7}{'precision':>11}")
    figures: dict[str, Any] = {}
    for kind in kinds:
        st = per.get(kind, {"flags": 0, "hits": 0})
        prec = st["hits"] / st["flags"] if st["flags"] else float("nan")
        figures[kind] = {
            "flags": st["flags"],
            "hits": st["hits"],
            "precision": round(prec, 4) if st["flags"] else None,
        }
        print(f"{kind:<22}{st['flags']:>7}{st['hits']:>7}{prec:>11.3f}")
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--samples", type=int, default=12, help="false alarms / misses shown per family")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--timing", action="store_true", help="also time a 1,000-word article")
    ap.add_argument("--timing-only", action="store_true", help="only time a 1,000-word article")
    ap.add_argument(
        "--clean", type=Path, help="also run on edited English news (e.g. ../shared/data/news/bbc)"
    )
    ap.add_argument("--inject", type=Path, help="only measure recall on garbles put into edited English news")
    ap.add_argument("--families", nargs="*", help="only these detector families (default: all registered)")
    ap.add_argument(
        "--two-refs",
        action="store_true",
        help="check every output but ref.B's against ref.A alone and against ref.A + ref.B",
    )
    ap.add_argument(
        "--recall",
        action="store_true",
        help="also measure recall on the marked errors each family exists for (RECALL_SCOPES)",
    )
    ap.add_argument("--recall-samples", type=int, default=15, help="recall misses shown per family")
    ap.add_argument(
        "--src", action="store_true", help="give the detectors the Chinese source too (`check --src`)"
    )
    args = ap.parse_args(argv)
    if args.inject:
        print(json.dumps(inject_run(args.inject, random.Random(args.seed), args.samples), indent=1))
        return 0
    articles = load_articles(args.data)
    if args.timing_only:
        print(json.dumps(timing(articles), indent=1))
        return 0
    res = evaluate(articles, args.families, args.two_refs, args.recall, args.src)
    rng = random.Random(args.seed)
    print(
        f"{res['articles']} articles, {res['words']} MT words, {res['seconds']:.1f} s (pipeline+align+detectors)"
    )
    kinds = sorted((set(load_all()) & set(args.families or load_all())) | set(res["per"]))
    figures: dict[str, Any] = _table(res["per"], kinds, "reference ref.A" if args.two_refs else "")
    if res["per_two"] is not None:
        figures = {"ref.A": figures, "ref.A+ref.B": _table(res["per_two"], kinds, "references ref.A + ref.B")}
    for label_mode, per in (("", res["per"]), ("two refs, ", res["per_two"] or {})):
        for kind in sorted(per):
            st = per[kind]
            for label, pool in (("false alarms", st["fa"]), ("corroborated", st["tp"])):
                if pool:
                    print(f"\n## {label_mode}{kind}: {label} ({len(pool)}), sample")
                    for s in sorted(rng.sample(pool, min(args.samples, len(pool)))):
                        print("  -", s)
    for kind in sorted(res["misses"]):
        pool = res["misses"][kind]
        print(f"\n## {kind}: misses among marked spans of its kind ({len(pool)}), sample")
        for s in sorted(rng.sample(pool, min(args.samples, len(pool)))):
            print("  -", s)
    if args.recall:
        figures["recall"] = _recall_table(res["recall"], args.recall_samples, random.Random(args.seed))
    if args.timing:
        t = timing(articles)
        figures["timing"] = t
        print("\n## timing, 1,000-word article with its reference (cold run, median of warm runs):")
        print(json.dumps(t, indent=1))
    if args.clean:
        figures["clean"] = clean_run(args.clean, args.samples, rng)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
