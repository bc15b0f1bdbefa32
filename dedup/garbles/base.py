"""Garble detectors: a small base class, one subclass per family, and a registry.

Modelled on sacrebleu's metrics: each family is a class with a name, a description, a default
severity and a switch; adding a family is adding a module that registers its class.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from dedup.model import Alignment, Document, Evidence, Flag


@dataclass(frozen=True)
class Context:
    """What a detector may look at: the MT document, and when given, the reference and alignment."""

    mt: Document
    ref: Document | None = None
    alignment: Alignment | None = None


class Detector:
    """One garble family. Subclasses set the class attributes and implement `detect`."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    severity: ClassVar[str] = "minor"  # default severity: "minor" | "major"
    enabled_by_default: ClassVar[bool] = True
    needs_reference: ClassVar[bool] = False

    def detect(self, ctx: Context) -> Iterator[Flag]:
        raise NotImplementedError

    def flag(
        self,
        ctx: Context,
        start: int,
        end: int,
        message: str,
        confidence: float = 0.9,
        evidence: tuple[Evidence, ...] | list[Evidence] = (),
        severity: str | None = None,
    ) -> Flag:
        """A Flag over mt.text[start:end]; the text is always cut from the original."""
        text = ctx.mt.text
        if not (0 <= start < end <= len(text)):
            raise ValueError(f"{self.name}: flag span {start}:{end} outside the text (length {len(text)})")
        return Flag(
            start=start,
            end=end,
            text=text[start:end],
            kind=self.name,
            severity=severity or self.severity,
            confidence=confidence,
            message=message,
            evidence=tuple(evidence),
        )


REGISTRY: dict[str, type[Detector]] = {}


def register(cls: type[Detector]) -> type[Detector]:
    """Class decorator: make a detector family available by its name."""
    if not cls.name:
        raise ValueError(f"{cls.__qualname__} has no name")
    if cls.name in REGISTRY and REGISTRY[cls.name] is not cls:
        raise ValueError(f"detector name {cls.name!r} registered twice")
    REGISTRY[cls.name] = cls
    return cls


def load_all() -> dict[str, type[Detector]]:
    """Import every detector module in this package so their classes register themselves."""
    import importlib
    import pkgutil

    import dedup.garbles as pkg

    for mod in sorted(m.name for m in pkgutil.iter_modules(pkg.__path__)):
        if mod != "base":
            importlib.import_module(f"dedup.garbles.{mod}")
    return dict(sorted(REGISTRY.items()))


def active_detectors(
    disable: list[str] | tuple[str, ...] = (), enable: list[str] | tuple[str, ...] = ()
) -> list[Detector]:
    """Instances of the enabled families, sorted by name; unknown names are an error."""
    known = load_all()
    unknown = sorted((set(disable) | set(enable)) - set(known))
    if unknown:
        raise KeyError(f"unknown detector(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return [
        cls()
        for name, cls in known.items()
        if (cls.enabled_by_default or name in enable) and name not in disable
    ]


def run_detectors(ctx: Context, detectors: list[Detector]) -> list[Flag]:
    """All flags of all detectors, sorted by offset then kind, exact duplicates removed."""
    flags: set[Flag] = set()
    for det in detectors:
        if det.needs_reference and ctx.ref is None:
            continue
        flags.update(det.detect(ctx))
    return sorted(flags, key=lambda f: (f.start, f.end, f.kind, f.message))
