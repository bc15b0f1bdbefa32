"""From Documents to a report: run check and scan (when installed), then render.

Kept apart from html.py so the renderer stays a pure function of JSON-shaped dicts.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from dedup.model import Article, Document
from dedup.pool import process_pool, resolve_jobs
from dedup.render.html import Limits, render_corpus, render_pair

log = logging.getLogger("dedup")


def _plain(obj: Any) -> Any:
    """numpy arrays and scalars to lists and floats, so results can be rendered and embedded."""
    if hasattr(obj, "tolist"):
        return obj.tolist()
    return obj


def check_json(
    mt_doc: Document,
    ref_doc: Document | None = None,
    refs: Sequence[Document] = (),
    src: Document | None = None,
) -> tuple[dict[str, Any], Any]:
    """The dedup.check/1 dict of one article (and the similarity matrix when there is a reference).

    `refs`: more references of the story after `ref_doc` (a multi-reference check; the matrix is the
    first reference's). `src`: the article before translation, as `check` takes it.

    Falls back to the alignment alone (no flags, no scores, verdict "n/a") while `dedup.check` is
    not installed, so a report can still show the articles side by side.
    """
    try:
        from dedup.check import check
    except ModuleNotFoundError as err:
        if err.name != "dedup.check":
            raise
        return _align_only(mt_doc, ref_doc)
    result = check(mt_doc, ref_doc, refs=refs, src=src)
    data = result.to_json()
    alignment = getattr(result, "alignment", None)
    sim = getattr(alignment, "similarity", None)
    if sim is None:
        sim = (data.get("alignment") or {}).get("similarity")
    return data, _plain(sim)


def _align_only(mt_doc: Document, ref_doc: Document | None) -> tuple[dict[str, Any], Any]:
    def side(doc: Document) -> dict[str, Any]:
        return {
            "id": doc.id,
            "lang": doc.lang,
            "sentences": [{"start": s.start, "end": s.end} for s in doc.sentences],
            "boilerplate": [b.to_json() for b in doc.boilerplate],
        }

    data: dict[str, Any] = {
        "schema": "dedup.check/1",
        "mt": side(mt_doc),
        "ref": side(ref_doc) if ref_doc is not None else None,
        "alignment": {"links": [], "unaligned_mt": [], "unaligned_ref": []},
        "flags": [],
        "scores": {},
        "verdict": "n/a",
    }
    sim = None
    if ref_doc is not None:
        from dedup.align import align

        alignment = align(mt_doc, ref_doc)
        data["alignment"] = alignment.to_json()
        sim = _plain(alignment.similarity)
    return data, sim


def report_pair(
    mt_doc: Document,
    ref_doc: Document | None = None,
    *,
    refs: Sequence[Document] = (),
    title: str | None = None,
    src: Document | None = None,
) -> str:
    """Check one article (against its reference when given, and `refs` after it) and render the pair
    report: the first reference side by side, evidence in the others labelled with their number."""
    if refs and ref_doc is None:
        ref_doc, refs = refs[0], refs[1:]
    data, sim = check_json(mt_doc, ref_doc, refs, src)
    return render_pair(
        data, mt_doc.text, ref_doc.text if ref_doc is not None else None, similarity=sim, title=title
    )


def scan_json(docs: Sequence[Document]) -> dict[str, Any] | None:
    """The dedup.scan/1 dict of these documents at both levels (copy only when the story level is
    unavailable), or None while `dedup.near.scan` is not installed."""
    try:
        from dedup.near.scan import LevelUnavailable, scan
    except ModuleNotFoundError as err:
        if err.name not in ("dedup.near.scan",):
            raise
        return None
    try:
        result = scan(list(docs), level="both")
    except LevelUnavailable as err:
        log.warning("%s; scanning at copy level only", err)
        result = scan(list(docs), level="copy")
    return _plain_tree(result.to_json())


def _plain_tree(obj: Any) -> Any:
    if isinstance(obj, Mapping):
        return {k: _plain_tree(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain_tree(v) for v in obj]
    return _plain(obj)


def _story_pairs(scan: Mapping[str, Any], by_id: Mapping[str, Document]) -> list[tuple[str, str]]:
    out = []
    for c in scan.get("clusters") or ():
        if c.get("level") == "story":
            for p in c.get("pairs") or ():
                a, b = str(p.get("a")), str(p.get("b"))
                if a in by_id and b in by_id:
                    out.append((a, b))
    return out


def _which_is_mt(
    a: str,
    b: str,
    by_id: Mapping[str, Document],
    checks: Mapping[str, Mapping[str, Any]],
    order: Mapping[str, int],
) -> tuple[str, str]:
    """(MT, reference): the article that looks more garbled on its own (flags per word, majors
    weighted 3) is checked against the other; the later one when neither looks worse."""

    def garble(i: str) -> float:
        flags = (checks.get(i) or {}).get("flags") or ()
        weight = sum(3 if f.get("severity") == "major" else 1 for f in flags)
        return weight / max(1, len(by_id[i].text.split()))

    ga, gb = garble(a), garble(b)
    if ga != gb:
        return (a, b) if ga > gb else (b, a)
    return (a, b) if order.get(a, 0) > order.get(b, 0) else (b, a)


def report_corpus(
    docs: Sequence[Document],
    *,
    checks: Mapping[str, Mapping[str, Any]] | None = None,
    check_articles: bool = True,
    check_pairs: bool = False,
    scan: Mapping[str, Any] | None = None,
    errors: Sequence[str] = (),
    title: str = "dedup corpus report",
    limits: Limits = Limits(),
) -> str:
    """Scan documents for copy and story clusters, check each article alone (and, when asked, each
    pair in a story cluster, the more garbled article against the other) and render the corpus report."""
    if scan is None:
        scan = scan_json(docs)
    by_id = {d.id: d for d in docs}
    if checks is None:
        checks = {d.id: check_json(d)[0] for d in docs} if check_articles else {}
    pair_checks = []
    if check_pairs and scan:
        order = {d.id: k for k, d in enumerate(docs)}
        for a, b in _story_pairs(scan, by_id):
            mt, ref = _which_is_mt(a, b, by_id, checks, order)
            pair_checks.append(check_json(by_id[mt], by_id[ref])[0])
            if len(pair_checks) >= limits.pair_checks:
                break
    meta = {
        d.id: {
            "lang": d.lang,
            "title": d.article.title,
            "published": d.article.published,
            "origin": d.article.origin,
        }
        for d in docs
    }
    return render_corpus(
        scan,
        {d.id: d.text for d in docs},
        checks,
        pair_checks,
        meta={k: {kk: vv for kk, vv in v.items() if vv} for k, v in meta.items()},
        errors=errors,
        title=title,
        limits=limits,
    )


CORPUS_LANG_CHARS = 1000  # article language judged on this much of the body: one langdetect call
PARALLEL_MIN_ARTICLES = 200  # below this a process pool costs more than it saves


def analyze_one(article: Article, sentence_languages: bool = False) -> Document:
    """A Document for a corpus report. By default only the article language is detected (plainly
    English text by its function words, anything else by one langdetect call on the first
    CORPUS_LANG_CHARS of the body, not one call per sentence); with
    `sentence_languages=True` the full pipeline runs, which the wrong_language family needs."""
    from dedup.text import analyze
    from dedup.text.language import ARTICLE_SHORTCUT, detect, looks_english

    if sentence_languages:
        return analyze(article)
    doc = analyze(article, languages=False)
    if not article.lang:
        body = (" ".join(doc.text[s.start : s.end] for s in doc.sentences) or doc.text)[:CORPUS_LANG_CHARS]
        doc.lang = "en" if looks_english(body, *ARTICLE_SHORTCUT) else detect(body)
    return doc


def _analyze_and_check(job: tuple[Article, bool, bool]) -> tuple[Document, dict[str, Any] | None]:
    article, sentence_languages, do_check = job
    doc = analyze_one(article, sentence_languages)
    return doc, (check_json(doc)[0] if do_check else None)


def analyze_corpus(
    articles: Sequence[Article], sentence_languages: bool = False, check: bool = False, jobs: int = 1
) -> tuple[list[Document], dict[str, dict[str, Any]]]:
    """Documents in input order and, when `check`, each article's dedup.check/1 dict (no reference).

    `jobs` > 1 spreads the work over processes (results are the same, in the same order); 0 means
    one per CPU.
    """
    jobs = resolve_jobs(jobs)
    work = [(a, sentence_languages, check) for a in articles]
    with process_pool(jobs if len(work) >= PARALLEL_MIN_ARTICLES else 1) as pool:
        if pool is not None:
            results = list(pool.map(_analyze_and_check, work, chunksize=max(1, len(work) // (jobs * 8))))
        else:
            results = [_analyze_and_check(w) for w in work]
    docs = [d for d, _ in results]
    checks = {d.id: c for d, c in results if c is not None}
    return docs, checks
