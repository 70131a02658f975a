"""Build benchmark articles from the WMT newstest sentences in ../shared/corpora/en-ru/newstest/.

Each article is a plain-text file whose paragraphs (separated by blank lines) are single newstest
sentences, taken in corpus (document) order. A sentence is used only if every system of the
benchmark sees exactly that sentence:

* Tolmach's segmenter keeps it as one translatable unit of one sentence (not chrome, not split);
* spaCy's rule-based sentencizer (what argostranslate uses with ``ARGOS_CHUNK_TYPE=SPACY``) does
  not split it either;
* it is 3..60 words long and appears once in the whole set (so deduplication gives Tolmach no
  advantage over the other two cases).

So (a) argostranslate, (b) ``tolmach translate`` and (c) raw CTranslate2 translate the same list of
sentences, and outputs can be compared sentence by sentence.

Usage (standalone)::

    python bench/make_articles.py --lang en --articles 30 --sentences 20 -o /tmp/articles-en
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NEWSTEST = SHARED / "corpora" / "en-ru" / "newstest"

MIN_WORDS, MAX_WORDS = 3, 60


def corpus_files(lang: str) -> list[Path]:
    """Source-side newstest files for a source language (en: *.en-ru.en, ru: *.ru-en.ru)."""
    pattern = "newstest20*.en-ru.en" if lang == "en" else "newstest20*.ru-en.ru"
    return sorted(NEWSTEST.glob(pattern))


def _spacy_splitter(lang: str):
    """spaCy's blank pipeline + rule-based sentencizer, as argostranslate's SPACY chunking does."""
    try:
        import spacy
    except ImportError:  # pragma: no cover - spaCy is a dependency of argostranslate
        return None
    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    return lambda text: [s.text for s in nlp(text).sents]


def candidate_sentences(lang: str, limit: int):
    """Yield up to ``limit`` usable sentences (see the module docstring), in corpus order."""
    from tolmach.segment import split_sentences

    spacy_split = _spacy_splitter(lang)
    seen: set[str] = set()
    count = 0
    for path in corpus_files(lang):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                s = " ".join(line.split())
                if not s or s in seen:
                    continue
                seen.add(s)
                if not MIN_WORDS <= len(s.split()) <= MAX_WORDS:
                    continue
                if split_sentences(s, lang) != [s]:
                    continue
                if spacy_split is not None and [t.strip() for t in spacy_split(s)] != [s]:
                    continue
                yield s
                count += 1
                if count >= limit:
                    return


def make_articles(lang: str, articles: int, sentences: int, out_dir: Path) -> list[tuple[Path, list[str]]]:
    """Write ``articles`` files of ``sentences`` paragraphs each; return [(path, paragraphs)].

    After writing, each article is segmented with Tolmach and any paragraph that Tolmach would
    not keep as one translatable single-sentence unit (e.g. taken for chrome) is dropped, so the
    returned paragraphs are exactly what Tolmach will translate.
    """
    from tolmach.segment import segment_file

    if not NEWSTEST.is_dir():
        raise SystemExit(f"bench: {NEWSTEST} not found (the shared corpora are needed)")
    # Ask for some spare sentences: a few are dropped by the segmenter check below.
    pool = list(candidate_sentences(lang, int(articles * sentences * 1.1) + 20))
    out_dir.mkdir(parents=True, exist_ok=True)
    result: list[tuple[Path, list[str]]] = []
    pos = 0
    for i in range(articles):
        paras: list[str] = []
        path = out_dir / f"article-{lang}-{i + 1:04d}.txt"
        while len(paras) < sentences and pos < len(pool):
            need = sentences - len(paras)
            trial = paras + pool[pos : pos + need]
            pos += need
            path.write_text("\n\n".join(trial) + "\n", encoding="utf-8")
            art = segment_file(path, lang=lang)
            keep = {b.text for b in art.units if list(b.sentences) == [b.text]}
            paras = [p for p in trial if p in keep]
        if not paras:
            break
        path.write_text("\n\n".join(paras) + "\n", encoding="utf-8")
        result.append((path, paras))
    if len(result) < articles:
        print(f"bench: warning: only {len(result)} articles of {sentences} sentences could be built",
              file=sys.stderr)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lang", choices=["en", "ru"], default="en", help="source language")
    ap.add_argument("--articles", type=int, default=30)
    ap.add_argument("--sentences", type=int, default=20, help="sentences (paragraphs) per article")
    ap.add_argument("-o", "--out", type=Path, required=True)
    args = ap.parse_args(argv)
    made = make_articles(args.lang, args.articles, args.sentences, args.out)
    n = sum(len(p) for _, p in made)
    words = sum(len(s.split()) for _, p in made for s in p)
    print(f"{len(made)} articles, {n} sentences, {words} words in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
