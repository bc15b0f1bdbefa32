"""A shared index in Redis (`redis://host:port/db` or `unix:///path.sock`), for several scanners.

Layout under a prefix (default ``dedup:``): ``meta`` hash (level -> JSON settings, ``format``,
``layout``), ``ids`` hash (id -> number), ``nums`` hash (number -> id), ``next`` counter, ``fp`` hash
(id -> content fingerprint), ``story`` hash (id -> story name, format 3; only names that are not
the id itself), ``t:<level>`` hash (number -> partner list, `base.tops_blob`, format 4),
``p:<level>`` hash (number -> payload), ``k:<level>`` hash (number ->
the buckets the article's band keys fell in, two bytes each, so a replaced or dropped sketch's
number is taken out of exactly those buckets).

Band keys live in bucket hashes, ``h:<level>:<bucket>``: bucket = the band key's low bits (the
bucket count, a power of two, is recorded in ``layout``), field = its high 32 bits in decimal,
value = the numbers of the articles sharing it, in decimal, comma-separated. Redis stores a hash of
up to 128 small fields as one listpack and decimal integers in it as integers, so a band costs
~10 bytes (one Redis key per band key, layout 1, cost ~100 bytes of key overhead per band: 3.3 KB
per article at copy level). Two band keys that share a bucket and their high 32 bits share a field
(a chance of 2**-48 per pair at the default): a candidate too many, which verification discards.
Appending to or removing from a field's number list is a server-side script, so concurrent
scanners cannot lose each other's writes; a removal reads the article's buckets whole (a few dozen
fields each) and takes its number out of every field that holds it, so the article's own list
needs only the bucket numbers, not the 8-byte band keys (layout 2 kept those: 0.36 KB per article
at copy level, now 0.1 KB). The default of 2**16 buckets per level keeps buckets
compact up to ~250k articles at copy level (and sparse buckets cost little below that); set
``buckets`` (config mapping) for larger indexes when the index is created. Indexes of the earlier layout (one set per band key) and of format 1 are
migrated when opened, as are layout-2 band-key lists; run that first open while no other process writes to the index. The `redis`
package is imported only when this backend is used.

The exclusive section (`Index.exclusive`) is redis-py's `Lock` on ``<prefix>lock`` (a key set with
NX and an expiry, released by a token-checking script: Redis's documented single-instance lock).
Its expiry (`lock_ttl`, default 30 s) is what frees the lock of a worker that was killed; a live
worker renews it every third of that (`Lock.reacquire`, from a thread) for as long as its section
lasts, so a long section is not cut short. A worker that cannot get it within `lock_wait` seconds
gets `IndexBusy`. Like any lock with an expiry it assumes a holder is not frozen for longer than
`lock_ttl` (a process stopped with SIGSTOP, a VM paused): one that is loses the lock to another
worker, which is logged when it ends its section.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from dedup.near.index.base import (
    FORMAT,
    LOCK_WAIT,
    Index,
    IndexBusy,
    IndexMismatch,
    IndexUnavailable,
    guard_outages,
    keys_blob,
    settle_format,
    upgraded_meta,
)

log = logging.getLogger("dedup.near")

_BATCH = 10_000
_LAYOUT = "buckets/3"  # "buckets" (8-byte binary fields) never left development
_KEYS_LAYOUT = "buckets/2"  # the same, with each article's full band keys listed: migrated
DEFAULT_BUCKETS = 2**16
LOCK_TTL = 30.0  # seconds a killed worker's lock outlives it

# Append a number to each (bucket, field) unless it is there already.
_ADD = """
for i = 1, #KEYS do
  local f, n = ARGV[2 * i - 1], ARGV[2 * i]
  local v = redis.call('HGET', KEYS[i], f)
  if not v then
    redis.call('HSET', KEYS[i], f, n)
  elseif not string.find(',' .. v .. ',', ',' .. n .. ',', 1, true) then
    redis.call('HSET', KEYS[i], f, v .. ',' .. n)
  end
end
return #KEYS
"""

# Remove a number (ARGV[1]) from every field of the given buckets that holds it; a field left empty
# goes. The buckets are the article's own (its `k` entry), so only its band keys' fields hold it.
_DROP = """
local n = ARGV[1]
local pat = ',' .. n .. ','
for i = 1, #KEYS do
  local all = redis.call('HGETALL', KEYS[i])
  for j = 1, #all, 2 do
    local v = all[j + 1]
    if string.find(',' .. v .. ',', pat, 1, true) then
      local keep = {}
      for m in string.gmatch(v, '[^,]+') do
        if m ~= n then keep[#keep + 1] = m end
      end
      if #keep == 0 then
        redis.call('HDEL', KEYS[i], all[j])
      else
        redis.call('HSET', KEYS[i], all[j], table.concat(keep, ','))
      end
    end
  end
end
return #KEYS
"""


def _glob_escape(text: str) -> str:
    """`text` as a SCAN MATCH pattern that matches only itself (a prefix may hold glob characters)."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


def _field(key: int) -> str:
    return str(key >> 32)


def _nums_of(value: bytes) -> list[int]:
    return [int(x) for x in value.split(b",")]


@guard_outages(lambda self: self._errors)
class RedisIndex(Index):
    kind = "redis"

    def __init__(
        self,
        url: str,
        prefix: str = "dedup:",
        buckets: int | None = None,
        lock_wait: float = LOCK_WAIT,
        lock_ttl: float = LOCK_TTL,
    ) -> None:
        if buckets is not None and (buckets < 1 or buckets & (buckets - 1)):
            raise ValueError(f"buckets must be a power of two, not {buckets}")
        if lock_ttl <= 0:
            raise ValueError(f"lock_ttl must be positive, not {lock_ttl}")
        self.lock_wait, self.lock_ttl = float(lock_wait), float(lock_ttl)
        self._lock: Any = None
        self._renew: tuple[threading.Thread, threading.Event] | None = None
        try:
            import redis
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise IndexUnavailable(
                "the Redis index needs the 'redis' package: pip install 'dedup[redis]'"
            ) from err
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
        self.where = url.split("@")[-1]  # never echo a password
        self.prefix = prefix
        try:
            self.r = redis.Redis.from_url(url, socket_connect_timeout=5)
            self.r.ping()
            self._add = self.r.register_script(_ADD)
            self._del = self.r.register_script(_DROP)
            fmt = self.r.hget(self._k("meta"), "format")
            found = None if fmt is None else json.loads(fmt)
            settle_format(
                found,
                self.where,
                lambda: self.r.hsetnx(self._k("meta"), "format", json.dumps(FORMAT)),
                [self._migrate_v1, self._migrate_v2, self._migrate_v3],
            )
            self.buckets = self._open_layout(buckets)
        except self._errors as err:
            raise IndexUnavailable(f"index {self.where}: cannot use Redis: {err}") from err

    def _open_layout(self, wanted: int | None) -> int:
        """The bucket count of this index: recorded when the index is new, migrated from one set per
        band key when the index has that earlier layout; a different explicit request is refused."""
        raw = self.r.hget(self._k("meta"), "layout")
        if raw is None:
            layout = {"bands": _LAYOUT, "buckets": wanted or DEFAULT_BUCKETS}
            if self._levels_stored():
                self._migrate_sets(layout["buckets"])
                self._keys_to_buckets()
            if not self.r.hsetnx(self._k("meta"), "layout", json.dumps(layout)):
                raw = self.r.hget(self._k("meta"), "layout")  # another scanner created it meanwhile
        stored = json.loads(raw) if raw is not None else layout
        if stored.get("bands") == _KEYS_LAYOUT:
            self.buckets = int(stored["buckets"])
            self._keys_to_buckets()
            stored["bands"] = _LAYOUT
            self.r.hset(self._k("meta"), "layout", json.dumps(stored))
        if stored.get("bands") != _LAYOUT:
            raise IndexMismatch(
                f"index {self.where} stores band keys as {stored.get('bands')!r}, expected {_LAYOUT!r}; "
                "it was written by another dedup version"
            )
        if wanted is not None and wanted != stored["buckets"]:
            raise IndexMismatch(
                f"index {self.where} was created with {stored['buckets']} buckets per level, "
                f"not {wanted}: leave `buckets` out or use a new prefix"
            )
        return int(stored["buckets"])

    def _bucket(self, level: str, key: int) -> str:
        return self._k("h", level, key & (self.buckets - 1))

    @property
    def _bucket_dtype(self) -> str:
        return "<u2" if self.buckets <= 2**16 else "<u4"

    def _buckets_blob(self, keys: np.ndarray) -> bytes:
        """An article's entry in ``k:<level>``: the distinct buckets of its band keys."""
        row = np.asarray(keys, dtype=np.uint64).reshape(-1) & np.uint64(self.buckets - 1)
        return np.unique(row).astype(self._bucket_dtype).tobytes()

    def _keys_to_buckets(self) -> None:
        """Layout 2 -> 3: each article's list of band keys becomes the list of their buckets."""
        for level in self._levels_stored():
            name = self._k("k", level)
            batch: dict[Any, bytes] = {}
            for num, blob in self.r.hscan_iter(name, count=1000):
                batch[num] = self._buckets_blob(np.frombuffer(blob, dtype="<u8"))
                if len(batch) >= _BATCH:
                    self.r.hset(name, mapping=batch)
                    batch = {}
            if batch:
                self.r.hset(name, mapping=batch)
        log.warning("index %s: band-key lists reduced to bucket lists (layout %s)", self.where, _LAYOUT)

    def _script_args(self, level: str, entries: list[tuple[int, int]]) -> tuple[list[str], list[str]]:
        """KEYS and ARGV of a bucket script for (band key, number) entries."""
        keys = [self._bucket(level, key) for key, _ in entries]
        args: list[str] = []
        for key, num in entries:
            args += [_field(key), str(int(num))]
        return keys, args

    def _queue(self, pipe: Any, script: Any, level: str, entries: list[tuple[int, int]]) -> None:
        for k in range(0, len(entries), _BATCH):
            keys, args = self._script_args(level, entries[k : k + _BATCH])
            script(keys=keys, args=args, client=pipe)

    def _migrate_sets(self, buckets: int) -> None:
        """One set per band key (the first format-2 layout) -> bucket hashes."""
        self.buckets = buckets
        for level in self._levels_stored():
            head = self._k("b", level, "")
            pattern = _glob_escape(head) + "*"
            names = list(self.r.scan_iter(match=pattern, count=1000))
            for k in range(0, len(names), 1000):
                part = names[k : k + 1000]
                pipe = self.r.pipeline(transaction=False)
                for name in part:
                    pipe.smembers(name)
                entries = [
                    (int(name.decode()[len(head) :]), int(m))
                    for name, members in zip(part, pipe.execute(), strict=True)
                    for m in sorted(members, key=int)
                ]
                pipe = self.r.pipeline(transaction=True)
                self._queue(pipe, self._add, level, entries)
                pipe.delete(*part)
                pipe.execute()
        log.warning("index %s: band keys moved into %d bucket hashes per level", self.where, buckets)

    def _k(self, *parts: object) -> str:
        return self.prefix + ":".join(str(p) for p in parts)

    def _levels_stored(self) -> list[str]:
        fields = self.r.hkeys(self._k("meta"))
        names = (f.decode() if isinstance(f, bytes) else f for f in fields)
        return sorted(n[len("level:") :] for n in names if n.startswith("level:"))

    def _migrate_v1(self) -> None:
        """Format 1 -> 2: each stored sketch's band keys collected from the band sets (one SCAN)."""
        for level in self._levels_stored():
            head = self._k("b", level, "")
            pattern = _glob_escape(head) + "*"
            per_num: dict[int, list[int]] = {}
            for name in self.r.scan_iter(match=pattern, count=1000):
                key = int(name.decode()[len(head) :])
                for m in self.r.smembers(name):
                    per_num.setdefault(int(m), []).append(key)
            items = sorted(per_num.items())
            for k in range(0, len(items), _BATCH):
                blobs = {
                    n: keys_blob(np.asarray(sorted(ks), dtype=np.uint64)) for n, ks in items[k : k + _BATCH]
                }
                self.r.hset(self._k("k", level), mapping=blobs)

    def _migrate_v2(self) -> None:
        """Format 2 -> 3: story names live in a hash of their own (none yet: every article named
        after itself); each level's recorded settings get the new format."""
        for level in self._levels_stored():
            raw = self.r.hget(self._k("meta"), f"level:{level}")
            meta = upgraded_meta(json.loads(raw))
            self.r.hset(self._k("meta"), f"level:{level}", json.dumps(meta))
        self.r.hset(self._k("meta"), "format", json.dumps(FORMAT))

    def _migrate_v3(self) -> None:
        """Format 3 -> 4: partner lists live in ``t:<level>`` (none yet: every stored article keeps
        every new partner in its top `cap` among the new ones); the recorded settings get the new
        format."""
        self._migrate_v2()

    def _get_meta(self, level: str) -> dict[str, Any] | None:
        raw = self.r.hget(self._k("meta"), f"level:{level}")
        return None if raw is None else json.loads(raw)

    def _set_meta(self, level: str, meta: dict[str, Any]) -> None:
        if not self.r.hsetnx(self._k("meta"), f"level:{level}", json.dumps(meta)):
            self.ensure_level(level, meta)  # another scanner recorded it first: compare with theirs

    def number(self, ids: list[str]) -> list[int]:
        known = self.lookup(ids)
        new = [i for i in dict.fromkeys(ids) if i not in known]
        for k in range(0, len(new), _BATCH):
            part = new[k : k + _BATCH]
            end = int(self.r.incrby(self._k("next"), len(part)))  # a block of fresh numbers
            nums = range(end - len(part), end)
            pipe = self.r.pipeline(transaction=False)
            for i, n in zip(part, nums, strict=True):
                pipe.hsetnx(self._k("ids"), i, n)
            won = pipe.execute()
            pipe = self.r.pipeline(transaction=False)
            for i, n, ok in zip(part, nums, won, strict=True):
                if ok:
                    pipe.hset(self._k("nums"), n, i)
                    known[i] = n
            pipe.execute()
            lost = [i for i, ok in zip(part, won, strict=True) if not ok]  # numbered meanwhile elsewhere
            known.update(self.lookup(lost))
        return [known[i] for i in ids]

    def _present(self, name: str, fields: list[Any]) -> Iterator[tuple[Any, bytes]]:
        """(field, value) for the fields of hash `name` that are set, read in batches."""
        for k in range(0, len(fields), _BATCH):
            part = fields[k : k + _BATCH]
            if part:
                vals = self.r.hmget(name, part)
                yield from ((f, v) for f, v in zip(part, vals, strict=True) if v is not None)

    def lookup(self, ids: list[str]) -> dict[str, int]:
        return {i: int(v) for i, v in self._present(self._k("ids"), ids)}

    def ids_of(self, nums: list[int]) -> dict[int, str]:
        return {n: v.decode() for n, v in self._present(self._k("nums"), nums)}

    def fingerprints(self, ids: list[str]) -> dict[str, int]:
        return {i: int(v) for i, v in self._present(self._k("fp"), ids)}

    def set_fingerprints(self, fps: Mapping[str, int]) -> None:
        missing = set(fps) - set(self.lookup(list(fps)))
        if missing:
            raise KeyError(f"fingerprints for ids that are not in the index: {sorted(missing)[:5]}")
        if fps:
            self.r.hset(self._k("fp"), mapping={i: str(int(v)) for i, v in fps.items()})

    def stories(self, ids: list[str]) -> dict[str, str]:
        return {i: v.decode() for i, v in self._present(self._k("story"), ids)}

    def set_stories(self, names: Mapping[str, str]) -> None:
        missing = set(names) - set(self.lookup(list(names)))
        if missing:
            raise KeyError(f"story names for ids that are not in the index: {sorted(missing)[:5]}")
        named = {i: n for i, n in names.items() if n != i}
        cleared = [i for i, n in names.items() if n == i]
        pipe = self.r.pipeline(transaction=True)
        if named:
            pipe.hset(self._k("story"), mapping=named)
        if cleared:
            pipe.hdel(self._k("story"), *cleared)
        pipe.execute()

    def _drop_into(self, pipe: Any, level: str, nums: list[int]) -> None:
        """Queue the removal of these numbers' sketches at this level on a pipeline."""
        if not nums:
            return
        blobs = self.r.hmget(self._k("k", level), nums)
        for n, blob in zip(nums, blobs, strict=True):
            if blob is not None:
                names = [
                    self._k("h", level, b) for b in np.frombuffer(blob, dtype=self._bucket_dtype).tolist()
                ]
                for k in range(0, len(names), _BATCH):
                    self._del(keys=names[k : k + _BATCH], args=[str(int(n))], client=pipe)
        pipe.hdel(self._k("p", level), *nums)
        pipe.hdel(self._k("k", level), *nums)
        pipe.hdel(self._k("t", level), *nums)

    def drop(self, level: str, nums: list[int]) -> None:
        for k in range(0, len(nums), _BATCH // 8):
            pipe = self.r.pipeline(transaction=True)
            self._drop_into(pipe, level, nums[k : k + _BATCH // 8])
            pipe.execute()

    def replace(self, level: str, num: int, keys: np.ndarray, payload: bytes) -> None:
        """Drop and add in one MULTI/EXEC: a reader never sees the article without a sketch."""
        row = np.ascontiguousarray(keys, dtype=np.uint64).reshape(-1)
        pipe = self.r.pipeline(transaction=True)
        self._drop_into(pipe, level, [num])
        pipe.hset(self._k("p", level), num, payload)
        pipe.hset(self._k("k", level), num, self._buckets_blob(row))
        self._queue(pipe, self._add, level, [(key, num) for key in row.tolist()])
        pipe.execute()

    def forget(self, ids: list[str]) -> None:
        known = self.lookup(ids)
        if not known:
            return
        nums = list(known.values())
        levels = self._levels_stored()
        for k in range(0, len(nums), _BATCH // 8):
            part = nums[k : k + _BATCH // 8]
            pipe = self.r.pipeline(transaction=True)
            for level in levels:
                self._drop_into(pipe, level, part)
            pipe.hdel(self._k("nums"), *part)
            pipe.execute()
        names = list(known)
        pipe = self.r.pipeline(transaction=True)
        pipe.hdel(self._k("ids"), *names)
        pipe.hdel(self._k("fp"), *names)
        pipe.hdel(self._k("story"), *names)
        pipe.execute()

    def tops(self, level: str, nums: list[int]) -> dict[int, bytes]:
        return dict(self._present(self._k("t", level), nums))

    def set_tops(self, level: str, lists: Mapping[int, bytes]) -> None:
        items = sorted((int(n), bytes(b)) for n, b in lists.items())
        for k in range(0, len(items), _BATCH):
            self.r.hset(self._k("t", level), mapping=dict(items[k : k + _BATCH]))

    def has(self, level: str, nums: list[int]) -> set[int]:
        return {n for n, _ in self._present(self._k("p", level), nums)}

    def candidates(self, level: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows: list[int] = []
        found: list[int] = []
        flat = keys.reshape(-1).tolist()
        nb = keys.shape[1] if keys.ndim == 2 and keys.shape[1] else 1
        for k in range(0, len(flat), _BATCH):
            pipe = self.r.pipeline(transaction=False)
            for key in flat[k : k + _BATCH]:
                pipe.hget(self._bucket(level, key), _field(key))
            for j, value in enumerate(pipe.execute()):
                if value:
                    members = _nums_of(value)
                    rows += [(k + j) // nb] * len(members)
                    found += members
        return np.asarray(rows, dtype=np.int64), np.asarray(found, dtype=np.int64)

    def add(self, level: str, nums: list[int], keys: np.ndarray, payloads: list[bytes]) -> None:
        """In MULTI/EXEC chunks: a client that dies mid-chunk leaves each article stored whole or
        not at all (never a payload whose band keys are missing, which no later run would mend)."""
        for k in range(0, len(nums), _BATCH // 8):
            pipe = self.r.pipeline(transaction=True)
            part = nums[k : k + _BATCH // 8]
            pipe.hset(self._k("p", level), mapping=dict(zip(part, payloads[k : k + len(part)], strict=True)))
            pipe.hset(
                self._k("k", level),
                mapping={n: self._buckets_blob(keys[row]) for row, n in enumerate(part, start=k)},
            )
            entries = [(key, n) for row, n in enumerate(part, start=k) for key in keys[row].tolist()]
            self._queue(pipe, self._add, level, entries)
            pipe.execute()

    def payloads(self, level: str, nums: list[int]) -> dict[int, bytes]:
        return dict(self._present(self._k("p", level), nums))

    def count(self, level: str) -> int:
        return int(self.r.hlen(self._k("p", level)))

    def next_number(self) -> int:
        return int(self.r.get(self._k("next")) or 0)  # `number` takes blocks from this counter

    def _acquire(self, wait: float) -> None:
        # thread_local=False: the renewing thread must see the token this thread acquired with.
        lock = self.r.lock(
            self._k("lock"),
            timeout=self.lock_ttl,
            sleep=0.005,
            blocking_timeout=max(wait, 0.0),
            thread_local=False,
        )
        try:
            got = lock.acquire()
        except self._errors as err:
            raise IndexUnavailable(
                f"index {self.where}: redis failed: cannot take the index lock: {err}"
            ) from err
        if not got:
            raise IndexBusy(
                f"index {self.where}: another worker held the index lock ({self._k('lock')}) for more "
                f"than {wait:g} s"
            )
        stop = threading.Event()
        thread = threading.Thread(target=self._keep, args=(lock, stop), name="dedup-index-lock", daemon=True)
        self._lock, self._renew = lock, (thread, stop)
        thread.start()

    def _keep(self, lock: Any, stop: threading.Event) -> None:
        """Renew the lock's expiry while the section lasts."""
        while not stop.wait(self.lock_ttl / 3):
            try:
                lock.reacquire()
            except Exception:  # lost (expired while frozen) or the server is gone: said at release
                log.warning("index %s: renewing the index lock failed", self.where, exc_info=True)
                return

    def _release(self) -> None:
        lock, self._lock = self._lock, None
        if self._renew is not None:
            thread, stop = self._renew
            self._renew = None
            stop.set()
            thread.join()
        if lock is None:
            return
        try:
            lock.release()
        except Exception as err:  # never mask the error that may be leaving the section
            log.warning(
                "index %s: the index lock was not held any more at the end of the section (%s): "
                "another worker may have entered it meanwhile",
                self.where,
                err,
            )

    def close(self) -> None:
        self._release()
        self.r.close()
