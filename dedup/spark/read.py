"""The Spark scan's inputs: an RDD of ``(seq, Article | LoadError)`` in the local loader's order.

`seq` only orders records (the local scan numbers articles in input order, and that order decides
`duplicate_of` and which pairs a big LSH bucket yields); it is not contiguous. Each record is parsed
by `dedup.load` itself on the executors, so a bad line or row gets the loader's own error.

Sources: a DataFrame (columns `id`, `text`, optional `lang`, `title`, `url`, `source`,
`published`, `origin`), or local paths as `dedup scan` takes them: JSONL files (read by Spark's
Hadoop text reader, split into tasks), text/Markdown files, folders of both, and `-` (stdin, read
by the driver). One difference from the local loader: Hadoop decodes a JSONL line before Python
sees it, so invalid UTF-8 inside a line becomes U+FFFD instead of an error row.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from dedup.load import (
    JSONL_SUFFIXES,
    MAX_ARTICLE_BYTES,
    OPTIONAL_FIELDS,
    article_files,
    iter_jsonl,
    load_text_file,
    parse_jsonl_line,
)
from dedup.model import Article, LoadError

_MIN_SPLIT = 1 << 20
LINE_BITS = 40  # seq = source rank << 40 | line number
_TEXT_INPUT = "org.apache.hadoop.mapreduce.lib.input.TextInputFormat"
Entry = tuple[int, Article | LoadError]


def expand(paths: Iterable[str | Path]) -> list[tuple[str, str]]:
    """(kind, name) per source in the loader's order; kind is jsonl, text, missing or stdin."""
    out: list[tuple[str, str]] = []
    for p in paths:
        if str(p) == "-":
            out.append(("stdin", "<stdin>"))
            continue
        path = Path(p)
        if path.is_dir():
            files = article_files(path)
            out.extend(("jsonl" if f.suffix.lower() in JSONL_SUFFIXES else "text", str(f)) for f in files)
        elif path.suffix.lower() in JSONL_SUFFIXES:
            out.append(("jsonl", str(path)))
        elif path.exists():
            out.append(("text", str(path)))
        else:
            out.append(("missing", str(path)))
    return out


def read_paths(
    spark: Any,
    paths: Sequence[str | Path],
    stdin: IO[bytes] | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
) -> Any:
    """RDD of entries for these paths (nothing dropped: an unreadable input is a LoadError)."""
    sc = spark.sparkContext
    parts: list[Any] = []
    local: list[Entry] = []  # read by the driver: missing paths, stdin
    texts: list[tuple[int, str, str]] = []
    for rank, (kind, name) in enumerate(expand(paths)):
        base = rank << LINE_BITS
        if kind == "missing":
            local.append((base, LoadError(name, "no such file or directory")))
        elif kind == "stdin":
            stream = stdin if stdin is not None else sys.stdin.buffer
            local.extend((base + k, item) for k, item in enumerate(iter_jsonl(stream, name, max_bytes), 1))
        elif kind == "text":
            texts.append((base, name, str(Path(name).resolve())))
        else:
            try:  # as the local loader: an unreadable JSONL file is one error
                Path(name).open("rb").close()
            except OSError as err:
                local.append((base, LoadError(name, f"cannot read: {err.strerror or err}")))
                continue
            parts.append(_jsonl_lines(sc, rank, name, max_bytes))
    if texts:
        parts.append(
            sc.parallelize(texts, max(1, min(len(texts) // 64, sc.defaultParallelism))).map(
                lambda t: (t[0], _load_text(t[1], t[2], max_bytes))
            )
        )
    if local:
        parts.append(sc.parallelize(local, 1))
    if not parts:
        return sc.emptyRDD()
    return parts[0] if len(parts) == 1 else sc.union(parts)


def _load_text(name: str, absolute: str, max_bytes: int) -> Article | LoadError:
    item = load_text_file(Path(absolute), max_bytes)
    return dataclasses.replace(item, origin=name)  # reported under the name the user gave


def _jsonl_lines(sc: Any, rank: int, name: str, max_bytes: int) -> Any:
    """One JSONL file's entries, line numbers as the loader counts them (blank lines included)."""
    path = Path(name).resolve()
    # Splits small enough that even one file keeps every core busy (sketching is the heavy part).
    split = max(_MIN_SPLIT, -(-path.stat().st_size // max(1, sc.defaultParallelism)))
    lines = sc.newAPIHadoopFile(
        path.as_uri(),
        _TEXT_INPUT,
        "org.apache.hadoop.io.LongWritable",
        "org.apache.hadoop.io.Text",
        conf={
            "textinputformat.record.delimiter": "\n",
            "mapreduce.input.fileinputformat.split.maxsize": str(split),
        },
    ).values()
    if lines.getNumPartitions() == 1:
        starts = [0]
    else:  # line numbers: count the lines of each split first (one quick pass over the file)
        counts = lines.mapPartitions(lambda it: [sum(1 for _ in it)]).collect()
        starts = [sum(counts[:i]) for i in range(len(counts))]
    base = rank << LINE_BITS

    def parse(i: int, it: Iterator[str]) -> Iterator[Entry]:
        for k, line in enumerate(it, starts[i] + 1):
            raw = line.encode("utf-8") + b"\n"
            if raw.strip():
                yield base + k, parse_jsonl_line(raw, f"{name}:{k}", max_bytes)

    return lines.mapPartitionsWithIndex(parse)


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
