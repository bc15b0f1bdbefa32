"""The public API: everything the CLI does, the library does."""

from __future__ import annotations


def test_public_api_names_are_the_functions() -> None:
    import dedup
    import dedup.check  # noqa: F401  (importing the submodule must not shadow the function)

    assert callable(dedup.check) and callable(dedup.align) and callable(dedup.gate) and callable(dedup.scan)
    assert set(dedup.detectors) >= {"merged_tokens", "repeated_words", "entity_swap", "name_variants"}
