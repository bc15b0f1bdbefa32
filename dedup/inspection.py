"""The `inspect` result: what the text pipeline sees, as JSON and as a table a person reads."""

from __future__ import annotations

from typing import Any

from dedup.load import Loaded
from dedup.text import analyze, analyze_lines
from dedup.text.sentences import explain_sentences

SCHEMA = "dedup.inspect/1"


def inspect_many(loaded: Loaded, sentences_per_line: bool = False) -> dict[str, Any]:
    """`{"schema", "documents", "errors"}`; documents in input order, load errors kept."""
    step = analyze_lines if sentences_per_line else analyze
    docs = [step(a) for a in loaded.articles]
    return {
        "schema": SCHEMA,
        "documents": [d.to_json() for d in docs],
        "errors": [e.to_json() for e in loaded.errors],
    }


def _clip(s: str, width: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= width else s[: width - 1] + "…"


def render_inspect_table(loaded: Loaded, result: dict[str, Any]) -> str:
    """Every span in text order, so a person sees why a sentence was cut where it was."""
    out: list[str] = []
    by_id = {a.id: a for a in loaded.articles}
    for d in result["documents"]:
        text = by_id[d["id"]].text
        out.append(
            f"== {d['id']}  lang={d['lang']}  sentences={len(d['sentences'])}  boilerplate={len(d['boilerplate'])}"
        )
        for m in d["metadata"]:
            out.append(f"   metadata {m['kind']}: {m.get('value')!r} [{m['start']}:{m['end']}]")
        for r in d["scripts"]:
            out.append(f"   script {r['script']} [{r['start']}:{r['end']}] {text[r['start'] : r['end']]!r}")
        why = {
            (s, e): r
            for s, e, r in explain_sentences(text, [(b["start"], b["end"]) for b in d["boilerplate"]])
        }
        rows = [
            (s["start"], s["end"], f"S{i} {s['lang']}", why.get((s["start"], s["end"]), ""))
            for i, s in enumerate(d["sentences"])
        ]
        rows += [(b["start"], b["end"], f"B {b['kind']}", "") for b in d["boilerplate"]]
        for s, e, label, reason in sorted(rows):
            cut = f"  [cut: {reason}]" if reason else ""
            out.append(f"{label:>16} {s:>6}-{e:<6} {_clip(text[s:e], 90)}{cut}")
    for e in result["errors"]:
        out.append(f"!! {e['origin']}: {e['message']}")
    return "\n".join(out) + "\n"
