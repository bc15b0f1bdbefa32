"""Reports in a real headless Chromium (Debian's /usr/bin/chromium driven by Selenium)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dedup.render.html import render_corpus, render_pair
from tests.render.fixtures import MT_TEXT, REF_TEXT, make_check, make_corpus

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = [
    pytest.mark.chromium,
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
        reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver); "
        "`make test` installs them",
    ),
]


def _chromium(profile: Path, *extra: str) -> Any:
    """Debian's headless Chromium through its chromedriver (Selenium downloads nothing), with the
    flags this machine needs (no background networking: its connections are refused here)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        *extra,
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    profile = tempfile.TemporaryDirectory(prefix="dedup-chromium-")
    driver = _chromium(Path(profile.name), "--window-size=1400,1000")
    try:
        yield driver
    finally:
        driver.quit()
        profile.cleanup()


def _open(browser: Any, html: str, path: Path) -> list[dict[str, Any]]:
    """Load the page from a file and return the console messages it produced."""
    path.write_text(html, encoding="utf-8")
    browser.get_log("browser")  # drop messages of earlier pages
    browser.get(path.as_uri())
    browser.execute_script("return document.readyState")
    return browser.get_log("browser")


def _severe(log: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in log if e.get("level") in ("SEVERE", "ERROR")]


@pytest.fixture(scope="module")
def pair_page(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    path = tmp_path_factory.mktemp("pair") / "pair.html"
    return _open(browser, render_pair(make_check(), MT_TEXT, REF_TEXT), path)


def test_pair_page_loads_without_console_errors(browser: Any, pair_page: list[dict[str, Any]]) -> None:
    assert _severe(pair_page) == []
    assert browser.execute_script("return document.querySelectorAll('mark.flag').length") >= 7
    # the JS ran (the filters it reveals are visible) and the data island parsed
    assert browser.execute_script("return document.getElementById('flag-filters').hidden") is False


def test_hostile_text_executes_nothing(browser: Any, pair_page: list[dict[str, Any]]) -> None:
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert browser.title != "pwned" and "pwned" not in browser.title.lower()
    assert (
        browser.execute_script("return document.querySelectorAll('img, textarea, a[href], iframe').length")
        == 0
    )
    # the page shows the hostile text as text
    body = browser.execute_script("return document.getElementById('mt-text').textContent")
    assert body == MT_TEXT


def test_highlighted_spans_match_the_flags(browser: Any, pair_page: list[dict[str, Any]]) -> None:
    got = browser.execute_script(
        """
        var out = {};
        document.querySelectorAll('#mt-text mark.flag').forEach(function (m) {
          m.getAttribute('data-flags').split(' ').forEach(function (k) { out[k] = (out[k] || '') + m.textContent; });
        });
        return out;
        """
    )
    flags = make_check()["flags"]
    assert got == {str(k): f["text"] for k, f in enumerate(flags)}
    title = browser.execute_script(
        "return document.querySelector('#mt-text mark[data-kinds~=\"merged_tokens\"]').title"
    )
    assert "merged_tokens" in title and "two names glued together <b>bold</b>" in title


def test_clicking_a_sentence_lights_up_its_counterpart(
    browser: Any, pair_page: list[dict[str, Any]], tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    # MT sentence 2 (index 1) is linked to reference sentence 2 (index 1)
    browser.find_element(By.CSS_SELECTOR, '#mt-text .s[data-s="1"]').click()
    lit = browser.execute_script(
        "return Array.from(document.querySelectorAll('#ref-text .s.lit')).map(e => e.getAttribute('data-s'))"
    )
    assert set(lit) == {"1"}
    assert browser.execute_script("return document.querySelectorAll('#mt-text .s.sel').length") >= 1
    assert "MT 2" in browser.find_element(By.ID, "info").text
    # a many-to-one link: clicking reference sentence 4 lights MT sentences 4 and 5
    browser.find_element(By.CSS_SELECTOR, '#ref-text .s[data-s="3"]').click()
    lit = browser.execute_script(
        "return Array.from(document.querySelectorAll('#mt-text .s.lit')).map(e => e.getAttribute('data-s'))"
    )
    assert set(lit) == {"3", "4"}
    assert (
        browser.execute_script("return document.querySelectorAll('#ref-text .s[data-s=\"1\"].lit').length")
        == 0
    )
    shot = tmp_path / "pair.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    assert _severe(browser.get_log("browser")) == []


def test_clicking_a_heatmap_cell_shows_both_sentences(browser: Any, pair_page: list[dict[str, Any]]) -> None:
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, 'svg.heatmap rect[data-mt="2"][data-ref="4"]').click()
    sel = browser.execute_script(
        "return Array.from(document.querySelectorAll('#mt-text .s.sel')).map(e => e.dataset.s)"
    )
    lit = browser.execute_script(
        "return Array.from(document.querySelectorAll('#ref-text .s.lit')).map(e => e.dataset.s)"
    )
    assert set(sel) == {"2"} and set(lit) == {"4"}
    assert "MT sentence 3" in browser.find_element(By.ID, "info").text


def test_flag_filter_hides_a_kind(browser: Any, pair_page: list[dict[str, Any]]) -> None:
    from selenium.webdriver.common.by import By

    box = browser.find_element(By.CSS_SELECTOR, '#flag-filters input.f-kind[value="merged_tokens"]')
    box.click()
    off = browser.execute_script(
        "return document.querySelector('#mt-text mark[data-kinds~=\"merged_tokens\"]').classList.contains('off')"
    )
    hidden = browser.execute_script(
        "return document.querySelector('#flag-list tr[data-kind=\"merged_tokens\"]').classList.contains('hide')"
    )
    box.click()
    assert off and hidden


def test_clicking_a_flag_row_shows_its_span(browser: Any, pair_page: list[dict[str, Any]]) -> None:
    from selenium.webdriver.common.by import By

    browser.find_element(By.ID, "flag-2").click()
    focused = browser.execute_script(
        "return Array.from(document.querySelectorAll('#mt-text mark.focus')).map(m => m.textContent)"
    )
    assert focused == [make_check()["flags"][1]["text"]]


def test_corpus_page_filters_and_stays_inert(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    scan, texts, checks = make_corpus()
    log = _open(browser, render_corpus(scan, texts, checks, title="corpus"), tmp_path / "corpus.html")
    assert _severe(log) == []
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    rows = lambda: browser.execute_script("return document.querySelectorAll('tr.doc-row:not(.hide)').length")  # noqa: E731
    assert rows() == 5
    browser.find_element(By.ID, "f-flagged").click()
    assert rows() == 1
    browser.find_element(By.ID, "f-flagged").click()
    Select = __import__("selenium.webdriver.support.select", fromlist=["Select"]).Select
    Select(browser.find_element(By.ID, "f-lang")).select_by_value("de")
    assert rows() == 1
    Select(browser.find_element(By.ID, "f-lang")).select_by_value("")
    browser.find_element(By.ID, "f-story").click()
    visible = browser.execute_script(
        "return document.querySelectorAll('.cluster[data-level=\"story\"]:not(.hide)').length"
    )
    assert visible == 0
    shot = tmp_path / "corpus.png"
    assert browser.save_screenshot(str(shot)) and shot.exists()
    assert _severe(browser.get_log("browser")) == []


def test_page_is_readable_with_javascript_off(tmp_path: Path) -> None:
    """Without JS the filters stay hidden but every article, flag and table is in the markup."""
    html = render_pair(make_check(), MT_TEXT, REF_TEXT)
    assert 'id="flag-filters" hidden' in html
    assert html.count('<tr id="flag-') == len(make_check()["flags"])


def test_real_check_of_hostile_articles(browser: Any, tmp_path: Path) -> None:
    """The whole chain (text pipeline, aligner, detectors, renderer) on hostile articles of our own."""
    from dedup.render.html import check_json, report_pair
    from dedup.text import analyze_text
    from tests.render.fixtures import HOSTILE

    mt_text = (
        "Officials met on Monday meeting meeting in the capital. The minister said the talks were useful.\n\n"
        + " ".join(HOSTILE)
        + "\n\nThe budget was approved by the council after a long debate (and a vote.\n"
    )
    ref_text = (
        "Officials met on Monday in the capital. The minister called the talks useful.\n\n"
        "The council approved the budget after a long debate and a vote. " + HOSTILE[1] + "\n"
    )
    mt, ref = analyze_text(mt_text, id="mt"), analyze_text(ref_text, id="ref")
    log = _open(browser, report_pair(mt, ref), tmp_path / "real.html")
    assert _severe(log) == []
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert "pwned" not in browser.title
    assert browser.execute_script("return document.getElementById('mt-text').textContent") == mt_text
    assert browser.execute_script("return document.getElementById('ref-text').textContent") == ref_text
    flags = check_json(mt, ref)[0]["flags"]
    assert flags  # the repeated word and the open bracket at least
    got = browser.execute_script(
        """
        var out = {};
        document.querySelectorAll('#mt-text mark.flag').forEach(function (m) {
          m.getAttribute('data-flags').split(' ').forEach(function (k) { out[k] = (out[k] || '') + m.textContent; });
        });
        return out;
        """
    )
    assert got == {str(k): f["text"] for k, f in enumerate(flags) if f["end"] > f["start"]}
    assert browser.save_screenshot(str(tmp_path / "real.png"))


def test_page_reads_in_a_browser_with_javascript_off(tmp_path: Path) -> None:
    """Blink settings turn page scripts off; WebDriver can still inspect the page."""
    from selenium.webdriver.common.by import By

    driver = _chromium(tmp_path / "profile", "--blink-settings=scriptEnabled=false")
    try:
        page = tmp_path / "nojs.html"
        page.write_text(render_pair(make_check(), MT_TEXT, REF_TEXT), encoding="utf-8")
        driver.get(page.as_uri())
        assert not driver.find_element(By.ID, "flag-filters").is_displayed()  # the page's JS did not run
        marks = driver.find_elements(By.CSS_SELECTOR, "#mt-text mark.flag")
        assert marks and all(m.is_displayed() for m in marks)
        assert driver.find_element(By.ID, "mt-text").text.startswith("Leaders plan a summit meeting meeting")
        assert driver.find_element(By.ID, "flag-list").is_displayed()
        assert driver.save_screenshot(str(tmp_path / "nojs.png"))
    finally:
        driver.quit()


def test_two_references_label_the_evidence_of_the_second(browser: Any, tmp_path: Path) -> None:
    """`report_pair(..., refs=[...])`: the first reference is shown; evidence found in the second is
    labelled with its number and not laid over the first reference's text."""
    from selenium.webdriver.common.by import By

    from dedup.render.build import check_json, report_pair
    from dedup.text import analyze_text

    mt_text = "The storm killed 14 people in the province on Sunday.\n\nRescue teams searched the valley.\n"
    ref1_text = "Rescue teams searched the valley after the storm.\n\nRoads were closed on Sunday.\n"
    ref2_text = "The storm killed 41 people in the province on Sunday.\n\nRescuers searched the valley.\n"
    mt = analyze_text(mt_text, id="mt", languages=False)
    ref1 = analyze_text(ref1_text, id="first-ref", languages=False)
    ref2 = analyze_text(ref2_text, id="second-ref", languages=False)
    flags = check_json(mt, ref1, [ref2])[0]["flags"]
    numbers = [f for f in flags if f["kind"] == "number_mismatch"]
    assert [f["text"] for f in numbers] == ["14"]
    assert [(e["doc"], e["text"], e["ref_index"]) for e in numbers[0]["evidence"]] == [("ref", "41", 1)]

    log = _open(browser, report_pair(mt, ref1, refs=[ref2]), tmp_path / "two.html")
    assert _severe(log) == []
    assert browser.execute_script("return document.getElementById('ref-text').textContent") == ref1_text
    assert "second-ref" in browser.find_element(By.ID, "other-refs").text
    row = next(
        r.text
        for r in browser.find_elements(By.CSS_SELECTOR, "table tr")
        if "number_mismatch" in r.text and "“41”" in r.text
    )
    assert "“41” (reference 2 · second-ref 17–19)" in row
    # No evidence span of that flag over reference 1 (whose offsets 17-19 are other words).
    assert browser.execute_script("return document.querySelectorAll('#ref-text .ev').length") == 0
    # One reference: the same page as before, no label.
    single = report_pair(mt, ref2)
    assert "reference 2" not in single and 'id="other-refs"' not in single


# ---------------------------------------------------------------- red team (fifth session)

# Every trap for offsets at once: CR LF and a lone CR (the parser rewrites both), astral characters
# (two UTF-16 units in the browser, one code point in Python), a combining mark, a bidi override that
# would make "0001" read "1000", invisible characters, C1 controls (a reference to one would read as
# windows-1252), NUL and a lone surrogate (no page can hold them: one U+FFFD each).
TRAP_TEXT = (
    "😀 Storm hits 𠀀 coast\r\n\r\n"
    "Officials said cafe\u0301 owners lost \u202e0001\u202c dollars.\r\n"
    "Advertisement\r\n"
    "Zero\u200bwidth and ctl\x85 here\rthen tag\U000e0041 and 👨\u200d👩\u200d👧 end.\r\n"
    "Nul\x00 and \ud800 alone 😀"
)


def _trap_check() -> dict[str, Any]:
    t = TRAP_TEXT

    def at(needle: str, extra: int = 0) -> tuple[int, int]:
        s = t.index(needle)
        return s, s + len(needle) + extra

    spans = [
        (0, 1),  # offset 0, an astral character
        (len(t) - 1, len(t)),  # the very end
        at("𠀀 coast\r\n"),  # ends after CR LF
        at("coast\r"),  # ends between CR and LF
        at("cafe\u0301"),  # a combining mark
        at("e\u0301 owners"),  # overlaps the previous one
        at("owners"),  # nested in the previous one
        at("\u202e0001\u202c"),
        at("0001"),
        at("dollars.\r\nAdvert"),  # crosses a sentence and enters boilerplate
        at("tisement"),  # inside boilerplate
        at("Zero\u200bwidth"),
        at("ctl\x85 here\rthen"),  # a C1 control and a lone CR
        at("tag\U000e0041"),
        at("👨\u200d👩\u200d👧"),
        at("Nul\x00"),
        at("\ud800"),
    ]
    sentences, start = [], 0
    for end in [i + 1 for i, ch in enumerate(t) if ch in "\n\r"] + [len(t)]:
        if end > start:
            sentences.append({"start": start, "end": end})
        start = end
    ad = t.index("Advertisement")
    flags = [
        {
            "start": s,
            "end": e,
            "text": t[s:e],
            "kind": f"k{k}",
            "severity": "major" if k % 2 else "minor",
            "message": "reason \u202e" + str(k),
            "evidence": [{"doc": "mt", "start": s, "end": e, "note": "itself"}],
        }
        for k, (s, e) in enumerate(spans)
    ]
    return {
        "mt": {
            "id": "trap\u202eid",
            "sentences": sentences,
            "boilerplate": [{"start": ad, "end": ad + 15, "kind": "advertisement"}],
        },
        "flags": sorted(flags, key=lambda f: (f["start"], f["end"])),
        "verdict": "review",
    }


_PIECES_JS = """
var root = document.getElementById(arguments[0]), out = {};
var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), n;
while ((n = walker.nextNode())) {
  var seen = {};
  for (var el = n.parentElement; el && el !== root; el = el.parentElement) {
    ['data-s', 'data-flags', 'data-ev', 'data-bp'].forEach(function (attr) {
      (el.getAttribute(attr) || '').split(' ').forEach(function (k) {
        var key = attr + ':' + k;
        if (k !== '' && !seen[key]) { seen[key] = 1; out[key] = (out[key] || '') + n.data; }
      });
    });
  }
}
return {keys: out, text: root.textContent};
"""


def _shown(text: str) -> str:
    """What a page can hold of `text`: NUL and lone surrogates are one U+FFFD each."""
    return "".join("\ufffd" if ch == "\x00" or "\ud800" <= ch <= "\udfff" else ch for ch in text)


def test_every_highlight_shows_exactly_its_text_in_chromium(browser: Any, tmp_path: Path) -> None:
    check = _trap_check()
    log = _open(browser, render_pair(check, TRAP_TEXT), tmp_path / "trap.html")
    assert _severe(log) == []
    got = browser.execute_script(_PIECES_JS, "mt-text")
    shown = _shown(TRAP_TEXT)
    assert len(shown) == len(TRAP_TEXT) and got["text"] == shown
    expected = {f"data-flags:{k}": (f["start"], f["end"]) for k, f in enumerate(check["flags"])}
    expected |= {f"data-ev:{k + 1}": (f["start"], f["end"]) for k, f in enumerate(check["flags"])}
    expected |= {f"data-s:{k}": (s["start"], s["end"]) for k, s in enumerate(check["mt"]["sentences"])}
    expected |= {"data-bp:0": (check["mt"]["boilerplate"][0]["start"], check["mt"]["boilerplate"][0]["end"])}
    assert {key: got["keys"].get(key) for key in expected} == {
        key: shown[s:e] for key, (s, e) in expected.items()
    }
    # the flag list shows each flag's text too
    cells = browser.execute_script(
        "return Array.from(document.querySelectorAll('#flag-list td.text code')).map(c => c.textContent)"
    )
    assert cells == [shown[f["start"] : f["end"]] for f in check["flags"]]


def test_hidden_characters_cannot_make_the_page_lie(browser: Any, tmp_path: Path) -> None:
    """The override before "0001" would display "1000": each hidden character is isolated (its effect
    ends with it) and labelled with its code point; the page title spells it out."""
    _open(browser, render_pair(_trap_check(), TRAP_TEXT), tmp_path / "bidi.html")
    lefts = browser.execute_script(
        """
        var mark = Array.from(document.querySelectorAll('#mt-text mark.flag'))
          .find(function (m) { return m.textContent === '0001'; });
        var node = mark.firstChild.nodeType === 3 ? mark.firstChild : mark.querySelector('.ev').firstChild;
        var out = [];
        for (var i = 0; i < 4; i++) {
          var r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
          out.push(r.getBoundingClientRect().left);
        }
        return out;
        """
    )
    assert lefts == sorted(lefts) and len(set(lefts)) == 4  # displayed left to right: "0001"
    labels = browser.execute_script(
        """
        return Array.from(document.querySelectorAll('#mt-text .cc')).map(function (el) {
          return [el.getAttribute('data-cp'), el.getBoundingClientRect().width > 8,
                  getComputedStyle(el).unicodeBidi];
        });
        """
    )
    cps = [cp for cp, _, _ in labels]
    assert cps == ["U+202E", "U+202C", "U+200B", "U+0085", "U+E0041", "U+0000", "U+D800"]
    assert all(wide and bidi == "isolate" for _, wide, bidi in labels)
    # the article id in the column header (a text node like any other) is labelled too
    assert (
        browser.execute_script("return document.querySelector('.col > h3 .cc').getAttribute('data-cp')")
        == "U+202E"
    )
    assert "\u202e" not in browser.title
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0


def test_long_unbroken_ids_and_titles_do_not_widen_the_page(browser: Any, tmp_path: Path) -> None:
    long_id, long_title = "id_" + "W" * 300, "T" * 400
    texts = {long_id: long_title + "\n\nA storm hit the coast.", "b": "Storm\n\nA storm hit the coast."}
    scan = {
        "documents": [{"id": i} for i in texts],
        "clusters": [
            {
                "id": "b",
                "level": "copy",
                "members": ["b", long_id],
                "pairs": [{"a": "b", "b": long_id, "similarity": 0.9}],
            }
        ],
    }
    for name, page in (
        ("corpus", render_corpus(scan, texts, title="x" * 500)),
        ("pair", render_pair({"mt": {"id": long_id}}, texts[long_id], "R" * 3000)),
    ):
        _open(browser, page, tmp_path / f"{name}.html")
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, name


def test_real_check_of_a_crlf_article_with_astral_and_hidden_characters(browser: Any, tmp_path: Path) -> None:
    """The whole chain (text pipeline, aligner, detectors, renderer) on a Windows-saved article with
    emoji, CJK extension B and a bidi override: every span the checker reports shows its exact text."""
    from dedup.render.build import check_json, report_pair
    from dedup.text import analyze_text

    mt_text = (
        "😀 Leaders plan a summit meeting meeting in November 𠀀.\r\n\r\n"
        "The officials include Secretary of State Anna BrandtTreasury Secretary Paul Okafor 👨\u200d👩\u200d👧. "
        "An official said the talks were frank (and constructive.\r\n\r\nAdvertisement\r\n\r\n"
        "Critics said the 会议 cost \u202e0041\u202c million dollars.\r\n"
    )
    ref_text = (
        "Leaders plan a summit in November.\r\n\r\n"
        "Secretary of State Anna Brandt and Treasury Secretary Paul Okafor visited. "
        "The talks were frank and constructive, an official said.\r\n\r\nCritics called the meeting costly.\r\n"
    )
    mt = analyze_text(mt_text, id="mt", languages=False)
    ref = analyze_text(ref_text, id="ref", languages=False)
    check = check_json(mt, ref)[0]
    assert len(check["flags"]) >= 4  # repeated word, merged names, open bracket, Han script at least
    log = _open(browser, report_pair(mt, ref), tmp_path / "crlf.html")
    assert _severe(log) == []
    for root, text, side in (("mt-text", mt_text, "mt"), ("ref-text", ref_text, "ref")):
        got = browser.execute_script(_PIECES_JS, root)
        assert got["text"] == text
        spans = {f"data-s:{k}": (s["start"], s["end"]) for k, s in enumerate(check[side]["sentences"])}
        if side == "mt":
            flags = sorted(check["flags"], key=lambda f: (f["start"], f["end"]))
            spans |= {
                f"data-flags:{k}": (f["start"], f["end"])
                for k, f in enumerate(flags)
                if f["end"] > f["start"]
            }
        assert {k: got["keys"].get(k) for k in spans} == {k: text[s:e] for k, (s, e) in spans.items()}


def test_a_stack_of_diacritics_cannot_cover_the_line_above(browser: Any, tmp_path: Path) -> None:
    """Hundreds of combining marks on one letter ("Zalgo") draw ink over the lines around them and can
    hide a highlighted flag; the page clips the stack to its own line."""
    zalgo = "H" + "\u0336\u0337\u0301\u0302\u0303\u0304\u0305\u0306\u0316\u0317\u0318\u0319" * 20
    text = "The budget was 20 billion dollars for schools.\n" + zalgo + " over the line.\n"
    s = text.index("20 billion")
    check = {
        "mt": {"id": "z"},
        "flags": [{"start": s, "end": s + 10, "kind": "k", "severity": "major", "message": "m"}],
    }
    _open(browser, render_pair(check, text), tmp_path / "zalgo.html")
    boxes = browser.execute_script(
        """
        var m = document.querySelector('#mt-text mark.flag').getBoundingClientRect();
        var z = document.querySelector('#mt-text .stack').getBoundingClientRect();
        return [m.bottom, z.top, z.height, document.getElementById('mt-text').textContent];
        """
    )
    mark_bottom, stack_top, stack_height, shown = boxes
    assert stack_top >= mark_bottom - 1 and stack_height < 30
    assert shown == text
