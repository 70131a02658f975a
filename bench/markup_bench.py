"""Markup bench: Markdown news articles with links, emphasis and code spans through the bench model.

Articles are generated from WMT newstest English sentences (../shared/corpora/en-ru/newstest):
front matter, a title, sub-headings, paragraphs of two sentences, a tight list, a quote, a code
block; most paragraphs get a link around a few words (its URL made of English words, which a model
would translate), an emphasis or strong emphasis and a code span. Each article goes through
``segment -> template -> init -> translate -> build`` with the shared bench model
(``translate-en_ru-bench.argosmodel``), and the bench prints:

* URLs and code spans of each unit found byte-exact in its translation (goal 100 %);
* emphasis/strong/link pairs of each unit found in its translation (goal >= 99 %);
* rebuilt articles that parse (markdown-it) to the source's block tree (goal: all);
* the same unit figures when the Markdown goes to the model unprotected (the old way), to show
  what protection is for; and how many marks were placed by position (no alignment).

Usage::

    python bench/markup_bench.py [--articles 8] [--model PACKAGE_DIR_OR_ARGOSMODEL]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MODEL = SHARED / "models" / "bench" / "translate-en_ru-bench.argosmodel"
CORPUS = SHARED / "corpora" / "en-ru" / "newstest" / "newstest2020.en-ru.en"

CODE = ["tolmach build", "git pull --rebase", "config.toml", "make_articles.py", "--no-fuzzy",
        "SELECT * FROM votes", "npm install", "x = 1", "/etc/hosts", "pip install tolmach"]


def _sentences(rng: random.Random) -> list[str]:
    lines = [ln.strip() for ln in CORPUS.read_text(encoding="utf-8").splitlines()]
    good = [ln for ln in lines if 8 <= len(ln.split()) <= 30 and ln.endswith(".") and not re.search(r"[*_`\[\]<>|#]", ln)]
    rng.shuffle(good)
    return good


def _slug(words: list[str]) -> str:
    return "-".join(re.sub(r"[^a-z0-9]+", "", w.lower()) for w in words if re.sub(r"[^a-z0-9]+", "", w.lower()))


def _decorate(sentence: str, rng: random.Random, n: int) -> str:
    """Put a link, an emphasis and a code span on word boundaries of a sentence."""
    words = sentence[:-1].split(" ")
    plain = [i for i, w in enumerate(words) if re.fullmatch(r"[A-Za-z][A-Za-z'-]*", w)]
    if len(plain) < 5:
        return sentence
    i = rng.choice(plain[1:-3])
    j = min(len(words) - 2, i + rng.randint(1, 3))
    if not all(k in plain for k in range(i, j + 1)):
        j = i
    url = f"https://news.example.com/2026/{_slug(words[i:j + 1])}-{n}"
    words[i] = "[" + words[i]
    words[j] = words[j] + f"]({url})"
    rest = [k for k in plain if k < i - 1 or k > j + 1]
    if rest:
        k = rng.choice(rest)
        mark = rng.choice(["*", "**", "_"])
        words[k] = f"{mark}{words[k]}{mark}"
    out = " ".join(words) + "."
    if rng.random() < 0.8:
        out = out[:-1] + f", `{rng.choice(CODE)}`."
    return out


def make_article(rng: random.Random, pool: list[str], n: int) -> str:
    take = lambda: pool.pop()  # noqa: E731
    title = take()[:-1]
    parts = [f"---\ntitle: Article {n}\ndate: 2026-12-01\n---", f"# {title}"]
    for section in range(2):
        if section:
            parts.append(f"## {take()[:-1]}")
        for _ in range(3):
            parts.append(" ".join(_decorate(take(), rng, n) if rng.random() < 0.85 else take() for _ in range(2)))
    parts.append("\n".join(f"- {_decorate(take(), rng, n)}" for _ in range(3)))
    parts.append(f"> {_decorate(take(), rng, n)}")
    parts.append("```sh\ntolmach translate-article news.md --to ru\n```")
    parts.append(" ".join(_decorate(take(), rng, n) for _ in range(2)))
    return "\n\n".join(parts) + "\n"


def _marks(text: str) -> dict[str, Counter]:
    """URLs, code spans and pairs (em/strong/link with text) of one unit's inline Markdown."""
    from tolmach.markup import markdown_parser

    tokens = markdown_parser().parseInline(text, {})[0].children or []
    out = {"url": Counter(), "code": Counter(), "pair": Counter()}
    for k, t in enumerate(tokens):
        if t.type == "link_open":
            out["url"][t.attrs.get("href", "")] += 1
            nxt = tokens[k + 1] if k + 1 < len(tokens) else None
            if nxt is not None and nxt.type != "link_close":
                out["pair"]["link"] += 1
        elif t.type == "code_inline":
            out["code"][t.content] += 1
        elif t.type in ("em_open", "strong_open"):
            out["pair"][t.type] += 1
    return out


def _score(pairs: list[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    got = {"url": [0, 0], "code": [0, 0], "pair": [0, 0]}
    for source, target in pairs:
        s, t = _marks(source), _marks(target)
        for key in got:
            got[key][1] += sum(s[key].values())
            got[key][0] += sum(min(c, t[key][k]) for k, c in s[key].items())
    return {k: (a, b) for k, (a, b) in got.items()}


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<script>window.analytics = {{"page": "news"}};</script></head>
<body><header><a href="/" class="logo">The Daily Bench</a><nav><ul>
<li><a href="/world">World news and analysis</a></li><li><a href="/business">Business and markets today</a></li>
</ul></nav></header>
<main><article>
<div class="share-buttons"><a href="https://twitter.com/intent/tweet">Share on Twitter</a></div>
{body}
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/r/1">Another story about the markets this week</a></li></ul></aside>
<div class="newsletter"><p>Sign up for our newsletter to get the news every morning.</p></div>
</main><footer><p>Copyright 2026 The Daily Bench. All rights reserved.</p></footer>
<script src="/app.js"></script></body></html>
"""


def _fragment_marks(text: str) -> dict[str, Counter]:
    from lxml import html as lhtml

    out = {"href": Counter(), "code": Counter(), "pair": Counter()}
    root = lhtml.fragment_fromstring(text, create_parent="div")
    for el in root.iter("a", "em", "strong", "code"):
        if el.tag == "a":
            out["href"][el.get("href")] += 1
        if el.tag == "code":
            out["code"][el.text_content()] += 1
        elif el.text_content().strip():
            out["pair"][el.tag] += 1
    return out


def _shape(doc) -> tuple:
    """Block elements in order, inline ones as a multiset (a translation may reorder those),
    each with its attributes; and the scripts' text."""
    from tolmach.markup import INLINE_TAGS

    items = [(e.tag, tuple(sorted(e.attrib.items()))) for e in doc.iter() if isinstance(e.tag, str) and e.tag != "html"]
    blocks = [i for i in items if i[0] not in INLINE_TAGS]
    inline = sorted(i for i in items if i[0] in INLINE_TAGS)
    return blocks, inline, [s.text for s in doc.iter("script")]


def _html_bench(sources: list[Path], package: Path, tmp: Path) -> dict:
    """The same articles as HTML pages through extract -> translate -> build."""
    from lxml import html as lhtml

    from tolmach.build import build_document
    from tolmach.catalog import init_catalog, load_catalog, save_catalog, template_for
    from tolmach.engines.argos import ArgosEngine
    from tolmach.markup import markdown_parser
    from tolmach.segment import segment_text
    from tolmach.translate import TranslateOptions, translate_catalogs

    pages, catalogs, units, skipped = [], [], 0, 0
    for src in sources:
        text = src.read_text(encoding="utf-8")
        title = next(line[2:] for line in text.splitlines() if line.startswith("# "))
        page = PAGE.format(title=title, body=markdown_parser().render(text))
        path = tmp / f"{src.stem}.html"
        path.write_text(page, encoding="utf-8")
        art = segment_text(page, path=str(path), lang="en")
        units += len(art.units)
        skipped += len(art.skipped)
        po = tmp / f"{src.stem}.html.ru.po"
        save_catalog(init_catalog(template_for(art), "ru"), po)
        pages.append(path)
        catalogs.append(po)
    translate_catalogs(catalogs, lambda s, t: ArgosEngine(package), TranslateOptions())
    got = {"href": [0, 0], "code": [0, 0], "pair": [0, 0]}
    same = 0
    for path, po_path in zip(pages, catalogs):
        po = load_catalog(po_path)
        for e in po:
            s, t = _fragment_marks(e.msgid), _fragment_marks(e.msgstr)
            for key in got:
                got[key][1] += sum(s[key].values())
                got[key][0] += sum(min(c, t[key][k]) for k, c in s[key].items())
        page = path.read_text(encoding="utf-8")
        built, _ = build_document(po, page, "html")
        (tmp / f"{path.stem}.ru.html").write_text(built, encoding="utf-8")
        a, b = lhtml.document_fromstring(page), lhtml.document_fromstring(built)
        same += _shape(a) == _shape(b) and b.get("lang") == "ru"
    return {**{k: tuple(v) for k, v in got.items()}, "same": same, "units": units, "skipped": skipped}


def _package(model: Path, tmp: Path) -> Path:
    if model.is_dir():
        return model
    with zipfile.ZipFile(model) as zf:
        zf.extractall(tmp)
        top = zf.namelist()[0].split("/")[0]
    return tmp / top


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=8)
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--keep", type=Path, help="Keep the articles, catalogs and builds here.")
    parser.add_argument("--html", action="store_true", help="Also run the articles as HTML pages.")
    args = parser.parse_args(argv)
    if not args.model.exists() or not CORPUS.exists():
        print(f"skipped: {args.model} or {CORPUS} not found (../shared is needed)")
        return 0

    from tolmach.build import build_document
    from tolmach.catalog import init_catalog, load_catalog, save_catalog, template_for
    from tolmach.engines.argos import ArgosEngine
    from tolmach.formats.markdown import block_tree
    from tolmach.markup import protect
    from tolmach.segment import segment_text, split_sentences
    from tolmach.translate import TranslateOptions, translate_catalogs

    rng = random.Random(args.seed)
    pool = _sentences(rng)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = args.keep or Path(tmpdir)
        tmp.mkdir(parents=True, exist_ok=True)
        package = _package(args.model, Path(tmpdir) / "model")
        sources, catalogs = [], []
        for n in range(args.articles):
            text = make_article(rng, pool, n)
            path = tmp / f"news-{n}.md"
            path.write_text(text, encoding="utf-8")
            art = segment_text(text, path=str(path), lang="en")
            po = tmp / f"news-{n}.ru.po"
            save_catalog(init_catalog(template_for(art), "ru"), po)
            sources.append(path)
            catalogs.append(po)

        def factory(src: str, tgt: str) -> ArgosEngine:
            return ArgosEngine(package)

        started = time.perf_counter()
        result = translate_catalogs(catalogs, factory, TranslateOptions())
        seconds = time.perf_counter() - started
        pairs, same_tree, by_position, units = [], 0, 0, 0
        for path, po_path in zip(sources, catalogs):
            po = load_catalog(po_path)
            pairs += [(e.msgid, e.msgstr) for e in po if e.msgid]
            units += sum(1 for e in po if e.msgid)
            by_position += sum(1 for e in po if "placed by position" in (e.comment or ""))
            text, _ = build_document(po, path.read_text(encoding="utf-8"), "markdown")
            (tmp / f"{path.stem}.ru.md").write_text(text, encoding="utf-8")
            same_tree += block_tree(text) == block_tree(path.read_text(encoding="utf-8"))
        protected = _score(pairs)

        # the old way: the unit's Markdown straight to the model, sentence by sentence
        engine = ArgosEngine(package)
        try:
            split = [split_sentences(src, "en") or [src] for src, _ in pairs]
            flat = [s for ss in split for s in ss]
            outputs = iter(engine.translate(flat))
            raw = [(src, " ".join(next(outputs) for _ in ss)) for (src, _), ss in zip(pairs, split)]
            # the other way to hide a code span: a placeholder token the model should copy
            held, kept_held = 0, 0
            marked = []
            for src, _ in pairs:
                p = protect(src)
                text, codes = p.plain, [a for a in p.atoms if a.kind == "code"]
                for k, atom in sorted(enumerate(codes), key=lambda ka: -ka[1].start):
                    text = text[:atom.start] + f"X{k + 1}" + text[atom.end:]
                if codes:
                    marked.append((text, len(codes)))
            outs = engine.translate([t for t, _ in marked])
            for (text, n), out in zip(marked, outs):
                held += n
                kept_held += sum(1 for k in range(n) if re.search(rf"(?<!\w)X{k + 1}(?!\w)", out))
        finally:
            engine.close()
        unprotected = _score(raw)

        html = _html_bench(sources, package, tmp) if args.html else None

    def pct(a: int, b: int) -> str:
        return f"{100 * a / b:.1f} % ({a}/{b})" if b else "n/a"

    print(f"markup bench: {args.articles} Markdown articles, {units} units, {result.sentences} sentences, "
          f"model {args.model.name}; translate+align+restore {seconds:.1f} s")
    print(f"{'':28} {'protected':>22} {'unprotected (old)':>22}")
    for key, label in (("url", "URLs byte-exact"), ("code", "code spans byte-exact"),
                       ("pair", "emphasis/link pairs kept")):
        print(f"{label:28} {pct(*protected[key]):>22} {pct(*unprotected[key]):>22}")
    print(f"{'rebuilt: same block tree':28} {pct(same_tree, args.articles):>22}")
    print(f"{'units with a mark placed by position (no alignment)':28} {by_position}")
    print(f"code spans as placeholders (X1, X2...) the model copies: {pct(kept_held, held)} "
          "(protected: the code's words go to the model, the span is put back by alignment)")
    if html is not None:
        print(f"HTML pages (the same articles rendered, in a page with navigation, share bar, related "
              f"links, newsletter box, footer, scripts): {html['units']} units, {html['skipped']} skipped as chrome")
        for key, label in (("href", "hrefs byte-exact"), ("code", "code elements byte-exact"),
                           ("pair", "a/em/strong pairs kept")):
            print(f"  {label:26} {pct(*html[key]):>22}")
        print(f"  {'rebuilt page: same elements':26} {pct(html['same'], args.articles):>22} "
              f"(all hrefs, scripts and attributes; lang=ru)")
    ok = (protected["url"][0] == protected["url"][1] and protected["code"][0] == protected["code"][1]
          and protected["pair"][0] >= 0.99 * protected["pair"][1] and same_tree == args.articles)
    print("goals met" if ok else "goals NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
