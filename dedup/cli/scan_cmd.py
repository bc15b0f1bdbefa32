"""`dedup scan`: which articles are copies of each other (or of indexed ones), and which tell the same story."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

from dedup.align.embed import EmbeddingsUnavailable
from dedup.cli.app import app
from dedup.cli.common import (
    EXIT_INPUT,
    Format,
    FormatOpt,
    InfraError,
    InputError,
    check_index_folder,
    emit_json,
    emit_jsonl,
    emit_text,
    exit_on_error,
    load_inputs,
    resolve_format,
    writing_stdout,
)
from dedup.near.alloc import keep_freed_memory
from dedup.near.index import IndexMismatch, IndexUnavailable, open_index
from dedup.near.index import dry_run as dry_run_index
from dedup.near.level import Level
from dedup.near.scan import LevelUnavailable, ScanResult, no_gc, scan


class Engine(str, Enum):
    local = "local"
    spark = "spark"


class LevelChoice(str, Enum):
    copy = "copy"
    story = "story"
    both = "both"


def parse_threshold(value: str | None) -> float | dict[str, float] | None:
    """ "0.6" for the chosen level, or "copy=0.6,story=0.3" per level."""
    if value is None or not value.strip():
        return None
    try:
        if "=" not in value:
            t = float(value)
            if not 0.0 <= t <= 1.0:
                raise ValueError
            return t
        out: dict[str, float] = {}
        for part in value.split(","):
            name, _, num = part.partition("=")
            t = float(num)
            if name.strip() not in ("copy", "story") or not 0.0 <= t <= 1.0 or name.strip() in out:
                raise ValueError  # a level named twice is ambiguous, not "the last one wins"
            out[name.strip()] = t
        return out
    except ValueError:
        raise InputError(
            f"invalid --threshold {value!r}: use a number in [0, 1], or copy=0.6,story=0.3"
        ) from None


class _Progress:
    """A one-line progress display on stderr (only used when stderr is a terminal)."""

    def __init__(self) -> None:
        self.last = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        line = f"\r{stage:<14} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}"
        if line != self.last:
            sys.stderr.write(line)
            sys.stderr.flush()
            self.last = line

    def close(self) -> None:
        if self.last:
            sys.stderr.write("\r" + " " * len(self.last) + "\r")
            sys.stderr.flush()


def render_table(result: ScanResult) -> str:
    docs = result.documents
    lines: list[str] = []
    by_level: dict[str, int] = {}
    for c in result.clusters:
        by_level[c.level] = by_level.get(c.level, 0) + 1
    levels = (
        ", ".join(f"{n} {lv} cluster{'s' if n != 1 else ''}" for lv, n in by_level.items()) or "no clusters"
    )
    lines.append(f"{len(docs)} input(s), {levels}")
    for c in result.clusters:
        sims = [p.similarity for p in c.pairs]
        lo = f"{min(sims):.3f}" if sims else "-"
        lines.append(f"\n[{c.level}] {c.id}  ({len(c.members)} members, min similarity {lo})")
        for m in c.members:
            lines.append(f"  {m}")
    bad = [d for d in docs if d.status != "ok"]
    if bad:
        lines.append("\nnot sketched:")
        for d in bad:
            why = d.error or "no words left after boilerplate removal"
            lines.append(f"  {d.id or d.origin}: {d.status}: {why}")
    return "\n".join(lines) + "\n"


def story_levels(level: LevelChoice, embeddings: bool) -> str | list[str | Level]:
    """The `level` argument for `scan`: names, with the story level built with embeddings if asked.

    The extra is checked here, before any input is read, so a missing install fails fast."""
    if not embeddings:
        return level.value
    if level is LevelChoice.copy:
        raise InputError("--embeddings applies to the story level: use --level story or --level both")
    try:
        from dedup.near.story import StoryLevel

        story = StoryLevel(embeddings=True)
    except EmbeddingsUnavailable as err:
        raise InfraError(str(err)) from err
    return ["copy", story] if level is LevelChoice.both else [story]


@app.command("scan")
def scan_cmd(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="Files, folders, .jsonl files, or - for JSONL on stdin."),
    ],
    level: Annotated[
        LevelChoice, typer.Option("--level", "-l", help="copy (republished), story (same event) or both.")
    ] = LevelChoice.copy,
    threshold: Annotated[
        str | None,
        typer.Option(
            "--threshold",
            "-t",
            help="Verify threshold: one number for every level scanned (with --level both, for both), "
            "or per level: copy=0.6,story=0.3.",
        ),
    ] = None,
    index: Annotated[
        str | None,
        typer.Option(
            "--index",
            "-i",
            help="Persistent index: a file path or sqlite:///path, redis://host:port/db, unix:///path.sock.",
        ),
    ] = None,
    detect_lang: Annotated[
        bool,
        typer.Option(
            "--detect-lang/--no-detect-lang",
            help="Detect the language of articles without a 'lang' field (langdetect, ~8 ms per article).",
        ),
    ] = False,
    embeddings: Annotated[
        bool,
        typer.Option(
            "--embeddings",
            help="Story level: add sentence embeddings to the word similarity (needs the 'embed' extra; slow).",
        ),
    ] = False,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine", help="local (this process) or spark (a Spark batch job; needs the 'spark' extra)."
        ),
    ] = Engine.local,
    spark_master: Annotated[
        str, typer.Option("--spark-master", help="Spark master URL for --engine spark, e.g. local[2].")
    ] = "local[2]",
    lock_wait: Annotated[
        float | None,
        typer.Option(
            "--lock-wait",
            metavar="SECONDS",
            help="With --index: how long to wait for another worker holding the shared index "
            "(default 120), as gate's; then exit code 3, nothing stored.",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="With --index: find copies in the index as usual, store nothing in it.",
        ),
    ] = False,
    fmt: FormatOpt = None,
) -> None:
    """Find copies (republished articles) and same-story articles, in the inputs and in the index."""
    keep_freed_memory()  # this process is ours: spare the scan's batches ~20% of page-fault time
    with exit_on_error():
        thr = parse_threshold(threshold)
        if lock_wait is not None and not lock_wait >= 0:  # nan too: it would wait for ever
            raise InputError("--lock-wait must be 0 or more seconds")
        check_index_folder(index)
        if dry_run and index is None:
            raise InputError("--dry-run goes with --index (without one nothing is stored anyway)")
        levels = story_levels(level, embeddings)
        if engine is Engine.spark:
            if dry_run:
                raise InputError("--dry-run is not available with --engine spark")
            from dedup.cli import spark_cmd

            return spark_cmd.run(ctx, paths, levels, thr, index, detect_lang, fmt, spark_master)
        with no_gc():  # loading creates one object per article and no cycles
            loaded = load_inputs(paths)
        progress = _Progress() if sys.stderr.isatty() else None
        idx = None
        try:
            idx = dry_run_index(index) if dry_run else open_index(index)
            if lock_wait is not None:  # the index's own wait (120 s unless configured) otherwise
                idx.lock_wait = float(lock_wait)
            result = scan(
                loaded,
                level=levels,
                index=idx,
                threshold=thr,
                detect_lang=detect_lang,
                progress=progress,
            )
        except IndexMismatch as err:
            raise InputError(str(err)) from err
        except IndexUnavailable as err:
            raise InfraError(str(err)) from err
        except (LevelUnavailable, EmbeddingsUnavailable) as err:
            raise InfraError(str(err)) from err
        except ValueError as err:
            raise InputError(str(err)) from err
        finally:
            if progress is not None:
                progress.close()
            if idx is not None:
                idx.close()
    out = resolve_format(ctx, fmt)
    with writing_stdout():
        if out is Format.json:
            emit_json(result.to_json())
        elif out is Format.jsonl:
            emit_jsonl(result.to_jsonl_rows())
        else:
            emit_text(render_table(result))
    if loaded.errors:
        raise typer.Exit(EXIT_INPUT)
