"""LSH banding in numpy: band keys from signature rows, and the pairs of rows that share one.

Bands and rows come from datasketch's own `_optimal_param` for the level's LSH threshold (what
`MinHashLSH(threshold=...)` would choose). Instead of one Python dict insert per band per article
(what `MinHashLSH.insert` does, ~40 us per article and ~3 KB of dict entries per article), each band
of a batch is hashed to one 64-bit key in numpy and collisions are found by sorting.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
from datasketch.lsh import _optimal_param

from dedup.near.index.base import TOP_RECORD, expand_ranges
from dedup.near.shingle import fmix64

_U64 = np.uint64
_MULTS = fmix64(np.arange(1, 257, dtype=_U64)) | _U64(1)  # odd per-row multipliers
_ROW_BITS = 24
_LOW = _U64((1 << _ROW_BITS) - 1)
_TOP = ~_LOW
MAX_RUN_ALL_PAIRS = 64  # in a bigger bucket only rows < 64 apart are paired (still connected)


@lru_cache(maxsize=64)
def band_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) as datasketch's MinHashLSH derives them (equal false positive/negative weights)."""
    b, r = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(b), int(r)


def band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n, bands) uint64: one key per band, equal when the band's rows are equal (up to 2**-64)."""
    n = sig.shape[0]
    block = sig[:, : bands * rows].astype(_U64).reshape(n, bands, rows)
    with np.errstate(over="ignore"):
        acc = np.zeros((n, bands), dtype=_U64)
        for j in range(rows):
            acc ^= fmix64(block[:, :, j] * _MULTS[j] + _U64(j))
        acc += np.arange(bands, dtype=_U64) * _U64(0x9E3779B97F4A7C15)  # distinct bands, distinct keys
    return fmix64(acc)


def colliding_pairs(keys: np.ndarray) -> np.ndarray:
    """(m, 2) int64 pairs (i < j) of rows sharing a key in at least one band, unique, sorted."""
    n, bands = keys.shape
    found: list[np.ndarray] = []
    packed = n < (1 << _ROW_BITS)
    rows = np.arange(n, dtype=np.uint64)
    for band in range(bands):
        col = keys[:, band]
        if packed:
            # Sort values, not indices (several times faster): the key's top bits with the row
            # number in the low bits. Two keys equal in their top 40 bits collide by chance with
            # probability ~n/2**40 per band, and the exact verification drops such a pair anyway.
            v = np.sort((col & _TOP) | rows)
            order = (v & _LOW).astype(np.int64)
            s = v & _TOP
        else:
            order = np.argsort(col)  # any tie order will do: pairs are made unique and sorted below
            s = col[order]
        same = s[1:] == s[:-1]
        if not same.any():
            continue
        run_id = np.concatenate([[0], np.cumsum(~same)])
        # Only rows in buckets of two or more matter: work on that (small) subset.
        in_run = np.zeros(n, dtype=bool)
        in_run[1:] |= same
        in_run[:-1] |= same
        pos = np.flatnonzero(in_run)
        rid, members = run_id[pos], order[pos]
        for d in range(1, MAX_RUN_ALL_PAIRS):
            ok = rid[d:] == rid[:-d]
            if not ok.any():
                break
            idx = np.flatnonzero(ok)
            a, b = members[idx], members[idx + d]
            found.append(np.minimum(a, b) * max(n, 1) + np.maximum(a, b))
    return _decode_codes(found, n)


def _decode_codes(codes: list[np.ndarray], n: int) -> np.ndarray:
    """Pair codes ``lo * n + hi`` to unique sorted (lo, hi) rows."""
    if not codes:
        return np.empty((0, 2), dtype=np.int64)
    code = np.concatenate(codes)
    code.sort()
    keep = np.empty(len(code), dtype=bool)
    keep[:1] = True
    np.not_equal(code[1:], code[:-1], out=keep[1:])
    code = code[keep]
    out = np.stack([code // max(n, 1), code % max(n, 1)], axis=1)
    return out[out[:, 0] != out[:, 1]]


def unique_pairs(parts: list[np.ndarray], n: int) -> np.ndarray:
    if not parts:
        return np.empty((0, 2), dtype=np.int64)
    p = np.concatenate(parts).astype(np.int64)
    lo = np.minimum(p[:, 0], p[:, 1])
    hi = np.maximum(p[:, 0], p[:, 1])
    code = lo * max(n, 1) + hi
    code.sort()
    if len(code):
        keep = np.empty(len(code), dtype=bool)
        keep[0] = True
        np.not_equal(code[1:], code[:-1], out=keep[1:])
        code = code[keep]
    out = np.stack([code // max(n, 1), code % max(n, 1)], axis=1)
    return out[out[:, 0] != out[:, 1]]


_BLOCK_INCIDENCES = 1 << 22  # (row, partner) collisions counted per block: bounds the memory


def _bucket_ranges(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per band, the rows sorted by key; per (row, band), the [lo, hi) positions of its bucket in the
    flattened (bands * n) order, empty for a row alone in its bucket."""
    n, bands = keys.shape
    order = np.empty((bands, n), dtype=np.int64)
    lo = np.zeros((n, bands), dtype=np.int64)
    hi = np.zeros((n, bands), dtype=np.int64)
    for band in range(bands):
        col = keys[:, band]
        o = np.argsort(col, kind="stable")
        s = col[o]
        new = np.empty(n, dtype=bool)
        new[:1] = True
        np.not_equal(s[1:], s[:-1], out=new[1:])
        starts = np.flatnonzero(new)
        ends = np.append(starts[1:], n)
        run = np.cumsum(new) - 1
        a, b = starts[run], ends[run]
        shared = (b - a) > 1
        lo[o, band] = np.where(shared, a + band * n, 0)
        hi[o, band] = np.where(shared, b + band * n, 0)
        order[band] = o
    return order.reshape(-1), lo, hi


def _top_k_mask(group: np.ndarray, counts: np.ndarray, k: int) -> np.ndarray:
    """Which entries are among the k highest counts of their group. `group` is sorted ascending and,
    within a group, entries come by ascending partner number, which breaks ties.

    Linear, no sort: a group of more than k entries finds its k-th highest count from a histogram of
    its counts (small integers: shared bands), keeps every entry above it and, of the entries equal
    to it, the first ones in partner order until it has k."""
    m = len(group)
    mask = np.ones(m, dtype=bool)
    if not m:
        return mask
    first = np.empty(m, dtype=bool)
    first[0] = True
    np.not_equal(group[1:], group[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    big = np.diff(np.append(starts, m)) > k
    if not big.any():
        return mask
    gid = np.cumsum(first) - 1
    sel = big[gid]  # entries of groups with more than k entries (each group's entries are contiguous)
    eg = (np.cumsum(big) - 1)[gid[sel]]
    ec = counts[sel].astype(np.int64)
    top = int(ec.max())
    n_big = int(big.sum())
    hist = np.bincount(eg * (top + 1) + ec, minlength=n_big * (top + 1)).reshape(n_big, top + 1)
    at_least = np.zeros((n_big, top + 2), dtype=np.int64)  # [g, c]: entries of g with count >= c
    at_least[:, : top + 1] = np.cumsum(hist[:, ::-1], axis=1)[:, ::-1]
    kth = (at_least[:, : top + 1] >= k).sum(axis=1) - 1  # the k-th highest count of each group
    need = k - at_least[np.arange(n_big), kth + 1]  # entries equal to it that still fit
    c_kth = kth[eg]
    eq = ec == c_kth
    seen = np.cumsum(eq)
    before = np.maximum.accumulate(np.where(first[sel], seen - eq, 0))  # eq entries before the group
    mask[sel] = (ec > c_kth) | (eq & (seen - before <= need[eg]))
    return mask


def _counted(row: np.ndarray, partner: np.ndarray, space: int, narrow: bool) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (row, partner) codes ``row * space + partner``, sorted, with their multiplicities: what
    `np.unique(..., return_counts=True)` gives, sorting 32-bit codes when they fit (about twice as fast)."""
    if narrow:
        code = row.astype(np.uint32) * np.uint32(space) + partner.astype(np.uint32)
    else:
        code = row * space + partner
    code.sort()
    m = len(code)
    if not m:
        return code.astype(np.int64), np.empty(0, dtype=np.int64)
    new = np.empty(m, dtype=bool)
    new[0] = True
    np.not_equal(code[1:], code[:-1], out=new[1:])
    at = np.flatnonzero(new)
    return code[at].astype(np.int64), np.diff(np.append(at, m))


def pair_collision_counts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of rows (i < j) sharing a key in at least one band, with the number of bands they
    share: ((m, 2) int64 sorted, (m,) int64). Unbounded (no per-bucket cap): for tests and benchmarks."""
    n = keys.shape[0]
    if n < 2:
        return np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.int64)
    order, lo, hi = _bucket_ranges(keys)
    owner, pos = expand_ranges(lo.reshape(-1), hi.reshape(-1))
    row = owner // keys.shape[1]
    partner = order[pos]
    keep = row < partner
    code, counts = np.unique(row[keep] * n + partner[keep], return_counts=True)
    return np.stack([code // n, code % n], axis=1), counts.astype(np.int64)


class StoredSide(NamedTuple):
    """What `top_stored` found in the index for a run's rows (`rows` index the run's keys)."""

    rows: np.ndarray  # per row, its `cap` stored partners sharing the most keys, once per shared key
    nums: np.ndarray
    voters: np.ndarray  # stored articles that keep a fresh row, as it came: the row ranks in the
    voted: np.ndarray  # voter's top `cap` over its list and the fresh rows numbered before it
    kept: np.ndarray  # (m, 2) (stored, run number): in the voter's top `cap` over its list and the run
    lists: dict[int, bytes]  # the stored articles' lists that changed, with this run's fresh rows


def top_stored(
    index: Any,
    level: str,
    keys: np.ndarray,
    cap: int,
    nums: np.ndarray,
    block_incidences: int = _BLOCK_INCIDENCES,
    fresh: np.ndarray | None = None,
) -> StoredSide:
    """`index.candidates(level, keys)`, reduced to what `capped_pairs` and `story.earlier_partners`
    can use: per row, its `cap` stored partners sharing the most keys (ties: the smaller number
    first; `nums`, this run's own numbers, left out first, as both do), each repeated as often as
    it shares a key. Both keep at most `cap` partners per row in that same order, so a stored
    partner outside its row's top `cap` among stored ones can never be kept: the answer is the same
    as from the raw candidates.

    With `fresh` (per row: not stored at this level yet), the stored side votes too (index format
    4): each stored article met ranks the fresh rows sharing keys with it against its partner list
    (`Index.tops`: its best `cap` partners among the articles stored before). `kept` are the pairs
    where a fresh row ranks in the top `cap` of the list and all fresh rows; `voters`/`voted` where
    it ranks in the top `cap` of the list and the fresh rows numbered before it (what the gate
    asks: an article's candidates must not depend on later articles of its batch; a superset of
    `kept`); `lists` the new lists to store. A pair that one run over everything keeps because the
    earlier article ranks the later one in its top `cap` is then kept incrementally too: a top
    `cap` over all partners stays a top `cap` over any subset holding it, and a list only ever names
    real partners with their counts. Rows (and lists) are worked through in number order.

    Why the reduction: with one-row bands a new article shares a key with a fixed share of the
    whole index (about 1 in 10 articles on a narrow corpus), so the raw answer grows with run x
    index: 25k articles against 50k stored were 120 M entries, and an SQLite index returned them as
    Python tuples (10 GB at 50k, killed at 75k). Rows are queried in blocks sized to about
    `block_incidences` entries (from the entries per row seen so far), so memory stays bounded
    whatever the index size (the lists held are at most `cap` per stored article met); the time
    still grows with it. An index that is a `StagedView` keeps the answer as the one it looked up
    (`looked`), for the gate to reuse."""
    n = keys.shape[0]
    nums = np.asarray(nums, dtype=np.int64)
    order = np.argsort(nums, kind="stable")
    pools = _Pools(index, level, cap, nums) if fresh is not None and cap > 0 else None
    rows_out: list[np.ndarray] = []
    nums_out: list[np.ndarray] = []
    r0, block, seen, rows_seen = 0, 256, 0, 0
    while r0 < n:
        r1 = min(n, r0 + block)
        q = order[r0:r1]
        rows, found = index.candidates(level, keys[q])
        rows, found = np.asarray(rows, dtype=np.int64), np.asarray(found, dtype=np.int64)
        seen, rows_seen = seen + len(rows), rows_seen + (r1 - r0)
        if len(found) and len(nums):
            keep = ~np.isin(found, nums)
            rows, found = rows[keep], found[keep]
        if len(found):
            space = int(found.max()) + 1
            code, counts = _counted(rows, found, space, (r1 - r0) * space < (1 << 32))  # by row, number
            crow, cnum = code // space, code % space
            if pools is not None:
                f = np.asarray(fresh, dtype=bool)[q[crow]]
                pools.block(cnum[f], q[crow[f]], counts[f])
            top = _top_k_mask(crow, counts, cap)
            rows_out.append(np.repeat(q[crow[top]], counts[top]))
            nums_out.append(np.repeat(cnum[top], counts[top]))
        r0 = r1
        block = max(1, min(n, block_incidences // max(1, -(-seen // rows_seen))))
    if rows_out:
        out_rows, out_nums = np.concatenate(rows_out), np.concatenate(nums_out)
        by_row = np.lexsort((out_nums, out_rows))  # as one pass over the rows in input order gave
        out_rows, out_nums = out_rows[by_row], out_nums[by_row]
    else:
        out_rows = out_nums = np.empty(0, dtype=np.int64)
    none = np.empty(0, dtype=np.int64)
    if pools is None:
        side = StoredSide(out_rows, out_nums, none, none, np.empty((0, 2), dtype=np.int64), {})
    else:
        voters, voted = pools.votes()
        side = StoredSide(out_rows, out_nums, voters, voted, pools.kept(), pools.lists())
    looked = getattr(index, "looked", None)
    if isinstance(looked, dict):
        looked[level] = (keys, side)
    return side


class _Pools:
    """The stored articles met by a run, each with its best `cap` partners so far (count descending,
    number ascending): its stored list without this run's numbers, then the fresh rows it keeps.
    Fixed-width arrays (`cap` columns, count -1 where empty), so ranking a block's rows against
    them is vectorised."""

    def __init__(self, index: Any, level: str, cap: int, run_nums: np.ndarray) -> None:
        self.index, self.level, self.cap = index, level, cap
        self.run_nums = np.asarray(run_nums, dtype=np.int64)
        self.slot = np.full(0, -1, dtype=np.int64)  # stored number -> row of the arrays
        self.owner = np.empty(0, dtype=np.int64)
        self.c = np.empty((0, cap), dtype=np.int16)
        self.p = np.empty((0, cap), dtype=np.int64)
        self.dirty = np.empty(0, dtype=bool)
        self._voters: list[np.ndarray] = []
        self._voted: list[np.ndarray] = []

    def _load(self, stored: np.ndarray) -> None:
        """Slots for stored numbers not met before, filled with their lists from the index."""
        top = int(stored.max()) + 1
        if top > len(self.slot):
            self.slot = np.concatenate(
                [self.slot, np.full(max(top, 2 * len(self.slot)) - len(self.slot), -1)]
            )
        new = stored[self.slot[stored] < 0]
        if not len(new):
            return
        base = len(self.owner)
        self.slot[new] = base + np.arange(len(new))
        self.owner = np.concatenate([self.owner, new])
        self.c = np.concatenate([self.c, np.full((len(new), self.cap), -1, dtype=np.int16)])
        self.p = np.concatenate([self.p, np.zeros((len(new), self.cap), dtype=np.int64)])
        self.dirty = np.concatenate([self.dirty, np.zeros(len(new), dtype=bool)])
        lists = self.index.tops(self.level, new.tolist())
        if not lists:
            return
        have = [n for n in new.tolist() if n in lists]
        blobs = [lists[n] for n in have]
        rec = np.frombuffer(b"".join(blobs), dtype=TOP_RECORD)
        size = np.asarray([len(b) // TOP_RECORD.itemsize for b in blobs], dtype=np.int64)
        own = np.repeat(self.slot[np.asarray(have, dtype=np.int64)], size)
        cnt, num = rec["count"].astype(np.int16), rec["num"].astype(np.int64)
        gone = np.isin(num, self.run_nums)  # this run's own numbers: ranked afresh from their new keys
        if gone.any():
            self.dirty[np.unique(own[gone])] = True
            own, cnt, num = own[~gone], cnt[~gone], num[~gone]
        rank = _rank_in_group(own)  # a stored list is in rank order already, grouped by owner
        fit = rank < self.cap
        self.c[own[fit], rank[fit]] = cnt[fit]
        self.p[own[fit], rank[fit]] = num[fit]

    def block(self, stored: np.ndarray, rows: np.ndarray, counts: np.ndarray) -> None:
        """One block of (stored number, fresh row, shared keys) entries, rows in number order: each
        entry votes when fewer than `cap` of the stored article's best partners so far and of the
        block's earlier rows come before it; the voters' lists take their votes."""
        if not len(stored):
            return
        self._load(np.unique(stored))
        s = self.slot[stored]
        x = self.run_nums[rows]
        c = counts.astype(np.int64)
        tc, tp = self.c[s, self.cap - 1], self.p[s, self.cap - 1]
        beat = (c > tc) | ((c == tc) & (x < tp))  # an entry behind the cap-th can never vote
        s, x, c, rows = s[beat], x[beat], c[beat], rows[beat]
        if not len(s):
            return
        # Best partners so far that come before each entry: a binary search in its voter's slot
        # (kept in rank order, empty places last), log2(cap) gathers per entry instead of `cap`.
        lo = np.zeros(len(s), dtype=np.int64)
        hi = np.full(len(s), self.cap, dtype=np.int64)
        for _ in range(self.cap.bit_length()):
            mid = np.minimum((lo + hi) // 2, self.cap - 1)
            cm, pm = self.c[s, mid], self.p[s, mid]
            before_mid = ((cm > c) | ((cm == c) & (pm < x))) & (lo < hi)
            lo = np.where(before_mid, mid + 1, lo)
            hi = np.where(before_mid | (lo >= hi), hi, mid)
        ahead = lo
        o = np.argsort((s << 32) | x)  # per voter, by number: an earlier row with as many keys comes first
        so, co = s[o], c[o]
        first = np.empty(len(so), dtype=bool)
        first[0] = True
        np.not_equal(so[1:], so[:-1], out=first[1:])
        start = np.maximum.accumulate(np.where(first, np.arange(len(so)), 0))
        before = np.zeros(len(so), dtype=np.int64)
        for v in np.unique(co).tolist():
            ge = np.cumsum(co >= v)
            at = co == v
            base = np.where(start > 0, ge[start - 1], 0)
            before[at] = (ge - (co >= v) - base)[at]
        ahead[o] += before
        vote = ahead < self.cap
        if not vote.any():
            return
        s, x, c, rows = s[vote], x[vote], c[vote], rows[vote]
        self._voters.append(self.owner[s])
        self._voted.append(rows)
        touched = np.unique(s)
        tcnt, tnum = self.c[touched], self.p[touched]
        filled = tcnt >= 0
        own = np.concatenate([np.repeat(touched, filled.sum(axis=1)), s])
        cnt = np.concatenate([tcnt[filled].astype(np.int64), c])
        num = np.concatenate([tnum[filled], x])
        if len(self.owner) < (1 << 23):  # one 64-bit key: slot, count (<= 255 kept), number
            o = np.argsort((own << 40) | ((255 - np.minimum(cnt, 255)) << 32) | num)
        else:
            o = np.lexsort((num, -cnt, own))
        own, cnt, num = own[o], cnt[o], num[o]
        rank = _rank_in_group(own)
        fit = rank < self.cap
        self.c[touched] = -1
        self.c[own[fit], rank[fit]] = cnt[fit]
        self.p[own[fit], rank[fit]] = num[fit]
        self.dirty[touched] = True

    def votes(self) -> tuple[np.ndarray, np.ndarray]:
        if not self._voters:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate(self._voters), np.concatenate(self._voted)

    def kept(self) -> np.ndarray:
        filled = self.c >= 0
        own = np.repeat(self.owner, filled.sum(axis=1))
        num = self.p[filled]
        run = np.isin(num, self.run_nums)
        return np.stack([own[run], num[run]], axis=1) if run.any() else np.empty((0, 2), dtype=np.int64)

    def lists(self) -> dict[int, bytes]:
        """The changed lists as stored (`tops_blob` records, in rank order as the slots keep them)."""
        k = np.flatnonzero(self.dirty)
        c, p = self.c[k], self.p[k]
        filled = c >= 0
        rec = np.empty(int(filled.sum()), dtype=TOP_RECORD)
        rec["count"], rec["num"] = np.minimum(c[filled], 255), p[filled]
        data = rec.tobytes()
        ends = np.cumsum(filled.sum(axis=1)) * TOP_RECORD.itemsize
        starts = ends - filled.sum(axis=1) * TOP_RECORD.itemsize
        return {
            n: data[a:b]
            for n, a, b in zip(self.owner[k].tolist(), starts.tolist(), ends.tolist(), strict=True)
        }


def _rank_in_group(group: np.ndarray) -> np.ndarray:
    """Position of each entry within its run of equal `group` values (`group` sorted)."""
    m = len(group)
    if not m:
        return np.empty(0, dtype=np.int64)
    first = np.empty(m, dtype=bool)
    first[0] = True
    np.not_equal(group[1:], group[:-1], out=first[1:])
    starts = np.maximum.accumulate(np.where(first, np.arange(m), 0))
    return np.arange(m) - starts


def lists_of(owners: np.ndarray, counts: np.ndarray, partners: np.ndarray) -> dict[int, bytes]:
    """Partner lists (`tops_blob`) by owner number from (owner, count, partner) entries."""
    if not len(owners):
        return {}
    o = np.lexsort((partners, -counts, owners))
    owners = owners[o]
    rec = np.empty(len(o), dtype=TOP_RECORD)
    rec["count"], rec["num"] = np.minimum(counts[o], 255), partners[o]
    data = rec.tobytes()
    first = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    bounds = np.append(first, len(o)) * TOP_RECORD.itemsize
    return {
        n: data[a:b]
        for n, a, b in zip(owners[first].tolist(), bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
    }


def capped_pairs(
    keys: np.ndarray,
    cap: int,
    nums: np.ndarray | None = None,
    stored_rows: np.ndarray | None = None,
    stored_nums: np.ndarray | None = None,
    stored_votes: bool = False,
) -> np.ndarray:
    """`capped_candidates` without the partner lists."""
    return capped_candidates(keys, cap, nums, stored_rows, stored_nums, stored_votes)[0]


def capped_candidates(
    keys: np.ndarray,
    cap: int,
    nums: np.ndarray | None = None,
    stored_rows: np.ndarray | None = None,
    stored_nums: np.ndarray | None = None,
    stored_votes: bool = False,
) -> tuple[np.ndarray, dict[int, bytes]]:
    """Candidate pairs bounded per article: each article keeps its `cap` partners sharing the most
    band keys with it (ties: the smaller article number first), and a pair is a candidate when
    either end keeps it. Returns unique sorted (lo, hi) pairs of article numbers.

    Why: on a narrow corpus one-row bands over a few top features make a few per cent of all pairs
    candidates, which grows with the square of the corpus; the number of shared bands estimates the
    top-feature overlap, so the strongest partners survive (every pair of a bucket is counted, none
    is dropped by its position in the bucket as `colliding_pairs` does).

    Cost: linear in the (row, partner) collisions, i.e. the sum of the squared bucket sizes (one
    32-bit sort per block, a linear top-k). With one-row bands a pair collides in a band with
    probability equal to the Jaccard of the top-feature sets, a constant on a narrow corpus, so
    collisions grow with the square of the corpus (~0.1 n^2 on the BBC-based benchmark corpus:
    benchmarks/results/story.md); an exact count of shared bands cannot skip any of them.

    `keys`: this run's (n, bands) band keys; `nums`: their article numbers (default 0..n-1).
    `stored_rows`, `stored_nums`: what `Index.candidates` returned for `keys`, one entry per shared
    key; entries naming an article of this run are ignored (the run's own keys count those). This
    run's articles rank their stored partners with the others. A stored article's own ranking would
    need its counts against the whole index, so by default it does not vote: a pair with a stored
    article survives when the run's article keeps it. `stored_votes=True` lets each stored article
    keep its top `cap` among this run's articles (a small run against a big index is then barely
    capped: measured in benchmarks/results/story.md); the scan lets stored articles vote with
    their partner lists instead (`top_stored`).

    Also returns each row's partner list (`Index.tops`, by its number): the partners it keeps, with
    the keys they share, what the index stores with it for later runs.
    """
    if cap < 1:
        raise ValueError(f"the candidate cap must be >= 1, got {cap}")
    n = keys.shape[0]
    nums = np.arange(n, dtype=np.int64) if nums is None else np.asarray(nums, dtype=np.int64)
    if stored_rows is None or stored_nums is None:
        stored_rows = stored_nums = np.empty(0, dtype=np.int64)
    srow = np.asarray(stored_rows, dtype=np.int64)
    snum = np.asarray(stored_nums, dtype=np.int64)
    if len(snum):
        outside = ~np.isin(snum, nums)
        srow, snum = srow[outside], snum[outside]
        by_row = np.argsort(srow, kind="stable")
        srow, snum = srow[by_row], snum[by_row]
    space = int(max(nums.max(initial=-1), snum.max(initial=-1))) + 1
    out: list[np.ndarray] = []
    own: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    if n:
        order, lo, hi = _bucket_ranges(keys)
        width = (hi - lo).sum(axis=1)  # this run's (row, partner) collisions per row, itself included
        per_row = width.copy()
        if len(srow):
            per_row += np.bincount(srow, minlength=n)
        ends = np.cumsum(per_row)
        r0 = 0
        while r0 < n:
            base = ends[r0 - 1] if r0 else 0
            r1 = max(r0 + 1, int(np.searchsorted(ends, base + _BLOCK_INCIDENCES, side="right")))
            blo, bhi = lo[r0:r1].reshape(-1), hi[r0:r1].reshape(-1)
            shared = bhi > blo
            _, pos = expand_ranges(blo[shared], bhi[shared])
            row = np.repeat(np.arange(r0, r1, dtype=np.int64), width[r0:r1])
            partner = order[pos]
            mine = partner != row
            row, pnum = row[mine], nums[partner[mine]]
            if len(srow):
                a, b = np.searchsorted(srow, [r0, r1])
                row, pnum = np.concatenate([row, srow[a:b]]), np.concatenate([pnum, snum[a:b]])
            code, counts = _counted(row - r0, pnum, space, (r1 - r0) * space < (1 << 32))
            keep = _top_k_mask(code // space, counts, cap)
            code, counts = code[keep], counts[keep]
            out.append(np.stack([nums[r0 + code // space], code % space], axis=1))
            own.append((nums[r0 + code // space], counts, code % space))
            r0 = r1
    if len(snum) and stored_votes:
        code, counts = np.unique(snum * space + nums[srow], return_counts=True)
        code = code[_top_k_mask(code // space, counts, cap)]
        out.append(np.stack([code // space, code % space], axis=1))
    pairs = unique_pairs(out, space) if out else np.empty((0, 2), dtype=np.int64)
    if not own:
        return pairs, {}
    return pairs, lists_of(*(np.concatenate(part) for part in zip(*own, strict=True)))
