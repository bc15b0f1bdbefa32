"""Small synthetic articles for the near-duplicate tests: seeded, written here, no real data.

Articles are sentences of seeded random words with names and figures in them, so copies, templated
siblings and unrelated articles can be made on purpose and their relation is known.
"""

from __future__ import annotations

import random
import re

_VOCAB = (
    "council budget harbour proposal engineers bridge tender residents minister report agency market "
    "exports farmers drought rainfall reservoir turbine factory union wages contract hospital patients "
    "surgeons waiting clinic school teachers pupils exam results league striker goal coach season "
    "stadium ticket airline flights runway pilots strike fuel prices inflation bank rates lending "
    "housing tenants rent developers permit court judge appeal ruling police inquiry witness evidence "
    "museum exhibition painting collector auction festival music stage audience broadcaster network "
    "satellite launch orbit telescope research scientists vaccine trial dose virus outbreak province "
    "mayor election candidate ballot voters campaign debate coalition opposition treasury deficit "
    "pension reform railway station commuters delays timetable bus routes cyclists lane traffic"
).split()
_VERBS = "approved rejected delayed announced criticised expanded reviewed funded cancelled welcomed".split()
_NAMES = "Okafor Lindqvist Tanaka Moreau Rossi Kowalski Haddad Byrne Silva Patel Jensen Novak".split()
_PLACES = "Bergen Tampere Lyon Porto Gdansk Leeds Cork Basel Graz Turku Malmo Aarhus".split()


def article(seed: int, paragraphs: int = 6, sentences: int = 4) -> str:
    """A headline and paragraphs of seeded sentences with names, places and figures."""
    rng = random.Random(seed)
    paras = []
    for _ in range(paragraphs):
        sents = []
        for _ in range(sentences):
            words = [rng.choice(_VOCAB) for _ in range(rng.randint(9, 15))]
            words.insert(rng.randrange(1, len(words)), rng.choice(_VERBS))
            if rng.random() < 0.6:
                words.insert(rng.randrange(1, len(words)), f"{rng.randint(2, 990)}")
            if rng.random() < 0.5:
                words.insert(rng.randrange(1, len(words)), rng.choice(_NAMES))
            if rng.random() < 0.4:
                words.insert(rng.randrange(1, len(words)), f"in {rng.choice(_PLACES)}")
            sents.append(" ".join(words).capitalize() + ".")
        paras.append(" ".join(sents))
    title = " ".join(rng.choice(_VOCAB) for _ in range(6)).capitalize()
    return title + "\n\n" + "\n\n".join(paras) + "\n"


def copy_of(text: str, seed: int, replace: float = 0.03, drop: bool = True, truncate: float = 1.0) -> str:
    """A syndicated copy: new headline, byline and ad lines, a paragraph dropped, a few words replaced."""
    rng = random.Random(seed)
    head, _, body = text.partition("\n\n")
    paras = body.strip().split("\n\n")
    if drop and len(paras) > 3:
        del paras[rng.randrange(1, len(paras))]
    edited = []
    for p in paras:
        words = p.split(" ")
        for i in range(len(words)):
            if rng.random() < replace:
                words[i] = rng.choice(_VOCAB)
        edited.append(" ".join(words))
    if truncate < 1.0:
        edited = edited[: max(2, int(len(edited) * truncate))]
    lines = ["Breaking: " + " ".join(reversed(head.split())), "", "By Ada Byrne", ""]
    for i, p in enumerate(edited):
        lines += [p, ""]
        if i == 1:
            lines += ["Advertisement", "", "ALSO READ | Council approves the new harbour budget", ""]
    return "\n".join(lines)


def templated(text: str, seed: int) -> str:
    """The same report with every figure and every name changed (not a copy)."""
    rng = random.Random(seed)
    names = {n: rng.choice([m for m in _NAMES if m != n]) for n in _NAMES}
    places = {p: rng.choice([q for q in _PLACES if q != p]) for p in _PLACES}
    out = re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 50)), text)
    out = re.sub(r"\b[A-Z][a-z]+\b", lambda m: names.get(m.group(), places.get(m.group(), m.group())), out)
    return out
