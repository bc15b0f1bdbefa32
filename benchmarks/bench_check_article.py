"""The gate's per-article check (`dedup.gate.check_article`: analyse + check, no reference), timed and
compared between an older checkout (`--code DIR`, a directory holding a `dedup/` package) and the
working tree: same inputs, every output field compared, CPU seconds per article and the ratio.

    .venv/bin/python benchmarks/bench_check_article.py --code /tmp/before \\
        --corpus benchmarks/out/corpus_10k.jsonl --limit 1000 --bbc ../shared/data/news/bbc --adversarial

Each side runs in its own process (`PYTHONPATH=DIR`), so the two never share a module or a cache.
What is compared, per article: the document's language, every sentence's span and language, and
the whole `CheckResult.to_json()` (flags with offsets, kinds, messages, confidences, evidence;
scores; verdict; reasons), as canonical JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def adversarial_text(seed: int = 0, lines: int = 20000) -> str:
    """~1.3 MB of word salad, one short line after another, capitalised doubles included."""
    rnd = random.Random(seed)
    words = (
        "the of and government said market people Minister London Paris year would could match "
        "players film music technology phone company shares growth Labour election Tory Brown Blair "
        "season club United Chelsea Arsenal minutes record album band chart internet users software"
    ).split()
    out = []
    for _ in range(lines):
        n = rnd.randint(6, 14)
        ws = [rnd.choice(words) for _ in range(n)]
        if rnd.random() < 0.1:
            ws.append("".join(w.capitalize() for w in rnd.sample(words, 6)))
        if rnd.random() < 0.2:
            w = rnd.choice(words).capitalize()
            ws[rnd.randrange(n)] = f"{w} {w}"
        out.append(" ".join(ws) + ".")
    return "\n".join(out)


def load_inputs(args: argparse.Namespace) -> list[tuple[str, str, str]]:
    """(set, id, text) in a fixed order."""
    items: list[tuple[str, str, str]] = []
    if args.corpus:
        with open(args.corpus, encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i >= args.limit:
                    break
                rec = json.loads(line)
                items.append(("corpus", rec["id"], rec["text"]))
    if args.bbc:
        for p in sorted(Path(args.bbc).rglob("*.txt")):
            if p.name.upper() == "README.TXT":
                continue
            items.append(("bbc", str(p.relative_to(args.bbc)), p.read_text(encoding="latin-1")))
    if args.adversarial:
        items.append(("adversarial", "word_salad_20000_lines", adversarial_text()))
    return items


def worker(inp: str, out: str) -> None:
    """Run in the child: check every input, write one canonical JSON line and CPU time per input."""
    from dedup.check import check
    from dedup.gate import check_article
    from dedup.load import article_from_text
    from dedup.text import analyze

    items = json.loads(Path(inp).read_text(encoding="utf-8"))
    # warm up, untimed: langdetect's profiles, wordfreq's tables, the detector registry (one-off
    # loads, ~0.5 s, that would otherwise land on whichever article first needs them)
    for _, aid, text in items[:20]:
        check_article(article_from_text(text, id=aid))
    with open(out, "w", encoding="utf-8") as fh:
        for kind, aid, text in items:
            art = article_from_text(text, id=aid)
            t0 = time.process_time()
            doc = analyze(art)
            res = check(doc)
            cpu = time.process_time() - t0
            record = {
                "lang": doc.lang,
                "sentences": [[s.start, s.end, s.lang] for s in doc.sentences],
                "result": res.to_json(),
            }
            line = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
            fh.write(json.dumps({"set": kind, "id": aid, "cpu": cpu, "out": line}) + "\n")


def run_side(code: Path, items_path: str) -> list[dict]:
    with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as tmp:
        out = tmp.name
    env = dict(os.environ, PYTHONPATH=str(code), PYTHONHASHSEED="0")
    cmd = [
        sys.executable,
        "-c",
        f"import sys; sys.path.insert(0, {str(code)!r}); "
        "import dedup; assert dedup.__file__.startswith(" + repr(str(code)) + "), dedup.__file__; "
        f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); "
        f"import bench_check_article as b; b.worker({items_path!r}, {out!r})",
    ]
    subprocess.run(cmd, env=env, check=True, cwd="/tmp")
    with open(out, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    os.unlink(out)
    return rows


def diff_fields(a: dict, b: dict, path: str = "") -> list[str]:
    """The first few paths at which two JSON values differ."""
    if type(a) is not type(b):
        return [f"{path}: {a!r} != {b!r}"[:300]]
    if isinstance(a, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append(f"{path}.{k}: missing on one side")
            else:
                out += diff_fields(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return (
                [f"{path}: {len(a)} items != {len(b)}"]
                + [f"{path}[{i}]: {x!r}"[:300] for i, x in enumerate(a) if x not in b][:3]
                + [f"{path}[{i}] new: {x!r}"[:300] for i, x in enumerate(b) if x not in a][:3]
            )
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            out += diff_fields(x, y, f"{path}[{i}]")
        return out
    return [] if a == b else [f"{path}: {a!r} != {b!r}"[:300]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--code", required=True, help="directory holding the 'before' dedup/ package")
    ap.add_argument("--corpus", default=str(ROOT / "benchmarks/out/corpus_10k.jsonl"))
    ap.add_argument("--limit", type=int, default=1000)
    ap.add_argument("--bbc", default=None, help="BBC news directory (latin-1 .txt files)")
    ap.add_argument("--adversarial", action="store_true", help="add the 1.3 MB word-salad article")
    ap.add_argument("--only-new", action="store_true", help="time the working tree only")
    args = ap.parse_args()
    items = load_inputs(args)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as tmp:
        json.dump(items, tmp)
        items_path = tmp.name
    new = run_side(ROOT, items_path)
    old = new if args.only_new else run_side(Path(args.code).resolve(), items_path)
    os.unlink(items_path)
    bad = 0
    for o, n in zip(old, new, strict=True):
        if o["out"] != n["out"]:
            bad += 1
            if bad <= 10:
                print(f"DIFFERS {o['set']} {o['id']}:", file=sys.stderr)
                for d in diff_fields(json.loads(o["out"]), json.loads(n["out"]))[:6]:
                    print("   ", d, file=sys.stderr)
    print(
        f"{'set':<12} {'n':>5} {'before ms/article':>18} {'after ms/article':>17} {'ratio':>6} {'differ':>6}"
    )
    for kind in dict.fromkeys(r["set"] for r in new):
        o = [r for r in old if r["set"] == kind]
        n = [r for r in new if r["set"] == kind]
        ot = sum(r["cpu"] for r in o) * 1000 / len(o)
        nt = sum(r["cpu"] for r in n) * 1000 / len(n)
        nd = sum(a["out"] != b["out"] for a, b in zip(o, n, strict=True))
        print(f"{kind:<12} {len(n):>5} {ot:>18.2f} {nt:>17.2f} {ot / nt:>6.2f} {nd:>6}")
    print(f"outputs identical: {bad == 0} ({len(new)} articles, {bad} differ)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
