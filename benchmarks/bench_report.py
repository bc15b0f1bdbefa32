"""Benchmark: the HTML report of a 1,000-article corpus (target: built in under 10 s, under 5 MB).

Builds a seeded near-duplicate corpus from the BBC articles in ../shared/data/news/bbc (syndicated
copies: headline changed, boilerplate and byline added, a paragraph dropped or moved, a few words
replaced, truncation), writes it to a temporary folder, then times `dedup report FOLDER -o ...`
end to end (a fresh process, as a user runs it) and each stage in this process. The baseline is
the naive use of the same language detector: the full text pipeline with langdetect per sentence.

    .venv/bin/python benchmarks/bench_report.py --n 1000 --seed 7
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # tests.render.test_browser drives Chromium for --browser
DATA = ROOT.parent / "shared" / "data" / "news" / "bbc"
BOILER = [
    "Advertisement",
    "ALSO READ | Markets close higher as investors weigh rate outlook",
    "Story continues below",
]


def _copy(text: str, rng: random.Random) -> str:
    """One syndicated copy of an article."""
    lines = text.split("\n")
    head, body = lines[0], [p for p in "\n".join(lines[1:]).split("\n\n") if p.strip()]
    head = rng.choice(["UPDATE: ", "", "Report: "]) + head + rng.choice(["", " (video)", " - latest"])
    if len(body) > 3 and rng.random() < 0.5:
        body.pop(rng.randrange(1, len(body)))  # a paragraph dropped
    if len(body) > 3 and rng.random() < 0.4:
        body.insert(rng.randrange(1, len(body)), body.pop(rng.randrange(1, len(body))))  # one moved
    words = "\n\n".join(body).split(" ")
    for _ in range(max(1, len(words) // 40)):  # ~2.5% of the words replaced
        words[rng.randrange(len(words))] = rng.choice(["said", "reported", "also", "new", "major"])
    body = " ".join(words).split("\n\n")
    if rng.random() < 0.3:
        body = body[: max(2, int(len(body) * 0.7))]  # truncated
    for _ in range(rng.randint(1, 3)):
        body.insert(rng.randrange(1, len(body) + 1), rng.choice(BOILER))
    byline = rng.choice(["By Staff Reporter", "By Agency Desk", ""])
    return "\n\n".join([head, byline, *body] if byline else [head, *body]) + "\n"


def make_corpus(folder: Path, n: int, copy_share: float, seed: int) -> int:
    """Write n articles (originals plus copies) into folder; returns the number of copies."""
    rng = random.Random(seed)
    sources = sorted(DATA.glob("*/*.txt"))
    n_copies = int(n * copy_share)
    originals = rng.sample(sources, n - n_copies)
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in originals]
    for k, text in enumerate(texts):
        (folder / f"{k:05d}.txt").write_text(text, encoding="utf-8")
    for k in range(n_copies):
        src = rng.randrange(len(texts) // 4)  # copies concentrate on a quarter: clusters of 2-4
        (folder / f"{len(texts) + k:05d}.txt").write_text(_copy(texts[src], rng), encoding="utf-8")
    return n_copies


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--copies", type=float, default=0.2, help="share of the corpus that is copies")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--baseline-sample", type=int, default=100, help="articles for the naive baseline")
    ap.add_argument("--repeat", type=int, default=3, help="end-to-end runs (best and all are reported)")
    ap.add_argument(
        "--render-repeat", type=int, default=5, help="renders of the same results (best is reported)"
    )
    ap.add_argument(
        "--browser", action="store_true", help="open the report in headless Chromium: load time, DOM, filter"
    )
    ap.add_argument("--dump-results", type=Path, help="write the corpus's scan, texts and checks as JSON")
    ap.add_argument(
        "--dump-pair",
        nargs=3,
        type=Path,
        metavar=("MT", "REF", "OUT"),
        help="check MT against REF and write the check, texts and similarity as JSON (nothing else runs)",
    )
    ap.add_argument(
        "--render-from",
        type=Path,
        help="only render results written by --dump-results/--dump-pair, with whatever dedup.render is "
        "importable (compare two trees on the same input): CPU time, best of --render-repeat",
    )
    args = ap.parse_args()
    if args.dump_pair:
        dump_pair(*args.dump_pair)
        return
    if args.render_from:
        render_only(args.render_from, args.render_repeat)
        return

    from dedup.load import load_articles
    from dedup.render.build import analyze_corpus, check_json, scan_json
    from dedup.render.html import render_corpus
    from dedup.text import analyze

    with tempfile.TemporaryDirectory(prefix="dedup-bench-report-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        n_copies = make_corpus(folder, args.n, args.copies, args.seed)
        out = Path(tmp) / "report.html"
        print(f"corpus: {args.n} articles ({n_copies} copies), seed {args.seed}", file=sys.stderr)

        cli = [str(ROOT / ".venv" / "bin" / "dedup"), "report", str(folder), "-o", str(out)]
        walls, cpus, loads = [], [], []
        for _ in range(args.repeat):
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(cli, check=True, stdout=subprocess.DEVNULL)
            walls.append(time.perf_counter() - t0)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
            loads.append(os.getloadavg()[0])
        first = out.read_bytes()
        subprocess.run(cli, check=True, stdout=subprocess.DEVNULL)
        deterministic = out.read_bytes() == first
        size = out.stat().st_size

        stages: dict[str, float] = {}
        t = time.perf_counter()
        articles = load_articles([str(folder)]).articles
        stages["load"] = time.perf_counter() - t
        t = time.perf_counter()
        docs, _ = analyze_corpus(articles)
        stages["analyze (article language), 1 process"] = time.perf_counter() - t
        t = time.perf_counter()
        checks = {d.id: check_json(d)[0] for d in docs}
        stages["check each article, 1 process"] = time.perf_counter() - t
        t = time.perf_counter()
        docs2, checks2 = analyze_corpus(articles, check=True, jobs=0)
        stages[f"analyze + check, {os.cpu_count()} processes"] = time.perf_counter() - t
        assert [d.to_json() for d in docs2] == [d.to_json() for d in docs] and checks2 == checks, (
            "pool differs"
        )
        t = time.perf_counter()
        scan = scan_json(docs)
        stages["scan (copy + story)"] = time.perf_counter() - t
        texts = {d.id: d.text for d in docs}
        if args.dump_results:
            results = {"scan": scan, "texts": texts, "checks": checks}
            args.dump_results.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")
        renders = []
        for _ in range(args.render_repeat):
            t = time.perf_counter()
            html = render_corpus(scan, texts, checks)
            renders.append(time.perf_counter() - t)
        stages[f"render, best of {len(renders)}"] = min(renders)
        page = browser_figures(out) if args.browser else {}
        t = time.perf_counter()
        for a in articles[: args.baseline_sample]:
            analyze(a)
        naive = (time.perf_counter() - t) / max(1, min(args.baseline_sample, len(articles)))
        fast = stages["analyze (article language), 1 process"] / len(articles)

    n_clusters = {
        lv: sum(1 for c in (scan or {}).get("clusters", ()) if c.get("level") == lv)
        for lv in ("copy", "story")
    }
    print("| measure | value |\n|---|---|")
    print(f"| articles | {len(articles)} ({n_copies} copies) |")
    runs = ", ".join(f"{w:.2f}" for w in walls)
    print(
        f"| `dedup report` end to end, fresh process: wall, best of {len(walls)} | {min(walls):.2f} s ({runs}) (target < 10 s) |"
    )
    print(f"| `dedup report` end to end: CPU time of all its processes, best | {min(cpus):.2f} s |")
    print(
        f"| load average (1 min) after each run | {', '.join(f'{x:.1f}' for x in loads)} on {os.cpu_count()} CPUs |"
    )
    print(f"| same bytes on a second run | {deterministic} |")
    print(f"| report size | {size / 1e6:.2f} MB (target < 5 MB) |")
    print(
        f"| clusters found | copy {n_clusters['copy']}, story {n_clusters['story']}{'' if scan else ' (no scan API yet)'} |"
    )
    print(f"| flags | {sum(len(c.get('flags') or ()) for c in checks.values())} |")
    for name, sec in stages.items():
        print(f"| stage: {name} | {sec:.2f} s |")
    print(f"| in-process report size | {len(html.encode('utf-8')) / 1e6:.2f} MB |")
    print(
        f"| analyze per article: naive (langdetect per sentence) vs ours | {naive * 1000:.1f} ms vs "
        f"{fast * 1000:.1f} ms ({naive / fast:.1f}x) |"
    )
    for name, value in page.items():
        print(f"| browser: {name} | {value} |")


def dump_pair(mt_path: Path, ref_path: Path, out: Path) -> None:
    from dedup.load import load_articles
    from dedup.render.build import check_json
    from dedup.text import analyze

    mt, ref = (analyze(load_articles([str(p)]).articles[0]) for p in (mt_path, ref_path))
    check, sim = check_json(mt, ref)
    data = {"check": check, "mt_text": mt.text, "ref_text": ref.text, "similarity": sim}
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def render_only(path: Path, repeat: int) -> None:
    """Render saved results `repeat` times; CPU time, which a shared machine disturbs less than wall."""
    import dedup.render.html as html

    data = json.loads(path.read_text(encoding="utf-8"))
    if "check" in data:
        render = lambda: html.render_pair(  # noqa: E731
            data["check"], data["mt_text"], data["ref_text"], similarity=data["similarity"]
        )
    else:
        render = lambda: html.render_corpus(data["scan"], data["texts"], data["checks"])  # noqa: E731
    times = []
    for _ in range(repeat):
        t = time.process_time()
        page = render()
        times.append(time.process_time() - t)
    size = len(page.encode("utf-8"))
    print(f"{html.__file__}: render CPU best of {repeat} {min(times):.3f} s, {size:,} bytes")


def browser_figures(page: Path) -> dict[str, str]:
    """The page in Debian's headless Chromium (as tests/render/test_browser.py drives it): load time,
    DOM size, resources fetched, and how long one filter keystroke takes over every row."""
    from tests.render.test_browser import _chromium

    with tempfile.TemporaryDirectory(prefix="dedup-bench-chromium-") as profile:
        driver = _chromium(Path(profile), "--window-size=1400,1000")
        try:
            t = time.perf_counter()
            driver.get(page.as_uri())
            load = time.perf_counter() - t
            figures = driver.execute_script(
                """
                var q = document.getElementById('q'), t0 = performance.now();
                q.value = 'zzzz-no-such-article'; q.dispatchEvent(new Event('input'));
                document.body.getBoundingClientRect();  // with the layout it causes
                var t1 = performance.now();
                q.value = ''; q.dispatchEvent(new Event('input'));
                return {nodes: document.getElementsByTagName('*').length, filter: t1 - t0,
                        fetched: performance.getEntriesByType('resource').length};
                """
            )
        finally:
            driver.quit()
    return {
        "page load (driver.get)": f"{load:.2f} s",
        "DOM elements": f"{figures['nodes']:,}",
        "one filter keystroke over every row (script + layout)": f"{figures['filter']:.0f} ms",
        "resources fetched": str(figures["fetched"]),
    }


if __name__ == "__main__":
    main()
