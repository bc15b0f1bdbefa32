"""`dedup index info|show|forget`: look after a persistent index (the library is `dedup.index_admin`)."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from dedup.cli.app import app
from dedup.cli.common import (
    Format,
    FormatOpt,
    InfraError,
    InputError,
    emit_json,
    emit_jsonl,
    emit_text,
    exit_on_error,
    log,
    resolve_format,
    writing_stdout,
)
from dedup.index_admin import index_forget, index_info, index_show
from dedup.near.index import IndexMismatch, IndexUnavailable

index_app = typer.Typer(
    help="Look after a persistent index: its settings and size, what it knows of an id, removing ids.",
    no_args_is_help=True,
)
app.add_typer(index_app, name="index")

IndexArg = Annotated[str, typer.Argument(metavar="INDEX", help="A SQLite path, sqlite:///path, redis://...")]
IdsArg = Annotated[list[str] | None, typer.Argument(metavar="ID", help="Article ids.")]
IdsFrom = Annotated[
    str | None,
    typer.Option("--ids-from", metavar="FILE", help="Also the ids in FILE, one per line (- for stdin)."),
]


def _ids(ids: list[str] | None, ids_from: str | None) -> list[str]:
    """The ids named on the command line and in the file, in that order, each once."""
    out = list(ids or [])
    if ids_from is not None:
        try:
            if ids_from == "-":
                text = sys.stdin.read()
            else:
                with open(ids_from, encoding="utf-8-sig") as fh:  # a BOM is not part of the first id
                    text = fh.read()
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"--ids-from {ids_from}: cannot read the ids: {err}") from err
        # Each line as written: ids may begin or end with spaces (the loader keeps them), and a
        # stripped line named another id, so a takedown of " a " reported "a" not found.
        out += [line for line in text.removeprefix("\ufeff").splitlines() if line.strip()]
    if not out:
        raise InputError("no ids given (name them, or --ids-from FILE)")
    return list(dict.fromkeys(out))


def _call(fn: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The library call with its index errors mapped to the documented exit codes."""
    try:
        return fn(*args, **kwargs)
    except IndexMismatch as err:  # not there, not a dedup index, another format: the user's input
        raise InputError(str(err)) from err
    except IndexUnavailable as err:  # unreachable, busy, cannot open the file
        raise InfraError(str(err)) from err
    except ValueError as err:  # an unknown URI scheme
        raise InputError(str(err)) from err


@index_app.command("info")
def info_cmd(ctx: typer.Context, index: IndexArg, fmt: FormatOpt = None) -> None:
    """The index's backend, format, size on disk, and per level its settings and article count."""
    with exit_on_error():
        result = _call(index_info, index)
    out = resolve_format(ctx, fmt)
    with writing_stdout():
        if out is Format.table:
            emit_text(_info_table(result))
        elif out is Format.jsonl:
            emit_jsonl([result])
        else:
            emit_json(result)


def _info_table(result: dict[str, Any]) -> str:
    ix = result["index"]
    disk = ix["bytes_on_disk"]
    lines = [f"index   {ix['where']} ({ix['backend']}, {ix['format']})"]
    if disk is not None:
        lines.append(f"on disk {disk:,} bytes")
    if not result["levels"]:
        lines.append("levels  none yet (nothing stored)")
    for name, lv in result["levels"].items():
        p = lv["params"]
        lines.append(
            f"{name:<7} {lv['articles']:,} articles; verify threshold {p.get('verify_threshold')}, {lv['num_perm']} "
            f"permutations ({lv['scheme']}), {lv['bands']} bands x {lv['rows']} rows, datasketch {lv['datasketch']}"
        )
    return "\n".join(lines) + "\n"


@index_app.command("show")
def show_cmd(
    ctx: typer.Context, index: IndexArg, ids: IdsArg = None, ids_from: IdsFrom = None, fmt: FormatOpt = None
) -> None:
    """What the index knows of each id: its number, levels, content fingerprint and story name."""
    with exit_on_error():
        result = _call(index_show, index, _ids(ids, ids_from))
    out = resolve_format(ctx, fmt)
    with writing_stdout():
        if out is Format.json:
            emit_json(result)
        elif out is Format.jsonl:
            emit_jsonl(result["ids"])
        else:
            rows = [f"{'id':<30} {'number':>8} {'levels':<11} {'fingerprint':<16} story"]
            for r in result["ids"]:
                if not r["indexed"]:
                    rows.append(f"{r['id']:<30} {'-':>8} not in the index")
                    continue
                levels = ",".join(r["levels"]) or "-"
                fp = r["fingerprint"] or (
                    f"pending {r['pending']}" if r["pending"] else "-"
                )  # a stopped run's
                rows.append(f"{r['id']:<30} {r['number']:>8} {levels:<11} {fp:<16} {r['story']}")
            emit_text("\n".join(rows) + "\n")


@index_app.command("forget")
def forget_cmd(
    ctx: typer.Context,
    index: IndexArg,
    ids: IdsArg = None,
    ids_from: IdsFrom = None,
    lock_wait: Annotated[
        float | None,
        typer.Option(
            "--lock-wait",
            metavar="SECONDS",
            help="How long to wait for a gate worker holding the index (default 120); then exit code 3.",
        ),
    ] = None,
    fmt: FormatOpt = None,
) -> None:
    """Remove articles from the index for good, so a later copy of them goes in again.

    Takes the index's lock, like a gate batch. Ids not in the index are listed, not an error. An
    SQLite file keeps its size until vacuumed (`sqlite3 FILE 'VACUUM'`, with no worker running)."""
    with exit_on_error():
        if lock_wait is not None and not lock_wait >= 0:  # nan too: it would wait for ever
            raise InputError("--lock-wait must be 0 or more seconds")
        result = _call(index_forget, index, _ids(ids, ids_from), lock_wait=lock_wait)
    if result["not_found"]:
        log.warning(
            "%d id(s) not in the index: %s",
            len(result["not_found"]),
            ", ".join(i if i == i.strip() else repr(i) for i in result["not_found"][:10]),
        )
    out = resolve_format(ctx, fmt)
    with writing_stdout():
        if out is Format.json:
            emit_json(result)
        elif out is Format.jsonl:
            emit_jsonl(
                [{"id": i, "forgotten": True} for i in result["forgotten"]]
                + [{"id": i, "forgotten": False} for i in result["not_found"]]
            )
        else:
            emit_text(
                "".join(f"forgotten {i}\n" for i in result["forgotten"])
                + "".join(f"not found {i}\n" for i in result["not_found"])
            )
