"""What every command shares: output formats, exit codes, input loading, stdout/stderr discipline."""

from __future__ import annotations

import errno
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
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
# The check's switches, shared by `check` and `gate` (which checks every article it lets through).
DisableOpt = Annotated[
    list[str] | None,
    typer.Option("--disable", metavar="KIND", help="A detector family to switch off (repeatable)."),
]
ReviewPenaltyOpt = Annotated[
    float | None,
    typer.Option("--review-penalty", min=0.0, help="Weighted penalty per 100 words that means review."),
]
MaxPairsOpt = Annotated[
    int | None,
    typer.Option(
        "--max-pairs", min=1, help="Largest MT x reference sentence count aligned (default 4,000,000)."
    ),
]
RejectPenaltyOpt = Annotated[
    float | None,
    typer.Option("--reject-penalty", min=0.0, help="Weighted penalty per 100 words that means reject."),
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
    # Streamed piece by piece, not built as one string: less memory for a big corpus, and a reader
    # that goes away is noticed (one huge write to a closed pipe is cut short without an error).
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, allow_nan=False)
    sys.stdout.write("\n")


# Control characters an article may carry (ANSI escapes, a lone CR, backspace) would act on the
# terminal a table is read in; tables show them as escapes (JSON output escapes them itself).
_TABLE_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if chr(c) not in "\n\t"}


def emit_text(text: str, piece: int = 1 << 16) -> None:
    """A table as it is printed: control characters shown as escapes, written in pieces (for the
    same reason as `emit_json`)."""
    text = text.translate(_TABLE_CONTROLS)
    for i in range(0, len(text), piece):
        sys.stdout.write(text[i : i + piece])


def emit_jsonl(rows: list[Any]) -> None:
    for row in rows:
        sys.stdout.write(dumps(row) + "\n")


MAX_LOGGED_ERRORS = 20  # bad inputs named one by one on stderr; the rest counted (all are in the output)


def load_inputs(paths: list[str]) -> Loaded:
    """Load every path; each bad input is kept in `errors`, and named on stderr (the first
    `MAX_LOGGED_ERRORS`, then a count: a broken million-line file does not flood the terminal)."""
    loaded = load_articles(paths)
    for err in loaded.errors[:MAX_LOGGED_ERRORS]:
        log.error("input error: %s", err)
    if len(loaded.errors) > MAX_LOGGED_ERRORS:
        log.error("... and %d more input error(s), in the output", len(loaded.errors) - MAX_LOGGED_ERRORS)
    return loaded


def load_one(path: str, what: str = "article") -> Loaded:
    """Exactly one article from PATH, or an InputError that says why not."""
    loaded = load_articles([path])
    if loaded.errors:
        raise InputError(f"{what}: {loaded.errors[0]}")
    if len(loaded.articles) != 1:
        raise InputError(f"{what}: expected exactly one article in {path}, found {len(loaded.articles)}")
    return loaded


def check_index_folder(index: str | None) -> None:
    """An InputError (exit code 2) when `--index` names an SQLite file in a folder that does not
    exist: the user named a place that is not there, as with a missing input file (it was exit
    code 3, "infrastructure"). Creating the file in an existing folder is fine; backends with a
    server (Redis) are left to say whether they can be reached."""
    from dedup.near.index import sqlite_path

    path = sqlite_path(index)
    if path is None:
        return
    folder = path.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise InputError(f"index {path}: folder {folder} {what} (an index file is created, not its folder)")


def one_stdin(**inputs: str | list[str] | None) -> None:
    """stdin can be read once: an InputError when two inputs name it ("-"), instead of the second
    finding nothing there."""
    named = [k for k, v in inputs.items() for x in ([v] if isinstance(v, str) else v or ()) if x == "-"]
    if len(named) > 1:
        raise InputError(f"stdin (-) can be read only once, and is given for {' and '.join(named)}")


def setup_logging(verbose: int, quiet: bool) -> None:
    level = (
        logging.ERROR
        if quiet
        else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    )
    logging.basicConfig(
        level=level, stream=sys.stderr, format="dedup: %(levelname)s: %(message)s", force=True
    )


def discard_stdout() -> None:
    """stdout pointed at /dev/null: the interpreter's last flush does not fail again, and what is
    still buffered (a decision line cut short) never completes after its decision was withdrawn."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (a test runner's buffer): nothing to flush
        pass


def stdout_closed() -> None:
    """The reader of stdout went away (`dedup scan ... | head -1`): say so in one line and exit 3,
    not with a traceback, nor with click's exit code 1 (which here means "findings")."""
    discard_stdout()
    log.error("stdout was closed before the output was complete (broken pipe)")
    raise typer.Exit(EXIT_INFRA)


def stdout_failed(err: OSError) -> None:
    """stdout could not be written (a full disk, an I/O error): one line and exit 3, as for a
    closed pipe. It was a traceback and exit code 1, which here means "findings"."""
    discard_stdout()
    log.error("stdout could not be written, the output is incomplete: %s", err.strerror or err)
    raise typer.Exit(EXIT_INFRA)


@contextmanager
def writing_stdout() -> Iterator[None]:
    """Around a command's output: everything written is flushed here, where a closed pipe or a
    full disk is caught, not at interpreter exit, where it would print "Exception ignored" and
    exit 120."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        stdout_closed()
    except OSError as err:
        if not _is_stdout_error(err):
            raise
        stdout_failed(err)


# Errors of a write to stdout, as opposed to an OSError of the work inside `writing_stdout` (an
# input file that cannot be read is reported by the loader, never raised, but be safe).
_STDOUT_ERRNOS = (errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.EPIPE, errno.ECONNRESET)


def _is_stdout_error(err: OSError) -> bool:
    return err.errno in _STDOUT_ERRNOS


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
