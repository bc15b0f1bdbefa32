"""The pre-ingest pipeline step: one decision per article, and why.

Steps are generators over `GateItem`s, as datatrove's pipeline blocks are: each step passes every
item on, and when it holds one back it records which step did it and why. Order: read, resend,
check, dedup, decide: only articles that go in stay in the index. Nothing is dropped: an
article that cannot be read, or that makes a step fail, still gets a decision ("error").

Resends: the index records a content fingerprint of every article that went in. An id sent again
with the same text is a duplicate at once (no check, no sketch); with another text it is judged
afresh, against everything except its own indexed version, and when it goes in (decision
"update") it replaces that version: old band keys out, new ones in, new fingerprint. An update held
back (by the check, or as a copy) leaves the indexed version as it was.

If the index becomes unavailable in the middle of a run (a Redis server gone, a disk full), the
run goes on reading: every article not yet decided gets an `error` decision that says so (send
it again), and `gate` raises `IndexUnavailable` after the last decision (exit code 3). Storing an
article is recorded as pending first (`PENDING`, `PENDING_UPDATE` fingerprints), so an article
whose run stopped half-way through storing it is judged afresh when sent again (a new one as new,
whatever the stopped run left of it forgotten first; an update as an update), never taken for
"already ingested"; an id left with a number but neither fingerprint nor sketch is new.

Story names (`--level both`): an article is told the name of its story, the id of the story's
earliest article, taken from the articles before it that it is linked to (`_label_stories`), and
the name goes into the index with the article (`Index.set_stories`), so a later run or batch tells
later articles of the story the same name; the gate keeps no names of its own between batches. A
same-text resend is told the name recorded for it (its own id when it was the first of its story).

Concurrent runs on one index (several gate workers sharing a SQLite file or a Redis index): the
decisions of N workers over disjoint inputs are those of ONE worker fed all their articles in some
serial order, so two copies of each other, or one id sent to two workers, never both go in. Each
batch's dedup (scan against the index, then storing what goes in) runs inside the index's
exclusive section (`Index.exclusive`: `flock` on ``<file>.lock`` for SQLite, redis-py's `Lock` for
Redis), and everything the resend step read from the index before the check is read again inside
it. The garble check, the slow step, runs outside it, in parallel across workers. The serial
order is the order in which decisions were taken: an article found "already ingested" by the
resend step, or held back by the check, when its batch was read; every other one when its
worker's section ran. (An article that another worker stored while this one was being checked is
"already ingested" as if it had been sent after it; its verdict is then dropped, as the check of a
same-text resend is skipped.) A worker that waits for the lock longer than `lock_wait` gets error
decisions for what is not decided yet, as when the index goes away (exit code 3).

An id that comes twice in one run is not a resend: the repeat is an `error` decision (step "read",
exit code 2) that names the first occurrence, whatever its text; the first occurrence is judged as
usual. One run takes an id once, so its decisions do not depend on where batches end; a correction
is sent in a later run.
"""

from __future__ import annotations

import functools
import logging
import math
import queue
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dedup.model import Article, Document, LoadError
from dedup.pool import process_pool, resolve_jobs

if TYPE_CHECKING:  # the index machinery (numpy, datasketch) is imported only when a gate runs
    from dedup.near.index.base import Index
    from dedup.near.index.staged import StagedView

log = logging.getLogger("dedup.gate")

SCHEMA = "dedup.gate/2"
DECISIONS = ("ingest", "update", "duplicate", "review", "reject", "error")
GOES_IN = ("ingest", "update")


@dataclass(frozen=True)
class GateParams:
    """What changes the decisions; written into every JSON output."""

    level: str = "copy"  # "copy" holds back copies; "both" also reports the story cluster
    check: bool = True  # run the garble checks (no reference) on articles that are not copies
    hold: str = "review"  # the lowest verdict that holds an article back: "review" or "reject"
    batch_size: int = 1000  # articles per scan batch (memory stays bounded on long streams)
    # The check's switches, as `dedup check` takes them: detector families off, verdict thresholds
    # (weighted penalty per 100 words; None: `VerdictPolicy`'s defaults).
    disable: tuple[str, ...] = ()
    review_penalty: float | None = None
    reject_penalty: float | None = None
    max_pairs: int | None = None  # with a record's `ref`: largest MT x reference sentence count aligned

    def __post_init__(self) -> None:
        from dedup.garbles.base import load_all

        if self.level not in ("copy", "both"):
            raise ValueError(f"level must be 'copy' or 'both', not {self.level!r}")
        if self.max_pairs is not None and self.max_pairs < 1:
            raise ValueError("max_pairs must be at least 1")
        if self.hold not in ("review", "reject"):
            raise ValueError(f"hold must be 'review' or 'reject', not {self.hold!r}")
        if self.batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        object.__setattr__(self, "disable", tuple(sorted(set(self.disable))))
        unknown = [d for d in self.disable if d not in load_all()]
        if unknown:
            raise ValueError(f"unknown detector(s): {', '.join(unknown)}; known: {', '.join(load_all())}")
        policy = self.policy()  # the thresholds in force, given or default
        for name, value in (("review_penalty", self.review_penalty), ("reject_penalty", self.reject_penalty)):
            if value is not None and not 0 <= value < math.inf:  # nan too; inf is not JSON (params)
                raise ValueError(f"{name} must be a finite number, 0 or more, not {value:g}")
        # Both given, in the wrong order: no article could be a review. One alone may cross the
        # other's default, as `dedup check` takes it: `reject_penalty=0.5` is a strict gate.
        both = self.review_penalty is not None and self.reject_penalty is not None
        if both and policy.review_penalty > policy.reject_penalty:
            raise ValueError(
                f"review penalty {policy.review_penalty:g} is above reject penalty "
                f"{policy.reject_penalty:g}: review comes first"
            )

    def policy(self) -> Any:
        """The verdict policy of the check step (`dedup.score.VerdictPolicy`)."""
        from dedup.score import VerdictPolicy

        given = {"review_penalty": self.review_penalty, "reject_penalty": self.reject_penalty}
        return VerdictPolicy(**{k: v for k, v in given.items() if v is not None})

    def to_json(self) -> dict[str, Any]:
        policy = self.policy()
        return {
            "level": self.level,
            "check": self.check,
            "hold": self.hold,
            "batch_size": self.batch_size,
            "disable": list(self.disable),
            "review_penalty": policy.review_penalty,
            "reject_penalty": policy.reject_penalty,
            "max_pairs": self.max_pairs,
        }


@dataclass
class GateItem:
    """One input on its way through the steps."""

    position: int
    origin: str
    id: str | None
    article: Article | None = None
    doc: Document | None = None  # the analysed article, once the check step has made it
    decision: str | None = None  # set by the step that holds the item back, or "ingest" at the end
    step: str | None = None
    reasons: list[str] = field(default_factory=list)
    duplicate_of: str | None = None
    similarity: float | None = None
    story_cluster: str | None = None
    verdict: str | None = None
    flags: dict[str, int] = field(default_factory=dict)
    flag_spans: list[dict[str, Any]] = field(default_factory=list)  # where, and why (`check` flags)
    fingerprint: int | None = None  # of this text (`content_fingerprint`)
    previous_fingerprint: int | None = None  # of the indexed text, when the id was sent before
    known: bool = False  # the id is in the index already (with another text, or no fingerprint)
    interrupted: bool = False  # an earlier run stopped while storing an update of this id
    taken: bool = False  # set by a caller once it delivered the decision: `gate` never withdraws it

    def hold(self, step: str, decision: str, reason: str) -> None:
        self.decision, self.step = decision, step
        self.reasons.append(reason)

    @property
    def ingest(self) -> bool:
        """Whether the article goes in: as a new article, or replacing its earlier version."""
        return self.decision in GOES_IN

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "origin": self.origin,
            "decision": self.decision,
            "ingest": self.ingest,
            "step": self.step,
            "reasons": list(self.reasons),
            "duplicate_of": self.duplicate_of,
            "similarity": self.similarity,
            "story_cluster": self.story_cluster,
            "verdict": self.verdict,
            "flags": dict(sorted(self.flags.items())),
            "flag_spans": [dict(f) for f in self.flag_spans],
            "fingerprint": _hex16(self.fingerprint),
            "previous_fingerprint": _hex16(self.previous_fingerprint),
        }


def _hex16(fp: int | None) -> str | None:
    """A fingerprint as outputs show it (as `dedup.near.index.base.fingerprint_hex`)."""
    return None if fp is None else f"{fp:016x}"


def read_step(items: Iterable[Article | LoadError | GateItem]) -> Iterator[GateItem]:
    """Articles become items; inputs that could not be read, empty texts and repeated ids are
    held back as errors (the loader does this for files; API callers may pass anything)."""
    from dedup.near.index.base import unstorable

    seen: dict[str, str] = {}
    pos = -1
    for item in items:
        if item is PAUSE:  # the input paused: passed on, so every step decides what it holds
            yield PAUSE
            continue
        pos += 1
        if isinstance(item, LoadError):
            gi = GateItem(pos, item.origin, item.id)
            gi.hold("read", "error", item.message)
        else:
            gi = GateItem(pos, item.origin, item.id, article=item)
            if item.id in seen:
                gi.hold(
                    "read",
                    "error",
                    f"duplicate id {item.id!r} (first seen at {seen[item.id]}); an id is taken once per "
                    "run: send a corrected text in a later run, where it is an update",
                )
            elif not item.text.strip():
                gi.hold("read", "error", "empty text")
            elif bad := unstorable(item.id, item.text):
                gi.hold("read", "error", bad)
        # The first occurrence takes the id for the run whatever its fate (held back here or by a
        # later step), so a repeat is always the error, as the README says.
        if item.id is not None and item.id not in seen:
            seen[item.id] = item.origin
        yield gi


@dataclass
class Outage:
    """Shared by the steps of one run: the first `IndexUnavailable` any of them met."""

    error: Exception | None = None

    def hold(self, items: Iterable[GateItem]) -> None:
        """Undecided items cannot be deduplicated any more: each gets an error decision."""
        for gi in items:
            if gi.decision is None:
                gi.hold(
                    "dedup",
                    "error",
                    f"not deduplicated: the index became unavailable ({self.error}); send it again",
                )


def _batches(items: Iterator[GateItem], size: int) -> Iterator[list[GateItem]]:
    """Batches of `size`, or shorter where the input paused (`PAUSE`, kept as the batch's last
    element: no step takes it up, having a decision, and each passes it on to the next)."""
    batch: list[GateItem] = []
    for gi in items:
        batch.append(gi)
        if gi is PAUSE or len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# In the stream where the input paused (`gate(..., linger=...)`): each step ends its batch there,
# so what was read is decided and written before more arrives. A GateItem that already has a
# "decision", so no step works on it; `decide_step` drops it. Decisions do not depend on where
# batches end, so pauses change when decisions come out, never what they are.
PAUSE = GateItem(-1, "<pause>", None, decision="pause")


def _paced(items: Iterable[Article | LoadError], linger: float) -> Iterator[Article | LoadError | GateItem]:
    """The input, read in a thread, with `PAUSE` when nothing came for `linger` seconds (a feed
    on stdin that trickles: `tail -F feed.jsonl | dedup gate -`). Without it the first article
    of a quiet hour waited for a batch of 1,000 (or the end of the input) to be decided."""
    done = object()
    q: queue.Queue[Any] = queue.Queue(maxsize=256)  # bounded: a fast input waits for the gate
    failed: list[BaseException] = []

    def pump() -> None:
        try:
            for item in items:
                q.put(item)
        except BaseException as err:  # raised here in the caller's thread, in its place
            failed.append(err)
        finally:
            q.put(done)

    threading.Thread(target=pump, name="dedup-gate-input", daemon=True).start()
    while True:
        try:
            item = q.get(timeout=linger)
        except queue.Empty:
            yield PAUSE
            item = q.get()
        if item is done:
            if failed:
                raise failed[0]
            return
        yield item


def resend_step(
    items: Iterable[GateItem],
    index: Index,
    params: GateParams,
    outage: Outage | None = None,
    lock_wait: float | None = None,
) -> Iterator[GateItem]:
    """Ids already in the index: the same text is a duplicate now; another text is marked to be
    judged afresh by the dedup step (after the check, as any new article).

    Read without the index lock: another worker may be storing these ids right now, so what is
    not final here (known with another text, or half-stored) is read again by the dedup step under
    the lock. What a stopped run left (`_resend_state`) is forgotten under the lock only, where
    nothing is half-stored but by a run that stopped."""
    from dedup.near.index.base import IndexUnavailable, content_fingerprint

    outage = outage or Outage()
    for batch in _batches(iter(items), params.batch_size):
        todo = [gi for gi in batch if gi.decision is None and gi.article is not None]
        for gi in todo:
            gi.fingerprint = content_fingerprint(gi.article.text)  # type: ignore[union-attr]
        known: dict[str, int] = {}
        if outage.error is None and todo:
            try:
                known, left = _resend_state(todo, index, tidy=False)
                if left:  # a stopped run's, or another worker's in the middle of storing them
                    with index.exclusive(lock_wait):
                        known, _ = _resend_state(todo, index, tidy=True)
            except IndexUnavailable as err:
                outage.error = err
        if outage.error is not None:
            outage.hold(todo)
            yield from batch
            continue
        if params.level == "both":
            try:
                _name_resends([gi for gi in todo if gi.duplicate_of == gi.id], index)
            except IndexUnavailable as err:  # the decisions stand; what follows is held as usual
                outage.error = err
        yield from batch


def _resend_state(todo: list[GateItem], index: Index, tidy: bool) -> tuple[dict[str, int], bool]:
    """Mark the undecided items whose id is in the index: `known` (with the indexed fingerprint),
    and a duplicate at once when the text is the same. Returns (numbers of the known ids, whether
    left-overs were seen and kept because `tidy` is off).

    Left-overs are what a run that stopped left of new articles: a number without fingerprint or
    sketch (stopped before storing, or before giving the number back), or a pending new article.
    Such an id is judged as new (renumbered in input order like any new one: a left-over number
    would make it "earlier" than the articles it was sent before); with `tidy` (only under the
    index lock: outside it they may be another worker's articles half-stored) it is forgotten first,
    so nothing of it stays if it is held back now."""
    from dedup.near.index.base import PENDING, PENDING_UPDATE

    ids = [gi.id for gi in todo if gi.id is not None and gi.decision is None]
    known = index.lookup(ids) if ids else {}
    fps = index.fingerprints([i for i in ids if i in known]) if known else {}
    bare = {known[i]: i for i in known if i not in fps}
    stored = index.has("copy", list(bare)) if bare else set()
    left = sorted(
        {i for n, i in bare.items() if n not in stored} | {i for i in known if fps.get(i) == PENDING}
    )
    if left and tidy:
        index.forget(left)
    for i in left:
        del known[i]
    for gi in todo:
        if gi.decision is not None:
            continue
        gi.known, gi.interrupted, gi.previous_fingerprint = gi.id in known, False, None
        if not gi.known:
            continue
        gi.previous_fingerprint = fps.get(gi.id)  # type: ignore[arg-type]
        if gi.previous_fingerprint == PENDING_UPDATE:
            gi.interrupted, gi.previous_fingerprint = True, None
        if gi.previous_fingerprint == gi.fingerprint:
            gi.duplicate_of, gi.similarity = gi.id, 1.0
            gi.hold("dedup", "duplicate", "already ingested (same id, same text)")
    return known, bool(left) and not tidy


def _name_resends(resent: list[GateItem], index: Index) -> None:
    """A same-text resend is told the story its indexed version is in: the recorded name, or its
    own id when it was the first of its story (the name later articles of the story were told).
    None when it has no story sketch (it went in at copy level only, or has no story body).

    The numbers are looked up here: the resend step's second look (under the lock, after a stopped
    run's left-overs) answers only for ids still undecided, and a resend found by the first look was
    missing from it (a KeyError that stopped the whole run)."""
    if not resent:
        return
    ids = [gi.id for gi in resent if gi.id is not None]
    nums = index.lookup(ids)
    names = index.stories(ids)
    sketched = index.has("story", sorted(set(nums.values())))
    for gi in resent:
        if gi.id in nums and nums[gi.id] in sketched:
            gi.story_cluster = names.get(gi.id, gi.id)


def _apply(gi: GateItem, d: Any) -> bool:
    """A scan's answer for one item; False when the item was held back as an error."""
    if d is None:  # never expected: say so rather than let it through unseen
        gi.hold("dedup", "error", "no dedup result for this article")
    elif d.status == "error":
        gi.hold("dedup", "error", d.error or "could not be deduplicated")
    elif d.status == "empty":
        gi.hold("dedup", "error", "no article body left once boilerplate is removed")
    else:
        gi.story_cluster = d.clusters.get("story")
        return True
    return False


def _levels(level: str) -> list[Any]:
    """The scan levels of a gate run. The story level's chain guard (mutual top `chain_k` links
    among what one scan saw) is applied by the gate instead, per article over the articles before
    it (`_label_stories`): in the scan it depends on which articles share a batch."""
    from dedup.near.scan import make_level

    levels = [make_level("copy")]
    if level == "both":
        story: Any = make_level("story")  # a fresh instance, this run's own
        story.filter_links = None  # same params (the index still matches), every verified link kept
        levels.append(story)
    return levels


def _scan_new(todo: list[GateItem], index: Index, levels: list[Any]) -> None:
    """New ids, together: copies of each other or of the index are duplicates. Only what goes in
    is stored (with its fingerprint and story name); the numbers of the others are given back."""
    from dedup.near.index.base import PENDING
    from dedup.near.index.staged import StagedView
    from dedup.near.scan import scan

    view = StagedView(index)
    # The check step's Document (boilerplate already found) saves the scan a second pass.
    result = scan([gi.doc or gi.article for gi in todo], level=levels, index=view)  # type: ignore[misc]
    by_id = {d.id: d for d in result.documents}
    # A copy is a copy of an article before it that is in the index or goes in: its earliest direct
    # link, not the scan's cluster (linked through a LATER article of the batch, an article would
    # be called a copy of one it does not copy, and only when both were in one batch).
    links = _links(result, "copy")
    nums = index.lookup(sorted(links)) if links else {}
    out: set[str] = set()  # held back so far: never in the index, so nothing is a copy of them
    for gi in todo:
        if _apply(gi, by_id.get(gi.id)) and gi.id in nums:
            own = nums[gi.id]
            earlier = [
                (nums[o], o, sim)
                for o, sim in links.get(gi.id, {}).items()
                if nums.get(o, own) < own and o not in out
            ]
            if earlier:
                _, dup, sim = min(earlier)
                gi.duplicate_of, gi.similarity = dup, sim
                gi.hold("dedup", "duplicate", f"copy of {dup} (similarity {sim})")
        if gi.decision is not None and gi.id is not None:
            out.add(gi.id)
    names = {}
    if len(levels) > 1:
        story = _earlier_story_links(todo, result, view, index, levels[-1])
        names = _label_stories(todo, result, index, levels, story=story)
    going = {gi.id: gi.fingerprint for gi in todo if gi.decision is None and gi.fingerprint is not None}
    if going:
        named = {i: n for i, n in names.items() if i in going and n != i}  # new ids have none yet
        _store(index, view, going, PENDING, named)  # type: ignore[arg-type]
    held = [gi.id for gi in todo if gi.decision is not None and gi.id is not None]
    if held:
        index.forget(held)


def _links(result: Any, level: str) -> dict[str, dict[str, float]]:
    """The scan's verified links at one level: id -> {linked id: similarity}."""
    linked: dict[str, dict[str, float]] = {}
    for c in result.clusters:
        if c.level == level:
            for p in c.pairs:
                linked.setdefault(p.a, {})[p.b] = p.similarity
                linked.setdefault(p.b, {})[p.a] = p.similarity
    return linked


def _earlier_story_links(
    todo: list[GateItem], result: Any, view: StagedView, index: Index, level: Any
) -> dict[str, dict[str, float]]:
    """Each new article's verified story links to the articles before it among its `candidate_cap`
    best candidates before it (`story.earlier_partners`): the links it has scanned alone against
    everything before it, where the articles before it vote too (index format 4: a stored article
    keeps it when it beats its partner list, an earlier one of the batch when it ranks in its top
    `cap` so far), so the candidates hold every pair one scan over everything keeps. The scan's own
    capped candidates depend on the batch (later articles take places); pairs it verified are read
    from its result, the few it did not consider are verified here. Symmetric: id -> {linked id:
    similarity}."""
    import numpy as np

    from dedup.near.bands import capped_pairs, top_stored
    from dedup.near.story import earlier_partners

    staged = view.staged.get(level.name, {})
    if not staged:
        return {}
    bnums = sorted(staged)
    keys = np.stack([staged[n][0] for n in bnums])
    seen = view.looked.get(level.name)
    reused = seen is not None and seen[0].shape == keys.shape and bool(np.array_equal(seen[0], keys))
    cap = int(getattr(level, "candidate_cap", 0) or 0)
    side = None
    if cap and reused:
        side = seen[1]  # type: ignore[index]
    elif cap:  # each row's `cap` best stored partners and the stored voters, in bounded memory
        fresh = np.ones(len(bnums), dtype=bool)
        side = top_stored(index, level.name, keys, cap, np.asarray(bnums, dtype=np.int64), fresh=fresh)
    if side is not None:
        rows, found = side.rows, side.nums
    else:
        rows, found = index.candidates(level.name, keys)
    thr = float(level.verify_threshold)
    num_of = index.lookup([gi.id for gi in todo if gi.decision is not None and gi.id is not None])
    held = set(num_of.values())  # held back: not before anything
    skip = np.fromiter((n in held for n in bnums), dtype=bool, count=len(bnums))
    voters = None if side is None else (side.voters, side.voted)
    partners = earlier_partners(np.asarray(bnums), keys, rows, found, cap, skip, voters)
    linked = _links(result, level.name)
    nums = index.lookup(sorted(linked))
    known = {  # the scan's verified links, by number
        (nums[a], nums[b]): sim
        for a, others in linked.items()
        for b, sim in others.items()
        if a in nums and b in nums and sim >= thr
    }
    scanned: set[tuple[int, int]] | None = None  # the pairs the scan verified (kept or not)
    if reused and side is not None:
        scanned = set(map(tuple, capped_pairs(keys, cap, np.asarray(bnums), rows, found).tolist()))
        scanned.update((min(e, x), max(e, x)) for e, x in side.kept.tolist())
    todo_pairs = [
        (x, e)
        for x, ps in zip(bnums, partners, strict=True)
        for e in ps.tolist()
        if (x, e) not in known and (scanned is None or (min(x, e), max(x, e)) not in scanned)
    ]
    stored = (
        index.payloads(level.name, sorted({e for _, e in todo_pairs} - staged.keys())) if todo_pairs else {}
    )
    found_links: dict[tuple[int, int], float] = {}
    for x, e in todo_pairs:
        pe = staged[e][1] if e in staged else stored.get(e)
        if pe is not None and (sim := round(float(level.similarity(staged[x][1], pe)), 4)) >= thr:
            found_links[(x, e)] = sim
    links = {
        (x, e): known[(x, e)]
        for x, ps in zip(bnums, partners, strict=True)
        for e in ps.tolist()
        if (x, e) in known
    }
    links.update(found_links)
    ids = index.ids_of(sorted({n for pair in links for n in pair}))
    out: dict[str, dict[str, float]] = {}
    for (x, e), sim in links.items():
        out.setdefault(ids[x], {})[ids[e]] = sim
        out.setdefault(ids[e], {})[ids[x]] = sim
    return out


def _label_stories(
    items: list[GateItem],
    result: Any,
    index: Index,
    levels: list[Any],
    update: bool = False,
    story: dict[str, dict[str, float]] | None = None,
) -> dict[str, str]:
    """Each article is told the name of its story: the earliest story among the articles before it
    that it is linked to (None when it is the first of its story). Returns the names to record for
    the articles going in (their own id when they are the first).

    Story names are read from the index, so an article is told the name the earlier articles of
    its story were told, whatever run or batch they came in. The links count as the scan would
    keep them scanning the article alone against everything before it: every copy link, and its
    `chain_k` best story links (ties kept); "before it" means indexed earlier or earlier in this
    input and going in (an update comes after everything indexed). When an article links stories
    of different names it takes the name of the story whose first article was indexed first; the
    articles already told the other name keep it (a name once told is never changed), and a later
    article takes the earliest name among the articles it links to."""
    if story is None:
        thr = float(levels[-1].verify_threshold)  # copy pairs the scan added below it count as copies
        story = {a: {b: v for b, v in o.items() if v >= thr} for a, o in _links(result, "story").items()}
    copies = _links(result, "copy")
    for gi in items:
        gi.story_cluster = None
    linked = sorted(set(story) | set(copies))
    if not linked:
        return {gi.id: gi.id for gi in items if gi.decision is None and gi.id is not None}
    nums = index.lookup(linked)
    names = index.stories(sorted(nums))  # recorded names; an article without one is its own name
    nums.update(index.lookup(sorted(set(names.values()) - nums.keys())))
    k = getattr(levels[-1], "chain_k", 0)
    held = {gi.id for gi in items if gi.decision is not None}  # not going in: not "before" anything
    out: dict[str, str] = {}
    for gi in items:
        if gi.id is None:
            continue
        own = nums.get(gi.id)

        def before(o: str, _own: int | None = own, _id: str = gi.id) -> bool:
            return (
                o in nums and o not in held and o != _id and (update or (_own is not None and nums[o] < _own))
            )

        sims = {o: s for o, s in story.get(gi.id, {}).items() if before(o)}
        if k > 0 and len(sims) > k:
            kth = sorted(sims.values(), reverse=True)[k - 1]
            sims = {o: s for o, s in sims.items() if s >= kth}
        keep = set(sims) | {o for o in copies.get(gi.id, ()) if before(o)}
        if keep:
            gi.story_cluster = min((nums.get(n, nums[o]), n) for o in keep for n in [names.get(o, o)])[1]
        if gi.decision is None:
            out[gi.id] = names[gi.id] = gi.story_cluster or gi.id  # read by later articles of this batch
    return out


def _store(
    index: Index,
    view: StagedView,
    fingerprints: Mapping[str, int],
    pending: int,
    names: Mapping[str, str] | None = None,
) -> None:
    """Store the staged sketches of these ids with their fingerprints and story names, marked
    `pending` first: a run that stops in between leaves ids the next run judges afresh (see
    `PENDING`), story names included."""
    nums = list(index.lookup(list(fingerprints)).values())
    index.set_fingerprints(dict.fromkeys(fingerprints, pending))
    if names:
        index.set_stories(names)
    view.commit(nums)
    index.set_fingerprints(fingerprints)


def _scan_resent(gi: GateItem, index: Index, levels: list[Any]) -> None:
    """A known id with another text (or none recorded): judged against the index without its own
    version; it replaces that version only if it goes in."""
    from dedup.near.index.base import PENDING_UPDATE
    from dedup.near.index.staged import StagedView
    from dedup.near.scan import scan

    assert gi.id is not None and gi.article is not None
    (num,) = index.lookup([gi.id]).values()
    view = StagedView(index, exclude=num)
    result = scan([gi.doc or gi.article], level=levels, index=view)
    d = next((d for d in result.documents if d.id == gi.id), None)
    if not _apply(gi, d):
        return
    names = _label_stories([gi], result, index, levels, update=True) if len(levels) > 1 else {}
    first = "copy"  # the level whose copies are duplicates (as in `scan`: its first level)
    others = sorted(_links(result, first).get(gi.id, {}).items())
    if others:  # a copy of another article: the earliest one it copies, as for a new article
        nums = index.lookup([o for o, _ in others])
        dup, sim = min(others, key=lambda o: (nums.get(o[0], -1), o[0]))
        gi.duplicate_of, gi.similarity = dup, sim
        if gi.interrupted:
            before = f"an update of id {gi.id!r} was being stored when an earlier run stopped"
        elif gi.previous_fingerprint is None:
            before = f"id {gi.id!r} is indexed without a fingerprint"
        else:
            before = f"id {gi.id!r} was ingested before with other text (fingerprint {_hex(gi)})"
        gi.hold("dedup", "duplicate", f"copy of {dup} (similarity {sim}); {before}, which stays indexed")
        return
    if gi.previous_fingerprint is None and not gi.interrupted:
        # Indexed without a fingerprint (format 1, or by `dedup scan`): the sketches decide.
        old = index.payloads(first, [num]).get(num)
        new = view.staged.get(first, {}).get(num)
        if old is not None and new is not None and old == new[1]:
            gi.duplicate_of, gi.similarity = gi.id, 1.0
            gi.hold(
                "dedup",
                "duplicate",
                "already in the index (same id, same sketch; indexed before fingerprints were recorded)",
            )
            return
    _store(index, view, {gi.id: gi.fingerprint}, PENDING_UPDATE, names)  # type: ignore[dict-item]
    gi.decision, gi.step = "update", "dedup"
    if gi.interrupted:
        gi.reasons.append("an earlier run stopped while storing this id: this version replaces what it left")
    else:
        gi.reasons.append(
            f"same id, changed text: replaces the indexed version (previous fingerprint {_hex(gi)})"
        )


def _hex(gi: GateItem) -> str:
    return _hex16(gi.previous_fingerprint) or "none recorded"


def dedup_step(
    items: Iterable[GateItem],
    index: Index,
    params: GateParams,
    outage: Outage | None = None,
    lock_wait: float | None = None,
    unsent: dict[int, GateItem] | None = None,
) -> Iterator[GateItem]:
    """Copies of an earlier article (this run or the index) are held back as duplicates; resent ids
    with changed text replace their indexed version when they go in.

    A resent id is scanned on its own, between the new articles before and after it, so every
    article is judged against exactly the index state its position in the input implies: the
    decisions do not depend on the batch size.

    Each batch is deduplicated inside the index's exclusive section (`Index.exclusive`): what the
    resend step read before the check is read again there, since another worker may have stored
    these ids meanwhile (a known id with the same text is then "already ingested", with another
    text a resend), and no other worker scans or stores until this batch's articles are stored."""
    from dedup.near.index.base import IndexUnavailable

    outage = outage or Outage()
    levels: list[Any] = []  # built at first use: a level that cannot be built is an error decision
    for batch in _batches(iter(items), params.batch_size):
        todo = [gi for gi in batch if gi.decision is None and gi.article is not None]
        if todo and outage.error is None:
            try:
                with index.exclusive(lock_wait):
                    levels = _dedup_locked(todo, index, params, outage, levels, unsent)
            except IndexUnavailable as err:  # the lock could not be had, or the index went away
                log.error("%s: the articles not yet decided get an error decision", err)
                outage.error = err
        if outage.error is not None:
            outage.hold(todo)
        yield from batch


def _dedup_locked(
    todo: list[GateItem],
    index: Index,
    params: GateParams,
    outage: Outage,
    levels: list[Any],
    unsent: dict[int, GateItem] | None = None,
) -> list[Any]:
    """One batch's dedup, under the index lock; returns the levels (built at first use).

    `unsent` gets every item that may be stored here (registered before anything is stored), so
    `gate` can take them out again when their decisions never reach the caller."""
    from dedup.near.index.base import IndexMismatch, IndexUnavailable

    known, _ = _resend_state(todo, index, tidy=True)  # the index as it is now, not before the check
    if unsent is not None:
        unsent.update((gi.position, gi) for gi in todo if gi.decision is None)
    now_dup = [gi for gi in todo if gi.decision is not None]
    for gi in now_dup:  # stored by another worker meanwhile: as if sent after it (no check needed)
        gi.verdict, gi.flags, gi.flag_spans = None, {}, []
    if now_dup and params.level == "both":
        _name_resends(now_dup, known, index)
    groups: list[list[GateItem]] = []
    for gi in todo:
        if gi.decision is not None:
            continue
        if gi.known or not groups or groups[-1][0].known:
            groups.append([gi])
        else:
            groups[-1].append(gi)
    for group in groups:
        if outage.error is not None:
            outage.hold(group)
            continue
        try:
            levels = levels or _levels(params.level)
            if group[0].known:
                _scan_resent(group[0], index, levels)
            else:
                _scan_new(group, index, levels)
        except IndexMismatch:
            raise  # the index is wrong for every article: stop the run and say why
        except IndexUnavailable as err:
            log.error("%s: the articles not yet decided get an error decision", err)
            outage.error = err
            outage.hold(group)
        except Exception as err:
            log.exception("dedup step failed on %d article(s)", len(group))
            for gi in group:
                if gi.decision is None:
                    gi.hold("dedup", "error", f"dedup failed: {type(err).__name__}: {err}")
            if not group[0].known:  # new ids: whatever the failed scan stored goes out again
                try:
                    index.forget([gi.id for gi in group if gi.id is not None])
                except IndexUnavailable as down:
                    outage.error = down
    return levels


@dataclass(frozen=True)
class CheckOutcome:
    """What the check step keeps of one article's check (small: it crosses process boundaries)."""

    doc: Document | None
    verdict: str | None = None
    flags: dict[str, int] = field(default_factory=dict)
    spans: tuple[dict[str, Any], ...] = ()
    reasons: tuple[str, ...] = ()
    error: str | None = None


def check_article(article: Article, params: GateParams | None = None) -> CheckOutcome:
    """Analyse and check one article: alone, or against the English report (`ref`) and the text
    before translation (`src`) its record brought, as `dedup check --ref/--src` does (the families
    that need a reference run only then); a failure is the outcome, never raised."""
    from dedup.align import AlignParams
    from dedup.check import CheckParams, check
    from dedup.load import companions
    from dedup.model import TooLarge
    from dedup.text import analyze

    params = params or GateParams()
    try:
        doc = analyze(article)
        more = {key: analyze(a) for key, a in companions(article).items()}
        align = AlignParams(max_pairs=params.max_pairs) if params.max_pairs is not None else None
        settings = CheckParams(policy=params.policy(), align=align)
        res = check(doc, more.get("ref"), settings, disable=params.disable, src=more.get("src"))
    except TooLarge as err:  # an input the aligner refuses by its size (a record's huge `ref`): no bug
        return CheckOutcome(None, error=f"check failed: TooLarge: {err}")
    except Exception as err:  # one bad article never stops the pipeline
        log.exception("check failed on %s", article.id)
        return CheckOutcome(None, error=f"check failed: {type(err).__name__}: {err}")
    return CheckOutcome(
        doc, res.verdict, dict(Counter(f.kind for f in res.flags)), _spans(res.flags), tuple(res.reasons)
    )


def _spans(flags: Iterable[Any]) -> tuple[dict[str, Any], ...]:
    """Each flag's place and reason, so a reviewer of a held article sees what to look at without
    checking it again: offsets into the article's text as sent (`text[start:end]` is the flagged
    span), sorted by offset as `check` sorts them. The text and evidence are left to `dedup check`
    (a boilerplate block can be long; the decision line stays short)."""
    keep = ("start", "end", "kind", "severity", "confidence", "message")
    return tuple({k: f.to_json()[k] for k in keep} for f in flags)


def check_step(
    items: Iterable[GateItem],
    params: GateParams,
    outage: Outage | None = None,
    jobs: int = 1,
    early: bool = False,
) -> Iterator[GateItem]:
    """Garble checks on what is still going in; the verdict may hold an article back.

    Batch by batch; with `jobs` > 1 a batch's articles are checked in that many processes (the
    same outcomes, in input order: decisions do not depend on `jobs`). `early`: start them before
    the input is read, as `gate` asks when a thread reads the input (`linger`): a process forked
    while that thread waited on stdin inherited stdin's lock held, and hung for good closing its
    stdin (multiprocessing does that in every new process)."""
    outage = outage or Outage()
    holding = ("review", "reject") if params.hold == "review" else ("reject",)
    one = functools.partial(check_article, params=params)  # picklable: it crosses to the workers
    with process_pool(jobs) as pool:
        if early and pool is not None and params.check:
            pool.submit(int).result()  # a fork pool starts all its processes at the first task
        for batch in _batches(iter(items), params.batch_size):
            todo = [gi for gi in batch if gi.decision is None and gi.article is not None]
            if not params.check or outage.error is not None or not todo:
                yield from batch
                continue
            arts = [gi.article for gi in todo]
            if pool is not None and len(arts) >= PARALLEL_MIN_CHECKS:
                size = max(1, len(arts) // (jobs * 4))
                outcomes: Iterable[CheckOutcome] = pool.map(one, arts, chunksize=size)
            else:
                outcomes = map(one, arts)  # type: ignore[arg-type]
            for gi, out in zip(todo, outcomes, strict=True):
                if out.error is not None:
                    gi.hold("check", "error", out.error)
                    continue
                gi.doc, gi.verdict, gi.flags = out.doc, out.verdict, dict(out.flags)
                gi.flag_spans = [dict(f) for f in out.spans]
                if out.verdict in holding:
                    why = "; ".join(out.reasons) if out.reasons else f"verdict {out.verdict}"
                    gi.hold("check", out.verdict, why)  # type: ignore[arg-type]
            yield from batch


PARALLEL_MIN_CHECKS = 16  # a batch smaller than this is checked in this process


def decide_step(items: Iterable[GateItem]) -> Iterator[GateItem]:
    """Whatever no step held back goes in."""
    for gi in items:
        if gi is PAUSE:
            continue
        if gi.decision is None:
            gi.decision = "ingest"
        yield gi


def gate(
    items: Iterable[Article | LoadError],
    index: str | Mapping[str, Any] | Any | None = None,
    params: GateParams | None = None,
    jobs: int = 1,
    lock_wait: float | None = None,
    linger: float | None = None,
) -> Iterator[GateItem]:
    """Decisions in input order, one per input, streaming. Raises `IndexUnavailable` after the
    last decision when the index went away during the run (the undecided articles are errors).

    `jobs`: processes for the garble checks (0: one per CPU, at most 8); the decisions are the
    same whatever it is. `index`: where earlier runs' articles are (a path, URI, config or open index; None keeps an
    in-memory index for this run only, so copies within the run are still found). `lock_wait`:
    seconds to wait for the index lock held by another worker (None: the index's own, 120 s by
    default); then the articles not yet decided are errors, as when the index goes away.
    `linger`: for an input that may pause (a feed on stdin), seconds without a new article after
    which the articles read so far are decided (and yielded) without waiting for a full batch;
    the input is then read in a thread. None: batches of `params.batch_size`, or the end.

    A decision counts as taken when the caller asks for the next one, or sets its `taken` (or the
    stream ends): if the caller stops early (closes the generator, or an exception such as a signal's comes through
    it), what was stored for the decisions it did not take is taken out again (`withdraw`), so a
    re-run judges those articles afresh rather than as "already ingested"."""
    from dedup.near.index import open_index

    params = params or GateParams()
    idx = open_index(index)
    outage = Outage()
    unsent: dict[int, GateItem] = {}  # may be stored; decision not yet taken by the caller
    try:
        # Check before dedup: the index must hold only what went in, so that a corrected resend
        # of a rejected article, or a copy of it, is judged on its own and not as "seen". The
        # resend step is first: the same text sent again needs neither check nor sketch.
        stream = read_step(_paced(items, linger) if linger is not None else items)
        stream = resend_step(stream, idx, params, outage, lock_wait)
        stream = check_step(stream, params, outage, resolve_jobs(jobs), early=linger is not None)
        stream = dedup_step(stream, idx, params, outage, lock_wait, unsent)
        for gi in decide_step(stream):
            yield gi
            unsent.pop(gi.position, None)  # the caller came back for the next one: it has this one
    except BaseException:
        # The caller stopped taking decisions (its output failed, a signal, `close()`), or the run
        # failed: what was stored for decisions it never took is taken out again, so a re-run
        # judges those articles afresh instead of calling them "already ingested".
        left = [gi for gi in unsent.values() if not gi.taken]
        if left:
            _withdraw_quietly(idx, left, lock_wait)
        raise
    finally:
        if idx is not index:
            try:
                idx.close()
            except Exception:  # a backend that went away may fail to close as well
                log.debug("closing the index failed", exc_info=True)
    if outage.error is not None:
        raise outage.error  # after the last decision: every input has one


def withdraw(
    index: str | Mapping[str, Any] | Any | None, items: Iterable[GateItem], lock_wait: float | None = None
) -> list[str]:
    """Take out of the index what these items stored, when their decisions never reached the
    reader (the output failed, the run was stopped): a new article is forgotten, an update marked
    as interrupted (`PENDING_UPDATE`: its old version is gone), so a re-run judges them afresh (as
    new; as an update) instead of calling them "already ingested" and nobody ingesting them.

    Only ids whose indexed fingerprint is still this text's are touched (under the index lock):
    what another worker stored since, or what was never stored, is left alone. Returns the ids
    taken out. `gate` does this itself for decisions the caller did not take; a caller that takes
    decisions and then fails to deliver them (the CLI's JSON output) calls it."""
    from dedup.near.index import open_index
    from dedup.near.index.base import PENDING_UPDATE

    went = [
        gi
        for gi in items
        if gi.id is not None
        and gi.fingerprint is not None
        and gi.decision in (None, *GOES_IN)
        and not gi.taken
    ]
    if not went:
        return []
    idx = open_index(index)
    try:
        with idx.exclusive(lock_wait):
            fps = idx.fingerprints(sorted({gi.id for gi in went}))  # type: ignore[misc]
            ours = [gi for gi in went if fps.get(gi.id) == gi.fingerprint]  # type: ignore[arg-type]
            new = sorted({gi.id for gi in ours if not gi.known})  # type: ignore[misc]
            updates = sorted({gi.id for gi in ours if gi.known})  # type: ignore[misc]
            if new:
                idx.forget(new)
            if updates:
                idx.set_fingerprints(dict.fromkeys(updates, PENDING_UPDATE))
    finally:
        if idx is not index:
            idx.close()
    return sorted(new + updates)


def _withdraw_quietly(idx: Index, items: list[GateItem], lock_wait: float | None) -> None:
    """`withdraw`, said on stderr; a failure is said too, never raised over the error on its way."""
    try:
        ids = withdraw(idx, items, lock_wait)
    except Exception as err:  # the index gone too: say which ids may be "already ingested" unseen
        names = sorted(gi.id for gi in items if gi.id is not None and gi.decision in (None, *GOES_IN))
        log.error(
            "%d article(s) may be stored in the index without a decision written, and could not be "
            "taken out (%s): a re-run calls them already ingested: %s",
            len(names),
            err,
            ", ".join(names[:20]) + (" ..." if len(names) > 20 else ""),
        )
        return
    from dedup.near.index.dryrun import DryRunIndex

    if ids and not isinstance(idx, DryRunIndex):  # a dry run stored nothing: nothing to tell
        log.warning(
            "%d article(s) were stored in the index but their decisions were not taken; taken out "
            "again, so a re-run judges them afresh: %s",
            len(ids),
            ", ".join(ids[:20]) + (" ..." if len(ids) > 20 else ""),
        )


def summary(decisions: Iterable[GateItem]) -> dict[str, int]:
    """How many inputs got each decision (every decision listed, zeros included)."""
    counts = Counter(d.decision for d in decisions)
    return {k: counts.get(k, 0) for k in DECISIONS}
