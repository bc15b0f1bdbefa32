"""Garble detector families; see base.py for the registry."""

from dedup.garbles.base import (
    REGISTRY,
    Context,
    Detector,
    active_detectors,
    load_all,
    register,
    run_detectors,
    run_detectors_refs,
)

__all__ = [
    "REGISTRY",
    "Context",
    "Detector",
    "active_detectors",
    "load_all",
    "register",
    "run_detectors",
    "run_detectors_refs",
]
