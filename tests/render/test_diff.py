"""The compact word diff of a copy against the earliest member."""

from __future__ import annotations

from dedup.render.diff import MAX_CHARS, word_diff


def test_changes_with_context_and_cap() -> None:
    a = "the quick brown fox jumps over the lazy dog near the river bank today"
    b = "the quick red fox jumps over the lazy cat near the river bank today"
    d = word_diff(a, b, context=2)
    assert not d.same
    assert [(h.deleted, h.inserted) for h in d.hunks] == [("brown", "red"), ("dog", "cat")]
    assert d.hunks[0].before == "the quick" and d.hunks[0].after.startswith("fox jumps")
    capped = word_diff(a, b, max_hunks=1)
    assert len(capped.hunks) == 1 and capped.more == 1


def test_identical_and_whitespace_only_changes() -> None:
    assert word_diff("a b  c", "a\nb c").same
    d = word_diff("a b c", "a b c d")
    assert d.hunks[0].inserted == "d" and d.hunks[0].deleted == ""


def test_long_changes_and_inputs_are_cut() -> None:
    a = " ".join(f"w{i}" for i in range(5000))
    b = " ".join(f"v{i}" for i in range(5000))
    d = word_diff(a, b, max_words=100, max_change_words=10)
    assert d.truncated_input
    assert d.hunks[0].deleted.endswith("…") and len(d.hunks[0].deleted.split()) == 11


def test_one_huge_word_cannot_blow_up_a_diff() -> None:
    """Scraped pages carry inline base64 and minified scripts: one "word" of 100 KB is shown cut."""
    base = "The council approved the budget on Tuesday after a long debate and a vote in the chamber."
    blob = "QUJD" * 25_000
    d = word_diff(base, base.replace("budget", blob + " budget").replace("vote", "x" + blob))
    assert len(d.hunks) == 2
    for h in d.hunks:
        for part in (h.before, h.deleted, h.inserted, h.after):
            assert len(part) <= MAX_CHARS
    assert d.hunks[0].inserted.startswith("QUJD") and d.hunks[0].inserted.endswith("…")
