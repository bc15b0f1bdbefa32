"""`dedup check`: garbled spans of a machine translation, scores against a reference, a verdict."""

from __future__ import annotations

import math
import sys
from dataclasses import replace
from enum import Enum
from typing import Annotated, Any

import typer

from dedup.align.params import AlignParams
from dedup.check import CheckParams, CheckResult, check_articles
from dedup.cli.app import app
from dedup.cli.common import (
    EXIT_FINDINGS,
    DisableOpt,
    Format,
    FormatOpt,
    InputError,
    MaxPairsOpt,
    RejectPenaltyOpt,
    ReviewPenaltyOpt,
    emit_json,
    emit_jsonl,
    emit_text,
    exit_on_error,
    load_one,
    one_stdin,
    resolve_format,
    writing_stdout,
)
from dedup.garbles.base import load_all
from dedup.load import companions
from dedup.score import VerdictPolicy


class FailOn(str, Enum):
    review = "review"
    reject = "reject"


_RANK = {"accept": 0, "review": 1, "reject": 2}


def _clip(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def render_check_table(result: CheckResult) -> str:
    """Flags (offset, kind, severity, text, message), then scores and the verdict."""
    refs = result.refs or ([result.ref] if result.ref is not None else [])
    out = [f"MT {result.mt.id}" + (f"  REF {', '.join(r.id for r in refs)}" if refs else "  (no reference)")]
    if result.src is not None:
        out[0] += f"  SRC {result.src.id} ({result.src.lang})"
    out.append(f"{len(result.flags)} flag(s)")
    kind_width = max([18, *(len(f.kind) for f in result.flags)])  # a long kind name keeps its column
    for f in result.flags:
        out.append(
            f"  {f.start:>6}-{f.end:<6} {f.kind:<{kind_width}} {f.severity:<5} {f.confidence:4.2f}  "
            f"{_clip(f.text, 30)!r:<32} {f.message}"
        )
    s = result.scores.to_json()
    out.append("")
    out.append("scores:")
    for key in (
        "words",
        "flags",
        "majors",
        "minors",
        "garble_density",
        "penalty",
        "aligned_share",
        "aligned_pairs",
        "chrf",
        "bleu",
        "ter",
        "ter_pairs",
    ):
        value = s[key]
        out.append(f"  {key:<15} {'-' if value is None else value}")
    for key, sig in sorted(s["signatures"].items()):
        out.append(f"  {key} signature: {sig}")
    out.append("")
    out.append(f"verdict: {result.verdict} ({'; '.join(result.reasons)})")
    return "\n".join(out) + "\n"


def _list_detectors() -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "severity": cls.severity,
            "enabled_by_default": cls.enabled_by_default,
            "needs_reference": cls.needs_reference,
            "description": cls.description,
        }
        for name, cls in load_all().items()
    ]


@app.command("check")
def check_cmd(
    ctx: typer.Context,
    mt: Annotated[
        str | None,
        typer.Argument(
            metavar="MT",
            help="The machine-translated article: a file, a .jsonl file with one line, "
            "or - for one JSONL line on stdin.",
        ),
    ] = None,
    ref: Annotated[
        list[str] | None,
        typer.Option(
            "--ref",
            "-r",
            help="An English report of the same story to align and score against (repeatable: with "
            "several, a reference-based flag stands only when no reference agrees with the MT).",
        ),
    ] = None,
    src: Annotated[
        str | None,
        typer.Option(
            "--src",
            help="The source article the MT was translated from (any language): where the MT and a "
            "reference disagree on a figure, a figure the source gives is not flagged.",
        ),
    ] = None,
    fmt: FormatOpt = None,
    fail_on: Annotated[
        FailOn | None, typer.Option("--fail-on", help="Exit 1 when the verdict is this bad or worse.")
    ] = None,
    disable: DisableOpt = None,
    list_detectors: Annotated[
        bool, typer.Option("--list-detectors", help="List the detector families and exit.")
    ] = False,
    review_penalty: ReviewPenaltyOpt = None,
    reject_penalty: RejectPenaltyOpt = None,
    max_pairs: MaxPairsOpt = None,
) -> None:
    """Flag garbled spans in a machine translation, score it against a reference, and give a verdict."""
    out = resolve_format(ctx, fmt)
    if list_detectors:
        rows = _list_detectors()
        with writing_stdout():
            if out is Format.json:
                emit_json({"detectors": rows})
            elif out is Format.jsonl:
                emit_jsonl(rows)
            else:
                width = max(len(r["name"]) for r in rows)
                for r in rows:
                    on = "on " if r["enabled_by_default"] else "off"
                    needs = "ref" if r["needs_reference"] else "   "
                    sys.stdout.write(
                        f"{r['name']:<{width}} {r['severity']:<5} {on} {needs}  {r['description']}\n"
                    )
        return
    with exit_on_error():
        if mt is None:
            raise InputError("missing argument MT (the machine-translated article)")
        known = load_all()
        unknown = sorted(set(disable or ()) - set(known))
        if unknown:
            raise InputError(f"unknown detector(s): {', '.join(unknown)}; known: {', '.join(known)}")
        for name, value in (("--review-penalty", review_penalty), ("--reject-penalty", reject_penalty)):
            if value is not None and not value < math.inf:  # inf is not JSON (the policy is output)
                raise InputError(f"{name} must be a finite number, not {value:g}")
        if review_penalty is not None and reject_penalty is not None and review_penalty > reject_penalty:
            # Both given, in the wrong order: no article could be a review. (One alone may cross the
            # other's default: `--reject-penalty 0.01` is a strict gate, not a mistake.)
            raise InputError(
                f"--review-penalty {review_penalty:g} is above --reject-penalty {reject_penalty:g}: "
                "review comes first"
            )
        one_stdin(MT=mt, ref=ref, src=src)
        mt_article = load_one(mt, "MT").articles[0]
        ref_articles = [load_one(r, "reference").articles[0] for r in ref or ()]
        src_article = load_one(src, "source").articles[0] if src is not None else None
        given = companions(mt_article)  # a JSONL record's own `ref` / `src`, when no option names one
        if not ref_articles and "ref" in given:
            ref_articles = [given["ref"]]
        if src_article is None and "src" in given:
            src_article = given["src"]
        policy = VerdictPolicy()
        if review_penalty is not None:
            policy = replace(policy, review_penalty=review_penalty)
        if reject_penalty is not None:
            policy = replace(policy, reject_penalty=reject_penalty)
        params = CheckParams(policy=policy)
        if max_pairs is not None:
            params = replace(params, align=replace(params.align or AlignParams(), max_pairs=max_pairs))
        result = check_articles(
            mt_article,
            ref_articles[0] if ref_articles else None,
            params=params,
            disable=tuple(disable or ()),
            refs=ref_articles[1:],
            src=src_article,
        )
    with writing_stdout():
        if out is Format.table:
            emit_text(render_check_table(result))
        elif out is Format.jsonl:
            emit_jsonl([result.to_json()])
        else:
            emit_json(result.to_json())
    if fail_on is not None and _RANK[result.verdict] >= _RANK[fail_on.value]:
        raise typer.Exit(EXIT_FINDINGS)
