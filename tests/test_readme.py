"""The README's examples, run, so that one that stops working fails the tests instead of a new user.

What runs, each block in a fresh temporary folder (nothing written to the project):

- every ```python block, as a script in a new interpreter;
- in every ```sh block, each line that starts with `dedup ` or `.venv/bin/dedup ` (a trailing
  `# comment` dropped), in order, under `bash -o pipefail` with this interpreter's `dedup` first on
  the PATH. Other lines (`make demo`, `make test`, ...) install things or take the machine's cores
  and are not run.

The folder holds what the examples name: `seeds/` (the project's seed pair), `corpus/` (the seeds
and a republished copy of the English one) and `incoming.jsonl` (the same three articles, as a
pipeline would send them); an index an example writes (`idx.sqlite`) starts absent.

A command passes when it exits 0, or 1 (documented: findings held back, a verdict failed) with
something on stdout (or in the file it redirects to); without a traceback; and when its output is
what its `--format` says (JSON with a schema, JSONL line by line) and `-o` wrote an HTML file.

To keep a block from running (it needs a service, a download, minutes of CPU), put an HTML comment
on the line before its fence, with the reason; it does not show on the rendered page:

    <!-- readme-test: skip (needs a Redis server) -->
    ```sh
    dedup scan corpus/ --index redis://localhost:6379/0
    ```

Alongside: every `--option` the README names belongs to a command, every command in its table
exists, every schema it names is one the code writes, every repository path it points to exists,
and every detector family is named in it.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_EN, SEED_MT

README = ROOT / "README.md"
SKIP = re.compile(r"<!--\s*readme-test:\s*skip\b(?P<why>.*?)-->", re.S)
FENCE = re.compile(r"^```(?P<lang>[\w-]*)[ \t]*\n(?P<body>.*?)^```[ \t]*$", re.S | re.M)
COMMAND = re.compile(r"^(?:\.venv/bin/)?dedup\s")
TIMEOUT = 120  # seconds per command: a hung example fails instead of hanging the suite


@dataclass(frozen=True)
class Block:
    lang: str
    body: str
    line: int  # 1-based line of the opening fence
    skip: str | None  # the reason given in a skip comment before the fence

    @property
    def id(self) -> str:
        return f"{self.lang or 'text'}@README.md:{self.line}"


def readme_blocks(text: str) -> list[Block]:
    """Fenced blocks in order, each with the skip reason written just before it (blank lines between
    are allowed)."""
    blocks = []
    for m in FENCE.finditer(text):
        before = text[: m.start()].rstrip()
        skip = next((s for s in SKIP.finditer(before) if s.end() == len(before)), None)
        blocks.append(
            Block(
                lang=m.group("lang"),
                body=m.group("body"),
                line=text.count("\n", 0, m.start()) + 1,
                skip=(skip.group("why").strip(" ()") or "no reason given") if skip else None,
            )
        )
    return blocks


def shell_commands(body: str) -> list[str]:
    """The `dedup ...` lines of a shell block, their trailing comments dropped."""
    return [_drop_comment(line.strip()) for line in body.splitlines() if COMMAND.match(line.strip())]


def _drop_comment(line: str) -> str:
    """`line` up to a `#` that starts a word outside quotes (as the shell reads it)."""
    quote: str | None = None
    for i, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line


BLOCKS = readme_blocks(README.read_text(encoding="utf-8"))
PYTHON = [b for b in BLOCKS if b.lang in ("python", "py")]
SHELL = [b for b in BLOCKS if b.lang in ("sh", "bash", "shell", "console") and shell_commands(b.body)]


def test_the_readme_has_examples_to_run() -> None:
    # A README rewritten so that nothing here matches any more must fail, not pass vacuously.
    assert [b for b in PYTHON if not b.skip], "no runnable ```python block found in README.md"
    assert [b for b in SHELL if not b.skip], "no ```sh block with a `dedup ...` line found in README.md"


def test_skip_comments_apply_to_the_next_block() -> None:
    text = (
        "x\n<!-- readme-test: skip (needs Redis) -->\n\n```sh\ndedup scan a\n```\n```python\nprint(1)\n```\n"
    )
    blocks = readme_blocks(text)
    assert [(b.lang, b.line, b.skip) for b in blocks] == [("sh", 4, "needs Redis"), ("python", 7, None)]
    assert shell_commands("make demo  # no\ndedup scan a/ -f json  # the '#' starts a comment\n") == [
        "dedup scan a/ -f json"
    ]
    assert shell_commands("dedup scan 'a # b'\n") == ["dedup scan 'a # b'"]


# -- the workspace every example runs in ------------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """`seeds/`, `corpus/` and `incoming.jsonl`, as the README's examples expect them."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for seed in (SEED_EN, SEED_MT):
        shutil.copy(seed, seeds / seed.name)
    en = SEED_EN.read_text(encoding="utf-8")
    mt = SEED_MT.read_text(encoding="utf-8")
    republished = "Syndicated from the wires.\n\n" + en  # a copy with a line of its own on top
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds, corpus)
    (corpus / "republished.txt").write_text(republished, encoding="utf-8")
    with open(tmp_path / "incoming.jsonl", "w", encoding="utf-8") as f:
        for id_, text in ((SEED_EN.stem, en), (SEED_MT.stem, mt), ("republished", republished)):
            f.write(json.dumps({"id": id_, "text": text, "source": "wire"}, ensure_ascii=False) + "\n")
    venv = Path(sys.prefix)
    if venv != Path(sys.base_prefix):  # `.venv/bin/dedup` in an example names this interpreter's venv
        (tmp_path / ".venv").symlink_to(venv, target_is_directory=True)
    return tmp_path


def _env(bin_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)  # the installed package, as a user has it
    return env


@pytest.fixture(scope="module")
def dedup_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose `dedup` is this interpreter's: the console script next to it when installed,
    else a wrapper calling the same entry point."""
    script = Path(sys.executable).parent / "dedup"
    if script.exists():
        return script.parent
    folder = tmp_path_factory.mktemp("bin")
    wrapper = folder / "dedup"
    wrapper.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" -c "from dedup.cli.app import main; main()" "$@"\n'
    )
    wrapper.chmod(0o755)
    return folder


# -- the examples -----------------------------------------------------------------------------------


@pytest.mark.parametrize("block", PYTHON, ids=[b.id for b in PYTHON])
def test_python_example_runs(block: Block, workspace: Path, dedup_bin: Path) -> None:
    if block.skip:
        pytest.skip(f"README.md:{block.line} is marked not to run: {block.skip}")
    script = workspace / "readme_example.py"
    script.write_text(block.body, encoding="utf-8")
    res = subprocess.run(
        [sys.executable, script.name],
        cwd=workspace,
        env=_env(dedup_bin),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert res.returncode == 0, f"README.md:{block.line}: the Python example failed:\n{res.stderr[-3000:]}"


@pytest.mark.parametrize("block", SHELL, ids=[b.id for b in SHELL])
def test_shell_example_runs(block: Block, workspace: Path, dedup_bin: Path) -> None:
    if block.skip:
        pytest.skip(f"README.md:{block.line} is marked not to run: {block.skip}")
    for command in shell_commands(block.body):
        res = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command],
            cwd=workspace,
            env=_env(dedup_bin),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        where = f"README.md:{block.line}: `{command}`"
        assert res.returncode in (0, 1), f"{where} exited {res.returncode}:\n{res.stderr[-3000:]}"
        assert "Traceback" not in res.stderr, f"{where}:\n{res.stderr[-3000:]}"
        _check_output(command, res.stdout, workspace, where)


def _check_output(command: str, stdout: str, workspace: Path, where: str) -> None:
    """The output is what the command line asks for (format, redirect, `-o` file)."""
    words = shlex.split(command)
    if "|" in words:  # piped: what reaches stdout is the pipe's business
        return
    if ">" in words:
        stdout = (workspace / words[words.index(">") + 1]).read_text(encoding="utf-8")
    assert stdout.strip(), f"{where}: nothing on stdout"
    fmt = _option(words, "--format", "-f")
    if fmt is None and words[1] == "gate" or fmt == "jsonl":
        for n, line in enumerate(stdout.splitlines(), 1):
            try:
                json.loads(line)
            except ValueError:
                pytest.fail(f"{where}: output line {n} is not JSON: {line[:200]!r}")
    elif fmt == "json":
        doc = json.loads(stdout)
        assert isinstance(doc, dict) and str(doc.get("schema", "")).startswith("dedup."), where
    out = _option(words, "--output", "-o")
    if out is not None:
        page = (workspace / out).read_text(encoding="utf-8")
        assert page.lstrip().lower().startswith("<!doctype html"), f"{where}: {out} is not an HTML page"
        assert stdout.strip() == out, f"{where}: expected the report's path on stdout, got {stdout!r}"


def _option(words: list[str], *names: str) -> str | None:
    for i, w in enumerate(words):
        if w in names and i + 1 < len(words):
            return words[i + 1]
        for name in names:
            if name.startswith("--") and w.startswith(name + "="):
                return w.split("=", 1)[1]
    return None


# -- what the prose promises ------------------------------------------------------------------------

NOT_DEDUP_OPTIONS = {"--help", "--check", "--fix"}  # click's, and ruff's in the Development section


def _cli():  # noqa: ANN202 - a click Group
    import typer

    from dedup.cli.app import app

    return typer.main.get_command(app)


def test_every_option_named_in_the_readme_exists() -> None:
    known: set[str] = set()
    todo = [_cli()]
    while todo:  # the commands, and those of command groups (`dedup index ...`)
        cmd = todo.pop()
        known |= {o for p in cmd.params for o in (*p.opts, *p.secondary_opts)}
        todo += list(getattr(cmd, "commands", {}).values())
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", README.read_text(encoding="utf-8")))
    assert named - known - NOT_DEDUP_OPTIONS == set(), "options the README names that no command has"


def test_every_command_in_the_readme_table_exists() -> None:
    table = re.findall(r"^\| `([a-z]+)` \|", README.read_text(encoding="utf-8"), re.M)
    assert table, "the README's command table was not found"
    assert set(table) - set(_cli().commands) == set()
    assert set(_cli().commands) - set(table) == set(), "a command the README's table does not list"


def test_every_schema_named_in_the_readme_is_written_by_the_code() -> None:
    written = {
        m
        for p in (ROOT / "dedup").rglob("*.py")
        for m in re.findall(r'"(dedup\.[a-z-]+/\d+)"', p.read_text("utf-8"))
    }
    named = set(re.findall(r"`(dedup\.[a-z-]+/\d+)`", README.read_text(encoding="utf-8")))
    assert named, "no schema names found in the README"
    assert named - written == set(), (
        f"schemas the README names that no module writes (it writes {sorted(written)})"
    )


def test_every_repository_path_in_the_readme_exists() -> None:
    text = README.read_text(encoding="utf-8")
    tops = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith(".")}
    candidates = re.findall(r"\]\(([^)\s#]+)\)", text) + re.findall(r"`([\w./-]+)`", text)
    paths = {
        c.rstrip("/")
        for c in candidates
        if "/" in c and c.split("/")[0] in tops and not c.endswith(".html")  # reports are outputs
    }
    assert paths, "no repository paths found: has the README's link syntax changed?"
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert missing == [], f"README points to paths that do not exist: {missing}"


def test_every_detector_family_is_named_in_the_readme() -> None:
    from dedup.garbles.base import load_all

    text = README.read_text(encoding="utf-8")
    missing = sorted(name for name in load_all() if f"`{name}`" not in text)
    assert missing == [], f"detector families the README does not describe: {missing}"


def _resolve(dotted: str) -> object:
    """`dedup.a.b.Name` as Python finds it: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError as err:
            if err.name and not err.name.startswith("dedup"):  # an optional extra (pyspark, torch)
                pytest.skip(f"{dotted} needs {err.name}, not installed here")
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise AssertionError(f"nothing of {dotted} can be imported")


def test_every_python_name_in_the_readme_resolves() -> None:
    # Prose and comments name library objects (`dedup.score.VerdictPolicy`, `dedup.model.TooLarge`);
    # a rename must take the README along. Schema names (`dedup.scan/1`) are not Python names.
    text = README.read_text(encoding="utf-8")
    names = sorted(set(re.findall(r"\bdedup(?:\.[A-Za-z_]\w*)+\b(?![/\w-])", text)))
    assert "dedup.model.TooLarge" in names, names  # the pattern still finds what it is meant to
    for dotted in names:
        try:
            _resolve(dotted)
        except AttributeError as err:
            pytest.fail(f"README names {dotted}, which does not resolve: {err}")
