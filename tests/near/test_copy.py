"""The copy level's exact similarity: copies high, templated siblings and unrelated articles low."""

from __future__ import annotations

import numpy as np

from dedup.near.copy import CopyLevel, decode_payload
from tests.near.corpus import article, copy_of, templated


def _payloads(level: CopyLevel, texts: list[str]) -> list[bytes]:
    _, payloads = level.sketch_texts(texts)
    assert all(p is not None for p in payloads)
    return payloads  # type: ignore[return-value]


def test_copy_similar_template_and_unrelated_not() -> None:
    lv = CopyLevel()
    base = article(1)
    p_base, p_copy, p_heavy, p_tmpl, p_other = _payloads(
        lv,
        [
            base,
            copy_of(base, 2),
            copy_of(base, 3, replace=0.05, truncate=0.6),
            templated(base, 4),
            article(5),
        ],
    )
    assert lv.similarity(p_base, p_copy) >= lv.verify_threshold
    assert lv.similarity(p_base, p_heavy) >= lv.verify_threshold
    assert lv.similarity(p_base, p_tmpl) < lv.verify_threshold
    assert lv.similarity(p_base, p_other) < 0.1
    assert lv.similarity(p_base, p_base) == 1.0


def test_similarity_is_symmetric_and_batch_equal() -> None:
    lv = CopyLevel()
    base = article(11)
    ps = _payloads(lv, [base, copy_of(base, 1), templated(base, 2), article(12), "Short text only."])
    pairs = [(a, b) for a in ps for b in ps]
    many = lv.similarity_many(pairs)
    one = np.array([lv.similarity(a, b) for a, b in pairs])
    assert np.array_equal(many, one)
    assert all(lv.similarity(a, b) == lv.similarity(b, a) for a, b in pairs)


def test_short_text_inside_long_one_is_not_a_copy() -> None:
    lv = CopyLevel()
    base = article(21)
    first_para = base.split("\n\n")[1].split(". ")[0]
    p_base, p_part = _payloads(lv, [base, first_para])
    assert lv.similarity(p_base, p_part) < lv.verify_threshold


def test_empty_text_has_no_sketch() -> None:
    lv = CopyLevel()
    sig, payloads = lv.sketch_texts(["", "Advertisement\n", article(3)])
    assert payloads[0] is None and payloads[1] is None and payloads[2] is not None
    assert sig.shape == (3, 128)


def test_payload_round_trip() -> None:
    lv = CopyLevel()
    (p,) = _payloads(lv, [article(8)])
    shingles, keys = decode_payload(p)
    assert np.all(np.diff(shingles.astype(np.int64)) > 0) and np.all(np.diff(keys.astype(np.int64)) > 0)
    assert len(keys) > 0


def test_boilerplate_lines_are_cut_before_shingling() -> None:
    lv = CopyLevel()
    body = "Harbour council approved the budget for 2025.\n\nEngineers in Bergen welcomed the tender."
    noisy = (
        "By Ada Byrne\n\nAdvertisement\n\n"
        + body.replace("\n\n", "\n\nALSO READ | Another story here\n\n")
        + " (Related: strikes at the port | more articles)\n\nFollow us on Twitter for the latest news\n"
    )
    (clean,), (dirty,) = lv.sketch_texts([body])[1], lv.sketch_texts([noisy])[1]
    assert clean is not None and dirty is not None
    assert decode_payload(clean)[0].tolist() == decode_payload(dirty)[0].tolist()
    # A body line that merely opens like a byline stays.
    kept = "By the end of the year the harbour council approved the budget."
    assert lv.sketch_texts([kept])[1][0] is not None
    assert decode_payload(lv.sketch_texts([kept])[1][0])[0].size > 3  # type: ignore[arg-type]


def test_batch_payloads_equal_single_encoding() -> None:
    from dedup.near.copy import encode_payload

    lv = CopyLevel()
    _, payloads = lv.sketch_texts([article(1), "", article(2)])
    for p in payloads:
        if p is not None:
            s, k = decode_payload(p)
            assert encode_payload(s, k) == p
    assert payloads[1] is None


def test_chinese_copy_found_and_other_text_not() -> None:
    lv = CopyLevel()
    base = (
        "上海市政府今天宣布，新的港口预算将在明年三月开始执行。工程师表示，大桥的招标工作已经完成。"
        "居民对这个计划表示欢迎，但是也有人担心交通问题会更加严重。市长说，政府会继续听取意见。"
    )
    edited = base.replace("欢迎", "支持").replace("市长说，", "市长在记者会上说，")
    other = "北京的博物馆举办了一场新的展览，吸引了很多游客。专家认为这些画作非常珍贵，值得保护。"
    p_base, p_copy, p_other = _payloads(lv, [base, edited, other])
    assert lv.similarity(p_base, p_copy) >= lv.verify_threshold
    assert lv.similarity(p_base, p_other) < 0.2


def test_other_line_breaks_read_as_line_breaks() -> None:
    """A copy whose lines end in lone CRs, U+2028, NEL, VT or FF (old CMS exports) is the same copy:
    its ad and "ALSO READ" lines are cut as they are with "\\n" (the boilerplate finder reads lines at
    "\\n", so the copy level reads the text steps' same-length line view)."""
    lv = CopyLevel()
    text = copy_of(article(21), 22).replace(
        "\n\n", "\n\nALSO READ | Zebra quokka narwhal tapir ocelot\n\n", 1
    )
    (p_lf,) = _payloads(lv, [text])
    for sep in ("\r", "\u2028", "\x85", "\x0b", "\x0c"):
        (p_other,) = _payloads(lv, [text.replace("\n", sep)])
        assert np.array_equal(decode_payload(p_other)[0], decode_payload(p_lf)[0]), repr(sep)
        assert np.array_equal(decode_payload(p_other)[1], decode_payload(p_lf)[1]), repr(sep)
