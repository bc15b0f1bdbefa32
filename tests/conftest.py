"""Shared fixtures: the seed articles and small helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_EN = SEEDS / "000_acb89514df95002b.txt"  # the English report
SEED_MT = SEEDS / "001_2439484a44ef32c6.txt"  # the machine-translated report of the same story


@pytest.fixture(scope="session")
def seed_en_text() -> str:
    return SEED_EN.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_mt_text() -> str:
    return SEED_MT.read_text(encoding="utf-8")
