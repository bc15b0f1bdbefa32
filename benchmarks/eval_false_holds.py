"""False holds in the pre-ingest gate: clean, professionally written English news checked as the gate does.

Every article here is edited native English, so each `review`/`reject` verdict holds a good article back
unless the text itself is faulty; the flags behind the holds are printed with their context to be read.
The check is the gate's (`dedup.gate.check_article`: analyse with languages, `check` without a reference).

    .venv/bin/python benchmarks/eval_false_holds.py [--jobs 2] [--json benchmarks/out/false_holds.json]

Sources (read-only, read at run time): `../shared/data/news/bbc` (one article per file, latin-1),
`../shared/data/news/lee/*.cor` (one article per line), and the English `text_1`/`text_2` of
`../shared/data/story/semeval2022_en_pairs.jsonl` (an article id appearing in several pairs is checked once).
`--sources ... mqm_mt mqm_refB`: the MQM set's machine translations (what the gate should hold) and its
second human translation, checked the same way, to weigh a verdict policy's false holds against its catch.
Each source also reports how many articles other verdict policies would hold (`POLICIES`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from dedup.load import article_from_text
from dedup.model import Article

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def bbc(root: Path) -> list[Article]:
    files = sorted((root / "news" / "bbc").glob("*/*.txt"))
    return [article_from_text(p.read_text(encoding="latin-1"), id=f"{p.parent.name}/{p.name}") for p in files]


def lee(root: Path) -> list[Article]:
    out: list[Article] = []
    for path in sorted((root / "news" / "lee").glob("*.cor")):
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        out.extend(
            article_from_text(line.strip(), id=f"{path.stem}:{i}")
            for i, line in enumerate(lines)
            if line.strip()
        )
    return out


def semeval(root: Path) -> list[Article]:
    seen: dict[str, Article] = {}
    with (root / "story" / "semeval2022_en_pairs.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            for key in ("1", "2"):
                aid, text = str(row[f"id_{key}"]), row[f"text_{key}"] or ""
                if aid not in seen and text.strip():
                    seen[aid] = article_from_text(text, id=aid)
    return [seen[k] for k in sorted(seen)]


def _context(text: str, start: int, end: int, width: int = 60) -> str:
    left = text[max(0, start - width) : start].replace("\n", "⏎")
    right = text[end : end + width].replace("\n", "⏎")
    return f"…{left}[[{text[start:end]}]]{right}…"


# Verdict policies measured beside the default (dedup.score.VerdictPolicy); "one_minor" is not a knob
# of VerdictPolicy: the default, except that a review reached on one minor flag alone is an accept.
POLICIES: dict[str, dict[str, Any]] = {
    "default": {},
    "review_majors_2": {"review_majors": 2},
    "review_penalty_2": {"review_penalty": 2.0},
    "one_minor": {},
}


def _verdicts(res: Any) -> dict[str, str]:
    from dedup.score import VerdictPolicy, verdict

    out = {name: verdict(res.scores, res.flags, VerdictPolicy(**kw))[0] for name, kw in POLICIES.items()}
    if out["one_minor"] == "review" and len(res.flags) == 1 and res.flags[0].severity == "minor":
        out["one_minor"] = "accept"
    out["hold_reject"] = "reject" if out["default"] == "reject" else "accept"  # GateParams(hold="reject")
    return out


def check_one(article: Article) -> dict[str, Any]:
    """The gate's check, keeping each flag's detail (the gate keeps only counts per family)."""
    from dedup.check import check
    from dedup.text import analyze

    try:
        res = check(analyze(article))
    except Exception as err:  # an evaluation never stops on one article
        return {"id": article.id, "verdict": "error", "reasons": [repr(err)], "flags": [], "policies": {}}
    text = res.mt.text
    flags = [
        {
            "kind": f.kind,
            "severity": f.severity,
            "confidence": round(f.confidence, 3),
            "text": f.text,
            "message": f.message,
            "context": _context(text, f.start, f.end),
        }
        for f in res.flags
    ]
    return {
        "id": article.id,
        "verdict": res.verdict,
        "reasons": list(res.reasons),
        "flags": flags,
        "words": res.scores.words,
        "penalty": round(res.scores.penalty, 3),
        "policies": _verdicts(res),
    }


def run(name: str, articles: list[Article], jobs: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(check_one, articles, chunksize=16))
    else:
        results = [check_one(a) for a in articles]
    verdicts = Counter(r["verdict"] for r in results)
    families = Counter(f["kind"] for r in results for f in r["flags"])
    holds = [r for r in results if r["verdict"] in ("review", "reject")]
    hold_families = Counter(f["kind"] for r in holds for f in r["flags"])
    held = {
        name: sum(1 for r in results if r["policies"].get(name) in ("review", "reject"))
        for name in [*POLICIES, "hold_reject"]
    }
    return {
        "source": name,
        "articles": len(results),
        "seconds": round(time.perf_counter() - t0, 1),
        "verdicts": dict(sorted(verdicts.items())),
        "flags": dict(sorted(families.items())),
        "hold_flags": dict(sorted(hold_families.items())),
        "held_by_policy": held,
        "holds": holds,
    }


def report(out: dict[str, Any]) -> None:
    n = out["articles"]
    v = out["verdicts"]
    share = "  ".join(
        f"{k} {v.get(k, 0)} ({v.get(k, 0) / max(n, 1):.1%})" for k in ("accept", "review", "reject")
    )
    print(f"\n## {out['source']}: {n} articles, {out['seconds']} s")
    print(f"verdicts: {share}" + (f"  error {v['error']}" if v.get("error") else ""))
    print("flags per family: " + (", ".join(f"{k} {c}" for k, c in out["flags"].items()) or "none"))
    print(
        "held under each policy: "
        + ", ".join(f"{k} {c} ({c / max(n, 1):.1%})" for k, c in out["held_by_policy"].items())
    )
    print(
        "flags in held articles: " + (", ".join(f"{k} {c}" for k, c in out["hold_flags"].items()) or "none")
    )
    for r in out["holds"]:
        print(f"- {r['id']} {r['verdict']}: {'; '.join(r['reasons'])}")
        for f in r["flags"]:
            print(f"    {f['kind']} {f['severity']} {f['confidence']}: {f['message']} {f['context']}")


def _mqm(root: Path, human: bool) -> list[Article]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from eval_mqm import load_articles

    rows = load_articles(root / "mqm" / "wmt21_zhen_mqm_vs_refA.jsonl")
    return [article_from_text(a.mt, id=f"{a.doc}/{a.system}") for a in rows if (a.system == "ref.B") == human]


def mqm_mt(root: Path) -> list[Article]:
    """The machine translations of the MQM set, checked as the gate would (no reference): what the
    gate exists to hold, so the policies' share held here is their sensitivity."""
    return _mqm(root, human=False)


def mqm_ref_b(root: Path) -> list[Article]:
    """The second human translation of the same documents (a professional's English, from Chinese)."""
    return _mqm(root, human=True)


SOURCES = {"bbc": bbc, "lee": lee, "semeval": semeval, "mqm_mt": mqm_mt, "mqm_refB": mqm_ref_b}
DEFAULT_SOURCES = ["bbc", "lee", "semeval"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--sources", nargs="+", default=DEFAULT_SOURCES, choices=list(SOURCES))
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--json", type=Path, help="write every source's figures and held articles here")
    args = ap.parse_args(argv)
    figures: dict[str, Any] = {}
    for name in args.sources:
        figures[name] = run(name, SOURCES[name](args.data), args.jobs)
        report(figures[name])
        sys.stdout.flush()
    total = defaultdict(int)
    for f in figures.values():
        total["articles"] += f["articles"]
        for k, c in f["verdicts"].items():
            total[k] += c
    print(f"\n## all: {dict(total)}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(figures, indent=1, ensure_ascii=False, sort_keys=True), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
