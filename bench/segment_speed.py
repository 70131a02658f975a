"""Segmentation and extraction speed on huge inputs (issue #12): seconds per MB, target <= 2.

Inputs (sizes in UTF-8 bytes), built from news sentences (../shared newstest when present, else a built-in stand-in):
  one-paragraph   every sentence in one 1.7 MB paragraph (no blank line anywhere)
  100k-paragraphs 100,000 short one-sentence paragraphs
  article         paragraphs of three sentences, 1.7 MB
  no-punctuation  1.7 MB of words without a sentence end (one "sentence", split for the model)
each in English and Russian. Extraction = segmentation + the PO template (catalog.template_for).

    .venv/bin/python bench/segment_speed.py [--mb 1.7]
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path

from tolmach.catalog import template_for
from tolmach.segment import MAX_ARTICLE_CHARS, Rules, segment_text

NEWSTEST = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "en-ru" / "newstest"
FALLBACK = {
    "en": ["Mr. Ivanov said on Monday that the talks in St. Petersburg would go on.",
           "The U.S. economy grew 2.5% in the third quarter, analysts at J.P. Morgan said.",
           "“We will not leave,” he told reporters. “Never.”"],
    "ru": ["В понедельник г-н Иванов заявил, что переговоры в Санкт-Петербурге продолжатся.",
           "Экономика США выросла на 2,5% в третьем квартале, т. е. быстрее, чем ожидалось.",
           "«Мы не уйдём», — сказал он журналистам."],
}


def sentences(lang: str) -> list[str]:
    path = NEWSTEST / f"newstest2014.en-ru.{lang}"
    if path.exists():
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        lines = FALLBACK[lang]
    # a sentence that a chrome rule matches would make a whole one-paragraph input chrome (not
    # segmented at all): leave those out so that every input is segmented
    chrome = Rules.from_config().chrome
    return [s for s in lines if not any(rx.search(s) for _, rx in chrome)]


def fill(parts, size: int, sep: str) -> str:
    out, total = [], 0
    for part in itertools.cycle(parts):
        out.append(part)
        total += len(part.encode("utf-8")) + len(sep)
        if total >= size:
            return sep.join(out)
    raise AssertionError


def inputs(lang: str, size: int) -> dict[str, str]:
    sents = sentences(lang)
    paras = [" ".join(sents[i : i + 3]) for i in range(0, len(sents) - 2, 3)]
    words = " ".join(sents).replace(".", "").replace("!", "").replace("?", "").split()
    return {
        "one-paragraph": fill(sents, size, " "),
        # short ones (headline-like, ~17 bytes each): 100,000 fit in 1.7 MB
        "100k-paragraphs": "\n\n".join(
            " ".join(s.split()[:2]) + f" {i}." for i, s in zip(range(100_000), itertools.cycle(sents))
        ),
        "article": fill(paras, size, "\n\n"),
        "no-punctuation": fill(words, size, " "),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=1.7)
    args = ap.parse_args()
    size = int(args.mb * 1e6)
    print(f"source: {'newstest2014' if NEWSTEST.exists() else 'built-in sentences'}")
    print(f"{'input':<16} {'lang':<4} {'MB':>5} {'paragraphs':>10} {'sentences':>9} "
          f"{'segment s':>9} {'extract s':>9} {'s/MB':>5}")
    worst = 0.0
    for lang in ("en", "ru"):
        for name, text in inputs(lang, size).items():
            text = text[:MAX_ARTICLE_CHARS]
            mb = len(text.encode("utf-8")) / 1e6
            started = time.perf_counter()
            article = segment_text(text, lang=lang, path=f"{name}.txt")
            segmented = time.perf_counter()
            template_for(article, f"{name}.txt")
            done = time.perf_counter()
            n_sent = sum(len(b.sentences) for b in article.blocks)
            per_mb = (done - started) / mb
            worst = max(worst, per_mb)
            print(f"{name:<16} {lang:<4} {mb:5.2f} {len(article.blocks):>10,} {n_sent:>9,} "
                  f"{segmented - started:9.2f} {done - started:9.2f} {per_mb:5.2f}")
    print(f"worst: {worst:.2f} s per MB (target <= 2)")


if __name__ == "__main__":
    main()
