"""Loading: every input becomes an Article or a LoadError that says why; nothing is dropped."""

from __future__ import annotations

import io
import json
from pathlib import Path

from dedup.load import MAX_ARTICLE_BYTES, iter_articles, load_articles


def _write(p: Path, data: bytes) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


def test_text_file_id_is_stem(tmp_path: Path) -> None:
    p = _write(tmp_path / "story-1.txt", "Héllo world. Second sentence.".encode())
    loaded = load_articles([p])
    assert [a.id for a in loaded.articles] == ["story-1"]
    assert loaded.articles[0].text == "Héllo world. Second sentence."
    assert loaded.errors == []


def test_directory_is_recursive_and_sorted(tmp_path: Path) -> None:
    _write(tmp_path / "b.txt", b"bee text here")
    _write(tmp_path / "a" / "z.md", b"zed text here")
    _write(tmp_path / "a" / "c.txt", b"see text here")
    _write(tmp_path / "notes.csv", b"ignored,not,an,article")
    _write(tmp_path / ".hidden" / "x.txt", b"hidden")
    loaded = load_articles([tmp_path])
    assert [a.id for a in loaded.articles] == ["c", "z", "b"]


def test_jsonl_fields_and_optional_metadata(tmp_path: Path) -> None:
    rows = [
        {"id": "one", "text": "First article.", "title": "T", "url": "http://x", "source": "S", "lang": "en"},
        {"id": 2, "text": "Second article.", "published": "2023-10-06"},
    ]
    p = _write(tmp_path / "in.jsonl", "\n".join(json.dumps(r) for r in rows).encode())
    loaded = load_articles([p])
    assert [a.id for a in loaded.articles] == ["one", "2"]
    assert loaded.articles[0].title == "T" and loaded.articles[0].lang == "en"
    assert loaded.articles[1].published == "2023-10-06"
    assert loaded.articles[1].origin.endswith("in.jsonl:2")


def test_stdin_dash_reads_jsonl() -> None:
    stdin = io.BytesIO(b'{"id": "s1", "text": "From stdin."}\n')
    loaded = load_articles(["-"], stdin=stdin)
    assert [a.id for a in loaded.articles] == ["s1"]
    assert loaded.articles[0].origin == "<stdin>:1"


def test_bad_inputs_each_get_an_error_and_the_rest_goes_on(tmp_path: Path) -> None:
    good1 = _write(tmp_path / "good1.txt", b"A good article about the summit.")
    bad_utf8 = _write(tmp_path / "bad.txt", b"caf\xe9 au lait")
    binary = _write(tmp_path / "bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    empty = _write(tmp_path / "empty.txt", b"  \n\t\n")
    lines = [
        b'{"id": "j1", "text": "Good line."}',
        b'{"id": "j2", "text": ',  # malformed
        b'["not", "an", "object"]',
        b'{"text": "no id"}',
        b'{"id": "j3"}',
        b'{"id": "j1", "text": "Same id again."}',  # duplicate id
        b'{"id": "j4", "text": ""}',
        b'{"id": "j5", "text": "Last good line."}',
    ]
    jl = _write(tmp_path / "batch.jsonl", b"\n".join(lines) + b"\n")
    good2 = _write(tmp_path / "good2.txt", b"Another good article.")
    dup = _write(tmp_path / "sub" / "good1.txt", b"Same stem as an earlier file.")
    missing = tmp_path / "nope.txt"
    loaded = load_articles([good1, bad_utf8, binary, empty, jl, good2, dup, missing])

    assert [a.id for a in loaded.articles] == ["good1", "j1", "j5", "good2"]
    messages = {e.origin.replace(str(tmp_path), ""): e.message for e in loaded.errors}
    assert "invalid UTF-8 at byte 3" in messages["/bad.txt"]
    assert "binary" in messages["/bin.txt"]
    assert messages["/empty.txt"] == "empty text"
    assert "malformed JSON" in messages["/batch.jsonl:2"]
    assert "expected a JSON object" in messages["/batch.jsonl:3"]
    assert "missing or invalid 'id'" in messages["/batch.jsonl:4"]
    assert "missing or invalid 'text'" in messages["/batch.jsonl:5"]
    assert "duplicate id 'j1'" in messages["/batch.jsonl:6"]
    assert messages["/batch.jsonl:7"] == "empty text"
    assert "duplicate id 'good1'" in messages["/sub/good1.txt"]
    assert messages["/nope.txt"] == "no such file or directory"
    # every input line or file is accounted for: articles + errors
    assert len(loaded.articles) + len(loaded.errors) == 4 + 3 + 7 + 1


def test_huge_inputs_are_refused_not_read(tmp_path: Path) -> None:
    big = _write(tmp_path / "big.txt", b"word " * 1000)
    loaded = load_articles([big], max_bytes=1000)
    assert loaded.articles == []
    assert "too large" in loaded.errors[0].message
    line = json.dumps({"id": "x", "text": "y" * 2000}).encode()
    jl = _write(tmp_path / "big.jsonl", line + b"\n" + b'{"id": "ok", "text": "fine"}\n')
    loaded = load_articles([jl], max_bytes=1000)
    assert [a.id for a in loaded.articles] == ["ok"]
    assert "line too large" in loaded.errors[0].message
    assert MAX_ARTICLE_BYTES >= 1_000_000


def test_utf8_bom_is_not_part_of_the_text(tmp_path: Path) -> None:
    p = _write(tmp_path / "bom.txt", "\ufeffText after a BOM.".encode())
    (article,) = load_articles([p]).articles
    assert article.text == "Text after a BOM."


def test_iter_articles_is_lazy_and_in_order(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", b"first one")
    _write(tmp_path / "b.txt", b"")
    items = list(iter_articles([tmp_path]))
    assert [type(i).__name__ for i in items] == ["Article", "LoadError"]


def test_jsonl_with_a_byte_order_mark_crlf_blank_lines_and_no_final_newline(tmp_path: Path) -> None:
    """What Windows tools and `cat` of such files produce: every article is read, none is an error."""
    line_a = b'{"id": "a", "text": "First article body."}'
    line_b = b'{"id": "b", "text": "Second article body."}'
    path = tmp_path / "win.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + line_a + b"\r\n\r\n\xef\xbb\xbf" + line_b)
    loaded = load_articles([path])
    assert loaded.errors == []
    assert [(a.id, a.text, a.origin) for a in loaded.articles] == [
        ("a", "First article body.", f"{path}:1"),
        ("b", "Second article body.", f"{path}:3"),
    ]
