"""The Typer app and its global options; each command lives in its own module."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dedup import __version__
from dedup.cli.common import EXIT_INFRA, EXIT_INPUT, Format, InfraError, InputError, log, setup_logging

app = typer.Typer(
    name="dedup",
    help=(
        "Find near-duplicate news articles, align a machine-translated article with an English report "
        "of the same story, and flag garbled spans in the translation.\n\n"
        "Exit codes: 0 ok; 1 findings held back / verdict failed (when asked to gate); "
        "2 usage or input error; 3 infrastructure error."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dedup {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="Default output format for every command (when not given: table; gate: jsonl).",
        ),
    ] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More logging on stderr.")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    setup_logging(verbose, quiet)
    ctx.obj = {"format": fmt}


def _register() -> None:
    # Imported for their @app.command side effect; one module per command.
    from dedup.cli import inspect_cmd  # noqa: F401

    for name in ("scan_cmd", "align_cmd", "check_cmd", "report_cmd", "gate_cmd", "index_cmd"):
        try:
            __import__(f"dedup.cli.{name}")
        except ModuleNotFoundError as err:  # a command still being built
            if err.name != f"dedup.cli.{name}":
                raise


_register()


def main() -> None:
    """Console entry point: maps library exceptions to the documented exit codes."""
    try:
        app()
    except InputError as err:
        log.error("%s", err)
        sys.exit(EXIT_INPUT)
    except InfraError as err:
        log.error("%s", err)
        sys.exit(EXIT_INFRA)
