"""boilerplate_in_body: furniture inside the body is flagged, furniture around it is not."""

from __future__ import annotations

from dedup.garbles.base import Context
from dedup.garbles.boilerplate_in_body import BoilerplateInBody
from dedup.model import Flag
from dedup.text import analyze_text


def _flags(mt: str) -> list[Flag]:
    flags = list(BoilerplateInBody().detect(Context(mt=analyze_text(mt, languages=False))))
    for f in flags:
        assert f.text == mt[f.start : f.end]
    return flags


def test_inline_related_block() -> None:
    mt = (
        "Harbour strike enters third day\n\n"
        "Dock workers stayed out on Wednesday. (Related: Port talks collapse | more articles) "
        "Union leaders said the strike would go on.\n\nShipping lines diverted vessels to other ports."
    )
    flags = _flags(mt)
    assert [f.text for f in flags] == ["(Related: Port talks collapse | more articles)"]
    assert flags[0].severity == "major"


def test_ad_and_teaser_lines_between_paragraphs() -> None:
    mt = (
        "Harbour strike enters third day\n\nDock workers stayed out on Wednesday, union leaders said.\n\n"
        "Advertisement\n\nShipping lines diverted vessels to other ports on Thursday.\n\n"
        "ALSO READ | Ferry fares to rise next month\n\nThe port authority called for talks."
    )
    flags = _flags(mt)
    assert [f.text for f in flags] == ["Advertisement", "ALSO READ | Ferry fares to rise next month"]
    assert all(f.confidence < 0.9 for f in flags)


def test_markers_glued_into_a_body_line() -> None:
    mt = (
        "Harbour strike enters third day\n\nDock workers stayed out, the union said. Advertisement The port "
        "authority called for talks. ALSO READ | Ferry fares to rise\n\nShipping lines diverted vessels."
    )
    assert [f.text for f in sorted(_flags(mt), key=lambda f: f.start)] == [
        "Advertisement",
        "ALSO READ | Ferry fares to rise",
    ]


def test_furniture_before_and_after_the_body_is_not_flagged() -> None:
    mt = (
        "Advertisement\n\nHarbour strike enters third day\n\nDock workers stayed out on Wednesday.\n\n"
        "Shipping lines diverted vessels to other ports.\n\nALSO READ | Ferry fares to rise\n\nAdvertisement"
    )
    assert _flags(mt) == []


def test_repeated_body_paragraph_but_not_a_repeated_standfirst() -> None:
    standfirst = "Dock workers walked out over pay, leaving ships idle along the coast for days."
    para = "The port authority said it would meet union leaders again on Friday to discuss the pay offer."
    mt = (
        f"Harbour strike enters third day\n\n{standfirst}\n\nThe strike began on Monday morning.\n\n{standfirst}\n\n"
        f"{para}\n\nShipping lines diverted vessels to other ports.\n\n{para}\n\nThe talks continue."
    )
    flags = _flags(mt)
    assert [(f.start, f.end) for f in flags] == [(mt.rindex(para), mt.rindex(para) + len(para))]
    assert flags[0].evidence[0].start == mt.index(para)


def test_seed_translation(seed_mt_text: str, seed_en_text: str) -> None:
    flags = _flags(seed_mt_text)
    assert [f.text[:9] for f in flags] == ["(Related:"] and flags[0].text.endswith("more articles)")
    # the English report's ad markers between paragraphs are flagged, its trailing teasers are not
    en = _flags(seed_en_text)
    assert en and {f.text for f in en} == {"Advertisement"}
