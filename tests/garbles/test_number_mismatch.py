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


def test_a_day_of_the_month_is_compared_only_with_days() -> None:
    """Seventh red-team: a dateline's "20 September" against "50 basis points" in a reference sentence
    with no date is no mismatch; a day against another day still is."""
    mt = "Brasilia, 20 September (Agencia Brasil) - The bank cut its rate by half a point to 12.75 percent."
    ref = "The central bank lowered its rate by 50 basis points to 12.75% on Wednesday."
    assert _run(mt, ref, [(0, 0)])[1] == []
    _, flags = _run(
        "The lira fell 0.3 percent on 24 November.", "The lira fell 0.3% on November 23.", [(0, 0)]
    )
    assert [(f.text, f.message.split()[0]) for f in flags] == [("24", "day")]
    t = "On 5 June, Sept. 20, the 10th of August and 12-14 March; 25 people and 2023."
    assert [(t[q.start : q.end], q.kind) for q in quantities(t)] == [
        ("5", "day"),
        ("20", "day"),
        ("10th", "day"),
        ("12", "day"),
        ("25", "num"),
        ("2023", "year"),
    ]


def test_a_decimal_comma_before_a_scale_word_is_the_same_figure() -> None:
    """Seventh red-team: "1,2 million" (another locale's 1.2 million) was read as a cut thousands group,
    12 million, and flagged as a major mismatch; now only its writing is flagged (minor)."""
    mt = "Mexico City handled 1,2 million passengers in December."
    ref = "Mexico City handled 1.2 million passengers in December."
    assert [(f.severity, "separators" in f.message) for f in _run(mt, ref, [(0, 0)])[1]] == [("minor", True)]
    assert [q.value for q in quantities("1,2 million, 3,5% and 3,09 cases")] == [1.2e6, 3.5, 309.0]


def test_figures_in_another_languages_format_get_a_minor_flag() -> None:
    """Seventh red-team: "1.200 jobs" where the reference has 1,200 (1.2 in English), "1.200.000",
    "1,2 million", "3,5%": the value is right, the writing is not."""
    mt = (
        "The group will create 1.200 jobs. Cancun handled 1.200.000 passengers, Lima 1,2 million. "
        "Prices rose 3,5% in March."
    )
    ref = (
        "The group will create 1,200 jobs. Cancun handled 1.2 million passengers, Lima 1.2 million. "
        "Prices rose 3.5% in March."
    )
    _, flags = _run(mt, ref, [(0, 0), (1, 1), (2, 2)])
    assert [(f.text, f.severity) for f in flags] == [
        ("1.200", "minor"),
        ("1.200.000", "minor"),
        ("1,2", "minor"),
        ("3,5", "minor"),
    ]
    assert all("another language's separators" in f.message for f in flags)
    # English decimals stay clean: the reference gives the decimal reading, or three decimals are
    # not thousands at all; versions, times, dates and prices are no figures of this kind.
    clean_mt = (
        "The index rose 1.250 points to 3.058. Version 17.1.2 shipped at 11.30 on 24.11.2026 for 38.40 euros."
    )
    clean_ref = "The index rose 1.250 points to 3.058. Version 17.1.2 shipped at 11.30 on November 24 for 38.40 euros."
    assert _run(clean_mt, clean_ref, [(0, 0), (1, 1)])[1] == []


def test_a_wrong_score_is_flagged() -> None:
    """Seventh red-team: the figure after a score's dash was never read, so "3-2" for 3-1 went unseen."""
    _, flags = _run("Milan won 3-2 at Lecce on Sunday.", "Milan won 3-1 at Lecce on Sunday.", [(0, 0)])
    assert [f.text for f in flags] == ["3-2"] and flags[0].evidence[0].text == "3-1"
    _, flags = _run("Inter beat Napoli 2:0 on Sunday.", "Inter beat Napoli 2-1 on Sunday.", [(0, 0)])
    assert [f.text for f in flags] == ["2:0"]
    # The same score either way round, written with a colon or spaces; ranges, times, years and codes.
    for mt, ref in (
        ("Lecce lost 1-3 to Milan on Sunday.", "Milan won 3-1 at Lecce on Sunday."),
        ("Inter won 2:0 on Sunday.", "Inter won 2 - 0 on Sunday."),
        (
            "Growth of 3-5 percent in 2023-24, at 10:15 on 12-14 March.",
            "Growth of 3-4 percent in 2023-24, at 10:25 on 12-15 March.",
        ),
        ("The F-35 and COVID-19 budget rose.", "The F-16 and COVID-20 budget rose."),
    ):
        assert _run(mt, ref, [(0, 0)])[1] == [], mt


def test_a_score_stands_against_several_references_unless_one_gives_it() -> None:
    from dedup.check import check_articles
    from dedup.load import article_from_text

    mt = article_from_text("Milan won 3-2 at Lecce on Sunday, the club said.", id="mt")
    a = article_from_text("Milan won 3-1 at Lecce on Sunday, the club said.", id="a")
    b = article_from_text("Milan won 3-2 at Lecce on Sunday, the club said in a statement.", id="b")
    c = article_from_text("Milan won 3-1 at Lecce on Sunday with 3 goals, the club said.", id="c")

    def kinds(refs: list) -> list[str]:
        res = check_articles(mt, refs[0], refs=refs[1:], languages=False)
        return [f.text for f in res.flags if f.kind == "number_mismatch"]

    assert kinds([a, c]) == ["3-2"]  # c gives a 3, not the score
    assert kinds([a, b]) == []


def test_a_figure_in_another_currency_is_flagged_on_the_currency() -> None:
    """Seventh red-team: "30.8 billion yuan" where the reference gives $30.8bn: the figure agrees, the
    currency does not."""
    mt, flags = _run(
        "Tourists spent 30.8 billion yuan in 2023.",
        "Tourists spent $30.8bn in 2023, officials said.",
        [(0, 0)],
    )
    assert [(f.text, f.severity) for f in flags] == [("yuan", "major")]
    assert [e.text for e in flags[0].evidence] == ["30.8 billion", "$30.8bn"]
    for mt_text, ref_text in (
        ("Tourists spent 30.8 billion dollars in 2023.", "Tourists spent $30.8bn in 2023."),  # same currency
        ("Sales were HK$5 billion in 2023.", "Sales were 5 billion dollars in 2023."),  # a dollar is a dollar
        (
            "Profit was 10.4 trillion won (about 8 billion dollars).",
            "Profit was 10.4 trillion won ($8 billion).",
        ),
        (
            "It paid 12 billion yuan in 2023.",
            "It paid $1.7 billion (12 billion yuan) in 2023.",
        ),  # a conversion
        ("Sales rose to ¥500 million.", "Sales rose to 500 million yen."),  # the yen's sign
        ("The team won 30 games for 2 million euros.", "The team won 30 games for €2m."),
    ):
        assert _run(mt_text, ref_text, [(0, 0)])[1] == [], mt_text


_FIGURES = st.one_of(
    st.builds(
        lambda d, k, s: float(f"{d}e{k}") * s,
        st.integers(0, 10**10),
        st.integers(-4, 3),
        st.sampled_from([1.0, 1e3, 1e6, 1e9, 1e12, 1e5, 1e7, 100.0]),
    ),
    st.sampled_from(
        [
            0.0,
            1.0,
            9.9999999,
            9.99999999,
            10.0,
            99999999.0,
            999999999.0,
            1e8,
            1e9,
            0.5,
            0.9999999995,
            1.000000001,
        ]
    ),
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_FIGURES, max_size=8), _FIGURES)
def test_the_lookup_of_known_figures_agrees_with_the_scan(values: list[float], value: float) -> None:
    """`_KnownValues` (a lookup, seventh session: the scan was O(n x m)) says what `_known` says."""
    from dedup.garbles.number_mismatch import _known, _KnownValues

    related = [values[0] * f for f in (1e3, 1e-6, 100.0, 0.01, 1e9)] if values else []
    for v in [value, *values[:2], *related]:
        assert (v in _KnownValues(set(values))) == _known(v, set(values))
