"""Markdown articles: units from the CommonMark token stream, and the article rebuilt around them.

The document is parsed with markdown-it-py (CommonMark + tables, strikethrough, footnotes, YAML/TOML
front matter). Each paragraph, heading, list item paragraph, block quote paragraph, table cell and
footnote text is a :class:`MdUnit`; front matter, code blocks, HTML blocks, rules and link
definitions are not units and are kept byte for byte. A unit's text is its Markdown source (the
translator sees and may fix the inline markup), its lines joined (a hard line break is kept as a
line break) and its collapsed and shortcut reference links written as full ones (``[text][label]``,
so that translating the text does not lose the link).

:func:`rebuild` writes the translated article: the source with each unit's lines replaced by its
translation, behind the same container marks (``> - ``) and indentation, so that list tightness,
numbering, quotes, code and everything else the translation does not touch stay as they were.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass
from typing import Mapping

from ..markup import full_references, markdown_parser, protect

_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_PREFIX = re.compile(r"^(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)]|#{1,6})(?=[ \t]|$))*[ \t]*")
_HEADING_MARK = re.compile(r"#{1,6}[ \t]*$")  # an ATX heading's mark, at the end of its prefix
# what a line that starts a block starts with (the parser says whether it does): the marks of a
# heading, quote, list item, rule, setext underline, fence, table, definition, HTML block
_BLOCK_START = re.compile(r"[-#>+*=_`~|\[<:]|\d{1,9}[.)]")


@dataclass(frozen=True)
class MdUnit:
    line: int  # 0-based first source line of the unit's content
    nlines: int  # source lines the content takes
    text: str  # the unit's Markdown source (the msgid)
    markup: str  # what it is in: "# " (heading level), "- ", "1. ", "> ", "| " (table cell), ""
    prefix: str = ""  # what stands before the content on its first line ("> - ", "## ")
    suffix: str = ""  # what stands after it on its last line (an ATX heading's closing "##")
    cont: str = ""  # line prefix for a translation that runs over several lines
    cell: tuple[int, int] | None = None  # a table cell, a front-matter value: its columns in the line
    heading: int = 0  # heading level, 0 for others
    plain: str = ""  # the text without markup (for classification)
    quote: str = ""  # a front-matter value: how it was quoted ('"', "'", "" for plain YAML)
    fence: str = ""  # a front-matter value: its front matter's fence ("---" YAML, "+++" TOML)
    # for leaving it out (page chrome, --untranslated omit): the lines of its block (a setext
    # heading's underline too; a cell's: its table's), the list items and quotes it is in (outermost
    # first), and what stays when the block goes and its list item or footnote does not (the mark
    # its first line carried: "-", "[^1]:")
    block: tuple[int, int] | None = None
    holders: tuple["Holder", ...] = ()
    keep: str = ""


@dataclass(frozen=True)
class Holder:
    """A list item or block quote that units are in."""

    token: int  # its opening token (two can have the same lines: "- > quote")
    lines: tuple[int, int]  # without the blank lines after it
    blocks: int  # the blocks it holds (paragraphs, headings, code, tables...), nested ones' too
    number: str = ""  # the first item of an ordered list: its number ("1."), the list's start
    quote: bool = False  # a block quote: its ">" is on each of its lines


def parse_units(text: str) -> list[MdUnit]:
    """The translatable units of a Markdown document, in document order."""
    lines = text.split("\n")
    toml = _toml_front_matter(lines)
    env: dict = {}
    tokens = markdown_parser().parse(_blank(lines, toml), env)
    defined = env.get("references", {})
    units: list[MdUnit] = _front_matter_units(lines, 0, toml, "+++") if toml else []
    containers: list[str] = []  # innermost last: "- ", "1. ", "> "
    holders: list[Holder] = []  # the same, as what holds units
    counts = _blocks_inside(tokens)
    heading = 0
    cells: list[tuple[int, int]] = []
    cell_index = 0
    table: tuple[int, int] = (0, 0)
    table_keep = ""
    for k, t in enumerate(tokens):
        if t.type == "front_matter" and t.map:
            units.extend(_front_matter_units(lines, t.map[0], t.map[1], t.markup))
        elif t.type == "list_item_open":
            containers.append(f"{t.info}{t.markup} ")
            first = tokens[k - 1].type == "ordered_list_open"
            holders.append(Holder(k, _trimmed(lines, t.map), counts[k], f"{t.info}{t.markup}" if first else ""))
        elif t.type == "blockquote_open":
            containers.append("> ")
            holders.append(Holder(k, _trimmed(lines, t.map), counts[k], quote=True))
        elif t.type in ("list_item_close", "blockquote_close"):
            containers.pop()
            holders.pop()
        elif t.type == "heading_open":
            heading = int(t.tag[1])
        elif t.type == "heading_close":
            heading = 0
        elif t.type == "table_open" and t.map:
            table = _trimmed(lines, t.map)
        elif t.type == "tr_open" and t.map:
            column = t.meta.get("column", 0)
            cells, cell_index = _cells(lines[t.map[0]], column), 0
            if t.map[0] == table[0]:
                table_keep = _marks_kept(lines[t.map[0]][:column])
        elif t.type == "inline" and t.map:
            parent = tokens[k - 1].type if k else ""
            if parent in ("th_open", "td_open"):
                unit = _cell_unit(lines, t.map[0], cells, cell_index, defined)
                cell_index += 1
                block, keep = table, table_keep
            else:
                markup = "#" * heading + " " if heading else (containers[-1] if containers else "")
                unit = _block_unit(lines, t, markup, heading, defined)
                block = (t.map[0], tokens[k - 1].map[1]) if tokens[k - 1].map else tuple(t.map)
                keep = _marks_kept(_HEADING_MARK.sub("", unit.prefix)) if unit else ""
            if unit is not None:
                units.append(dataclasses.replace(unit, block=_trimmed(lines, block), holders=tuple(holders),
                                                 keep=keep))
    return units


def _plain(source: str) -> str:
    """The unit's words for classification; "" when it has none outside code spans (a paragraph
    that is only an image, a code span or a template tag is no unit)."""
    protected = protect(source)
    inside_code = {i for a in protected.atoms if a.kind == "code" for i in range(a.start, a.end)}
    words = any(c.isalnum() for i, c in enumerate(protected.plain) if i not in inside_code)
    return protected.plain if words else ""


def _block_unit(lines: list[str], t, markup: str, heading: int, defined) -> MdUnit | None:
    content_lines = t.content.split("\n")
    first_line = t.map[0]
    n = len(content_lines)
    first_src, last_src = lines[first_line], lines[first_line + n - 1]
    # the content ends its first line (but for a heading's closing #s): its last occurrence
    at = first_src.rfind(content_lines[0])
    if at < 0:  # tabs expanded by the parser: the container marks are what comes before
        at = _PREFIX.match(first_src).end()  # type: ignore[union-attr]
    end = last_src.rfind(content_lines[-1]) if n > 1 else at
    if end < 0:
        end = _PREFIX.match(last_src).end()  # type: ignore[union-attr]
    prefix = first_src[:at]
    suffix = last_src[end + len(content_lines[-1]):].rstrip()
    # softbreaks join with a space; a hard break (two spaces or a backslash at the end) stays
    text = raw_prev = ""
    for i, raw in enumerate(content_lines):
        if i:
            hard = raw_prev.endswith("\\") or raw_prev.endswith("  ")
            text = text.rstrip(" ") + ("  \n" if hard and not raw_prev.endswith("\\") else "\n" if hard else " ")
        text += raw.strip() if i else raw.rstrip()
        raw_prev = raw
    text = full_references(text, defined)
    plain = _plain(text)
    if not plain:
        return None
    cont = re.sub(r"[^>]", " ", prefix) if not heading else ""
    return MdUnit(first_line, n, text, markup, prefix, suffix, cont, None, heading, plain)


_CONTAINERS = ("bullet_list_open", "ordered_list_open", "list_item_open", "blockquote_open")
_ORDERED_MARK = re.compile(r"^([ \t>]*)(\d{1,9})([.)])")


def _blocks_inside(tokens) -> dict[int, int]:
    """For each list, list item and block quote (its opening token's index): how many blocks
    (paragraphs, headings, code, tables, rules...) it holds, those of nested containers included."""
    counts: dict[int, int] = {}
    stack: list[int] = []
    for i, t in enumerate(tokens):
        if t.type in _CONTAINERS:
            stack.append(i)
            counts[i] = 0
        elif t.type.replace("_close", "_open") in _CONTAINERS:
            stack.pop()
        elif stack and t.nesting >= 0 and t.type != "inline" and t.level == tokens[stack[-1]].level + 1:
            for j in stack:
                counts[j] += 1
    return counts


def _trimmed(lines: list[str], span) -> tuple[int, int]:
    """A block's lines without the blank lines that end it (markdown-it counts them in)."""
    start, stop = span
    while stop > start + 1 and _empty(lines[stop - 1]):
        stop -= 1
    return (start, stop)


def _marks_kept(prefix: str) -> str:
    """What of a block's first-line prefix stays when the block goes and what holds it does not:
    a list item's or footnote's mark ("-", "[^1]:"), without which what follows would join the
    item before it. A quote's ">" is on every line and needs keeping on none."""
    return prefix.rstrip() if prefix.strip(" \t>") else ""


def _empty(line: str) -> bool:
    """A blank line, in a block quote too (``>``)."""
    return not line.strip(" \t>")


# Front-matter keys whose values readers see (the page title, its summary); one-line scalars only.
# A comment after the value ("# TODO better title") is no part of it (a plain YAML scalar ends at
# " #"), and stays in the line.
FRONT_MATTER_KEYS = ("title", "subtitle", "description", "summary", "linktitle", "caption")
_YAML_VALUE = re.compile(rf"^({'|'.join(FRONT_MATTER_KEYS)})(\s*:\s*)(\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'"
                         rf"|[^\s\"'|>&*!%@`{{\[#](?:(?!\s#).)*?)\s*(?:\s#.*)?$")
# (a TOML basic "..." or literal '...' string; a multi-line one, """ or ''', is no unit)
_TOML_VALUE = re.compile(rf"^({'|'.join(FRONT_MATTER_KEYS)})(\s*=\s*)(\"(?:[^\"\\]|\\.)*\"|'[^']*')\s*(?:#.*)?$")
_TOML_MULTILINE = re.compile(r"=\s*(\"\"\"|''')")
_YAML_PLAIN_UNSAFE = re.compile(r":\s|\s#|^[\s\-?:,\[\]{}#&*!|>'\"%@`]|\s$")


def _toml_front_matter(lines: list[str]) -> int:
    """Lines of a TOML front matter (``+++`` ... ``+++``, Hugo's) at the top, 0 if none
    (markdown-it's front-matter plugin knows YAML's ``---`` only)."""
    if not lines or lines[0].rstrip() != "+++":
        return 0
    for i in range(1, len(lines)):
        if lines[i].rstrip() == "+++":
            return i + 1
    return 0


def _blank(lines: list[str], count: int) -> str:
    """The document with its first ``count`` lines emptied (line numbers stay)."""
    return "\n".join([""] * count + lines[count:])


def _front_matter_units(lines: list[str], start: int, stop: int, fence: str) -> list[MdUnit]:
    """``title:`` and the like in YAML (``---``) or TOML (``+++``) front matter."""
    import json

    rx = _TOML_VALUE if fence.startswith("+") else _YAML_VALUE
    out = []
    multiline = ""  # the delimiter of the TOML multi-line string the line is in
    for i in range(start + 1, stop - 1):
        if multiline:  # its lines are its text ('title = "x"' in it is no key)
            multiline = "" if multiline in lines[i] else multiline
            continue
        opened = _TOML_MULTILINE.search(lines[i]) if rx is _TOML_VALUE else None
        if opened and opened.group(1) not in lines[i][opened.end():]:
            multiline = opened.group(1)
        m = rx.match(lines[i])
        if not m:
            continue
        raw = m.group(3)
        if raw.startswith('"'):
            try:
                value, quote = json.loads(raw), '"'
            except ValueError:
                continue
        elif raw.startswith("'"):
            value, quote = raw[1:-1].replace("''", "'"), "'"
        else:
            value, quote = raw, ""
        if not any(c.isalnum() for c in value):
            continue
        out.append(MdUnit(i, 1, value, "", cell=(m.start(3), m.end(3)), plain=value, quote=quote,
                          fence=fence[:3], block=(i, i + 1)))
    return out


# Characters YAML and TOML take only escaped: the C0 controls other than tab, DEL and the C1
# controls (neither YAML's printable set nor a TOML basic string has them), and U+2028 and U+2029,
# which PyYAML reads as line breaks. json.dumps escapes only the C0 ones.
_ESCAPED_ONLY = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _front_matter_value(unit: MdUnit, text: str) -> str:
    import json

    text = " ".join(text.split("\n"))
    plain = _ESCAPED_ONLY.search(text) is None  # no character that needs an escape
    if unit.quote == "'" and unit.fence == "+++":
        # a TOML literal string has no escapes: one holding a ' or a control character is a basic one
        if plain and "'" not in text and "\t" not in text:
            return "'" + text + "'"
    elif unit.quote == "'" and plain:
        return "'" + text.replace("'", "''") + "'"
    if unit.quote == "" and plain and not _YAML_PLAIN_UNSAFE.search(text) and text:
        return text
    return _ESCAPED_ONLY.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _cells(row: str, column: int = 0) -> list[tuple[int, int]]:
    """Column ranges of a table row's cells (split at unescaped pipes, trimmed); the row starts at
    ``column`` of its line (after the ``> `` or list-item indentation of the table's container)."""
    bounds = [m.start() for m in _CELL_SPLIT.finditer(row, column)]
    edges = [column - 1, *bounds, len(row)]
    out = []
    for a, b in zip(edges, edges[1:]):
        a += 1
        while a < b and row[a] == " ":
            a += 1
        while b > a and row[b - 1] == " ":
            b -= 1
        out.append((a, b))
    # a leading/trailing pipe leaves an empty edge cell that is no cell
    stripped = row[column:].strip()
    if stripped.startswith("|"):
        out = out[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        out = out[:-1]
    return out


def _cell_unit(lines: list[str], line: int, cells, index: int, defined) -> MdUnit | None:
    if index >= len(cells):
        return None
    a, b = cells[index]
    text = full_references(lines[line][a:b], defined)
    plain = _plain(text)
    if not plain:
        return None
    return MdUnit(line, 1, text, "| ", cell=(a, b), plain=plain)


def _escape_line_start(lines: list[str], line: str) -> str:
    """A translated line, after the unit's ``lines`` before it, must not start a new block (a
    heading, list item, quote, rule, fence, table, link or footnote definition, HTML block):
    a backslash before its first mark, if it would."""
    if not _BLOCK_START.match(line) or _one_paragraph([*lines, line]):
        return line
    digits = re.match(r"\d*", line).end()  # type: ignore[union-attr]
    return line[:digits] + "\\" + line[digits:]


def _one_paragraph(lines: list[str]) -> bool:
    """Whether the lines are one paragraph (what a unit's lines are, in any container)."""
    tokens = markdown_parser().parse("\n".join(lines))
    return (bool(tokens) and tokens[0].type == "paragraph_open" and tokens[0].map == [0, len(lines)]
            and lines[0].rstrip() != "+++")  # (a TOML front matter's fence, to parse_units)


# What CommonMark takes for an ATX heading's closing sequence at the end of its line: a run of
# "#" alone or after a space or tab, then only spaces or tabs (its first "#" escaped, it is text)
_CLOSING_RUN = re.compile(r"(?:^|[ \t])(#+)[ \t]*$")


def _render(unit: MdUnit, translation: str) -> list[str]:
    if unit.heading:
        translation = " ".join(translation.split("\n"))
    # no line of it blank (that would end the paragraph) or indented (the first one: code)
    parts = [p.lstrip() if i else p.lstrip(" \t") for i, p in enumerate(translation.rstrip().split("\n"))]
    parts = [p for p in parts if p] or [""]
    lines: list[str] = []
    for part in parts:
        lines.append(_escape_line_start(lines, part))
    if len(lines) > 1 and lines[0].startswith("[") and not _one_paragraph(lines):
        lines[0] = "\\" + lines[0]  # a link definition over several lines ("[label]:" and "/url")
    if unit.heading and not unit.suffix and _HEADING_MARK.search(unit.prefix):
        # an ATX heading's translation that ends in " #" («Счёт #»): CommonMark would take that for
        # the closing sequence and drop it (where the source has one, the suffix is the closing one)
        closing = _CLOSING_RUN.search(lines[-1])
        if closing is not None:
            lines[-1] = lines[-1][:closing.start(1)] + "\\" + lines[-1][closing.start(1):]
    out = [(unit.prefix if i == 0 else unit.cont) + line for i, line in enumerate(lines)]
    out[-1] += unit.suffix
    return out


def rebuild(text: str, units: list[MdUnit], translations: Mapping[int, str | None]) -> str:
    """The document with unit ``i`` replaced by ``translations[i]``.

    A unit missing from ``translations`` keeps its source; a unit mapped to None (page chrome, or
    untranslated with ``--untranslated omit``) is left out, as a paragraph of a text article is: its
    lines go, with the list item or quote that holds nothing else (a list item or footnote that
    holds more keeps its mark), a heading with its underline; a table cell is left empty (the table
    keeps its columns) and a front-matter value goes with its key.
    """
    lines = text.split("\n")
    left_out = {i for i, new in translations.items() if new is None}
    # a block goes when all its units go (a table: all its cells), a list item or quote when all
    # its blocks go
    members: dict[tuple[int, int] | None, list[int]] = {}
    for i, unit in enumerate(units):
        members.setdefault(unit.block, []).append(i)
    gone = {block: ids[0] for block, ids in members.items() if block and all(i in left_out for i in ids)}
    emptied = Counter(h for i in gone.values() for h in units[i].holders)
    cuts: dict[tuple[int, int], tuple[MdUnit, Holder | None]] = {}
    for block, i in gone.items():
        holder = next((h for h in units[i].holders if emptied[h] == h.blocks), None)
        cuts.setdefault(holder.lines if holder else block, (units[i], holder))
    edits = [((span[0], -1), span, None) for span in cuts]
    edits += [((u.line, (u.cell or (0, 0))[0]), None, i) for i, u in enumerate(units)
              if i in translations and u.block not in gone]
    for _, span, i in sorted(edits, key=lambda e: e[0], reverse=True):
        if span is not None:
            _remove(lines, span, *cuts[span])
            continue
        unit, new = units[i], translations[i]
        if unit.cell is not None:
            a, b = unit.cell
            row = lines[unit.line]
            if new is None:  # a cell of a table that stays: empty, the table keeps its columns
                lines[unit.line] = row[:a] + row[b:]
            elif unit.markup == "| ":
                cell = _CELL_SPLIT.sub(r"\\|", " ".join(new.split("\n")))
                lines[unit.line] = row[:a] + cell + row[b:]
            else:  # a front-matter value, quoted as YAML/TOML needs
                lines[unit.line] = row[:a] + _front_matter_value(unit, new) + row[b:]
        else:
            lines[unit.line:unit.line + unit.nlines] = _render(unit, new)
    return "\n".join(lines)


def _remove(lines: list[str], span: tuple[int, int], unit: MdUnit, holder: Holder | None) -> None:
    """Take ``span`` out of the document's lines: ``unit``'s block, or the ``holder`` it was in."""
    start, stop = span
    if unit.cell is not None and unit.markup != "| ":  # a front-matter value goes with its key
        del lines[start:stop]
        return
    keep = unit.keep if holder is None else _outer_marks(lines[start], unit.holders, holder)
    if keep:  # "-", "[^1]:": a blank line after it would end the item there
        lines[start:stop] = [keep]
        if start + 1 < len(lines) and _empty(lines[start + 1]):
            del lines[start + 1]
        return
    first = lines[start]
    prev = lines[start - 1] if start else None
    after = lines[stop] if stop < len(lines) else None
    del lines[start:stop]
    if after is not None and _empty(after) and (prev is None or _empty(prev)):
        # one blank line stays between what stood around it: a quote's ">" where it ended the quote
        del lines[start - 1 if prev is not None and prev.count(">") > after.count(">") else start]
    elif unit.heading and holder is None and prev and after and not _empty(prev) and not _empty(after):
        # a heading between two paragraphs: without it, they would be one
        lines.insert(start, re.sub(r"[^>]", " ", _HEADING_MARK.sub("", unit.prefix)).rstrip())
    old = _ORDERED_MARK.match(first)
    new = _ORDERED_MARK.match(lines[start]) if start < len(lines) else None
    if holder and holder.number and old and new and new.group(1) == old.group(1) and new.group(3) == old.group(3):
        # an ordered list starts at its first number (the others are not read): the next item takes it
        number = holder.number[:-1]
        if len(number) <= len(new.group(2)):
            width = len(new.group(2)) + 1
            lines[start] = new.group(1) + (number + new.group(3)).ljust(width) + lines[start][new.end():]


def _outer_marks(line: str, holders: tuple[Holder, ...], holder: Holder) -> str:
    """What stays of the first line of a list item or quote that goes: the mark of a list item
    around it that starts on the same line and stays ("- - inner" -> "-")."""
    outer = holders[:holders.index(holder)]
    start = holder.lines[0]
    if not any(not h.quote and h.lines[0] == start for h in outer):
        return ""
    marks = re.findall(r"[ \t]*(?:>|[-*+]|\d{1,9}[.)])", _PREFIX.match(line).group(0))  # type: ignore[union-attr]
    return "".join(marks[:sum(1 for h in outer if h.quote or h.lines[0] == start)]).rstrip()


def block_tree(text: str) -> list[tuple]:
    """The document's block structure without its words: each block token's type, tag, nesting,
    markup, list tightness (hidden paragraphs) and, for code and front matter, the content.
    Two documents with the same tree have the same blocks in the same containers."""
    lines = text.split("\n")
    toml = _toml_front_matter(lines)
    tree: list[tuple] = []
    if toml:
        tree.append(("front_matter", "", 0, "+++", "", True,
                     "\n".join(re.split(r"\s*=", line, maxsplit=1)[0] for line in lines[1:toml - 1])))
    for t in markdown_parser().parse(_blank(lines, toml)):
        if t.type == "inline":
            continue
        keep = t.content if t.type in ("fence", "code_block", "html_block") else ""
        if t.type == "front_matter":  # its keys, in order (title and summary values are translated)
            keep = "\n".join(re.split(r"\s*[:=]", line, maxsplit=1)[0] for line in t.content.split("\n"))
        tree.append((t.type, t.tag, t.nesting, t.markup, t.info if t.type == "fence" else "",
                     t.hidden, keep))
    return tree


def markdown_blocks(text: str, lang: str, rules) -> tuple[list[MdUnit], tuple]:
    """The units of a Markdown document and the :class:`~tolmach.segment.Block` of each (same
    order), classified by the same rules as text articles, on the text without its markup."""
    from ..segment import CHROME, Block, _classify, split_sentences

    units = parse_units(text)
    kinds = _classify([(u.line + 1, u.plain, u.markup) for u in units], rules)
    blocks = tuple(
        Block(
            index=i,
            line=u.line + 1,
            kind=kind,
            text=u.text,
            markup=u.markup,
            reason=reason,
            sentences=tuple(split_sentences(u.plain, lang)) if kind != CHROME else (),
        )
        for i, (u, (kind, reason)) in enumerate(zip(units, kinds))
    )
    return units, blocks
