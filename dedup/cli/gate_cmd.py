"""`dedup gate`: the pre-ingest pipeline step, one decision per article (JSONL by default)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dedup.cli.app import app
from dedup.cli.common import (
    EXIT_FINDINGS,
    EXIT_INFRA,
    EXIT_INPUT,
    MAX_LOGGED_ERRORS,
    Format,
    dumps,
    emit_json,
    log,
    writing_stdout,
)
from dedup.gate import GOES_IN, SCHEMA, GateParams, gate, summary
from dedup.load import iter_articles


@app.command("gate")
def gate_cmd(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="Files, folders, .jsonl files, or - for JSONL on stdin."),
    ],
    index: Annotated[
        str | None,
        typer.Option(
            "--index", help="Persistent index across runs: a SQLite path, sqlite:///path, redis://..."
        ),
    ] = None,
    level: Annotated[
        str, typer.Option("--level", help="copy, or both (also report the story cluster).")
    ] = "copy",
    hold: Annotated[
        str, typer.Option("--hold", help="Lowest verdict that holds an article back: review or reject.")
    ] = "review",
    no_check: Annotated[
        bool, typer.Option("--no-check", help="Only deduplicate; skip the garble checks.")
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", help="Processes for the garble checks (0: one per CPU); same decisions."
        ),
    ] = 0,
    lock_wait: Annotated[
        float | None,
        typer.Option(
            "--lock-wait",
            metavar="SECONDS",
            help="How long to wait for another gate worker holding the shared index (default 120); "
            "then the articles not yet decided are errors (exit code 3).",
        ),
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format", "-f", help="Output format on stdout (default: jsonl, or the global --format)."
        ),
    ] = None,
) -> None:
    """Decide, per article, whether it goes in: ingest, update, duplicate, review, reject or error.

    An id already in the index with the same text is a duplicate; with changed text it is judged
    afresh and, when it goes in, is an update that replaces the indexed version. Streams: decisions
    are written as they are made, in input order (JSONL by default). Exit code 0 when everything
    went in (ingest or update), 1 when something was held back, 2 when an input could not be read
    or the index does not match, 3 when the index backend is unreachable (also when it goes away
    during the run: the articles it could not deduplicate get an error decision, nothing is
    left without one).

    Several gate workers may share one index (SQLite file or Redis): each batch's dedup runs while
    the worker holds the index's lock, so copies sent to two workers at once never both go in."""
    from dedup.near.index.base import IndexMismatch, IndexUnavailable

    try:
        params = GateParams(level=level, check=not no_check, hold=hold)
        if jobs < 0:
            raise ValueError("--jobs must be 0 (one per CPU) or more")
        if lock_wait is not None and lock_wait < 0:
            raise ValueError("--lock-wait must be 0 or more seconds")
    except ValueError as err:
        log.error("%s", err)
        raise typer.Exit(EXIT_INPUT) from None
    out = fmt or (ctx.obj or {}).get("format") or Format.jsonl  # a pipeline step: JSONL unless asked
    decisions = []
    down: IndexUnavailable | None = None
    errors = 0
    try:
        with writing_stdout():
            for d in gate(iter_articles(paths), index=index, params=params, jobs=jobs, lock_wait=lock_wait):
                decisions.append(d)
                if d.decision == "error":
                    errors += 1
                    if errors <= MAX_LOGGED_ERRORS:
                        who = f"{d.origin} (id {d.id!r})" if d.id is not None else d.origin
                        log.error("%s: %s", who, "; ".join(d.reasons))
                if out is Format.jsonl:
                    sys.stdout.write(dumps(d.to_json()) + "\n")
                    sys.stdout.flush()
                elif out is Format.table:
                    why = "; ".join(d.reasons)
                    sys.stdout.write(f"{d.decision:<9} {d.id or '-':<30} {why}\n")
    except IndexMismatch as err:
        log.error("%s", err)
        raise typer.Exit(EXIT_INPUT) from None
    except IndexUnavailable as err:
        if not decisions:  # unreachable from the start
            log.error("%s", err)
            raise typer.Exit(EXIT_INFRA) from None
        down = err  # went away during the run: every input still has its decision
    if errors > MAX_LOGGED_ERRORS:
        log.error("... and %d more error decision(s), in the output", errors - MAX_LOGGED_ERRORS)
    counts = summary(decisions)
    if out is Format.json:
        with writing_stdout():
            emit_json(
                {
                    "schema": SCHEMA,
                    "params": params.to_json(),
                    "summary": counts,
                    "decisions": [d.to_json() for d in decisions],
                }
            )
    log.info("gate: %s", ", ".join(f"{k} {v}" for k, v in counts.items()))
    if down is not None:
        log.error("%s; the articles after it were not deduplicated (decision error): send them again", down)
        raise typer.Exit(EXIT_INFRA)
    if counts["error"]:
        raise typer.Exit(EXIT_INPUT)
    if len(decisions) > sum(counts[k] for k in GOES_IN):
        raise typer.Exit(EXIT_FINDINGS)
