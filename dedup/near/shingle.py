"""Word shingles of many texts at once, hashed in numpy.

Why numpy: building one Python string per shingle caps any MinHash pipeline near 7,000 articles/s
before a single permutation is applied. Here a whole batch of texts becomes one byte array; tokens
are runs of word bytes, each token is hashed by a polynomial over prefix sums (no Python loop per
token), and k consecutive token hashes are combined into one shingle hash.

Tokens: ASCII letters and digits plus every non-ASCII byte (so UTF-8 letters stay inside words);
ASCII letters are lower-cased, digits are kept as they are (numbers are what tell a templated
report from a copy; "3.4", "2,100" and "6:48" are one token each); in Chinese, Japanese and Korean
text every character is a token. HTML entities, typographic quotes, dashes and spaces, and invisible
characters are read as their plain forms first, so a re-typeset copy keeps its tokens. English
function words are dropped before shingling so that unrelated
articles do not meet on "one of the"; a text in another language simply keeps all its words.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

_U64 = np.uint64
_BASE = _U64(0x100000001B3)  # odd, so it is invertible modulo 2**64
_MIX = (_U64(33), _U64(0xFF51AFD7ED558CCD), _U64(33), _U64(0xC4CEB9FE1A85EC53), _U64(33))
_COMBINE = (
    _U64(0x9E3779B97F4A7C15),
    _U64(0xC2B2AE3D27D4EB4F),
    _U64(0x165667B19E3779F9),
    _U64(0x27D4EB2F165667C5),
    _U64(0x85EBCA77C2B2AE63),
    _U64(0xFF51AFD7ED558CCD),
    _U64(0xD6E8FEB86659FD93),
    _U64(0xA0761D6478BD642F),
)
MAX_K = len(_COMBINE)

STOPWORDS = (
    "a about after against all also an and any are as at be because been before being between both "
    "but by can could did do does during each for from had has have he her here him his how i if in "
    "into is it its just me more most my no nor not of on one only or other our out over own same she "
    "should so some such than that the their them then there these they this those through to too "
    "under until up very was we were what when where which while who whom why will with would you "
    "your said says say s t"
).split()

# A capitalised word right after one of these (or a space after one) opens a sentence: not a name.
_OPENERS = ".!?\n\"'([:;"
_STOP_BITS = 16
_TAIL_MASKS = np.array([(1 << (8 * i)) - 1 for i in range(8)] + [(1 << 64) - 1], dtype=_U64)


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: every input bit reaches every output bit."""
    s1, m1, s2, m2, s3 = _MIX
    with np.errstate(over="ignore"):
        h = h ^ (h >> s1)
        h = h * m1
        h = h ^ (h >> s2)
        h = h * m2
        return h ^ (h >> s3)


@dataclass(frozen=True)
class Tokens:
    """Token hashes of a batch, flattened, with per-text offsets (CSR layout)."""

    hashes: np.ndarray  # uint64, one per kept token
    key: np.ndarray  # bool: a number or a mid-sentence capitalised word (names, figures)
    offsets: np.ndarray  # int64, len(texts) + 1; text i owns hashes[offsets[i]:offsets[i+1]]


def _windows(buf: np.ndarray) -> np.ndarray:
    """A little-endian uint64 view starting at every byte (overlapping, no copy)."""
    padded = np.concatenate([buf, np.zeros(8, dtype=np.uint8)])
    return np.ndarray(shape=(len(buf),), dtype="<u8", buffer=padded, offset=0, strides=(1,))


def _in_range(x: np.ndarray, lo: str, hi: str) -> np.ndarray:
    """lo <= x <= hi for a uint8 array, with one subtraction and one compare (wrapping)."""
    return (x - np.uint8(ord(lo))) <= np.uint8(ord(hi) - ord(lo))


def _is_any(x: np.ndarray, chars: str) -> np.ndarray:
    out = x == np.uint8(ord(chars[0]))
    for ch in chars[1:]:
        out |= x == np.uint8(ord(ch))
    return out


@dataclass(frozen=True)
class LineRule:
    """Which lines to look at closer, and what to cut from them (boilerplate, for the copy level).

    Only lines whose first token is in `heads` (or with a token in `after_bracket` right after a
    "(" or "["), at most `max_bytes` long, reach `cut`, a Python function returning the character
    spans of the line to leave out. Everything else costs a few vectorised operations per batch.
    """

    heads: StopTable
    after_bracket: StopTable
    max_bytes: int
    cut: Callable[[str], Sequence[tuple[int, int]]]


# Bytes to themselves (ASCII letters lower-cased, digits, every non-ASCII byte), the rest to space,
# except the number joiners ".,:" (to 29, 30, 31: below space, so `lower > 32` is still "word byte").
_JOINER_CODE = {ord("."): 29, ord(","): 30, ord(":"): 31}
_TRANSLATE = bytes(
    (b + 32 if 65 <= b <= 90 else b)
    if (48 <= b <= 57 or 65 <= b <= 90 or 97 <= b <= 122 or b >= 128)
    else _JOINER_CODE.get(b, 32)
    for b in range(256)
)


# Scripts written without spaces: each ideograph/kana/hangul syllable is a token of its own, and
# CJK punctuation separates tokens (otherwise a whole Chinese sentence would be one "word").
_IDEOGRAPH = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_CJK_PUNCT = re.compile(r"[\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")
_CJK_LEADS = tuple(bytes([b]) for b in (*range(0xE3, 0xEE), 0xEF))  # UTF-8 lead bytes of those ranges


def _split_ideographs(data: bytes) -> bytes:
    """Spaces around every CJK character; a text without any is returned as is (a few memchr)."""
    if not any(lead in data for lead in _CJK_LEADS):
        return data
    text = _CJK_PUNCT.sub(" ", data.decode("utf-8"))
    return _IDEOGRAPH.sub(r" \g<0> ", text).encode("utf-8")


# Typesetting that syndication changes and a copy must survive. Invisible characters (zero-width
# spaces and joiners, soft hyphens, BOM, direction marks) are deleted, so a word they split stays
# one word; typographic spaces, quotes, dashes and ellipses become their ASCII forms (a quote keeps
# its place just before the next word, so a name after an opening quote is read the same either way).
_INVISIBLE = (
    b"\xe2\x80\x8b", b"\xe2\x80\x8c", b"\xe2\x80\x8d", b"\xe2\x80\x8e", b"\xe2\x80\x8f",
    b"\xe2\x81\xa0", b"\xef\xbb\xbf", b"\xc2\xad",
)  # fmt: skip
_GENERAL_PUNCT = np.zeros((64, 3), dtype=np.uint8)  # U+2000..U+203F -> 3 ASCII bytes (0: keep)
for _cp, _ascii in (
    *((cp, b"   ") for cp in range(0x2000, 0x200B)),  # typographic spaces
    *((cp, b" - ") for cp in range(0x2010, 0x2016)),  # hyphens and dashes
    *((cp, b"  '") for cp in (0x2018, 0x2019, 0x201A, 0x201B, 0x2039, 0x203A)),
    *((cp, b'  "') for cp in (0x201C, 0x201D, 0x201E, 0x201F)),
    *((cp, b"   ") for cp in (0x2020, 0x2021, 0x2022, 0x2023, 0x2027, 0x2028, 0x2029, 0x202F)),
    *((cp, b"   ") for cp in range(0x202A, 0x202F)),  # direction embeddings
    (0x2024, b" . "),
    (0x2026, b"..."),
):
    _GENERAL_PUNCT[_cp - 0x2000] = np.frombuffer(_ascii, dtype=np.uint8)
_LATIN1_PUNCT = {0xA0: b"  ", 0xAB: b' "', 0xBB: b' "'}  # NBSP and guillemets after a 0xC2 byte
_ENTITY = re.compile(r"&(?:#[0-9]{2,7}|#[xX][0-9a-fA-F]{2,6}|[A-Za-z][A-Za-z0-9]{1,7});")


def _unescape(text: str) -> str:
    """HTML entities decoded (`&amp;`, `&#8217;`), only in a text that has one (one memchr otherwise)."""
    if "&" in text and _ENTITY.search(text):
        return html.unescape(text)
    return text


def _join_texts(encoded: list[bytes]) -> tuple[np.ndarray, bytes]:
    starts_of_text = np.ones(len(encoded) + 1, dtype=np.int64)
    np.cumsum(
        np.fromiter((len(b) + 1 for b in encoded), dtype=np.int64, count=len(encoded)), out=starts_of_text[1:]
    )
    starts_of_text[1:] += 1
    return starts_of_text, b"\n" + b"\n".join(encoded) + b"\n"  # a newline first: no token at byte 0


def _plain_typography(joined: bytes) -> tuple[bytes, bool]:
    """Typographic spaces, quotes and dashes as ASCII, in place (same length), for a whole batch;
    and whether the batch holds an invisible character (to delete, which changes lengths)."""
    buf = np.frombuffer(joined, dtype=np.uint8).copy()
    lead = np.flatnonzero((buf[:-2] & np.uint8(0xDF)) == np.uint8(0xC2))  # 0xC2 or 0xE2
    is_e2 = buf[lead] == np.uint8(0xE2)
    e2, c2 = lead[is_e2], lead[~is_e2]
    at = e2[buf[e2 + 1] == np.uint8(0x80)]
    third = buf[at + 2]
    invisible = (
        bool(np.any(_in_range(third, "\x8b", "\x8f")))
        or bool(np.any(buf[c2 + 1] == np.uint8(0xAD)))
        or bool(np.any((buf[e2 + 1] == np.uint8(0x81)) & (buf[e2 + 2] == np.uint8(0xA0))))
        or b"\xef\xbb\xbf" in joined
    )
    rep = _GENERAL_PUNCT[third - np.uint8(0x80)]
    hit = rep[:, 0] != 0
    at, rep = at[hit], rep[hit]
    for j in range(3):
        buf[at + j] = rep[:, j]
    for second, ascii_ in _LATIN1_PUNCT.items():
        sel = c2[buf[c2 + 1] == np.uint8(second)]
        buf[sel] = ascii_[0]
        buf[sel + 1] = ascii_[1]
    return buf.tobytes(), invisible


def _word_bytes(raw_buf: np.ndarray, lower: np.ndarray) -> np.ndarray:
    """Bytes inside tokens: `lower`'s word bytes, and each '.', ',' or ':' between two digits."""
    word = lower > np.uint8(32)
    at = np.flatnonzero(lower < np.uint8(32))
    at = at[(at > 0) & (at < len(raw_buf) - 1)]
    at = at[_in_range(raw_buf[at - 1], "0", "9") & _in_range(raw_buf[at + 1], "0", "9")]
    word[at] = True
    return word


def tokenize(
    texts: Sequence[str], drop: StopTable | None = None, lines: LineRule | None = None, calendar: bool = True
) -> Tokens:
    """Hash every token of every text, leaving out the words in `drop` (numbers always stay) and
    whatever `lines` cuts. Day and month names are capitalised by spelling, not because they name
    something, and a dated template repeats them: they are never key tokens (`calendar` False: they are).

    A token's hash mixes its length, its first 8 and its last 8 bytes: exact for words of up to
    16 bytes, and two longer words collide only if they agree on length and both ends. Bytes are
    classified and lower-cased by one `bytes.translate` (C speed); numpy only works per token.
    """
    encoded = [_split_ideographs(_unescape(t).encode("utf-8")) for t in texts]
    starts_of_text, joined = _join_texts(encoded)
    if not joined.isascii():
        plain, invisible = _plain_typography(joined)
        if invisible:  # rare: delete them text by text, then start again
            for mark in _INVISIBLE:
                encoded = [b.replace(mark, b"") if mark in b else b for b in encoded]
            starts_of_text, joined = _join_texts(encoded)
            plain, _ = _plain_typography(joined)
        joined = plain
    raw_buf = np.frombuffer(joined, dtype=np.uint8)
    lower = np.frombuffer(joined.translate(_TRANSLATE), dtype=np.uint8)
    word = _word_bytes(raw_buf, lower)
    edges = np.flatnonzero(word[1:] != word[:-1]) + 1  # first and last bytes are newlines
    tok_start = edges[0::2]
    tok_end = edges[1::2]
    length = tok_end - tok_start
    win = _windows(lower)
    with np.errstate(over="ignore"):
        head = win[tok_start] & _TAIL_MASKS[np.minimum(length, 8)]
        tail = np.where(length > 8, win[np.maximum(tok_end - 8, 0)], _U64(0))
        raw = head ^ (tail * _COMBINE[1]) ^ (length.astype(_U64) * _COMBINE[0])
    hashes = fmix64(raw)
    first = raw_buf[tok_start]
    prev1 = raw_buf[np.maximum(tok_start - 1, 0)]
    prev2 = raw_buf[np.maximum(tok_start - 2, 0)]
    space1 = (prev1 == np.uint8(32)) | (prev1 == np.uint8(9))
    opener = _is_any(prev1, _OPENERS) | (space1 & _is_any(prev2, _OPENERS))
    digit = _in_range(first, "0", "9")
    key = digit | (_in_range(first, "A", "Z") & ~opener)
    if calendar:
        named = np.flatnonzero(key & ~digit)
        key[named[_calendar().contains(hashes[named])]] = False
    keep = np.ones(len(hashes), dtype=bool)
    if lines is not None and len(hashes):
        bracket = _is_any(prev1, "([") | (space1 & _is_any(prev2, "(["))
        keep &= ~_cut_lines(joined, raw_buf, tok_start, hashes, bracket, lines)
    if drop is not None:
        keep &= ~drop.contains(hashes) | digit
    if not keep.all():
        hashes, key, tok_start = hashes[keep], key[keep], tok_start[keep]
    offsets = np.searchsorted(tok_start, starts_of_text).astype(np.int64)
    return Tokens(hashes=hashes, key=key, offsets=offsets)


def _cut_lines(
    joined: bytes,
    raw_buf: np.ndarray,
    tok_start: np.ndarray,
    hashes: np.ndarray,
    bracket: np.ndarray,
    rule: LineRule,
) -> np.ndarray:
    """Tokens inside the spans `rule.cut` returns for the few candidate lines."""
    drop = np.zeros(len(tok_start), dtype=bool)
    idx = np.flatnonzero(rule.heads.contains(hashes) | (bracket & rule.after_bracket.contains(hashes)))
    if not len(idx):
        return drop
    nl = np.flatnonzero(raw_buf == np.uint8(10))
    line = np.searchsorted(nl, tok_start[idx])  # line number = newlines before the token
    prev_line = np.searchsorted(nl, tok_start[np.maximum(idx - 1, 0)])
    first_in_line = (idx == 0) | (prev_line != line)  # no earlier token on the same line
    cand = np.unique(line[first_in_line | bracket[idx]])
    starts: list[int] = []
    ends: list[int] = []
    for line_no in cand.tolist():
        s = int(nl[line_no - 1]) + 1 if line_no > 0 else 0
        e = int(nl[line_no])
        if e - s > rule.max_bytes:
            continue
        text = joined[s:e].decode("utf-8", errors="replace")
        for cs, ce in rule.cut(text):
            starts.append(s + len(text[:cs].encode("utf-8")))
            ends.append(s + len(text[:ce].encode("utf-8")))
    if not starts:
        return drop
    order = np.argsort(starts)
    rs, re_ = np.asarray(starts)[order], np.asarray(ends)[order]
    at = np.searchsorted(rs, tok_start, side="right") - 1
    inside = (at >= 0) & (tok_start < re_[np.maximum(at, 0)])
    return inside


CALENDAR_WORDS = (
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december"
).split()


@lru_cache(maxsize=1)
def _calendar() -> StopTable:
    return StopTable(CALENDAR_WORDS)


class StopTable:
    """A set of token hashes answered with one gather and one compare per token (no sorting)."""

    def __init__(self, words: Sequence[str] = STOPWORDS) -> None:
        hashes = (
            np.unique(tokenize([" ".join(words)], calendar=False).hashes)
            if words
            else np.empty(0, dtype=_U64)
        )
        bits = _STOP_BITS
        while True:
            slots = (hashes & _U64((1 << bits) - 1)).astype(np.int64)
            if len(np.unique(slots)) == len(slots):
                break
            bits += 1
        self.mask = _U64((1 << bits) - 1)
        self.table = np.zeros(1 << bits, dtype=_U64)
        self.table[slots] = hashes
        self.words = tuple(words)
        if len(hashes) and not np.all(hashes):  # 0 marks an empty slot; a zero hash would be a member
            raise ValueError("a stopword hashes to 0")

    def contains(self, hashes: np.ndarray) -> np.ndarray:
        return self.table[(hashes & self.mask).astype(np.int64)] == hashes


def shingle(tokens: Tokens, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every k consecutive tokens within each text, and per-text offsets.

    A text with fewer than k tokens (but at least one) gets one shingle of all its tokens, so a
    short article still has a sketch.
    """
    if not 1 <= k <= MAX_K:
        raise ValueError(f"shingle size must be in 1..{MAX_K}, got {k}")
    h, off = tokens.hashes, tokens.offsets
    counts = np.diff(off)
    n_sh = np.where(counts >= k, counts - k + 1, np.minimum(counts, 1))
    sh_off = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(n_sh, out=sh_off[1:])
    total = int(sh_off[-1])
    # Start token of each shingle: the text's start plus its rank within the text.
    text_of = np.repeat(np.arange(len(counts)), n_sh)
    rank = np.arange(total, dtype=np.int64) - sh_off[:-1][text_of]
    start = off[:-1][text_of] + rank
    end = np.minimum(start + k, off[1:][text_of])  # exclusive; short texts end early
    padded = np.concatenate([h, np.zeros(k, dtype=_U64)])
    acc = np.zeros(total, dtype=_U64)
    with np.errstate(over="ignore"):
        for j in range(k):
            idx = start + j
            part = padded[idx] * _COMBINE[j]
            acc += np.where(idx < end, part, _U64(0))
    return fmix64(acc), sh_off
