"""Boilerplate and metadata spans: found by rule, exact offsets, never overlapping."""

from __future__ import annotations

from dedup.text.boilerplate import find_boilerplate
from dedup.text.dates import parse_date


def _kinds(text: str) -> list[tuple[str, str]]:
    spans, _ = find_boilerplate(text)
    return [(b.kind, text[b.start : b.end]) for b in spans]


def test_seed_english_ads_also_read_and_repeated_lead(seed_en_text: str) -> None:
    spans, _ = find_boilerplate(seed_en_text)
    lines = [ln.strip() for ln in seed_en_text.splitlines()]
    found = {seed_en_text[b.start : b.end] for b in spans}
    ads = [ln for ln in lines if ln == "Advertisement"]
    also = [ln for ln in lines if ln.startswith("ALSO READ")]
    assert len(ads) >= 5 and len(also) == 2
    assert sum(1 for b in spans if b.kind == "advertisement") == len(ads)
    assert set(also) <= found
    repeats = [b for b in spans if b.kind == "repeat"]
    assert len(repeats) == 1
    rep = repeats[0]
    first = seed_en_text.find(seed_en_text[rep.start : rep.end])
    assert rep.of == first < rep.start  # the later copy is the boilerplate, pointing at the first


def test_seed_translation_related_block_and_publish_day(seed_mt_text: str) -> None:
    spans, meta = find_boilerplate(seed_mt_text)
    related = [" ".join(seed_mt_text[b.start : b.end].split()) for b in spans if b.kind == "related"]
    assert len(related) == 1
    assert related[0].startswith("(Related:") and related[0].endswith("| more articles)")
    assert [(m.kind, m.value) for m in meta] == [("published", "2023-10-06")]


def test_standalone_marker_lines() -> None:
    text = (
        "Headline here\n\nFirst paragraph of the story is here.\n\nADVERTISEMENT\n\n"
        "Story continues below advertisement\n\nRead more: Another story entirely\n\n"
        "Second paragraph.\n\nFollow us on Twitter for updates\n"
    )
    assert _kinds(text) == [
        ("advertisement", "ADVERTISEMENT"),
        ("advertisement", "Story continues below advertisement"),
        ("also_read", "Read more: Another story entirely"),
        ("promo", "Follow us on Twitter for updates"),
    ]


def test_marker_words_inside_sentences_are_not_boilerplate() -> None:
    text = (
        "The advertisement ran for weeks.\n"
        "Readers should also read the fine print before signing.\n"
        "Related parties were named in the filing.\n"
    )
    assert _kinds(text) == []


def test_ad_marker_glued_to_the_next_line() -> None:
    text = "AdvertisementShares rose sharply on Monday.\nMore text follows here."
    assert _kinds(text) == [("advertisement", "Advertisement")]


def test_related_block_without_more_articles_ends_at_its_bracket() -> None:
    text = "Officials met on Monday (see also: Talks stall (again) in Geneva) and agreed to meet again."
    assert _kinds(text) == [("related", "(see also: Talks stall (again) in Geneva)")]


def test_related_block_ends_at_more_articles_even_with_a_stray_bracket() -> None:
    text = "Talks ended. (Related: Envoy visits Paris!) Minister: we want peace | more articles). Next."
    assert _kinds(text) == [
        ("related", "(Related: Envoy visits Paris!) Minister: we want peace | more articles)")
    ]


def test_repeated_paragraph_is_marked_once_short_lines_are_not() -> None:
    para = "The committee voted to approve the budget after a long debate on Tuesday night."
    text = f"Title\n\n{para}\n\nYes.\n\nMiddle paragraph with other words in it.\n\n{para}\n\nYes.\n"
    spans, _ = find_boilerplate(text)
    assert [(b.kind, text[b.start : b.end]) for b in spans] == [("repeat", para)]
    assert spans[0].of == text.index(para)


def test_metadata_lines_are_parsed() -> None:
    text = (
        "Headline\nBy Jane Q. Doe and Ali Khan\nPublished: October 6, 2023\n"
        "WASHINGTON (Reuters) - The talks began on Monday.\nUpdated on 2024/01/02\n"
    )
    spans, meta = find_boilerplate(text)
    got = [(m.kind, m.value, text[m.start : m.end]) for m in meta]
    assert got == [
        ("byline", "Jane Q. Doe and Ali Khan", "By Jane Q. Doe and Ali Khan"),
        ("published", "2023-10-06", "Published: October 6, 2023"),
        ("dateline", "WASHINGTON (Reuters)", "WASHINGTON (Reuters) - "),
        ("updated", "2024-01-02", "Updated on 2024/01/02"),
    ]
    assert all(b.kind == "metadata" for b in spans)


def test_parse_date_formats() -> None:
    assert parse_date("2023.10.06") == "2023-10-06"
    assert parse_date("6 Oct. 2023") == "2023-10-06"
    assert parse_date("Sept 30th, 2021 10:00") == "2021-09-30"
    assert parse_date("2023年10月6日") == "2023-10-06"
    assert parse_date("31.12.2020") == "2020-12-31"
    assert parse_date("2023-02-30") is None
    assert parse_date("no date here") is None


def test_a_short_line_ending_in_its_call_to_action_is_promo() -> None:
    """Newsletter stubs end with the call ("... Sign up!"); a body sentence that merely mentions
    signing up is not one."""
    promo = "We'll send breaking news and analysis to your inbox as it happens! Sign up!"
    text = f"Storm hits coast\n\nThe storm reached the coast on Monday.\n\n{promo}\n\nResidents were urged to sign up.\n"
    found, _ = find_boilerplate(text)
    assert [(b.kind, text[b.start : b.end]) for b in found] == [("promo", promo)]


def test_a_bare_call_to_action_takes_its_offer_line_with_it() -> None:
    """ "Sign up!" on its own line is promo, and so is the line before it when that line offers news
    by e-mail or alerts; an ordinary body line before a stray "Sign up!" stays body."""
    offer = "We'll send breaking news and news alerts to you as they happen!"
    text = f"Fire at zoo\n\nThe fire started at night.\n\n{offer}\n\nSign up!\n\nKeepers were unhurt.\n\nSign up!\n"
    found, _ = find_boilerplate(text)
    assert [(b.kind, text[b.start : b.end]) for b in found] == [
        ("promo", offer),
        ("promo", "Sign up!"),
        ("promo", "Sign up!"),
    ]
