"""Red-team of copy and story decisions on hand-made groups the corpus generator does not make.

Each group is scanned alone (`scan(level="both")`): copies the tool must link (syndication with
its usual re-typesetting: straight quotes, HTML entities, hard wraps, NBSP and zero-width
characters, captions, corrections, cuts, reordering), look-alikes it must not link at copy level
(templated reports, shared boilerplate, a live blog and an entry, a quoted article, a shared
statement), and story pairs (same event in other words; same topic, other event).
Run as a script to print the decision table: ``.venv/bin/python -m tests.near.test_redteam_scan``.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass, field

import pytest

from dedup.load import article_from_text
from dedup.near.scan import scan
from tests.near import test_redteam_texts as T

BASES = {"port": T.PORT, "museum": T.MUSEUM, "rail": T.RAIL, "hospital": T.HOSPITAL, "water": T.WATER}


def _split(text: str) -> tuple[str, list[str]]:
    head, _, body = text.strip().partition("\n\n")
    return head, [p for p in body.split("\n\n") if p.strip()]


def _join(head: str, paras: list[str]) -> str:
    return head + "\n\n" + "\n\n".join(paras) + "\n"


def syndicated(text: str) -> str:
    """Other headline, dateline dropped, a byline and an agency credit."""
    head, paras = _split(text)
    first = re.sub(r"^[A-Z][A-Z ]+(?:, [A-Z][a-z]+ \d+)? — ", "", paras[0])
    return _join(
        "WIRE: " + head.split(" ", 2)[-1].capitalize(), ["By Staff Reporter", first, *paras[1:], "(Agency)"]
    )


def straight(text: str) -> str:
    return text.translate(
        str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "--", "–": "-", "…": "..."})
    )


def entities(text: str) -> str:
    return "".join(f"&#{ord(c)};" if ord(c) > 127 else c for c in html.escape(text, quote=False))


def wrapped(text: str, width: int = 70) -> str:
    head, paras = _split(text)
    return _join(head, [textwrap.fill(p, width) for p in paras])


def reordered(text: str) -> str:
    head, paras = _split(text)
    return _join(head, [paras[0], *reversed(paras[1:])])


def cut(text: str, keep: int = 3) -> str:
    head, paras = _split(text)
    return _join(head, paras[:keep])


def corrected(text: str) -> str:
    return text.rstrip() + (
        "\n\nCorrection: An earlier version of this article gave the wrong day for the announcement "
        "and misspelled the name of one of the people quoted. It has been updated.\n"
    )


def caps_headline(text: str) -> str:
    head, paras = _split(text)
    return _join(head.upper(), paras)


def captioned(text: str) -> str:
    head, paras = _split(text)
    out = [paras[0], "Photo: The scene on the day the news broke. (Photo by Alma Reyes / City Desk Images)"]
    out += [paras[1], "Credit: City Desk Images", *paras[2:], "Additional reporting by Jon Mercer."]
    return _join(head, out)


def invisible(text: str) -> str:
    """NBSP after every third space, a zero-width space inside every long word."""
    words = text.split(" ")
    out = []
    for w in words:
        if len(w) > 8 and w.isalpha():
            w = w[:4] + "\u200b" + w[4:]
        out.append(w)
    return "".join(w + ("\u00a0" if i % 3 == 2 else " ") for i, w in enumerate(out)).rstrip() + "\n"


def html_paragraphs(text: str) -> str:
    head, paras = _split(text)
    return f"<h1>{head}</h1>\n" + "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paras) + "\n"


def weather(city: str, hi: int, lo: int, sky: str, wind: int, rain: int) -> str:
    return (
        f"{city} weather: {sky} with a high of {hi}C\n\n"
        f"Forecasters expect a {sky} day in {city} on Thursday, with temperatures reaching a high of {hi}C "
        f"in the afternoon and falling to a low of {lo}C overnight. Winds from the west will blow at around "
        f"{wind} km/h, strongest near the coast and on higher ground.\n\n"
        f"The chance of rain is {rain}% during the day, rising in the evening as a band of cloud moves in from "
        f"the sea. Drivers are advised to allow extra time on exposed roads and to check the forecast before "
        f"setting out on long journeys.\n\n"
        f"The outlook for the weekend is for similar conditions, with temperatures a degree or two either side "
        f"of the seasonal average of {hi - 2}C and further showers likely on Sunday. Pollen levels will be "
        f"moderate. Sunrise is at 6:4{wind % 10} a.m. and sunset at 8:1{rain % 10} p.m.\n"
    )


def stock_close(company: str, ticker: str, pct: str, price: str, volume: str, peer: str) -> str:
    return (
        f"{company} shares close {pct}% higher\n\n"
        f"Shares of {company} ({ticker}) closed up {pct}% at {price} on Tuesday, outperforming the wider "
        f"market, as investors bought into the sector ahead of next week's quarterly results. About {volume} "
        f"shares changed hands, above the 30-day average.\n\n"
        f"The stock has gained in four of the last five sessions. Analysts said the move followed a broker "
        f"upgrade and gains at {peer}, which also rose after its chief executive reaffirmed guidance for the "
        f"full year. The benchmark index ended the day little changed.\n\n"
        f"This automated report was generated from exchange data at the close of trading. Prices are "
        f"delayed by at least fifteen minutes and are provided for information only.\n"
    )


def match_report(home: str, away: str, hs: int, as_: int, scorer: str, minute: int, crowd: str) -> str:
    return (
        f"{home} {hs}-{as_} {away}\n\n"
        f"{home} beat {away} {hs}-{as_} at home on Saturday, with {scorer} scoring the decisive goal in the "
        f"{minute}th minute in front of a crowd of {crowd}. The result lifts {home} in the table ahead of "
        f"next weekend's round of fixtures.\n\n"
        f"The visitors started brightly and hit the post early on, but the home side took control after "
        f"the break, pressing high and winning the ball back in midfield. Both managers praised the "
        f"intensity of the game and the conditions on a heavy pitch after a week of rain.\n\n"
        f"Full-time: {home} {hs}, {away} {as_}. Attendance: {crowd}. Referee: appointed by the league.\n"
    )


def quake_bulletin(mag: str, km: int, bearing: str, place: str, time: str, depth: int) -> str:
    return (
        f"Magnitude {mag} earthquake {km} km {bearing} of {place}\n\n"
        f"A magnitude {mag} earthquake struck {km} km {bearing} of {place} at {time} local time, the "
        f"national seismology centre reported. The quake was recorded at a depth of {depth} km.\n\n"
        f"There were no immediate reports of damage or injuries. Earthquakes of this size can be felt by "
        f"people near the epicentre and may cause light damage to poorly built structures. The centre "
        f"said no tsunami warning had been issued.\n\n"
        f"This story was generated automatically from seismology centre data and will be updated if "
        f"further information becomes available.\n"
    )


def named_entities(text: str) -> str:
    named = {"’": "&rsquo;", "‘": "&lsquo;", "“": "&ldquo;", "”": "&rdquo;", "—": "&mdash;", "–": "&ndash;"}
    return html.escape(text, quote=False).translate(str.maketrans(named))


def fuel_prices(town: str, petrol: str, diesel: str, week: str, opens: str) -> str:
    return (
        f"Fuel prices in {town} this week\n\n"
        f"Petrol costs an average of {petrol} euros a litre at filling stations in {town} this week and "
        f"diesel {diesel}, according to the motoring association's weekly survey, against {week} a week "
        f"ago. Drivers can save by filling up at supermarket forecourts, which were on average cheaper "
        f"than motorway service stations. The survey covered every station in the district.\n\n"
        f"The association's price hotline opens at {opens} on weekdays. Prices are collected on Monday "
        f"mornings and published on Tuesday.\n"
    )


LIVE_ENTRY = (
    "Port strike: ferry passengers stuck\n\n"
    "Ferry passengers trying to reach the outer islands have been told to expect long waits after the "
    "harbour authority moved two car ferries to an emergency berth, a spokeswoman said. About 300 cars "
    "were queuing at the terminal gates by noon.\n"
)


def live_blog() -> str:
    _, port = _split(T.PORT)
    _, other = _split(T.PORT_OTHER)
    entries = [
        ("07:05", port[0]),
        ("08:30", port[2]),
        ("09:10", other[2]),
        ("10:45", LIVE_ENTRY.split("\n\n", 1)[1].strip()),
        ("11:20", port[4]),
        ("12:00", other[3]),
        ("13:15", port[3]),
        ("14:40", port[5]),
        (
            "16:05",
            "The union says pickets will stay at all four gates overnight; police report no incidents.",
        ),
    ]
    return (
        "Live: Marrowby port strike, latest updates\n\n" + "\n\n".join(f"{t} {e}" for t, e in entries) + "\n"
    )


ANALYSIS = (
    "Why art thieves keep choosing small museums\n\n"
    "Small regional museums hold works that are famous enough to matter and modest enough to carry out "
    "under one arm, and their budgets rarely stretch to round-the-clock guards, reinforced roofs or the "
    "motion sensors that larger institutions take for granted. Insurers have warned for years that the "
    "gap between what these collections are worth and what is spent protecting them keeps widening.\n\n"
    "The weekend raid in Castelbrun is a textbook case. Here is how one local outlet reported it:\n\n"
    + "\n\n".join(_split(T.MUSEUM_OTHER)[1])
    + "\n\nSpecialists in recovering stolen art say the first weeks decide most cases. Paintings that "
    "cannot be sold openly are often held as collateral in other crimes, traded between gangs, or "
    "simply hidden until the attention fades, sometimes for decades. Recovery rates for stolen art "
    "remain low, and when works do come back it is usually through informants rather than forensic "
    "evidence.\n\n"
    "Several countries now fund shared security audits for small museums, pooling the cost of experts "
    "who can identify weak skylights, unmonitored loading bays and outdated alarm panels. Directors "
    "argue that the money is small beside the insured value of a single lost canvas, and that the "
    "cultural loss cannot be insured at all.\n"
)


def company_news(lead: str, tail: str) -> str:
    return f"{lead}\n\n{T.STATEMENT}\n\n{tail}\n"


@dataclass
class Group:
    name: str
    kind: str  # "copy" (must link), "lookalike" (must not link at copy level), "story"
    docs: dict[str, str]
    copies: set[frozenset[str]] = field(default_factory=set)  # pairs that must be copy-linked
    story: dict[frozenset[str], bool] = field(default_factory=dict)  # pair -> must (not) story-link
    other_events: bool = False  # members report different events: no story link either


def _pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def groups() -> list[Group]:
    out: list[Group] = []
    transforms = [
        ("syndicated", syndicated),
        ("straight quotes", straight),
        ("html entities", entities),
        ("hard-wrapped 70", wrapped),
        ("paragraphs reordered", reordered),
        ("first 3 paragraphs", cut),
        ("correction appended", corrected),
        ("ALL CAPS headline", caps_headline),
        ("caption and credits", captioned),
        ("NBSP and zero-width", invisible),
        ("html <p> markup", html_paragraphs),
        ("wrapped + straight + syndicated", lambda t: wrapped(straight(syndicated(t)))),
        ("entities + cut to 3", lambda t: entities(cut(t))),
        ("named entities", named_entities),
        ("NBSP + straight + caption", lambda t: invisible(straight(captioned(t)))),
    ]
    names = list(BASES)
    for i, (label, fn) in enumerate(transforms):
        base = names[i % len(names)]
        out.append(
            Group(
                f"copy: {label} ({base})",
                "copy",
                {"orig": BASES[base], "copy": fn(BASES[base])},
                {_pair("orig", "copy")},
            )
        )
    out.append(
        Group(
            "template: weather",
            "lookalike",
            {
                "w1": weather("Harwick", 21, 12, "sunny", 18, 10),
                "w2": weather("Dunmore", 19, 11, "cloudy", 24, 40),
                "w3": weather("Penbury", 23, 14, "sunny", 12, 5),
            },
        )
    )
    out.append(
        Group(
            "template: fuel prices (decimals, times)",
            "lookalike",
            {
                "f1": fuel_prices("Harwick", "1.62", "1.71", "1.55", "6:30"),
                "f2": fuel_prices("Dunmore", "1.58", "1.69", "1.60", "6:45"),
            },
        )
    )
    out.append(
        Group(
            "template: stock closes",
            "lookalike",
            {
                "s1": stock_close("Arvell Systems", "ARV", "3.4", "41.20", "2.1 million", "Quintec"),
                "s2": stock_close("Brightwater Foods", "BWF", "1.8", "12.75", "860,000", "Oldfield Dairies"),
            },
        )
    )
    out.append(
        Group(
            "template: match reports",
            "lookalike",
            {
                "m1": match_report("Harwick Rovers", "Penbury Athletic", 2, 1, "Danny Osei", 78, "12,400"),
                "m2": match_report("Dunmore City", "Fenhaven United", 3, 0, "Luis Carrasco", 64, "18,950"),
            },
        )
    )
    out.append(
        Group(
            "template: quake bulletins",
            "lookalike",
            {
                "q1": quake_bulletin("4.3", 12, "north-east", "Annsby", "03:14", 10),
                "q2": quake_bulletin("3.9", 27, "south", "Vennick", "21:52", 33),
                "q3": quake_bulletin("4.1", 8, "west", "Halden", "11:07", 6),
            },
        )
    )
    _, water = _split(T.WATER)
    _, hosp = _split(T.HOSPITAL)
    out.append(
        Group(
            "shared legal disclaimer",
            "lookalike",
            {
                "d1": _join("Water bills set to rise", water[:2] + [T.DISCLAIMER]),
                "d2": _join("Maternity unit to close at night", hosp[:2] + [T.DISCLAIMER]),
            },
        )
    )
    _, rail = _split(T.RAIL)
    out.append(
        Group(
            "shared author bio",
            "lookalike",
            {
                "b1": _join("Port strike hits exporters", _split(T.PORT_OTHER)[1][:2] + [T.BIO]),
                "b2": _join("Freight line closed after derailment", rail[:2] + [T.BIO]),
            },
        )
    )
    out.append(Group("live blog and one entry", "lookalike", {"blog": live_blog(), "entry": LIVE_ENTRY}))
    out.append(
        Group(
            "short article quoted in an analysis",
            "lookalike",
            {"analysis": ANALYSIS, "article": T.MUSEUM_OTHER},
        )
    )
    out.append(
        Group(
            "one statement printed by two outlets",
            "lookalike",
            {
                "n1": company_news(
                    "Korvane Industrial restates four years of accounts\n\nShares in Korvane Industrial fell 22% on "
                    "Monday after the engineering group said it would restate its accounts for 2021 to 2024 and its "
                    "finance chief resigned. In a statement, chairman Pieter Aalders said:",
                    "Korvane's shares have lost almost half their value this year. The regulator confirmed it had "
                    "been informed and said it would not comment further.",
                ),
                "n2": company_news(
                    "Korvane finance chief quits over accounting errors\n\nThe chief financial officer of Korvane, "
                    "the maintenance contractor, has left after a review found profits were overstated. Analysts at "
                    "two banks cut their price targets. The full statement from the board reads:",
                    "Pension funds holding the stock said they would press for changes to the audit committee at the "
                    "annual meeting in June.",
                ),
            },
        )
    )
    out.append(
        Group(
            "story: port strike, two outlets",
            "story",
            {"a": T.PORT, "b": T.PORT_OTHER},
            story={_pair("a", "b"): True},
        )
    )
    out.append(
        Group(
            "story: museum theft, two outlets",
            "story",
            {"a": T.MUSEUM, "b": T.MUSEUM_OTHER},
            story={_pair("a", "b"): True},
        )
    )
    out.append(
        Group(
            "story: two different earthquakes",
            "story",
            {"a": T.QUAKE_A, "b": T.QUAKE_B},
            story={_pair("a", "b"): False},
        )
    )
    out.append(
        Group(
            "story: two court cases of one person",
            "story",
            {"a": T.COURT_A, "b": T.COURT_B},
            story={_pair("a", "b"): False},
        )
    )
    out.append(
        Group(
            "story: strike and its end 3 days later",
            "story",
            {"a": T.PORT, "b": T.PORT_OTHER, "f": T.FOLLOWUP_PORT},
            story={_pair("a", "b"): True, _pair("a", "f"): False, _pair("b", "f"): False},
        )
    )
    out.append(
        Group(
            "story: mixed corpus of 8",
            "story",
            {
                "port": T.PORT,
                "port2": T.PORT_OTHER,
                "mus": T.MUSEUM,
                "mus2": T.MUSEUM_OTHER,
                "qa": T.QUAKE_A,
                "qb": T.QUAKE_B,
                "ca": T.COURT_A,
                "cb": T.COURT_B,
            },
            story={
                _pair("port", "port2"): True,
                _pair("mus", "mus2"): True,
                _pair("qa", "qb"): False,
                _pair("ca", "cb"): False,
                _pair("port", "mus"): False,
            },
        )
    )
    for g in out:
        g.other_events = g.name.startswith(("template:", "shared "))
    return out


def _linked_pairs(result, level: str) -> set[frozenset[str]]:
    pairs: set[frozenset[str]] = set()
    for c in result.to_json()["clusters"]:
        if c["level"] == level:
            members = c["members"]
            pairs |= {_pair(a, b) for i, a in enumerate(members) for b in members[i + 1 :]}
    return pairs


def decisions(group: Group) -> list[tuple[str, str, str]]:
    """Wrong decisions of one group: (kind, pair, what went wrong)."""
    result = scan([article_from_text(t, id=k) for k, t in sorted(group.docs.items())], level="both")
    copy_links = _linked_pairs(result, "copy")
    story_links = _linked_pairs(result, "story")
    wrong = []
    for p in sorted(group.copies, key=sorted):
        if p not in copy_links:
            wrong.append(("missed copy", "/".join(sorted(p)), group.name))
    for p in sorted(copy_links - group.copies, key=sorted):
        wrong.append(("false copy", "/".join(sorted(p)), group.name))
    expect = dict(group.story)
    if group.other_events:
        expect.update({_pair(a, b): False for a in group.docs for b in group.docs if a < b})
    for p, must in sorted(expect.items(), key=lambda kv: sorted(kv[0])):
        if must and p not in story_links and p not in copy_links:
            wrong.append(("missed story", "/".join(sorted(p)), group.name))
        if not must and p in story_links:
            wrong.append(("false story", "/".join(sorted(p)), group.name))
    return wrong


# Wrong decisions found and not fixed (benchmarks/results/scan.md, fourth pass): no general rule
# found that fixes them without losing real copies or SemEval same-story pairs. Strict: a fix shows.
_TEMPLATE_STORY = "templated reports share every rare word of their template; the story cosine cannot tell"
KNOWN = {
    ("one statement printed by two outlets", "copy"): "a shared block over half of two short articles",
    ("story: two court cases of one person", "story"): "one rare name carries most of the story cosine",
    ("story: strike and its end 3 days later", "story"): "a follow-up shares the event's words; no dates",
    ("story: mixed corpus of 8", "story"): "one rare name carries most of the story cosine",
    ("template: weather", "story"): _TEMPLATE_STORY,
    ("template: fuel prices (decimals, times)", "story"): _TEMPLATE_STORY,
    ("template: stock closes", "story"): _TEMPLATE_STORY,
    ("template: match reports", "story"): _TEMPLATE_STORY,
    ("template: quake bulletins", "story"): _TEMPLATE_STORY,
    ("shared legal disclaimer", "story"): "the boilerplate's rare words outweigh two short bodies",
    ("shared author bio", "story"): "the boilerplate's rare words outweigh two short bodies",
}


def _marked(g: Group, level: str) -> object:
    reason = KNOWN.get((g.name, level))
    return pytest.param(g, id=g.name, marks=pytest.mark.xfail(strict=True, reason=reason) if reason else ())


@pytest.mark.parametrize("group", [_marked(g, "copy") for g in groups()])
def test_redteam_copy_decisions(group: Group) -> None:
    assert [d for d in decisions(group) if d[0].endswith("copy")] == []


@pytest.mark.parametrize("group", [_marked(g, "story") for g in groups()])
def test_redteam_story_decisions(group: Group) -> None:
    assert [d for d in decisions(group) if d[0].endswith("story")] == []


def test_at_least_thirty_groups() -> None:
    assert len(groups()) >= 30


if __name__ == "__main__":
    from dedup.near.copy import CopyLevel

    lv = CopyLevel()
    total = 0
    for g in groups():
        ids = sorted(g.docs)
        _, payloads = lv.sketch_texts([g.docs[i] for i in ids])
        sims = {
            f"{a}/{b}": round(lv.similarity(payloads[i], payloads[j]), 3)
            for i, a in enumerate(ids)
            for j, b in enumerate(ids)
            if i < j and payloads[i] and payloads[j]
        }
        wrong = decisions(g)
        total += len(wrong)
        print(f"{'WRONG' if wrong else 'ok   '} {g.name}: copy sims {sims} {wrong if wrong else ''}")
    print(f"{len(groups())} groups, {total} wrong decisions")
