"""The Spark scan's inputs: an RDD of ``(seq, Article | LoadError)`` in the local loader's order.

`seq` only orders records (the local scan numbers articles in input order, and that order decides
`duplicate_of` and which pairs a big LSH bucket yields); it is not contiguous. Each record is parsed
by `dedup.load` itself on the executors, so a bad line or row gets the loader's own error.

Sources: a DataFrame (columns `id`, `text`, optional `lang`, `title`, `url`, `source`,
`published`, `origin`), or local paths as `dedup scan` takes them: JSONL files, text/Markdown
files, folders of both, and `-` (stdin, read by the driver). A JSONL file is cut into byte ranges
on the driver and each range is read as bytes by an executor (not by Hadoop's text reader, which
decodes a line before Python sees it and would turn invalid UTF-8 into U+FFFD): every line goes
through the loader's `parse_jsonl_line`, so invalid UTF-8, malformed JSON and too-large lines give
the local scan's error, named `file:line`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from dedup.load import (
    GIVEN_TWICE,
    JSONL_SUFFIXES,
    MAX_ARTICLE_BYTES,
    OPTIONAL_FIELDS,
    STDIN_TWICE,
    article_files,
    iter_jsonl,
    jsonl_head_problem,
    load_text_file,
    parse_jsonl_line,
    text_id,
)
from dedup.model import Article, LoadError

_MIN_SPLIT = 1 << 20
MAX_SPLIT = 64 << 20
_READ_CHUNK = 1 << 20
LINE_BITS = 40  # seq = source rank << 40 | line number
Entry = tuple[int, Article | LoadError]


def expand(paths: Iterable[str | Path]) -> list[tuple[str, str, str | None]]:
    """(kind, name, id) per source in the loader's order; kind is jsonl, text, missing, stdin or
    twice (a text file read before under another id); id is a text file's id when the loader gives
    it another than its stem (`text_id`)."""
    out: list[tuple[str, str, str | None]] = []
    read: dict[str, str] = {}  # as the local loader: a text file reached twice under two ids is read once

    def text(name: str, id: str | None) -> tuple[str, str, str | None]:
        key, art_id = os.path.abspath(name), Path(name).stem if id is None else id
        first = read.setdefault(key, art_id)
        return ("twice", name, art_id) if first != art_id else ("text", name, id)

    for p in paths:
        if str(p) == "-":
            out.append(("stdin", "<stdin>", None))
            continue
        path = Path(p)
        if path.is_dir():
            for f in article_files(path):
                jsonl = f.suffix.lower() in JSONL_SUFFIXES
                out.append(("jsonl", str(f), None) if jsonl else text(str(f), text_id(f, path)))
        elif path.suffix.lower() in JSONL_SUFFIXES:
            out.append(("jsonl", str(path), None))
        elif path.exists() or path.is_symlink():  # as the local loader: a dangling link's read says why
            out.append(text(str(path), None))
        else:
            out.append(("missing", str(path), None))
    return out


def read_paths(
    spark: Any,
    paths: Sequence[str | Path],
    stdin: IO[bytes] | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
    split_bytes: int | None = None,
) -> Any:
    """RDD of entries for these paths (nothing dropped: an unreadable input is a LoadError).
    `split_bytes`: bytes per range of a JSONL file (default: the file over the cores, 1-64 MB)."""
    sc = spark.sparkContext
    parts: list[Any] = []
    jsonl: list[tuple[int, str]] = []
    local: list[Entry] = []  # read by the driver: missing paths, stdin
    texts: list[tuple[int, str, str, str | None]] = []
    stdin_read = False
    for rank, (kind, name, text_id_) in enumerate(expand(paths)):
        base = rank << LINE_BITS
        if kind == "missing":
            local.append((base, LoadError(name, "no such file or directory")))
        elif kind == "stdin" and stdin_read:  # as the local loader: a second "-" would find nothing
            local.append((base, LoadError(name, STDIN_TWICE)))
        elif kind == "stdin":
            stdin_read = True
            stream = stdin if stdin is not None else sys.stdin.buffer
            local.extend((base + k, item) for k, item in enumerate(iter_jsonl(stream, name, max_bytes), 1))
        elif kind == "twice":
            first = next(t[1] for t in texts if t[2] == os.path.abspath(name))
            local.append((base, LoadError(name, GIVEN_TWICE.format(first=first), text_id_)))
        elif kind == "text":
            texts.append(
                (base, name, os.path.abspath(name), text_id_)
            )  # not resolve(): a link keeps its stem
        else:
            try:  # as the local loader: an unreadable, binary or UTF-16 JSONL file is one error
                with Path(name).open("rb") as fh:
                    why = jsonl_head_problem(fh.readline(64))
            except OSError as err:
                local.append((base, LoadError(name, f"cannot read: {err.strerror or err}")))
                continue
            if why is not None:
                local.append((base, LoadError(name, why)))
                continue
            jsonl.append((rank, name))
    if jsonl and (lines := _jsonl_ranges(sc, jsonl, split_bytes, max_bytes)) is not None:
        parts.append(lines)
    if texts:
        parts.append(
            sc.parallelize(texts, max(1, min(len(texts) // 64, sc.defaultParallelism))).map(
                lambda t: (t[0], _load_text(t[1], t[2], max_bytes, t[3]))
            )
        )
    if local:
        parts.append(sc.parallelize(local, 1))
    if not parts:
        return sc.emptyRDD()
    return parts[0] if len(parts) == 1 else sc.union(parts)


def _load_text(name: str, absolute: str, max_bytes: int, id: str | None) -> Article | LoadError:
    item = load_text_file(Path(absolute), max_bytes, id)
    return dataclasses.replace(item, origin=name)  # reported under the name the user gave


def split_size(size: int, parallelism: int, split_bytes: int | None = None) -> int:
    """Bytes per range of one JSONL file: small enough that even one file keeps every core busy
    (sketching is the heavy part), at most `MAX_SPLIT` so a task's work stays bounded."""
    if split_bytes is not None:
        if split_bytes < 1:
            raise ValueError(f"split_bytes must be positive, not {split_bytes}")
        return split_bytes
    return min(MAX_SPLIT, max(_MIN_SPLIT, -(-size // max(1, parallelism))))


def plan_ranges(size: int, split: int) -> list[tuple[int, int]]:
    """(start, end) byte ranges covering a file of `size` bytes; a range holds the lines that
    START inside it (as Hadoop's LineRecordReader splits text)."""
    return [(start, min(size, start + split)) for start in range(0, size, split)]


def count_line_starts(path: str, start: int, end: int) -> int:
    """Lines starting in [start, end): the file's first byte, and every byte after a newline."""
    if end <= start:
        return 0
    first = 1 if start == 0 else 0
    lo, hi = max(0, start - 1), end - 1  # a line starts at p when byte p - 1 is a newline
    count = 0
    with open(path, "rb") as fh:
        fh.seek(lo)
        left = hi - lo
        while left > 0:
            chunk = fh.read(min(_READ_CHUNK, left))
            if not chunk:
                break
            count += chunk.count(b"\n")
            left -= len(chunk)
    return first + count


def range_lines(path: str, start: int, end: int, keep: int) -> Iterator[tuple[bytes, int, bool]]:
    """The lines starting in [start, end) as (first `keep` bytes, full length, has non-whitespace);
    newline included, as iterating a binary file gives it. Memory per line is bounded by `keep`
    even when a line is huge (the loader rejects it by its length)."""
    with open(path, "rb") as fh:
        if start > 0:
            fh.seek(start - 1)
            if fh.read(1) != b"\n":  # inside a line: it belongs to the range where it starts
                _read_line(fh, 0)
        pos = fh.tell()
        while pos < end:
            head, length, content = _read_line(fh, keep)
            if length == 0:
                return
            yield head, length, content
            pos += length


def _read_line(fh: IO[bytes], keep: int) -> tuple[bytes, int, bool]:
    parts: list[bytes] = []
    kept = length = 0
    content = False
    while True:
        chunk = fh.readline(_READ_CHUNK)
        if not chunk:
            break
        length += len(chunk)
        content = content or bool(chunk.strip())
        if kept < keep:
            parts.append(chunk[: keep - kept])
            kept += len(parts[-1])
        if chunk.endswith(b"\n"):
            break
    return b"".join(parts), length, content


def parse_range(
    rank: int, name: str, path: str, start: int, end: int, first_line: int, max_bytes: int
) -> Iterator[Entry]:
    """A range's entries, each line decoded and checked by the local loader's `parse_jsonl_line`
    (so invalid UTF-8, malformed JSON and limits give its errors, named `file:line`)."""
    base = rank << LINE_BITS
    for k, (head, length, content) in enumerate(range_lines(path, start, end, max_bytes + 1), first_line):
        if not content:  # blank lines are skipped, but counted, as `iter_jsonl` does
            continue
        origin = f"{name}:{k}"
        if length > max_bytes:  # the loader's own message (it measures the whole line)
            yield base + k, LoadError(origin, f"line too large: {length:,} bytes (limit {max_bytes:,})")
        else:
            yield base + k, parse_jsonl_line(head, origin, max_bytes)


def _jsonl_ranges(sc: Any, files: list[tuple[int, str]], split_bytes: int | None, max_bytes: int) -> Any:
    """Every JSONL file's entries: each file cut into byte ranges read in parallel as bytes by
    the executors (the file must be on a filesystem they share), numbered as the loader numbers
    lines (a first pass counts the lines of each range when a file has more than one)."""
    ranges: list[tuple[int, str, str, int, int]] = []
    for rank, name in files:
        path = Path(name).resolve()
        size = path.stat().st_size
        split = split_size(size, sc.defaultParallelism, split_bytes)
        ranges.extend((rank, name, str(path), s, e) for s, e in plan_ranges(size, split))
    if not ranges:
        return None
    if len({r[0] for r in ranges}) == len(ranges):  # one range per file: lines count from 1
        firsts = [1] * len(ranges)
    else:
        counts = (
            sc.parallelize(ranges, len(ranges)).map(lambda r: count_line_starts(r[2], r[3], r[4])).collect()
        )
        firsts, line, previous = [], 1, None
        for (rank, *_), n in zip(ranges, counts, strict=True):
            if rank != previous:
                line, previous = 1, rank
            firsts.append(line)
            line += n
    tasks = [(*r, k) for r, k in zip(ranges, firsts, strict=True)]
    return sc.parallelize(tasks, len(tasks)).flatMap(lambda t: parse_range(*t, max_bytes))


def read_dataframe(df: Any, name: str = "<dataframe>", max_bytes: int = MAX_ARTICLE_BYTES) -> Any:
    """RDD of entries for a DataFrame's rows, in its partition order; each row is validated as a
    JSONL line would be. A row's `origin` column, if any, names it; else ``<dataframe>:N``."""
    columns = set(df.columns)
    keep = [c for c in ("id", "text", *OPTIONAL_FIELDS, "origin") if c in columns]
    if "text" not in columns or "id" not in columns:
        raise ValueError(f"a DataFrame of articles needs 'id' and 'text' columns; it has {sorted(columns)}")

    def entry(pair: tuple[Any, int]) -> Entry:
        row, i = pair
        obj = {k: _plain(v) for k, v in zip(keep, row, strict=True)}
        origin = obj.pop("origin", None) or f"{name}:{i + 1}"
        line = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        return i, parse_jsonl_line(line, str(origin), max_bytes)

    return df.select(*keep).rdd.zipWithIndex().map(entry)


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)
