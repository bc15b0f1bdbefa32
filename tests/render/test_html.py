"""The HTML string: escaping of untrusted text, exact offsets, structure, caps, determinism."""

from __future__ import annotations

import html
import json
import re
import shlex

import pytest

from dedup.render.html import Limits, data_island, render_corpus, render_pair
from tests.render.fixtures import MT_TEXT, REF_TEXT, make_check, make_corpus, walk

SAFE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "div", "span", "code", "section",
    "table", "tr", "th", "td", "b", "p", "label", "input", "mark", "ul", "li", "main", "footer", "details",
    "summary", "svg", "text", "rect", "script", "del", "ins", "select", "option", "dl", "dt", "dd",
}  # fmt: skip


@pytest.fixture(scope="module")
def pair_html() -> str:
    return render_pair(make_check(), MT_TEXT, REF_TEXT)


def _island(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


def _scripts(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", html, re.I)


def test_only_our_two_scripts_and_no_live_markup_from_articles(pair_html: str) -> None:
    assert _scripts(pair_html) == ['<script type="application/json" id="report-data">', "<script>"]
    low = pair_html.lower()
    for live in ("<img", "<svg onload", "<a href", 'onerror="', "</textarea>"):
        assert live not in low, live
    elements = walk(pair_html, "mt-text").all_elements
    assert {t for t, _ in elements} <= SAFE_TAGS
    for _tag, attrs in elements:
        assert not [a for a in attrs if a.startswith("on") or a in ("href", "src", "action", "srcdoc")], attrs
    # the hostile text is still shown, escaped
    assert "&lt;script&gt;window.__pwned = 1;" in pair_html
    assert "&lt;img src=x onerror=" in pair_html


def test_data_island_round_trips_and_hides_every_angle_bracket(pair_html: str) -> None:
    chk = make_check()
    island = _island(pair_html)  # the first </script> is the island's own end: nothing broke out
    assert island["check"]["flags"] == chk["flags"]
    assert island["alignment"]["links"] == chk["alignment"]["links"]
    raw = str(data_island({"t": "</script><!-- <b> & \u2028"}))
    assert "<" not in raw and ">" not in raw and "&" not in raw and "\u2028" not in raw
    assert json.loads(raw) == {"t": "</script><!-- <b> & \u2028"}


def test_article_text_is_reproduced_exactly_and_well_nested(pair_html: str) -> None:
    for root, text in (("mt-text", MT_TEXT), ("ref-text", REF_TEXT)):
        w = walk(pair_html, root)
        assert w.errors == []
        assert "".join(w.text) == text


def test_flag_spans_and_sentences_cover_exactly_their_offsets(pair_html: str) -> None:
    chk = make_check()
    w = walk(pair_html, "mt-text")
    for k, f in enumerate(chk["flags"]):
        assert "".join(w.by_attr[("data-flags", str(k))]) == MT_TEXT[f["start"] : f["end"]] == f["text"]
    for k, s in enumerate(chk["mt"]["sentences"]):
        assert "".join(w.by_attr[("data-s", str(k))]) == MT_TEXT[s["start"] : s["end"]]
    # the flag crossing a sentence boundary is split into pieces of two sentences
    cross = next(k for k, f in enumerate(chk["flags"]) if f["kind"] == "boilerplate_in_body")
    assert len(w.by_attr[("data-flags", str(cross))]) >= 2
    r = walk(pair_html, "ref-text")
    ev = chk["flags"][[f["kind"] for f in chk["flags"]].index("merged_tokens")]["evidence"][0]
    assert "".join(r.by_attr[("data-ev", "2")]) == REF_TEXT[ev["start"] : ev["end"]]


def test_unmatched_boilerplate_and_tooltips(pair_html: str) -> None:
    w = walk(pair_html, "mt-text")
    unmatched = [a for t, a in w.elements if "unmatched" in (a.get("class") or "")]
    assert {a["data-s"] for a in unmatched} == {"5"}
    bps = [a for t, a in w.elements if a.get("class") == "bp"]
    assert bps and "advertisement" in bps[0]["title"]
    marks = [a for t, a in w.elements if t == "mark"]
    merged = next(a for a in marks if "merged_tokens" in (a.get("data-kinds") or ""))
    assert (
        "two names glued together <b>bold</b>" in merged["title"]
    )  # escaped in the attribute, intact when parsed
    assert "stands alone in the reference" in merged["title"]
    assert "sev-major" in merged["class"]


def test_header_has_verdict_scores_signatures_and_counts(pair_html: str) -> None:
    assert 'class="verdict v-reject"' in pair_html
    assert "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.4.2" in pair_html
    assert "&lt;i&gt;odd&lt;/i&gt;" in pair_html and "&lt;/script&gt;" in pair_html
    counts = pair_html[pair_html.index('id="flag-counts"') : pair_html.index('class="legend"')]
    assert re.search(r"<td>foreign_script</td><td class=\"n\">2</td><td class=\"n\">0</td>", counts)
    assert re.search(
        r"<th>all</th><th class=\"n\">3</th><th class=\"n\">4</th><th class=\"n\">7</th>", counts
    )


def test_heatmap_is_inline_svg_with_links_outlined(pair_html: str) -> None:
    svg = pair_html[pair_html.index("<svg") : pair_html.index("</svg>")]
    assert svg.count("<rect") == 6 * 5
    assert svg.count('class="hm-c hm-link"') == 5  # 0-0, 1-1, 2-2, 3-3, 4-3


def test_no_network_and_csp_allows_only_our_script(pair_html: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", pair_html)
    assert "http:" not in pair_html and "https:" not in pair_html
    assert "url(" not in pair_html and "@import" not in pair_html  # no CSS fetches either
    csp = re.search(r'Content-Security-Policy" content="([^"]*)"', pair_html).group(1)
    assert "script-src 'sha256-" in csp and "unsafe-inline' ;" not in csp.split("script-src")[1].split(";")[0]


def test_deterministic() -> None:
    assert render_pair(make_check(), MT_TEXT, REF_TEXT) == render_pair(make_check(), MT_TEXT, REF_TEXT)


def test_without_reference_renders_mt_alone() -> None:
    chk = make_check()
    chk["ref"] = None
    html = render_pair(chk, MT_TEXT, None)
    assert 'id="ref-text"' not in html and "<svg" not in html
    assert "".join(walk(html, "mt-text").text) == MT_TEXT
    assert "unmatched" not in html.split('id="mt-text"')[1].split("</div>")[0]


def test_out_of_range_offsets_are_clamped_not_fatal() -> None:
    chk = make_check()
    chk["flags"].append(
        {
            "start": len(MT_TEXT) - 3,
            "end": len(MT_TEXT) + 50,
            "text": "x",
            "kind": "k",
            "severity": "minor",
            "message": "",
        }
    )
    chk["mt"]["sentences"].append({"start": 10, "end": 5})
    html = render_pair(chk, MT_TEXT, REF_TEXT)
    assert "".join(walk(html, "mt-text").text) == MT_TEXT
    assert "flag text differs" in html


def test_negative_offsets_name_the_same_text_in_the_list_as_in_the_article() -> None:
    """Python slices negative offsets from the end; the highlight clamps them to 0: the lists must too."""
    text = "Alpha beta gamma delta epsilon."
    flags = [{"start": -5, "end": 3, "kind": "k", "severity": "minor", "message": "m"}]
    pair = render_pair({"mt": {"id": "a"}, "flags": flags}, text)
    assert "".join(walk(pair, "mt-text").by_attr[("data-flags", "0")]) == "Alp"
    assert re.search(r'<td class="text"><code>Alp</code>', pair)
    corpus = render_corpus(None, {"a": text}, {"a": {"flags": flags}})
    assert re.search(r'<mark class="flag sev-minor" title="m">Alp</mark>', corpus)


# ---------------------------------------------------------------- corpus


def test_corpus_clusters_diff_and_escaping() -> None:
    scan, texts, checks = make_corpus()
    html = render_corpus(scan, texts, checks, title="t <b>")
    assert _scripts(html) == ['<script type="application/json" id="report-data">', "<script>"]
    assert "<img" not in html.lower() and "</textarea>" not in html.lower()
    assert "<title>t &lt;b&gt;</title>" in html
    copy = html[html.index('id="copy-a1"') : html.index('id="story-clusters"')]
    assert "<del>3,000</del> <ins>3,500</ins>" in copy  # the word diff against the earliest member
    assert "<ins>(updated)</ins>" in copy
    assert "0.86" in copy
    island = _island(html)
    rows = {d["id"]: d for d in island["documents"]}
    assert rows["a2"]["copy"] == "a1" and rows["b1"]["story"] == "a1" and rows["b1"]["copy"] == ""
    assert rows["x"]["major"] == 1 and rows["x-de"]["lang"] == "de"
    assert 'data-lang="de"' in html


def test_corpus_caps_say_how_many_more() -> None:
    scan, texts, checks = make_corpus(n_clusters=60)
    html = render_corpus(scan, texts, checks, limits=Limits(clusters=10, documents=3))
    assert "49 more copy clusters not shown" in html  # 59 copy clusters, 10 shown
    assert html.count('class="cluster" data-level="copy"') == 10
    assert "2 more articles not listed" in html


def test_corpus_earliest_member_by_published_date() -> None:
    scan, texts, checks = make_corpus()
    meta = {"a2": {"published": "2020-01-01"}, "a1": {"published": "2021-01-01"}}
    html = render_corpus(scan, texts, checks, meta=meta)
    copy = html[html.index('id="copy-a1"') : html.index('id="story-clusters"')]
    assert 'a2 <span class="first-mark">earliest' in copy and 'a1 <span class="first-mark">' not in copy
    assert "<del>(updated)</del>" in copy


def test_heatmap_caps_and_scales() -> None:
    from dedup.render.heatmap import heatmap_svg

    svg, more_rows, more_cols = heatmap_svg([[0.1] * 10 for _ in range(200)], {(0, 0)}, max_cells=120)
    assert (more_rows, more_cols) == (80, 0)
    assert str(svg).count("<rect") == 120 * 10
    assert 'fill="#1754a0"' in str(svg)  # the matrix maximum gets the darkest colour
    empty, _, _ = heatmap_svg([])
    assert str(empty) == ""


def test_flag_list_is_capped_but_every_flag_stays_highlighted() -> None:
    chk = make_check()
    chk["flags"].append(
        {"start": "x", "end": None, "kind": "broken", "severity": "minor", "message": "bad offsets"}
    )
    html = render_pair(chk, MT_TEXT, REF_TEXT, limits=Limits(flags_listed=3))
    assert html.count('<tr id="flag-') == 3
    assert "5 more flags not listed" in html
    w = walk(html, "mt-text")
    assert {k for (attr, k) in w.by_attr if attr == "data-flags"} == {str(k) for k in range(1, 8)}


def test_non_finite_scores_do_not_break_the_page() -> None:
    chk = make_check()
    chk["scores"]["bleu_empty"] = float("nan")
    chk["scores"]["ter"] = {"score": float("inf"), "signature": "sig"}
    html = render_pair(chk, MT_TEXT, REF_TEXT)
    assert _island(html)["check"]["scores"]["bleu_empty"] is None
    assert "n/a" in html


def test_scores_not_computed_are_named_not_shown_empty() -> None:
    chk = make_check()
    chk["ref"] = None
    chk["scores"] = {"words": 30, "chrf": None, "bleu": None, "signatures": {"chrf": None}}
    html = render_pair(chk, MT_TEXT, None)
    scores = html[html.index('id="scores"') : html.index('id="flag-counts"')]
    assert "Not computed without a reference: chrF, BLEU." in scores
    assert "<dt>words</dt><dd>30</dd>" in scores and "<dt>chrF</dt>" not in scores


def test_a_flag_over_a_whole_page_is_cut_in_the_lists_but_not_in_the_article() -> None:
    text = "Intro.\n\n" + "word " * 20_000 + "\n\nEnd."
    flag = {
        "start": 8,
        "end": 8 + 100_000,
        "kind": "boilerplate_in_body",
        "severity": "minor",
        "message": "m",
    }
    check = {"mt": {"id": "a"}, "flags": [flag], "verdict": "review"}
    pair = render_pair(check, text)
    assert "[… 99,600 more characters …]" in pair  # the flag list
    assert "".join(walk(pair, "mt-text").by_attr[("data-flags", "0")]) == text[8:100_008]  # the article
    corpus = render_corpus(None, {"a": text}, {"a": check})
    assert "[… 99,600 more characters …]" in corpus and len(corpus) < 40_000


def test_suggested_pair_command_quotes_file_names() -> None:
    pc = {"mt": {"id": "m"}, "ref": {"id": "r"}, "flags": [], "verdict": "accept"}
    meta = {"m": {"origin": "-rf.txt"}, "r": {"origin": "it's <b>.txt"}}
    page = render_corpus(None, {"m": "a", "r": "b"}, pair_checks=[pc], meta=meta)
    cmd = html.unescape(re.search(r"Side-by-side report: <code>(.*?)</code>", page).group(1))
    assert shlex.split(cmd) == [
        "dedup",
        "report",
        "./-rf.txt",
        "--ref",
        "it's <b>.txt",
        "-o",
        "reports/pair.html",
    ]


def test_long_ids_are_shown_cut_and_kept_whole_only_where_data_needs_them() -> None:
    """Ids can be URLs or anything a feed sends; a corpus page repeats each id in clusters, pairs,
    diffs and rows, so a 2,000-character id is shown as head and tail, and whole only in the data."""
    long = {k: f"https://example.com/{k}/" + "p" * 2000 for k in ("a", "b", "c")}
    texts = {long["a"]: "Storm hits coast\n\nA storm hit.", long["b"]: "Storm hits coast\n\nA storm hit!"}
    texts[long["c"]] = "Other news\n\nSomething else."
    scan = {
        "documents": [{"id": i} for i in texts],
        "clusters": [
            {
                "id": long[k],
                "level": lv,
                "members": [long["a"], long["b"]],
                "pairs": [{"a": long["a"], "b": long["b"], "similarity": 0.9}],
            }
            for k, lv in (("a", "copy"), ("a", "story"))
        ],
    }
    checks = {
        long["a"]: {"flags": [{"start": 0, "end": 5, "kind": "k", "severity": "minor", "message": "m"}]}
    }
    page = render_corpus(scan, texts, checks)
    # whole only in data: 5 in the data island (its id, and the two clusters named after it, for both
    # members), the row's data-id and search, the flagged article's data-id, the two clusters' anchors
    assert page.count(long["a"]) == 10
    assert page.count(long["c"]) <= 3
    assert "more characters …]" in page and "https://example.com/a/" in page
