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

Only entries whose source has a character that can start inline Markdown are parsed (``*_`[<!``),
so a project of plain-text articles pays nothing for this check.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from ..markup import reference_label, references
from .base import ERROR, Check, CheckEntry, Finding



def _may_have_markup(text: str) -> bool:
    # substring tests: eight times faster than a character-class regex, and most entries have none
    return "*" in text or "_" in text or "`" in text or "[" in text or "<" in text


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
        "Markdown of the source kept in the target (parsed with markdown-it-py): every link and image "
        "URL and code span byte for byte, as many emphasis/strong/link/image pairs"
    )

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        if not _may_have_markup(entry.source):
            return ()  # no generator to make and run for the many entries without markup
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
