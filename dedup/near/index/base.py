"""What every index backend does: remember articles' band keys and payloads per level, answer
"which stored articles share a band key with these", and refuse to mix different settings.

A backend stores bytes and integers only; the scan machinery does the LSH maths. Articles get a
small integer number in the order they are first indexed, so "earliest" is well defined across runs.

Format 2 (``dedup.index/2``) adds what replacing an article needs: a content fingerprint per id
(`content_fingerprint`, recorded by the gate for what went in) and each stored sketch's own band
keys, so `drop` removes exactly its keys. An index written as ``dedup.index/1`` is migrated in
place when opened (its ids get no fingerprint; their band keys are collected from the band tables).

Format 3 (``dedup.index/3``) adds story names: for an article the gate let in with `--level both`,
the name of the story it was told it belongs to (the id of the earliest article of that story), so
a later run tells later articles of the story the same name. Only names that differ from the
article's own id are stored (an article stored without one is the first of its story, or was
indexed before names were recorded, by `scan`, or at copy level only: it is named after itself). A
format-1 or format-2 index is migrated in place when opened (no names: every article its own name);
an older dedup version refuses a format-3 index, so it cannot add articles without names to it.

Format 4 (``dedup.index/4``) adds, per stored article at a level with a candidate cap (the story
level), its partner list (`tops`/`set_tops`): the `cap` partners sharing the most band keys with it
among the articles stored so far, as (count, partner number) records (`tops_blob`). A later run
lets a stored article keep a new article that beats its list (`bands.top_stored`), as the new
article would have been kept by it in one run over everything: without it a pair that only the
earlier article ranks in its top `cap` was lost in incremental runs. A list only has to name real
partners with their true counts (a shorter or missing one, as after the migration from format 3 or
earlier, only makes the article keep more); the migration adds no lists.

Several processes may share one index. Single writes never lose each other's data, but "look, then
store" is two steps: `Index.exclusive()` is a section that one worker at a time holds per index
(SQLite: `flock` on a sidecar file; Redis: redis-py's `Lock` with an expiry; memory: nothing to
exclude), so a reader inside it sees the index change only by its own writes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib.metadata import version
from typing import Any

import numpy as np

FORMAT = "dedup.index/4"
PREVIOUS_FORMAT = "dedup.index/1"  # migrated in place when opened
OLDER_FORMATS = (PREVIOUS_FORMAT, "dedup.index/2", "dedup.index/3")  # each migrated in place when opened
DATASKETCH_VERSION = version("datasketch")


class IndexMismatch(ValueError):
    """The index was built with other settings (or is not a dedup index): an input error."""


class IndexUnavailable(RuntimeError):
    """The backend cannot be reached or used: an infrastructure error."""


class IndexBusy(IndexUnavailable):
    """The index's exclusive section (`Index.exclusive`) could not be entered in the time allowed:
    another worker holds it (or is stuck holding it). An infrastructure error, like an outage."""


# How long `Index.exclusive` waits for another worker's section by default (seconds). A section is
# one gate batch's dedup (well under a second per 1,000 articles at copy level), so this only ends
# in an error when a worker is stuck, or when very many workers queue on one index.
LOCK_WAIT = 120.0
_QUIET_WAIT = 1.0  # seconds of waiting for the lock before it is said on stderr
log = logging.getLogger("dedup.near")


# What an index operation may hit once the backend is open: an index answering some calls and not
# others is unavailable, whichever call saw it first (the front ends exit with code 3 on it).
GUARDED = (
    "_get_meta",
    "_set_meta",
    "number",
    "lookup",
    "ids_of",
    "fingerprints",
    "set_fingerprints",
    "stories",
    "set_stories",
    "forget",
    "tops",
    "set_tops",
    "has",
    "candidates",
    "add",
    "drop",
    "replace",
    "payloads",
    "count",
    "next_number",
)


def guard_outages(errors: Callable[[Any], tuple[type[BaseException], ...]]) -> Callable[[type], type]:
    """Class decorator: the backend's own errors (`errors(self)`: a server gone, a disk full, a
    database locked) raised by any index operation become `IndexUnavailable`, naming the index.
    Without it a Redis restart in the middle of a gate run surfaced as a traceback and stopped the
    run with an ordinary failure, as if the articles were at fault."""

    def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except errors(self) as err:
                raise IndexUnavailable(f"index {self.where}: {self.kind} failed: {err}") from err

        return guarded

    def decorate(cls: type) -> type:
        for name in GUARDED:
            if name in cls.__dict__:
                setattr(cls, name, wrap(cls.__dict__[name]))
        return cls

    return decorate


def content_fingerprint(text: str) -> int:
    """A 64-bit fingerprint of the text (unsigned), equal across processes and hash seeds.

    The text is NFC-normalised and its whitespace runs collapsed first, so a resend that only
    re-wraps lines or re-encodes accents is the same text; any change of a character is not (a
    MinHash signature would miss a corrected figure). Changing this function needs a new FORMAT."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    digest = hashlib.blake2b(norm.encode("utf-8"), digest_size=8, person=b"dedup.fp/1").digest()
    fp = int.from_bytes(digest, "big")
    return fp if fp > PENDING_UPDATE else fp + 2  # never a pending mark (a 2**-63 remap)


# Recorded for an id while its sketch is being stored (a new article; an update of an ingested
# one), replaced by the real fingerprint once that is done: a run that stops in between leaves an
# id that the next run judges afresh, instead of one whose stored sketch makes it look "already
# ingested" though no run ever said it went in.
PENDING = 0
PENDING_UPDATE = 1


def unstorable(id: str, text: str) -> str | None:
    """Why an article cannot be hashed or stored (an id or text with lone surrogates, which only
    API callers can pass: the loader decodes strictly), or None. Such an article is an error of its
    own instead of a UnicodeEncodeError that stops the whole run."""
    for what, value in (("id", id), ("text", text)):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as err:
            return f"{what} is not valid Unicode (lone surrogate at character {err.start})"
    return None


def fingerprint_hex(fp: int | None) -> str | None:
    """How a fingerprint is shown in outputs: 16 hex digits."""
    return None if fp is None else f"{fp:016x}"


def keys_blob(row: np.ndarray) -> bytes:
    """One article's band keys as stored next to its payload (little-endian uint64)."""
    return np.ascontiguousarray(row, dtype="<u8").tobytes()


def blob_keys(blob: bytes) -> list[int]:
    return np.frombuffer(blob, dtype="<u8").tolist()


# One record of a partner list (format 4): shared band keys and the partner's number, packed (5
# bytes), best first: count descending, then number ascending. A count above 255 (a level of more
# bands than the story level's 82-128) is kept as 255: ranked lower, its article keeps more, never fewer.
TOP_RECORD = np.dtype([("count", "u1"), ("num", "<u4")])


def tops_blob(counts: np.ndarray, nums: np.ndarray) -> bytes:
    """A partner list as stored, in rank order (count descending, number ascending)."""
    counts = np.minimum(np.asarray(counts, dtype=np.int64), 255)
    nums = np.asarray(nums, dtype=np.int64)
    if len(nums) and (nums.min() < 0 or nums.max() >= 2**32 or counts.min() < 1):
        raise ValueError("a partner list holds counts >= 1 and numbers below 2**32")
    order = np.lexsort((nums, -counts))
    rec = np.empty(len(nums), dtype=TOP_RECORD)
    rec["count"], rec["num"] = counts[order], nums[order]
    return rec.tobytes()


def blob_tops(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(counts, numbers) of a stored partner list, in rank order; a damaged one is refused."""
    if len(blob) % TOP_RECORD.itemsize:
        raise ValueError(f"not a partner list ({len(blob)} bytes)")
    rec = np.frombuffer(blob, dtype=TOP_RECORD)
    return rec["count"].astype(np.int64), rec["num"].astype(np.int64)


def level_meta(params: dict[str, Any], bands: int, rows: int) -> dict[str, Any]:
    """What an index records per level; any difference means the stored sketches do not compare."""
    return {
        "format": FORMAT,
        "datasketch": DATASKETCH_VERSION,
        "scheme": params.get("scheme"),
        "num_perm": params.get("num_perm"),
        "bands": bands,
        "rows": rows,
        "params": params,
    }


def upgraded_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """A level's recorded settings once its index is migrated to FORMAT: only the format changes
    (the sketches compare as before). Without it a migrated index refused every later run."""
    return {**meta, "format": FORMAT} if meta.get("format") in OLDER_FORMATS else meta


def settle_format(
    found: object, where: str, create: Callable[[], object], steps: Sequence[Callable[[], object]]
) -> None:
    """Act on an index's recorded format: record ours on a new index (`create`), run the backend's
    migration steps an older format needs (`steps[k]` takes format ``OLDER_FORMATS[k]`` one format
    further; all from the found one on), refuse a format no step leads from."""
    if found is None:
        create()
    elif found in OLDER_FORMATS:
        for step in steps[OLDER_FORMATS.index(found) :]:  # type: ignore[arg-type]
            step()
        logging.getLogger("dedup.near").warning("index %s: migrated from %s to %s", where, found, FORMAT)
    elif found != FORMAT:
        raise IndexMismatch(unknown_format(where, found))


def unknown_format(where: str, found: object) -> str:
    return (
        f"index {where} has format {found!r}, expected {FORMAT!r} (or one of "
        f"{', '.join(repr(f) for f in OLDER_FORMATS)}, which are migrated); it was written by another "
        "dedup version"
    )


def describe_mismatch(where: str, level: str, stored: dict[str, Any], wanted: dict[str, Any]) -> str:
    diffs: list[str] = []
    flat_s = {**stored.get("params", {}), **{k: v for k, v in stored.items() if k != "params"}}
    flat_w = {**wanted.get("params", {}), **{k: v for k, v in wanted.items() if k != "params"}}
    for key in sorted(set(flat_s) | set(flat_w)):
        if flat_s.get(key) != flat_w.get(key):
            diffs.append(f"{key}: index has {flat_s.get(key)!r}, this run uses {flat_w.get(key)!r}")
    detail = "; ".join(diffs) or "settings differ"
    return (
        f"index {where} was built with other {level}-level settings ({detail}); "
        "use the same settings or a new index"
    )


def expand_ranges(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges [lo_i, hi_i): (i repeated per element, the element positions)."""
    counts = (hi - lo).astype(np.int64)
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(lo), dtype=np.int64), counts)
    if not total:
        return owner, np.empty(0, dtype=np.int64)
    ends = np.cumsum(counts)
    pos = np.arange(total, dtype=np.int64)
    pos += np.repeat(lo.astype(np.int64) - (ends - counts), counts)
    return owner, pos


class Index(ABC):
    """One index, several levels. Numbers are assigned by `number`, never reused."""

    kind: str = "index"
    where: str = "<index>"

    # -- settings -------------------------------------------------------------------------
    def ensure_level(self, level: str, meta: dict[str, Any]) -> None:
        """Record the level's settings on first use; raise IndexMismatch if they differ later."""
        stored = self._get_meta(level)
        if stored is None:
            self._set_meta(level, meta)
        elif json.loads(json.dumps(stored)) != json.loads(json.dumps(meta)):
            raise IndexMismatch(describe_mismatch(self.where, level, stored, meta))

    @abstractmethod
    def _get_meta(self, level: str) -> dict[str, Any] | None: ...

    @abstractmethod
    def _set_meta(self, level: str, meta: dict[str, Any]) -> None: ...

    # -- articles -------------------------------------------------------------------------
    @abstractmethod
    def number(self, ids: list[str]) -> list[int]:
        """Each id's number, assigning new numbers (in the given order) to ids not seen before."""

    @abstractmethod
    def lookup(self, ids: list[str]) -> dict[str, int]:
        """Numbers of the ids already indexed (any level)."""

    @abstractmethod
    def ids_of(self, nums: list[int]) -> dict[int, str]: ...

    @abstractmethod
    def fingerprints(self, ids: list[str]) -> dict[str, int]:
        """Recorded content fingerprints of these ids; ids without one (not indexed, or indexed by
        `scan` or by format 1) are left out."""

    @abstractmethod
    def set_fingerprints(self, fps: Mapping[str, int]) -> None:
        """Record fingerprints for ids that are already numbered."""

    @abstractmethod
    def stories(self, ids: list[str]) -> dict[str, str]:
        """Recorded story names of these ids; ids named after themselves (or not indexed) are left
        out, so an id's story name is `stories([i]).get(i, i)`."""

    @abstractmethod
    def set_stories(self, names: Mapping[str, str]) -> None:
        """Record story names for ids that are already numbered; a name equal to its id clears it."""

    @abstractmethod
    def forget(self, ids: list[str]) -> None:
        """Remove ids entirely: number, fingerprint, story name, and sketch at every level. Their numbers are
        not given out again."""

    # -- one level ------------------------------------------------------------------------
    def tops(self, level: str, nums: list[int]) -> dict[int, bytes]:
        """Stored partner lists (`tops_blob`) of these numbers at this level; numbers without one
        are left out. An index that keeps none (this default) makes every stored article keep every
        new partner in its top `cap` among the new ones: more candidates, none lost."""
        return {}

    def set_tops(self, level: str, lists: Mapping[int, bytes]) -> None:  # noqa: B027 - keeps none
        """Record partner lists (replacing the old ones) of numbers stored at this level."""

    @abstractmethod
    def has(self, level: str, nums: list[int]) -> set[int]:
        """Which of these numbers already have a sketch at this level."""

    @abstractmethod
    def candidates(self, level: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, stored number) for every stored article sharing a band key with row `row` of keys."""

    @abstractmethod
    def add(self, level: str, nums: list[int], keys: np.ndarray, payloads: list[bytes]) -> None: ...

    @abstractmethod
    def drop(self, level: str, nums: list[int]) -> None:
        """Remove these numbers' sketches at this level (their band keys, payloads and partner
        lists; the lists of other articles naming them are not rewritten); the ids
        keep their numbers, so `add` can store a new sketch under the same number."""

    def replace(self, level: str, num: int, keys: np.ndarray, payload: bytes) -> None:
        """One article's sketch at this level replaced by a new one (same number)."""
        self.drop(level, [num])
        self.add(level, [num], keys.reshape(1, -1), [payload])

    @abstractmethod
    def payloads(self, level: str, nums: list[int]) -> dict[int, bytes]: ...

    @abstractmethod
    def count(self, level: str) -> int: ...

    def next_number(self) -> int:
        """The number the next new id would get (read only: nothing is numbered). A dry run
        (`DryRunIndex`) numbers its new ids from here, after every stored one."""
        raise NotImplementedError(f"{type(self).__name__} does not say its next number")

    # -- one writer at a time ---------------------------------------------------------------
    @contextmanager
    def exclusive(self, wait: float | None = None) -> Iterator[None]:
        """A section no other process (or other connection) holding this index's lock runs at the
        same time: what is read from the index inside it stays true until it ends, so "scan, then
        store what goes in" cannot interleave with another worker's. Re-entrant on one connection.

        `wait`: seconds to wait for another worker's section (None: the index's default,
        `LOCK_WAIT` unless configured); then `IndexBusy`. Released on any error, and by the
        backend when the process dies (SQLite: the OS; Redis: the lock's expiry)."""
        depth = getattr(self, "_lock_depth", 0)
        if depth == 0:
            total = self.lock_wait if wait is None else wait
            try:  # said on stderr when it has to wait: a silent wait looks like a hang
                self._acquire(min(total, _QUIET_WAIT))
            except IndexBusy:
                if total <= _QUIET_WAIT:
                    raise
                log.warning(
                    "index %s: another worker holds the index lock; waiting up to %g s more",
                    self.where,
                    total - _QUIET_WAIT,
                )
                try:
                    self._acquire(total - _QUIET_WAIT)
                except IndexBusy as err:  # the backend's message, with the whole wait
                    raise IndexBusy(f"{err} ({total:g} s in all)") from None
        self._lock_depth = depth + 1
        try:
            yield
        finally:
            self._lock_depth = depth
            if depth == 0:
                self._release()

    lock_wait: float = LOCK_WAIT

    def _acquire(self, wait: float) -> None:  # noqa: B027 - an index of one process has no rivals
        """Enter the backend's exclusive section, or raise `IndexBusy` after `wait` seconds."""

    def _release(self) -> None:  # noqa: B027
        """Leave it; never raises (it runs while another error may be on its way out)."""

    def close(self) -> None:  # noqa: B027 - most backends have nothing to release
        """Release the backend."""

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
