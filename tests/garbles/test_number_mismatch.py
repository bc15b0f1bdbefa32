"""number_mismatch: figures that differ between an MT sentence and its aligned reference."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.garbles.base import Context
from dedup.garbles.number_mismatch import NumberMismatch, quantities
from dedup.model import Alignment, Document, Flag, Link
from dedup.text import analyze_text


def _run(
    mt: str, ref: str, pairs: list[tuple[int, int]], score: float = 0.7, src: str | None = None
) -> tuple[Document, list[Flag]]:
    mt_doc = analyze_text(mt, id="mt", languages=False)
    ref_doc = analyze_text(ref, id="ref", languages=False)
    src_doc = analyze_text(src, id="src", languages=False) if src is not None else None
    al = Alignment(links=[Link((i,), (j,), score) for i, j in pairs])
    flags = list(NumberMismatch().detect(Context(mt_doc, ref_doc, al, src=src_doc)))
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


def test_a_figure_the_source_gives_is_not_flagged_whatever_the_reference_says() -> None:
    # The reference slipped a decimal place; the source, in Chinese, German or English digits, has
    # the MT's figure (2030万 = 20.3 million).
    mt = "The province issued 20.3 million yuan of relief funds in three batches."
    ref = "The province allocated 203 million yuan of relief funding in three batches."
    assert [f.text for f in _run(mt, ref, [(0, 0)])[1]] == ["20.3 million"]
    for src in ("该省分3批下达救灾资金2030万元。", "Das Land gab 20,3 Millionen Yuan frei.", "２０３０万元"):
        assert _run(mt, ref, [(0, 0)], src=src)[1] == [], src


def test_a_bare_figure_whose_scale_word_was_lost_is_not_cleared_by_the_source() -> None:
    mt = "The campaign involves as many as 40 people."
    ref = "The campaign involves as many as 400,000 people."
    assert [f.text for f in _run(mt, ref, [(0, 0)], src="运动涉及多达40万人。")[1]] == ["40"]


def test_a_source_that_does_not_give_the_figure_leaves_the_flag() -> None:
    mt = "The group now holds 175% of the shares of the developer."
    ref = "The group now holds 17.5% of the shares of the developer."
    for src in ("集团持有该开发商17.5%的股份。", "集团持有该开发商百分之十七点五的股份。", ""):
        assert [f.text for f in _run(mt, ref, [(0, 0)], src=src)[1]] == ["175%"], src


def test_source_figures_read_both_separator_conventions_and_scale_words() -> None:
    from dedup.garbles.figures import source_figures

    assert source_figures("资金2030万元") == {20_300_000.0}  # not 2030: the scale word is part of it
    assert {120_000_000.0, 3e12} <= source_figures("约1.2亿人，3万亿元")
    assert {20_300_000.0, 1_234_567.0, 2.5e9} <= source_figures("20,3 Millionen, 1.234.567 und 2,5 Mrd.")
    assert {1200.0, 1.2} <= source_figures("1,200")  # ambiguous: both readings
    assert {3.0, 4.0} <= source_figures("分3 4批") and 34.0 not in source_figures("分3 4批")
    assert {2020.0, 300.0, 2_020_300.0} <= source_figures("im Jahr 2020 300 Menschen")  # both readings
    assert source_figures("三十万") == set()  # spelled numbers are not read


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_source_text_is_read_without_error_and_clears_only_flags(src: str) -> None:
    from dedup.garbles.figures import source_figures

    assert all(isinstance(v, float) for v in source_figures(src))
    mt = "The storm killed 14 people in the province on Sunday."
    ref = "The storm killed 41 people in the province on Sunday."
    with_src = [f.text for f in _run(mt, ref, [(0, 0)], src=src)[1]]
    assert with_src in ([], ["14"])  # the source can only clear the flag, never add or move one
