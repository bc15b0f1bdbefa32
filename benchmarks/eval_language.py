"""Sentence language identification: langdetect alone vs the pipeline's shortcuts in front of it.

Run by hand from the project root:
    .venv/bin/python benchmarks/eval_language.py [--data ../shared/data] [--english 3000] [--per-language 400]

English: sentences of BBC articles (400, seeded sample) and WMT21 MT outputs that the function-word
shortcut (`looks_english`) does not decide: what reaches the word-frequency vote and langdetect.
Other languages: translated messages from the system's gettext catalogues (`/usr/share/locale/<lang>`,
`/usr/share/vim/*/lang/<lang>`; read at run time, nothing copied), 19 Latin-script languages.
For each sentence: langdetect's answer, and the pipeline's (`detect_sentence`): how often English is
given another language, how often another language is called English, langdetect calls, time.
"""

from __future__ import annotations

import argparse
import glob
import json
import random
import re
import struct
import time
from collections import Counter
from pathlib import Path

from dedup.text import analyze_text
from dedup.text.language import (
    MIN_WORDS,
    _mostly_non_latin,
    detect,
    detect_sentence,
    looks_english,
    votes_english,
)

LANGS = "fr de es it nl pt ca ro sv da nb pl cs sk tr fi hu id vi".split()


def _mo_strings(path: str) -> list[str]:
    """Translated strings of a gettext .mo catalogue."""
    data = Path(path).read_bytes()
    order = "<" if struct.unpack("<I", data[:4])[0] == 0x950412DE else ">"
    n, _, table = struct.unpack(order + "III", data[8:20])
    out = []
    for i in range(n):
        length, offset = struct.unpack(order + "II", data[table + 8 * i : table + 8 * i + 8])
        out += data[offset : offset + length].decode("utf-8", "replace").split("\x00")
    return out


def english(data: Path, limit: int) -> list[str]:
    files = sorted(glob.glob(str(data / "news/bbc/*/*.txt")))
    random.Random(1).shuffle(files)
    out = []
    for f in files[:400]:
        doc = analyze_text(Path(f).read_text(encoding="latin-1"), id="x", languages=False)
        out += [doc.text[s.start : s.end] for s in doc.sentences]
    seen = set()
    for line in (data / "mqm/wmt21_zhen_mqm_vs_refA.jsonl").open(encoding="utf-8"):
        mt = json.loads(line)["mt"]
        if mt not in seen:
            seen.add(mt)
            out.append(mt)
    out = [
        t for t in out if len(t.split()) >= MIN_WORDS and not looks_english(t) and not _mostly_non_latin(t)
    ]
    random.Random(3).shuffle(out)
    return out[:limit]


def foreign(per_language: int) -> list[tuple[str, str]]:
    out = []
    for lang in LANGS:
        paths = sorted(glob.glob(f"/usr/share/locale/{lang}/LC_MESSAGES/*.mo"))
        paths += sorted(glob.glob(f"/usr/share/vim/*/lang/{lang}/LC_MESSAGES/*.mo"))
        cands = set()
        for p in paths:
            for s in _mo_strings(p):
                s = re.sub(r"%\S+|\\n|&|_|\s+", " ", s).strip()
                if len(s.split()) >= MIN_WORDS and len(s) < 300 and not looks_english(s):
                    cands.add(s)
        picked = sorted(cands)
        random.Random(2).shuffle(picked)
        out += [(lang, s) for s in picked[:per_language]]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--english", type=int, default=3000)
    ap.add_argument("--per-language", type=int, default=400)
    args = ap.parse_args()
    en, fo = english(args.data, args.english), foreign(args.per_language)
    print(
        f"{len(en)} English sentences the function-word shortcut leaves; {len(fo)} in {len(LANGS)} other languages"
    )
    t = time.process_time()
    ld_en = [detect.__wrapped__(s) for s in en]  # type: ignore[attr-defined]
    t_ld = time.process_time() - t
    ld_fo = [detect.__wrapped__(s) for _, s in fo]  # type: ignore[attr-defined]
    t = time.process_time()
    votes_english("the word lists are loaded here, once")
    t_load = time.process_time() - t
    t = time.process_time()
    pipe_en = [detect_sentence(s) for s in en]
    t_pipe = time.process_time() - t
    pipe_fo = [detect_sentence(s) for _, s in fo]
    voted = sum(votes_english(s) for s in en)
    print(
        f"langdetect alone: English given another language {sum(x not in ('en', 'und') for x in ld_en)}, "
        f"'und' {ld_en.count('und')}; other languages called English {ld_fo.count('en')}; "
        f"English: {1000 * t_ld / len(en):.3f} ms CPU per sentence"
    )
    print(
        f"pipeline (vote, then langdetect): English given another language "
        f"{sum(x not in ('en', 'und') for x in pipe_en)}, 'und' {pipe_en.count('und')}; other languages "
        f"called English {pipe_fo.count('en')}; English decided by the vote {voted} of {len(en)}; "
        f"English: {1000 * t_pipe / len(en):.3f} ms CPU per sentence (word lists loaded once before: "
        f"{t_load:.2f} s)"
    )
    added = Counter(
        lang for (lang, _), a, b in zip(fo, ld_fo, pipe_fo, strict=True) if b == "en" and a != "en"
    )
    print(
        "other-language sentences the vote calls English and langdetect does not:", dict(added.most_common())
    )
    for (lang, s), a, b in zip(fo, ld_fo, pipe_fo, strict=True):
        if b == "en" and a != "en":
            print(f"  {lang} (langdetect {a}): {s[:100]}")


if __name__ == "__main__":
    main()
