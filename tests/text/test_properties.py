"""Property tests over arbitrary Unicode: no crash, spans in bounds, sorted, disjoint, exact."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup.text import analyze_text
from dedup.text.boilerplate import find_boilerplate
from dedup.text.sentences import line_spans, split_sentences

# Text that mixes arbitrary Unicode with the characters the rules care about.
_pieces = st.sampled_from(
    [
        "Advertisement",
        "\n",
        "\n\n",
        "ALSO READ | ",
        "(Related: ",
        " | more articles)",
        "U.S. ",
        "L. ",
        ". ",
        "。",
        "; ",
        '"',
        "By John Smith",
        "Publish day : 2023.10.06",
        "WASHINGTON (AP) - ",
        "Mr. ",
        "The ",
        "中文",
        "\u00a0",
        "\r\n",
        "?! ",
    ]
)
texts = st.lists(st.one_of(st.text(max_size=30), _pieces), max_size=40).map("".join)


def _check(spans: list[tuple[int, int]], n: int) -> None:
    prev = 0
    for s, e in spans:
        assert 0 <= prev <= s < e <= n


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_spans_are_sorted_disjoint_in_bounds(text: str) -> None:
    boiler, meta = find_boilerplate(text)
    _check([(b.start, b.end) for b in boiler], len(text))
    for m in meta:
        assert 0 <= m.start < m.end <= len(text)
    _check(split_sentences(text, exclude=[(b.start, b.end) for b in boiler]), len(text))
    _check(line_spans(text), len(text))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_document_round_trips(text: str) -> None:
    doc = analyze_text(text)
    as_json = doc.to_json()
    for s in as_json["sentences"]:
        piece = text[s["start"] : s["end"]]
        assert piece and piece == piece.strip()
    boiler = [(b.start, b.end) for b in doc.boilerplate]
    for s in doc.sentences:  # sentences never overlap boilerplate
        assert all(s.end <= b0 or s.start >= b1 for b0, b1 in boiler)
    assert analyze_text(text).to_json() == as_json  # deterministic
