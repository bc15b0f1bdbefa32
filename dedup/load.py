"""Turn paths (files, folders, JSONL, stdin) into Articles, or into per-input errors.

One bad input never stops the others, and none is dropped silently: every input yields either an
Article or a LoadError naming where it came from and what was wrong.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from dedup.model import Article, LoadError

TEXT_SUFFIXES = frozenset({".txt", ".md"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
MAX_ARTICLE_BYTES = 8 * 1024 * 1024  # a news article is ~10 KB; 8 MB is certainly not one
STDIN_TWICE = "stdin (-) is given twice; it is read once"  # a second "-" would find nothing there
# A text file reached again through another given path (a folder and a file in it): with folder ids
# ("sub/001") the two readings would have two ids, and the file would be reported as its own copy.
GIVEN_TWICE = "the same file as {first}, given twice; it is read once"
MAX_ID_CHARS = 1000  # URLs and UUIDs fit; a 100 KB "id" is a text in the wrong field
OPTIONAL_FIELDS = ("title", "url", "source", "lang", "published")
CHECK_FIELDS = ("ref", "src")  # JSONL only: an English report of the same story, the text before translation
_CHUNK = 1 << 20  # read a huge JSONL line in pieces of this size, never whole

log = logging.getLogger("dedup")

# Files that are surely not text, named so the error says what the file is instead of pointing at
# the first byte that is not UTF-8 (a PDF decodes fine for a few bytes).
_SIGNATURES = (
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh91AY&SY", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx/.odt)"),
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "an executable"),
)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # UTF-32 LE opens with the first too
# A JSON escape of a UTF-16 surrogate: the only way a decoded line can hold a lone one (UTF-8
# decoding refuses them), so the costlier check runs only on lines that have such an escape.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")  # searched in the line's bytes: faster
# Every byte but the C0 controls that are not whitespace: deleting these leaves the controls to count.
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or chr(b) in "\t\n\r\f\v")
_UTF16_LINE = "UTF-16 or binary data, not UTF-8 JSON: a JSONL file must be UTF-8"
_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number"}


@dataclass
class Loaded:
    """What a load produced: articles in input order, and the inputs that failed."""

    articles: list[Article] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)


def _utf16_without_bom(data: bytes) -> bool:
    """NUL bytes in every other position, as ASCII-range text in UTF-16 has them: a clearer error
    than "binary" for a file a Windows tool saved as "Unicode" without a byte-order mark."""
    sample = data[:4096]
    if len(sample) < 8:
        return False
    odd, even = sample[1::2], sample[0::2]
    return (
        max(odd.count(0) / len(odd), even.count(0) / len(even)) > 0.4
        and min(odd.count(0), even.count(0)) <= len(sample) // 100
    )


def _decode(data: bytes, origin: str, max_bytes: int) -> str | LoadError:
    """Bytes to text, or the reason they are not an article's text (a byte-order mark dropped).

    UTF-16 is named in the error, not decoded: a UTF-16 mark can open binary data too, and a
    guessed encoding would turn such data into "text" that nothing flags."""
    if len(data) > max_bytes:
        return LoadError(origin, f"too large: {len(data):,} bytes (limit {max_bytes:,})")
    text, why = _text_or_reason(data)
    if text is not None:
        return text if text.strip() else LoadError(origin, "empty text")
    what = _signature(data)  # names what the data is; it never refuses data that is text
    return LoadError(origin, f"binary content ({what}), not text" if what else why)


def _signature(data: bytes) -> str | None:
    """What a known file signature at the start of the data says it is (gzip, PDF, PNG...)."""
    return next((what for sig, what in _SIGNATURES if data.startswith(sig)), None)


def _text_or_reason(data: bytes) -> tuple[str | None, str]:
    """(the text, "") or (None, why the bytes are not UTF-8 text)."""
    if data.startswith(_UTF16_BOMS):
        return None, (
            "UTF-16 text or binary content (it opens with a UTF-16 byte-order mark), not UTF-8: "
            "convert UTF-16 text, e.g. iconv -f UTF-16 -t UTF-8"
        )
    if b"\x00" in data:
        if _utf16_without_bom(data):
            return None, (
                "UTF-16 text without a byte-order mark (or binary content), not UTF-8: "
                "convert UTF-16 text, e.g. iconv -f UTF-16LE -t UTF-8"
            )
        return None, "binary content (NUL byte), not text"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return None, f"invalid UTF-8 at byte {err.start}: {err.reason} (the text must be UTF-8)"
    controls = len(data.translate(None, _NOT_CONTROL))  # in C: UTF-8 puts no byte < 0x80 in a sequence
    if controls > max(8, len(text) // 100):
        return None, f"binary content ({controls} control characters), not text"
    return text, ""


def jsonl_head_problem(head: bytes) -> str | None:
    """Why a JSONL file is plainly not JSONL, from its first line (or its first 64 bytes): it is
    compressed, a document, UTF-16. One error for the file, not one per stretch of bytes between two
    0x0A bytes in it. (The Spark reader asks the same of a file before cutting it into ranges.)"""
    what = _signature(head)
    if what is not None:
        what = f"binary content ({what})"
    elif head.startswith(_UTF16_BOMS):
        what = "UTF-16 text"
    else:
        return None
    return f"{what}, not JSONL text (a JSONL file is UTF-8 JSON, one object a line)"


def _id_problem(art_id: str) -> str | None:
    """Why a string cannot be an id: lone surrogates (unprintable) or a control character or line
    break, which would break every line-based output (tables, logs) it is printed in, or a length
    no id has (an id is repeated in every output row, report and index entry)."""
    if len(art_id) > MAX_ID_CHARS:
        return f"is {len(art_id):,} characters long; an id is at most {MAX_ID_CHARS:,}"
    if art_id.isprintable():  # the usual case, at C speed: no controls, breaks or surrogates
        return None
    if (at := _bad_unicode(art_id)) is not None:
        return f"is not valid Unicode (lone surrogate at character {at})"
    for i, ch in enumerate(art_id):
        if ord(ch) < 32 or ch in "\x7f\x85\u2028\u2029":
            return f"contains a control character or line break ({ch!r} at character {i})"
    return None


def display_path(path: Path | str) -> str:
    """A path as it can be printed on one line: bytes of a file name that are not UTF-8 (which
    Python keeps as lone surrogates, and no UTF-8 output can carry) as \\xNN, control characters
    and line breaks as their escapes."""
    name = str(path)
    if name.isprintable():
        return name
    name = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in name)


def _bad_unicode(value: str) -> int | None:
    """Where a lone surrogate sits in a string (JSON's "\\ud800" escape allows one; no UTF-8 output,
    index or hash can hold it), or None."""
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        return err.start
    return None


def load_text_file(
    path: Path, max_bytes: int = MAX_ARTICLE_BYTES, id: str | None = None
) -> Article | LoadError:
    """A plain-text or Markdown file is one article; its id is `id`, by default the file stem (a
    folder's files get their path inside the folder: `text_id`)."""
    origin = display_path(path)
    art_id = path.stem if id is None else id
    if _bad_unicode(art_id) is not None:
        return LoadError(origin, "file name is not valid UTF-8 (its id would be unprintable): rename it")
    if bad := _id_problem(art_id):
        return LoadError(origin, f"file name (the id) {bad}: rename it")
    if path.suffix.lower() == ".json":  # JSON read as an article's prose would be a silent misreading
        return LoadError(
            origin,
            "a .json file is not an article: give articles as .jsonl (one JSON object a line) or .txt",
            art_id,
        )
    try:
        with path.open("rb") as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISDIR(info.st_mode):
                return LoadError(origin, "a directory where a file was expected", art_id)
            if not stat.S_ISREG(info.st_mode):  # a pipe or device has no size: read up to the limit
                data = fh.read(max_bytes + 1)
            elif info.st_size > max_bytes:
                return LoadError(origin, f"too large: {info.st_size:,} bytes (limit {max_bytes:,})", art_id)
            else:
                data = fh.read()
    except IsADirectoryError:
        return LoadError(origin, "a directory where a file was expected", art_id)
    except OSError as err:
        return LoadError(origin, f"cannot read: {err.strerror or err}", art_id)
    if len(data) > max_bytes:
        return LoadError(origin, f"too large: more than {max_bytes:,} bytes (limit {max_bytes:,})", art_id)
    text = _decode(data, origin, max_bytes)
    if isinstance(text, LoadError):
        return LoadError(text.origin, text.message, art_id)
    return Article(id=art_id, text=text, origin=origin)


def text_id(path: Path, folder: Path) -> str:
    """The id of a text file found in a folder: its path inside the folder without the suffix,
    with "/" between parts ("business/001" for business/001.txt), so the same file name in two
    subfolders (an archive kept by topic or by date) gives two ids, not a duplicate; a file at
    the folder's top has its stem, as a file given by itself."""
    rel = path.relative_to(folder)
    return "/".join((*rel.parts[:-1], rel.stem))


def parse_jsonl_line(line: bytes, origin: str, max_bytes: int = MAX_ARTICLE_BYTES) -> Article | LoadError:
    """One JSONL line to an Article: `id` and `text` required, a few optional fields."""
    if len(line) > max_bytes:
        return LoadError(origin, f"line too large: {len(line):,} bytes (limit {max_bytes:,})")
    try:
        # utf-8-sig: a byte-order mark opening the file (Windows tools write one), or a line of a
        # file that was concatenated from such files, is not part of the JSON.
        raw = line.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if b"\x00" in line or line.startswith(_UTF16_BOMS):
            return LoadError(origin, _UTF16_LINE)
        return LoadError(origin, f"invalid UTF-8 at byte {err.start} of the line: {err.reason}")
    try:
        obj: Any = json.loads(raw)
    except json.JSONDecodeError as err:
        if "\x00" in raw:  # JSON never holds a raw NUL: UTF-16 (every line of it) or binary data
            return LoadError(origin, _UTF16_LINE)
        why = f"malformed JSON: {err.msg} at column {err.colno}"
        if err.msg == "Extra data":
            why += " (one JSON object a line"
            # JSON strings hold no raw CR, so a CR between objects is a line end JSONL does not use
            why += "; this line has CR line ends, JSONL needs LF or CRLF)" if "\r" in raw.rstrip() else ")"
        return LoadError(origin, why)
    except RecursionError:
        return LoadError(origin, "malformed JSON: nested too deeply")
    if not isinstance(obj, dict):
        what = "null" if obj is None else "a boolean" if isinstance(obj, bool) else _JSON_TYPES[type(obj)]
        return LoadError(origin, f"expected a JSON object, got {what}")
    art_id = obj.get("id")
    if isinstance(art_id, bool) or not isinstance(art_id, (str, int)):
        return LoadError(origin, "missing or invalid 'id' (a string or an integer is required)")
    art_id = str(art_id)
    if not art_id.strip():
        return LoadError(origin, "empty 'id'")
    if bad := _id_problem(art_id):
        return LoadError(origin, f"'id' {bad}")
    text = obj.get("text")
    if not isinstance(text, str):
        return LoadError(origin, "missing or invalid 'text' (a string is required)", art_id)
    if "\x00" in text:
        return LoadError(origin, "binary content (NUL character) in 'text'", art_id)
    if not text.strip():
        return LoadError(origin, "empty text", art_id)
    # (a one-byte test first: memchr, where a search for two bytes is ~30x slower)
    escapes = b"\\" in line and _SURROGATE_ESCAPE.search(line) is not None  # else none can be lone
    if escapes and (at := _bad_unicode(text)) is not None:
        return LoadError(origin, f"'text' is not valid Unicode (lone surrogate at character {at})", art_id)
    extra: dict[str, str | None] = {}
    for key in OPTIONAL_FIELDS:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                # str() of a list or object is Python's repr ("['a']"), not metadata: refuse it
                what = "a boolean" if isinstance(value, bool) else _JSON_TYPES[type(value)]
                return LoadError(origin, f"{key!r} must be a string or a number, not {what}", art_id)
            value = str(value)  # a number (a year, an epoch time) reads as its digits
        if escapes and value is not None and (at := _bad_unicode(value)) is not None:
            return LoadError(
                origin, f"{key!r} is not valid Unicode (lone surrogate at character {at})", art_id
            )
        extra[key] = value
    for key in CHECK_FIELDS:  # texts for the check, as `check --ref` / `--src` take them
        value = obj.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            what = (
                "empty"
                if isinstance(value, str)
                else "a boolean"
                if isinstance(value, bool)
                else _JSON_TYPES[type(value)]
            )
            return LoadError(origin, f"{key!r} must be a non-empty text, not {what}", art_id)
        if "\x00" in value:
            return LoadError(origin, f"binary content (NUL character) in {key!r}", art_id)
        if escapes and (at := _bad_unicode(value)) is not None:
            return LoadError(
                origin, f"{key!r} is not valid Unicode (lone surrogate at character {at})", art_id
            )
        extra[key] = value
    return Article(id=art_id, text=text, origin=origin, **extra)


def companions(article: Article) -> dict[str, Article]:
    """The texts a record brought for its check (`ref`, `src`), as articles of their own, named
    after it: what `gate` checks against, and `check` when no `--ref`/`--src` is given."""
    return {
        key: Article(id=f"{article.id} ({key})", text=text, origin=f"{article.origin} ({key})")
        for key in CHECK_FIELDS
        if (text := getattr(article, key)) is not None
    }


def iter_jsonl(
    stream: IO[bytes], name: str, max_bytes: int = MAX_ARTICLE_BYTES
) -> Iterator[Article | LoadError]:
    """Each non-blank line is one article; a bad line is an error, the rest go on. A line over the
    limit is measured in pieces and refused, never held whole in memory."""
    lineno = 0
    while line := stream.readline(max_bytes + 1):
        lineno += 1
        if lineno == 1 and (why := jsonl_head_problem(line)):
            yield LoadError(name, why)
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            size, content = len(line), bool(line.strip())
            while not line.endswith(b"\n") and (line := stream.readline(_CHUNK)):
                size += len(line)
                content = content or bool(line.strip())
            if content:
                yield LoadError(f"{name}:{lineno}", f"line too large: {size:,} bytes (limit {max_bytes:,})")
            continue
        if not line.strip():
            continue
        yield parse_jsonl_line(line, f"{name}:{lineno}", max_bytes)


def article_files(folder: Path) -> list[Path]:
    """The article files under a folder, recursively, sorted (hidden files and folders skipped), so
    every reader (local or Spark) sees the same inputs in the same order. A link that leads
    nowhere is kept (its read fails with a reason) rather than skipped without a word."""
    return _walk(folder)[0]


def _walk(folder: Path) -> tuple[list[Path], dict[str, int]]:
    """Article files, and the count per suffix of the other files (not read, but said)."""
    files: list[Path] = []
    others: dict[str, int] = {}
    for p in folder.rglob("*"):
        if any(part.startswith(".") for part in p.relative_to(folder).parts):
            continue
        if p.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES:
            if p.is_file() or (p.is_symlink() and not p.exists()):
                files.append(p)
        elif p.is_file():
            key = p.suffix.lower() or "(no suffix)"
            others[key] = others.get(key, 0) + 1
    return sorted(files), others


def _skipped(folder: Path, others: dict[str, int]) -> None:
    """Say on stderr which files of a folder were not read, so a folder of .json or .html files
    does not look like an empty one."""
    if others:
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(others.items()))
        log.warning(
            "%s: skipped %d file(s) that are not articles (%s); articles are %s",
            display_path(folder),
            sum(others.values()),
            kinds,
            " ".join(sorted(TEXT_SUFFIXES | JSONL_SUFFIXES)),
        )


def _iter_path(
    path: Path, max_bytes: int, id: str | None = None, read: dict[str, tuple[str, str]] | None = None
) -> Iterator[Article | LoadError]:
    """`read`: the text files read so far in this input (absolute path -> name, id), each read once."""
    name = display_path(path)
    try:
        is_dir = path.is_dir()  # raises for a path it may not look into (EACCES), not only says no
    except OSError as err:
        yield LoadError(name, f"cannot read: {err.strerror or err}")
        return
    if is_dir:
        files, others = _walk(path)
        _skipped(path, others)
        if not files:
            log.warning("%s: no article files in this folder", name)
        for p in files:
            yield from _iter_path(p, max_bytes, text_id(p, path), read)
    elif path.suffix.lower() in JSONL_SUFFIXES:
        try:
            with path.open("rb") as fh:
                yield from iter_jsonl(fh, name, max_bytes)
        except OSError as err:
            yield LoadError(name, f"cannot read: {err.strerror or err}")
    elif path.exists() or path.is_symlink():  # a link to nothing or a loop: its read says why
        key, art_id = os.path.abspath(path), path.stem if id is None else id  # a link: a file of its own
        first = read.get(key) if read is not None else None
        if first is not None and first[1] != art_id:  # under the same id: the "duplicate id" error
            yield LoadError(name, GIVEN_TWICE.format(first=first[0]), art_id)
            return
        if read is not None and first is None:
            read[key] = (name, art_id)
        yield load_text_file(path, max_bytes, id)
    else:
        yield LoadError(name, "no such file or directory")


def iter_articles(
    paths: Iterable[str | Path],
    stdin: IO[bytes] | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
) -> Iterator[Article | LoadError]:
    """Articles and errors in input order; a repeated id is an error, the first one wins."""
    seen: dict[str, str] = {}
    read: dict[str, tuple[str, str]] = {}
    stdin_read = False
    for p in paths:
        if str(p) == "-" and stdin_read:  # a second "-" would find stdin empty, and say nothing
            items: Iterable[Article | LoadError] = [LoadError("<stdin>", STDIN_TWICE)]
        elif str(p) == "-":
            stdin_read = True
            stream = stdin if stdin is not None else sys.stdin.buffer
            items = iter_jsonl(stream, "<stdin>", max_bytes)
        else:
            items = _iter_path(Path(p), max_bytes, read=read)
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
