"""`dedup gate`: the pre-ingest pipeline step, one decision per article (JSONL by default)."""

from __future__ import annotations

import os
import select
import signal
import stat
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import IO, Annotated, Any

import typer

from dedup.cli.app import app
from dedup.cli.common import (
    EXIT_FINDINGS,
    EXIT_INFRA,
    EXIT_INPUT,
    MAX_LOGGED_ERRORS,
    DisableOpt,
    Format,
    InputError,
    MaxPairsOpt,
    RejectPenaltyOpt,
    ReviewPenaltyOpt,
    check_index_folder,
    discard_stdout,
    dumps,
    emit_json,
    log,
    writing_stdout,
)
from dedup.gate import DECISIONS, GOES_IN, SCHEMA, GateItem, GateParams, gate, withdraw
from dedup.load import iter_articles
from dedup.near.index import dry_run as dry_run_index


class Stopped(BaseException):
    """SIGTERM or SIGINT arrived: stop taking decisions (a BaseException, as KeyboardInterrupt is,
    so no step's error handling turns it into an article's error)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class Delivery:
    """Decision lines to stdout, and SIGTERM / SIGINT, so that no decision is both delivered and
    taken back, nor taken back and delivered later.

    By default SIGTERM ended the process at once: a batch was stored and its decisions unwritten,
    and the re-run called those articles "already ingested" (nobody ingested them). Now a signal
    raises `Stopped` while the gate works (nothing is delivered then), and `gate` takes out of the
    index what it stored for decisions not taken. While a line is written the signal only marks
    the stop: the line is written whole (the wait for a full pipe is cut into 0.2 s slices, so a
    stop is noticed) or, if the stop comes first, left cut short and taken back; a written line is
    marked `taken` before the stop is raised. A second signal ends the process at once."""

    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(self) -> None:
        self.signum: int | None = None
        self.raising = True
        self.written = 0  # decisions delivered (counted inside the section a signal cannot cut)
        self.previous: dict[int, Any] = {}

    def _handler(self, signum: int, frame: object) -> None:
        for s in self.SIGNALS:
            signal.signal(s, signal.SIG_DFL)
        self.signum = signum
        if self.raising:
            raise Stopped(signum)

    @contextmanager
    def signals(self) -> Iterator[None]:
        try:
            self.previous = {s: signal.signal(s, self._handler) for s in self.SIGNALS}
        except ValueError:  # not the main thread (an embedding application): its signals, its rules
            yield
            return
        try:
            yield
        finally:
            for s, h in self.previous.items():
                signal.signal(s, h)

    def deliver(self, d: GateItem, line: str) -> None:
        """Write one decision's line; `d.taken` once it is all written."""
        self.raising = False
        try:
            self._write(line.encode("utf-8"))
            d.taken = True
            self.written += 1
        finally:
            self.raising = True
        if self.signum is not None:
            raise Stopped(self.signum)

    def _write(self, data: bytes) -> None:
        try:
            fd = sys.stdout.fileno()
        except (AttributeError, OSError, ValueError):  # no file descriptor (a test runner's buffer)
            sys.stdout.write(data.decode("utf-8"))
            sys.stdout.flush()
            return
        sys.stdout.flush()  # nothing of ours is buffered there; be sure before writing around it
        view = memoryview(data)
        while view:
            if self.signum is not None:
                raise Stopped(self.signum)
            if not select.select([], [fd], [], 0.2)[1]:
                continue
            try:
                view = view[os.write(fd, view) :]
            except BlockingIOError:  # stdout left non-blocking by whoever opened it: wait again
                continue


LINGER = 0.5  # seconds a feed on stdin (or a FIFO) may be quiet before what was read is decided


def _may_pause(path: str) -> bool:
    """stdin, a FIFO, a terminal: an input that can go quiet without ending (files and folders
    are read straight through)."""
    if path == "-":
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _own_stdin() -> IO[bytes] | None:
    """stdin through a file object of our own (on a copy of its descriptor) for the thread that
    reads a paced input: a thread blocked reading `sys.stdin` when the process ends (a stop, an
    index error) holds its lock, and the interpreter's shutdown aborted on it ("Fatal Python
    error: could not acquire lock for <stdin>"). None when stdin has no descriptor."""
    try:
        return os.fdopen(os.dup(sys.stdin.fileno()), "rb")
    except (AttributeError, OSError, ValueError):
        return None


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
    disable: DisableOpt = None,
    review_penalty: ReviewPenaltyOpt = None,
    reject_penalty: RejectPenaltyOpt = None,
    max_pairs: MaxPairsOpt = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="With --index: decide as a real run would, store nothing in the index (no lock taken).",
        ),
    ] = False,
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
    left without one). Stopped by SIGTERM or SIGINT (exit 143 or 130), by a closed or full stdout
    (exit 3): what was stored for decisions not written is taken out of the index again, so a
    re-run of the same input judges those articles afresh. Input on stdin is decided as it comes
    (a pause of 0.5 s ends a batch).

    Several gate workers may share one index (SQLite file or Redis): each batch's dedup runs while
    the worker holds the index's lock, so copies sent to two workers at once never both go in."""
    from dedup.near.index.base import IndexMismatch, IndexUnavailable

    try:
        params = GateParams(
            level=level,
            check=not no_check,
            hold=hold,
            disable=tuple(disable or ()),
            review_penalty=review_penalty,
            reject_penalty=reject_penalty,
            max_pairs=max_pairs,
        )
        if jobs < 0:
            raise ValueError("--jobs must be 0 (one per CPU) or more")
        if lock_wait is not None and not lock_wait >= 0:  # nan too: it waited for ever
            raise ValueError("--lock-wait must be 0 or more seconds")
        check_index_folder(index)
        if dry_run and index is None:
            raise InputError("--dry-run goes with --index (without one nothing is stored anyway)")
    except (ValueError, InputError) as err:
        log.error("%s", err)
        raise typer.Exit(EXIT_INPUT) from None
    target: Any = index
    if dry_run:  # opened here: the run reads it through a view that keeps every write in memory
        try:
            target = dry_run_index(index)
        except IndexMismatch as err:
            log.error("%s", err)
            raise typer.Exit(EXIT_INPUT) from None
        except IndexUnavailable as err:
            log.error("%s", err)
            raise typer.Exit(EXIT_INFRA) from None
        log.info("dry run: nothing is stored in %s", index)
    out = fmt or (ctx.obj or {}).get("format") or Format.jsonl  # a pipeline step: JSONL unless asked
    # Only JSON output keeps the decisions (it is one document), without their article and
    # analysis: the CLI kept every decision with its text, ~1.5 KB per tiny article (1M articles:
    # gigabytes), where the gate's batches keep memory bounded.
    decisions: list[GateItem] = []
    tally: Counter[str] = Counter()
    down: IndexUnavailable | None = None
    errors = 0
    paced = {"linger": LINGER} if any(_may_pause(p) for p in paths) else {}
    stdin = _own_stdin() if paced and "-" in paths else None
    run = gate(
        iter_articles(paths, stdin=stdin),
        index=target,
        params=params,
        jobs=jobs,
        lock_wait=lock_wait,
        **paced,
    )
    delivery = Delivery()
    try:
        # A decision is taken once its line is written (`Delivery` marks it): when the output
        # fails or a signal comes, closing the run takes out of the index what was stored for
        # decisions not taken.
        with writing_stdout(), delivery.signals(), closing(run):
            for d in run:
                tally[d.decision or "error"] += 1
                if out is Format.json:
                    d.article = d.doc = None
                    decisions.append(d)
                if d.decision == "error":
                    errors += 1
                    if errors <= MAX_LOGGED_ERRORS:
                        who = f"{d.origin} (id {d.id!r})" if d.id is not None else d.origin
                        log.error("%s: %s", who, "; ".join(d.reasons))
                if out is Format.jsonl:
                    delivery.deliver(d, dumps(d.to_json()) + "\n")
                elif out is Format.table:
                    why = "; ".join(d.reasons)
                    delivery.deliver(d, f"{d.decision:<9} {d.id or '-':<30} {why}\n")
    except Stopped as stop:
        discard_stdout()  # a line cut short stays cut: its decision was taken back
        name = signal.Signals(stop.signum).name
        if dry_run:  # nothing was stored, so a re-run finds nothing of this one
            log.error(
                "stopped by %s after %d decision(s) written (dry run: nothing stored)", name, delivery.written
            )
            raise typer.Exit(128 + stop.signum) from None
        log.error(
            "stopped by %s after %d decision(s) written; the articles after them have no decision "
            "and nothing of them stays in the index: send them again (a re-run of the same input "
            "finds the ones written already ingested)",
            name,
            delivery.written,
        )
        if out is Format.json and index is not None:
            withdraw(target, decisions, lock_wait)  # no JSON document was written: none was taken
        raise typer.Exit(128 + stop.signum) from None
    except IndexMismatch as err:
        log.error("%s", err)
        raise typer.Exit(EXIT_INPUT) from None
    except IndexUnavailable as err:
        if not tally:  # unreachable from the start
            log.error("%s", err)
            raise typer.Exit(EXIT_INFRA) from None
        down = err  # went away during the run: every input still has its decision
    if errors > MAX_LOGGED_ERRORS:
        log.error("... and %d more error decision(s), in the output", errors - MAX_LOGGED_ERRORS)
    counts = {k: tally.get(k, 0) for k in DECISIONS}
    if out is Format.json:
        with writing_stdout():
            try:
                emit_json(
                    {
                        "schema": SCHEMA,
                        "params": {**params.to_json(), "dry_run": dry_run},
                        "summary": counts,
                        "decisions": [d.to_json() for d in decisions],
                    }
                )
                sys.stdout.flush()
            except OSError:  # a broken pipe, a full disk: the document never arrived whole
                if index is not None:
                    taken = withdraw(target, decisions, lock_wait)
                    if taken and not dry_run:
                        log.warning(
                            "%d article(s) stored in the index are taken out again (no JSON output "
                            "was written), so a re-run judges them afresh",
                            len(taken),
                        )
                raise
    if dry_run:
        target.close()
    log.info("gate%s: %s", " (dry run)" if dry_run else "", ", ".join(f"{k} {v}" for k, v in counts.items()))
    if down is not None:
        log.error("%s; the articles after it were not deduplicated (decision error): send them again", down)
        raise typer.Exit(EXIT_INFRA)
    if counts["error"]:
        raise typer.Exit(EXIT_INPUT)
    if sum(tally.values()) > sum(counts[k] for k in GOES_IN):
        raise typer.Exit(EXIT_FINDINGS)
