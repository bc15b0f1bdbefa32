"""`scan`: sketch every article at each level, find LSH candidates (in this run and in the index),
verify them with the level's exact similarity, and cluster what passes with union-find.

Level-agnostic: a level gives signatures, payloads and thresholds (`dedup.near.level.Level`); the
scan does the banding, candidate search, verification, clustering and bookkeeping. A level with a
truthy `candidate_cap` attribute (the story level) gets per-article capped candidates
(`dedup.near.bands.capped_pairs`); the others (the copy level) get every colliding pair.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from dedup.load import Loaded
from dedup.model import Article, Document, LoadError
from dedup.near.bands import (
    band_keys,
    band_params,
    capped_candidates,
    colliding_pairs,
    top_stored,
    unique_pairs,
)
from dedup.near.index import Index, open_index
from dedup.near.index.base import level_meta, unstorable
from dedup.near.level import Level
from dedup.near.unionfind import component_roots

log = logging.getLogger("dedup.near")

SCHEMA = "dedup.scan/1"
LEVEL_NAMES = ("copy", "story")
_ROUND = 4
_VERIFY_CHUNK = 4096

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class LevelUnavailable(RuntimeError):
    """A level that cannot be built here (e.g. the story level's module is missing or broken)."""


def make_level(name: str, threshold: float | None = None) -> Level:
    """A level with its default settings; `threshold` replaces its verify threshold."""
    if name == "copy":
        from dedup.near.copy import CopyLevel

        lv: Any = CopyLevel() if threshold is None else CopyLevel(verify_threshold=threshold)
        return lv
    if name == "story":
        try:
            from dedup.near.story import StoryLevel
        except Exception as err:  # noqa: BLE001 - any import failure means "not available"
            raise LevelUnavailable(f"the story level is not available: {type(err).__name__}: {err}") from err
        try:
            lv = StoryLevel()
        except Exception as err:  # noqa: BLE001
            raise LevelUnavailable(
                f"the story level could not be built: {type(err).__name__}: {err}"
            ) from err
        if threshold is not None:
            lv.verify_threshold = threshold
        return lv
    raise ValueError(f"unknown level {name!r}; expected copy, story or both")


def resolve_levels(
    level: str | Level | Sequence[str | Level], threshold: float | Mapping[str, float] | None = None
) -> list[Level]:
    """Level objects from "copy", "story", "both", Level instances or a list of them."""
    names: list[str | Level]
    if isinstance(level, str):
        names = list(LEVEL_NAMES) if level == "both" else [level]
    elif isinstance(level, Sequence):
        names = list(level)
    else:
        names = [level]
    out: list[Level] = []
    for item in names:
        name = item if isinstance(item, str) else item.name
        if isinstance(threshold, Mapping):
            unknown = set(threshold) - set(LEVEL_NAMES)
            if unknown:
                raise ValueError(f"threshold for unknown level(s): {', '.join(sorted(unknown))}")
            t = threshold.get(name)
        else:
            t = threshold
        if isinstance(item, str):
            out.append(make_level(item, t))
        else:
            if t is not None:
                item.verify_threshold = t
            out.append(item)
    seen = [lv.name for lv in out]
    if len(set(seen)) != len(seen):
        raise ValueError(f"a level appears twice: {seen}")
    return out


class Pair(NamedTuple):
    """A verified pair (a < b); a named tuple because a scan makes one per accepted pair."""

    a: str
    b: str
    similarity: float

    def to_json(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "similarity": self.similarity}


@dataclass(frozen=True)
class Cluster:
    """Two or more articles at one level; id = smallest member id."""

    id: str
    level: str
    members: list[str]
    pairs: list[Pair]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "level": self.level,
            "members": list(self.members),
            "pairs": [p.to_json() for p in self.pairs],
        }


@dataclass
class DocResult:
    """One input of this run: an article, or an input that could not be read (never dropped)."""

    id: str | None
    origin: str
    lang: str = "und"
    status: str = "ok"  # ok | empty (nothing to sketch at some level) | error (could not be read)
    error: str | None = None
    clusters: dict[str, str | None] = field(default_factory=dict)  # level -> cluster id
    duplicate_of: str | None = None
    similarity: float | None = None

    def sort_key(self) -> tuple[str, str]:
        return (self.id or "", self.origin)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "lang": self.lang, "origin": self.origin, "status": self.status}
        if self.error is not None:
            out["error"] = self.error
        for name in LEVEL_NAMES:
            out[f"{name}_cluster"] = self.clusters.get(name)
        out["duplicate_of"] = self.duplicate_of
        out["similarity"] = self.similarity
        return out

    def to_row(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        for name in LEVEL_NAMES:
            out[f"{name}_cluster"] = self.clusters.get(name)
        out["duplicate_of"] = self.duplicate_of
        out["similarity"] = self.similarity
        if self.error is not None:
            out["origin"] = self.origin
            out["error"] = self.error
        return out


@dataclass
class ScanResult:
    """What a scan found: the run's documents and the clusters (members may include indexed ones)."""

    params: dict[str, Any]
    documents: list[DocResult]
    clusters: list[Cluster]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "params": self.params,
            "documents": [d.to_json() for d in self.documents],
            "clusters": [c.to_json() for c in self.clusters],
        }

    def to_jsonl_rows(self) -> list[dict[str, Any]]:
        return [d.to_row() for d in self.documents]

    @property
    def errors(self) -> list[DocResult]:
        return [d for d in self.documents if d.status == "error"]


def _entries(
    items: Iterable[Article | Document | LoadError] | Loaded,
) -> list[Article | Document | LoadError]:
    if isinstance(items, Loaded):
        return [*items.articles, *items.errors]
    return list(items)


def _lang_of(article: Article, detect_lang: bool) -> str:
    if article.lang:
        return article.lang
    if detect_lang:
        from dedup.text.language import detect

        return detect(article.text[:400])
    return "und"


class ScanInputs:
    """The run's good inputs; Documents are built only for a level that needs them (the copy level
    reads raw texts, the story level reads `body_text()`, so it gets boilerplate spans)."""

    def __init__(self, entries: list[Article | Document], detect_lang: bool) -> None:
        self.entries = entries
        self.articles = [e.article if isinstance(e, Document) else e for e in entries]
        self.langs = [e.lang if isinstance(e, Document) else _lang_of(e, detect_lang) for e in entries]
        self._docs: list[Document] | None = None

    def texts(self) -> list[str]:
        return [a.text for a in self.articles]

    def documents(self) -> list[Document]:
        if self._docs is None:
            from dedup.text.boilerplate import find_boilerplate
            from dedup.text.pipeline import line_view

            docs: list[Document] = []
            for e, lang in zip(self.entries, self.langs, strict=True):
                if isinstance(e, Document):
                    docs.append(e)
                    continue
                doc = Document(article=e, lang=lang)
                doc.boilerplate, doc.metadata = find_boilerplate(line_view(e.text))  # offsets kept
                docs.append(doc)
            self._docs = docs
        return self._docs


def sketch_inputs(
    level: Level, inputs: ScanInputs, batch: int, progress: Progress | None, bands: int, rows: int
) -> tuple[np.ndarray, list[bytes | None]]:
    """LSH band keys (rows of unsketchable documents are unused) and payloads, in input order.

    Keys are made per batch while its signatures are still in cache; signatures are not kept."""
    sigs: list[np.ndarray] = []
    payloads: list[bytes | None] = []
    fast = getattr(level, "sketch_texts", None)
    items: list[Any] = inputs.texts() if fast is not None else inputs.documents()
    total = len(items)
    for start in range(0, total, batch):
        part = items[start : start + batch]
        if fast is not None:
            sig, pays = fast(part)
            sigs.append(band_keys(sig, bands, rows))
            payloads.extend(pays)
        else:
            sketches = level.sketch_many(part)
            if len(sketches) != len(part):
                raise RuntimeError(
                    f"level {level.name!r} returned {len(sketches)} sketches for {len(part)} documents"
                )
            width = next((len(s.hashvalues) for s in sketches if s is not None), level.num_perm)
            dtype = next((s.hashvalues.dtype for s in sketches if s is not None), np.uint64)
            sig = np.zeros((len(part), width), dtype=dtype)
            for i, s in enumerate(sketches):
                if s is not None:
                    sig[i] = s.hashvalues
                payloads.append(None if s is None else s.payload)
            sigs.append(band_keys(sig, bands, rows))
        if progress is not None:
            progress(f"sketch {level.name}", min(start + batch, total), total)
    if not sigs:
        return np.zeros((0, bands), dtype=np.uint64), payloads
    return np.concatenate(sigs), payloads


def _verify(
    level: Level, pairs: np.ndarray, payload_of: Callable[[int], bytes], progress: Progress | None
) -> list[tuple[int, int, float]]:
    """Exact similarity of every candidate pair; those at or above the verify threshold."""
    accepted: list[tuple[int, int, float]] = []
    batch_sim = getattr(level, "similarity_many", None)
    thr = level.verify_threshold
    if batch_sim is not None:
        # In chunks: the per-chunk arrays stay cache-sized, so the cost stays linear in the pairs.
        sims = []
        plist = pairs.tolist()
        for k in range(0, len(plist), _VERIFY_CHUNK):
            part = plist[k : k + _VERIFY_CHUNK]
            sims.extend(batch_sim([(payload_of(a), payload_of(b)) for a, b in part]).tolist())
    else:
        sims = [level.similarity(payload_of(int(a)), payload_of(int(b))) for a, b in pairs]
    for (a, b), s in zip(pairs.tolist(), sims, strict=True):
        if s >= thr:
            accepted.append((a, b, float(s)))
    if progress is not None:
        progress(f"verify {level.name}", len(pairs), len(pairs))
    return accepted


def scan(
    items: Iterable[Article | Document | LoadError] | Loaded,
    level: str | Level | Sequence[str | Level] = "copy",
    index: str | Mapping[str, Any] | Index | None = None,
    threshold: float | Mapping[str, float] | None = None,
    detect_lang: bool = False,
    progress: Progress | None = None,
    batch_size: int = 512,
) -> ScanResult:
    """Find copies (and/or same-story articles) among `items` and against the index.

    `items`: articles, documents or load errors (errors are reported, never dropped), or a `Loaded`.
    `level`: "copy", "story", "both", a Level, or a list. `index`: None (in memory, this call only),
    an open `Index` (reusable across calls), a path / URI / config for `open_index`. `threshold`:
    one verify threshold, or {"copy": .., "story": ..}. `detect_lang`: langdetect on a 400-character
    prefix when an article has no `lang` (about 8 ms per article, so off by default).
    """
    levels = resolve_levels(level, threshold)
    entries = _entries(items)
    own_index = not isinstance(index, Index)
    idx = open_index(index)
    with no_gc():
        try:
            return _scan(entries, levels, idx, detect_lang, progress, batch_size)
        finally:
            if own_index:
                idx.close()


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused (and restored): a scan creates a few objects per
    article and no reference cycles, and full collections over 100k articles made the clustering
    step grow 18x from 10k to 100k articles instead of 10x."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _scan(
    entries: list[Article | Document | LoadError],
    levels: list[Level],
    idx: Index,
    detect_lang: bool,
    progress: Progress | None,
    batch_size: int,
) -> ScanResult:
    stages: dict[str, float] = {}
    _lap(stages, "_t")
    good: list[Article | Document] = []
    seen: dict[str, str] = {}
    for k, e in enumerate(entries):  # a repeated id is reported, not merged into the first
        if isinstance(e, LoadError):
            continue
        art = e.article if isinstance(e, Document) else e
        if art.id in seen:
            entries[k] = LoadError(
                art.origin, f"duplicate id {art.id!r} (first seen at {seen[art.id]})", art.id
            )
            continue
        if bad := unstorable(art.id, art.text):  # hashing it would fail the whole run
            entries[k] = LoadError(art.origin, bad, art.id)
            continue
        seen[art.id] = art.origin
        good.append(e)
    metas: dict[str, dict[str, Any]] = {}
    for lv in levels:
        b, r = band_params(lv.lsh_threshold, lv.num_perm)
        metas[lv.name] = level_meta(lv.params(), b, r)
        idx.ensure_level(lv.name, metas[lv.name])  # refuse a mismatched index before any work
    _lap(stages, "start")
    inputs = ScanInputs(good, detect_lang)
    ids = [a.id for a in inputs.articles]
    # Sketching (most of a scan's time) needs no index, so it runs before the index lock is taken.
    sketches = {}
    for lv in levels:
        meta = metas[lv.name]
        sketches[lv.name] = sketch_inputs(lv, inputs, batch_size, progress, meta["bands"], meta["rows"])
    _lap(stages, "sketch")
    # One writer at a time on a shared index: what this scan looks up stays true until it has
    # stored its articles (a gate worker tidying up under the lock would otherwise take this scan's
    # numbered, not yet stored articles for a stopped run's left-overs). A memory index: no-op.
    with idx.exclusive():
        return _scan_locked(entries, levels, idx, detect_lang, inputs, ids, sketches, metas, progress, stages)


def _scan_locked(
    entries: list[Article | Document | LoadError],
    levels: list[Level],
    idx: Index,
    detect_lang: bool,
    inputs: ScanInputs,
    ids: list[str],
    sketches: dict[str, tuple[np.ndarray, list[bytes | None]]],
    metas: dict[str, dict[str, Any]],
    progress: Progress | None,
    stages: dict[str, float],
) -> ScanResult:
    """The part of a scan that reads and writes the index: numbers, candidates, verification,
    storing, clusters."""
    nums = idx.number(ids) if ids else []
    num_of_row = np.asarray(nums, dtype=np.int64)
    id_of: dict[int, str] = dict(zip(nums, ids, strict=True))
    run_nums = set(nums)

    results: dict[str, DocResult] = {}
    for a, lang in zip(inputs.articles, inputs.langs, strict=True):
        results[a.id] = DocResult(id=a.id, origin=a.origin, lang=lang)
    errors = [
        DocResult(id=e.id, origin=e.origin, status="error", error=e.message)
        for e in entries
        if isinstance(e, LoadError)
    ]
    clusters: list[Cluster] = []
    copy_links: list[tuple[int, int, float]] = []  # verified copies: the same story by definition
    level_params: dict[str, Any] = {}

    for lv in levels:
        meta = metas[lv.name]
        bands, rows = meta["bands"], meta["rows"]
        level_params[lv.name] = {**lv.params(), "bands": bands, "rows": rows}
        all_keys, payloads = sketches.pop(lv.name)  # popped: freed once the level is done
        have = np.fromiter((p is not None for p in payloads), dtype=bool, count=len(payloads))
        rows_ok = np.flatnonzero(have)
        for i in np.flatnonzero(~have):
            results[ids[i]].status = "empty"
        keys = all_keys[rows_ok] if len(rows_ok) < len(all_keys) else all_keys
        gnum = num_of_row[rows_ok]

        # Candidates: within this run, then against what the index already holds.
        _lap(stages, "sketch+keys")
        gnum_list = gnum.tolist()
        already = idx.has(lv.name, gnum_list)  # an id indexed before keeps its first sketch
        cap = getattr(lv, "candidate_cap", None)
        lists: dict[int, bytes] = {}
        if cap:
            # Per-article top partners by shared band keys, counted over this run and the index;
            # stored articles keep the new ones that beat their partner lists (index format 4).
            fresh = np.fromiter((n not in already for n in gnum_list), dtype=bool, count=len(gnum_list))
            side = top_stored(idx, lv.name, keys, int(cap), gnum, fresh=fresh)  # bounded, same pairs
            _lap(stages, "index candidates")
            pairs, own = capped_candidates(keys, int(cap), gnum, side.rows, side.nums)
            if len(side.kept):
                pairs = unique_pairs([pairs, side.kept], int(max(pairs.max(initial=0), side.kept.max())) + 1)
            lists = {**_own_lists(own, gnum[~fresh]), **side.lists}
            _lap(stages, "capped pairs")
        else:
            local = colliding_pairs(keys)
            cand = [np.stack([gnum[local[:, 0]], gnum[local[:, 1]]], axis=1)] if len(local) else []
            _lap(stages, "local pairs")
            r_idx, stored = idx.candidates(lv.name, keys)
            if len(r_idx):
                cand.append(np.stack([gnum[r_idx], stored], axis=1))
            pairs = _unique_pairs(cand)

        local_payload = dict(zip(gnum_list, [payloads[k] for k in rows_ok.tolist()], strict=True))
        outside = sorted(set(pairs.reshape(-1).tolist()) - local_payload.keys())
        stored_payload = idx.payloads(lv.name, outside) if outside else {}
        if len(stored_payload) < len(outside):  # removed since the lookup, by a process that took no
            # lock (a dry run reads without one): no longer a candidate, rather than a KeyError
            gone = np.asarray([n for n in outside if n not in stored_payload], dtype=np.int64)
            pairs = pairs[~np.isin(pairs, gone).any(axis=1)]

        def payload_of(
            n: int, _l: dict[int, bytes | None] = local_payload, _s: dict[int, bytes] = stored_payload
        ) -> bytes:
            p = _l.get(n)
            return p if p is not None else _s[n]

        _lap(stages, "index candidates+payloads")
        accepted = _verify(lv, pairs, payload_of, progress)
        # A level may keep only some verified links for clustering (the story level's chain
        # guard: single-link clustering at a low threshold otherwise chains a whole topic).
        link_filter = getattr(lv, "filter_links", None)
        if link_filter is not None:
            accepted = link_filter(accepted)
        if lv.name == "copy":
            copy_links = list(accepted)
        elif copy_links:
            accepted = accepted + _copy_links_as(lv, copy_links, accepted, local_payload, stored_payload, idx)

        # Store the new sketches (an id indexed before keeps its first sketch).
        _lap(stages, "verify")
        add_rows = [k for k, n in enumerate(gnum_list) if n not in already]
        if add_rows:
            idx.add(
                lv.name,
                [gnum_list[k] for k in add_rows],
                keys[add_rows] if len(add_rows) < len(gnum_list) else keys,
                [local_payload[gnum_list[k]] for k in add_rows],  # type: ignore[misc]
            )
        if lists:
            idx.set_tops(lv.name, lists)

        _lap(stages, "index add")
        # Clusters.
        if accepted:
            _add_clusters(clusters, results, lv, accepted, id_of, idx, run_nums, levels[0].name, payload_of)

    _lap(stages, "clusters")
    documents = sorted([*results.values(), *errors], key=DocResult.sort_key)
    clusters.sort(key=lambda c: (LEVEL_NAMES.index(c.level) if c.level in LEVEL_NAMES else 99, c.level, c.id))
    _lap(stages, "documents")
    log.debug("scan stage CPU seconds: %s", ", ".join(f"{k} {v:.3f}" for k, v in stages.items() if k != "_t"))
    params = {"levels": level_params, "index": idx.kind, "detect_lang": detect_lang}
    return ScanResult(params=params, documents=documents, clusters=clusters)


def _add_clusters(
    clusters: list[Cluster],
    results: dict[str, DocResult],
    lv: Level,
    accepted: list[tuple[int, int, float]],
    id_of: dict[int, str],
    idx: Index,
    run_nums: set[int],
    first_level: str,
    payload_of: Callable[[int], bytes],
) -> None:
    """Clusters of one level from its accepted links (union-find in array form), and each run
    article's cluster, `duplicate_of` (the earliest member) and similarity to it."""
    n_links = len(accepted)
    a = np.fromiter((x[0] for x in accepted), dtype=np.int64, count=n_links)
    b = np.fromiter((x[1] for x in accepted), dtype=np.int64, count=n_links)
    nodes, inv = np.unique(np.concatenate([a, b]), return_inverse=True)  # article numbers, sorted
    roots = component_roots(inv[:n_links], inv[n_links:], len(nodes))  # root = smallest member
    order = np.lexsort((nodes, roots))  # members grouped by root, each group in number order
    bounds = np.flatnonzero(np.diff(roots[order])) + 1
    groups = np.split(nodes[order], bounds)
    link_group = np.searchsorted(roots[order][np.concatenate([[0], bounds])], roots[inv[:n_links]])
    missing = sorted(set(nodes.tolist()) - id_of.keys())
    if missing:
        id_of.update(idx.ids_of(missing))
    pairs_of: list[list[Pair]] = [[] for _ in groups]
    verified: dict[tuple[int, int], float] = {}
    for (x, y, s), g in zip(accepted, link_group.tolist(), strict=True):
        s = round(s, _ROUND)
        verified[(x, y) if x < y else (y, x)] = s
        ix, iy = id_of[x], id_of[y]
        pairs_of[g].append(Pair(ix, iy, s) if ix < iy else Pair(iy, ix, s))
    for group, pairs in zip(groups, pairs_of, strict=True):
        members = group.tolist()
        member_ids = sorted(id_of[n] for n in members)
        cid = member_ids[0]
        first = members[0]
        earliest = id_of[first]
        pairs.sort()
        clusters.append(Cluster(cid, lv.name, member_ids, pairs))
        for n in members:
            if n not in run_nums:
                continue
            doc = results[id_of[n]]
            doc.clusters[lv.name] = cid
            if lv.name == first_level and n != first:
                # `similarity` is to `duplicate_of` itself, even when they were linked through
                # other members (then it is computed here, exactly, from the two payloads).
                doc.duplicate_of = earliest
                sim = verified.get((first, n))
                if sim is None:
                    sim = lv.similarity(payload_of(n), payload_of(first))
                doc.similarity = round(float(sim), _ROUND)


def _copy_links_as(
    lv: Level,
    copy_links: list[tuple[int, int, float]],
    accepted: list[tuple[int, int, float]],
    local_payload: dict[int, bytes | None],
    stored_payload: dict[int, bytes],
    idx: Index,
) -> list[tuple[int, int, float]]:
    """Copy pairs this level did not link, with this level's similarity: a copy of an article is
    in the same story, whatever the story level's threshold or chain guard decided."""
    have = {(min(a, b), max(a, b)) for a, b, _ in accepted}
    extra = sorted({(min(a, b), max(a, b)) for a, b, _ in copy_links} - have)
    need = sorted({n for pair in extra for n in pair if local_payload.get(n) is None} - stored_payload.keys())
    if need:
        stored_payload.update(idx.payloads(lv.name, need))
    out: list[tuple[int, int, float]] = []
    for a, b in extra:
        pa = local_payload.get(a) or stored_payload.get(a)
        pb = local_payload.get(b) or stored_payload.get(b)
        if pa is not None and pb is not None:  # an article with nothing to sketch at this level
            out.append((a, b, float(lv.similarity(pa, pb))))
    return out


def _own_lists(own: dict[int, bytes], stale: np.ndarray) -> dict[int, bytes]:
    """The run's new articles' partner lists, without the run's articles that were indexed before
    (their stored sketch, not this run's, is what they are counted by) and without theirs."""
    from dedup.near.index.base import blob_tops, tops_blob

    if not len(stale):
        return own
    skip = set(stale.tolist())
    out: dict[int, bytes] = {}
    for n, blob in own.items():
        if n in skip:
            continue
        counts, partners = blob_tops(blob)
        keep = ~np.isin(partners, stale)
        out[n] = blob if keep.all() else tops_blob(counts[keep], partners[keep])
    return out


def _lap(stages: dict[str, float], name: str) -> None:
    """Add the CPU time since the previous lap to `name` (logged at debug level: `dedup -vv scan`)."""
    now = time.process_time()
    if name != "_t":
        stages[name] = stages.get(name, 0.0) + now - stages["_t"]
    stages["_t"] = now


def _unique_pairs(parts: list[np.ndarray]) -> np.ndarray:
    if not parts:
        return np.empty((0, 2), dtype=np.int64)
    n = int(max(int(p.max()) for p in parts if len(p))) + 1 if any(len(p) for p in parts) else 1
    return unique_pairs(parts, n)
