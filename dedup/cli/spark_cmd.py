"""`dedup scan --engine spark`: the same scan run as a Spark batch job (the optional extra `spark`).

Thin: start (or reuse) a Spark session, call `dedup.spark.spark_scan`, print what `dedup scan`
prints. Not a command of its own: `scan_cmd` hands over to `run` when `--engine spark` is given.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import typer

from dedup.cli.common import (
    EXIT_INPUT,
    Format,
    InfraError,
    InputError,
    emit_json,
    emit_text,
    exit_on_error,
    log,
    resolve_format,
    writing_stdout,
)


def run(
    ctx: typer.Context,
    paths: list[str],
    level: Any,
    threshold: float | dict[str, float] | None,
    index: str | None,
    detect_lang: bool,
    fmt: Format | None,
    master: str,
) -> None:
    """Scan `paths` with Spark on `master`; exit 2 when an input had an error, 3 when Spark is missing."""
    from dedup.spark import SparkUnavailable, local_session, spark_scan

    with exit_on_error():
        if index is not None:
            raise InputError(
                "--index is not available with --engine spark: the Spark runner scans one batch "
                "(drop --index, or use --engine local)"
            )
        try:
            from pyspark.sql import SparkSession

            own = SparkSession.getActiveSession() is None
            # `dedup -q`: errors only, Spark's own start-up WARN lines included.
            quiet = log.getEffectiveLevel() >= logging.ERROR
            spark = local_session(master, log_level="ERROR" if quiet else None)
        except (SparkUnavailable, ImportError) as err:
            raise InfraError(str(err) if isinstance(err, SparkUnavailable) else _missing(err)) from err
        try:
            result = spark_scan(spark, paths, level=level, threshold=threshold, detect_lang=detect_lang)
            _emit(ctx, fmt, result)
            errors = result.rows.where("status = 'error'").select("origin", "error").collect()
        except ValueError as err:
            raise InputError(str(err)) from err
        finally:
            if own:
                spark.stop()
    for row in errors:
        log.error("input error: %s: %s", row.origin, row.error)
    if errors:
        raise typer.Exit(EXIT_INPUT)


def _missing(err: ImportError) -> str:
    from dedup.spark.session import INSTALL_HINT

    return f"the Spark engine needs pyspark ({err}): {INSTALL_HINT} (the optional extra 'spark')"


def _emit(ctx: typer.Context, fmt: Format | None, result: Any) -> None:
    """Print as the local scan does: control characters escaped in the table, and a reader that goes
    away (`| head -1`) is one line on stderr and exit 3, not a traceback."""
    out = resolve_format(ctx, fmt)
    with writing_stdout():
        if out is Format.jsonl:
            for line in result.jsonl_lines():
                sys.stdout.write(line + "\n")
            return
        local = result.to_scan_result()
        if out is Format.json:
            emit_json(local.to_json())
        else:
            from dedup.cli.scan_cmd import render_table

            emit_text(render_table(local))
