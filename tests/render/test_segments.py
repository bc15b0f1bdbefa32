"""The boundary sweep: any overlapping spans in any layers give well-nested HTML with exact text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.render.segments import Layer, clamp_items, render_layers
from tests.render.fixtures import walk

ATTR = ("data-s", "data-flags", "data-ev")


def _opener(name: str, tag: str):  # type: ignore[no-untyped-def]
    def open_(keys: tuple[int, ...]) -> tuple[str, str]:
        return f'<{tag} {name}="{" ".join(map(str, keys))}">', f"</{tag}>"

    return open_


spans = st.lists(st.tuples(st.integers(-3, 40), st.integers(-3, 40)), max_size=6)


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab <>&\"'\n会é")), max_size=35),
    layers=st.tuples(spans, spans, spans),
)
def test_sweep_is_exact_and_well_nested(text: str, layers: tuple[list, list, list]) -> None:
    built = [
        Layer(clamp_items(sp, len(text)), _opener(attr, tag))
        for sp, attr, tag in zip(layers, ATTR, ("span", "mark", "b"), strict=True)
    ]
    html = render_layers(text, built)
    w = walk(f'<div id="root">{html}</div>', "root")
    assert w.errors == []
    assert "".join(w.text) == text
    for sp, attr in zip(layers, ATTR, strict=True):
        for i, (s, e) in enumerate(sp):
            s2, e2 = max(0, s), min(len(text), e)
            got = "".join(w.by_attr.get((attr, str(i)), []))
            assert got == (text[s2:e2] if s2 < e2 else "")


def test_inner_span_crossing_an_outer_edge_is_split() -> None:
    text = "One. Two."
    sentences = Layer([(0, 4, 0), (5, 9, 1)], _opener("data-s", "span"))
    flags = Layer([(2, 7, 0)], _opener("data-flags", "mark"))
    html = render_layers(text, [sentences, flags])
    assert html == (
        '<span data-s="0">On<mark data-flags="0">e.</mark></span><mark data-flags="0"> </mark>'
        '<span data-s="1"><mark data-flags="0">Tw</mark>o.</span>'
    )


def test_overlapping_items_of_one_layer_share_a_piece() -> None:
    html = render_layers("abcdef", [Layer([(0, 4, 0), (2, 6, 1)], _opener("data-flags", "mark"))])
    assert (
        html == '<mark data-flags="0">ab</mark><mark data-flags="0 1">cd</mark><mark data-flags="1">ef</mark>'
    )
