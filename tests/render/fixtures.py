"""Hand-made check (dedup.check/1) and scan (dedup.scan/1) results, hostile articles, and an HTML walker."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

HOSTILE = (
    '<script>window.__pwned = 1; document.title = "pwned";</script>',
    "<img src=x onerror=\"window.__pwned = 2; document.title = 'pwned'\">",
    '<a href="javascript:window.__pwned=3">read more</a>',
    "</textarea><script>window.__pwned = 4</script>",
    "</script><script>window.__pwned = 5</script><!--",
    '<svg onload="window.__pwned = 6"></svg> &amp; &lt;b&gt;',
)

MT_TEXT = (
    "Leaders plan a summit meeting meeting in November\n\n"
    "The officials visiting include Secretary of State Anna BrandtTreasury Secretary Paul Okafor. "
    "An official said the talks were frank (and constructive.\n\n"
    "Advertisement\n\n"
    "Critics said the 会议 was only tactical. " + HOSTILE[0] + " " + HOSTILE[1] + "\n\n"
    "More text " + HOSTILE[2] + " and " + HOSTILE[3] + " then " + HOSTILE[4] + " end " + HOSTILE[5] + ".\n"
)
REF_TEXT = (
    "Leaders plan a summit in November\n\n"
    "Secretary of State Anna Brandt and Treasury Secretary Paul Okafor visited. "
    "The talks were frank and constructive, an official said.\n\n"
    "Advertisement\n\n"
    "Critics called the meeting tactical. " + HOSTILE[1] + "\n"
)


def spans_of(text: str, pieces: list[str]) -> list[dict[str, int]]:
    """Sentence-like spans: each piece located in order in the text."""
    out, pos = [], 0
    for p in pieces:
        s = text.index(p, pos)
        out.append({"start": s, "end": s + len(p)})
        pos = s + len(p)
    return out


def _flag(
    text: str,
    needle: str,
    kind: str,
    severity: str,
    message: str,
    evidence: list[dict[str, Any]] | None = None,
    nth: int = 0,
) -> dict[str, Any]:
    s = -1
    for _ in range(nth + 1):
        s = text.index(needle, s + 1)
    return {
        "start": s,
        "end": s + len(needle),
        "text": needle,
        "kind": kind,
        "severity": severity,
        "confidence": 0.9,
        "message": message,
        "evidence": evidence or [],
    }


def make_check() -> dict[str, Any]:
    """A check result over MT_TEXT/REF_TEXT with flags that nest in and cross sentences."""
    mt_sent = spans_of(
        MT_TEXT,
        [
            "Leaders plan a summit meeting meeting in November",
            "The officials visiting include Secretary of State Anna BrandtTreasury Secretary Paul Okafor.",
            "An official said the talks were frank (and constructive.",
            "Critics said the 会议 was only tactical.",
            HOSTILE[0] + " " + HOSTILE[1],
            "More text "
            + HOSTILE[2]
            + " and "
            + HOSTILE[3]
            + " then "
            + HOSTILE[4]
            + " end "
            + HOSTILE[5]
            + ".",
        ],
    )
    ref_sent = spans_of(
        REF_TEXT,
        [
            "Leaders plan a summit in November",
            "Secretary of State Anna Brandt and Treasury Secretary Paul Okafor visited.",
            "The talks were frank and constructive, an official said.",
            "Critics called the meeting tactical.",
            HOSTILE[1],
        ],
    )
    ad = MT_TEXT.index("Advertisement")
    ref_ad = REF_TEXT.index("Advertisement")
    brandt = REF_TEXT.index("Anna Brandt")
    flags = [
        _flag(MT_TEXT, "meeting meeting", "repeated_word", "minor", "word repeated: “meeting”"),
        _flag(
            MT_TEXT,
            "BrandtTreasury",
            "merged_tokens",
            "major",
            "two names glued together <b>bold</b>",
            [
                {
                    "note": "“Brandt” stands alone in the reference",
                    "doc": "ref",
                    "start": brandt + 5,
                    "end": brandt + 11,
                    "text": "Brandt",
                }
            ],
        ),
        _flag(MT_TEXT, "(", "unbalanced", "minor", "unclosed bracket"),
        _flag(MT_TEXT, "会议", "foreign_script", "major", "Han script in English text"),
        # crosses a sentence boundary
        _flag(
            MT_TEXT,
            "tactical. " + HOSTILE[0][:8],
            "boilerplate_in_body",
            "minor",
            "crosses sentences " + HOSTILE[0],
        ),
        # nested inside the previous one
        _flag(MT_TEXT, "<script>", "foreign_script", "major", HOSTILE[1], [{"note": HOSTILE[4]}]),
        _flag(MT_TEXT, "</textarea>", "unbalanced", "minor", "stray closing tag"),
    ]
    flags.sort(key=lambda f: (f["start"], f["end"]))
    return {
        "schema": "dedup.check/1",
        "mt": {
            "id": "mt-<b>1</b>",
            "lang": "en",
            "sentences": mt_sent,
            "boilerplate": [{"start": ad, "end": ad + 13, "kind": "advertisement"}],
        },
        "ref": {
            "id": "ref-1",
            "lang": "en",
            "sentences": ref_sent,
            "boilerplate": [{"start": ref_ad, "end": ref_ad + 13, "kind": "advertisement"}],
        },
        "alignment": {
            "links": [
                {"mt": [0], "ref": [0], "score": 0.81},
                {"mt": [1], "ref": [1], "score": 0.64},
                {"mt": [2], "ref": [2], "score": 0.7},
                {"mt": [3, 4], "ref": [3], "score": 0.41},
            ],
            "unaligned_mt": [5],
            "unaligned_ref": [4],
            "similarity": [[round(((i * 7 + j * 3) % 10) / 10, 2) for j in range(5)] for i in range(6)],
        },
        "flags": flags,
        "scores": {
            "chrF": {
                "score": 51.2,
                "signature": "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.4.2",
            },
            "BLEU": {
                "score": 20.5,
                "signature": "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.2",
            },
            "aligned_share": 0.83,
            "<i>odd</i>": "</script>",
        },
        "verdict": "reject",
    }


def make_corpus(n_clusters: int = 2) -> tuple[dict, dict[str, str], dict[str, dict]]:
    """A scan result with one copy and one story cluster (plus `n_clusters - 2` filler ones), texts, and
    a check of a hostile article."""
    texts = {
        "a1": "Storm hits coast\n\nA storm hit the coast on Monday, cutting power to 3,000 homes.",
        "a2": "Storm hits coast (updated)\n\nA storm hit the coast on Monday, cutting power to 3,500 homes. Advertisement",
        "b1": "Coast storm: power cut\n\nThousands lost power when the storm arrived.",
        "x": HOSTILE[0] + "\n\n" + HOSTILE[1] + " " + HOSTILE[3],
    }
    clusters = [
        {
            "id": "a1",
            "level": "copy",
            "members": ["a1", "a2"],
            "pairs": [{"a": "a1", "b": "a2", "similarity": 0.86}],
        },
        {
            "id": "a1",
            "level": "story",
            "members": ["a1", "a2", "b1"],
            "pairs": [{"a": "a1", "b": "b1", "similarity": 0.41}],
        },
    ]
    for k in range(n_clusters - 2):
        clusters.append(
            {"id": f"z{k:04d}", "level": "copy", "members": [f"z{k:04d}", f"z{k:04d}b"], "pairs": []}
        )
    scan = {
        "schema": "dedup.scan/1",
        "params": {"copy": {"threshold": 0.6}},
        "documents": [{"id": i, "lang": "en"} for i in texts] + [{"id": "x-de", "lang": "de"}],
        "clusters": clusters,
    }
    checks = {
        "x": {
            "schema": "dedup.check/1",
            "mt": {"id": "x"},
            "flags": [
                {
                    "start": 0,
                    "end": 8,
                    "text": "<script>",
                    "kind": "foreign",
                    "severity": "major",
                    "confidence": 0.4,
                    "message": HOSTILE[1],
                    "evidence": [],
                }
            ],
            "verdict": "reject",
        }
    }
    return scan, texts, checks


class Walker(HTMLParser):
    """Collects, for every element with a given attribute, its text by attribute value, and checks nesting."""

    VOID = {"meta", "br", "img", "input", "link", "hr"}

    def __init__(self, root_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root_id = root_id
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.depth_in_root: int | None = None
        self.text: list[str] = []
        self.by_attr: dict[tuple[str, str], list[str]] = {}
        self.errors: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []  # inside the root
        self.all_elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in self.VOID:
            self.all_elements.append((tag, a))
            return
        self.stack.append((tag, a))
        if self.depth_in_root is None and a.get("id") == self.root_id:
            self.depth_in_root = len(self.stack)
        elif self.depth_in_root is not None and self.depth_in_root > 0:
            self.elements.append((tag, a))
        self.all_elements.append((tag, a))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()
        if self.depth_in_root is not None and len(self.stack) < self.depth_in_root:
            self.depth_in_root = -1  # done

    def handle_data(self, data: str) -> None:
        if self.depth_in_root is None or self.depth_in_root < 0:
            return
        self.text.append(data)
        for _tag, a in self.stack[self.depth_in_root :]:
            for name in ("data-s", "data-flags", "data-ev"):
                if a.get(name):
                    for key in str(a[name]).split():
                        self.by_attr.setdefault((name, key), []).append(data)


def walk(html: str, root_id: str) -> Walker:
    w = Walker(root_id)
    w.feed(html)
    w.close()
    return w
