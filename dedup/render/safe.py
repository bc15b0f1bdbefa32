"""Untrusted text to HTML that shows exactly that text, and shows what the eye would not see.

Escaping alone is not enough for scraped and machine-translated text:

- The HTML parser turns CR LF and lone CR into LF, drops NUL, and UTF-8 cannot carry a lone
  surrogate, so a raw copy of the text would make the page's text (and every highlight) differ
  from ``text[start:end]``. CR is written as ``&#13;`` (a lone CR also gets a generated line break,
  as the parser would have given it one); NUL and lone surrogates, which no page can hold, become
  U+FFFD, one for one, so every later offset still lines up.
- Bidi overrides and isolates (U+202E...), zero-width and other invisible characters, C0/C1
  controls and tag characters change or hide what is displayed: "\u202e0001" reads "1000". Each
  one is wrapped in its own isolating element (its effect stops there) labelled with its code
  point by CSS (``.cc::before``); the character itself stays in the DOM, so text content and
  copy-paste are exact. The marker's markup has no quote, so even misplaced in an attribute
  it cannot end the attribute. Runs of five or more combining diacritics ("Zalgo"), whose ink
  would cover the lines around them, are clipped to their line and counted the same way.

`visible` is for text nodes (Jinja applies it to every interpolated string), `plain` for text the
browser shows outside the page's flow (tooltips, the window title), where markup cannot go.
"""

from __future__ import annotations

import re

import regex
from markupsafe import Markup, escape

# Characters that change or hide the display of the text around them. Not here: ZWJ/ZWNJ and
# variation selectors (emoji and many scripts need them), the soft hyphen (shows as a hyphen
# where it breaks a line, hides nothing).
_HIDDEN = (
    r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 and C1 controls, except tab, LF, CR
    r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, overrides, isolates
    r"\u200b\u2060-\u2064\u206a-\u206f\ufeff\u180e"  # zero-width space, word joiner, invisible operators
    r"\u115f\u1160\u3164\uffa0"  # Hangul fillers (blank letters)
    r"\ufff9-\ufffb"  # interlinear annotation controls
    r"\ud800-\udfff"  # lone surrogates (a str holds pairs as one code point)
)
# Tag characters hide ASCII text; they belong only to an emoji tag sequence after U+1F3F4.
_TAGS = r"(?<!\U0001F3F4[\U000E0020-\U000E007E]*)[\U000E0000-\U000E007F]"
# Combining diacritics (the generic blocks, not a script's own signs): more than four in a row stack
# into ink that covers the lines around them ("Zalgo") and can hide a highlight.
_DIACRITICS = r"\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_STACK = rf"[{_DIACRITICS}]{{5,}}"
_SPECIAL = regex.compile(rf"[{_HIDDEN}\r]|{_TAGS}|{_STACK}")
# The quick test, one character class in the standard library's engine (6x faster here than `regex`).
_MAYBE = re.compile(rf"[{_HIDDEN}\r\U000E0000-\U000E007F{_DIACRITICS}]")
_SHOWN = regex.compile(rf"[{_HIDDEN}]|{_TAGS}")
_UNSAFE = re.compile(r"[\x00\ud800-\udfff]")  # cannot be written to or parsed from a page


def code_point(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def _marker(ch: str) -> str:
    # The character itself, raw: a reference to U+0080-U+009F would be read as windows-1252.
    shown = "\ufffd" if _UNSAFE.match(ch) else ch
    return f"<span class=cc data-cp={code_point(ch)}>{shown}</span>"


def plain_enough(text: str) -> bool:
    """True when escaping alone shows `text` exactly (nearly all text: a quick test)."""
    return not _MAYBE.search(text) or not _SPECIAL.search(text)


def visible(text: str, after: str = "") -> Markup:
    """HTML for a text node whose DOM text is `text`, one code point for one, with hidden characters
    made visible. `after`: the character that follows in the page (tells a lone CR from CR LF)."""
    if plain_enough(text):
        return escape(text)
    out = []
    pos = 0
    for m in _SPECIAL.finditer(text):
        out.append(str(escape(text[pos : m.start()])))
        ch = m.group()
        if ch == "\r":
            nxt = text[m.end() : m.end() + 1] or after[:1]
            out.append("&#13;" if nxt == "\n" else "<span class=cr>&#13;</span>")
        elif len(ch) > 1:  # a stack of diacritics: clipped to its line, and counted
            out.append(f"<span class=stack data-n={len(ch)}>{escape(ch)}</span>")
        else:
            out.append(_marker(ch))
        pos = m.end()
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))  # noqa: S704 - every piece of text above is escaped


def plain(text: str) -> str:
    """Text for tooltips and the window title: hidden characters written as ⟨U+202E⟩."""
    if not _MAYBE.search(text) or not _SHOWN.search(text):
        return text
    return _SHOWN.sub(lambda m: f"⟨{code_point(m.group())}⟩", text)


def encodable(text: str) -> str:
    """The page as UTF-8 can carry it: NUL and lone surrogates that reached a machine-read
    attribute become U+FFFD (text nodes and the data island have their own exact forms)."""
    return _UNSAFE.sub("\ufffd", text) if _UNSAFE.search(text) else text


def excerpt(text: str, limit: int = 400) -> Markup:
    """`visible(text)`, or for a text longer than `limit` its head and tail around a labelled cut, so
    a list of flags stays small when a span is a whole page (the article view shows it in full)."""
    if len(text) <= limit:
        return visible(text)
    half = limit // 2
    cut = len(text) - 2 * half
    return Markup(  # noqa: S704 - both pieces go through visible(); the label is ours
        f"{visible(text[:half], text[half])}<span class=elided>[… {cut:,} more characters …]</span>"
        f"{visible(text[-half:])}"
    )
