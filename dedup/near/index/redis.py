"""A shared index in Redis (`redis://host:port/db` or `unix:///path.sock`), for several scanners.

Layout under a prefix (default ``dedup:``): ``meta`` hash (level -> JSON settings), ``ids`` hash
(id -> number), ``nums`` hash (number -> id), ``next`` counter, ``p:<level>`` hash (number ->
payload), ``b:<level>:<key>`` sets of numbers sharing a band key. The `redis` package is imported
only when this backend is used.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from dedup.near.index.base import FORMAT, Index, IndexMismatch, IndexUnavailable

_BATCH = 10_000


class RedisIndex(Index):
    kind = "redis"

    def __init__(self, url: str, prefix: str = "dedup:") -> None:
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
            fmt = self.r.hget(self._k("meta"), "format")
            if fmt is None:
                self.r.hsetnx(self._k("meta"), "format", json.dumps(FORMAT))
            elif json.loads(fmt) != FORMAT:
                raise IndexMismatch(f"index {self.where} has format {json.loads(fmt)!r}, expected {FORMAT!r}")
        except self._errors as err:
            raise IndexUnavailable(f"index {self.where}: cannot use Redis: {err}") from err

    def _k(self, *parts: object) -> str:
        return self.prefix + ":".join(str(p) for p in parts)

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

    def lookup(self, ids: list[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for k in range(0, len(ids), _BATCH):
            part = ids[k : k + _BATCH]
            if part:
                vals = self.r.hmget(self._k("ids"), part)
                out.update({i: int(v) for i, v in zip(part, vals, strict=True) if v is not None})
        return out

    def ids_of(self, nums: list[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for k in range(0, len(nums), _BATCH):
            part = nums[k : k + _BATCH]
            if part:
                vals = self.r.hmget(self._k("nums"), part)
                out.update({n: v.decode() for n, v in zip(part, vals, strict=True) if v is not None})
        return out

    def has(self, level: str, nums: list[int]) -> set[int]:
        out: set[int] = set()
        for k in range(0, len(nums), _BATCH):
            part = nums[k : k + _BATCH]
            if part:
                vals = self.r.hmget(self._k("p", level), part)
                out.update(n for n, v in zip(part, vals, strict=True) if v is not None)
        return out

    def candidates(self, level: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows: list[int] = []
        found: list[int] = []
        flat = keys.reshape(-1).tolist()
        nb = keys.shape[1] if keys.ndim == 2 and keys.shape[1] else 1
        for k in range(0, len(flat), _BATCH):
            pipe = self.r.pipeline(transaction=False)
            for key in flat[k : k + _BATCH]:
                pipe.smembers(self._k("b", level, key))
            for j, members in enumerate(pipe.execute()):
                for m in members:
                    rows.append((k + j) // nb)
                    found.append(int(m))
        return np.asarray(rows, dtype=np.int64), np.asarray(found, dtype=np.int64)

    def add(self, level: str, nums: list[int], keys: np.ndarray, payloads: list[bytes]) -> None:
        for k in range(0, len(nums), _BATCH // 8):
            pipe = self.r.pipeline(transaction=False)
            part = nums[k : k + _BATCH // 8]
            pipe.hset(self._k("p", level), mapping=dict(zip(part, payloads[k : k + len(part)], strict=True)))
            for row, n in enumerate(part, start=k):
                for key in keys[row].tolist():
                    pipe.sadd(self._k("b", level, key), n)
            pipe.execute()

    def payloads(self, level: str, nums: list[int]) -> dict[int, bytes]:
        out: dict[int, bytes] = {}
        for k in range(0, len(nums), _BATCH):
            part = nums[k : k + _BATCH]
            if part:
                vals = self.r.hmget(self._k("p", level), part)
                out.update({n: v for n, v in zip(part, vals, strict=True) if v is not None})
        return out

    def count(self, level: str) -> int:
        return int(self.r.hlen(self._k("p", level)))

    def close(self) -> None:
        self.r.close()
