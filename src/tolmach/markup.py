"""Inline markup through machine translation: protect it from the model, put it back after.

A unit of a Markdown or HTML article keeps its markup in the PO msgid (the translator sees and can
fix it), but the model must never see it: a weak model turns
``[watching the talks](https://example.com/kremlin-statement)`` into debris and drops the stars of
``**Taliban**``. :func:`protect` parses the unit's inline markup (markdown-it-py for Markdown, lxml
for HTML) into typed data:

* :class:`Span` -- a pair of marks around words: emphasis, strong, strikethrough, a link (``[`` and
  ``](url "title")``), an inline HTML tag pair; the words inside are translated;
* :class:`Atom` -- markup kept whole, byte for byte: a code span, an autolink, an image, a
  footnote reference, an unpaired inline HTML tag, a hard line break. A code span's content is
  shown to the model as text (so the sentence around it still reads well); the others are not.

The model translates :attr:`Protected.plain`. :func:`restore` puts each mark back around the
target words the engine's word alignment (CTranslate2 cross-attention, :meth:`Engine.align`) links
to the source words inside it; where the alignment says nothing, the mark is placed by position and
a note says so. A mark is never dropped: every URL and code span of the source is in the result.
Plain text from the model is escaped, so that a ``*`` it invents cannot become markup.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

from .spaces import BREAKING_SPACE

MARKDOWN, HTML = "markdown", "html"
FORMATS = (MARKDOWN, HTML)
NOTE_PREFIX = "markup: "

_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"[^\S ]")  # whitespace that is not a plain space
_LEAD = "«„“\"'(["
_TRAIL = ",.;:!?»”\"')]…"
_OPENING, _CLOSING = "«„([", ",.;:!?»”)]…"  # the unambiguous ones (a straight quote may be either)
# What of the model's text could become markup, and so is escaped ("~": the parser has
# strikethrough, ~~x~~); but not what stays text as it is (group 1): a run of "_" between two letters
# or digits can neither open nor close emphasis ("first_last@example.com", "example.com/a_b_c", which
# an escape would change for the reader who copies them and for the urls check), nor can a lone "~"
# strike through ("example.com/~user"). Neither at a piece's edge, where a mark stands next to it.
_MD_SPECIAL = re.compile(r"((?<=[^\W_])_+(?=[^\W_])|(?<=[^~])~(?=[^~]))|[\\`*_~\[\]<]")
_DESTINATION = re.compile(r"\]\(\s*<?([^\s)>]*)")


@dataclass(frozen=True)
class Span:
    """A pair of marks around the words ``plain[start:end]``."""

    start: int
    end: int
    open: str  # source text of the opening mark: "**", "[", "<em>"
    close: str  # source text of the closing mark: "**", "](https://...)", "</em>"
    kind: str  # em | strong | s | link | image | tag
    order: int  # position among all marks in the source (outer marks first)
    last: int = 0  # the order of the last mark inside it (its own order when none is)


@dataclass(frozen=True)
class Atom:
    """Markup kept whole. ``plain[start:end]`` is what the model sees of it (often nothing)."""

    start: int
    end: int
    source: str  # exactly as in the unit
    kind: str  # code | autolink | image | footnote | html | break
    order: int
    space_before: bool = False  # a space separated it from the text before (zero-width atoms)
    space_after: bool = False


@dataclass(frozen=True)
class Protected:
    source: str  # the unit as written (msgid)
    plain: str  # what the model translates
    spans: tuple[Span, ...]
    atoms: tuple[Atom, ...]
    fmt: str = MARKDOWN

    @property
    def marks(self) -> list[Span | Atom]:
        return sorted([*self.spans, *self.atoms], key=lambda m: m.order)

    @property
    def has_markup(self) -> bool:
        return bool(self.spans or self.atoms)


@dataclass
class Restored:
    text: str
    notes: list[str] = field(default_factory=list)  # what could not be placed with confidence

    @property
    def confident(self) -> bool:
        return not self.notes


# --- protect: Markdown ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def markdown_parser():
    """The CommonMark parser every Markdown step uses (tables, strikethrough, footnotes, front
    matter), with each inline rule traced so that tokens know the source text they came from."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(footnote_plugin, always_match_refs=True)
    # URLs exactly as written: the default percent-encodes them, and the result must keep the
    # source's bytes
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda url: url  # type: ignore[method-assign]
    for rule in list(md.inline.ruler.__rules__):
        md.inline.ruler.at(rule.name, _traced(rule.fn), {"alt": rule.alt})
    table = next(rule for rule in md.block.ruler.__rules__ if rule.name == "table")
    md.block.ruler.at("table", _rows_traced(table.fn), {"alt": table.alt})
    return md


def _traced(fn):
    """Wrap an inline rule: tokens it pushes (and that no nested rule claimed) get
    ``meta["span"] = (start, end)``, the source range the rule consumed."""

    def rule(state, silent):
        start, first = state.pos, len(state.tokens)
        ok = fn(state, silent)
        if ok and not silent:
            for token in state.tokens[first:]:
                if token.meta is None:
                    token.meta = {}
                token.meta.setdefault("span", (start, state.pos))
        return ok

    return rule


def _rows_traced(fn):
    """Wrap the table rule: each row it pushes gets ``meta["column"]``, where the row starts in its
    source line. A table in a block quote or a list item starts after the ``> `` or the item's
    indentation, and only the rule knows where (it reads the line from there)."""

    def rule(state, start, end, silent):
        first = len(state.tokens)
        ok = fn(state, start, end, silent)
        if ok and not silent:
            for token in state.tokens[first:]:
                if token.type == "tr_open" and token.map:
                    pos = state.bMarks[token.map[0]] + state.tShift[token.map[0]]
                    token.meta["column"] = pos - (state.src.rfind("\n", 0, pos) + 1)
        return ok

    return rule


class AnyReference(dict):
    """Every label is defined, except footnotes' (``[^1]`` is the footnote rule's)."""

    def get(self, key, default=None):  # type: ignore[override]
        return default if str(key).startswith("^") else {"href": "", "title": ""}

    def __contains__(self, key) -> bool:
        return not str(key).startswith("^")


class _Builder:
    """Plain text with single spaces, and the marks found on the way."""

    def __init__(self) -> None:
        self.plain = ""
        self.marks: list = []
        self.order = 0

    def text(self, s: str) -> None:
        # runs of breaking whitespace are one space; a no-break space is the writer's ("2&nbsp;%")
        # and stays, as in the msgid and in a plain-text article's sentences (the model sees it)
        s = BREAKING_SPACE.sub(" ", s)
        if not self.plain:
            s = s.lstrip()  # as a unit's text is stripped (segment.normalize_space)
        elif self.plain.endswith(" "):
            s = s.lstrip(" ")
        self.plain += s

    def next_order(self) -> int:
        self.order += 1
        return self.order


def protect(source: str, fmt: str = MARKDOWN) -> Protected:
    """The unit's plain text for the model and its marks (see the module docstring)."""
    if fmt == HTML:
        return _protect_html(source)
    md = markdown_parser()
    # a unit is parsed without the document's link definitions: take every [text][label] and
    # [text] as a reference link, so its brackets are kept as marks (never escaped as text)
    tokens = md.parseInline(source, {"references": AnyReference()})[0].children or []
    b = _Builder()
    _walk_markdown(source, tokens, 0, len(tokens), b)
    return _finish(source, b, MARKDOWN)


def _walk_markdown(src: str, tokens, i: int, stop: int, b: _Builder) -> None:
    while i < stop:
        t = tokens[i]
        kind = t.type
        span = (t.meta or {}).get("span")
        if kind == "text" and _TEMPLATE.search(t.content):
            _template_text(b, t.content)
        elif kind in ("text", "text_special"):
            b.text(t.content)
        elif kind == "softbreak":
            b.text(" ")
        elif kind == "hardbreak":
            # as written: a backslash or two spaces before the line feed (those spaces are the
            # break's own, no space before it)
            start = span[0] if span else 0
            spaces = span is not None and src[start] != "\\"
            while spaces and start > 0 and src[start - 1] == " ":
                start -= 1
            _zero_atom(b, "  \n" if spaces else "\\\n", "break", src, span and (start, span[1]))
            b.text(" ")
        elif kind == "code_inline":
            order = b.next_order()
            if b.plain and not b.plain.endswith(" ") and span and span[0] > 0 and src[span[0] - 1] == " ":
                b.text(" ")
            start = len(b.plain)
            b.text(t.content)
            b.marks.append(Atom(start, len(b.plain), src[span[0]:span[1]] if span else
                                f"{t.markup}{t.content}{t.markup}", "code", order))
        elif kind == "link_open" and t.markup == "autolink":
            j = _closing(tokens, i, stop)
            _zero_atom(b, src[span[0]:span[1]], "autolink", src, span)
            i = j
        elif kind == "image" and span and t.content.strip() and src.startswith("![", span[0]):
            # the alt text is words to translate: "![" and "](photo.jpg)" are the marks around it
            order = b.next_order()
            if b.plain and not b.plain.endswith(" ") and span[0] > 0 and src[span[0] - 1] == " ":
                b.text(" ")
            start = len(b.plain)
            b.text("".join(c.content if c.type != "softbreak" else " " for c in t.children or ()
                           if c.type in ("text", "text_special", "code_inline", "softbreak")) or t.content)
            close = src[label_end(src, span[0] + 1):span[1]]
            b.marks.append(Span(start, len(b.plain), "![", close, "image", order, order))
        elif kind in ("image", "footnote_ref") or (kind == "html_inline" and not _opening_tag(t.content)):
            _zero_atom(b, src[span[0]:span[1]] if span else t.content, "image" if kind == "image"
                       else "footnote" if kind == "footnote_ref" else "html", src, span)
        elif kind == "html_inline":
            j = _matching_html(tokens, i, stop)
            if j is None:
                _zero_atom(b, t.content, "html", src, span)
            else:
                _span(b, src, tokens, i, j, t.content, tokens[j].content, "tag")
                i = j
        elif kind.endswith("_open") and t.nesting == 1:
            j = _closing(tokens, i, stop)
            if kind == "link_open" and span:
                closing = label_end(src, span[0])
                open_, close = src[span[0]:span[0] + 1], src[closing:span[1]]
            else:
                open_, close = t.markup, tokens[j].markup
            _span(b, src, tokens, i, j, open_, close, kind[:-5])
            i = j
        else:  # anything else a plugin makes: keep it whole
            _zero_atom(b, src[span[0]:span[1]] if span else t.content, kind, src, span)
        i += 1


# Static-site template tags in Markdown (Hugo shortcodes, Jekyll/Liquid): kept whole, never translated
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def _template_text(b: _Builder, text: str) -> None:
    pos = 0
    for m in _TEMPLATE.finditer(text):
        b.text(text[pos:m.start()])
        before = m.start() > 0 and text[m.start() - 1].isspace()
        after = m.end() < len(text) and text[m.end()].isspace()
        b.marks.append(Atom(len(b.plain), len(b.plain), m.group(0), "template", b.next_order(),
                            space_before=before, space_after=after))
        pos = m.end()
    b.text(text[pos:])


@dataclass(frozen=True)
class Reference:
    """A reference link or image of a unit: ``[text][label]`` (full), ``[text][]`` (collapsed) or
    ``[text]`` (shortcut). In the last two the link text is the label, so translating the text
    would lose the link."""

    start: int  # where the "]" that ends the text is
    end: int  # where the link ends
    text: str  # the link text as written
    label: str  # the label as written: the text for a collapsed or shortcut reference
    form: str  # full | collapsed | shortcut


def references(source: str, defined=None) -> list[Reference]:
    """The reference links and images of a Markdown unit; ``defined``: the document's link
    definitions (markdown-it's ``env["references"]``), else every label counts as defined."""
    tokens = markdown_parser().parseInline(source, {"references": AnyReference() if defined is None
                                                     else defined})[0].children or []
    out = []
    for t in tokens:
        span = (t.meta or {}).get("span")
        if not span or not (t.type == "image" or t.type == "link_open" and t.markup != "autolink"):
            continue
        start = span[0] + (t.type == "image")
        end = label_end(source, start)
        text, rest = source[start + 1:end], source[end:span[1]]
        if rest.startswith("]("):
            continue  # an inline link: its destination is written out
        form = "shortcut" if rest == "]" else "collapsed" if rest == "][]" else "full"
        out.append(Reference(end, span[1], text, rest[2:-1] if form == "full" else text, form))
    return out


def full_references(source: str, defined) -> str:
    """The unit with each collapsed or shortcut reference link of the document written as a full
    one (``[annual report]`` -> ``[annual report][annual report]``): the label then stays when the
    text is translated, and the translator sees what must stay. An undefined ``[sic]`` is no link
    and stays as it is."""
    if not defined or "[" not in source:
        return source
    for ref in reversed(references(source, defined)):
        if ref.form != "full":
            source = f"{source[:ref.start]}][{ref.label}]{source[ref.end:]}"
    return source


def reference_label(label: str) -> str:
    """A reference label as CommonMark matches it (case and runs of whitespace do not count)."""
    from markdown_it.common.utils import normalizeReference

    return normalizeReference(label)


def label_end(src: str, start: int) -> int:
    """Where a link's text ends (its ``]``), found the way the link rule finds it."""
    from markdown_it.helpers import parseLinkLabel
    from markdown_it.rules_inline import StateInline

    state = StateInline(src, markdown_parser(), {}, [])
    end = parseLinkLabel(state, start)
    return end if end >= 0 else start + 1


def _span(b: _Builder, src: str, tokens, i: int, j: int, open_: str, close: str, kind: str) -> None:
    order = b.next_order()
    start = len(b.plain)
    _walk_markdown(src, tokens, i + 1, j, b)
    b.marks.append(Span(start, len(b.plain), open_, close, kind, order, b.order))


def _zero_atom(b: _Builder, source: str, kind: str, src: str, span, space: bool = False) -> None:
    before = span is not None and span[0] > 0 and src[span[0] - 1].isspace()
    after = span is not None and span[1] < len(src) and src[span[1]].isspace()
    b.marks.append(Atom(len(b.plain), len(b.plain), source, kind, b.next_order(),
                        space_before=before or space, space_after=after))


def _closing(tokens, i: int, stop: int) -> int:
    depth = 0
    for j in range(i, stop):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return stop - 1


_TAG = re.compile(r"^<([A-Za-z][\w-]*)[^>]*?(/?)>$")


def _opening_tag(html: str) -> bool:
    m = _TAG.match(html.strip())
    return bool(m) and not m.group(2) and m.group(1).lower() not in ("br", "img", "hr", "wbr")


def _matching_html(tokens, i: int, stop: int) -> int | None:
    name = _TAG.match(tokens[i].content.strip()).group(1).lower()  # type: ignore[union-attr]
    depth = 0
    for j in range(i + 1, stop):
        t = tokens[j]
        if t.type != "html_inline":
            continue
        m = _TAG.match(t.content.strip())
        if m and m.group(1).lower() == name and not m.group(2):
            depth += 1
        elif t.content.strip().lower().startswith(f"</{name}"):
            if depth == 0:
                return j
            depth -= 1
    return None


def _finish(source: str, b: _Builder, fmt: str) -> Protected:
    plain = b.plain
    stripped = plain.rstrip()  # (a no-break space too, as segment.normalize_space strips it)
    # marks at the very end must not point past the stripped text
    fixed: list = []
    for m in b.marks:
        start, end = min(m.start, len(stripped)), min(m.end, len(stripped))
        fixed.append(type(m)(**{**m.__dict__, "start": start, "end": end}))
    spans = tuple(sorted((m for m in fixed if isinstance(m, Span)), key=lambda m: m.order))
    atoms = tuple(sorted((m for m in fixed if isinstance(m, Atom)), key=lambda m: m.order))
    return Protected(source, stripped, spans, atoms, fmt)


# --- protect: HTML --------------------------------------------------------------------------------

INLINE_TAGS = {"a", "em", "strong", "b", "i", "code", "span", "sup", "sub", "u", "s", "small",
               "mark", "abbr", "q", "cite", "time", "kbd", "var", "del", "ins"}
ATOM_TAGS = {"code", "kbd", "var", "sup", "sub"}  # kept whole: not words to translate
CODE_TAGS = ATOM_TAGS - {"sup", "sub"}  # code atoms (a <sup> or <sub> is one only as a footnote mark)
# Phrasing elements that hold no words of the sentence (code, styles, embedded media and graphics
# with their fallback content, form controls; the void ones libxml2 knows as void): formats.html
# keeps them inside the paragraph's unit, and here they are atoms kept as written, of which the
# model sees nothing (it turned loadAd("inline-1") into Russian words).
EMBEDDED_TAGS = frozenset({"script", "style", "template", "noscript", "svg", "math", "iframe", "object",
                           "video", "audio", "canvas", "select", "textarea",
                           "input", "param", "area", "link", "meta"})
CREDIT_CLASS = re.compile(r"credit|copyright|photographer", re.I)


def _protect_html(source: str) -> Protected:
    """An HTML unit's inner markup (``<p>``'s content): inline tags become spans (their
    attributes kept byte for byte), ``<br>``/``<img>`` and code atoms."""
    from lxml import html as lhtml

    wrapper = lhtml.fragment_fromstring(source, create_parent="div")
    b = _Builder()
    _walk_html(wrapper, b)
    return _finish(source, b, HTML)


def _start_tag(el) -> str:
    """The opening tag as lxml writes it (so exactly as in the msgid, which lxml wrote too)."""
    from lxml import html as lhtml

    bare = lhtml.Element(el.tag, attrib=dict(el.attrib))
    text = lhtml.tostring(bare, encoding="unicode")
    return text[: text.rindex("</")] if text.endswith(f"</{el.tag}>") else text


def _outer(el) -> str:
    from lxml import html as lhtml

    return lhtml.tostring(el, encoding="unicode", with_tail=False)


def _walk_html(el, b: _Builder) -> None:
    if el.text:
        b.text(el.text)
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and CREDIT_CLASS.search(f"{child.get('class', '')} {child.get('itemprop', '')}"):
            # a photo credit inside a caption is a unit of its own: kept here as it is
            b.marks.append(Atom(len(b.plain), len(b.plain), _outer(child), "credit", b.next_order(),
                                space_before=True, space_after=bool(child.tail and child.tail[:1].isspace())))
        elif not tag:  # comment, processing instruction
            b.marks.append(Atom(len(b.plain), len(b.plain), "", "html", b.next_order()))
        elif tag in EMBEDDED_TAGS:
            # spaced as in the source; no text of it goes to the model, not even a space (a reader
            # sees none either: "map<svg>…</svg>of" reads "mapof")
            before = child.getprevious().tail if child.getprevious() is not None else el.text
            b.marks.append(Atom(len(b.plain), len(b.plain), _outer(child), "embedded", b.next_order(),
                                space_before=(before or "")[-1:].isspace(),
                                space_after=(child.tail or "")[:1].isspace()))
        elif tag in ("br", "img", "wbr") or tag in CODE_TAGS:
            if tag in CODE_TAGS:
                order = b.next_order()
                start = len(b.plain)
                b.text(child.text_content())
                b.marks.append(Atom(start, len(b.plain), _outer(child), "code", order))
            else:
                # spaced as in the source: "close.<br>It" gets no spaces around its <br>
                before = child.getprevious().tail if child.getprevious() is not None else el.text
                b.marks.append(Atom(len(b.plain), len(b.plain), _outer(child), "break" if tag == "br"
                                    else "image", b.next_order(), space_before=(before or "")[-1:].isspace(),
                                    space_after=(child.tail or "")[:1].isspace()))
                b.text(" ")
        elif tag in ("sup", "sub") and (child.text_content().strip().isdigit() or len(child) > 0):
            # footnote marks and the like
            b.marks.append(Atom(len(b.plain), len(b.plain), _outer(child), "footnote", b.next_order()))
        else:
            order = b.next_order()
            start = len(b.plain)
            _walk_html(child, b)
            b.marks.append(Span(start, len(b.plain), _start_tag(child), f"</{child.tag}>", "link"
                                if tag == "a" else "tag", order, b.order))
        if child.tail:
            b.text(child.tail)


# --- restore --------------------------------------------------------------------------------------


def escape_text(text: str, fmt: str, pipes: bool = False) -> str:
    """Model output as literal text: no character of it may become markup (``pipes``: nor a
    table cell's border)."""
    if fmt == HTML:
        import html  # (here: html.entities' table costs a check run's start-up ~4 ms)

        return html.escape(text, quote=False)
    text = _MD_SPECIAL.sub(lambda m: m.group(1) or "\\" + m.group(), text)
    return text.replace("|", "\\|") if pipes else text


def restore(
    protected: Protected,
    sentences: Sequence[str],
    targets: Sequence[str],
    alignments: Sequence[Sequence[int | None] | None] | None,
) -> Restored:
    """The target with the source's marks put back.

    ``sentences`` are the pieces of ``protected.plain`` the engine translated into ``targets``;
    ``alignments[i]`` is the engine's word alignment of ``targets[i]`` to ``sentences[i]`` (for
    each target word, the source word it renders, or None), or None where there is none.
    """
    target = " ".join(t for t in targets if t)
    fmt = protected.fmt
    if not protected.has_markup:
        return Restored(escape_text(target, fmt, "\\|" in protected.source))
    plain = protected.plain
    src_words = [(m.start(), m.end()) for m in _WORD.finditer(plain)]
    tgt_words = [(m.start(), m.end()) for m in _WORD.finditer(target)]
    word_at = {start: k for k, (start, _) in enumerate(src_words)}
    word_ending = {end: k for k, (_, end) in enumerate(src_words)}
    links: list[int | None] = []  # target word -> source word
    ends: dict[int, int] = {}  # the last source word of a sentence -> the last word of its translation
    pos = 0
    aligned_any = False
    for i, (sentence, out) in enumerate(zip(sentences, targets)):
        if not out:
            continue
        offset = plain.find(sentence, pos)
        n_out = len(_WORD.findall(out))
        if offset >= 0 and n_out:
            last = word_ending.get(offset + len(sentence.rstrip()))
            if last is not None:
                ends[last] = len(links) + n_out - 1
        alignment = alignments[i] if alignments is not None and i < len(alignments) else None
        if offset >= 0:
            pos = offset + len(sentence)
        if offset < 0 or alignment is None or len(alignment) != n_out:
            links.extend([None] * n_out)
            continue
        s_words = [m.start() + offset for m in _WORD.finditer(sentence)]
        for a in alignment:
            links.append(word_at.get(s_words[a]) if a is not None and a < len(s_words) else None)
            aligned_any = aligned_any or a is not None
    if len(links) != len(tgt_words):
        links, ends = [None] * len(tgt_words), {}
    notes: list[str] = []
    placed = _place(protected, src_words, tgt_words, links, target, notes, ends)
    return Restored(_emit(target, placed, fmt, "\\|" in protected.source), notes)


@dataclass
class _Placed:
    mark: Span | Atom
    start: int  # char range in the target
    end: int
    children: list["_Placed"] = field(default_factory=list)
    pad: bool = False  # a zero-width pair (a linked image) that stood apart from the word before


def _place(protected, src_words, tgt_words, links, target, notes, ends=None) -> list[_Placed]:
    """Target character ranges for every mark, nested as in the source; ``ends``: the last source
    word of each sentence -> the last target word of its translation."""
    ends = ends or {}
    n_src, n_tgt = len(src_words), len(tgt_words)

    def covered(m) -> list[int]:
        if m.start == m.end:
            return []
        return [k for k, (a, b) in enumerate(src_words) if a < m.end and b > m.start]

    def by_position(src_k: int) -> int:
        return min(n_tgt - 1, round(src_k * n_tgt / max(n_src, 1))) if n_tgt else 0

    def word_range(ks: list[int], inner: str = "") -> tuple[int, int]:
        """The words' characters, without the punctuation around them that is not the mark's
        own (a code span ``f()`` keeps its parenthesis, a word's comma stays outside)."""
        a, b = tgt_words[min(ks)][0], tgt_words[max(ks)][1]
        s, e = a, b
        while s < e and target[s] in _LEAD and not inner.startswith(target[s]):
            s += 1
        while e > s and target[e - 1] in _TRAIL and not inner.endswith(target[e - 1]):
            e -= 1
        return (s, e) if s < e else (a, b)

    def aligned_to(k: int) -> list[int]:
        return [j for j, s in enumerate(links) if s == k]

    def between_neighbours(words: list[int]) -> list[int]:
        """Words the alignment leaves unlinked (a short function word often is) sit between the
        translations of the source words around them."""
        left = next((aligned_to(k) for k in range(words[0] - 1, max(-1, words[0] - 4), -1) if aligned_to(k)), [])
        right = next((aligned_to(k) for k in range(words[-1] + 1, min(n_src, words[-1] + 4)) if aligned_to(k)), [])
        if left and right and min(right) - max(left) > 1:
            gap = list(range(max(left) + 1, min(right)))
            return gap if len(gap) <= len(words) + 2 else []
        if left and max(left) + 1 < n_tgt:
            return [max(left) + 1]
        if right and min(right) > 0:
            return [min(right) - 1]
        return []

    roots: list[_Placed] = []
    stack: list[_Placed] = []
    for m in protected.marks:
        words = covered(m)
        label = _label(m)
        if not n_tgt:
            start = end = 0
        elif words:
            hits = [j for j, s in enumerate(links) if s is not None and s in words]
            if not hits:
                hits = between_neighbours(words)
                if hits:
                    notes.append(f"{label} placed between the translations of its neighbours: check")
            if not hits:
                # up to the word before the target position of the first source word after the
                # mark; not clamped first, or a mark that ends the paragraph loses its last word
                lo = by_position(words[0])
                hi = min(n_tgt, round((words[-1] + 1) * n_tgt / max(n_src, 1))) - 1 if len(words) > 1 else lo
                hits = list(range(lo, max(lo, hi) + 1))
                notes.append(f"{label} placed by position (the alignment does not say where it went)")
            elif max(hits) - min(hits) + 1 > 2 * len(words) + 2:
                notes.append(f"{label} wraps words that are far apart: check")
            start, end = word_range(hits, protected.plain[m.start:m.end])
        else:  # zero-width: after the word before it, else before the word after it
            before = [k for k, (a, b) in enumerate(src_words) if a < m.start]
            after = [k for k, (a, b) in enumerate(src_words) if a >= m.start]
            if isinstance(m, Atom) and m.space_before and not m.space_after and after:
                before = []  # glued to the word after it ("{% raw %}so"): goes with that word
            anchor = before[-1] if before else (after[0] if after else None)
            hits = [j for j, s in enumerate(links) if s is not None and s == anchor]
            # after the source word's own punctuation ("close.\\", "here.[^1]", "so,<br>"): after
            # the target word's too, not between the word and its full stop
            word_end = src_words[before[-1]][1] if before else None
            punctuated = (word_end is not None and word_end <= m.start and protected.plain[word_end - 1] in _TRAIL
                          and not protected.plain[word_end:m.start].strip())
            if anchor is None:
                start = end = 0
            elif punctuated and anchor in ends:  # after a sentence: after the translation of it
                start = end = tgt_words[ends[anchor]][1]
            else:
                if not hits:
                    hits = [by_position(anchor)]
                    if isinstance(m, Atom) and m.kind in ("autolink", "image", "footnote", "html", "template",
                                                          "embedded"):
                        notes.append(f"{label} placed by position (the alignment does not say where it went)")
                s, e = word_range(hits)
                if punctuated:
                    e = tgt_words[max(hits)][1]
                start = end = e if before else s
        node = _Placed(m, start, end, pad=isinstance(m, Span) and m.start == m.end and m.start > 0
                       and protected.plain[m.start - 1] == " ")
        # nest: the open mark that contains this one in the source is its parent
        while stack and not (isinstance(stack[-1].mark, Span)
                             and stack[-1].mark.order < m.order <= stack[-1].mark.last):
            stack.pop()
        siblings = stack[-1].children if stack else roots
        if stack:  # keep inside the parent's range
            parent = stack[-1]
            node.start = min(max(node.start, parent.start), parent.end)
            node.end = max(min(node.end, parent.end), node.start)
        _fit_among(siblings, node, label, notes, target, tgt_words)
        siblings.append(node)
        stack.append(node)
    return roots


def _fit_among(siblings: list[_Placed], node: _Placed, label: str, notes: list[str], target: str,
               tgt_words: list[tuple[int, int]]) -> None:
    """Siblings may be reordered by the translation but must not overlap; a pair of marks that
    loses all its words to a sibling takes the nearest free word (an empty pair is no markup)."""
    def clash(a: int, b: int) -> bool:
        return any(a < o.end and o.start < b or (o.start == o.end and a < o.start < b) for o in siblings)

    moved = False
    for other in siblings:
        if node.start < other.end and other.start < node.end:
            moved = True
            if node.start >= other.start:
                node.start = other.end
            else:
                node.end = other.start
            if node.end < node.start:
                node.end = node.start
    while node.start < node.end and target[node.start].isspace():
        node.start += 1
    while node.end > node.start and target[node.end - 1].isspace():
        node.end -= 1
    if isinstance(node.mark, Span) and node.mark.start < node.mark.end and node.start >= node.end and tgt_words:
        free = [(a, b) for a, b in tgt_words if not clash(a, b)]
        if free:
            a, b = min(free, key=lambda w: abs(w[0] - node.start))
            while b > a + 1 and target[b - 1] in _TRAIL:
                b -= 1
            node.start, node.end = a, b
    if moved:
        notes.append(f"{label} overlapped other markup in the translation: check its words")


def _label(m) -> str:
    if isinstance(m, Atom) and m.kind == "embedded":
        return f"element {m.source[:m.source.find('>') + 1]!r}"  # its start tag: a script may be long
    if isinstance(m, Atom):
        return {"code": "code span", "autolink": "link", "image": "image", "footnote": "footnote",
                "html": "tag", "break": "line break", "template": "template tag"}.get(m.kind, m.kind) + f" {m.source.strip() or m.source.strip(chr(10))!r}"
    if m.kind == "link":
        return f"link {m.close!r}" if m.close.startswith(("](", "][")) else f"link {m.open!r}"
    if m.kind == "image":
        return f"image {m.close!r}"
    return {"em": "emphasis", "strong": "strong emphasis", "s": "strikethrough"}.get(m.kind, "tag " + m.open)


def _emit(target: str, nodes: list[_Placed], fmt: str, pipes: bool = False) -> str:
    out: list[str] = []

    def text(a: int, b: int) -> None:
        if b > a:
            out.append(escape_text(target[a:b], fmt, pipes))

    def walk(nodes: list[_Placed], lo: int, hi: int) -> None:
        pos = lo
        for n in sorted(nodes, key=lambda n: (n.start, n.end, n.mark.order)):
            m = n.mark
            if isinstance(m, Atom) and n.start == n.end:
                text(pos, n.start)
                pos = max(pos, n.start)
                piece = m.source
                # the source's space around the mark, but never between a word and its punctuation
                if (m.space_before and out and not "".join(out[-1:]).endswith((" ", "\n")) and pos > 0
                        and target[pos - 1] not in _OPENING):
                    piece = " " + piece
                if m.space_after and pos < len(target) and not target[pos].isspace() and target[pos] not in _CLOSING:
                    piece += " "
                elif m.kind == "break" and not m.space_after:
                    # the line break stood between the words by itself: the target's space goes
                    while pos < hi and target[pos] == " ":
                        pos += 1
                out.append(piece)
                continue
            text(pos, n.start)
            if isinstance(m, Atom):
                out.append(m.source)
            else:
                if n.pad and n.start == n.end and n.start > 0 and not target[n.start - 1].isspace():
                    out.append(" ")
                out.append(m.open)
                walk(n.children, max(pos, n.start), n.end)
                out.append(m.close)
            pos = max(pos, n.end)
        text(pos, hi)

    walk(nodes, 0, len(target))
    return "".join(out)


# --- the catalog side -------------------------------------------------------------------------------


def may_have_markup(text: str) -> bool:
    """Whether the text has a character that can start inline markup (Markdown or HTML)."""
    # substring tests: eight times faster than a character-class regex, and most entries have none
    return "*" in text or "_" in text or "`" in text or "[" in text or "<" in text


def may_change_words(text: str) -> bool:
    """Whether the text has a character without which :func:`protect` gives the text itself as
    its plain words: one that can start inline markup, an escape or an entity (``AT\\&T``,
    ``&amp;``) or a template tag."""
    return may_have_markup(text) or "&" in text or "\\" in text or "~" in text or "{" in text


def entry_format(comment: str | None) -> str | None:
    """The unit's markup format, from the ``#. tolmach: format ...`` line the template writes."""
    for line in (comment or "").splitlines():
        if line.startswith("tolmach: format "):
            fmt = line.split()[-1]
            return fmt if fmt in FORMATS else None
    return None


def protect_entry(msgid: str, comment: str | None) -> Protected | None:
    """The protected form of a catalog entry, or None when it is no Markdown/HTML unit."""
    fmt = entry_format(comment)
    if fmt is None:
        return None
    protected = protect(msgid, fmt)
    if not protected.plain.strip():
        return None
    # also without marks: the model's output is escaped, so a "*" it writes stays a star
    return protected


def markup_notes(restored: Restored) -> list[str]:
    return [f"{NOTE_PREFIX}{note}" for note in dict.fromkeys(restored.notes)]


# --- the hooks translate.py calls -----------------------------------------------------------------


def marked_sentences(plan) -> dict[tuple[str, str], set[str]]:
    """Per language pair, the sentences of units whose markup needs the engine's alignment."""
    out: dict[tuple[str, str], set[str]] = {}
    for _, langs, pending in plan:
        for item in pending:
            if getattr(item, "protected", None) is not None and item.protected.has_markup:
                out.setdefault(langs, set()).update(item.sentences or ())
    return out


def align_marked(engine, sentences: set[str], table: dict, outcomes: dict | None) -> dict:
    """The engine's word alignment of each marked sentence to its final translation (after
    glossary enforcement, which may change words), while the model is loaded."""
    todo = [s for s in sorted(sentences) if table.get(s)]
    finals = [outcomes[s].text if outcomes and s in outcomes else table[s] for s in todo]
    if not todo:
        return {}
    alignments = align_texts(engine, todo, finals)
    if alignments is None:
        return {}
    return dict(zip(todo, alignments))


def align_texts(engine, sources: Sequence[str], targets: Sequence[str]) -> list | None:
    """The engine's word alignment of each target to its source, as :func:`restore` counts words
    (None: the engine cannot tell)."""
    # restore() counts words between any whitespace, a no-break space too ("2\u00a0%" is two), and
    # so does SentencePiece where its normalisation (NFKC) makes that a space; the alignment is
    # asked with plain spaces so that it counts them so under any model's normalisation
    return engine.align([_SPACE.sub(" ", t) for t in sources], [_SPACE.sub(" ", t) for t in targets])


def restore_entry(protected: Protected, sentences, outputs, alignments: dict, comments: list) -> str:
    """The msgstr with the markup put back; what was not placed with confidence goes into the
    entry's comments (the entry stays fuzzy, as every machine draft is)."""
    restored = restore(protected, sentences, outputs, [alignments.get(s) for s in sentences])
    comments.extend(markup_notes(restored))
    return restored.text


# --- for checks and benches ---------------------------------------------------------------------------


def inventory(text: str, fmt: str = MARKDOWN) -> dict[str, Counter]:
    """What markup a unit has: its URLs (links, autolinks, images), code spans, and pairs with
    words inside them (``em``, ``strong``, ``s``, ``link``, HTML tags by name). A translation that
    kept the markup has the same URLs and code spans and the same pairs. In HTML every phrasing
    element counts (a ``<font>``, a ``<nobr>`` as much as an ``<em>``), and an element kept whole
    (:data:`EMBEDDED_TAGS`: a ``<script>``, an ``<svg>``) is counted as code, by its HTML."""
    out: dict[str, Counter] = {"url": Counter(), "code": Counter(), "pair": Counter()}
    if fmt == HTML:
        from lxml import html as lhtml

        from .formats.html import PHRASING_TAGS  # (here: formats.html imports this module)

        root = lhtml.fragment_fromstring(text, create_parent="div")
        for el in root.iter():
            if el is root or not isinstance(el.tag, str):
                continue
            for attr in ("href", "src"):
                if el.get(attr) is not None:
                    out["url"][el.get(attr)] += 1
            if el.tag in CODE_TAGS:
                out["code"][el.text_content()] += 1
            elif el.tag in EMBEDDED_TAGS:
                out["code"][_outer(el)] += 1
            # "-": a custom element (<my-byline>), phrasing content as formats.html reads it
            elif (el.tag in INLINE_TAGS or el.tag in PHRASING_TAGS or "-" in el.tag) and el.text_content().strip():
                out["pair"][el.tag] += 1
        return out
    p = protect(text)
    for m in p.marks:
        if isinstance(m, Atom):
            if m.kind == "code":
                out["code"][m.source] += 1
            elif m.kind == "autolink":
                out["url"][m.source.strip("<>")] += 1
            elif m.kind == "image":
                url = _DESTINATION.search(m.source)
                out["url"][url.group(1) if url else m.source] += 1
        else:
            if m.kind in ("link", "image"):
                url = _DESTINATION.match(m.close)
                if url:
                    out["url"][url.group(1)] += 1
            if m.end > m.start:
                out["pair"][m.kind] += 1
    return out


def prose(text: str, fmt: str = MARKDOWN) -> str:
    """A unit's words without its markup and without its code spans (what a check of the language
    should look at: ``config.toml`` in a code span is not Latin text in a Russian sentence)."""
    p = protect(text, fmt)
    plain = p.plain
    for atom in sorted((a for a in p.atoms if a.kind == "code"), key=lambda a: -a.start):
        plain = plain[:atom.start] + plain[atom.end:]
    return " ".join(plain.split())
