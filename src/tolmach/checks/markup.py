"""The ``markup`` check: the inline Markdown of the source survives in the target.

Source and target are parsed with markdown-it-py (CommonMark), not matched with regexes: a link is
a link only where CommonMark says so (``[text](url)``, ``<https://…>``), so the brackets of
"[of Central Asia]" in plain text are nothing to keep, and a target whose link lost its ``(`` is
a target without that link. Compared: every link and image URL (byte for byte), every code span
(byte for byte: code is never translated) and the number of emphasis, strong emphasis, link and
image pairs. The link text and emphasised words are the translator's to change, but not the label
of a reference link (``[годовой отчёт][annual report]``): a unit is checked without the document's
link definitions, so a label written out in the source (``[text][label]``, ``[text][]``) must be in
the target as a label, or the link is gone (``[годовой отчёт]`` is a bracket, not a link).

Only the units of a Markdown article are checked (the ``#. tolmach: format markdown`` line of their
template): in a plain-text article, an HTML page or a catalog another tool wrote a ``*`` is a star
and a backtick a backtick. Only those whose source has a character that can start inline Markdown
are parsed (``*_`[<!``), so a project of plain-text articles pays nothing for this check.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from ..markup import CODE_TAGS, MARKDOWN, AnyReference, entry_format, label_end, markdown_parser, may_change_words
from ..markup import may_have_markup, protect, reference_label, references
from .base import ERROR, Check, CheckEntry, Finding


# --------------------------------------------------------------------------------------------------
# What other checks need of a unit's markup: its words without it, and where its syntax is


def entry_markup(entry: CheckEntry) -> str | None:
    """``"markdown"`` or ``"html"`` for a unit of a Markdown or HTML article (the ``#. tolmach:
    format`` line its template wrote), None for plain text, where a ``*`` is a star."""
    return entry_format("\n".join(entry.comments)) if entry.comments else None


@lru_cache(maxsize=4096)
def words(text: str, fmt: str) -> str:
    """The unit's words as the model sees them (:func:`tolmach.markup.protect`): the text of links
    and images kept, their URLs and titles, emphasis marks and tags taken out (a term split by
    markup, ``[Кертис](https://…) Скапаротти``, is one again)."""
    return protect(text, fmt).plain if may_change_words(text) else text


def original_range(text: str, plain: str, start: int, end: int) -> tuple[int, int]:
    """Where the characters ``plain[start:end]`` of the unit's :func:`words` are in ``text``:
    from the first of them to the last, through the stretches the two texts share."""
    if plain == text or start >= end:
        return start, end
    from difflib import SequenceMatcher  # (only for a finding to report)

    blocks = SequenceMatcher(None, plain, text, autojunk=False).get_matching_blocks()
    first = last = None
    for a, b, n in blocks:  # in order; the last is the empty block at the ends
        if first is None and start < a + n:
            first = b + max(0, start - a)
        if a < end:
            last = b + min(n, end - a)
    first = len(text) if first is None else first
    return first, max(first, last if last is not None else first)


# A code span, an autolink, and the destination, title or label of a link or image: what a link
# is written with but a reader does not read (a title stays as the source has it, in its quotes)
_SYNTAX_CHARS = "`[<"


@lru_cache(maxsize=1024)
def syntax_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) ranges of a Markdown unit's syntax that are no words of its sentence: code
    spans and autolinks whole, the inside of a link's or image's ``(url "title")`` and of a full
    reference's ``[label]``. The brackets stay, so that the text keeps its bracket pairs."""
    if not any(c in text for c in _SYNTAX_CHARS):
        return ()
    # parsed as tolmach.markup parses a unit: without the document's link definitions, so that
    # every [text][label] is a link
    tokens = markdown_parser().parseInline(text, {"references": AnyReference()})[0].children or []
    out = []
    for t in tokens:
        span = (t.meta or {}).get("span")
        if span is None:
            continue
        if t.type == "code_inline" or t.type == "link_open" and t.markup == "autolink":
            out.append(span)
        elif t.type == "link_open" or t.type == "image":
            closing = label_end(text, span[0] + (t.type == "image"))  # the "]" after the text
            if closing + 2 < span[1] - 1:  # "](…)" or "][…]" with something inside
                out.append((closing + 2, span[1] - 1))
    return tuple(sorted(out))  # (a code span in a link's text comes after the link's token)


def blank_syntax(text: str) -> str:
    """The text with each of its :func:`syntax_ranges` replaced by a space."""
    ranges = syntax_ranges(text)
    if not ranges:
        return text
    parts, pos = [], 0
    for start, end in ranges:
        if start < pos:
            continue  # (none is inside another; as a guard)
        parts.append(text[pos:start])
        parts.append(" ")
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


# The code elements of an HTML unit (what tolmach.markup keeps whole as a code atom: <code>,
# <kbd>, <var>), from the start tag to its end tag. Units are inline HTML, written by lxml or by a
# translator: one of these never holds another of its kind.
_HTML_CODE_RE = re.compile(
    r"<(" + "|".join(sorted(CODE_TAGS)) + r")\b[^<>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)


def blank_code_elements(text: str) -> str:
    """An HTML unit's text with each code element (:data:`_HTML_CODE_RE`) replaced by a space:
    ``<code>pip install</code>`` is no Latin word of a Russian sentence, as a Markdown code span
    is none (:func:`blank_syntax`)."""
    return _HTML_CODE_RE.sub(" ", text) if "<" in text else text


# inline token types that open a pair, and how a finding names them
_PAIRS = {
    "em_open": "emphasis *…*",
    "strong_open": "strong emphasis **…**",
    "link_open": "link […](…)",
    "image": "image ![…](…)",
}


@dataclass(frozen=True)
class InlineMarkup:
    """What a text's inline Markdown holds, as the check compares it."""

    urls: Counter = field(default_factory=Counter)
    code: Counter = field(default_factory=Counter)
    pairs: Counter = field(default_factory=Counter)


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def _walk(tokens) -> Iterable:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


@lru_cache(maxsize=4096)
def inline_markup(text: str) -> InlineMarkup:
    """The links, images, code spans and emphasis of ``text`` (a Markdown paragraph or heading)."""
    urls: Counter = Counter()
    code: Counter = Counter()
    pairs: Counter = Counter()
    for token in _walk(_parser().parse(text)):
        kind = token.type
        if kind in _PAIRS:
            pairs[kind] += 1
        if kind == "link_open":
            urls[token.attrGet("href") or ""] += 1
        elif kind == "image":
            urls[token.attrGet("src") or ""] += 1
        elif kind == "code_inline":
            code[token.content] += 1
    return InlineMarkup(urls, code, pairs)


def _has_markup(markup: InlineMarkup) -> bool:
    return bool(markup.urls or markup.code or markup.pairs)


def _listing(counter: Counter, quote: str = "") -> str:
    return ", ".join(f"{quote}{item}{quote}" + (f" (×{n})" if n > 1 else "") for item, n in counter.items())


class MarkupCheck(Check):
    id = "markup"
    severity = ERROR
    description = (
        "Markdown of the source kept in the target of a unit of a Markdown article (parsed with "
        "markdown-it-py): every link and image URL and code span byte for byte, as many "
        "emphasis/strong/link/image pairs"
    )

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        if not may_have_markup(entry.source):
            return ()  # no generator to make and run for the many entries without markup
        if entry_markup(entry) != MARKDOWN:
            return ()  # plain text (or another tool's string), where a * is a star; HTML has no Markdown
        src = inline_markup(entry.source)
        if not _has_markup(src) and "][" not in entry.source:
            return ()
        return self._findings(entry, src, inline_markup(entry.target))

    def _findings(self, entry: CheckEntry, src: InlineMarkup, tgt: InlineMarkup) -> Iterable[Finding]:
        if "][" in entry.source:
            yield from self._reference_labels(entry)
        lost_urls = src.urls - tgt.urls
        if lost_urls:
            added = tgt.urls - src.urls
            message = f"URL missing from the target's links: {_listing(lost_urls)}"
            if added:
                message += f" (the target links to {_listing(added)})"
            yield self.finding(entry, message, expected=_listing(lost_urls), found=_listing(added) or None)
        lost_code = src.code - tgt.code
        if lost_code:
            yield self.finding(
                entry,
                f"code span missing or changed in the target: {_listing(lost_code, '`')}",
                expected=_listing(lost_code, "`"),
                found=_listing(tgt.code - src.code, "`") or None,
            )
        lost_pairs = [(kind, n - tgt.pairs[kind]) for kind, n in src.pairs.items() if n > tgt.pairs[kind]]
        if lost_urls:  # a link or image that lost its URL is reported once, above
            covered = sum(lost_urls.values())
            links = sum(n for kind, n in lost_pairs if kind in ("link_open", "image"))
            if links <= covered:
                lost_pairs = [(kind, n) for kind, n in lost_pairs if kind not in ("link_open", "image")]
        if lost_pairs:
            what = ", ".join(f"{n} {_PAIRS[kind]}" for kind, n in lost_pairs)
            yield self.finding(
                entry,
                f"markup of the source missing from the target: {what}",
                expected=", ".join(f"{src.pairs[k]} {_PAIRS[k]}" for k, _ in lost_pairs),
                found=", ".join(f"{tgt.pairs[k]} {_PAIRS[k]}" for k, _ in lost_pairs),
            )

    def _reference_labels(self, entry: CheckEntry) -> Iterable[Finding]:
        """A label written out in the source (``[text][label]``, ``[text][]``) is one the target
        must point to; in the target a ``[text]`` counts too (its text is its label)."""
        kept = Counter(reference_label(r.label) for r in references(entry.target))
        lost = []
        for ref in references(entry.source):
            key = reference_label(ref.label)
            if ref.form != "shortcut" and key:
                if kept[key]:
                    kept[key] -= 1
                else:
                    lost.append(f"[{ref.label}]")
        if lost:
            yield self.finding(
                entry,
                f"reference link label missing from the target: {', '.join(lost)} (the target's link "
                "text must be followed by its label, as in [текст][label], or the link is gone)",
                expected=", ".join(lost),
            )
