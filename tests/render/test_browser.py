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
