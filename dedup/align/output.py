"""The `dedup.align/1` JSON document and the plain-text table the CLI prints."""

from __future__ import annotations

from typing import Any

from dedup.model import Alignment, Document

SCHEMA = "dedup.align/1"


def _side(doc: Document) -> dict[str, Any]:
    return {"id": doc.id, "sentences": [{"start": s.start, "end": s.end} for s in doc.sentences]}


def alignment_json(mt_doc: Document, ref_doc: Document, alignment: Alignment) -> dict[str, Any]:
    """Indices in links refer to each side's `sentences` list (boilerplate is not in it).

    Each link's `mt` and `ref` lists are sorted. They are usually runs of adjacent sentences,
    but in order-free mode a `ref` list may have gaps: one MT sentence whose content the other
    outlet tells in two places (see `core.join_apart`).
    """
    return {
        "schema": SCHEMA,
        "ref": _side(ref_doc),
        "mt": _side(mt_doc),
        "links": [lk.to_json() for lk in alignment.links],
        "unaligned_mt": list(alignment.unaligned_mt),
        "unaligned_ref": list(alignment.unaligned_ref),
        "params": dict(alignment.params),
    }


def _clip(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def render_table(mt_doc: Document, ref_doc: Document, alignment: Alignment, width: int = 60) -> str:
    """Each link with its score and both texts, then the sentences without a counterpart."""
    mt_t, ref_t = mt_doc.sentence_texts(), ref_doc.sentence_texts()
    lines = [
        f"MT {mt_doc.id}: {len(mt_t)} sentences; REF {ref_doc.id}: {len(ref_t)} sentences; "
        f"{len(alignment.links)} links",
        "",
    ]
    for lk in alignment.links:
        mt_ids = ",".join(str(i) for i in lk.mt)
        ref_ids = ",".join(str(j) for j in lk.ref)
        lines.append(f"{lk.score:6.3f}  mt[{mt_ids}] -> ref[{ref_ids}]")
        lines.append(f"        MT : {_clip(' '.join(mt_t[i] for i in lk.mt), width * 2)}")
        lines.append(f"        REF: {_clip(' '.join(ref_t[j] for j in lk.ref), width * 2)}")
    lines.append("")
    lines.append(f"Unmatched MT sentences ({len(alignment.unaligned_mt)}):")
    lines.extend(f"  mt[{i}]  {_clip(mt_t[i], width * 2)}" for i in alignment.unaligned_mt)
    lines.append(f"Unmatched REF sentences ({len(alignment.unaligned_ref)}):")
    lines.extend(f"  ref[{j}]  {_clip(ref_t[j], width * 2)}" for j in alignment.unaligned_ref)
    return "\n".join(lines) + "\n"
