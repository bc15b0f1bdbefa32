"""date_mismatch: a month or weekday that differs from the aligned reference sentence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.garbles.base import Context, run_detectors_refs
from dedup.garbles.date_mismatch import DateMismatch, date_names
from dedup.model import Alignment, Document, Flag, Link
from dedup.text import analyze_text


def _run(mt: str, ref: str, pairs: list[tuple[int, int]], score: float = 0.7) -> tuple[Document, list[Flag]]:
    mt_doc = analyze_text(mt, id="mt", languages=False)
    ref_doc = analyze_text(ref, id="ref", languages=False)
    al = Alignment(links=[Link((i,), (j,), score) for i, j in pairs])
    flags = list(DateMismatch().detect(Context(mt_doc, ref_doc, al)))
    for f in flags:
        assert f.text == mt_doc.text[f.start : f.end]
    return mt_doc, flags


def test_a_different_month_and_weekday_are_flagged_with_the_reference_evidence() -> None:
    mt = "The summit opened in Lisbon on Monday, June 5, with forty delegations."
    ref = "The summit opened in Lisbon on Tuesday, July 5, with forty delegations."
    _, flags = _run(mt, ref, [(0, 0)])
    assert [(f.text, f.kind) for f in flags] == [("Monday", "date_mismatch"), ("June", "date_mismatch")]
    assert [e.text for e in flags[1].evidence] == ["July"] and flags[1].evidence[0].doc == "ref"


def test_abbreviations_and_day_first_dates_are_months() -> None:
    mt = "Ballots were counted by Aug. 3, two days after polls closed on 1 August."
    ref = "Ballots were counted by Sept. 3, two days after polls closed on 1 September."
    _, flags = _run(mt, ref, [(0, 0)])
    assert [f.text for f in flags] == ["Aug", "August"]


def test_a_name_the_reference_gives_elsewhere_is_not_flagged() -> None:
    # Comparable reports date different things in one sentence: the MT's Friday is in the reference.
    mt = "Talks resumed on Friday after a pause.\n\nThe envoy arrived on Wednesday."
    ref = "Talks resumed on Thursday after a pause.\n\nThe envoy, who came on Friday, met the minister."
    _, flags = _run(mt, ref, [(0, 0), (1, 1)])
    assert [f.text for f in flags] == ["Wednesday"]  # Friday stands: the reference gives it


def test_weak_links_and_sentences_without_a_rival_are_left_alone() -> None:
    mt = "The ferry sank in March, officials said."
    ref = "Officials met on Monday to discuss the budget."
    assert _run(mt, ref, [(0, 0)], score=0.3)[1] == []  # weak link
    assert _run(mt, ref, [(0, 0)], score=0.9)[1] == []  # a weekday is no rival for a month
    assert _run(mt, "The ferry sank, officials said.", [(0, 0)])[1] == []


def test_may_and_march_as_words_are_not_dates() -> None:
    text = "You may go. May I ask? Troops march on. March on, he said. In May the rains came; on 5 March 2021 too."
    assert [(text[d.start : d.end], d.value) for d in date_names(text)] == [("May", 5), ("March", 3)]
    assert date_names("Sun and Mar were closed; Jan said so.") == []


def test_a_second_reference_naming_the_month_vetoes_the_flag() -> None:
    mt = analyze_text("The dam burst in June, flooding the valley.", languages=False)
    one = analyze_text("The dam burst in July, flooding the valley.", languages=False)
    two = analyze_text("The dam burst in June, and the valley flooded.", languages=False)
    al = Alignment(links=[Link((0,), (0,), 0.8)])
    assert [f.text for f in run_detectors_refs(mt, [one], [al], [DateMismatch()])] == ["June"]
    assert run_detectors_refs(mt, [one, two], [al, al], [DateMismatch()]) == []


def test_seed_pair_has_no_date_flag(seed_mt_text: str, seed_en_text: str) -> None:
    from dedup.align import align

    mt = analyze_text(seed_mt_text, languages=False)
    ref = analyze_text(seed_en_text, languages=False)
    assert list(DateMismatch().detect(Context(mt, ref, align(mt, ref)))) == []


_WORDS = [
    "May",
    "march",
    "March",
    "Monday",
    "on",
    "in",
    "5",
    "2021",
    "Aug.",
    "Jan",
    "the",
    "Sunday",
    ",",
    ".",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=30), st.lists(st.sampled_from(_WORDS), max_size=30))
def test_any_text_gives_names_at_exact_offsets_and_flags_only_on_links(
    mt_words: list[str], ref_words: list[str]
) -> None:
    mt, ref = " ".join(mt_words) + ".", " ".join(ref_words) + "."
    for d in date_names(mt):
        assert mt[d.start : d.end] in {"May", "March", "Monday", "Aug", "Jan", "Sunday"}
    _, flags = _run(mt, ref, [(0, 0)])  # _run checks every flag's text against its offsets
    assert all(f.kind == "date_mismatch" for f in flags)
    assert _run(mt, ref, [])[1] == []  # no link, no flag
