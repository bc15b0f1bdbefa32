"""Self-contained HTML reports: one article pair (check result) or a corpus (scan result + checks).

Both renderers take plain JSON-shaped dicts (schemas dedup.check/1 and dedup.scan/1) plus the
original texts, and return one HTML string with CSS, JS and data inline: nothing is fetched, no
URL is ever built from data, every piece of article text goes through `safe.visible` (escaped, the
page's text exactly the article's, hidden characters labelled), and the data island is JSON with
`<`, `>` and `&` escaped so no text can close the script element.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import shlex
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jinja2
import regex
from markupsafe import Markup, escape

from dedup.render.diff import word_diff
from dedup.render.heatmap import heatmap_svg
from dedup.render.safe import encodable, excerpt, plain, plain_enough, visible
from dedup.render.segments import Layer, clamp_items, render_layers

REPORT_SCHEMA = "dedup.report/1"
SEVERITY_ORDER = ("major", "minor")


@dataclass(frozen=True)
class Limits:
    """Caps that keep a report of a large corpus small; whatever is cut is counted as "N more"."""

    clusters: int = 300  # per level
    members: int = 40  # per cluster
    pairs: int = 40  # per cluster
    diffs: int = 8  # copies diffed per cluster
    diff_hunks: int = 10  # changes shown per diff
    documents: int = 5000  # rows of the article table
    flagged_articles: int = 300  # articles whose flags are listed
    flags_per_article: int = 12
    pair_checks: int = 200
    aligned_pairs: int = 400  # rows of the aligned-pairs table in a pair report
    heatmap_cells: int = 120  # rows/columns of the heatmap
    flags_listed: int = 1000  # rows of the flag list in a pair report (all stay highlighted in the text)


# ---------------------------------------------------------------- templates and data island


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("dedup.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = _num
    env.filters["attr"] = escape  # a machine-read attribute value (data-*, value, id): exact, escaped
    env.filters["tip"] = _tip
    env.filters["excerpt"] = excerpt
    env.filters["ident"] = _ident
    # Every interpolated string is article text until proven otherwise: shown exactly, with its
    # hidden characters made visible. Attributes say which filter they take (`attr` or `tip`).
    env.finalize = _finalize
    return env


def _finalize(value: Any) -> Any:
    # Plain text is left to autoescape (the common case, and the cheap one).
    if type(value) is str:
        return value if plain_enough(value) else visible(value)
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible(value)
    return value


ID_SHOWN = 80  # characters of an article id shown in a corpus page (ids may be URLs, or anything)


def _ident(value: Any) -> Markup:
    """An article id in a corpus page: ids are repeated in many places (clusters, pairs, diffs, rows),
    so a long one is shown as its head and tail; the data island and the search keep it whole."""
    return excerpt(str(value), ID_SHOWN)


def _tip(value: Any) -> Markup:
    """A human-read attribute or the window title: hidden characters spelled out."""
    return escape(plain(str(value)))


def _json_safe(obj: Any) -> Any:
    """Plain JSON values: NaN and infinities become null, numpy values become Python ones."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, Mapping):
        return {str(k): _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_json_safe(v) for v in obj]
    if hasattr(obj, "tolist"):
        return _json_safe(obj.tolist())
    if obj is None or isinstance(obj, str | int | bool):
        return obj
    return str(obj)


_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def data_island(obj: Any) -> Markup:
    """JSON safe inside <script type="application/json">: no `<`, `>` or `&` survives literally."""
    text = json.dumps(_json_safe(obj), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)  # UTF-8 cannot carry them raw
    text = (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return Markup(text)  # noqa: S704 - every '<' is escaped above


def _page(template: str, script: str, ctx: dict[str, Any]) -> str:
    """Render a page with its inline script, allowed by hash in the page's Content-Security-Policy.

    The hash (not 'unsafe-inline') means that even a script or an event handler that slipped
    into the markup would not run.
    """
    env = _env()
    js = env.get_template(script).render()
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    return encodable(
        env.get_template(template).render(
            script=Markup(js),  # noqa: S704 - our own template, no data in it
            script_hash=Markup(f"'sha256-{digest}'"),  # noqa: S704 - base64 only
            **ctx,
        )
    )


def _num(value: Any, digits: int = 2) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.{digits}f}" if math.isfinite(value) else "n/a"
    return str(value)


def _clip(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _title_of(side: Mapping[str, Any] | None, text: str) -> str:
    """The article's title when the result carries one, else its first non-blank line."""
    if side:
        if side.get("title"):
            return _clip(str(side["title"]), 160)
        art = side.get("article")
        if isinstance(art, Mapping) and art.get("title"):
            return _clip(str(art["title"]), 160)
    for line in text.splitlines():
        if line.strip():
            return _clip(line, 160)
    return ""


# ---------------------------------------------------------------- pair report


def _flag_tip(flag: Mapping[str, Any], number: int) -> str:
    conf = flag.get("confidence")
    head = f"#{number} {flag.get('kind', '?')} · {flag.get('severity', '?')}"
    if isinstance(conf, int | float):
        head += f" · confidence {conf:.2f}"
    lines = [head, str(flag.get("message", ""))]
    for ev in flag.get("evidence") or ():
        lines.append("evidence: " + _evidence_str(ev))
    return "\n".join(x for x in lines if x)


def _evidence_str(ev: Mapping[str, Any]) -> str:
    out = str(ev.get("note", ""))
    if ev.get("text"):
        out += f" — “{_clip(str(ev['text']), 120)}”"
    if ev.get("doc") and ev.get("start") is not None:
        where = "MT" if ev["doc"] == "mt" else str(ev.get("ref_label") or "reference")
        out += f" ({where} {ev.get('start')}–{ev.get('end')})"
    return out


def _ref_index(ev: Mapping[str, Any]) -> int:
    """Which reference an evidence piece is in (0, the one shown, when the check had one)."""
    try:
        return int(ev.get("ref_index") or 0)
    except (TypeError, ValueError):
        return -1


def _label_references(flags: list[dict[str, Any]], refs: Sequence[Mapping[str, Any]]) -> None:
    """Name the reference of each reference evidence piece of a multi-reference check ("reference 2
    · id"), so evidence in a reference the page does not show is not read against the one it shows."""
    if len(refs) <= 1:
        return
    for f in flags:
        evidence = []
        for ev in f.get("evidence") or ():
            if isinstance(ev, Mapping) and ev.get("doc") == "ref":
                k = _ref_index(ev)
                rid = refs[k].get("id", "?") if 0 <= k < len(refs) else "?"
                ev = {**ev, "ref_label": f"reference {k + 1} · {rid}" if k >= 0 else "reference ?"}
            evidence.append(ev)
        f["evidence"] = evidence


def _links_of(alignment: Mapping[str, Any]) -> list[dict[str, Any]]:
    links = []
    for lk in alignment.get("links") or ():
        links.append(
            {
                "mt": [int(i) for i in lk.get("mt", ())],
                "ref": [int(j) for j in lk.get("ref", ())],
                "score": lk.get("score"),
            }
        )
    return links


def _side_html(
    doc: str,
    text: str,
    side: Mapping[str, Any],
    links: list[dict[str, Any]],
    unmatched: set[int],
    flags: Sequence[Mapping[str, Any]],
    evidence: Sequence[tuple[int, int, int, str]],
    has_other: bool,
) -> Markup:
    """One article with boilerplate, sentences, flags and evidence spans laid over its text."""
    n = len(text)
    other = "reference" if doc == "mt" else "MT"
    label = "MT" if doc == "mt" else "Reference"
    boiler = list(side.get("boilerplate") or ())
    sentences = list(side.get("sentences") or ())
    partners: dict[int, list[tuple[list[int], Any]]] = {}
    for lk in links:
        for i in lk[doc]:
            partners.setdefault(i, []).append((lk["ref" if doc == "mt" else "mt"], lk.get("score")))

    def bp_open(keys: tuple[int, ...]) -> tuple[str, str]:
        kinds = sorted({str(boiler[k].get("kind", "boilerplate")) for k in keys})
        tip = _tip("boilerplate: " + ", ".join(kinds))
        ids = " ".join(str(k) for k in keys)
        return f'<span class="bp" data-bp="{ids}" title="{tip}">', "</span>"

    def s_open(keys: tuple[int, ...]) -> tuple[str, str]:
        cls = "s"
        tips = []
        for k in keys:
            if k in partners:
                for idx, score in partners[k]:
                    nums = ", ".join(str(x + 1) for x in idx)
                    sc = f" (similarity {score:.2f})" if isinstance(score, int | float) else ""
                    tips.append(f"{label} sentence {k + 1} ↔ {other} sentence {nums}{sc}")
            elif has_other:
                tips.append(f"{label} sentence {k + 1}: no counterpart in the {other}")
            else:
                tips.append(f"{label} sentence {k + 1}")
        if has_other and any(k in unmatched or k not in partners for k in keys):
            cls += " unmatched"
        ids = " ".join(str(k) for k in keys)
        tip = _tip("\n".join(tips))
        return f'<span class="{cls}" data-doc="{doc}" data-s="{ids}" title="{tip}">', "</span>"

    def f_open(keys: tuple[int, ...]) -> tuple[str, str]:
        sev = "major" if any(flags[k].get("severity") == "major" for k in keys) else "minor"
        kinds = " ".join(sorted({_css_token(str(flags[k].get("kind", ""))) for k in keys}))
        tip = _tip("\n\n".join(_flag_tip(flags[k], k + 1) for k in keys))
        ids = " ".join(str(k) for k in keys)
        return (
            f'<mark class="flag sev-{sev}" data-flags="{ids}" data-kinds="{kinds}" title="{tip}" tabindex="0">',
            "</mark>",
        )

    def ev_open(keys: tuple[int, ...]) -> tuple[str, str]:
        notes = sorted({evidence[k][3] for k in keys})
        tip = _tip("\n".join(notes))
        fl = " ".join(sorted({str(evidence[k][2]) for k in keys}, key=int))
        return f'<span class="ev" data-ev="{fl}" title="{tip}">', "</span>"

    layers = [
        Layer(clamp_items([(b.get("start", 0), b.get("end", 0)) for b in boiler], n), bp_open),
        Layer(clamp_items([(s.get("start", 0), s.get("end", 0)) for s in sentences], n), s_open),
        Layer(clamp_items([(f.get("start", 0), f.get("end", 0)) for f in flags], n), f_open),
        Layer(clamp_items([(e[0], e[1]) for e in evidence], n), ev_open),
    ]
    return Markup(render_layers(text, layers))  # noqa: S704 - render_layers escapes all text


def _css_token(s: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in s) or "_"


def _evidence_spans(flags: Sequence[Mapping[str, Any]], doc: str) -> list[tuple[int, int, int, str]]:
    out = []
    for k, flag in enumerate(flags):
        for ev in flag.get("evidence") or ():
            if (
                ev.get("doc") == doc
                and isinstance(ev.get("start"), int)
                and isinstance(ev.get("end"), int)
                and (doc != "ref" or _ref_index(ev) == 0)  # the page shows the first reference only
            ):
                note = f"evidence for flag #{k + 1} ({flag.get('kind', '?')}): {ev.get('note', '')}"
                out.append((ev["start"], ev["end"], k + 1, note))
    return out


_SCORE_NAMES = {"chrf": "chrF", "bleu": "BLEU", "ter": "TER", "comet": "COMET"}


def _score_name(name: str) -> str:
    return _SCORE_NAMES.get(name.lower(), name.replace("_", " "))


def _score_rows(scores: Mapping[str, Any]) -> list[dict[str, str]]:
    """Scores of any shape the checker emits: numbers, {score, signature, ...} dicts, a signatures map.

    Scores that were not computed (null) are left out; `_missing_scores` names them.
    """
    signatures = scores.get("signatures") if isinstance(scores.get("signatures"), Mapping) else {}
    rows = []
    for name, value in scores.items():
        if name == "signatures" or value is None:
            continue
        if isinstance(value, Mapping):
            main = next((value[k] for k in ("score", "value") if k in value), None)
            if main is None and "score" in value:
                continue
            sig = value.get("signature") or signatures.get(name) or ""
            extra = ", ".join(
                f"{k} {_num(v)}"
                for k, v in value.items()
                if k not in ("score", "value", "signature") and isinstance(v, int | float | str)
            )
            rows.append(
                {"name": _score_name(str(name)), "value": _num(main), "signature": str(sig), "extra": extra}
            )
        elif isinstance(value, int | float | str):
            rows.append(
                {
                    "name": _score_name(str(name)),
                    "value": _num(value),
                    "signature": str(signatures.get(name, "")),
                    "extra": "",
                }
            )
        else:
            rows.append(
                {
                    "name": _score_name(str(name)),
                    "value": _clip(json.dumps(_json_safe(value), ensure_ascii=False), 200),
                    "signature": "",
                    "extra": "",
                }
            )
    return rows


def _missing_scores(scores: Mapping[str, Any]) -> list[str]:
    return [
        _score_name(str(k))
        for k, v in scores.items()
        if k != "signatures" and (v is None or (isinstance(v, Mapping) and v.get("score", 0) is None))
    ]


def _flag_counts(flags: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    by = Counter((str(f.get("kind", "?")), str(f.get("severity", "?"))) for f in flags)
    kinds = sorted({k for k, _ in by})
    sevs = [s for s in SEVERITY_ORDER if any(s == v for _, v in by)]
    sevs += sorted({v for _, v in by} - set(sevs))
    rows = [
        {"kind": k, "cells": [by.get((k, s), 0) for s in sevs], "total": sum(by.get((k, s), 0) for s in sevs)}
        for k in kinds
    ]
    totals = [sum(by.get((k, s), 0) for k in kinds) for s in sevs]
    return {"severities": sevs, "rows": rows, "totals": totals, "total": len(flags)}


def _clean_flag(flag: Mapping[str, Any]) -> dict[str, Any]:
    """A flag with integer offsets whatever the producer sent (bad offsets become an empty span).

    Negative offsets are clamped to 0 as the highlight clamps them: Python would slice them from
    the end, and the flag list would name other text than the article view highlights.
    """
    out = dict(flag)
    for key in ("start", "end"):
        try:
            out[key] = max(0, int(out.get(key) or 0))
        except (TypeError, ValueError):
            out[key] = 0
    out["end"] = max(out["start"], out["end"])
    return out


def render_pair(
    check: Mapping[str, Any],
    mt_text: str,
    ref_text: str | None = None,
    *,
    similarity: Sequence[Sequence[float]] | None = None,
    title: str | None = None,
    limits: Limits = Limits(),
) -> str:
    """The report of one checked article (dedup.check/1 dict), with its reference when it has one.

    The similarity matrix comes from `similarity=` or else `check["alignment"]["similarity"]`.
    """
    mt = check.get("mt") or {}
    ref = check.get("ref") if ref_text is not None else None
    ref = ref or ({} if ref_text is not None else None)
    alignment = check.get("alignment") or {}
    links = _links_of(alignment)
    flags = sorted((_clean_flag(f) for f in check.get("flags") or ()), key=lambda f: (f["start"], f["end"]))
    refs = [r for r in check.get("refs") or () if isinstance(r, Mapping)]
    _label_references(flags, refs)
    has_ref = ref_text is not None
    unmatched_mt = {int(i) for i in alignment.get("unaligned_mt") or ()}
    unmatched_ref = {int(i) for i in alignment.get("unaligned_ref") or ()}
    mt_html = _side_html("mt", mt_text, mt, links, unmatched_mt, flags, _evidence_spans(flags, "mt"), has_ref)
    ref_html = (
        _side_html("ref", ref_text, ref or {}, links, unmatched_ref, [], _evidence_spans(flags, "ref"), True)
        if has_ref and ref_text is not None
        else None
    )
    sim = similarity if similarity is not None else alignment.get("similarity")
    linked = {(i, j) for lk in links for i in lk["mt"] for j in lk["ref"]}
    svg, more_rows, more_cols = (
        heatmap_svg(sim, linked, max_cells=limits.heatmap_cells)
        if sim is not None and len(sim)
        else (Markup(""), 0, 0)
    )

    mt_sent = [mt_text[s.get("start", 0) : s.get("end", 0)] for s in mt.get("sentences") or ()]
    ref_sent = (
        [ref_text[s.get("start", 0) : s.get("end", 0)] for s in (ref or {}).get("sentences") or ()]
        if ref_text
        else []
    )
    pairs = []
    for lk in links[: limits.aligned_pairs]:
        pairs.append(
            {
                "mt": lk["mt"],
                "ref": lk["ref"],
                "score": lk.get("score"),
                "mt_n": ", ".join(str(i + 1) for i in lk["mt"]),
                "ref_n": ", ".join(str(j + 1) for j in lk["ref"]),
                "mt_text": " ".join(mt_sent[i] for i in lk["mt"] if 0 <= i < len(mt_sent)),
                "ref_text": " ".join(ref_sent[j] for j in lk["ref"] if 0 <= j < len(ref_sent)),
            }
        )
    flag_rows = []
    for k, f in enumerate(flags[: limits.flags_listed]):
        flag_rows.append(
            {
                "n": k + 1,
                "kind": str(f.get("kind", "?")),
                "css_kind": _css_token(str(f.get("kind", ""))),
                "severity": str(f.get("severity", "?")),
                "confidence": f.get("confidence"),
                "start": f.get("start"),
                "end": f.get("end"),
                "text": mt_text[f["start"] : f["end"]],
                "mismatch": f.get("text") is not None and f.get("text") != mt_text[f["start"] : f["end"]],
                "message": str(f.get("message", "")),
                "evidence": [_evidence_str(ev) for ev in f.get("evidence") or ()],
            }
        )
    island = {
        "schema": REPORT_SCHEMA,
        "kind": "pair",
        "check": {k: v for k, v in check.items() if k != "alignment"},
        "alignment": {
            "links": links,
            "unaligned_mt": sorted(unmatched_mt),
            "unaligned_ref": sorted(unmatched_ref),
        },
    }
    verdict = str(check.get("verdict") or "n/a")
    ctx = {
        "page_title": title or ("dedup report: " + (_title_of(mt, mt_text) or str(mt.get("id", "article")))),
        "mt_id": str(mt.get("id", "mt")),
        "ref_id": str((ref or {}).get("id", "ref")) if has_ref else "",
        "other_refs": [str(r.get("id", "?")) for r in refs[1:]] if has_ref else [],
        "mt_title": _title_of(mt, mt_text),
        "ref_title": _title_of(ref, ref_text) if ref_text else "",
        "mt_lang": str(mt.get("lang", "")),
        "ref_lang": str((ref or {}).get("lang", "")) if has_ref else "",
        "verdict": verdict,
        "verdict_css": _css_token(verdict.lower()),
        "reasons": [str(r) for r in check.get("reasons") or ()],
        "scores": _score_rows(check.get("scores") or {}),
        "missing_scores": _missing_scores(check.get("scores") or {}),
        "counts": _flag_counts(flags),
        "flags": flag_rows,
        "flags_more": max(0, len(flags) - limits.flags_listed),
        "n_flags": len(flags),
        "kinds": sorted({r["kind"] for r in flag_rows}),
        "mt_html": mt_html,
        "ref_html": ref_html,
        "has_ref": has_ref,
        "n_mt": len(mt_sent),
        "n_ref": len(ref_sent),
        "n_links": len(links),
        "n_unmatched_mt": len(unmatched_mt),
        "n_unmatched_ref": len(unmatched_ref),
        "heatmap": svg,
        "heatmap_more": (more_rows, more_cols),
        "pairs": pairs,
        "pairs_more": max(0, len(links) - limits.aligned_pairs),
        "data": data_island(island),
        "schema": check.get("schema", ""),
    }
    return _page("pair.html.j2", "pair.js.j2", ctx)


# ---------------------------------------------------------------- corpus report


def _shell_path(path: Any) -> str:
    """A path as one shell word that no command reads as an option (a file may be named "-rf.txt")."""
    p = str(path)
    return shlex.quote("./" + p if p.startswith("-") else p)


def _earliest(members: Sequence[str], order: Mapping[str, int], published: Mapping[str, str]) -> str:
    """The member published first; input order breaks ties and stands in for a missing date."""
    return min(members, key=lambda m: (published.get(m) or "9999", order.get(m, len(order)), m))


def render_corpus(
    scan: Mapping[str, Any] | None,
    texts: Mapping[str, str] | None = None,
    checks: Mapping[str, Mapping[str, Any]] | None = None,
    pair_checks: Sequence[Mapping[str, Any]] = (),
    *,
    meta: Mapping[str, Mapping[str, Any]] | None = None,
    errors: Sequence[str] = (),
    title: str = "dedup corpus report",
    limits: Limits = Limits(),
) -> str:
    """The report of a corpus: duplicate clusters (dedup.scan/1), per-article flags, checked pairs.

    `texts` maps article id to original text (for titles and diffs); `checks` maps article id to
    its dedup.check/1 dict (checked without a reference); `pair_checks` are dedup.check/1 dicts of
    article pairs; `meta` maps id to extra fields (title, published, lang, origin); `errors` are
    inputs that could not be read, listed at the end.
    """
    scan = scan or {}
    texts = texts or {}
    checks = checks or {}
    meta = meta or {}
    docs_in = [
        d for d in scan.get("documents") or () if d.get("id") is not None and d.get("status") != "error"
    ]
    load_errors = [
        f"{d.get('origin', '?')}: {d.get('error', 'could not be read')}"
        for d in scan.get("documents") or ()
        if d.get("status") == "error" or d.get("id") is None
    ]
    ids = [str(d.get("id")) for d in docs_in]
    for i in list(texts) + list(checks):
        if i not in ids:
            ids.append(i)
    docs_by = {str(d.get("id")): d for d in docs_in}
    order = {i: k for k, i in enumerate(ids)}
    published = {
        i: str((meta.get(i) or {}).get("published") or (docs_by.get(i) or {}).get("published") or "")
        for i in ids
    }

    clusters = [c for c in scan.get("clusters") or () if len(c.get("members") or ()) >= 2]
    member_of: dict[str, dict[str, str]] = {}
    for c in clusters:
        for m in c.get("members") or ():
            member_of.setdefault(str(m), {})[str(c.get("level", "?"))] = str(c.get("id"))

    def lang_of(i: str) -> str:
        for src in (meta.get(i) or {}, docs_by.get(i) or {}, (checks.get(i) or {}).get("mt") or {}):
            if src.get("lang"):
                return str(src["lang"])
        return "und"

    def title_of(i: str) -> str:
        m = meta.get(i) or {}
        return (
            _clip(str(m["title"]), 120)
            if m.get("title")
            else _clip(_title_of(docs_by.get(i), texts.get(i, "")), 120)
        )

    rows = []
    for i in ids:
        chk = checks.get(i) or {}
        fl = list(chk.get("flags") or ())
        sev = Counter(str(f.get("severity", "?")) for f in fl)
        rows.append(
            {
                "id": i,
                "title": title_of(i),
                "lang": lang_of(i),
                "length": len(texts[i]) if i in texts else (docs_by.get(i) or {}).get("length", ""),
                "copy": member_of.get(i, {}).get("copy", ""),
                "story": member_of.get(i, {}).get("story", ""),
                "major": sev.get("major", 0),
                "minor": sev.get("minor", 0),
                "flags": len(fl),
                "verdict": str(chk.get("verdict") or ""),
            }
        )

    levels = []
    for level in ("copy", "story"):
        cl = sorted(
            (c for c in clusters if c.get("level") == level),
            key=lambda c: (-len(c.get("members") or ()), str(c.get("id"))),
        )
        shown = []
        for c in cl[: limits.clusters]:
            members = [str(m) for m in c.get("members") or ()]
            first = _earliest(members, order, published)
            pairs = sorted(
                (
                    {"a": str(p.get("a")), "b": str(p.get("b")), "similarity": p.get("similarity")}
                    for p in c.get("pairs") or ()
                ),
                key=lambda p: (-(p["similarity"] or 0), p["a"], p["b"]),
            )
            to_first = {}
            for p in pairs:
                if p["a"] == first:
                    to_first[p["b"]] = p["similarity"]
                elif p["b"] == first:
                    to_first[p["a"]] = p["similarity"]
            ordered = [first] + sorted(
                (m for m in members if m != first), key=lambda m: (order.get(m, 1 << 30), m)
            )
            diffs = []
            if level == "copy" and first in texts:
                for m in ordered[1 : 1 + limits.diffs]:
                    if m in texts:
                        diffs.append(
                            {"id": m, "diff": word_diff(texts[first], texts[m], max_hunks=limits.diff_hunks)}
                        )
            sims = [p["similarity"] for p in pairs if isinstance(p["similarity"], int | float)]
            shown.append(
                {
                    "id": str(c.get("id")),
                    "level": level,
                    "first": first,
                    "members": [
                        {
                            "id": m,
                            "title": title_of(m),
                            "lang": lang_of(m),
                            "sim": to_first.get(m),
                            "first": m == first,
                        }
                        for m in ordered[: limits.members]
                    ],
                    "members_more": max(0, len(ordered) - limits.members),
                    "size": len(members),
                    "pairs": pairs[: limits.pairs],
                    "pairs_more": max(0, len(pairs) - limits.pairs),
                    "max_sim": max(sims) if sims else None,
                    "min_sim": min(sims) if sims else None,
                    "diffs": diffs,
                    "diffs_more": max(0, len(ordered) - 1 - limits.diffs) if level == "copy" else 0,
                    "search": " ".join(
                        [m[:ID_SHOWN] for m in ordered[: limits.members]] + [title_of(m) for m in ordered[:3]]
                    ).lower(),
                    "langs": " ".join(sorted({lang_of(m) for m in members})),
                }
            )
        levels.append(
            {"level": level, "clusters": shown, "more": max(0, len(cl) - limits.clusters), "total": len(cl)}
        )

    flagged = []
    for i in ids:
        chk = checks.get(i)
        if not chk or not chk.get("flags"):
            continue
        text = texts.get(i, "")
        items = []
        clean = sorted((_clean_flag(f) for f in chk["flags"]), key=lambda f: (f["start"], f["end"]))
        for f in clean[: limits.flags_per_article]:
            s, e = f["start"], f["end"]
            items.append(
                {
                    "kind": str(f.get("kind", "?")),
                    "severity": str(f.get("severity", "?")),
                    "message": str(f.get("message", "")),
                    "before": ("…" if s > 40 else "") + text[max(0, s - 40) : s].replace("\n", " "),
                    "text": text[s:e] if text else str(f.get("text", "")),
                    "after": text[e : e + 40].replace("\n", " ") + ("…" if e + 40 < len(text) else ""),
                }
            )
        flagged.append(
            {
                "id": i,
                "title": title_of(i),
                "verdict": str(chk.get("verdict") or ""),
                "verdict_css": _css_token(str(chk.get("verdict") or "").lower()),
                "shown": items,
                "more": max(0, len(chk["flags"]) - limits.flags_per_article),
            }
        )
    flagged.sort(key=lambda r: (-len(checks[r["id"]]["flags"]), order.get(r["id"], 0)))

    pcs = []
    for pc in list(pair_checks)[: limits.pair_checks]:
        fl = list(pc.get("flags") or ())
        mt_id, ref_id = str((pc.get("mt") or {}).get("id", "?")), str((pc.get("ref") or {}).get("id", "?"))
        mt_origin, ref_origin = (meta.get(mt_id) or {}).get("origin"), (meta.get(ref_id) or {}).get("origin")
        pcs.append(
            {
                "command": (
                    f"dedup report {_shell_path(mt_origin)} --ref {_shell_path(ref_origin)} -o reports/pair.html"
                    if mt_origin and ref_origin and ":" not in str(mt_origin) + str(ref_origin)
                    else ""
                ),
                "mt": str((pc.get("mt") or {}).get("id", "?")),
                "ref": str((pc.get("ref") or {}).get("id", "?")),
                "verdict": str(pc.get("verdict") or "n/a"),
                "verdict_css": _css_token(str(pc.get("verdict") or "na").lower()),
                "scores": _score_rows(pc.get("scores") or {}),
                "counts": _flag_counts(fl),
                "top": [
                    {
                        "kind": str(f.get("kind", "?")),
                        "severity": str(f.get("severity", "?")),
                        "text": str(f.get("text", "")),
                        "message": str(f.get("message", "")),
                    }
                    for f in fl[:5]
                ],
                "more": max(0, len(fl) - 5),
            }
        )

    all_flags = [f for c in checks.values() for f in c.get("flags") or ()]
    verdicts = Counter(r["verdict"] for r in rows if r["verdict"])
    island = {
        "schema": REPORT_SCHEMA,
        "kind": "corpus",
        "params": scan.get("params") or {},
        "documents": [
            {k: r[k] for k in ("id", "lang", "copy", "story", "flags", "major", "minor", "verdict")}
            for r in rows[: limits.documents]
        ],
    }
    ctx = {
        "page_title": title,
        "n_docs": len(ids),
        "langs": sorted({r["lang"] for r in rows}),
        "lang_counts": sorted(Counter(r["lang"] for r in rows).items(), key=lambda kv: (-kv[1], kv[0])),
        "levels": levels,
        "rows": rows[: limits.documents],
        "rows_more": max(0, len(rows) - limits.documents),
        "flagged": flagged[: limits.flagged_articles],
        "flagged_more": max(0, len(flagged) - limits.flagged_articles),
        "flag_counts": _flag_counts(all_flags),
        "verdicts": sorted(verdicts.items()),
        "pair_checks": pcs,
        "pair_checks_more": max(0, len(pair_checks) - limits.pair_checks),
        "params": json.dumps(scan.get("params") or {}, ensure_ascii=False, sort_keys=True, indent=2),
        "has_scan": bool(scan),
        "has_checks": bool(checks),
        "errors": [str(e) for e in errors] + load_errors,
        "data": data_island(island),
    }
    return _page("corpus.html.j2", "corpus.js.j2", ctx)


_GLUE = ("check_json", "report_corpus", "report_pair", "scan_json")


def __getattr__(name: str) -> Any:
    """The library glue (check, scan, then render) lives in build.py; reachable from here too."""
    if name in _GLUE:
        from dedup.render import build

        return getattr(build, name)
    raise AttributeError(name)


__all__ = ["Limits", "data_island", "render_corpus", "render_pair"]
