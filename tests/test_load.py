"""Loading: every input becomes an Article or a LoadError that says why; nothing is dropped."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest

from dedup.load import MAX_ARTICLE_BYTES, companions, iter_articles, load_articles
from dedup.model import LoadError


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
    assert [a.id for a in loaded.articles] == ["a/c", "a/z", "b"]  # a file's id: its path in the folder


def test_same_file_name_in_two_subfolders_is_two_articles(tmp_path: Path) -> None:
    """An archive kept by topic or date repeats file names (business/001.txt, sport/001.txt): each
    is its own article, named by its path inside the folder given; a file given by itself keeps
    its stem, and the same file reached both ways is the duplicate it is."""
    _write(tmp_path / "news" / "business" / "001.txt", b"Shares rose on Monday.")
    _write(tmp_path / "news" / "sport" / "001.txt", b"The match ended in a draw.")
    _write(tmp_path / "news" / "2026" / "11" / "001.md", b"A third story.")
    loaded = load_articles([tmp_path / "news"])
    assert [a.id for a in loaded.articles] == ["2026/11/001", "business/001", "sport/001"]
    assert loaded.errors == []
    again = load_articles([tmp_path / "news" / "sport", tmp_path / "news" / "sport" / "001.txt"])
    assert [a.id for a in again.articles] == ["001"]
    assert [e.message for e in again.errors] == [
        f"duplicate id '001' (first seen at {tmp_path}/news/sport/001.txt)"
    ]


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


# --- fifth session: input red-team ------------------------------------------------------------

GOOD = "The minister met the delegation in Geneva on Monday. Talks covered trade and energy.\n"


def test_utf16_is_named_in_the_error_with_or_without_a_byte_order_mark(tmp_path: Path) -> None:
    """Not "invalid UTF-8 at byte 0" nor a bare "binary": the error says UTF-16 and how to convert."""
    with_bom = _write(tmp_path / "a.txt", GOOD.encode("utf-16"))
    be_bom = _write(tmp_path / "b.txt", b"\xfe\xff" + GOOD.encode("utf-16-be"))
    no_bom = _write(tmp_path / "c.txt", GOOD.encode("utf-16-le"))
    nul = _write(tmp_path / "d.txt", GOOD.encode() + b"\x00" + GOOD.encode())
    loaded = load_articles([with_bom, be_bom, no_bom, nul])
    assert loaded.articles == []
    msgs = [(e.id, e.message) for e in loaded.errors]
    assert [i for i, _ in msgs] == ["a", "b", "c", "d"]
    assert all("UTF-16" in m and "iconv" in m for _, m in msgs[:3])
    assert msgs[3][1] == "binary content (NUL byte), not text"


def test_binary_files_are_named_by_what_they_are(tmp_path: Path) -> None:
    import gzip

    files = {
        "gz.txt": (gzip.compress(GOOD.encode()), "gzip"),
        "pdf.md": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        "png.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        "zip.txt": (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
    }
    paths = [_write(tmp_path / name, data) for name, (data, _) in files.items()]
    loaded = load_articles(paths)
    assert loaded.articles == []
    for err, (_, what) in zip(loaded.errors, files.values(), strict=True):
        assert err.message.startswith("binary content (") and what in err.message, err


def test_invalid_utf8_in_the_middle_is_an_error_naming_the_byte(tmp_path: Path) -> None:
    data = GOOD.encode() + b"caf\xe9 " + GOOD.encode()
    loaded = load_articles([_write(tmp_path / "mid.txt", data)])
    (err,) = loaded.errors
    assert f"invalid UTF-8 at byte {len(GOOD.encode()) + 3}" in err.message and "must be UTF-8" in err.message


def test_lone_surrogates_from_json_escapes_are_errors_not_crashes(tmp_path: Path) -> None:
    """JSON allows "\\ud800"; no UTF-8 output, hash or index can hold it, so the line is an error
    (the id is left out when it is the id that holds it, so the error itself can be printed)."""
    lines = [
        r'{"id": "t", "text": "Talks \ud800 in Geneva."}',
        r'{"id": "i\udc00", "text": "Talks in Geneva."}',
        r'{"id": "m", "text": "Talks in Geneva.", "title": "Bad \udfff title"}',
        r'{"id": "pair", "text": "A pair \ud83d\ude00 is one character."}',
    ]
    loaded = load_articles([_write(tmp_path / "s.jsonl", "\n".join(lines).encode())])
    assert [(a.id, a.text) for a in loaded.articles] == [("pair", "A pair \U0001f600 is one character.")]
    msgs = [(e.id, e.message) for e in loaded.errors]
    assert msgs == [
        ("t", "'text' is not valid Unicode (lone surrogate at character 6)"),
        (None, "'id' is not valid Unicode (lone surrogate at character 1)"),
        ("m", "'title' is not valid Unicode (lone surrogate at character 4)"),
    ]
    for e in loaded.errors:
        json.dumps(e.to_json(), ensure_ascii=False).encode("utf-8")  # printable


def test_ids_with_control_characters_or_line_breaks_are_errors(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "a\nb", "text": GOOD}), json.dumps({"id": "ok", "text": GOOD})]
    loaded = load_articles([_write(tmp_path / "ids.jsonl", "\n".join(lines).encode())])
    assert [a.id for a in loaded.articles] == ["ok"]
    assert "control character or line break ('\\n' at character 1)" in loaded.errors[0].message
    named = _write(tmp_path / "x\ty.txt", GOOD.encode())
    (err,) = load_articles([named]).errors
    assert (
        err.origin.endswith("x\\ty.txt") and "file name (the id) contains a control character" in err.message
    )


def test_a_file_name_that_is_not_utf8_is_an_error_with_a_printable_origin(tmp_path: Path) -> None:
    import os

    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(raw, "wb") as fh:
        fh.write(GOOD.encode())
    loaded = load_articles([tmp_path])
    (err,) = loaded.errors
    assert err.origin.endswith("caf\\xe9.txt") and "file name is not valid UTF-8" in err.message
    err.origin.encode("utf-8")


def test_json_that_is_not_an_object_names_the_json_type(tmp_path: Path) -> None:
    lines = [b"null", b"[1]", b'"s"', b"3", b"true", b"[" * 100_000, b'{"id": 1.5, "text": "x"}']
    loaded = load_articles([_write(tmp_path / "t.jsonl", b"\n".join(lines))])
    assert [e.message for e in loaded.errors] == [
        "expected a JSON object, got null",
        "expected a JSON object, got an array",
        "expected a JSON object, got a string",
        "expected a JSON object, got a number",
        "expected a JSON object, got a boolean",
        "malformed JSON: nested too deeply",
        "missing or invalid 'id' (a string or an integer is required)",
    ]


def test_a_jsonl_file_that_is_binary_or_utf16_is_one_error(tmp_path: Path) -> None:
    import gzip

    row = json.dumps({"id": "a", "text": GOOD}) + "\n"
    gz = _write(tmp_path / "gz.jsonl", gzip.compress((row * 200).encode()))
    u16 = _write(tmp_path / "u16.jsonl", (row * 3).encode("utf-16"))
    loaded = load_articles([gz, u16])
    assert loaded.articles == []
    assert [(e.origin, e.message.split(",")[0]) for e in loaded.errors] == [
        (str(gz), "binary content (gzip-compressed data)"),
        (str(u16), "UTF-16 text"),
    ]


def test_utf16_lines_without_a_mark_say_so(tmp_path: Path) -> None:
    row = json.dumps({"id": "a", "text": GOOD}) + "\n"
    loaded = load_articles([_write(tmp_path / "u.jsonl", row.encode("utf-16-le"))])
    assert loaded.articles == [] and loaded.errors
    assert all("UTF-16 or binary data" in e.message for e in loaded.errors)


def test_a_huge_line_is_measured_in_pieces_and_the_next_line_still_read(tmp_path: Path) -> None:
    big = json.dumps({"id": "big", "text": "word " * 5000})
    p = _write(tmp_path / "big.jsonl", (big + "\n" + json.dumps({"id": "ok", "text": GOOD})).encode())
    loaded = load_articles([p], max_bytes=1000)
    assert [a.id for a in loaded.articles] == ["ok"]
    (err,) = loaded.errors
    # the whole line is measured, its newline included, as the Spark reader measures it
    assert err.message == f"line too large: {len(big) + 1:,} bytes (limit 1,000)" and err.origin.endswith(
        ":1"
    )
    # a huge line with no newline at the end of the file
    p2 = _write(tmp_path / "tail.jsonl", big.encode())
    assert load_articles([p2], max_bytes=1000).errors[0].message.startswith(f"line too large: {len(big):,}")


def test_a_broken_link_in_a_folder_is_an_error_not_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", GOOD.encode())
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    loaded = load_articles([tmp_path])
    assert [a.id for a in loaded.articles] == ["a"]
    msgs = {Path(e.origin).name: e.message for e in loaded.errors}
    assert set(msgs) == {"gone.txt", "loop.txt"} and all(m.startswith("cannot read") for m in msgs.values())
    (err,) = load_articles([tmp_path / "loop.txt"]).errors  # named directly: not "no such file"
    assert "symbolic link" in err.message


def test_a_directory_where_a_file_is_expected_and_skipped_files_are_said(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "dir.txt").mkdir()
    _write(tmp_path / "dir.txt" / "inner.txt", GOOD.encode())
    _write(tmp_path / "notes.json", b"{}")
    _write(tmp_path / "page.html", b"<p>")
    from dedup.load import load_text_file

    err = load_text_file(tmp_path / "dir.txt")
    assert isinstance(err, LoadError) and "a directory where a file was expected" in err.message
    with caplog.at_level(logging.WARNING, logger="dedup"):
        loaded = load_articles([tmp_path])
    assert [a.id for a in loaded.articles] == ["dir.txt/inner"]  # a folder named *.txt is walked
    assert "skipped 2 file(s) that are not articles (1 .html, 1 .json)" in caplog.text


def test_a_pipe_is_read_up_to_the_limit_only(tmp_path: Path) -> None:
    """A FIFO or /dev/fd/N (`<(zcat ...)`) has no size to check first: the read stops at the limit."""
    import os
    import threading

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as fh:
            try:
                fh.write(b"word " * 10_000)
            except BrokenPipeError:
                pass

    t = threading.Thread(target=feed)
    t.start()
    (err,) = load_articles([fifo], max_bytes=1000).errors
    t.join(timeout=10)
    assert err.message == "too large: more than 1,000 bytes (limit 1,000)"


def test_a_json_file_named_directly_is_an_error_not_prose(tmp_path: Path) -> None:
    p = _write(tmp_path / "rows.json", json.dumps({"id": "a", "text": GOOD}).encode())
    (err,) = load_articles([p]).errors
    assert err.id == "rows" and "a .json file is not an article" in err.message


def test_a_jsonl_file_with_cr_line_ends_says_so(tmp_path: Path) -> None:
    rows = [json.dumps({"id": i, "text": GOOD}) for i in ("a", "b")]
    loaded = load_articles([_write(tmp_path / "mac.jsonl", "\r".join(rows).encode())])
    (err,) = loaded.errors
    assert "Extra data" in err.message and "CR line ends, JSONL needs LF or CRLF" in err.message
    two = _write(tmp_path / "two.jsonl", " ".join(rows).encode())
    assert load_articles([two]).errors[0].message.endswith("(one JSON object a line)")


def test_a_path_that_may_not_be_looked_into_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EACCES on a parent folder makes `Path.is_dir` raise (root is never refused, so it is faked)."""
    good = _write(tmp_path / "ok.txt", GOOD.encode())
    locked = tmp_path / "locked" / "a.txt"
    real = Path.is_dir

    def is_dir(self: Path) -> bool:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "is_dir", is_dir)
    loaded = load_articles([locked, good])
    assert [a.id for a in loaded.articles] == ["ok"]
    assert loaded.errors[0].message == "cannot read: Permission denied"


def test_a_text_that_opens_like_a_file_signature_is_still_text(tmp_path: Path) -> None:
    """Signatures name binary data; they never refuse text ("GIF89a" is also a word in prose)."""
    p = _write(tmp_path / "gif.txt", b"GIF89a turned 35 this year. Animated images still rule the web.\n")
    (article,) = load_articles([p]).articles
    assert article.text.startswith("GIF89a turned")


def test_control_characters_beyond_one_in_a_hundred_mean_binary(tmp_path: Path) -> None:
    body = b"x" * 200
    few = _write(tmp_path / "few.txt", body + bytes([1, 2, 3, 4, 5, 6, 7, 8]))  # 8: max(8, 1%)
    many = _write(tmp_path / "many.txt", body + bytes([1, 2, 3, 4, 5, 6, 7, 8, 14]) + "é".encode())
    loaded = load_articles([few, many])
    assert [a.id for a in loaded.articles] == ["few"]
    assert loaded.errors[0].message == "binary content (9 control characters), not text"


def test_metadata_that_is_not_a_string_or_number_is_an_error_not_a_python_repr(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": GOOD, "title": ["Part", "one"]}),
        json.dumps({"id": "b", "text": GOOD, "published": {"year": 2024}}),
        json.dumps({"id": "c", "text": GOOD, "lang": True}),
        json.dumps({"id": "d", "text": GOOD, "published": 1709596800, "source": 7.5}),
    ]
    loaded = load_articles([_write(tmp_path / "m.jsonl", "\n".join(lines).encode())])
    assert [(a.id, a.published, a.source) for a in loaded.articles] == [("d", "1709596800", "7.5")]
    assert [(e.id, e.message) for e in loaded.errors] == [
        ("a", "'title' must be a string or a number, not an array"),
        ("b", "'published' must be a string or a number, not an object"),
        ("c", "'lang' must be a string or a number, not a boolean"),
    ]


def test_stdin_named_twice_is_an_error_not_an_empty_second_read() -> None:
    stdin = io.BytesIO(b'{"id": "s1", "text": "From stdin."}\n')
    loaded = load_articles(["-", "-"], stdin=stdin)
    assert [a.id for a in loaded.articles] == ["s1"]
    assert [(e.origin, e.message) for e in loaded.errors] == [
        ("<stdin>", "stdin (-) is given twice; it is read once")
    ]


def test_an_id_longer_than_the_limit_is_an_error_and_the_others_load(tmp_path: Path) -> None:
    """An id is printed in every output row, report line and index entry: a 100 KB "id" (a text in
    the wrong field) is an error naming its length; one at the limit is an id."""
    from dedup.load import MAX_ID_CHARS

    lines = [
        json.dumps({"id": "u" * (MAX_ID_CHARS + 1), "text": GOOD}),
        json.dumps({"id": "v" * MAX_ID_CHARS, "text": GOOD}),
    ]
    loaded = load_articles([_write(tmp_path / "long.jsonl", "\n".join(lines).encode())])
    assert [a.id for a in loaded.articles] == ["v" * MAX_ID_CHARS]
    assert loaded.errors[0].origin.endswith("long.jsonl:1")
    assert f"'id' is {MAX_ID_CHARS + 1:,} characters long" in loaded.errors[0].message


def test_a_record_may_bring_a_reference_and_a_source_for_the_check(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "text": "Text one.", "ref": "An English report.", "src": "Der Text."},
        {"id": "b", "text": "Text two.", "ref": ""},
        {"id": "c", "text": "Text three.", "src": ["not", "text"]},
        {"id": "d", "text": "Text four.", "ref": None},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    loaded = load_articles([str(src)])
    a, d = loaded.articles
    assert (a.ref, a.src, d.ref) == ("An English report.", "Der Text.", None)
    assert "ref" not in a.to_json() and "src" not in a.to_json()  # texts, not metadata
    why = {e.id: e.message for e in loaded.errors}
    assert why == {
        "b": "'ref' must be a non-empty text, not empty",
        "c": "'src' must be a non-empty text, not an array",
    }
    assert [x.id for x in companions(a).values()] == ["a (ref)", "a (src)"]
