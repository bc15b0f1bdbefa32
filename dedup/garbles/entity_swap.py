"""An outlet, organisation or person in the MT whose aligned counterpart in the reference is another one.

Two texts of one story often name different people and bodies, and two translations name one body
in different words, so a swap needs all of: the MT entity is absent from the whole reference; a
different entity of the same kind sits in the reference sentences of a confident alignment link;
and the two are one name apart, the rest matching (one's words are not contained in the other's,
"Foreign Ministry" / "Ministry of Foreign Affairs"; near spellings are left to `name_variants`):
- outlets ("... Post/Times/News/Agency", Reuters, Xinhua, ...) of the same head noun (the aligned
  rival may be named elsewhere in the MT, not in the same sentence: "told the Tampa Herald" where
  the reference and the article's first line credit the Miami Herald); or, without an aligned rival,
  the article's own source: an outlet of the same head credited at least twice in
  the MT and also in the reference ("told China Post" in an article that cites the Washington Post);
- organisations of the same head noun ("Ministry", "Government") whose one differing word is a
  proper name on both sides and is not said elsewhere in the MT sentence (a reordered list);
- persons after the same title or word ("Defence Minister X" / "Defence Minister Y"; a qualifier before
  the title is part of it: "Hungarian Prime Minister Viktor Orban"), with no name
  token in common and not two romanisations of one name ("Dong Jiling" / "Chiling Tong").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from dedup.garbles.base import Context, Detector, register
from dedup.garbles.name_variants import is_variant, zipf
from dedup.model import Document, Evidence, Flag

_CAP = r"\p{Lu}[\p{L}'’.\-]*"
_OUTLET_HEADS = (
    "Post|Times|News|Journal|Herald|Tribune|Daily|Gazette|Telegraph|Guardian|Chronicle|Agency|"
    "Press|Observer|Express|Standard|Broadcasting\\s+Corporation|Television|Radio|Network"
)
_OUTLET_NAMES = (
    "Reuters|Associated\\s+Press|AP|AFP|Agence\\s+France-Presse|Xinhua|CNN|BBC|Bloomberg|Yonhap|Kyodo|"
    "TASS|Interfax|Al\\s+Jazeera|NHK|CCTV|CGTN|Axios|Politico|NPR|CNBC|NBC|CBS|ABC|Nikkei|Caixin|"
    "Sputnik|dpa|ANSA|EFE|Bernama|Antara"
)
OUTLET_RE = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}])(?:(?P<mods>(?:{_CAP}[\s\u00a0]+){{1,3}})(?P<head>(?:{_OUTLET_HEADS})"
    r"(?:[\s\u00a0]+(?:Service|Agency|Network|Online|Channel|Station))?)|(?P<name>{_OUTLET_NAMES}))"
    r"(?![\p{L}\p{N}])"
)
_ORG_HEADS = (
    "Ministry|Department|Council|Commission|Committee|Bureau|Administration|University|Bank|Party|"
    "Court|Parliament|Senate|Assembly|Office|Institute|Association|Federation|Organization|"
    "Organisation|Corporation|Army|Navy|Police|Embassy|Foundation|Fund|Union|Academy|Authority|Government"
)
_CONNECT = r"(?:[\s\u00a0]+(?:of|for|on)(?:[\s\u00a0]+the)?)"
ORG_RE = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}])(?P<pre>(?:{_CAP}[\s\u00a0]+){{0,3}})(?P<head>{_ORG_HEADS})"
    rf"(?P<post>{_CONNECT}(?:[\s\u00a0]+{_CAP}){{1,4}})?(?![\p{{L}}\p{{N}}])"
)
_TITLES = {
    "president", "vice", "secretary", "minister", "premier", "chancellor", "spokesman", "spokeswoman",
    "spokesperson", "ambassador", "envoy", "governor", "senator", "mayor", "general", "adviser",
    "advisor", "director", "chairman", "chairwoman", "chair", "deputy", "prime", "foreign", "state",
    "treasury", "commerce", "defense", "defence", "mr", "mrs", "ms", "dr", "sir", "lord", "king",
    "queen", "prince", "princess", "pope", "climate", "special", "security", "national", "chief",
    "executive", "leader", "representative", "judge", "justice", "commissioner", "professor", "prof",
}  # fmt: skip
# Titles that name a person's role (a lone surname after one of these is a person).
_PERSON_TITLES = {
    "president", "secretary", "minister", "premier", "chancellor", "spokesman", "spokeswoman",
    "spokesperson", "ambassador", "envoy", "governor", "senator", "mayor", "general", "adviser", "advisor",
    "director", "chairman", "chairwoman", "mr", "mrs", "ms", "dr", "sir", "lord", "king", "queen",
    "prince", "princess", "pope", "judge", "commissioner", "professor", "prof",
}  # fmt: skip
PERSON_RE = regex.compile(
    r"(?<![\p{L}\p{N}'’\-])(?:(?:Mc|Mac|De|O['’])?\p{Lu}\p{Ll}+|\p{Lu}\.)"
    r"(?:[ \u00a0](?:(?:Mc|Mac|De|O['’])?\p{Lu}\p{Ll}+|\p{Lu}\.))*(?![\p{L}\p{N}])"
)
_STOP = {"the", "a", "an", "and", "of", "in", "on", "by", "to", "for", "with", "at", "from"}
_LEAD_WORDS = _STOP | {
    "however", "but", "although", "though", "or", "so", "yet", "then", "meanwhile", "moreover", "also",
    "while", "when", "after", "before", "as", "according", "told", "said", "says", "that", "this",
    "these", "those", "if", "because", "since", "still", "both", "its", "their", "his", "her",
}  # fmt: skip
NAME_ZIPF = 4.0  # a swapped organisation modifier below this frequency is a proper name, not a description
_ORG_WORDS = set(_ORG_HEADS.lower().split("|")) | {"house", "street", "river", "city", "county", "province"}


@dataclass(frozen=True)
class Entity:
    """An entity mention: its span, kind, head noun and the modifiers that tell it apart."""

    start: int
    end: int
    kind: str  # outlet | organisation | person
    head: str
    mods: frozenset[str]
    key: str
    context: str = ""  # persons: the title or word before the name


def _norm(s: str) -> str:
    s = regex.sub(r"['’]s$", "", s.strip())
    return " ".join(s.replace("\u00a0", " ").lower().split())


def _stems(words: str) -> frozenset[str]:
    toks = regex.findall(r"\p{L}+", _norm(words))
    return frozenset(t for t in toks if t not in _STOP)


def _word_match(x: str, y: str) -> bool:
    """Two spellings or inflections of one word (Lao/Laos, Vietnam/Vietnamese, Buddhist/Buddhism)."""
    if x == y or (min(len(x), len(y)) >= 3 and (x.startswith(y) or y.startswith(x))):
        return True
    return (min(len(x), len(y)) >= 4 and x[:4] == y[:4]) or Levenshtein.normalized_similarity(x, y) >= 0.75


def _unmatched(a: frozenset[str], b: frozenset[str]) -> list[str]:
    return sorted(x for x in a if not any(_word_match(x, y) for y in b))


def outlets(text: str, start: int, end: int) -> list[Entity]:
    out = []
    for m in OUTLET_RE.finditer(text, start, end):
        if m.group("name"):
            key = _norm(m.group("name"))
            out.append(Entity(m.start(), m.end(), "outlet", key, frozenset({key[:4]}), key))
        else:
            mods = m.group("mods")
            # Trim leading sentence words ("Washington Post", not "However Washington Post").
            words = mods.split()
            while words and words[0].lower().strip(".,") in _LEAD_WORDS:
                words = words[1:]
            if not words:
                continue
            s = m.start("mods") + mods.index(words[0])
            head = _norm(m.group("head"))
            out.append(Entity(s, m.end(), "outlet", head, _stems(" ".join(words)), _norm(text[s : m.end()])))
    return out


def organisations(text: str, start: int, end: int) -> list[Entity]:
    out = []
    for m in ORG_RE.finditer(text, start, end):
        pre, post = m.group("pre") or "", m.group("post") or ""
        words = pre.split()
        while words and words[0].lower().strip(".,") in _LEAD_WORDS:
            words = words[1:]
        if not words and not post.strip():
            continue
        mods = _stems(" ".join(words) + " " + post)
        s = m.start("pre") + pre.index(words[0]) if words else m.start("head")
        out.append(Entity(s, m.end(), "organisation", _norm(m.group("head")), mods, _norm(text[s : m.end()])))
    return out


def persons(text: str, start: int, end: int) -> list[Entity]:
    """Capitalised name runs with leading titles split off; a lone surname counts only after a title."""
    out = []
    for m in PERSON_RE.finditer(text, start, end):
        toks = list(regex.finditer(r"\S+", m.group()))
        titles: list[str] = []
        while toks and toks[0].group().lower().rstrip(".") in _TITLES:
            titles.append(toks.pop(0).group().lower())
        # A qualifier before the title ("Hungarian Prime Minister Viktor Orban", "Northern Ireland
        # First Minister Michelle O'Neill"): the name is what follows the last title word.
        last = max(
            (i for i, t in enumerate(toks[:-1]) if t.group().lower().rstrip(".") in _TITLES), default=-1
        )
        if last >= 0:
            titles.extend(t.group().lower() for t in toks[: last + 1])
            toks = toks[last + 1 :]
        if not toks:
            continue
        names = [t.group() for t in toks]
        if any(n.lower() in _ORG_WORDS or (len(n) > 2 and zipf(n) >= 5.0) for n in names):
            continue
        if len(names) < 2 and not (
            titles and titles[-1].rstrip(".") in _PERSON_TITLES and zipf(names[0]) < 3.5
        ):
            continue
        s = m.start() + toks[0].start()
        e = m.start() + toks[-1].end()
        if titles:
            context = titles[-1]
        else:
            prev = regex.findall(r"\p{L}+", text[max(0, s - 40) : s])
            prev = [p.lower() for p in prev if p.lower() not in _STOP]
            context = prev[-1] if prev else ""
        surname = names[-1]
        out.append(
            Entity(s, e, "person", "person", frozenset({surname.lower()}), _norm(" ".join(names)), context)
        )
    return out


def _mentions(key: str, text_lower: str) -> bool:
    """Whether a normalised entity name occurs as whole words ("ap" is not in "apec")."""
    return (
        regex.search(rf"(?<![\p{{L}}\p{{N}}]){regex.escape(key)}(?![\p{{L}}\p{{N}}])", text_lower) is not None
    )


def _sentence_range(doc: Document, idx: tuple[int, ...]) -> list[tuple[int, int]]:
    return [(doc.sentences[i].start, doc.sentences[i].end) for i in idx if 0 <= i < len(doc.sentences)]


def _same_entity(a: Entity, b: Entity) -> bool:
    """One entity written two ways: one's modifiers contain the other's, or near spellings."""
    if a.key == b.key or not _unmatched(a.mods, b.mods) or not _unmatched(b.mods, a.mods):
        return True
    wa, wb = regex.findall(r"\p{L}+", a.key), regex.findall(r"\p{L}+", b.key)
    return any(is_variant(x.capitalize(), y.capitalize()) for x in wa for y in wb)


def _one_word_swapped(a: Entity, b: Entity, names_only: bool = True) -> bool:
    """Same structure, one name replaced ("Hubei Provincial Government" / "Hunan Provincial Government").

    Two translations of one body's name differ in many words, and in descriptive ones (special /
    professional committee); a swap keeps the rest of the name and replaces a proper name.
    """
    da, db = _unmatched(a.mods, b.mods), _unmatched(b.mods, a.mods)
    if len(da) != 1 or len(db) != 1:
        return False
    return not names_only or (zipf(da[0]) < NAME_ZIPF and zipf(db[0]) < NAME_ZIPF)


def _said_elsewhere(rival: Entity, ent: Entity, mt_sentence: str) -> bool:
    """The rival's distinguishing word appears elsewhere in the MT sentence: a reordering, not a swap."""
    words = [w.lower() for w in regex.findall(r"\p{L}+", mt_sentence)]
    return any(_word_match(x, w) for x in _unmatched(rival.mods, ent.mods) for w in words)


def _transliterated(a: str, b: str) -> bool:
    """Two romanisations of one name ("Dong Jiling" / "Chiling Tong"): every token has a close partner."""
    if fuzz.token_sort_ratio(a, b) >= 50:
        return True
    ta, tb = regex.findall(r"\p{L}+", a), regex.findall(r"\p{L}+", b)
    return all(any(Levenshtein.normalized_similarity(x, y) >= 0.6 for y in tb) for x in ta)


@register
class EntitySwap(Detector):
    name = "entity_swap"
    description = (
        "An outlet, organisation or person in the MT whose aligned counterpart in the reference is a "
        "different one of the same kind (e.g. 'China Post' where the reference has the Washington Post)."
    )
    severity = "major"
    needs_reference = True
    reference_agreement = True

    min_link_score: float = 0.4  # outlets
    min_org_link_score: float = 0.4
    min_person_link_score: float = 0.5  # persons: comparable texts quote different people

    def agrees(self, flag: Flag, ref: Document) -> bool:
        """The reference names the flagged entity (a person: any of its name words, as `detect` asks)."""
        if _mentions(_norm(flag.text), _norm(ref.text)):
            return True
        if not flag.message.startswith("person "):
            return False
        words = {w.lower() for w in regex.findall(r"\p{L}+", ref.text)}
        return any(n in words for n in regex.findall(r"\p{L}+", _norm(flag.text)))

    def detect(self, ctx: Context) -> Iterator[Flag]:
        if ctx.ref is None:
            return
        mt, ref = ctx.mt, ctx.ref
        ref_lower, mt_lower = _norm(ref.text), _norm(mt.text)
        ref_words = {w.lower() for w in regex.findall(r"\p{L}+", ref.text)}
        mt_words = {w.lower() for w in regex.findall(r"\p{L}+", mt.text)}
        mt_spans = [(s.start, s.end) for s in mt.sentences]
        mt_outlets = [e for s, t in mt_spans for e in outlets(mt.text, s, t)]
        ref_outlets = [e for s in ref.sentences for e in outlets(ref.text, s.start, s.end)]
        links = ctx.alignment.links if ctx.alignment is not None else []
        seen: set[tuple[int, int]] = set()

        def linked_ref(ent: Entity, min_score: float) -> list[tuple[int, int]]:
            for link in links:
                if link.score < min_score:
                    continue
                for s, t in _sentence_range(mt, link.mt):
                    if s <= ent.start < t:
                        return _sentence_range(ref, link.ref)
            return []

        # Outlets: the aligned sentence, or the article's own source named elsewhere in the MT.
        for ent in mt_outlets:
            if _mentions(ent.key, ref_lower):
                continue
            rivals = [r for s, t in linked_ref(ent, self.min_link_score) for r in outlets(ref.text, s, t)]
            # The rival may be named elsewhere in the MT (the article knows the right outlet: more
            # evidence, not less), but not in the same sentence, where both are credited.
            own_sentence = next((_norm(mt.text[s:t]) for s, t in mt_spans if s <= ent.start < t), mt_lower)
            rivals = [
                r
                for r in rivals
                if r.head == ent.head
                and not _mentions(r.key, own_sentence)
                and not _same_entity(ent, r)
                and _one_word_swapped(ent, r, names_only=False)
            ]
            # The article's own source: credited at least twice, in the reference too, one name apart.
            own = [
                o
                for o in mt_outlets
                if o.head == ent.head
                and not _same_entity(ent, o)
                and _one_word_swapped(ent, o, names_only=False)
                and any(_same_entity(o, r) for r in ref_outlets)
            ]
            mentions = {k: sum(1 for x in mt_outlets if x.key == k) for k in {o.key for o in own}}
            own = [
                o
                for o in own
                if mentions[o.key] >= 2 and mentions[o.key] > sum(1 for x in mt_outlets if x.key == ent.key)
            ]
            if not rivals and not own:
                continue
            conf = 0.9 if rivals and own else 0.8 if rivals else 0.7
            ev = [
                Evidence.at(
                    "the aligned reference sentence names this outlet", "ref", ref.text, r.start, r.end
                )
                for r in rivals[:2]
            ] + [
                Evidence.at(
                    "the article's source, named elsewhere and in the reference",
                    "mt",
                    mt.text,
                    o.start,
                    o.end,
                )
                for o in own[:2]
            ]
            other = rivals[0] if rivals else own[0]
            other_text = (ref.text if rivals else mt.text)[other.start : other.end]
            seen.add((ent.start, ent.end))
            where = (
                f"the aligned reference sentence credits {other_text!r}"
                if rivals
                else f"the article credits {other_text!r} elsewhere, as does the reference"
            )
            yield self.flag(
                ctx, ent.start, ent.end,
                f"outlet {mt.text[ent.start:ent.end]!r} is not in the reference; {where}",
                confidence=conf, evidence=ev,
            )  # fmt: skip

        # Organisations and persons: only against the aligned reference sentences.
        for s, t in mt_spans:
            for ent in organisations(mt.text, s, t) + persons(mt.text, s, t):
                if (ent.start, ent.end) in seen or any(o.start <= ent.start < o.end for o in mt_outlets):
                    continue
                if ent.kind == "organisation":
                    if _mentions(ent.key, ref_lower):
                        continue
                    spans = linked_ref(ent, self.min_org_link_score)
                    rivals = [
                        r
                        for a, b in spans
                        for r in organisations(ref.text, a, b)
                        if r.head == ent.head
                        and not _mentions(r.key, mt_lower)
                        and not _same_entity(ent, r)
                        and _one_word_swapped(ent, r)
                        and not _said_elsewhere(r, ent, mt.text[s:t])
                    ]
                else:
                    names = regex.findall(r"\p{L}+", ent.key)
                    if any(n in ref_words for n in names):
                        continue
                    spans = linked_ref(ent, self.min_person_link_score)
                    rivals = [
                        r
                        for a, b in spans
                        for r in persons(ref.text, a, b)
                        if r.context
                        and r.context == ent.context
                        and not any(n in mt_words for n in regex.findall(r"\p{L}+", r.key))
                        and not _same_entity(ent, r)
                        and not _transliterated(ent.key, r.key)
                    ]
                if not rivals:
                    continue
                r = rivals[0]
                seen.add((ent.start, ent.end))
                yield self.flag(
                    ctx,
                    ent.start,
                    ent.end,
                    f"{ent.kind} {mt.text[ent.start : ent.end]!r} is not in the reference; the aligned sentence "
                    f"names {ref.text[r.start : r.end]!r}",
                    confidence=0.75 if ent.kind == "organisation" else 0.7,
                    evidence=[Evidence.at(f"aligned reference {ent.kind}", "ref", ref.text, r.start, r.end)],
                )
