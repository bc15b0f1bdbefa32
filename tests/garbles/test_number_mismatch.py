"""number_mismatch: figures that differ between an MT sentence and its aligned reference."""

from __future__ import annotations

from dedup.garbles.base import Context
from dedup.garbles.number_mismatch import NumberMismatch, quantities
from dedup.model import Alignment, Document, Flag, Link
from dedup.text import analyze_text


def _run(mt: str, ref: str, pairs: list[tuple[int, int]], score: float = 0.7) -> tuple[Document, list[Flag]]:
    mt_doc = analyze_text(mt, id="mt", languages=False)
    ref_doc = analyze_text(ref, id="ref", languages=False)
    al = Alignment(links=[Link((i,), (j,), score) for i, j in pairs])
    flags = list(NumberMismatch().detect(Context(mt_doc, ref_doc, al)))
    for f in flags:
        assert f.text == mt_doc.text[f.start : f.end]
    return mt_doc, flags


def test_different_count_is_flagged_with_reference_evidence() -> None:
    mt = "The storm killed 14 people in the province on Sunday."
    ref = "The storm killed 41 people in the province on Sunday."
    _, flags = _run(mt, ref, [(0, 0)])
    assert [f.text for f in flags] == ["14"]
    assert flags[0].evidence[0].text == "41" and flags[0].evidence[0].doc == "ref"


def test_different_year_and_percentage() -> None:
    mt = "Exports rose 7.5% in 2019, the ministry said."
    ref = "Exports rose 5.7% in 2021, the ministry said."
    _, flags = _run(mt, ref, [(0, 0)])
    assert [f.text for f in flags] == ["7.5%", "2019"]


def test_spellings_of_the_same_number_match() -> None:
    mt = (
        "Washington sanctioned Lee and ten other officials. Two-day talks were held. "
        "The fund holds 1.2 billion dollars, up 3 percent."
    )
    ref = (
        "Washington sanctioned Lee and 10 other officials. Two days of talks were held. "
        "The fund holds $1,200 million, up 3%."
    )
    _, flags = _run(mt, ref, [(0, 0), (1, 1), (2, 2)])
    assert flags == []


def test_number_the_reference_cites_elsewhere_is_not_flagged() -> None:
    mt = "Officials said 300 were hurt and 12 died."
    ref = "Twelve people died. Around 300 people were injured, officials said, out of 5000."
    _, flags = _run(mt, ref, [(0, 1)])
    assert flags == []


def test_weak_link_and_product_codes_are_ignored() -> None:
    _, flags = _run("The storm killed 14 people.", "The storm killed 41 people.", [(0, 0)], score=0.1)
    assert flags == []
    _, flags = _run("The G20 met over COVID-19 and F-35 jets.", "The G7 met over jets.", [(0, 0)])
    assert flags == []


def test_quantities_values() -> None:
    t = "twenty five people, 1,200 million, 40 percent, the 25th, in 2020, two-day talks"
    got = [(t[q.start : q.end], q.value, q.kind) for q in quantities(t)]
    assert got == [
        ("twenty five", 25.0, "num"),
        ("1,200 million", 1.2e9, "num"),
        ("40 percent", 40.0, "percent"),
        ("25th", 25.0, "ordinal"),
        ("2020", 2020.0, "year"),
        ("two", 2.0, "num"),
    ]


def test_compound_number_words() -> None:
    t = "Thirty-one provinces and twenty one cities"
    assert [q.value for q in quantities(t)] == [31.0, 21.0]


def test_clock_times_are_not_compared() -> None:
    _, flags = _run(
        "They left at 8 o'clock and arrived at 6:00.", "They left at 9 a.m. and arrived at 7.", [(0, 0)]
    )
    assert flags == []


def test_a_level_the_reference_writes_in_roman_numerals_is_the_same_figure() -> None:
    mt = "The agency lowered the flood response from level 2 to level 3 on Tuesday."
    ref = "On Tuesday the agency lowered the flood response from Level II to Level III, at 18: 00."
    _, flags = _run(mt, ref, [(0, 0)])
    assert flags == []
    # A figure given neither way is still flagged (against a rival the reference writes in digits).
    _, flags = _run(
        "The agency lowered the flood response to level 2 and evacuated 400 people.",
        "The agency lowered the flood response to Level II and evacuated 4,000 people.",
        [(0, 0)],
    )
    assert [f.text for f in flags] == ["400"]


def test_clock_time_with_a_space_after_the_colon_is_not_a_number() -> None:
    text = "At 18: 00 on the 24th, 3 teams left; the score was 2:1."
    assert [text[q.start : q.end] for q in quantities(text)] == ["24th", "3"]


def test_a_thousands_group_cut_short_is_read_and_compared() -> None:
    mt = "A total of 3,09 confirmed cases were reported from the three regions."
    ref = "A total of 3009 confirmed cases were reported from the three regions."
    _, flags = _run(mt, ref, [(0, 0)])
    assert [f.text for f in flags] == ["3,09"]
    assert flags[0].evidence[0].text == "3009"


def test_well_formed_groups_and_decimals_are_not_cut_figures() -> None:
    t = "It cost 1,200 yuan, 3,000.5 tons and 2.25 million; 4, 5 and 6 were hurt."
    got = [(t[q.start : q.end], q.value) for q in quantities(t)]
    assert got == [("1,200", 1200.0), ("3,000.5", 3000.5), ("2.25 million", 2.25e6), ("4", 4.0),
                   ("5", 5.0), ("6", 6.0)]  # fmt: skip
    mt = "A total of 3,009 confirmed cases were reported."
    assert _run(mt, "A total of 3009 confirmed cases were reported.", [(0, 0)])[1] == []
