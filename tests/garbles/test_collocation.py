"""rare_collocation: word pairs rarely meant as written, low confidence."""

from __future__ import annotations

from dedup.garbles.base import Context
from dedup.garbles.collocation import RareCollocation
from dedup.model import Alignment, Document, Flag, Link
from dedup.text import analyze_text


def _run(mt: str, ref: str | None = None, al: Alignment | None = None) -> tuple[Document, list[Flag]]:
    mt_doc = analyze_text(mt, id="mt", languages=False)
    ref_doc = analyze_text(ref, id="ref", languages=False) if ref is not None else None
    flags = list(RareCollocation().detect(Context(mt_doc, ref_doc, al)))
    for f in flags:
        assert f.text == mt_doc.text[f.start : f.end]
        assert f.severity == "minor"
    return mt_doc, flags


def test_technology_adjective_before_people_is_flagged_low_confidence() -> None:
    _, flags = _run("The government sent digital officials to the border to reopen talks.")
    assert [f.text for f in flags] == ["digital officials"]
    assert flags[0].confidence < 0.5


def test_reference_that_counts_the_people_raises_confidence() -> None:
    mt = "The capital sent electronic diplomats to Oslo. Talks began."
    ref = "Three senior diplomats travelled to Oslo. Talks began."
    _, flags = _run(mt, ref, Alignment(links=[Link((0,), (0,), 0.6), Link((1,), (1,), 0.9)]))
    assert [f.text for f in flags] == ["electronic diplomats"]
    assert flags[0].confidence > 0.5
    assert flags[0].evidence[0].text.endswith("diplomats")


def test_right_uses_are_not_flagged() -> None:
    text = (
        "EU digital ministers met in Brussels. Digital tools helped workers. "
        "The digital economy grew, and electronic voting machines were tested by officials."
    )
    _, flags = _run(text)
    assert flags == []
    # The reference uses the same phrase: it is meant.
    _, flags = _run("Ten digital officials were hired.", "The agency hired ten digital officials.")
    assert flags == []


def test_established_digital_phrases_are_not_flagged() -> None:
    text = (
        "Digital experts, digital workers and digital citizens met. Electrical workers and chemical workers "
        "joined, and the chief digital officers spoke to digital journalists."
    )
    _, flags = _run(text)
    assert flags == []
