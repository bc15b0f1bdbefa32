"""score: reference metrics over aligned pairs, MQM-style penalty and the verdict thresholds."""

from __future__ import annotations

from dataclasses import replace

from sacrebleu.metrics import CHRF

from dedup.model import Alignment, Flag, Link
from dedup.score import VerdictPolicy, aligned_pairs, count_words, penalty, score, verdict
from dedup.text import analyze_text

MT = "The council met on Monday. It approved the budget for schools. Nothing else was decided."
REF = "On Monday the council met. The school budget was approved. Rain fell all day."


def _flag(sev: str, conf: float, start: int = 0) -> Flag:
    return Flag(start, start + 3, "The", "test", sev, conf, "m")


def test_penalty_weights_severity_and_confidence() -> None:
    pol = VerdictPolicy()
    flags = [_flag("major", 1.0), _flag("minor", 0.5)]
    assert penalty(flags, 100, pol) == 5.0 + 0.5
    assert penalty(flags, 100, replace(pol, confidence_weighted=False)) == 6.0
    assert penalty(flags, 200, replace(pol, confidence_weighted=False)) == 3.0


def test_scores_without_reference_are_null() -> None:
    mt = analyze_text(MT, id="mt", languages=False)
    s = score(mt, [_flag("minor", 0.9)], VerdictPolicy())
    assert s.words == count_words(mt) == 15
    assert s.chrf is None and s.bleu is None and s.ter is None and s.aligned_share is None
    assert round(s.garble_density, 4) == round(100 / 15, 4)
    assert s.to_json()["signatures"] == {}


def test_reference_metrics_over_aligned_pairs_only() -> None:
    mt = analyze_text(MT, id="mt", languages=False)
    ref = analyze_text(REF, id="ref", languages=False)
    al = Alignment(links=[Link((0,), (0,), 0.8), Link((1,), (1,), 0.6)], unaligned_mt=[2], unaligned_ref=[2])
    s = score(mt, [], VerdictPolicy(), ref, al)
    assert s.aligned_share == 2 / 3 and s.aligned_pairs == 2
    hyps, refs = aligned_pairs(mt, ref, al)
    assert hyps == ["The council met on Monday.", "It approved the budget for schools."]
    assert abs(s.chrf - CHRF().corpus_score(hyps, [refs]).score) < 1e-9
    assert s.signatures["chrf"].startswith("nrefs:1|") and "tok:13a" in s.signatures["bleu"]
    assert s.ter is not None and s.ter > 0


def test_verdict_thresholds() -> None:
    mt = analyze_text(MT, id="mt", languages=False)
    pol = VerdictPolicy()
    clean = score(mt, [], pol)
    assert verdict(clean, [], pol)[0] == "accept"
    one_minor = [_flag("minor", 0.1)]
    assert verdict(score(mt, one_minor, pol), one_minor, pol)[0] == "accept"
    one_major = [_flag("major", 0.9)]
    assert verdict(score(mt, one_major, pol), one_major, pol)[0] == "reject"  # 5*0.9/15 words >= 5/100
    lenient = replace(pol, reject_penalty=100.0)
    assert verdict(score(mt, one_major, lenient), one_major, lenient)[0] == "review"
    majors = [_flag("major", 0.9, i) for i in range(4)]
    strict_count = replace(pol, reject_penalty=1e9, review_penalty=1e9)
    decision, reasons = verdict(score(mt, majors, strict_count), majors, strict_count)
    assert decision == "reject" and "4 confident major" in reasons[0]


def test_optional_floors_turn_accept_into_review() -> None:
    mt = analyze_text(MT, id="mt", languages=False)
    ref = analyze_text(REF, id="ref", languages=False)
    al = Alignment(links=[Link((0,), (0,), 0.8)])
    pol = replace(VerdictPolicy(), min_aligned_share=0.5)
    s = score(mt, [], pol, ref, al)
    assert verdict(s, [], pol)[0] == "review"
    assert verdict(s, [], VerdictPolicy())[0] == "accept"


def test_ter_only_over_pairs_within_the_length_cap() -> None:
    from dedup.score import MetricParams, reference_metrics

    hyps = ["a short line here", "one two three four five six seven eight nine ten eleven twelve"]
    refs = ["a short line there", "one two three four five six seven eight nine ten eleven twelve"]
    values, sigs = reference_metrics(hyps, refs, MetricParams(ter_max_words=5))
    assert values["ter_pairs"] == 1 and values["ter"] == 25.0 and "ter" in sigs
    values, _ = reference_metrics(hyps, refs, MetricParams(ter_max_words=None))
    assert values["ter_pairs"] == 2 and abs(values["ter"] - 100 / 16) < 1e-9
    values, sigs = reference_metrics(hyps, refs, MetricParams(ter=False))
    assert "ter" not in values and "ter" not in sigs


def test_several_references_use_sacrebleu_multi_reference_streams() -> None:
    from dedup.score import multi_reference_streams, score_refs

    mt = analyze_text(MT, id="mt", languages=False)
    ref = analyze_text(REF, id="ref", languages=False)
    other = analyze_text("The council met on Monday. Schools got a budget. Nothing else was decided.", id="b")
    al_a = Alignment(links=[Link((0,), (0,), 0.8), Link((1,), (1,), 0.6)], unaligned_mt=[2])
    al_b = Alignment(links=[Link((0,), (0,), 0.9), Link((2,), (2,), 0.9)], unaligned_mt=[1])
    pol = VerdictPolicy()
    assert score_refs(mt, [], pol, [ref], [al_a]) == score(mt, [], pol, ref, al_a)
    hyps, streams = multi_reference_streams(mt, [ref, other], [al_a, al_b])
    assert hyps == [
        "The council met on Monday.",
        "It approved the budget for schools.",
        "Nothing else was decided.",
    ]
    assert streams == [  # None: no reference there (sacrebleu leaves it out; "" would be a reference)
        ["On Monday the council met.", "The school budget was approved.", None],
        ["The council met on Monday.", None, "Nothing else was decided."],
    ]
    s = score_refs(mt, [], pol, [ref, other], [al_a, al_b])
    assert s.aligned_share == 1.0 and s.aligned_pairs == 3
    assert abs(s.chrf - CHRF().corpus_score(hyps, streams).score) < 1e-9
    assert s.signatures["chrf"].startswith("nrefs:var|") and s.signatures["ter"].startswith("nrefs:var|")
    assert s.chrf > score(mt, [], pol, ref, al_a).chrf


def test_a_reference_that_covers_nothing_more_changes_no_score() -> None:
    """A second reference linking no sentence, or only sentences the first links identically, gives the
    scores of the first alone: a missing reference segment is left out, not scored as an empty one
    (which doubled TER by halving the average reference length)."""
    from dedup.score import MetricParams, score_refs

    mt = analyze_text(MT, id="mt", languages=False)
    ref = analyze_text(REF, id="ref", languages=False)
    al_a = Alignment(links=[Link((0,), (0,), 0.8), Link((1,), (1,), 0.6)], unaligned_mt=[2])
    pol, metrics = VerdictPolicy(), MetricParams(ter_max_words=None)
    one = score(mt, [], pol, ref, al_a, metrics)
    nothing = Alignment(links=[], unaligned_mt=[0, 1, 2])
    same_first = Alignment(links=[Link((0,), (0,), 0.8)], unaligned_mt=[1, 2])
    for al_b in (nothing, same_first):
        two = score_refs(mt, [], pol, [ref, ref], [al_a, al_b], metrics)
        assert two.ter == one.ter and two.bleu == one.bleu and two.chrf == one.chrf
        assert two.aligned_pairs == one.aligned_pairs == 2
