"""Red-team (session 7, helper b) of `dedup index`: a mistyped Redis index, a stopped run's ids.

Found: `index info|show|forget` on a Redis database or prefix holding no index recorded a new empty
index there and answered (a takedown "not found", exit 0) where a missing SQLite file is an error;
`show` gave a stopped run's pending mark as the id's fingerprint ("0000000000000000")."""

from __future__ import annotations

from pathlib import Path

import pytest
import redis
from typer.testing import CliRunner

from dedup.cli import app
from dedup.gate import GateParams, gate
from dedup.index_admin import index_forget, index_info, index_show
from dedup.model import Article
from dedup.near.index import IndexMismatch, open_index
from dedup.near.index.base import PENDING, PENDING_UPDATE
from tests.near.conftest import redis_url  # noqa: F401 - the real redis-server fixture
from tests.near.corpus import article

runner = CliRunner()


def _fill(spec: object) -> None:
    arts = [Article(id=i, text=article(900 + k)) for k, i in enumerate("abc")]
    list(gate(arts, index=spec, params=GateParams(check=False)))


def test_show_names_a_stopped_runs_ids_as_pending_not_by_a_made_up_fingerprint(tmp_path: Path) -> None:
    db = str(tmp_path / "idx.sqlite")
    _fill(db)
    idx = open_index(db)
    idx.number(["half"])  # a stopped run: numbered, marked, never finished
    idx.set_fingerprints({"half": PENDING, "b": PENDING_UPDATE})
    idx.close()
    rows = {r["id"]: r for r in index_show(db, ["half", "b", "c", "zz"])["ids"]}
    assert rows["half"]["fingerprint"] is None and rows["half"]["pending"] == "new"
    assert rows["b"]["fingerprint"] is None and rows["b"]["pending"] == "update"
    assert rows["c"]["pending"] is None and len(rows["c"]["fingerprint"]) == 16
    assert rows["zz"]["pending"] is None and not rows["zz"]["indexed"]
    res = runner.invoke(app, ["index", "show", db, "half", "b"])
    assert res.exit_code == 0 and "pending new" in res.stdout and "pending update" in res.stdout
    assert "0000000000000000" not in res.stdout


def test_looking_at_an_empty_redis_prefix_is_an_error_and_records_nothing(
    request: pytest.FixtureRequest,
) -> None:
    url = request.getfixturevalue("redis_url")
    spec = {"type": "redis", "url": url, "prefix": "rt7bnone:"}
    for call in (
        lambda: index_info(spec),
        lambda: index_show(spec, ["a"]),
        lambda: index_forget(spec, ["a"]),
    ):
        with pytest.raises(IndexMismatch, match="no dedup index under prefix 'rt7bnone:'"):
            call()
    probe = open_index({"type": "redis", "url": url, "prefix": "rt7bprobe2:"})
    assert probe.r.keys("rt7bnone:*") == []  # type: ignore[attr-defined]
    probe.close()
    _fill({"type": "redis", "url": url, "prefix": "rt7bfull:"})
    full = {"type": "redis", "url": url, "prefix": "rt7bfull:"}
    assert index_info(full)["levels"]["copy"]["articles"] == 3
    assert index_forget(full, ["a", "zz"])["forgotten"] == ["a"]


def test_the_cli_gives_exit_code_2_for_a_redis_url_with_no_index(request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("redis_url")
    sep = "&" if "?" in url else "?"
    empty_db = f"{url}{sep}db=5" if url.startswith("unix://") else url.rsplit("/", 1)[0] + "/5"
    for args in (["info", empty_db], ["forget", empty_db, "x"], ["show", empty_db, "x", "-f", "json"]):
        res = runner.invoke(app, ["index", *args])
        assert res.exit_code == 2, (args, res.stdout)
        assert "no dedup index under prefix" in res.stderr
    raw = redis.Redis.from_url(empty_db)
    assert raw.keys("*") == []  # nothing recorded there
    raw.close()
