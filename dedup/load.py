"""Turn paths (files, folders, JSONL, stdin) into Articles, or into per-input errors.

One bad input never stops the others, and none is dropped silently: every input yields either an
Article or a LoadError naming where it came from and what was wrong.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from dedup.model import Article, LoadError

TEXT_SUFFIXES = frozenset({".txt", ".md"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
MAX_ARTICLE_BYTES = 8 * 1024 * 1024  # a news article is ~10 KB; 8 MB is certainly not one
OPTIONAL_FIELDS = ("title", "url", "source", "lang", "published")


@dataclass
class Loaded:
    """What a load produced: articles in input order, and the inputs that failed."""

    articles: list[Article] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)


def _decode(data: bytes, origin: str, max_bytes: int) -> str | LoadError:
    """Bytes to text, or the reason they are not an article's text."""
    if len(data) > max_bytes:
        return LoadError(origin, f"too large: {len(data):,} bytes (limit {max_bytes:,})")
    if b"\x00" in data:
        return LoadError(origin, "binary content (NUL byte), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return LoadError(origin, f"invalid UTF-8 at byte {err.start}: {err.reason}")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(8, len(text) // 100):
        return LoadError(origin, f"binary content ({controls} control characters), not text")
    if not text.strip():
        return LoadError(origin, "empty text")
    return text


def load_text_file(path: Path, max_bytes: int = MAX_ARTICLE_BYTES) -> Article | LoadError:
    """A plain-text or Markdown file is one article; its id is the file stem."""
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return LoadError(origin, f"too large: {size:,} bytes (limit {max_bytes:,})", path.stem)
        data = path.read_bytes()
    except OSError as err:
        return LoadError(origin, f"cannot read: {err.strerror or err}", path.stem)
    text = _decode(data, origin, max_bytes)
    if isinstance(text, LoadError):
        return LoadError(text.origin, text.message, path.stem)
    return Article(id=path.stem, text=text, origin=origin)


def parse_jsonl_line(line: bytes, origin: str, max_bytes: int = MAX_ARTICLE_BYTES) -> Article | LoadError:
    """One JSONL line to an Article: `id` and `text` required, a few optional fields."""
    if len(line) > max_bytes:
        return LoadError(origin, f"line too large: {len(line):,} bytes (limit {max_bytes:,})")
    try:
        # utf-8-sig: a byte-order mark opening the file (Windows tools write one), or a line of a
        # file that was concatenated from such files, is not part of the JSON.
        raw = line.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return LoadError(origin, f"invalid UTF-8 at byte {err.start} of the line: {err.reason}")
    try:
        obj: Any = json.loads(raw)
    except json.JSONDecodeError as err:
        return LoadError(origin, f"malformed JSON: {err.msg} at column {err.colno}")
    if not isinstance(obj, dict):
        return LoadError(origin, f"expected a JSON object, got {type(obj).__name__}")
    art_id = obj.get("id")
    if isinstance(art_id, bool) or not isinstance(art_id, (str, int)):
        return LoadError(origin, "missing or invalid 'id' (a string or an integer is required)")
    art_id = str(art_id)
    if not art_id.strip():
        return LoadError(origin, "empty 'id'")
    text = obj.get("text")
    if not isinstance(text, str):
        return LoadError(origin, "missing or invalid 'text' (a string is required)", art_id)
    if "\x00" in text:
        return LoadError(origin, "binary content (NUL character) in 'text'", art_id)
    if not text.strip():
        return LoadError(origin, "empty text", art_id)
    extra: dict[str, str | None] = {}
    for key in OPTIONAL_FIELDS:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            value = str(value)
        extra[key] = value
    return Article(id=art_id, text=text, origin=origin, **extra)


def iter_jsonl(
    stream: IO[bytes], name: str, max_bytes: int = MAX_ARTICLE_BYTES
) -> Iterator[Article | LoadError]:
    """Each non-blank line is one article; a bad line is an error, the rest go on."""
    for lineno, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        yield parse_jsonl_line(line, f"{name}:{lineno}", max_bytes)


def article_files(folder: Path) -> list[Path]:
    """The article files under a folder, recursively, sorted (hidden files and folders skipped), so
    every reader (local or Spark) sees the same inputs in the same order."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and p.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES
    )


def _iter_path(path: Path, max_bytes: int) -> Iterator[Article | LoadError]:
    if path.is_dir():
        for p in article_files(path):
            yield from _iter_path(p, max_bytes)
    elif path.suffix.lower() in JSONL_SUFFIXES:
        try:
            with path.open("rb") as fh:
                yield from iter_jsonl(fh, str(path), max_bytes)
        except OSError as err:
            yield LoadError(str(path), f"cannot read: {err.strerror or err}")
    elif path.exists():
        yield load_text_file(path, max_bytes)
    else:
        yield LoadError(str(path), "no such file or directory")


def iter_articles(
    paths: Iterable[str | Path],
    stdin: IO[bytes] | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
) -> Iterator[Article | LoadError]:
    """Articles and errors in input order; a repeated id is an error, the first one wins."""
    seen: dict[str, str] = {}
    for p in paths:
        if str(p) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            items: Iterable[Article | LoadError] = iter_jsonl(stream, "<stdin>", max_bytes)
        else:
            items = _iter_path(Path(p), max_bytes)
        for item in items:
            if isinstance(item, Article):
                first = seen.get(item.id)
                if first is not None:
                    yield LoadError(item.origin, f"duplicate id {item.id!r} (first seen at {first})", item.id)
                    continue
                seen[item.id] = item.origin
            yield item


def load_articles(
    paths: Iterable[str | Path],
    stdin: IO[bytes] | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
) -> Loaded:
    """Load everything; articles and errors kept apart, both in input order."""
    out = Loaded()
    for item in iter_articles(paths, stdin=stdin, max_bytes=max_bytes):
        (out.articles if isinstance(item, Article) else out.errors).append(item)
    return out


def article_from_text(text: str, id: str = "text", **meta: str | None) -> Article:
    """An Article from a string, for the Python API and tests."""
    return Article(id=id, text=text, origin=meta.pop("origin", None) or f"<{id}>", **meta)
