"""The one document model every stage shares.

Stages never edit an article's text: they add spans over it. A span is a half-open character
range ``[start, end)`` into ``Article.text`` (Python ``str`` indices, i.e. code points), and
``text[start:end]`` is exactly what it names.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class Span:
    """A character range into an article's original text."""

    start: int
    end: int
    kind: str = ""

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end}
        if self.kind:
            out["kind"] = self.kind
        return out


@dataclass(frozen=True)
class Article:
    """Original text plus metadata, exactly as loaded (never normalised)."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    lang: str | None = None
    published: str | None = None
    origin: str = ""  # where it came from: a path, or "path:line" for JSONL
    # What a pipeline record may bring for the check (JSONL `ref`, `src`): an English report of the
    # same story and the article before translation. Texts, not metadata: never in `to_json`.
    ref: str | None = None
    src: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "") and k not in _TEXTS}


_TEXTS = ("text", "ref", "src")


class TooLarge(ValueError):
    """An input the tool declines to process because it would take too much memory or time (the
    message says what and which setting raises the limit): an input error, exit code 2."""


@dataclass(frozen=True)
class LoadError:
    """Why one input could not become an Article. Reported, never dropped."""

    origin: str
    message: str
    id: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"origin": self.origin, "message": self.message}
        if self.id is not None:
            out["id"] = self.id
        return out

    def __str__(self) -> str:
        who = f"{self.origin} (id {self.id!r})" if self.id is not None else self.origin
        return f"{who}: {self.message}"


@dataclass(frozen=True)
class Sentence:
    """A sentence span with its detected language ('und' when too short to judge)."""

    start: int
    end: int
    lang: str = "und"

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "lang": self.lang}


@dataclass(frozen=True)
class Boilerplate:
    """Text that is not part of the article body: ads, related links, repeats, metadata."""

    start: int
    end: int
    kind: str  # advertisement | also_read | related | repeat | metadata | ...
    of: int | None = None  # for kind "repeat": start offset of the earlier occurrence

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "kind": self.kind}
        if self.of is not None:
            out["of"] = self.of
        return out


@dataclass(frozen=True)
class Metadata:
    """A recognised metadata line (dateline, publish date), parsed where possible."""

    start: int
    end: int
    kind: str  # published | dateline | byline
    value: str | None = None  # parsed value, e.g. ISO date "2023-10-06"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "kind": self.kind}
        if self.value is not None:
            out["value"] = self.value
        return out


@dataclass(frozen=True)
class ScriptRun:
    """A run of non-Latin script (Han, Cyrillic, ...) or full-width punctuation."""

    start: int
    end: int
    script: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "script": self.script}


@dataclass
class Document:
    """An article plus everything the text pipeline found in it."""

    article: Article
    lang: str = "und"
    sentences: list[Sentence] = field(default_factory=list)
    boilerplate: list[Boilerplate] = field(default_factory=list)
    metadata: list[Metadata] = field(default_factory=list)
    scripts: list[ScriptRun] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text

    def sentence_texts(self) -> list[str]:
        t = self.article.text
        return [t[s.start : s.end] for s in self.sentences]

    def body_text(self) -> str:
        """The text with boilerplate cut out (a derived view; offsets do not carry over)."""
        t = self.article.text
        parts: list[str] = []
        pos = 0
        for b in sorted(self.boilerplate, key=lambda b: (b.start, b.end)):
            if b.start > pos:
                parts.append(t[pos : b.start])
            pos = max(pos, b.end)
        parts.append(t[pos:])
        return "\n".join(p.strip() for p in parts if p.strip())

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.article.id, "lang": self.lang}
        meta = self.article.to_json()
        meta.pop("id", None)
        if meta:
            out["article"] = meta
        out["length"] = len(self.article.text)
        out["sentences"] = [s.to_json() for s in self.sentences]
        out["boilerplate"] = [b.to_json() for b in self.boilerplate]
        out["metadata"] = [m.to_json() for m in self.metadata]
        out["scripts"] = [s.to_json() for s in self.scripts]
        out["errors"] = list(self.errors)
        return out


@dataclass(frozen=True)
class Link:
    """Sentences of the MT side (indices into its `sentences`) that say what these ref sentences say."""

    mt: tuple[int, ...]
    ref: tuple[int, ...]
    score: float

    def to_json(self) -> dict[str, Any]:
        return {"mt": list(self.mt), "ref": list(self.ref), "score": round(self.score, 4)}


@dataclass
class Alignment:
    """An order-free alignment of two Documents' sentences; 'no counterpart' is a first-class answer."""

    links: list[Link] = field(default_factory=list)
    unaligned_mt: list[int] = field(default_factory=list)
    unaligned_ref: list[int] = field(default_factory=list)
    # Sentence-by-sentence similarity (rows: MT sentences, columns: ref sentences), for heatmaps.
    similarity: list[list[float]] | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def ref_for(self, mt_index: int) -> tuple[int, ...]:
        """Reference sentence indices linked to one MT sentence (empty when it has no counterpart)."""
        for link in self.links:
            if mt_index in link.mt:
                return link.ref
        return ()

    def to_json(self) -> dict[str, Any]:
        return {
            "links": [lk.to_json() for lk in self.links],
            "unaligned_mt": list(self.unaligned_mt),
            "unaligned_ref": list(self.unaligned_ref),
        }


SEVERITIES = ("minor", "major")


@dataclass(frozen=True)
class Evidence:
    """Why a flag was raised: a piece of text, optionally located in the MT ('mt') or reference ('ref')."""

    note: str
    doc: str | None = None  # "mt" | "ref"
    start: int | None = None
    end: int | None = None
    text: str | None = None
    # With several references: which one (its index in the check's references) a "ref" piece is in.
    ref_index: int | None = None

    @classmethod
    def at(cls, note: str, doc: str, text: str, start: int, end: int) -> Evidence:
        """Evidence located in `doc` ("mt" or "ref"), its text cut from that document's `text`."""
        return cls(note=note, doc=doc, start=start, end=end, text=text[start:end])

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"note": self.note}
        for key in ("doc", "start", "end", "text", "ref_index"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass(frozen=True)
class Flag:
    """A garbled span of the MT text: `text == mt_text[start:end]`, always."""

    start: int
    end: int
    text: str
    kind: str  # the detector family's name, e.g. "merged_tokens"
    severity: str  # "minor" | "major"
    confidence: float  # 0..1
    message: str
    evidence: tuple[Evidence, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "severity": self.severity,
            "confidence": round(self.confidence, 3),
            "message": self.message,
            "evidence": [e.to_json() for e in self.evidence],
        }
