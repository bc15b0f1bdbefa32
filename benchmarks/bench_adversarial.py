"""`check` on adversarial article shapes: how long the text-only pipeline takes on each (no timed
tests: run by hand, figures in benchmarks/results/check.md).

    .venv/bin/python benchmarks/bench_adversarial.py [--words 150000]

Shapes (seeded): one paragraph of N words with no full stop; N words sprinkled with quote marks
and brackets; every word written twice; sentences of 40 glued capitalised words.
"""

from __future__ import annotations

import argparse
import random
import time

from dedup.check import check
from dedup.text import analyze_text

WORDS = (
    "the minister said that talks would continue next week in Geneva with officials from both sides".split()
)
GLUE = ["Kerry", "Treasury", "Blinken", "Special", "Gina", "Raimondo"]


def shapes(n: int) -> dict[str, str]:
    rng = random.Random(1)
    return {
        "no full stop": " ".join(rng.choice(WORDS) for _ in range(n)),
        "quotes and brackets": " ".join(
            rng.choice([*WORDS, '"', "(", ")", "“", "”", "«", "["]) for _ in range(n)
        ),
        "every word twice": " ".join(f"{w} {w}" for w in (rng.choice(WORDS) for _ in range(n // 3))) + ".",
        "glued capitalised words": ". ".join(
            "".join(rng.choice(GLUE) for _ in range(40)) for _ in range(n // 75)
        ),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--words", type=int, default=150_000)
    args = ap.parse_args()
    check(analyze_text("Warm up the language tables and the detectors once.", id="w"))
    for name, text in shapes(args.words).items():
        t = time.process_time()
        doc = analyze_text(text, id=name)
        res = check(doc)
        print(
            f"{name:<24} {len(text):>9,} chars  {time.process_time() - t:6.2f} s CPU  {len(res.flags):>6} flags"
        )


if __name__ == "__main__":
    main()
