"""Language identification: seeded, 'und' for short text, script runs reported as spans."""

from __future__ import annotations

import pytest

from dedup.text import analyze_text
from dedup.text.language import UNDETERMINED, detect, detect_sentence
from dedup.text.scripts import find_script_runs

EN = "The committee approved the budget after a long debate on Tuesday night in the capital."
FR = "Le comité a approuvé le budget après un long débat mardi soir dans la capitale du pays."
ZH = "委员会在星期二晚上经过长时间辩论后批准了预算。"


def test_languages_are_detected_and_deterministic() -> None:
    assert detect(EN) == "en"
    assert detect(FR) == "fr"
    assert detect_sentence(ZH).startswith("zh")
    detect.cache_clear()
    assert [detect(FR) for _ in range(3)] == ["fr", "fr", "fr"]


def test_short_sentences_are_undetermined_not_guessed() -> None:
    assert detect_sentence("Advertisement") == UNDETERMINED
    assert detect_sentence("Yes, he said.") == UNDETERMINED
    assert detect("") == UNDETERMINED


def test_document_languages_per_article_and_sentence() -> None:
    doc = analyze_text(f"{EN} {FR} Short one.")
    assert doc.lang in ("en", "fr")
    assert [s.lang for s in doc.sentences] == ["en", "fr", UNDETERMINED]


def test_article_lang_field_wins() -> None:
    from dedup.load import article_from_text
    from dedup.text import analyze

    doc = analyze(article_from_text(EN, id="x", lang="de"))
    assert doc.lang == "de"


def test_script_runs_in_english_text() -> None:
    text = "Commerce Secretary Raimondo)。 The envoy 王毅 met Лавров（in Moscow）."
    runs = [(r.script, text[r.start : r.end]) for r in find_script_runs(text)]
    assert runs == [
        ("fullwidth", "。"),
        ("Han", "王毅"),
        ("Cyrillic", "Лавров"),
        ("fullwidth", "（"),
        ("fullwidth", "）"),
    ]


def test_no_script_runs_in_plain_latin_text() -> None:
    assert find_script_runs("Café déjà vu — naïve “quotes” and ‘apostrophes’ … ok") == []


def test_english_shortcut_agrees_with_langdetect_and_leaves_other_languages_to_it() -> None:
    from dedup.text.language import looks_english

    assert looks_english(EN)
    assert detect_sentence(EN) == detect(EN) == "en"
    for other in (
        FR,
        "Die Regierung hat am Dienstag beschlossen, die Steuern für kleine Unternehmen zu senken.",
        "El gobierno anunció que las conversaciones con los sindicatos continuarán el lunes.",
        "De minister zei dat het plan in het voorjaar van start gaat en twee jaar zal duren.",
    ):
        assert not looks_english(other), other
    assert not looks_english("Talks in Geneva")  # too short: langdetect (or 'und') decides


def test_word_frequency_vote_says_english_only_for_english() -> None:
    """The vote answers for English sentences the function-word shortcut leaves (short, headline
    style, full of names); sentences of other Latin-script languages are never voted English."""
    from dedup.text.language import looks_english, votes_english

    english = [
        "Shares in Vodafone rose sharply on Monday",
        "Chelsea beat Arsenal in a tense derby",
        "Oil prices hit record high after storm",
        "Prime Minister Mark Carney visits Beijing",
    ]
    for s in english:
        assert not looks_english(s), s  # these would have gone to langdetect
        assert votes_english(s), s
        assert detect_sentence(s) == "en"
    others = [
        "Le gouvernement a annoncé une réforme des retraites",
        "Die Regierung beschließt neue Steuern für Unternehmen",
        "El gobierno anunció nuevas medidas económicas hoy",
        "Il governo ha approvato la nuova legge elettorale",
        "O governo anunciou novas medidas para a economia",
        "De regering kondigt nieuwe maatregelen aan voor bedrijven",
        "Regeringen presenterade en ny budget för skolan",
        "Rząd ogłosił nowe przepisy dotyczące podatków",
    ]
    for s in others:
        assert not votes_english(s), s
        assert detect_sentence(s) != "en", s
    assert not votes_english("Talks in Geneva")  # too few words to vote


def test_array_detect_block_gives_langdetects_probabilities_bit_for_bit() -> None:
    """`_detect_block` redoes langdetect's trials on arrays; every probability must be the same float."""
    from dedup.text.language import _detect_block, _get_factory

    factory = _get_factory()
    texts = [
        "Der Bundeskanzler sagte am Montag in Berlin, die Regierung werde handeln.",
        "Le président a déclaré que le gouvernement allait agir rapidement.",
        "Storms hit the coast overnight, cutting power to thousands of homes.",
        "这是一个中文句子，用来测试语言识别。",
        "Zlot Bralk Quenvo Trisp",
    ]
    for text in texts:
        ours, theirs = factory.create(), factory.create()
        ours.append(text)
        theirs.append(text)
        _detect_block(ours)
        theirs._detect_block()
        assert ours.langprob == theirs.langprob
        assert [(x.lang, x.prob) for x in ours.get_probabilities()] == [
            (x.lang, x.prob) for x in theirs.get_probabilities()
        ]


def test_the_ngram_row_cache_stays_bounded_and_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The arrays of n-gram probabilities are a cache: bounded (a long-running gate sees many
    languages), and emptying it midway gives the same probabilities."""
    import dedup.text.language as lang

    mp = monkeypatch
    factory = lang._get_factory()
    text = "Der Bundeskanzler sagte am Montag in Berlin, die Regierung werde bald handeln."
    mp.setattr(lang, "_rows", {})
    mp.setattr(lang, "_ROWS_MAX", 5)
    ours, theirs = factory.create(), factory.create()
    ours.append(text)
    theirs.append(text)
    lang._detect_block(ours)
    theirs._detect_block()
    assert len(lang._rows) <= 5
    assert ours.langprob == theirs.langprob
