"""`dedup inspect`: what the text pipeline sees in each article."""

from __future__ import annotations

from typing import Annotated

import typer

from dedup.cli.app import app
from dedup.cli.common import (
    EXIT_INPUT,
    Format,
    FormatOpt,
    emit_json,
    emit_jsonl,
    emit_text,
    load_inputs,
    resolve_format,
    writing_stdout,
)
from dedup.inspection import inspect_many, render_inspect_table


@app.command("inspect")
def inspect_cmd(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="Files, folders, .jsonl files, or - for JSONL on stdin."),
    ],
    fmt: FormatOpt = None,
    lines: Annotated[
        bool, typer.Option("--sentences-per-line", help="Inputs are one sentence per line; no segmentation.")
    ] = False,
) -> None:
    """Show the language, sentences, boilerplate and metadata the pipeline finds in each article."""
    loaded = load_inputs(paths)
    result = inspect_many(loaded, sentences_per_line=lines)
    out = resolve_format(ctx, fmt)
    with writing_stdout():
        if out is Format.json:
            emit_json(result)
        elif out is Format.jsonl:
            emit_jsonl(result["documents"] + [{"error": e} for e in result["errors"]])
        else:
            emit_text(render_inspect_table(loaded, result))
    if loaded.errors:
        raise typer.Exit(EXIT_INPUT)
