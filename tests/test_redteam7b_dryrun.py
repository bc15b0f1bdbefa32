"""Red-team (session 7, helper b) of dry runs: opening the index for a dry run changes nothing.

Found: a dry run on an index of the previous format migrated it in place (the file changed), and a
dry run naming an index that did not exist created an empty SQLite file there."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from dedup.gate import GateParams, gate
from dedup.model import Article
from dedup.near.index import IndexMismatch, dry_run, open_index
from tests.near.conftest import redis_url  # noqa: F401 - the real redis-server fixture
from tests.near.corpus import article, copy_of

FIRST = [("a", article(811)), ("b", article(812)), ("c", article(813))]
SECOND = [
    ("d", copy_of(article(811), 1)),
    ("b", article(814)),
    ("e", article(815)),
    ("f", copy_of(article(815), 2)),
    ("a", article(811)),
]


def _decisions(index: Any, rows: list[tuple[str, str]]) -> list[tuple[Any, ...]]:
    arts = (Article(id=i, text=t) for i, t in rows)
    return [
        (d.id, d.decision, d.duplicate_of, d.story_cluster, d.to_json()["fingerprint"])
        for d in gate(arts, index=index, params=GateParams(level="both", check=False))
    ]


def _as_format_3(db: Path) -> None:
    """What the previous commit wrote: format 3 recorded, no partner-list tables."""
    with sqlite3.connect(db) as con:
        con.execute("UPDATE dedup_meta SET value = ? WHERE name = 'format'", (json.dumps("dedup.index/3"),))
        for name, value in con.execute(
            "SELECT name, value FROM dedup_meta WHERE name LIKE 'level:%'"
        ).fetchall():
            meta = {**json.loads(value), "format": "dedup.index/3"}
            con.execute("UPDATE dedup_meta SET value = ? WHERE name = ?", (json.dumps(meta), name))
        for (t,) in con.execute("SELECT name FROM sqlite_master WHERE name LIKE 'tops_%'").fetchall():
            con.execute(f"DROP TABLE {t}")
    con.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_dry_run_on_a_format_3_index_leaves_it_unmigrated_and_decides_as_a_real_run(tmp_path: Path) -> None:
    db = tmp_path / "idx.sqlite"
    _decisions(str(db), FIRST)
    _as_format_3(db)
    twin = tmp_path / "twin.sqlite"
    shutil.copy(db, twin)
    before = _digest(db)
    dry = _decisions(dry_run(str(db)), SECOND)
    assert _digest(db) == before  # not migrated, no table created
    with sqlite3.connect(db) as con:
        assert (
            con.execute("SELECT value FROM dedup_meta WHERE name='format'").fetchone()[0] == '"dedup.index/3"'
        )
    con.close()
    assert dry == _decisions(str(twin), SECOND)  # the real run migrates its copy, then decides the same
    assert {d[0]: d[1] for d in dry}["b"] == "update"


def test_a_dry_run_refuses_an_index_that_needs_its_rows_rewritten(tmp_path: Path) -> None:
    db = tmp_path / "idx.sqlite"
    _decisions(str(db), FIRST)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE dedup_meta SET value = ? WHERE name = 'format'", (json.dumps("dedup.index/2"),))
    con.close()
    before = _digest(db)
    with pytest.raises(IndexMismatch, match="dedup index info"):
        dry_run(str(db))
    assert _digest(db) == before


def test_a_dry_run_on_an_index_not_created_yet_creates_no_file(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite"
    dry = _decisions(dry_run(str(db)), FIRST + SECOND[:1])
    assert not db.exists() and not Path(f"{db}.lock").exists()
    assert dry == _decisions(str(tmp_path / "real.sqlite"), FIRST + SECOND[:1])
    assert dry_run(f"sqlite://{db}").count("copy") == 0 and not db.exists()


def test_a_dry_run_on_an_empty_redis_prefix_records_nothing(request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("redis_url")
    spec = {"type": "redis", "url": url, "prefix": "rt7bempty:"}
    dry = _decisions(dry_run(spec), FIRST)
    idx = open_index({"type": "redis", "url": url, "prefix": "rt7bprobe:"})
    assert idx.r.keys("rt7bempty:*") == []  # type: ignore[attr-defined]
    idx.close()
    assert [d[1] for d in dry] == ["ingest"] * 3


def test_a_dry_run_does_not_migrate_a_redis_index(request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("redis_url")
    spec = {"type": "redis", "url": url, "prefix": "rt7bold:"}
    _decisions(spec, FIRST)
    idx = open_index(spec)
    r = idx.r  # type: ignore[attr-defined]
    r.hset("rt7bold:meta", "format", json.dumps("dedup.index/3"))
    snapshot = {k: r.dump(k) for k in sorted(r.keys("rt7bold:*"))}
    with pytest.raises(IndexMismatch, match="migrated"):
        dry_run(spec)
    assert {k: r.dump(k) for k in sorted(r.keys("rt7bold:*"))} == snapshot
    idx.close()


def test_a_real_worker_storing_during_a_dry_run_does_not_clobber_the_dry_runs_own_articles(
    tmp_path: Path,
) -> None:
    """The dry run numbered its new article x from the index's next number; a real worker then
    stored y under that same number, and the dry run's update of y replaced x's sketch: a copy of x
    later in the dry run went in instead of being its duplicate."""
    db = str(tmp_path / "idx.sqlite")
    params = GateParams(check=False, batch_size=1)
    list(gate([Article(id="a", text=article(821))], index=db, params=params))

    def feed() -> Any:
        yield Article(id="x", text=article(822))
        assert [d.decision for d in gate([Article(id="y", text=article(823))], index=db, params=params)] == [
            "ingest"
        ]
        yield Article(id="y", text=article(824))  # the other worker's article, changed
        yield Article(id="x2", text=copy_of(article(822), 1))

    out = {d.id: d for d in gate(feed(), index=dry_run(db), params=params)}
    assert (out["x2"].decision, out["x2"].duplicate_of) == ("duplicate", "x")
    assert out["y"].decision in ("ingest", "update")  # the other worker's write may or may not be seen


def test_a_dry_run_stopped_early_does_not_say_it_took_articles_out_of_the_index(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = str(tmp_path / "idx.sqlite")
    list(gate([Article(id="a", text=article(831))], index=db, params=GateParams(check=False)))
    rows = [Article(id=f"n{k}", text=article(840 + k)) for k in range(4)]
    run = gate(iter(rows), index=dry_run(db), params=GateParams(check=False))
    assert next(run).decision == "ingest"
    run.close()  # the reader went away (a closed stdout)
    assert "were stored in the index" not in caplog.text  # nothing was: it is a dry run
    real = gate(iter(rows), index=db, params=GateParams(check=False))
    assert next(real).decision == "ingest"
    real.close()
    assert "were stored in the index" in caplog.text  # a real run says what it took out
