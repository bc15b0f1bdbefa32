"""The story level: same event linked across wordings, different events not, payloads stable."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.model import Article, Boilerplate, Document
from dedup.near.story import StoryLevel, decode_payload, encode_payload
from dedup.text import analyze_text

# Two reports of one (invented) event, written independently: hardly a 5-word sequence in common.
QUAKE_A = """Earthquake shakes Korvenna, dozens injured

A magnitude 6.1 earthquake struck the mountain town of Korvenna in northern Valdoria early on
Tuesday, injuring at least 40 people and damaging the medieval Stelmark Cathedral, officials said.

Governor Anika Tressel said rescue teams from Brunhaven had reached the worst-hit districts and
that the tremor's epicentre lay twelve kilometres beneath Lake Ostrova.

The Valdorian Seismic Institute recorded more than twenty aftershocks before noon. Schools in
Korvenna will stay closed for the rest of the week while engineers inspect the buildings.
"""

QUAKE_B = """Valdoria: strong tremor hits Korvenna

Dozens of residents were hurt when a powerful quake rocked Korvenna on Tuesday morning. Regional
governor Anika Tressel told reporters that emergency crews sent from Brunhaven were searching
collapsed houses near Lake Ostrova, where seismologists placed the epicentre.

Part of the bell tower of Stelmark Cathedral fell into the square. According to the Valdorian
Seismic Institute, the main shock measured 6.1 and was followed by a series of aftershocks.
Classes have been suspended across Korvenna until inspectors declare the schools safe.
"""

# Same topic (an earthquake), a different event: other place, other people, other day.
QUAKE_OTHER = """Quake rattles Pellinore coast, no casualties reported

A moderate earthquake of magnitude 4.8 shook the fishing port of Pellinore on Saturday evening,
rattling windows and knocking goods off shop shelves, the Marisian Geological Survey said.

Mayor Doran Feltz said no one had been hurt and that harbour cranes were being checked. The
epicentre was located offshore, about thirty kilometres south of the Calvren lighthouse.
Ferries to the Ossery islands resumed on Sunday after a precautionary inspection.
"""

UNRELATED = """Bakery chain Hollin & Pryce reports record sourdough sales

Hollin & Pryce, the family bakery chain, said its annual turnover rose by 18 percent after the
launch of a rye sourdough loaf and a new range of cinnamon buns in its Glenmoor shops.

Chief executive Marta Quillon said the company would open six cafes next spring and hire
pastry apprentices. Flour prices, she added, had stabilised after two difficult harvests.
"""


def _doc(text: str, id_: str) -> Document:
    return analyze_text(text, id=id_, languages=False)


@pytest.fixture(scope="module")
def level() -> StoryLevel:
    return StoryLevel()


@pytest.fixture(scope="module")
def sketches(level: StoryLevel):  # type: ignore[no-untyped-def]
    docs = [_doc(QUAKE_A, "a"), _doc(QUAKE_B, "b"), _doc(QUAKE_OTHER, "other"), _doc(UNRELATED, "bakery")]
    return dict(zip(["a", "b", "other", "bakery"], level.sketch_many(docs), strict=True))


def _sim(level: StoryLevel, sketches, x: str, y: str) -> float:  # type: ignore[no-untyped-def]
    return level.similarity(sketches[x].payload, sketches[y].payload)


def _candidates(level: StoryLevel, sketches, key: str) -> set[str]:  # type: ignore[no-untyped-def]
    lsh = MinHashLSH(threshold=level.lsh_threshold, num_perm=level.num_perm)
    for k, s in sketches.items():
        lsh.insert(k, MinHash(hashvalues=s.hashvalues, scheme=level.scheme, seed=level.seed))
    probe = sketches[key]
    return set(lsh.query(MinHash(hashvalues=probe.hashvalues, scheme=level.scheme, seed=level.seed))) - {key}


def test_defaults_name_the_scheme_and_thresholds(level: StoryLevel) -> None:
    p = level.params()
    assert level.name == "story" and p["level"] == "story"
    assert p["scheme"] == level.scheme == "affine32"
    assert 0 < level.lsh_threshold < level.verify_threshold < 1
    assert p["num_perm"] == level.num_perm


def test_two_wordings_of_one_event_are_linked(level: StoryLevel, sketches) -> None:  # type: ignore[no-untyped-def]
    assert _sim(level, sketches, "a", "b") >= level.verify_threshold
    assert "b" in _candidates(level, sketches, "a")


def test_unrelated_articles_are_not_linked(level: StoryLevel, sketches) -> None:  # type: ignore[no-untyped-def]
    for other in ("a", "b", "other"):
        assert _sim(level, sketches, "bakery", other) < level.verify_threshold


def test_same_topic_different_event_is_not_linked(level: StoryLevel, sketches) -> None:  # type: ignore[no-untyped-def]
    same = _sim(level, sketches, "a", "b")
    for x in ("a", "b"):
        different = _sim(level, sketches, x, "other")
        assert different < level.verify_threshold
        assert different < same / 2


def test_similarity_is_symmetric_and_one_on_itself(level: StoryLevel, sketches) -> None:  # type: ignore[no-untyped-def]
    a, b = sketches["a"].payload, sketches["b"].payload
    assert level.similarity(a, b) == level.similarity(b, a)
    assert level.similarity(a, a) == pytest.approx(1.0, abs=2e-3)


def test_sketch_shape_and_dtype(level: StoryLevel, sketches) -> None:  # type: ignore[no-untyped-def]
    hv = sketches["a"].hashvalues
    assert hv.shape == (level.num_perm,)
    assert hv.dtype == np.uint32  # affine32
    assert isinstance(sketches["a"].payload, bytes)
    assert len(sketches["a"].payload) <= 8 + 6 * level.payload_features


def test_payload_round_trip() -> None:
    keys = np.array([7, 3, 4_000_000_000, 12], dtype=np.uint32)
    weights = np.array([1.0, 3.0, 0.5, 2.0])
    payload = encode_payload(keys, weights)
    k, w = decode_payload(payload)
    order = np.argsort(keys)
    assert k.tolist() == sorted(keys.tolist())
    expected = weights[order] / np.linalg.norm(weights)
    assert np.allclose(w, expected, atol=1e-3)
    assert encode_payload(k, w) == payload  # stable once normalised


def test_payload_from_a_stored_index_survives_bytes_copy(level: StoryLevel, sketches) -> None:  # type: ignore[no-untyped-def]
    stored = bytes(bytearray(sketches["a"].payload))  # what a SQLite BLOB gives back
    assert level.similarity(stored, sketches["b"].payload) == _sim(level, sketches, "a", "b")


def test_bad_payload_is_refused(level: StoryLevel, sketches) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        level.similarity(b"copy-level payload", sketches["a"].payload)
    with pytest.raises(ValueError):
        level.similarity(sketches["a"].payload[:-2], sketches["a"].payload)


def test_deterministic_across_instances_and_batches() -> None:
    docs = [_doc(QUAKE_A, "a"), _doc(UNRELATED, "bakery")]
    first = StoryLevel().sketch_many(docs)
    second = StoryLevel().sketch_many(list(reversed(docs)))[::-1]
    single = [StoryLevel().sketch_many([d])[0] for d in docs]
    for x, y, z in zip(first, second, single, strict=True):
        assert x is not None and y is not None and z is not None
        assert x.payload == y.payload == z.payload
        assert np.array_equal(x.hashvalues, y.hashvalues) and np.array_equal(x.hashvalues, z.hashvalues)


def test_empty_body_gives_none_in_place(level: StoryLevel) -> None:
    empty = Document(article=Article(id="empty", text=""))
    blank = _doc("   \n\n  ", "blank")
    out = level.sketch_many([empty, _doc(QUAKE_A, "a"), blank])
    assert out[0] is None and out[2] is None
    assert out[1] is not None


def test_boilerplate_does_not_count(level: StoryLevel) -> None:
    ad = (
        "Subscribe to Korvenna Daily Herald premium for exclusive earthquake coverage and Valdoria alerts\n\n"
    )
    text = ad + QUAKE_OTHER
    with_span = Document(
        article=Article(id="x", text=text), boilerplate=[Boilerplate(0, len(ad), "advertisement")]
    )
    clean, marked, unmarked = level.sketch_many(
        [_doc(QUAKE_OTHER, "c"), with_span, Document(article=Article(id="u", text=text))]
    )
    assert clean is not None and marked is not None and unmarked is not None
    assert marked.payload == clean.payload
    assert unmarked.payload != clean.payload  # the advert's words would have counted


def test_only_boilerplate_gives_none(level: StoryLevel) -> None:
    text = "Advertisement"
    doc = Document(
        article=Article(id="ad", text=text), boilerplate=[Boilerplate(0, len(text), "advertisement")]
    )
    assert level.sketch_many([doc]) == [None]


def test_seed_pair_is_a_story_pair(level: StoryLevel, seed_en_text: str, seed_mt_text: str) -> None:
    en, mt = level.sketch_many([_doc(seed_en_text, "en"), _doc(seed_mt_text, "mt")])
    assert en is not None and mt is not None
    assert level.similarity(en.payload, mt.payload) >= level.verify_threshold


def test_unknown_language_or_scheme_is_refused() -> None:
    with pytest.raises(ValueError):
        StoryLevel(lang="xx-not-a-language")
    with pytest.raises(ValueError):
        StoryLevel(scheme="affine16")


def test_truncated_header_is_refused(level: StoryLevel) -> None:
    with pytest.raises(ValueError):
        level.similarity(b"DS", b"DS")


WORDS = [
    "Korvenna",
    "quake",
    "the",
    "of",
    "Tressel",
    "cathedral",
    "2019",
    "U.S.",
    "rescue",
    "Ostrova",
    "bun",
    "and",
]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), min_size=0, max_size=40),
    st.lists(st.sampled_from(WORDS), min_size=0, max_size=40),
)
def test_similarity_is_a_bounded_symmetric_score(a: list[str], b: list[str]) -> None:
    level = StoryLevel()
    sa, sb = level.sketch_many([_doc(" ".join(a), "a"), _doc(" ".join(b), "b")])
    if sa is None or sb is None:
        return
    ab = level.similarity(sa.payload, sb.payload)
    assert 0.0 <= ab <= 1.0
    assert ab == level.similarity(sb.payload, sa.payload)


# --- chain guard (`filter_links`): mutual top-k verified neighbours --------------------------------


def test_chain_guard_is_a_param_and_can_be_turned_off() -> None:
    assert StoryLevel().params()["chain_k"] == StoryLevel().chain_k >= 1
    off = StoryLevel(chain_k=0)
    links = [(0, 1, 0.5), (1, 2, 0.4), (2, 3, 0.3), (0, 2, 0.25), (0, 3, 0.21)]
    assert off.filter_links(links) == links
    with pytest.raises(ValueError):
        StoryLevel(chain_k=-1)


def test_chain_guard_cuts_a_hub_but_keeps_its_own_story() -> None:
    # 0-1-2 is one story (strong links); 2 also meets 3, 4, 5 weakly (a busy topic), and 3-4-5 is
    # another story. Single link would merge all six; mutual top-2 keeps both stories apart.
    links = [
        (0, 1, 0.6),
        (0, 2, 0.55),
        (1, 2, 0.5),
        (2, 3, 0.22),
        (2, 4, 0.21),
        (2, 5, 0.23),
        (3, 4, 0.45),
        (3, 5, 0.4),
        (4, 5, 0.5),
    ]
    kept = StoryLevel(chain_k=2).filter_links(links)
    assert set(kept) == {(0, 1, 0.6), (0, 2, 0.55), (1, 2, 0.5), (3, 4, 0.45), (3, 5, 0.4), (4, 5, 0.5)}
    assert [p for p in links if p in kept] == kept  # input order kept, nothing invented


def test_chain_guard_keeps_a_link_only_when_both_ends_rank_it() -> None:
    # 1's best two are 2 and 3; 0 ranks 1 first, but 1 does not rank 0 in its top 2.
    links = [(0, 1, 0.3), (1, 2, 0.9), (1, 3, 0.8)]
    assert StoryLevel(chain_k=2).filter_links(links) == [(1, 2, 0.9), (1, 3, 0.8)]
    assert StoryLevel(chain_k=3).filter_links(links) == links


def test_chain_guard_keeps_ties_whatever_the_numbering() -> None:
    links = [(0, 1, 0.4), (0, 2, 0.4), (0, 3, 0.4)]
    kept = StoryLevel(chain_k=1).filter_links(links)
    assert kept == links  # three equal best links: none is preferred by its document number
    renumbered = [(9 - a, 9 - b, s) for a, b, s in links]
    assert len(StoryLevel(chain_k=1).filter_links(renumbered)) == 3


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 8), st.integers(0, 8), st.sampled_from([0.2, 0.3, 0.45, 0.6, 0.9])),
        max_size=30,
    ),
    st.integers(1, 4),
)
def test_chain_guard_properties(raw: list[tuple[int, int, float]], k: int) -> None:
    seen: set[tuple[int, int]] = set()
    links = []
    for a, b, s in raw:
        if a != b and (min(a, b), max(a, b)) not in seen:
            seen.add((min(a, b), max(a, b)))
            links.append((min(a, b), max(a, b), s))
    level = StoryLevel(chain_k=k)
    kept = level.filter_links(links)
    assert [p for p in links if p in kept] == kept  # a subset, in input order
    assert level.filter_links(list(reversed(links))) == list(reversed(kept))  # order does not matter
    for a, b, s in kept:  # neither end has k links stronger than a kept one
        for n in (a, b):
            assert sum(1 for x, y, t in links if n in (x, y) and t > s) < k
    for a, b, s in links:  # and a dropped link has k stronger ones at one of its ends
        if (a, b, s) not in kept:
            assert any(sum(1 for x, y, t in links if n in (x, y) and t > s) >= k for n in (a, b))
    if links:  # the strongest link overall is always kept
        assert max(links, key=lambda p: p[2]) in kept
    assert set(kept) <= set(StoryLevel(chain_k=k + 1).filter_links(links))  # monotone in k


def test_chain_guard_on_sketched_articles(level: StoryLevel, sketches) -> None:  # type: ignore[no-untyped-def]
    names = ["a", "b", "other", "bakery"]
    links = []
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            s = _sim(level, sketches, names[i], names[j])
            if s >= level.verify_threshold:
                links.append((i, j, s))
    assert (0, 1) in {(a, b) for a, b, _ in level.filter_links(links)}


# Another event of the same topic, told twice, and a weekly roundup that covers both events.
QUAKE_OTHER_B = """Pellinore: minor quake, harbour cranes inspected

The Marisian Geological Survey said a 4.8 magnitude tremor hit offshore south of the Calvren
lighthouse on Saturday evening. Mayor Doran Feltz told residents of Pellinore that nobody was
injured; shopkeepers swept up fallen goods while engineers checked the harbour cranes. Ferry
services to the Ossery islands restarted on Sunday after inspections.
"""

ROUNDUP = """Week of tremors: Korvenna and Pellinore shaken

Two earthquakes shook the region this week. In Korvenna, Valdoria, a magnitude 6.1 quake damaged
Stelmark Cathedral and injured dozens; governor Anika Tressel said crews from Brunhaven were at work
near Lake Ostrova. On Saturday a smaller magnitude 4.8 tremor rattled the port of Pellinore, where
mayor Doran Feltz said no one was hurt and the Marisian Geological Survey placed the epicentre
offshore near the Calvren lighthouse. Ferries to the Ossery islands resumed on Sunday.
"""


def _clusters(links: list[tuple[int, int, float]], n: int) -> set[frozenset[int]]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b, _ in links:
        parent[find(a)] = find(b)
    groups: dict[int, set[int]] = {}
    for x in range(n):
        groups.setdefault(find(x), set()).add(x)
    return {frozenset(g) for g in groups.values() if len(g) > 1}


def test_a_roundup_chains_two_stories_unless_guarded() -> None:
    texts = [QUAKE_A, QUAKE_B, QUAKE_OTHER, QUAKE_OTHER_B, ROUNDUP, UNRELATED]
    sk = StoryLevel().sketch_many([_doc(t, str(i)) for i, t in enumerate(texts)])
    level = StoryLevel()
    links = []
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            s = level.similarity(sk[i].payload, sk[j].payload)  # type: ignore[union-attr]
            if s >= level.verify_threshold:
                links.append((i, j, s))
    # Single link: the roundup (4) joins both events, and both events become one "story".
    assert _clusters(StoryLevel(chain_k=0).filter_links(links), len(texts)) == {frozenset({0, 1, 2, 3, 4})}
    # Mutual best link only: each event's two reports stay together, the roundup joins neither.
    assert _clusters(StoryLevel(chain_k=1).filter_links(links), len(texts)) == {
        frozenset({0, 1}),
        frozenset({2, 3}),
    }


def test_scan_applies_the_chain_guard() -> None:
    from dedup.near.scan import scan

    texts = [QUAKE_A, QUAKE_B, QUAKE_OTHER, QUAKE_OTHER_B, ROUNDUP, UNRELATED]
    docs = [_doc(t, f"a{i}") for i, t in enumerate(texts)]

    def story_clusters(level: StoryLevel) -> set[frozenset[str]]:
        result = scan(docs, level=level)
        return {frozenset(c.members) for c in result.clusters if c.level == "story"}

    assert story_clusters(StoryLevel(chain_k=0)) == {frozenset({"a0", "a1", "a2", "a3", "a4"})}
    assert story_clusters(StoryLevel(chain_k=1)) == {frozenset({"a0", "a1"}), frozenset({"a2", "a3"})}


def _flood(town: str, river: str, level_m: str, homes: int) -> str:
    """A templated river bulletin: every word shared but the place, the river and the figures."""
    return (
        f"Flood warning for {town}\n\n"
        f"The environment agency has issued a flood warning for {town} after the {river} rose to "
        f"{level_m} metres overnight, with sandbags handed out to {homes} homes near the embankment. "
        f"Residents are advised to move valuables upstairs, keep drains clear and avoid walking or "
        f"driving through floodwater.\n\n"
        f"Further rain is forecast for the catchment on Wednesday and the warning will be reviewed "
        f"at noon. This bulletin was generated automatically from river gauge readings.\n"
    )


def test_name_features_skip_sentence_starts_and_weekdays() -> None:
    from dedup.near.story_features import name_features

    text = "Quorvath said on Monday that Tessaly was calm.\nBrimwold agrees. Nobody met Dravenko on Sunday."
    assert name_features(text) == ["dravenko", "tessaly"]  # Quorvath, Brimwold, Nobody start a sentence/line
    assert name_features(text, min_info=9.0) == []


def test_templated_reports_of_different_places_are_not_linked() -> None:
    docs = [
        _doc(_flood("Ashcombe", "Wendle", "3.2", 40), "x"),
        _doc(_flood("Morlick", "Tarrow", "2.7", 85), "y"),
    ]
    gated, ungated = StoryLevel(name_gate=4.5), StoryLevel()
    a, b = gated.sketch_many(docs)
    assert a is not None and b is not None
    assert gated.similarity(a.payload, b.payload) == 0.0
    ua, ub = ungated.sketch_many(docs)
    assert ua is not None and ub is not None
    assert ungated.similarity(ua.payload, ub.payload) >= ungated.verify_threshold  # the gate does the work


def test_name_gate_keeps_the_same_event(level: StoryLevel, sketches) -> None:  # type: ignore[no-untyped-def]
    from dedup.near.story import decode_names

    gated = StoryLevel(name_gate=4.5)
    a, b = gated.sketch_many([_doc(QUAKE_A, "a"), _doc(QUAKE_B, "b")])
    assert a is not None and b is not None
    na, nb = decode_names(a.payload), decode_names(b.payload)
    assert na is not None and nb is not None and len(np.intersect1d(na, nb)) > 0
    assert gated.similarity(a.payload, b.payload) == _sim(level, sketches, "a", "b")


def test_name_gate_is_a_param_and_changes_the_payload() -> None:
    from dedup.near.story import decode_names

    assert StoryLevel(name_gate=4.5).params()["name_gate"] == 4.5
    assert "name_gate" not in StoryLevel().params()  # off by default: stored indexes stay valid
    with pytest.raises(ValueError):
        StoryLevel(name_gate=-1)
    doc = [_doc(QUAKE_A, "a")]
    (off,) = StoryLevel().sketch_many(doc)
    (on,) = StoryLevel(name_gate=4.5).sketch_many(doc)
    assert off is not None and on is not None
    assert decode_names(off.payload) is None and decode_names(on.payload) is not None
    assert [x.tolist() for x in decode_payload(off.payload)] == [
        x.tolist() for x in decode_payload(on.payload)
    ]


def test_gated_payload_with_bad_name_block_is_refused() -> None:
    level = StoryLevel(name_gate=4.5)
    a, b = level.sketch_many([_doc(QUAKE_A, "a"), _doc(QUAKE_B, "b")])
    assert a is not None and b is not None
    with pytest.raises(ValueError):
        level.similarity(a.payload + b"\x00", b.payload)
    with pytest.raises(ValueError):
        level.similarity(a.payload[:-1], b.payload)


def test_article_without_names_is_not_gated() -> None:
    keys = np.array([1, 2, 3], dtype=np.uint32)
    w = np.ones(3)
    named = encode_payload(keys, w, names=np.array([9], dtype=np.uint32))
    nameless = encode_payload(keys, w, names=np.empty(0, dtype=np.uint32))
    other = encode_payload(keys, w, names=np.array([8], dtype=np.uint32))
    level = StoryLevel(name_gate=4.5)
    assert level.similarity(named, nameless) == pytest.approx(1.0, abs=2e-3)
    assert level.similarity(named, other) == 0.0
