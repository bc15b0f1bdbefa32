"""Sentence spans: the rules news and MT text need, each with hits and look-alikes."""

from __future__ import annotations

import re

import pytest

from dedup.text import analyze_text
from dedup.text.boilerplate import find_boilerplate
from dedup.text.sentences import line_spans, split_sentences


def _sents(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Treasury Secretary Janet L. Yellen visited Beijing. She met officials.",
            ["Treasury Secretary Janet L. Yellen visited Beijing.", "She met officials."],
        ),
        (
            "The U.S. Senate voted. The U.N. General Assembly met in New York.",
            ["The U.S. Senate voted.", "The U.N. General Assembly met in New York."],
        ),
        ("He flew to the U.S. The next day he left.", ["He flew to the U.S.", "The next day he left."]),
        (
            "Mr. Smith and Dr. Jones met at 3 p.m. on Monday.",
            ["Mr. Smith and Dr. Jones met at 3 p.m. on Monday."],
        ),
        ("Growth was 2.5 per cent. Inflation fell.", ["Growth was 2.5 per cent.", "Inflation fell."]),
        (
            "Leaders met at the G-20 summit. Talks went on.",
            ["Leaders met at the G-20 summit.", "Talks went on."],
        ),
        (
            '"It\'s pretty firm," he said. "We will meet." Then he left.',
            ['"It\'s pretty firm," he said.', '"We will meet."', "Then he left."],
        ),
        (
            'He called Xi a "dictator" who was "very embarrassed" by it.',
            ['He called Xi a "dictator" who was "very embarrassed" by it.'],
        ),
        (
            "Was it planned? Nobody knows! Officials declined.",
            ["Was it planned?", "Nobody knows!", "Officials declined."],
        ),
        ("Talks ended。 White House officials left.", ["Talks ended。", "White House officials left."]),
        ("中国外交部表示。会谈将继续。", ["中国外交部表示。", "会谈将继续。"]),
        (
            "The White House is already planning; Another official said it was not settled.",
            ["The White House is already planning;", "Another official said it was not settled."],
        ),
        ("They agreed; the talks resume in May.", ["They agreed; the talks resume in May."]),
        ("Apple Inc. said profits rose. Shares fell.", ["Apple Inc. said profits rose.", "Shares fell."]),
        (
            "It sells apples, pears, etc. The shop opened in 1990.",
            ["It sells apples, pears, etc.", "The shop opened in 1990."],
        ),
        ("The vote was 10 vs. 4 in favour.", ["The vote was 10 vs. 4 in favour."]),
    ],
)
def test_rules(text: str, expected: list[str]) -> None:
    assert _sents(text) == expected


def test_headline_without_stop_is_its_own_sentence() -> None:
    text = "US planning summit between leaders: Report\n\nThe White House is planning a meeting. It is firm."
    assert _sents(text) == [
        "US planning summit between leaders: Report",
        "The White House is planning a meeting.",
        "It is firm.",
    ]


def test_hard_wrapped_lines_are_joined_but_not_headlines() -> None:
    text = "Officials said the meeting\nwould take place in November. Others\ndisagreed.\nNew Headline\nBody starts."
    assert _sents(text) == [
        "Officials said the meeting\nwould take place in November.",
        "Others\ndisagreed.",
        "New Headline",
        "Body starts.",
    ]


def test_sentences_never_cross_boilerplate() -> None:
    text = "First part of it (Related: Other story | more articles). Second part."
    spans, _ = find_boilerplate(text)
    got = [text[s:e] for s, e in split_sentences(text, exclude=[(b.start, b.end) for b in spans])]
    assert got == ["First part of it", "Second part."]  # the lone "." left over is not a sentence


def test_seed_translation_keeps_abbreviations_and_initials(seed_mt_text: str, seed_en_text: str) -> None:
    for text in (seed_mt_text, seed_en_text):
        doc = analyze_text(text, languages=False)
        for s in doc.sentences:
            piece = text[s.start : s.end]
            assert not re.search(r"\bU\.$|\bU\.S$|\bL\.$", piece), piece
            assert not piece.startswith(("S.", "Yellen", "N. "))
    en = analyze_text(seed_en_text, languages=False)
    assert any("Janet L. Yellen" in t for t in en.sentence_texts())
    assert any("U.S. airspace" in t for t in en.sentence_texts())
    mt = analyze_text(seed_mt_text, languages=False)
    assert any(t.startswith("Another U.S. official said") for t in mt.sentence_texts())
    assert any(t.endswith("Raimondo)。") for t in mt.sentence_texts())


def test_line_spans_trim_and_skip_blank_lines() -> None:
    text = "  one  \n\n two\r\nthree"
    assert [text[s:e] for s, e in line_spans(text)] == ["one", "two", "three"]
