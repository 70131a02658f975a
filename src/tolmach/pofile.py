"""Write polib catalogs byte for byte as GNU gettext (``msgcat``, ``msgmerge``, Poedit) writes them.

Why a writer of our own
-----------------------
Translators save PO files in Poedit and run ``msgmerge``/``msgcat``; all of them format through
GNU gettext's ``write-po.c``. polib (Tolmach's data model, kept) breaks long lines *before* a
space, gettext *after* it, and the two disagree on the header, on references and on flags, so every
save by one re-wraps every long entry written by the other and git diffs are noise.

The exact alternative is libgettextpo itself (translate-toolkit's ``cpo``). It was not chosen
because it is a C library that must be installed separately: Debian/Ubuntu ship it as
``libgettextpo0``, Homebrew only inside its full ``gettext`` formula, Windows not at all, and pip
cannot provide it; it also cannot write ``--no-wrap`` files. Tolmach runs wherever Python and
CTranslate2 wheels do, so the rules are implemented here, in Python, and *proven* against the
real ``msgcat`` by a property test (``tests/test_pofile.py``):

* strings are cut into ``\\n``-terminated portions; a string with more than one portion, or one
  that needs wrapping, starts with an empty ``""`` line (gettext's rule);
* each portion is escaped first (``\\"``, ``\\\\``, ``\\t``, ``\\n``, ...) and then broken with
  Unicode line breaking (UAX #14 in libunistring's pair-table form) at page width 79, counting
  East Asian wide characters as two columns; a line never breaks inside an escape, nor before a
  final ``\\n``;
* comments are never wrapped; ``#:`` references are deduplicated and wrapped at the page width
  (counted in bytes of the file's charset, as gettext counts them);
  flags are written in gettext's order (``fuzzy`` first, and only on a translated entry, then the
  format flags, ``range:``, ``no-wrap``); obsolete entries come last.

The line-break classes come from :mod:`tolmach._linebreak`, measured from the real ``msgcat`` by
``python -m tolmach.devtools.linebreak_table`` for the blocks news text uses (Latin, Greek,
Cyrillic, punctuation, symbols, CJK punctuation, kana, fullwidth forms, emoji); other characters
get a class from ``unicodedata`` (ideographs and other wide characters break like CJK, marks like
marks, Hebrew and Hangul by their own rules, the rest like letters). Known differences from
``msgcat``, all rare in catalogs: characters outside those blocks whose class the fallback gets
wrong, pairs of regional-indicator flags, a long ``#:`` line of a file name with spaces (written
quoted, between U+2068 and U+2069, and kept whole, as gettext 0.22 and later write it: 0.21 knows no
quoting and wraps between the name's words, read back as one name all the same), and what Tolmach
keeps on purpose: flags gettext does not know (such as Tolmach's ``no-<check>-check``, written after gettext's own) and an obsolete
untranslated entry that holds a translator's comment, both of which ``msgcat`` drops.

``--no-wrap`` style: :func:`detect_no_wrap` recognises a file written without wrapping; the caller
keeps that as ``POFile.wrapwidth = 0`` and :func:`format_catalog` then writes without wrapping, as
``msgcat --no-wrap`` does (references are still wrapped, as gettext does).
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata

import polib

from . import _linebreak
from .potext import unescape

PAGE_WIDTH = 79  # gettext's default, also Poedit's and msgmerge's

# gettext escapes exactly these control characters by name; others are written as they are.
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v", '"': '"', "\\": "\\"}
_FORMATS = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript", "scheme",
    "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal", "smalltalk", "qt",
    "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace", "php", "gcc-internal",
    "gfc-internal", "ycp",
)

_NEEDS_ESCAPE = re.compile("[" + re.escape("".join(_ESCAPES)) + "]")
_PROHIBITED, _POSSIBLE, _MANDATORY = 0, 1, 2
_RANGE_STARTS = [r[0] for r in _linebreak.RANGES]
_SECOND = {k: i for i, k in enumerate(_linebreak.SECONDS)}


# --- characters ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def char_width(c: str) -> int:
    """Columns a character takes in a terminal (libunistring's ``uc_width`` for UTF-8)."""
    u = ord(c)
    if u < 0x20 or 0x7F <= u < 0xA0:
        return 0  # control characters do not count
    if 0x1160 <= u <= 0x11FF or unicodedata.category(c) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


# Characters whose class the writer handles by rule rather than by the measured table: a
# zero-width joiner glues what follows it (its signature as the first character looks like WJ's).
BY_RULE = {0x200D: "ZWJ"}


def fallback_class(u: int) -> str:
    """The line-break class of a character outside the measured blocks, from ``unicodedata``."""
    if u == 0x20:
        return "SP"
    if 0xAC00 <= u <= 0xD7A3:
        return "H2" if (u - 0xAC00) % 28 == 0 else "H3"
    if 0x1100 <= u <= 0x115F:
        return "JL"
    if 0x1160 <= u <= 0x11A7:
        return "JV"
    if 0x11A8 <= u <= 0x11FF:
        return "JT"
    c = chr(u)
    cat = unicodedata.category(c)
    if cat == "Lo" and (0x05D0 <= u <= 0x05F2 or 0xFB1D <= u <= 0xFB4F):
        return "HL"  # Hebrew letters: like AL, but a hyphen after one holds (UAX #14 LB21a)
    if cat in ("Zl", "Zp"):
        return "BK"
    if cat in ("Mn", "Mc", "Me"):
        return "CM"
    if cat == "Nd":
        return "NU"
    if unicodedata.east_asian_width(c) in ("W", "F"):
        return "ID"
    return "AL"


@functools.lru_cache(maxsize=4096)
def line_break_class(c: str) -> str:
    u = ord(c)
    if u in BY_RULE:
        return BY_RULE[u]
    i = bisect.bisect_right(_RANGE_STARTS, u) - 1
    if i >= 0 and _linebreak.RANGES[i][0] <= u <= _linebreak.RANGES[i][1]:
        return _linebreak.RANGES[i][2]
    return fallback_class(u)


@functools.lru_cache(maxsize=1024)
def _pair(first: str, second: str) -> str:
    if second == "WJ":
        return "P"
    if second in ("JV", "JT"):  # Hangul syllable blocks hold together; otherwise like ideographs
        if first in ("JL", "JV", "H2") or (second == "JT" and first in ("JT", "H3")):
            return "P"
        second = "ID"
    if second == "HL":
        second = "AL"
    if first == "HL":
        first = "AL"
    return _linebreak.PAIRS.get(first, _linebreak.PAIRS["AL"])[_SECOND[second]]


def _possible_breaks(chars: list[str]) -> list[int]:
    """Break opportunities before each character (libunistring's pair-table algorithm)."""
    out = [_PROHIBITED] * len(chars)
    last = "BK"  # class of the last non-space character; BK = start of text
    before_last = "BK"  # and of the one before it
    space = False  # whether spaces follow it
    glued = False  # whether it was a zero-width joiner, after which nothing breaks (LB8a)
    for i, c in enumerate(chars):
        cls = line_break_class(c)
        if cls == "BK":
            out[i] = _MANDATORY
            last, space, glued = "BK", False, False
            continue
        if cls == "SP":
            space = True
            continue
        if cls == "ZW":
            last, space, glued = "ZW", False, False
            continue
        joiner = cls == "ZWJ"
        if cls in ("CM", "ZWJ"):
            if last == "ZW":
                out[i] = _POSSIBLE
                last, glued = "ID", joiner
                continue
            if not space:
                glued = glued or joiner
                continue  # a mark belongs to the character before it
            cls = "AL"  # after a space it stands alone, as a letter (UAX #14 LB10)
        if last == "BK" or (glued and not space):
            out[i] = _PROHIBITED
        elif last == "ZW":
            out[i] = _POSSIBLE
        else:
            rule = _pair(last, cls)
            if before_last == "HL" and last in ("HY", "BA") and not space:
                rule = "P"
            out[i] = _POSSIBLE if rule == "D" or (rule == "I" and space) else _PROHIBITED
        before_last, last, space, glued = last, cls, False, joiner
    return out


def _width_breaks(kinds: list[int], widths: list[int], width: int, start: int) -> list[bool]:
    """Where a greedy fill to ``width`` columns breaks (libunistring's ``u8_width_linebreaks``).

    ``kinds``: the break opportunity before each character, ``widths``: its columns.
    """
    taken = [False] * len(kinds)
    last_p: int | None = None
    column, piece = start, 0
    for i, kind in enumerate(kinds):
        if kind != _PROHIBITED and last_p is not None and column + piece > width:
            taken[last_p] = True
            column = 0
        if kind == _MANDATORY:
            last_p, column, piece = None, 0, 0
            continue
        if kind == _POSSIBLE:
            last_p, column, piece = i, column + piece, 0
        piece += widths[i]
    if last_p is not None and column + piece > width:
        taken[last_p] = True
    return taken


# --- strings -------------------------------------------------------------------------------------


def _portions(value: str) -> list[str]:
    """The string cut after each ``\\n`` (an empty string is one empty portion)."""
    parts = re.findall(r"[^\n]*\n|[^\n]+$", value)
    return parts or [""]


def _escape(portion: str) -> tuple[list[str], list[int | None]]:
    if not _NEEDS_ESCAPE.search(portion):
        return list(portion), [None] * len(portion)
    chars: list[str] = []
    overrides: list[int | None] = []
    for c in portion:
        name = _ESCAPES.get(c)
        if name is None:
            chars.append(c)
            overrides.append(None)
        else:  # never break inside an escape sequence
            chars += ["\\", name]
            overrides += [None, _PROHIBITED]
    if portion.endswith("\n"):
        overrides[-2] = _PROHIBITED  # nor just before a final \n
    return chars, overrides


def string_lines(name: str, value: str, prefix: str = "", width: int = PAGE_WIDTH) -> list[str]:
    """``name "value"`` as gettext writes it; ``width`` <= 0 writes without wrapping."""
    lines: list[str] = []
    portions = _portions(value)
    after_break = len(prefix) + 1  # column where text starts on a continuation line
    room = (width if width > 0 else 1 << 30) - 1 - after_break  # 1 for the closing quote
    first = True
    for n, portion in enumerate(portions):
        chars, overrides = _escape(portion)
        widths = [char_width(c) for c in chars]
        total = sum(widths)
        kinds: list[int] | None = None
        while True:
            start = (len(name) + 1 if first else 0) + 1 + len(prefix) - after_break
            if start + total <= room:
                taken = [False] * len(chars)  # it all fits: no break is taken
            else:
                if kinds is None:
                    kinds = [p if o is None else o for p, o in zip(_possible_breaks(chars), overrides)]
                taken = _width_breaks(kinds, widths, room, start)
            if first and chars and (n < len(portions) - 1 or start > room or any(taken)):
                lines.append(f'{prefix}{name} ""')
                first = False
                continue
            break
        pieces, current = [], []
        for c, brk in zip(chars, taken):
            if brk:
                pieces.append("".join(current))
                current = []
            current.append(c)
        pieces.append("".join(current))
        for piece in pieces:
            lines.append(f'{prefix}{name} "{piece}"' if first else f'{prefix}"{piece}"')
            first = False
    return lines


# --- entries -------------------------------------------------------------------------------------


def _comment_lines(mark: str, text: str | None) -> list[str]:
    if not text:
        return []
    return [f"{mark} {line}" if line else mark for line in text.split("\n")]


def _reference_lines(occurrences, width: int, charset: str = "utf-8") -> list[str]:
    """``#:`` lines; gettext measures a reference in bytes of the file's charset."""
    refs = []
    for path, line in occurrences:
        while path.startswith("./"):
            path = path[2:]
        ref = f"{path}:{line}" if line not in (None, "") else path
        if ref not in refs:
            refs.append(ref)
    if not refs:
        return []
    lines, current, column = [], "#:", 2
    for ref in refs:
        size = len(ref.encode(charset, "replace")) + 1
        if column > 2 and column + size > width:
            lines.append(current)
            current, column = "#:", 2
        current += " " + ref
        column += size
    lines.append(current)
    return lines


def _flags_line(flags: list[str], translated: bool) -> list[str]:
    """gettext's order: fuzzy (only on a translated entry), formats, range, no-wrap; then others."""
    rest = list(dict.fromkeys(flags))
    out = []
    if "fuzzy" in rest:
        rest.remove("fuzzy")
        if translated:
            out.append("fuzzy")
    for fmt in _FORMATS:
        for flag in (f"{fmt}-format", f"possible-{fmt}-format", f"no-{fmt}-format"):
            if flag in rest:
                out.append(flag.replace("possible-", ""))
                break
        for flag in (f"{fmt}-format", f"possible-{fmt}-format", f"no-{fmt}-format"):
            if flag in rest:
                rest.remove(flag)
    out += [f for f in rest if f.startswith("range:")]
    rest = [f for f in rest if not f.startswith("range:")]
    if "no-wrap" in rest:
        out.append("no-wrap")
    rest = [f for f in rest if f not in ("no-wrap", "wrap")]
    out += rest  # flags gettext does not know (msgcat would drop them; a human set them)
    return ["#, " + ", ".join(out)] if out else []


def entry_lines(entry: polib.POEntry, width: int = PAGE_WIDTH, charset: str = "utf-8") -> list[str]:
    """One entry (no blank line around it), as ``msgcat`` writes it in ``charset``."""
    if "no-wrap" in entry.flags:
        width_strings = 0
    else:
        width_strings = width
    lines = _comment_lines("#", entry.tcomment) + _comment_lines("#.", entry.comment)
    lines += _reference_lines(entry.occurrences, width if width > 0 else PAGE_WIDTH, charset)
    plurals = dict(entry.msgstr_plural) or {0: ""}
    lines += _flags_line(list(entry.flags), bool(_first_msgstr(entry)))
    prev = "#~| " if entry.obsolete else "#| "
    if entry.previous_msgctxt is not None:
        lines += string_lines("msgctxt", entry.previous_msgctxt, prev, width_strings)
    if entry.previous_msgid is not None:
        lines += string_lines("msgid", entry.previous_msgid, prev, width_strings)
    if entry.previous_msgid_plural is not None:
        lines += string_lines("msgid_plural", entry.previous_msgid_plural, prev, width_strings)
    prefix = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        lines += string_lines("msgctxt", entry.msgctxt, prefix, width_strings)
    lines += string_lines("msgid", entry.msgid, prefix, width_strings)
    if entry.msgid_plural:
        lines += string_lines("msgid_plural", entry.msgid_plural, prefix, width_strings)
        for index in sorted(plurals):
            lines += string_lines(f"msgstr[{index}]", plurals[index], prefix, width_strings)
    else:
        lines += string_lines("msgstr", entry.msgstr, prefix, width_strings)
    return lines


def _first_msgstr(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        return dict(entry.msgstr_plural).get(0, "")
    return entry.msgstr


def header_entry(po: polib.POFile) -> polib.POEntry:
    """The header as an entry, with the metadata in the order it has (polib would sort it)."""
    return polib.POEntry(
        msgid="",
        msgstr="".join(f"{key}: {value}\n" for key, value in po.metadata.items()),
        tcomment=po.header,
        flags=list(po.metadata_is_fuzzy or []),
    )


def format_catalog(po: polib.POFile, charset: str = "utf-8") -> str:
    """The whole file as text: wrapped at gettext's width, or not at all if ``po.wrapwidth`` <= 0.

    ``charset``: what the text will be encoded in (gettext measures ``#:`` lines in its bytes);
    the caller encodes it.

    Any positive ``wrapwidth`` means gettext's 79 columns: polib's own default (78) is not a
    choice anyone made, and the two styles gettext users meet are 79 and ``--no-wrap``.

    Lines end in ``po.tolmach_newline`` (``"\r\n"`` for a catalog read with CRLF line ends, which
    Poedit and gettext on Windows keep; ``"\n"`` otherwise).
    """
    width = 0 if po.wrapwidth is not None and po.wrapwidth <= 0 else PAGE_WIDTH
    active = [e for e in po if not e.obsolete]
    # gettext drops an obsolete entry without a translation; Tolmach keeps one that still holds a
    # translator's comment (human text), the one case where msgcat would write less.
    obsolete = [e for e in po if e.obsolete and (_first_msgstr(e) or e.tcomment)]
    blocks = [entry_lines(header_entry(po), width, charset)]
    blocks += [entry_lines(e, width, charset) for e in active + obsolete]
    text = "\n\n".join("\n".join(block) for block in blocks) + "\n"
    newline = getattr(po, "tolmach_newline", "\n")
    return text if newline == "\n" else text.replace("\n", newline)  # (in strings, a \n is escaped)


# --- what polib does not read --------------------------------------------------------------------

_OBSOLETE_FIELD = re.compile(r'^#~(\|?) (msgctxt|msgid|msgid_plural) "(.*)"$')
_OBSOLETE_MORE = re.compile(r'^#~(\|?) "(.*)"$')


def restore_obsolete_previous(po: polib.POFile, text: str, charset: str = "utf-8") -> None:
    """Put back the ``#~|`` lines (previous msgctxt/msgid of an obsolete entry) that polib skips.

    msgmerge and Poedit write them for an entry that was fuzzy when it became obsolete; without
    this a rewrite would drop them. Each block is matched to polib's entry by its msgctxt and msgid.
    ``charset``: the file's (an octal or hex escape is a byte of it).
    """
    wanted = {(e.msgctxt, e.msgid): e for e in po if e.obsolete}
    if not wanted or "#~|" not in text:
        return
    for block in text.split("\n\n"):
        if "#~|" not in block:
            continue
        fields: dict[tuple[str, str], str] = {}
        key = None
        for line in block.split("\n"):
            m = _OBSOLETE_FIELD.match(line)
            if m:
                key = (m.group(1), m.group(2))
                fields[key] = unescape(m.group(3), charset)
                continue
            m = _OBSOLETE_MORE.match(line)
            if m and key is not None and m.group(1) == key[0]:
                fields[key] += unescape(m.group(2), charset)
            else:
                key = None
        entry = wanted.get((fields.get(("", "msgctxt")), fields.get(("", "msgid"))))
        if entry is None:
            continue
        entry.previous_msgctxt = fields.get(("|", "msgctxt"), entry.previous_msgctxt)
        entry.previous_msgid = fields.get(("|", "msgid"), entry.previous_msgid)
        entry.previous_msgid_plural = fields.get(("|", "msgid_plural"), entry.previous_msgid_plural)


# --- style detection -----------------------------------------------------------------------------

_STRING_LINE = re.compile(r'^(?:#~\|? |#\| )?(?:msg\w+(?:\[\d+\])? )?"(.*)"$')


def detect_no_wrap(text: str) -> bool:
    """Whether a PO file was written without wrapping (``msgcat --no-wrap``, Poedit's option).

    Such a file has a string line wider than the page that could have been broken at a space,
    and no string broken anywhere but after a ``\\n``.
    """
    long_line = False
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = _STRING_LINE.match(line)
        if not m:
            continue
        body = m.group(1)
        is_continuation = line.lstrip("#~|. ").startswith('"')
        if (is_continuation and body and not body.endswith("\\n") and i + 1 < len(lines)
                and _STRING_LINE.match(lines[i + 1]) and lines[i + 1].lstrip("#~| ").startswith('"')):
            return False  # a string broken at the page width: wrapped style
        if not long_line and " " in body.rstrip() and sum(map(char_width, line)) > PAGE_WIDTH:
            long_line = True
    return long_line
