"""Segmentation: an article's text -> paragraphs (blocks) -> sentences.

Every paragraph of the input becomes a :class:`Block`; nothing is dropped. Page chrome (donation
appeals, "Read more", share buttons) is kept as a block of kind ``chrome`` with the reason it was
recognised, so a user can see what was skipped and why; so is a paragraph without a letter or
a digit (an invisible character alone: nothing to translate). The title and photo credits are
recognised and kept as translatable units of their own kind.

Sentences are split with razdel (for English with pysbd's abbreviation lists), in time linear in
the text's length.
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
from .fsutil import _a, read_text_file
from .spaces import BREAKING_SPACE  # (its home; formats.html imports it from here)

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
# A name and an agency hold a name of two words or an agency's capitals ("Russia / Ukraine", a
# section's label, holds neither) and no word in lower case but a name's particle ("Russia /
# Ukraine war" is a headline's words).
CREDIT_RULES: tuple[str, ...] = (
    r"^(?i:photo|image|фото|иллюстрация|кадр)\s*(:|by|credit)\s*\S.{0,80}$",  # "Photo: Reuters"
    r"^(?=.*\w \w|.*\b[A-ZА-ЯЁ]{2,}\b)(?!.* (?!(?:al|el|bin|ibn|da|de|di|du|la|le|van|von|der)\b)[a-zа-яё])"
    r"[A-ZА-ЯЁ][\w.'’\- ]{1,60}( / [A-ZА-ЯЁ][\w.'’&\- ]{0,40}){1,3}$",
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
    # (words, pieces) of each sentence too long for the model, which ``sentences`` holds in pieces
    overlong: tuple[tuple[int, int], ...] = ()

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

    # One search per paragraph instead of one per rule (most paragraphs match none): all rules
    # as one alternation, which only says whether any rule may match.
    @property
    def chrome_any(self) -> re.Pattern[str] | None:
        return _any_of(tuple(rx for _, rx in self.chrome))

    @property
    def credit_any(self) -> re.Pattern[str] | None:
        return _any_of(self.credit)

    @classmethod
    def from_config(cls, config: dict | None = None) -> "Rules":
        config = config or {}
        chrome = [(reason, re.compile(rx, re.I)) for reason, rx in CHROME_RULES]
        for i, rx in enumerate(config.get("chrome", [])):
            chrome.append(("project rule", _compile(rx, f"segment.chrome[{i}]")))
        credit = [re.compile(rx) for rx in CREDIT_RULES]
        credit += [_compile(rx, f"segment.credit[{i}]") for i, rx in enumerate(config.get("credit", []))]
        return cls(tuple(chrome), tuple(credit), bool(config.get("title", True)))


@lru_cache(maxsize=16)
def _any_of(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One pattern that matches where any of ``patterns`` would (None: cannot be combined, e.g.
    a back-reference would point at another rule's group)."""
    if not patterns or any(re.search(r"\\\d|\(\?P=|\(\?\w*[aiLmsux]", p.pattern) for p in patterns):
        return None
    flags = {p.flags & ~re.U for p in patterns}
    if len(flags) != 1:
        return None
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), flags.pop())


def _compile(rx: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(rx, re.I)
    except re.error as err:
        raise TolmachError(f"configuration {where}: bad regular expression {rx!r}: {err}") from None


def detect_language(text: str) -> str:
    """'ru' if Cyrillic letters outnumber Latin ones, else 'en'."""
    cyr, lat = _script_counts(text)
    return "ru" if cyr > lat else "en"


def _script_counts(text: str) -> tuple[int, int]:
    """(Cyrillic, Latin) letters in the text."""
    cyr = lat = 0
    for ch in text:
        if "а" <= ch.lower() <= "я" or ch in "ёЁ":
            cyr += 1
        elif "a" <= ch.lower() <= "z":
            lat += 1
    return cyr, lat


_HTML_MARKUP = re.compile(r"(?is)<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>")


def source_language(text: str, given: str | None, path: str = "<text>") -> str:
    """The article's language: ``given`` (``--from``), checked against the script, else detected.

    A language the text plainly is not in (``--from ru`` on an English article) is refused before
    anything is written: it would make a mislabelled template and a catalog in the wrong direction.
    """
    if not given:
        return detect_language(text)
    cyr, lat = _script_counts(text)
    letters = cyr + lat
    if given in LANGS and letters >= 20:
        share = (cyr if given == "ru" else lat) / letters
        if share < 0.1:  # mixed text (names, quotes in the other language) is honoured
            found = "Latin letters (English?)" if given == "ru" else "Cyrillic letters (Russian?)"
            name = "Russian" if given == "ru" else "English"
            raise TolmachError(f"--from {given}: the article is not {name}: {100 - share * 100:.0f}% of its "
                               f"letters are {found}", path)
    return given


def normalize_space(text: str) -> str:
    """Runs of breaking whitespace as one space, no-break spaces kept; nothing at either end."""
    return BREAKING_SPACE.sub(" ", text).strip()


# Why a paragraph without a letter or a digit is skipped: it has nothing to translate.
NO_WORDS = "no words to translate"


def has_words(text: str) -> bool:
    """Does the text hold a letter or a digit? A paragraph without one (a soft hyphen or a
    zero-width space alone, ``* * *``) has nothing to translate and is no unit: the model would make
    words up («Вкусный» for a soft hyphen). (A number alone stays a unit: "1,200" is "1 200" in
    Russian.)"""
    return any(ch.isalnum() for ch in text)


def spacing_key(text: str) -> str:
    """The text with every run of whitespace, no-break spaces too, as one space. Two paragraphs
    with the same key differ in their spaces only: a catalog made before Tolmach kept no-break
    spaces has "2 %" where the article, read now, has "2\u00a0%"."""
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
    chrome_any, credit_any = rules.chrome_any, rules.credit_any
    for _, text, markup in paras:
        reason = ""
        # a table's cell is the table's ("Share", "Advertisement": a column, a budget line), not a
        # paragraph of page chrome or a photo credit
        cell = markup == "| "
        if not cell and (chrome_any is None or chrome_any.search(text)):
            reason = next((r for r, rx in rules.chrome if rx.search(text)), "")
        if not reason and not has_words(text):  # (a Markdown unit has words: see formats.markdown._plain)
            reason = NO_WORDS
        if reason:
            kinds.append((CHROME, reason))
        elif markup.startswith("#"):  # (a heading is never a credit, whatever its words)
            kinds.append((HEADING, "Markdown heading"))
        elif not cell and (credit_any is None or credit_any.match(text)) and any(rx.match(text) for rx in rules.credit):
            kinds.append((CREDIT, "photo credit"))
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


# Sentences longer than this go to the model in pieces: the engines decode at most 256 pieces
# (~150 words of news English, fewer of its Russian) and a 6,000-word "sentence" otherwise comes back as a short draft.
MAX_SENTENCE_WORDS = 100
# razdel is run on windows of this many characters, so the work stays linear in the text's size
# (its joins copy the sentence being built) and a paragraph of megabytes costs what its sentences do.
SPLIT_WINDOW = 4096


@lru_cache(maxsize=1)
def _english_sentenizer():
    """razdel's sentence segmenter with one more rule: pysbd's English abbreviation lists.

    pysbd alone splits English well but costs ~5 s per MB and grows quadratically in a long
    paragraph (each abbreviation it finds rewrites the whole text); razdel's rules are linear and
    generic (initials, lower-case continuations, quotes, lists), and pysbd's lists tell it where an
    English abbreviation is not a sentence end ("Mr. Smith", "No. 5", "St. Petersburg")."""
    from pysbd.lang.english import English
    from razdel.rule import JOIN, SPLIT, FunctionRule
    from razdel.segmenters.sentenize import RULES, SentSegmenter

    abbreviations = English.Abbreviation
    always = frozenset(abbreviations.PREPOSITIVE_ABBREVIATIONS)
    before_number = frozenset(abbreviations.NUMBER_ABBREVIATIONS)
    known = frozenset(abbreviations.ABBREVIATIONS)
    starters = frozenset(English.AbbreviationReplacer.SENTENCE_STARTERS)

    def english_abbreviation(split):
        if split.delimiter != "." or not split.left_token or not split.right_token:
            return None
        left, right = split.left_token.lower(), split.right_token
        if left in always:
            return JOIN
        if left in before_number and right.isdigit():
            return JOIN
        if left in known or split.left_pair_sokr:
            if right in starters:
                return SPLIT  # "... in the U.S. The talks": not an initial, as razdel would think
            if right.isalnum():
                return JOIN  # "Jan. 5", "U.S. President"
        return None

    return SentSegmenter(rules=[*RULES[:4], FunctionRule(english_abbreviation), *RULES[4:]])


@lru_cache(maxsize=1)
def _split_point():
    from razdel.segmenters.sentenize import DELIMITER

    return re.compile(DELIMITER + r"\s", re.U).search


def _sentenizer(lang: str):
    if lang == "ru":
        from razdel import sentenize

        return sentenize
    return _english_sentenizer()


def _raw_sentences(text: str, lang: str) -> list[str]:
    """razdel over windows of SPLIT_WINDOW characters: each window's last sentence may be cut
    off, so the next window starts where it starts; a window without any sentence end is cut at
    its last space and carried over into the sentence that goes on in the next window."""
    sentenize = _sentenizer(lang)
    out: list[str] = []
    carried: list[str] = []  # the start of a sentence longer than a window
    pos = 0
    while pos < len(text):
        chunk = text[pos : pos + SPLIT_WINDOW]
        spans = list(sentenize(chunk))
        if pos + SPLIT_WINDOW >= len(text):
            found = [span.text for span in spans]
            pos = len(text)
        elif len(spans) >= 2:
            found = [span.text for span in spans[:-1]]
            pos += spans[-1].start
        else:
            cut = chunk.rfind(" ")
            cut = cut if cut > 0 else len(chunk)
            carried.append(chunk[:cut].strip())
            pos += cut
            continue
        if carried and found:
            found[0] = " ".join([*carried, found[0]])
            carried = []
        out.extend(found)
    if carried:
        out.append(" ".join(carried))
    return [part for part in out if part]


def split_sentences(text: str, lang: str) -> list[str]:
    """Split one paragraph into sentences (razdel; for English with pysbd's abbreviations).

    A sentence of more than MAX_SENTENCE_WORDS words comes back in pieces (see
    :func:`split_overlong`), since this is what goes to the model."""
    return split_for_model(text, lang)[0]


def split_for_model(text: str, lang: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Sentences (over-long ones in pieces) and (words, pieces) of each over-long one."""
    text = text.strip()
    if not text:
        return [], []
    if not _split_point()(text):
        # razdel splits only at a delimiter followed by a space: none, one sentence (most
        # headings, captions and one-sentence paragraphs skip the segmenter)
        sentences = [normalize_space(text)]
    else:
        sentences = _merge_fragments(text, _raw_sentences(text, lang))
    if all(s.count(" ") < MAX_SENTENCE_WORDS for s in sentences):
        return sentences, []
    pieces: list[str] = []
    overlong: list[tuple[int, int]] = []
    for s in sentences:
        cut = split_overlong(s)
        if len(cut) > 1:
            overlong.append((len(s.split()), len(cut)))
        pieces.extend(cut)
    return pieces, overlong


def split_overlong(sentence: str, max_words: int = MAX_SENTENCE_WORDS) -> list[str]:
    """Cut a sentence of more than ``max_words`` words into pieces of at most that many, each
    after the last clause mark (, ; : or a dash) in the second half of its window if there is one."""
    words = BREAKING_SPACE.split(sentence.strip())  # ("2 %" is one word: it stays one)
    if len(words) <= max_words:
        return [sentence]
    pieces = []
    start = 0
    while len(words) - start > max_words:
        end = start + max_words
        cut = next(
            (i + 1 for i in range(end - 1, start + max_words // 2, -1)
             if words[i].endswith((",", ";", ":")) or words[i] in ("—", "–", "-")),
            end,
        )
        pieces.append(" ".join(words[start:cut]))
        start = cut
    pieces.append(" ".join(words[start:]))
    return pieces


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


def refuse_unusable_text(text: str, path: str | Path, line: int | None = None) -> None:
    """An article too large to segment, or with no text at all, is one error naming it. (Also
    checked by ``batch`` for every article before the run writes anything.)"""
    if len(text) > MAX_ARTICLE_CHARS:
        raise TolmachError(
            f"article too large ({len(text):,} characters, limit {MAX_ARTICLE_CHARS:,}); "
            "split it into articles first",
            path, line,
        )
    if not text.strip():
        raise TolmachError("empty article: nothing to translate", path, line)


def segment_text(
    text: str,
    lang: str | None = None,
    path: str = "<text>",
    markdown: bool | None = None,
    rules: Rules | None = None,
) -> Article:
    refuse_unusable_text(text, path)
    if markdown is None:
        markdown = Path(path).suffix.lower() in MARKDOWN_SUFFIXES
    is_html = Path(path).suffix.lower() in HTML_SUFFIXES
    # the language of an HTML page is that of its text, not of its tags and scripts
    lang = source_language(_HTML_MARKUP.sub(" ", text) if is_html else text, lang, path)
    if lang not in LANGS:
        raise TolmachError(f"unsupported language {lang!r} (supported: {', '.join(LANGS)})", path)
    rules = rules or Rules.from_config()
    if is_html:  # see tolmach.formats.html
        from .formats.html import html_blocks

        _, html_units = html_blocks(unicodedata.normalize("NFC", text), lang, rules, path)
        return _with_text(Article(path=path, lang=lang, blocks=html_units, fmt="html"))
    if markdown:  # CommonMark through markdown-it-py: see tolmach.formats.markdown
        from .formats.markdown import markdown_blocks

        _, md_blocks = markdown_blocks(unicodedata.normalize("NFC", text), lang, rules)
        return _with_text(Article(path=path, lang=lang, blocks=md_blocks, fmt="markdown"))
    paras = _paragraphs(unicodedata.normalize("NFC", text), markdown)
    kinds = _classify(paras, rules)
    blocks = []
    for i, ((line, ptext, markup), (kind, reason)) in enumerate(zip(paras, kinds)):
        sentences, overlong = split_for_model(ptext, lang) if kind != CHROME else ([], [])
        blocks.append(
            Block(
                index=i,
                line=line,
                kind=kind,
                text=ptext,
                markup=markup,
                reason=reason,
                sentences=tuple(sentences),
                overlong=tuple(overlong),
            )
        )
    blocks = tuple(blocks)
    return Article(path=path, lang=lang, blocks=blocks, fmt="markdown" if markdown else "text")


def _with_text(article: Article) -> Article:
    """The article, where it has a paragraph to translate: a page or a Markdown file with no text
    (``<body> </body>``, only a code block) is as empty as a blank text file, not a template of 0
    units and an empty catalog."""
    if not article.blocks:
        raise TolmachError("empty article: nothing to translate", article.path)
    return article


# How an article's name says its format (any other name: plain text)
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")

# Files that are text but no article: read as one, a CSV export or a catalog went to the model
# whole, header, quotes and all. (Any other name is an article: plain text, unless .md or .html.)
NOT_ARTICLES = {
    ".csv": "CSV", ".tsv": "TSV", ".json": "JSON", ".jsonl": "JSONL", ".ndjson": "JSON Lines",
    ".parquet": "Parquet", ".xml": "XML", ".xlsx": "Excel", ".xls": "Excel", ".ods": "spreadsheet",
    ".po": "PO", ".pot": "POT", ".mo": "MO", ".xlf": "XLIFF", ".xliff": "XLIFF", ".sdlxliff": "XLIFF",
    ".tmx": "TMX", ".tbx": "TBX", ".sqlite": "SQLite", ".db": "database", ".docx": "Word",
    ".doc": "Word", ".odt": "document", ".rtf": "RTF", ".pdf": "PDF", ".zip": "ZIP", ".gz": "gzip",
}


def refuse_non_article(path: str | Path) -> None:
    """A TolmachError when the file's suffix says it is data, not an article (:data:`NOT_ARTICLES`)."""
    kind = NOT_ARTICLES.get(Path(path).suffix.lower())
    if kind is not None:
        raise TolmachError(f"{_a(kind)} file is not an article: Tolmach reads .txt, .md and .html articles "
                           "(and `tolmach batch` JSONL or Parquet exports, one article per record)", path)


def segment_file(
    path: str | Path, lang: str | None = None, rules: Rules | None = None
) -> Article:
    return segment_text(read_article(path), lang=lang, path=str(path), rules=rules)


def read_article(path: str | Path) -> str:
    """The text of the article file at ``path``: a page in the charset it declares, any other
    article as UTF-8; a file that is no article (a CSV export, a catalog) is refused."""
    refuse_non_article(path)
    if Path(path).suffix.lower() in HTML_SUFFIXES:  # in the charset the page declares
        from .formats.html import read_page

        return read_page(path)
    return read_text_file(path, "article")


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
