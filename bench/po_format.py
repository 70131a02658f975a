"""Does Tolmach write real news text exactly as GNU gettext does? And how fast?

    python bench/po_format.py [--limit N]

Builds catalogs from the shared WMT test sets (English sources, Russian references: newstest
2012-2020 and WMT21-23 general, i.e. news, social media posts, e-commerce and conversation text,
with emoji, CJK and every kind of punctuation),
one entry per segment pair with a comment and references, writes them with Tolmach's writer in
both styles, and compares each entry with what the real ``msgcat`` (and ``msgcat --no-wrap``)
writes for the same file. Prints the share of byte-identical entries, the characters of entries
that differ, and the writer's speed next to polib's. Needs gettext and ``../shared``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

import polib

from tolmach.pofile import format_catalog, line_break_class

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora" / "en-ru"


def pairs(limit: int) -> list[tuple[str, str]]:
    files = [(src, sorted(src.parent.glob(src.name.replace(".src.en", ".ref.*ru")))[:1])
             for src in sorted((CORPORA / "wmt-general").rglob("*.en-ru.src.en"))]
    files += [(src, [src.with_suffix(".ru")]) for src in sorted((CORPORA / "newstest").glob("*.en-ru.en"))]
    out = []
    for src, refs in files:
        if refs and refs[0].is_file():
            en = src.read_text(encoding="utf-8").splitlines()
            ru = refs[0].read_text(encoding="utf-8").splitlines()
            out += [(e, r) for e, r in zip(en, ru) if e.strip()]
    return out[:limit]


def catalog(items: list[tuple[str, str]], wrapwidth: int) -> polib.POFile:
    po = polib.POFile(wrapwidth=wrapwidth)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru"}
    for i, (en, ru) in enumerate(items):
        po.append(polib.POEntry(
            msgctxt=f"body:{i:08x}", msgid=en, msgstr=ru,
            comment=f"tolmach: body, unit {i + 1} of {len(items)}",
            occurrences=[(f"articles/wmt/{i // 50:04d}.txt", str(i % 50 + 1))],
        ))
    return po


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=100000)
    args = parser.parse_args()
    if not CORPORA.is_dir():
        print(f"skipped: {CORPORA} is absent")
        return 0
    items = pairs(args.limit)
    for width, style in ((79, []), (0, ["--no-wrap"])):
        po = catalog(items, width)
        t0 = time.perf_counter()
        ours = format_catalog(po)
        ours_s = time.perf_counter() - t0
        theirs = subprocess.run(["msgcat", *style, "-"], input=ours.encode(), capture_output=True,
                                check=True).stdout.decode()
        a, b = ours.split("\n\n"), theirs.split("\n\n")
        assert len(a) == len(b), "msgcat merged or dropped entries"
        bad = [(x, y) for x, y in zip(a, b) if x != y]
        odd = Counter()
        for x, _ in bad:  # which characters the differing entries hold beyond plain text
            odd.update(f"{c} U+{ord(c):04X} {line_break_class(c)}" for c in set(x)
                       if ord(c) > 0x2000 and unicodedata.category(c)[0] in "PSZC")
        label = "wrapped at 79" if width else "--no-wrap"
        print(f"{label}: {len(a) - len(bad)}/{len(a)} entries byte-identical to msgcat "
              f"({100 * (len(a) - len(bad)) / len(a):.2f} %), {len(ours) / 1e6:.1f} MB")
        if bad:
            print("  characters in differing entries:", ", ".join(k for k, _ in odd.most_common(8)))
        if width:
            t0 = time.perf_counter()
            str(po)  # polib's own writer, for comparison
            polib_s = time.perf_counter() - t0
            print(f"  speed: Tolmach {len(a) / ours_s:,.0f} entries/s ({ours_s:.2f} s), "
                  f"polib {len(a) / polib_s:,.0f} entries/s ({polib_s:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
