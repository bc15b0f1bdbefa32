"""`dedup report`: a self-contained HTML report of one article pair or of a corpus."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from dedup.cli.app import app
from dedup.cli.common import EXIT_INPUT, InputError, exit_on_error, load_inputs, load_one, log, writing_stdout
from dedup.load import companions
from dedup.render.build import analyze_corpus, report_corpus, report_pair
from dedup.text import analyze


@app.command("report")
def report_cmd(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            help="One MT article (with --ref), or files, folders, .jsonl files for a corpus.",
        ),
    ],
    ref: Annotated[
        list[str] | None,
        typer.Option(
            "--ref",
            "-r",
            help="The English reference article: makes a pair report. Repeat it for several reports of the "
            "story (the first is shown side by side; evidence in the others is labelled).",
        ),
    ] = None,
    src: Annotated[
        str | None,
        typer.Option(
            "--src", help="Pair: the source article the MT was translated from (as `dedup check --src`)."
        ),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the HTML file.")] = Path(
        "reports/report.html"
    ),
    check_pairs: Annotated[
        bool,
        typer.Option(
            "--check-pairs",
            help="Corpus: also check each story-cluster pair (the more garbled article against the other).",
        ),
    ] = False,
    no_check: Annotated[
        bool, typer.Option("--no-check", help="Corpus: only duplicate clusters, no per-article flags.")
    ] = False,
    sentence_languages: Annotated[
        bool,
        typer.Option(
            "--sentence-languages",
            help="Corpus: detect each sentence's language (slower; needed to flag untranslated sentences).",
        ),
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=0, help="Corpus: processes for analysis and checks (0: one per CPU)."
        ),
    ] = 0,
    title: Annotated[str | None, typer.Option("--title", help="Page title.")] = None,
) -> None:
    """Write a self-contained HTML report and print its path.

    A pair with --ref; a corpus otherwise (one file without --ref gives a single-article report).
    """
    with exit_on_error():
        if src is not None and not ref:
            raise InputError("--src goes with --ref (a pair report)")
        if ref:
            if len(paths) != 1:
                raise InputError("--ref takes exactly one MT article")
            corpus_only = [
                name
                for name, given in (
                    ("--check-pairs", check_pairs),
                    ("--no-check", no_check),
                    ("--sentence-languages", sentence_languages),
                    ("--jobs", jobs != 0),
                )
                if given
            ]
            if corpus_only:  # said, not silently dropped: the pair report is checked in full regardless
                log.warning(
                    "%s: corpus report options, ignored in a pair report (--ref)", ", ".join(corpus_only)
                )
            mt_doc = analyze(load_one(paths[0], "MT").articles[0])
            ref_docs = [analyze(load_one(r, "reference").articles[0]) for r in ref]
            src_doc = analyze(load_one(src, "source").articles[0]) if src is not None else None
            html = report_pair(mt_doc, ref_docs[0], refs=ref_docs[1:], title=title, src=src_doc)
            bad_inputs = False
        else:
            loaded = load_inputs(paths)
            if not loaded.articles:
                why = f": {loaded.errors[0]}" if len(loaded.errors) == 1 else ""
                raise InputError(f"no article could be loaded{why}")
            bad_inputs = bool(loaded.errors)
            if len(loaded.articles) == 1 and len(paths) == 1 and not Path(paths[0]).is_dir():
                art = loaded.articles[0]  # a JSONL record's own `ref` / `src` make it a pair report
                given = {key: analyze(a) for key, a in companions(art).items()}
                ref_doc = given.get("ref")
                src_doc = given.get("src") if ref_doc is not None else None
                html = report_pair(analyze(art), ref_doc, title=title, src=src_doc)
            else:
                docs, checks = analyze_corpus(
                    loaded.articles, sentence_languages=sentence_languages, check=not no_check, jobs=jobs
                )
                html = report_corpus(
                    docs,
                    checks=checks,
                    check_articles=not no_check,
                    check_pairs=check_pairs,
                    errors=[str(e) for e in loaded.errors],
                    title=title or f"dedup corpus report: {len(docs)} articles",
                )
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(html, encoding="utf-8")
        except OSError as err:
            raise InputError(f"cannot write {output}: {err}") from err
    log.info("report written to %s (%d bytes)", output, len(html.encode("utf-8")))
    with writing_stdout():  # `dedup report ... | head -0`: one line on stderr, exit 3, no traceback
        sys.stdout.write(f"{output}\n")
    if bad_inputs:
        raise typer.Exit(EXIT_INPUT)
