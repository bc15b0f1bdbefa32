"""One local Spark session for the whole run (the JVM starts once), and a small corpus written here."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.near.corpus import article, copy_of, templated

# Two reports of one invented event in different words, and an unrelated report.
FLOOD_A = """Floods cut off Marrowby as the Tessel bursts its banks

The river Tessel burst its banks above Marrowby on Thursday night, flooding 300 homes and cutting
the town off from the Quenford road, the Harlan County emergency office said.

Mayor Edith Corrland said volunteers from the Marrowby rowing club had ferried elderly residents
to the Saint Alwyn school, which opened as a shelter. Forecasters expect the Tessel to peak on
Saturday before the water recedes.
"""
FLOOD_B = """Harlan County: Tessel floodwater isolates Marrowby

Hundreds of houses in Marrowby were under water on Friday after the Tessel overflowed in the night.
Rowing club volunteers used their boats to bring older people to safety at Saint Alwyn school, said
mayor Edith Corrland, while the Quenford road stayed closed.

County emergency officials warned that the river would keep rising until Saturday.
"""
UNRELATED = """Glassworks in Pellby reopens after a century

The old glassworks of Pellby reopened its furnaces this week as a museum and studio, where visitors
can watch blowers shape vases and lamps. The restoration was paid for by a foundation set up by the
descendants of the founder, Amos Threlkeld, and took eleven years.
"""
BIG = 70  # identical copies of one article: a bucket bigger than the local scan's 64-row cap


def corpus_entries() -> list[dict[str, Any] | str]:
    """JSONL lines (dicts, or raw strings for broken lines) covering every kind of result."""
    lines: list[dict[str, Any] | str] = []
    base = article(101)
    lines.append({"id": "a0", "text": base})
    lines += [
        {"id": f"a{k}", "text": copy_of(base, 200 + k, truncate=0.7 if k == 3 else 1.0)} for k in (1, 2, 3)
    ]
    sib = article(102)
    lines += [{"id": "t0", "text": sib}, {"id": "t1", "text": templated(sib, 5)}]  # templated: not copies
    lines += [
        {"id": "s1", "text": FLOOD_A, "lang": "en"},
        {"id": "s2", "text": FLOOD_B},
        {"id": "u1", "text": UNRELATED},
    ]
    lines += [{"id": f"u{k}", "text": article(300 + k)} for k in range(2, 6)]
    big = article(103)
    lines += [{"id": f"b{k:02d}", "text": copy_of(big, 1, replace=0.0, drop=False)} for k in range(BIG)]
    lines += [
        {"id": "e1", "text": "   \n"},  # empty
        {
            "id": "e2",
            "text": "Advertisement\n\nSubscribe to our newsletter\n",
        },  # nothing left after boilerplate
        {"id": "a1", "text": article(104)},  # repeated id
        '{"id": "e3", "text": ',  # malformed JSON
        {"text": "no id here"},
        "",  # a blank line is skipped, but still counted in line numbers
    ]
    lines.append({"id": "z9", "text": copy_of(base, 299)})  # a late copy: after the errors
    return lines


def write_corpus(folder: Path) -> Path:
    """A folder with a JSONL file and two text files (ids from their names)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "feed.jsonl").open("w", encoding="utf-8") as fh:
        for e in corpus_entries():
            fh.write((e if isinstance(e, str) else json.dumps(e)) + "\n")
    (folder / "notes").mkdir(exist_ok=True)
    (folder / "notes" / "s3.txt").write_text(
        FLOOD_A.replace("Thursday", "Thursday evening"), encoding="utf-8"
    )
    (folder / "notes" / "x1.md").write_text(article(105), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("spark-corpus"))


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pytest.importorskip(
        "pyspark", reason="pyspark is not installed (the optional extra: pip install -e '.[spark]')"
    )
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime for Spark (apt-get install openjdk-17-jre-headless, or `make test`)")
    from dedup.spark import local_session

    session = local_session("local[2]", shuffle_partitions=2, app_name="dedup-tests")
    yield session
    session.stop()
