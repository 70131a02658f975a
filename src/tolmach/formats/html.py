"""HTML articles: the article's text found with trafilatura, translated in place in the page.

A news page is mostly not the article: navigation, share bars, "related" lists, newsletter boxes,
footers, scripts. trafilatura (the field's standard boilerplate remover) says which text is the
article; :func:`html_blocks` parses the page with lxml, takes every text block of it (headings,
paragraphs, list items, quotes, figure captions and credits, table cells), and makes the ones
trafilatura kept units; the others become chrome with the reason their container gives
(``<nav>``, a ``share`` class...). The page ``<title>`` is a unit of its own.

A unit's text is the element's inner HTML, whitespace collapsed: the translator sees the inline
tags, and :mod:`tolmach.markup` keeps them (and every attribute, every ``href``) from the model.
:func:`rebuild_html` writes the page back with each unit's content replaced by its translation,
``lang`` set on ``<html>``; everything else (attributes, scripts, chrome) stays as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

from ..errors import TolmachError
from ..markup import CREDIT_CLASS as _CREDIT_CLASS

RUN = "tolmach-run"  # wraps text that sits between blocks while the page is worked on; never written
UNIT_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "figcaption", "td", "th",
             "dt", "dd", "caption", RUN)
_NO_TEXT = {"script", "style", "noscript", "template", "svg", "math", "pre", "textarea", "select", "option"}
# The HTML standard's phrasing content (what may stand inside a <p>), the obsolete inline tags
# pages still use (<font>, <nobr>, <tt>...), and the elements that only live inside those (<rt>,
# <source>, <option>). An element of these stays inside its paragraph's unit, in its markup (a
# <script> too; what of it the model sees is tolmach.markup's to say); any other element (<div>,
# <table>...) is a block, and text beside it a run of its own. markup.INLINE_TAGS is smaller.
PHRASING_TAGS = frozenset({
    "a", "abbr", "area", "audio", "b", "bdi", "bdo", "br", "button", "canvas", "cite", "code",
    "data", "datalist", "del", "dfn", "em", "embed", "i", "iframe", "img", "input", "ins", "kbd",
    "label", "link", "map", "mark", "math", "meta", "meter", "noscript", "object", "output",
    "picture", "progress", "q", "ruby", "s", "samp", "script", "select", "slot", "small", "span",
    "strong", "sub", "sup", "svg", "template", "textarea", "time", "u", "var", "video", "wbr",
    "acronym", "big", "blink", "font", "nobr", "strike", "tt", "spacer",  # obsolete, still seen
    "rb", "rp", "rt", "rtc", "source", "track", "param", "option", "optgroup",  # parts of the above
})
HEADINGS = ("h2", "h3", "h4", "h5", "h6")

# What a container's tag, class or id says about the text in it (first match wins).
CHROME_CONTAINERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("share buttons", re.compile(r"share|social|sharing", re.I)),
    ("related links", re.compile(r"related|more-stories|recommend|read-more|also-read|most-read|popular", re.I)),
    ("newsletter box", re.compile(r"newsletter|subscri|signup|sign-up", re.I)),
    ("comments", re.compile(r"comment", re.I)),
    ("advertisement", re.compile(r"\bads?\b|advert|sponsor|promo", re.I)),
    ("cookie notice", re.compile(r"cookie|consent", re.I)),
)
CHROME_TAGS = {"nav": "navigation", "footer": "page footer", "aside": "aside", "form": "form",
               "header": "page header", "menu": "navigation"}


@dataclass
class HtmlDocument:
    """The parsed page and the element of each unit (same order as the blocks)."""

    tree: object  # lxml ElementTree
    elements: list  # lxml elements, one per block
    doctype: str = ""
    article: object | None = None  # the smallest element holding every article unit
    keys: list = field(default_factory=list)  # (tag, class, text) of each element, to find it again


def _norm(text: str) -> str:
    return " ".join(text.split())


def _visible_text(el, skip=_NO_TEXT) -> str:
    """The element's text as a reader sees it: without what is inside a ``<script>``, ``<style>``
    and the like (a script inside a paragraph is no words of it; trafilatura leaves it out too)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in skip:
            parts.append(_visible_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def _not_read_by_trafilatura() -> frozenset[str]:
    """The elements trafilatura deletes, text and all, before it reads the page: ``<script>``, a
    ruby's ``<rt>``, but also ``<time>``, ``<label>``, ``<output>``, ``<button>``... A paragraph
    holding one is compared with its output without their text (which stays in the unit). Its own
    list (public, and users may change it), read when a page is: what it leaves out depends on
    its version."""
    from trafilatura.settings import MANUALLY_CLEANED

    return frozenset(MANUALLY_CLEANED)


def _is_phrasing(tag) -> bool:
    # "-": a custom element (<amp-img>, <my-byline>), phrasing content by the standard
    return isinstance(tag, str) and (tag in PHRASING_TAGS or ("-" in tag and tag != RUN))


def _inner_html(el) -> str:
    """The element's content as HTML, whitespace collapsed but no-break spaces kept, as in plain
    text (``2&nbsp;%`` stays together; a copy: the page is not changed)."""
    from copy import deepcopy

    from lxml import html as lhtml

    from ..segment import BREAKING_SPACE

    el = deepcopy(el)
    el.tail = None
    for node in el.iter():
        if node.text:
            node.text = BREAKING_SPACE.sub(" ", node.text)
        if node.tail:
            node.tail = BREAKING_SPACE.sub(" ", node.tail)
    outer = lhtml.tostring(el, encoding="unicode")
    start = outer.index(">") + 1
    end = outer.rindex("</") if outer.rstrip().endswith(f"</{el.tag}>") else len(outer)
    return outer[start:end].strip()


def _is_credit(el) -> bool:
    return bool(_CREDIT_CLASS.search(f"{el.get('class', '')} {el.get('itemprop', '')}"))


def _chrome_reason(el, article, article_header=None) -> str:
    node = el
    # <body>'s classes describe the page ("single-post comments-open"), not a part of it
    while node is not None and node.tag not in ("body", "html"):
        if (article is not None and node is article) or node.tag in ("article", "main"):
            return ""  # what holds the article: its classes ("has-comments") are about the whole
        tag = node.tag if isinstance(node.tag, str) else ""
        marks = f"{node.get('class', '')} {node.get('id', '')} {node.get('role', '')}"
        for reason, rx in CHROME_CONTAINERS:
            if rx.search(marks):
                return reason
        if node.get("role") == "navigation":
            return "navigation"
        if tag in CHROME_TAGS and not (tag == "header" and (node is article_header or _inside_article(node))):
            return CHROME_TAGS[tag]
        node = node.getparent()
    return ""


# A <header> whose class, id or role says it is the site's (WordPress: id="masthead", role="banner")
_SITE_HEADER = re.compile(r"site|masthead|banner|brand|logo", re.I)


def _article_header(article):
    """The ``<header>`` that introduces an article the page does not put in an ``<article>`` or
    ``<main>`` (WordPress: ``<div class="post"><header class="entry-header"><h1>``, then the
    body's div), or None.

    It is the header nearest before the article, beside it or beside one of its containers below
    ``<body>``, and only if it holds the headline: an ``<h1>`` the article itself lacks, no
    navigation, no link home in the ``<h1>``, and no class, id or role of a site header. The
    page's own header (logo, navigation) stays chrome."""
    if article is None or next(article.iter("h1"), None) is not None:
        return None
    node = article
    while node.getparent() is not None and node.getparent().tag not in ("body", "html"):
        header = next((s for s in node.itersiblings(preceding=True) if s.tag == "header"), None)
        if header is not None:
            marks = f"{header.get('class', '')} {header.get('id', '')} {header.get('role', '')}"
            h1 = next(header.iter("h1"), None)
            home = h1 is not None and any(a.get("rel") == "home" or a.get("href") == "/" for a in h1.iter("a"))
            navigation = next(header.iter("nav"), None) is not None or any(
                e.get("role") == "navigation" for e in header.iter() if isinstance(e.tag, str))
            if h1 is None or home or navigation or _SITE_HEADER.search(marks):
                return None
            return header
        node = node.getparent()
    return None


def _inside_article(el) -> bool:
    node = el.getparent()
    while node is not None:
        if node.tag in ("article", "main"):
            return True
        node = node.getparent()
    return False


def _candidates(root) -> list:
    """Text blocks: unit tags holding text, innermost first-level (a <li> holding a <p> is not one,
    its <p> is), plus credit elements inside captions."""
    out = []
    for el in root.iter(*UNIT_TAGS):
        if next(el.iterdescendants(*UNIT_TAGS), None) is not None and el.tag != "figcaption":
            continue
        if _norm(_visible_text(el)):
            out.append(el)
        if el.tag == "figcaption":
            out.extend(d for d in el.iterdescendants() if _is_credit(d) and _norm(_visible_text(d)))
    # text outside those tags (a share bar's links, a logo): so that it is reported, not lost
    taken = set(out)
    above = {a for el in out for a in el.iterancestors()}  # elements holding a text block
    for el in root.body.iter() if root.find("body") is not None else ():
        if not isinstance(el.tag, str) or el.tag in _NO_TEXT or el in taken or el in above:
            continue
        if any(a in taken or a.tag in _NO_TEXT for a in el.iterancestors()):
            continue  # inside a text block already, or in <pre> (code is never translated)
        own = (el.text or "") + "".join(c.tail or "" for c in el)
        if _norm(own):
            out.append(el)
            taken.add(el)
            above.update(el.iterancestors())
    order = {el: i for i, el in enumerate(root.iter())}
    return sorted(out, key=order.__getitem__)


def _main_text(page: str) -> tuple[str, set[str]]:
    import trafilatura

    # (a void element its parser does not know as void takes the rest of the paragraph with it when
    # it is deleted: "<p>Watch <embed src=...> the rest</p>"; it is ended where it starts)
    page = _VOID_START_TAGS.sub(r"<\1\2></\1>", page)
    doc = trafilatura.bare_extraction(page, include_comments=False, include_tables=True,
                                      favor_precision=True, with_metadata=False)
    if doc is None:
        return "", set()
    body = getattr(doc, "body", None)
    pieces = {_norm(e.xpath("string()")) for e in body.iter()} if body is not None else set()
    return _norm(getattr(doc, "text", "") or ""), {p for p in pieces if p}


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def read_page(path) -> str:
    """A saved web page's text, decoded with the charset its ``<meta>`` declares (a Russian site
    may still serve windows-1251); UTF-8 when it declares none. The rebuilt page is UTF-8 and
    says so."""
    from pathlib import Path

    from ..fsutil import decode_text, read_input_bytes, refuse_binary

    p = Path(path)
    data = read_input_bytes(p, "article")  # (read once: the <meta> is looked for in its first 8 KiB)
    m = _CHARSET.search(data[:8192])
    charset = m.group(1).decode("ascii").lower() if m else "utf-8"
    if charset.replace("-", "").replace("_", "") in ("utf8", "utf8sig"):
        return decode_text(data, p, "article")
    refuse_binary(data, p, f"an HTML page in {charset}")
    try:
        text = data.decode(charset)
    except LookupError:
        raise TolmachError(f"unknown charset {charset!r} in the page's <meta>", p) from None
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise TolmachError(f"not valid {charset} (byte 0x{data[err.start]:02x}), as the page's <meta> says",
                           p, line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _declare_utf8(root) -> None:
    from lxml import html as lhtml

    declared = False
    for meta in root.iter("meta"):
        if meta.get("charset") is not None:
            meta.set("charset", "utf-8")
            declared = True
    head = root.find("head")
    if not declared and head is not None:
        # libxml2 drops <meta http-equiv="Content-Type"> when it parses: say it again
        meta = lhtml.Element("meta", charset="utf-8")
        meta.tail = head.text
        head.text = "\n"
        head.insert(0, meta)


def parse_page(text: str, path: str = "<html>"):
    from lxml import etree
    from lxml import html as lhtml

    # lxml refuses a str with an XML encoding declaration (an XHTML page): the text is decoded already
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lhtml.document_fromstring(text)
    except (etree.ParserError, ValueError) as err:
        raise TolmachError(f"not an HTML page: {err}", path) from None
    _empty_void_elements(root)
    _wrap_runs(root)
    return root


# Void elements of the HTML standard that libxml2 (2.14) does not know as void: it makes the rest of
# the paragraph their content (<p>where<wbr>residents...</p> puts "residents..." inside the <wbr>).
_VOID_UNKNOWN_TO_LIBXML2 = ("wbr", "embed", "source", "track", "keygen")
_VOID_END_TAGS = re.compile(r"</(?:%s)>" % "|".join(_VOID_UNKNOWN_TO_LIBXML2))
_VOID_START_TAGS = re.compile(r"<(%s)(?=[\s/>])([^>]*?)/?>" % "|".join(_VOID_UNKNOWN_TO_LIBXML2), re.I)


def _empty_void_elements(root) -> None:
    """Give what libxml2 put inside a void element back to its parent, after the element."""
    for el in list(root.iter(*_VOID_UNKNOWN_TO_LIBXML2)):
        if not el.text and len(el) == 0:
            continue
        tail = (el.text or "") + (el.tail or "")
        for child in reversed(list(el)):
            el.addnext(child)  # keeps the child's own tail
        el.text = None
        el.tail = tail or None


def _wrap_runs(root) -> None:
    """Text between block elements (``<li>Intro<ul>...</ul></li>``, ``<div>Text<p>...``) is wrapped
    in a ``<tolmach-run>`` so that it is a unit like any other (nothing is dropped);
    :func:`rebuild_html` takes the wrappers out again."""
    body = root.find("body")
    if body is None:
        return
    # a phrasing element that holds a block (<a><div>...</div></a>, allowed) is a container too
    holding: set = set()
    for el in body.iter():
        if not isinstance(el.tag, str) or _is_phrasing(el.tag):
            continue
        if any(a.tag in _NO_TEXT for a in el.iterancestors()):
            continue
        for a in el.iterancestors():
            if a in holding:
                break
            holding.add(a)

    def is_block(child) -> bool:
        return isinstance(child.tag, str) and (not _is_phrasing(child.tag) or child in holding)

    plans = []
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in _NO_TEXT or not is_block(el):
            continue
        if any(a.tag in _NO_TEXT for a in el.iterancestors()):
            continue
        children = list(el)
        if not any(is_block(c) for c in children):
            continue
        anchor, nodes, text = None, [], el.text
        for child in [*children, None]:
            if child is None or is_block(child):
                content = (text or "") + "".join(_visible_text(n) + (n.tail or "") for n in nodes if isinstance(n.tag, str))
                if content.strip():
                    plans.append((el, anchor, text, list(nodes)))
                if child is not None:
                    anchor, nodes, text = child, [], child.tail
            else:
                nodes.append(child)
    for el, anchor, text, nodes in plans:
        from lxml import html as lhtml

        wrapper = lhtml.Element(RUN)
        wrapper.text = text
        line = next((n.sourceline for n in nodes if n.sourceline), None) or el.sourceline
        if anchor is None:
            el.text = None
            el.insert(0, wrapper)
        else:
            anchor.tail = None
            anchor.addnext(wrapper)
        for n in nodes:
            wrapper.append(n)
        wrapper.sourceline = line


def _unwrap_runs(root) -> None:
    for wrapper in list(root.iter(RUN)):
        wrapper.drop_tag()


def html_blocks(text: str, lang: str, rules, path: str = "<html>") -> tuple[HtmlDocument, tuple]:
    """The page's text blocks as :class:`~tolmach.segment.Block` (units and skipped chrome)."""
    from ..segment import BODY, CHROME, CREDIT, HEADING, NO_WORDS, TITLE, Block, has_words, split_sentences
    from ..markup import HTML, protect

    root = parse_page(text, path)
    tree = root.getroottree()
    main, pieces = _main_text(text)
    elements, kinds = [], []
    title = root.find(".//head/title")
    if title is not None and _norm(title.text_content()):
        elements.append(title)
        kinds.append((TITLE, "page title") if has_words(title.text_content()) else (CHROME, NO_WORDS))
    cands = _candidates(root)
    unread = _not_read_by_trafilatura()

    def in_article(el) -> bool:
        t = _norm(_visible_text(el, unread))
        if t in pieces:
            return True
        return len(t.split()) >= 4 and t in main

    accepted = [el for el in cands if in_article(el) and not _chrome_reason(el, None)]
    article = _common_ancestor(accepted) if accepted else None
    # the page's own <article>/<main> around them is the article (its headline sits outside the body div)
    node = article
    while node is not None and node.tag not in ("article", "main"):
        node = node.getparent()
    article = node if node is not None else article
    # without them, the headline's <header> before the body's div is the article's, not the page's
    header = _article_header(article) if node is None else None
    if header is not None:
        article = header.getparent()
    first_heading = True
    for el in cands:
        reason = _chrome_reason(el, article, header)
        plain = _norm(_visible_text(el))
        inside = article is not None and _descends(el, article)
        # trafilatura leaves out headings and captions it takes for metadata; inside the article they count
        own = el.tag in ("figcaption", "h1", *HEADINGS) or _is_credit(el)
        if not reason and not in_article(el) and not (inside and own):
            reason = "not part of the article (trafilatura)"
        # a table's cell is the table's ("Share", "Advertisement": a column, a budget line), not a
        # paragraph of page chrome or a photo credit by its words
        cell = (el.getparent() if el.tag == RUN else el).tag in ("td", "th", "caption")
        if not reason and not cell:
            reason = next((r for r, rx in rules.chrome if rx.search(plain)), "")
        if not reason and not has_words(plain):  # "&shy;" alone, a "—" cell: kept as in the page
            reason = NO_WORDS
        elements.append(el)
        if reason:
            kinds.append((CHROME, reason))
        elif el.tag == "h1" and first_heading:  # (a heading is never a credit, whatever its words)
            kinds.append((TITLE, "first-level heading"))
            first_heading = False
        elif el.tag in HEADINGS or el.tag == "h1":
            kinds.append((HEADING, "HTML heading"))
        elif _is_credit(el) or (not cell and any(rx.match(plain) for rx in rules.credit)):
            kinds.append((CREDIT, "photo credit"))
        else:
            kinds.append((BODY, ""))
    blocks = []
    for i, (el, (kind, reason)) in enumerate(zip(elements, kinds)):
        source = _unit_source(el)
        plain = protect(source, HTML).plain if kind != CHROME else _norm(_visible_text(el))
        blocks.append(Block(
            index=i,
            line=el.sourceline or 1,
            kind=kind,
            text=source if kind != CHROME else plain,
            markup=f"<{el.getparent().tag if el.tag == RUN else el.tag}>",
            reason=reason,
            sentences=tuple(split_sentences(plain, lang)) if kind != CHROME else (),
        ))
    m = re.match(r"\s*(<!DOCTYPE[^>]*>)", text, re.I)
    doctype = m.group(1) if m else ""  # as the page had it (lxml would invent an HTML 4 one)
    keys = [_key(el) for el in elements]
    return HtmlDocument(tree, elements, doctype, article, keys), tuple(blocks)


def _unit_source(el) -> str:
    if el.tag == "title":
        from ..segment import normalize_space

        return _title_source(normalize_space(el.text_content()))
    return _inner_html(el)


def _title_source(text: str) -> str:
    """The ``<title>``'s text as HTML, like every unit's msgid (markup reads it so, and the build
    unescapes it once): a ``<`` and an ``&`` that would be read as a character reference
    (``&lt;``, ``&copy``) are escaped, a bare ``&`` (``AT&T``, ``Q&A``) stays as it was written."""
    import html as _html

    parts = text.split("&")
    out = parts[0]
    for part in parts[1:]:
        ref = "&" + part
        out += "&amp;" + part if _html.unescape(ref) != ref else ref
    return out.replace("<", "&lt;")


def _key(el) -> tuple:
    return (el.tag, el.get("class"), _norm(el.text_content()))


def _descends(el, ancestor) -> bool:
    node = el
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _common_ancestor(elements: list):
    paths = []
    for el in elements:
        chain = []
        node = el
        while node is not None:
            chain.append(node)
            node = node.getparent()
        paths.append(list(reversed(chain)))
    common = None
    for nodes in zip(*paths):
        if all(n is nodes[0] for n in nodes):
            common = nodes[0]
        else:
            break
    # a lone unit's parent is the article
    if common is not None and len(elements) == 1 and common is elements[0]:
        common = common.getparent()
    return common


def _replace_content(el, translation: str) -> None:
    from lxml import html as lhtml

    tail = el.tail
    for child in list(el):
        el.remove(child)
    el.text = None
    if el.tag == "title":
        import html as _html

        el.text = _html.unescape(translation)
        el.tail = tail
        return
    parts = lhtml.fragments_fromstring(translation) if translation.strip() else []
    if parts and isinstance(parts[0], str):
        el.text = parts.pop(0)
    for part in parts:
        if isinstance(part, str):  # lxml gives only a leading string; be safe
            continue
        el.append(part)
    el.tail = tail


# Omitted, these are emptied, not removed: a page keeps its <title>, a table its columns.
_EMPTIED_WHEN_OMITTED = ("title", "td", "th")


def rebuild_html(doc: HtmlDocument, translations: Mapping[int, str | None], lang: str,
                 article_only: bool = False) -> str:
    """The page with each unit's content replaced by its translation.

    A unit missing from ``translations`` is left as it is (page chrome); one mapped to None is
    omitted (``build --untranslated omit``): its element goes with what is inside it (a caption's
    credit goes with the caption; text between blocks goes alone) and the text after it stays; a
    ``<title>`` or a table cell is emptied instead."""
    from lxml import html as lhtml

    root = doc.tree.getroot()
    # the unit that holds each unit (a caption its credit), seen before any content is replaced:
    # replacing the caption's content takes the credit's element out of the page
    index = {el: i for i, el in enumerate(doc.elements)}
    holders = [next((index[a] for a in el.iterancestors() if a in index), None) for el in doc.elements]
    replaced: set[int] = set()
    omitted: list = []
    for i, el in enumerate(doc.elements):
        if i not in translations:
            continue
        new = translations[i]
        holder = holders[i]
        if holder in replaced:  # then the unit is found again in the holder's translation
            found = [e for e in doc.elements[holder].iter(el.tag) if _key(e) == doc.keys[i]]
            if not found:
                continue
            el = found[0]
        if new is None:
            omitted.append(el)
            continue
        _replace_content(el, new)
        replaced.add(i)
    for el in omitted:  # last, so that a unit inside one was still found where it was
        if el.tag in _EMPTIED_WHEN_OMITTED:
            _replace_content(el, "")
        elif el.getparent() is not None:
            el.drop_tree()  # (lxml.html: the tail stays)
    _unwrap_runs(root)
    _declare_utf8(root)  # Tolmach writes UTF-8, whatever the page was saved in
    if lang:
        root.set("lang", lang)
    if article_only:
        import html as _html

        title = root.find(".//head/title")
        # (the title's text escaped: it is text, not markup)
        head = f"<title>{_html.escape(title.text_content(), quote=False)}</title>" if title is not None else ""
        body = lhtml.tostring(doc.article, encoding="unicode") if doc.article is not None else ""
        body = _VOID_END_TAGS.sub("", body)
        return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n{head}\n</head>\n'
                f"<body>\n{body}\n</body>\n</html>\n")
    text = lhtml.tostring(root, encoding="unicode")  # the element: lxml would add a doctype of its own
    text = _VOID_END_TAGS.sub("", text)  # libxml2 writes <wbr></wbr>: a page has <wbr>
    if doc.doctype:
        text = f"{doc.doctype}\n{text}"
    return text if text.endswith("\n") else text + "\n"
