"""Segmentation: an article's text -> paragraphs (blocks) -> sentences.

Every paragraph of the input becomes a :class:`Block`; nothing is dropped. Page chrome (donation
appeals, "Read more", share buttons) is kept as a block of kind ``chrome`` with the reason it was
recognised, so a user can see what was skipped and why. The title and photo credits are recognised
and kept as translatable units of their own kind.

Sentences are split with razdel (Russian) and pysbd (English).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from .errors import TolmachError
from .fsutil import read_text_file

TITLE, BODY, CREDIT, HEADING, CHROME = "title", "body", "credit", "heading", "chrome"
TRANSLATABLE_KINDS = (TITLE, HEADING, CREDIT, BODY)
LANGS = ("en", "ru")

# Articles longer than this are almost certainly not one news article (a concatenated dump, a
# binary file with a .txt name): refuse them with a clear message instead of working for minutes.
MAX_ARTICLE_CHARS = 2_000_000

# Generic chrome rules: (reason, regex). Matched against a whole paragraph, case-insensitively.
CHROME_RULES: tuple[tuple[str, str], ...] = (
    ("read-more link", r"^(read more|read also|see also|related( articles| stories)?|more on this|"
     r"читайте также|читать далее|читайте по теме|по теме)\W*$"),
    ("donation appeal", r"^(please )?support (us|our|the [\w\s]{1,40})!?$"),
    ("donation appeal", r"\b(make|making|consider) a donation\b|\bdonate (now|today|to)\b|"
     r"\bhelp (us )?keep it alive\b|\bindependent journalism (is|isn)|\bour loyal readers\b|"
     r"\bbecome a (member|patron|subscriber)\b|\bподдержите (нас|редакцию|проект)|\bпожертвовани"),
    ("subscription prompt", r"^(subscribe|sign up)( now| today)?( to| for)? (our|the) "
     r"(newsletter|mailing list)|^подпишитесь на (наш|рассылку)"),
    ("share buttons", r"^(share|поделиться)( this( article| story)?)?( on)?"
     r"( (facebook|twitter|x|telegram|whatsapp|vk|email)[,\s]*)*$"),
    ("advertisement", r"^(advertisement|реклама|sponsored)$"),
)

# A photo credit: "Allauddin Khan / AP", "Photo: Reuters", "Фото: ТАСС", "Sergei Ilnitsky / EPA / TASS".
CREDIT_RULES: tuple[str, ...] = (
    r"^(?i:photo|image|фото|иллюстрация|кадр)\s*(:|by|credit)\s*\S.{0,80}$",  # "Photo: Reuters"
    r"^[A-ZА-ЯЁ][\w.'’\- ]{1,60}( / [A-ZА-ЯЁ][\w.'’&\- ]{0,40}){1,3}$",
    r"^\((?i:photo|фото)[^)]{0,80}\)$",
)

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_SETEXT = re.compile(r"^(=+|-+)\s*$")
_MD_ITEM = re.compile(r"^((?:[-*+]|\d{1,3}[.)]|>)\s+)(\S.*)$")  # list item or block quote


@dataclass(frozen=True)
class Block:
    """One paragraph of the article, translatable or not."""

    index: int  # 0-based paragraph number in the article
    line: int  # 1-based line in the input file where the paragraph starts
    kind: str  # title | heading | credit | body | chrome
    text: str  # the paragraph, lines joined, Markdown heading marks removed
    markup: str = ""  # what to put back in front when rebuilding ("# " for a Markdown heading)
    reason: str = ""  # why it was classified so (chrome and credit)
    sentences: tuple[str, ...] = ()

    @property
    def translatable(self) -> bool:
        return self.kind != CHROME


@dataclass(frozen=True)
class Article:
    path: str
    lang: str
    blocks: tuple[Block, ...]
    fmt: str = "text"  # text | markdown

    @property
    def units(self) -> list[Block]:
        return [b for b in self.blocks if b.translatable]

    @property
    def skipped(self) -> list[Block]:
        return [b for b in self.blocks if not b.translatable]


@dataclass(frozen=True)
class Rules:
    """Classification rules: the generic ones plus what the project configuration adds."""

    chrome: tuple[tuple[str, re.Pattern[str]], ...]
    credit: tuple[re.Pattern[str], ...]
    detect_title: bool = True

    @classmethod
    def from_config(cls, config: dict | None = None) -> "Rules":
        config = config or {}
        chrome = [(reason, re.compile(rx, re.I)) for reason, rx in CHROME_RULES]
        for i, rx in enumerate(config.get("chrome", [])):
            chrome.append(("project rule", _compile(rx, f"segment.chrome[{i}]")))
        credit = [re.compile(rx) for rx in CREDIT_RULES]
        credit += [_compile(rx, f"segment.credit[{i}]") for i, rx in enumerate(config.get("credit", []))]
        return cls(tuple(chrome), tuple(credit), bool(config.get("title", True)))


def _compile(rx: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(rx, re.I)
    except re.error as err:
        raise TolmachError(f"configuration {where}: bad regular expression {rx!r}: {err}") from None


def detect_language(text: str) -> str:
    """'ru' if Cyrillic letters outnumber Latin ones, else 'en'."""
    cyr = lat = 0
    for ch in text:
        if "а" <= ch.lower() <= "я" or ch in "ёЁ":
            cyr += 1
        elif "a" <= ch.lower() <= "z":
            lat += 1
    return "ru" if cyr > lat else "en"


def normalize_space(text: str) -> str:
    return " ".join(text.split())


def _paragraphs(text: str, markdown: bool) -> list[tuple[int, str, str]]:
    """Split into (line, text, markup) paragraphs at blank lines; in Markdown also at headings,
    list items and block quotes, whose marks go into ``markup``."""
    out: list[tuple[int, str, str]] = []
    buf: list[str] = []
    start = 0
    markup = ""

    def flush() -> None:
        nonlocal markup
        if buf:
            out.append((start, normalize_space(" ".join(buf)), markup))
            buf.clear()
        markup = ""

    for lineno, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if markdown:
            m = _MD_HEADING.match(line)
            if m:
                flush()
                out.append((lineno, normalize_space(m.group(2)), m.group(1) + " "))
                continue
            if buf and _MD_SETEXT.match(line) and len(buf) == 1 and not markup:
                mark = "# " if line.startswith("=") else "## "
                out.append((start, normalize_space(buf[0]), mark))
                buf.clear()
                continue
            m = _MD_ITEM.match(line)
            if m:
                flush()
                start, markup = lineno, m.group(1).strip() + " "
                buf.append(m.group(2))
                continue
        if not buf:
            start = lineno
        buf.append(line)
    flush()
    return out


def _classify(paras: Sequence[tuple[int, str, str]], rules: Rules) -> list[tuple[str, str]]:
    kinds: list[tuple[str, str]] = []
    for _, text, markup in paras:
        reason = next((r for r, rx in rules.chrome if rx.search(text)), "")
        if reason:
            kinds.append((CHROME, reason))
        elif any(rx.match(text) for rx in rules.credit):
            kinds.append((CREDIT, "photo credit"))
        elif markup.startswith("#"):
            kinds.append((HEADING, "Markdown heading"))
        else:
            kinds.append((BODY, ""))
    _fill_appeal_gaps(kinds)
    if rules.detect_title:
        _mark_title(paras, kinds)
    return kinds


def _fill_appeal_gaps(kinds: list[tuple[str, str]]) -> None:
    """A donation appeal runs over several paragraphs; the ones between two appeal paragraphs
    ("Our team has been first with the big stories...") belong to it even without trigger words."""
    appeal = [i for i, (k, r) in enumerate(kinds) if k == CHROME and r == "donation appeal"]
    for a, b in zip(appeal, appeal[1:]):
        if 1 < b - a <= 3 and all(kinds[i][0] == BODY for i in range(a + 1, b)):
            for i in range(a + 1, b):
                kinds[i] = (CHROME, "donation appeal")


def _mark_title(paras: Sequence[tuple[int, str, str]], kinds: list[tuple[str, str]]) -> None:
    """The first translatable paragraph is the title if it reads like a headline."""
    for i, (kind, _) in enumerate(kinds):
        if kind == CHROME:
            continue
        text, markup = paras[i][1], paras[i][2]
        if kind == HEADING and markup.startswith("# "):
            kinds[i] = (TITLE, "first-level heading")
        elif kind == BODY and len(text) <= 200 and not re.search(r"[.:;]$", text) and len(kinds) > 1:
            kinds[i] = (TITLE, "first paragraph, headline form")
        return


@lru_cache(maxsize=2)
def _pysbd_segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str, lang: str) -> list[str]:
    """Split one paragraph into sentences (razdel for Russian, pysbd for English)."""
    text = text.strip()
    if not text:
        return []
    if lang == "ru":
        from razdel import sentenize

        return _merge_fragments(text, [s.text for s in sentenize(text)])
    else:
        parts = _pysbd_segmenter().segment(text)
    return _merge_fragments(text, [p.strip() for p in parts if p.strip()])


def _merge_fragments(text: str, parts: list[str]) -> list[str]:
    """Glue pieces without letters or digits (a closing quote split off by pysbd: ``borders.”``)
    back onto the sentence before, with the spacing the text had."""
    out: list[tuple[int, int]] = []
    pos = 0
    for part in parts:
        start = text.find(part, pos)
        if start < 0:  # the splitter changed the text: fall back to what it returned
            return [normalize_space(p) for p in parts]
        end = start + len(part)
        if out and not any(ch.isalnum() for ch in part):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
        pos = end
    return [normalize_space(text[a:b]) for a, b in out]


def segment_text(
    text: str,
    lang: str | None = None,
    path: str = "<text>",
    markdown: bool | None = None,
    rules: Rules | None = None,
) -> Article:
    if len(text) > MAX_ARTICLE_CHARS:
        raise TolmachError(
            f"article too large ({len(text):,} characters, limit {MAX_ARTICLE_CHARS:,}); "
            "split it into articles first",
            path,
        )
    if not text.strip():
        raise TolmachError("empty article: nothing to translate", path)
    if markdown is None:
        markdown = Path(path).suffix.lower() in (".md", ".markdown")
    lang = lang or detect_language(text)
    if lang not in LANGS:
        raise TolmachError(f"unsupported language {lang!r} (supported: {', '.join(LANGS)})", path)
    rules = rules or Rules.from_config()
    if Path(path).suffix.lower() in (".html", ".htm", ".xhtml"):  # see tolmach.formats.html
        from .formats.html import html_blocks

        _, html_units = html_blocks(unicodedata.normalize("NFC", text), lang, rules, path)
        return Article(path=path, lang=lang, blocks=html_units, fmt="html")
    if markdown:  # CommonMark through markdown-it-py: see tolmach.formats.markdown
        from .formats.markdown import markdown_blocks

        _, md_blocks = markdown_blocks(unicodedata.normalize("NFC", text), lang, rules)
        return Article(path=path, lang=lang, blocks=md_blocks, fmt="markdown")
    paras = _paragraphs(unicodedata.normalize("NFC", text), markdown)
    kinds = _classify(paras, rules)
    blocks = tuple(
        Block(
            index=i,
            line=line,
            kind=kind,
            text=ptext,
            markup=markup,
            reason=reason,
            sentences=tuple(split_sentences(ptext, lang)) if kind != CHROME else (),
        )
        for i, ((line, ptext, markup), (kind, reason)) in enumerate(zip(paras, kinds))
    )
    return Article(path=path, lang=lang, blocks=blocks, fmt="markdown" if markdown else "text")


def segment_file(
    path: str | Path, lang: str | None = None, rules: Rules | None = None
) -> Article:
    if Path(path).suffix.lower() in (".html", ".htm", ".xhtml"):  # in the charset the page declares
        from .formats.html import read_page

        text = read_page(path)
    else:
        text = read_text_file(path, "article")
    return segment_text(text, lang=lang, path=str(path), rules=rules)


def unit_id(block: Block) -> str:
    """A paragraph's identity: its kind and a hash of its text.

    It does not depend on the paragraph's position, so inserting a paragraph does not change the
    identity of any other; an edited paragraph gets a new id and is matched to its old version by
    similarity when catalogs are updated.
    """
    digest = hashlib.sha1(block.text.encode("utf-8")).hexdigest()[:8]
    return f"{block.kind}:{digest}"


def unit_ids(blocks: Iterable[Block]) -> list[str]:
    """Ids of translatable blocks; a paragraph repeated verbatim gets ``#2``, ``#3``..."""
    seen: dict[str, int] = {}
    out = []
    for b in blocks:
        base = unit_id(b)
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return out


@dataclass
class SegmentReport:
    """Plain-data view of an article for printing or JSON."""

    article: Article
    ids: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, article: Article) -> "SegmentReport":
        units = article.units
        return cls(article, {b.index: uid for b, uid in zip(units, unit_ids(units))})

    def as_dict(self) -> dict:
        a = self.article
        return {
            "path": a.path,
            "lang": a.lang,
            "format": a.fmt,
            "paragraphs": len(a.blocks),
            "units": len(a.units),
            "skipped": len(a.skipped),
            "blocks": [
                {
                    "index": b.index,
                    "line": b.line,
                    "kind": b.kind,
                    "id": self.ids.get(b.index),
                    "skipped": not b.translatable,
                    "reason": b.reason,
                    "markup": b.markup,
                    "text": b.text,
                    "sentences": [
                        {"id": f"{self.ids[b.index]}.s{j}", "text": s}
                        for j, s in enumerate(b.sentences, 1)
                    ]
                    if b.translatable
                    else [],
                }
                for b in a.blocks
            ],
        }
