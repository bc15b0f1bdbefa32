"""Sixth-session red team of the loader's folder ids (`text_id`): one file reached through two given
paths (a folder and a file or subfolder inside it) had one id before folder ids, so the second read
was a "duplicate id" error; with folder ids it came back as two articles, a copy of itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from dedup.load import load_articles


def _archive(tmp_path: Path) -> Path:
    (tmp_path / "arch" / "biz").mkdir(parents=True)
    (tmp_path / "arch" / "biz" / "001.txt").write_text("The council voted on Tuesday to close the pier.\n")
    (tmp_path / "arch" / "top.txt").write_text("Rain is forecast for the weekend across the north.\n")
    return tmp_path / "arch"


@pytest.mark.parametrize("second", ["biz/001.txt", "biz", "biz/../biz/001.txt", "./biz/"])
def test_one_file_given_twice_is_read_once(tmp_path: Path, second: str) -> None:
    folder = _archive(tmp_path)
    loaded = load_articles([folder, f"{folder}/{second}"])
    assert sorted(a.id for a in loaded.articles) == ["biz/001", "top"]
    assert len(loaded.errors) == 1
    assert "given twice" in loaded.errors[0].message
    assert str(folder / "biz" / "001.txt") in loaded.errors[0].message  # names the first reading


def test_a_link_to_a_file_is_still_its_own_article(tmp_path: Path) -> None:
    """Only the same path is read once: a link keeps its own name, as before (a copy, reported)."""
    folder = _archive(tmp_path)
    (folder / "latest.txt").symlink_to(folder / "biz" / "001.txt")
    loaded = load_articles([folder])
    assert sorted(a.id for a in loaded.articles) == ["biz/001", "latest", "top"]
    assert not loaded.errors


def test_a_folder_given_with_a_trailing_slash_or_dot_gives_the_same_ids(tmp_path: Path) -> None:
    folder = _archive(tmp_path)
    (folder / "v1.2").mkdir()
    (folder / "v1.2" / "a.b.txt").write_text("Dotted folder and file names keep every dot.\n")
    want = ["biz/001", "top", "v1.2/a.b"]
    for given in (str(folder), f"{folder}/", f"{folder}/.", f"{folder}/../arch"):
        assert [a.id for a in load_articles([given]).articles] == want
