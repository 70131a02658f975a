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

import re
from dataclasses import dataclass
from typing import Mapping

from ..markup import full_references, markdown_parser, protect

_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_PREFIX = re.compile(r"^(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)]|#{1,6})(?=[ \t]|$))*[ \t]*")
_HEADING_MARK = re.compile(r"#{1,6}[ \t]*$")  # an ATX heading's mark, at the end of its prefix
_BLOCK_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[-+*](?=\s)|\d{1,9}(?=[.)]\s)|=+\s*$|-+\s*$|`{3,}|~{3,}|\|)")


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
    stop: int = 0  # the line after the unit's block (a setext heading's underline is in it)


def parse_units(text: str) -> list[MdUnit]:
    """The translatable units of a Markdown document, in document order."""
    lines = text.split("\n")
    toml = _toml_front_matter(lines)
    env: dict = {}
    tokens = markdown_parser().parse(_blank(lines, toml), env)
    defined = env.get("references", {})
    units: list[MdUnit] = _front_matter_units(lines, 0, toml, "+++") if toml else []
    containers: list[str] = []  # innermost last: "- ", "1. ", "> "
    heading = 0
    cells: list[tuple[int, int]] = []
    cell_index = 0
    for k, t in enumerate(tokens):
        if t.type == "front_matter" and t.map:
            units.extend(_front_matter_units(lines, t.map[0], t.map[1], t.markup))
        elif t.type == "list_item_open":
            containers.append(f"{t.info}{t.markup} ")
        elif t.type == "blockquote_open":
            containers.append("> ")
        elif t.type in ("list_item_close", "blockquote_close"):
            containers.pop()
        elif t.type == "heading_open":
            heading = int(t.tag[1])
        elif t.type == "heading_close":
            heading = 0
        elif t.type == "tr_open" and t.map:
            cells, cell_index = _cells(lines[t.map[0]], t.meta.get("column", 0)), 0
        elif t.type == "inline" and t.map:
            parent = tokens[k - 1].type if k else ""
            if parent in ("th_open", "td_open"):
                unit = _cell_unit(lines, t.map[0], cells, cell_index, defined)
                cell_index += 1
            else:
                markup = "#" * heading + " " if heading else (containers[-1] if containers else "")
                unit = _block_unit(lines, t, tokens[k - 1], markup, heading, defined)
            if unit is not None:
                units.append(unit)
    return units


def _plain(source: str) -> str:
    """The unit's words for classification; "" when it has none outside code spans (a paragraph
    that is only an image, a code span or a template tag is no unit)."""
    protected = protect(source)
    inside_code = {i for a in protected.atoms if a.kind == "code" for i in range(a.start, a.end)}
    words = any(c.isalnum() for i, c in enumerate(protected.plain) if i not in inside_code)
    return protected.plain if words else ""


def _block_unit(lines: list[str], t, block, markup: str, heading: int, defined) -> MdUnit | None:
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
    return MdUnit(first_line, n, text, markup, prefix, suffix, cont, None, heading, plain,
                  stop=max(block.map[1], first_line + n) if block.map else first_line + n)


# Front-matter keys whose values readers see (the page title, its summary); one-line scalars only.
FRONT_MATTER_KEYS = ("title", "subtitle", "description", "summary", "linktitle", "caption")
_YAML_VALUE = re.compile(rf"^({'|'.join(FRONT_MATTER_KEYS)})(\s*:\s*)(\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|[^\s\"'|>&*!%@`{{\[].*?)\s*$")
_TOML_VALUE = re.compile(rf"^({'|'.join(FRONT_MATTER_KEYS)})(\s*=\s*)(\"(?:[^\"\\]|\\.)*\")\s*$")
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
    for i in range(start + 1, stop - 1):
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
        out.append(MdUnit(i, 1, value, "", cell=(m.start(3), m.end(3)), plain=value, quote=quote))
    return out


def _front_matter_value(unit: MdUnit, text: str) -> str:
    import json

    text = " ".join(text.split("\n"))
    if unit.quote == "'":
        return "'" + text.replace("'", "''") + "'"
    if unit.quote == "" and not _YAML_PLAIN_UNSAFE.search(text) and text:
        return text
    return json.dumps(text, ensure_ascii=False)


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


def _escape_line_start(line: str) -> str:
    """A translated line must not start a new block (a heading, list item, quote, fence)."""
    m = _BLOCK_START.match(line)
    if not m:
        return line
    pos = m.end(1)
    if line[pos].isdigit():
        digits = re.match(r"\d+", line[pos:]).group(0)  # type: ignore[union-attr]
        return line[: pos + len(digits)] + "\\" + line[pos + len(digits):]
    return line[:pos] + "\\" + line[pos:]


def _render(unit: MdUnit, translation: str) -> list[str]:
    if unit.heading:
        translation = " ".join(translation.split("\n"))
    parts = [p.lstrip() if i else p for i, p in enumerate(translation.rstrip().split("\n"))]
    out = []
    for i, part in enumerate(parts):
        part = _escape_line_start(part)
        out.append((unit.prefix if i == 0 else unit.cont) + part)
    out[-1] += unit.suffix
    return out


def rebuild(text: str, units: list[MdUnit], translations: Mapping[int, str | None]) -> str:
    """The document with unit ``i`` replaced by ``translations[i]``.

    A unit missing from ``translations`` keeps its source; a unit mapped to None is removed (a
    top-level paragraph of page chrome: its lines and the blank line after them go).
    """
    lines = text.split("\n")
    order = sorted(range(len(units)), key=lambda i: (units[i].line, units[i].cell or (0, 0)), reverse=True)
    for i in order:
        if i not in translations:
            continue
        unit, new = units[i], translations[i]
        if unit.cell is not None:
            if new is None:
                continue
            a, b = unit.cell
            row = lines[unit.line]
            if unit.markup == "| ":
                cell = _CELL_SPLIT.sub(r"\\|", " ".join(new.split("\n")))
            else:  # a front-matter value, quoted as YAML/TOML needs
                cell = _front_matter_value(unit, new)
            lines[unit.line] = row[:a] + cell + row[b:]
        elif new is None:
            if _HEADING_MARK.sub("", unit.prefix).strip():
                continue  # inside a list or quote: removing it would change the structure
            stop = unit.stop or unit.line + unit.nlines  # a heading goes with its underline
            if stop < len(lines) and not lines[stop].strip():
                stop += 1
            del lines[unit.line:stop]
        else:
            lines[unit.line:unit.line + unit.nlines] = _render(unit, new)
    return "\n".join(lines)


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
