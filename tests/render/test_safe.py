"""Untrusted text to HTML (dedup.render.safe): what the parser would change is encoded, what the eye
would not see is labelled, and nothing can break out of an attribute."""

from __future__ import annotations

import html
import json
import re

from markupsafe import escape

from dedup.render.html import data_island, render_pair
from dedup.render.safe import encodable, excerpt, plain, visible


def _parsed(markup: str) -> str:
    """The text a parser gets from a text node: markup removed, references decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def test_plain_text_is_only_escaped() -> None:
    text = 'Talks <b>"frank"</b> & 😀 café 𠀀 مرحبا'
    assert str(visible(text)) == str(escape(text))
    assert _parsed(str(visible(text))) == text


def test_carriage_returns_are_references_so_the_parser_keeps_them() -> None:
    out = str(visible("a\r\nb\rc"))
    assert "\r" not in out
    assert out == "a&#13;\nb<span class=cr>&#13;</span>c"  # a lone CR keeps its line break, generated
    assert _parsed(out) == "a\r\nb\rc"
    # a CR that ends a piece before an LF of the next piece is a CR LF, not a lone CR
    assert str(visible("x\r", after="\n")) == "x&#13;"
    assert str(visible("x\r", after="y")) == "x<span class=cr>&#13;</span>"


def test_hidden_characters_are_labelled_and_kept_one_for_one() -> None:
    text = "Price \u202e0001\u202c, Zero\u200bwidth, ctl\x01, nel\x85, bom\ufeff, tag\U000e0041, fill\u3164."
    out = str(visible(text))
    labels = re.findall(r"<span class=cc data-cp=(U\+[0-9A-F]+)>", out)
    assert labels == ["U+202E", "U+202C", "U+200B", "U+0001", "U+0085", "U+FEFF", "U+E0041", "U+3164"]
    assert _parsed(out) == text  # the characters stay (C1 raw: a reference would read as windows-1252)
    assert '"' not in out and "'" not in out  # no quote: harmless even inside an attribute


def test_characters_scripts_and_emoji_need_are_left_alone() -> None:
    text = "👨\u200d👩\u200d👧 ❤\ufe0f می\u200cخواهم 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f soft\u00adhyphen"
    assert str(visible(text)) == text


def test_nul_and_lone_surrogates_become_one_replacement_character_each() -> None:
    out = str(visible("a\x00b\ud800c\udfff"))
    assert _parsed(out) == "a\ufffdb\ufffdc\ufffd"
    out.encode("utf-8")  # writable
    assert plain("x\ud800y\x00") == "x⟨U+D800⟩y⟨U+0000⟩"
    assert encodable("q\ud800\x00") == "q\ufffd\ufffd"


def test_data_island_carries_lone_surrogates_exactly() -> None:
    raw = str(data_island({"t": "a\ud800b\x00"}))
    raw.encode("utf-8")
    assert json.loads(raw) == {"t": "a\ud800b\x00"}


def test_plain_spells_out_hidden_characters_for_tooltips() -> None:
    assert plain("file\u202etxt.exe") == "file⟨U+202E⟩txt.exe"
    assert plain("plain text 😀") == "plain text 😀"


def test_excerpt_keeps_head_and_tail_and_says_how_much_is_cut() -> None:
    text = "A" * 300 + "\u202e" + "B" * 300
    out = str(excerpt(text, limit=100))
    assert out.startswith("A" * 50) and out.endswith("B" * 50)
    assert "[… 501 more characters …]" in out
    assert str(excerpt("short\u202e", limit=100)) == str(visible("short\u202e"))


def test_a_page_of_hostile_text_is_valid_utf8_and_labels_only_text_nodes() -> None:
    text = "Title \u202egnp.exe\r\n\r\nNul\x00 and \ud83d alone. Price \u202e0001\u202c.\r\n"
    check = {
        "mt": {"id": "id\u202e\ud800", "sentences": [{"start": 0, "end": len(text)}]},
        "flags": [
            {"start": 6, "end": 15, "kind": "k\u202e", "severity": "major", "message": "m\u202e\ud800"}
        ],
    }
    page = render_pair(check, text)
    page.encode("utf-8")
    titled = render_pair(check, text, title="</title><script>window.__pwned = 7</script>")
    assert len(re.findall(r"<script\b", titled)) == 2  # the data island and ours
    # no label markup inside any attribute value (attributes take |attr or |tip)
    for value in re.findall(r'="([^"]*)"', page):
        assert "class=cc" not in value, value
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "⟨U+202E⟩" in title and "\u202e" not in title
    marks = re.findall(r'<mark class="flag[^>]*title="([^"]*)"', page)
    assert marks and "⟨U+202E⟩" in marks[0] and "⟨U+D800⟩" in marks[0]


def test_a_stack_of_diacritics_is_clipped_and_counted_but_accents_are_not() -> None:
    zalgo = "H" + "\u0336\u0301\u0302\u0303\u0304\u0305\u0306" * 5
    out = str(visible(zalgo + " news"))
    assert out.startswith("H<span class=stack data-n=35>") and _parsed(out) == zalgo + " news"
    for text in ("cafe\u0301", "Vie\u0323\u0302t Nam", "a\u0301\u0302\u0303\u0304"):  # up to four stay plain
        assert str(visible(text)) == text
