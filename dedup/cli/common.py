"""What every command shares: output formats, exit codes, input loading, stdout/stderr discipline."""

from __future__ import annotations

import json
import logging
import sys
from enum import Enum
from typing import Annotated, Any

import typer

from dedup.load import Loaded, load_articles
from dedup.model import TooLarge

log = logging.getLogger("dedup")

# Documented exit codes (README "Exit codes").
EXIT_OK = 0
EXIT_FINDINGS = 1  # gate: findings held back / verdict failed when asked to fail on it
EXIT_INPUT = 2  # usage or input error (bad article, unreadable file, mismatched index)
EXIT_INFRA = 3  # infrastructure error (index backend unreachable, browser missing, ...)


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


FormatOpt = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="Output format on stdout (default: table, or the global --format)."),
]


class InputError(Exception):
    """An input problem that stops a command (exit code 2)."""


class InfraError(Exception):
    """A backend or tool problem that stops a command (exit code 3)."""


def resolve_format(ctx: typer.Context, fmt: Format | None) -> Format:
    """The command's --format wins over the global one; table by default."""
    if fmt is not None:
        return fmt
    obj = ctx.obj or {}
    return obj.get("format") or Format.table


def dumps(obj: Any) -> str:
    """Deterministic JSON: sorted keys are not used (schemas have an order), but no timestamps, no NaN."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False)


def emit_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False) + "\n")


def emit_jsonl(rows: list[Any]) -> None:
    for row in rows:
        sys.stdout.write(dumps(row) + "\n")


def load_inputs(paths: list[str]) -> Loaded:
    """Load every path; each bad input is logged on stderr and kept in `errors`."""
    loaded = load_articles(paths)
    for err in loaded.errors:
        log.error("input error: %s", err)
    return loaded


def load_one(path: str, what: str = "article") -> Loaded:
    """Exactly one article from PATH, or an InputError that says why not."""
    loaded = load_articles([path])
    if loaded.errors:
        raise InputError(f"{what}: {loaded.errors[0]}")
    if len(loaded.articles) != 1:
        raise InputError(f"{what}: expected exactly one article in {path}, found {len(loaded.articles)}")
    return loaded


def setup_logging(verbose: int, quiet: bool) -> None:
    level = (
        logging.ERROR
        if quiet
        else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    )
    logging.basicConfig(
        level=level, stream=sys.stderr, format="dedup: %(levelname)s: %(message)s", force=True
    )


class exit_on_error:  # noqa: N801 - used as a context manager, reads like a statement
    """Map library exceptions to documented exit codes, with the message on stderr."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> bool:
        if isinstance(exc, InputError | TooLarge):
            log.error("%s", exc)
            raise typer.Exit(EXIT_INPUT)
        if isinstance(exc, InfraError):
            log.error("%s", exc)
            raise typer.Exit(EXIT_INFRA)
        return False
