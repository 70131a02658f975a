"""A read-only fast path from PO files to :class:`CheckEntry` objects, for ``tolmach check``.

Why a reader beside polib: polib stays Tolmach's data model, the reader of everything that writes,
and the reference this module is held to (:func:`tolmach.checks.runner.read_po_with_polib`). This
is only a read-only fast path for ``tolmach check``, where polib's line-by-line state machine was
most of the time spent reading 10,000 entries, and ``tests/test_poread.py`` proves it gives exactly
what polib gives (a differential property test over generated and broken catalogs, and real ones).

It is strict on purpose: it reads PO text as GNU gettext, Poedit, polib and Tolmach write it, entry
by entry, with regular expressions over the whole text; whenever a file holds anything else -- a
line shape it does not know, a duplicate, a second header, a lone carriage return, a charset
whose lines are not the file's byte lines, a file it cannot read -- :func:`read_entries` answers
``None`` and the caller reads the file with polib (:func:`tolmach.catalog.load_catalog`), which
gives today's result or today's one-line error. So this module never has to word an error, and
never imports polib.

What it must agree with polib on, and how:

* ``CheckEntry.line`` is polib's ``linenum``: the first line of the entry that polib does not skip,
  except that the first entry of the file is line 0 (polib's start state);
* comments are polib's ``comment`` (``#.``) then ``tcomment`` (``#``) lines, stripped as polib
  strips lines; ``#`` comments at the top of the file are the header comment, not an entry's;
* strings are unescaped as gettext reads them (:func:`tolmach.potext.unescape`, which
  ``load_catalog`` has polib read them by), and a comment mark without a space after it
  (``#,fuzzy``) is read with one (:func:`tolmach.potext.space_comment_marks`, as there);
* ``msgstr_line``/``msgstr_end_line`` (and ``gap_lines``) are what ``_MsgstrLines`` finds on the file's bytes;
* the text is decoded by :func:`tolmach.potext.decode` and the languages told by
  :func:`tolmach.potext.languages`, as ``load_catalog`` and ``language_pair`` do.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from ..errors import TolmachError
from ..fsutil import refuse_binary
from ..potext import decode, languages, plural_count, space_comment_marks, unescape
from .base import CheckEntry

# load_catalog has polib split lines at "\n" and a lone "\r" (U+2028, NEL, FS... are text, as
# in gettext), and polib strips each line (Unicode whitespace). A "\r" is looked for first and
# left to polib; no line shape below starts with a space, and only comments may end in one
# (their text is then stripped as polib strips it).
_LINE_BREAKS = "\r"
_TEXT = r"[^\n]*\S"  # the rest of a line, ending in a non-space
# a string's inside: what _BAD_STRING_LINE accepts (every '"' escaped); written as an unrolled
# loop, which the regex engine runs as tight character scans
_BODY = r'[^"\\\n]*(?:\\(?:[ntbrfva\\"]|[0-7]{1,3}|x[0-9A-Fa-f]+)[^"\\\n]*)*'  # escapes msgfmt knows
_CONT = rf'(?:"{_BODY}"\n)*'  # continuation lines
_TC = r"#(?: [^\n]*)?\n"  # "#" or "# ...": polib's translator comment (tokens[0] == "#")
_COMMENTS = (
    # "#.", "#:", "#," with nothing after them (once stripped) are lines polib skips: an entry
    # starts after them. (polib's writer makes "#:" and "#," of a header comment line ":" or ",".)
    r"(?P<skip>(?:#[.:,][^\S\n]*\n)*)"
    rf"(?P<tc>(?:{_TC})*)"
    # "#. text"; "#." alone (an empty line of it), which polib skips; a line ending in spaces
    rf"(?P<gc>(?:#\.(?: {_TEXT})?\n|(?P<gcx>#\. [^\n]*\n))*)"
    r"(?:#:(?: [^\n]*)?\n)*"
    r"(?P<fl>(?:#,(?: [^\n]*)?\n)*)"
)
_PREVIOUS = rf'(?:#\| (?:msgctxt|msgid|msgid_plural) "{_BODY}"\n(?:#\| "{_BODY}"\n)*)*'
_LIVE = (
    _PREVIOUS
    + rf'(?:msgctxt "(?P<ctx>{_BODY})"\n(?P<ctxc>{_CONT}))?'
    + rf'msgid "(?P<id>{_BODY})"\n(?P<idc>{_CONT})'
    + rf'(?:msgstr "(?P<str>{_BODY})"\n(?P<strc>{_CONT})'
    + rf'|msgid_plural "(?P<pl>{_BODY})"\n(?P<plc>{_CONT})(?P<strs>(?:msgstr\[[0-9]\] "{_BODY}"\n{_CONT})+))'
)
# An obsolete entry ("#~" lines) is left out by read_po; it is only checked for being well-formed
# (polib reads it without an error) and for being no duplicate, by _OBSOLETE, compiled when a file
# has one.
_OCONT = rf'(?:#~ "{_BODY}"\n)*'
_OBSOLETE = (
    rf"(?:#~\| {_TEXT}\n)*"
    + rf'(?:#~ msgctxt "(?P<ctx>{_BODY})"\n(?P<ctxc>{_OCONT}))?'
    + rf'#~ msgid "(?P<id>{_BODY})"\n(?P<idc>{_OCONT})'
    + rf'(?:#~ msgstr "{_BODY}"\n{_OCONT}'
    + rf'|#~ msgid_plural "{_BODY}"\n{_OCONT}(?:#~ msgstr\[[0-9]\] "{_BODY}"\n{_OCONT})+)'
)
_ENTRY = re.compile(rf"{_COMMENTS}(?:{_LIVE}|(?P<obs>(?:#~[^\n]*\n)+))\n*")
_PLURAL = re.compile(rf'msgstr\[([0-9])\] "({_BODY})"\n({_CONT})')
# Top of the file: "#" comments are the header comment (polib's state "he"); blank lines and the
# lines polib skips (a bare "#.", "#:", "#,") between them.
_LEAD = re.compile(rf"(?:{_TC}|#[.:,][^\S\n]*\n|\n)*")
# End of the file: comments after the last entry, which polib reads as nothing.
_TRAIL = re.compile(r"(?:#[.:,]?(?: [^\n]*)?\n|\n)*\Z")


def _entry(path, line, msgctxt, source, target, source_lang, target_lang, fuzzy, flags, comments, msgstr_line,
           msgstr_end_line, empty_forms=(), missing_forms=(), gap_lines=(0, 0)):  # fmt: skip
    # A frozen dataclass sets its fields one object.__setattr__ at a time; this fills the same
    # __dict__ in one step (a third of the time, for 10,000 entries a run). Used only while
    # CheckEntry is the plain frozen dataclass with these fields (see _make_entry).
    entry = _new(CheckEntry)
    entry.__dict__.update(
        path=path, line=line, msgctxt=msgctxt, source=source, target=target, source_lang=source_lang,
        target_lang=target_lang, fuzzy=fuzzy, flags=flags, comments=comments, msgstr_line=msgstr_line,
        msgstr_end_line=msgstr_end_line, empty_forms=empty_forms, missing_forms=missing_forms, gap_lines=gap_lines,
    )  # fmt: skip
    return entry


_new = object.__new__
_make_entry = (
    _entry
    if [f.name for f in fields(CheckEntry)] == list(_entry.__code__.co_varnames[:15])
    and not hasattr(CheckEntry, "__post_init__")
    else CheckEntry
)


class HandOver(Exception):
    """The file is not one this reader fully understands: read it with polib. ``str()``: why."""


def read_entries(
    path: str | Path, include_fuzzy: bool = False, counts: dict | None = None, data: bytes | None = None
) -> list[CheckEntry] | None:
    """The entries :func:`tolmach.checks.runner.read_po` gives, or ``None`` to have polib read it.

    ``counts`` gets ``"skipped_fuzzy"`` added only when the entries are returned. ``data``: the
    file's bytes, where the caller has read them.
    """
    try:
        if data is None:
            data = Path(path).read_bytes()
        refuse_binary(data, path, "a PO file")
        text, charset = decode(data, Path(path))
    except (OSError, TolmachError):
        return None  # load_catalog says what is wrong, in its words
    try:
        entries, skipped = parse(text, str(path), include_fuzzy, _first_line_blank(data), charset)
    except HandOver:
        return None
    if counts is not None and skipped:
        counts["skipped_fuzzy"] = counts.get("skipped_fuzzy", 0) + skipped
    return entries


def _first_line_blank(data: bytes) -> bool:
    # _MsgstrLines looks at the bytes, where a byte order mark makes the first line not blank
    first = data[: data.find(b"\n")] if b"\n" in data else data
    return not first.strip()


def parse(
    text: str, name: str, include_fuzzy: bool = False, first_line_blank: bool | None = None, charset: str = "utf-8"
) -> tuple[list[CheckEntry], int]:
    """(entries, fuzzy entries left out) of decoded PO ``text`` for the file ``name``; raises
    :class:`HandOver` where polib must read it. ``first_line_blank``: whether the file's first
    line is blank as bytes (default: as text)."""
    if not _lines_are_byte_lines(charset):
        raise HandOver(f"charset {charset}: text lines may not be the file's byte lines")
    for c in _LINE_BREAKS:
        if c in text:
            raise HandOver(f"a line break {c!r}, which load_catalog has polib split lines at")
    if text and not text.endswith("\n"):
        text += "\n"
    text = space_comment_marks(text)  # as load_catalog reads "#,fuzzy"
    if first_line_blank is None:
        first_line_blank = text.startswith("\n")
    pos = _LEAD.match(text).end()
    line = 1 + text.count("\n", 0, pos)  # the line ``pos`` is on
    # _MsgstrLines looks for the first entry's msgstr from the top of the file, up to a blank line
    lead_blank = first_line_blank or "\n\n" in text[:pos]
    first = True  # polib's first entry keeps the line number of its start state: 0
    header_done = False  # the header (msgid "") has been seen, or an entry that comes after it
    langs: tuple[str, str] | None = None
    nplurals: int | None = None  # the header's, where it says (a form past it is polib's to refuse)
    seen: set[tuple[str | None, str]] = set()
    entries: list[CheckEntry] = []
    append = entries.append
    skipped = 0
    count = text.count
    make = _make_entry
    for m in _ENTRY.finditer(text, pos):
        start = m.start()
        if start != pos:
            raise HandOver(f"unrecognised text at line {line}")
        pos = m.end()
        skip, tc, gc, gcx, fl, ctx, ctxc, msgid, idc, msgstr, strc, plural, plc, strs, obs = m.groups()
        block_line = line
        line += count("\n", start, pos)
        is_first, first = first, False
        if obs is not None:
            om = _obsolete_entry().fullmatch(obs)
            if om is None:
                raise HandOver(f"an obsolete entry at line {block_line} that polib would read otherwise")
            key = _obsolete_key(om, charset)
            if key in seen:  # (msgfmt refuses an obsolete duplicate too)
                raise HandOver(f"duplicate entry at line {block_line}")
            seen.add(key)
            continue
        if ctx is not None:
            if ctxc:
                ctx += ctxc[1:-2].replace('"\n"', "")
            if "\\" in ctx:
                ctx = _unescape(ctx, charset)
        if idc:
            msgid += idc[1:-2].replace('"\n"', "")
        if "\\" in msgid:
            msgid = _unescape(msgid, charset)
        if msgstr is not None:
            if strc:
                msgstr += strc[1:-2].replace('"\n"', "")
            if "\\" in msgstr:
                msgstr = _unescape(msgstr, charset)
        if not msgid:
            # polib takes the one msgid "" entry without msgctxt as the header; anything else
            # (a second one, one with a context, one after other entries) is polib's to sort out
            if header_done or ctx is not None or msgstr is None:
                raise HandOver(f"an entry with an empty msgid at line {block_line}")
            header_done = True
            metadata = _metadata(msgstr)
            langs = check_languages(metadata, name)
            nplurals = plural_count(metadata)
            continue
        header_done = True
        key = (ctx, msgid)
        if key in seen:
            raise HandOver(f"duplicate entry at line {block_line}")
        seen.add(key)
        fuzzy = False
        flags: tuple[str, ...] = ()
        if fl:
            flag_list: list[str] = []
            for flag_line in fl[:-1].split("\n"):
                flag_line = flag_line.strip()
                if flag_line != "#,":
                    flag_list += [c.strip() for c in flag_line[3:].split(",")]
            flags = tuple(flag_list)
            fuzzy = "fuzzy" in flags
        if plural is not None:
            if plc:
                plural += plc[1:-2].replace('"\n"', "")
            if "\\" in plural:
                plural = _unescape(plural, charset)
        if fuzzy and not include_fuzzy:
            if msgstr or plural:
                skipped += 1
            continue
        if langs is None:
            langs = check_languages({}, name)
        linenum = block_line
        if is_first:
            linenum = 0
        elif skip:
            linenum += skip.count("\n")
        comments: tuple[str, ...] = ()
        if gc:
            if gcx is None and "#.\n" not in gc:
                comments = tuple(gc[3:-1].replace("\n#. ", "\n").splitlines())
            else:
                comments = _extracted(gc)
        if tc:
            comments += _translator(tc)
        if not plural:  # polib: msgid_plural "" is no plural (and its msgstr[n] are not read)
            if not msgstr:
                continue
            if is_first and lead_blank:
                first_line = last_line = 0
            else:
                first_line = block_line + count("\n", start, m.start("str"))
                last_line = first_line + strc.count("\n") if strc else first_line
            append(make(name, linenum, ctx, msgid, msgstr, langs[0], langs[1], fuzzy, flags, comments,
                        first_line, last_line))
            continue
        targets, gaps, gap_places = _plural_targets(strs, m.start("strs"), msgid, plural, nplurals, charset)
        gap_lines = (0, 0)
        if gap_places and not (is_first and lead_blank):  # the lines _MsgstrLines.span finds
            spans = [(block_line + count("\n", start, at), cont.count("\n")) for at, cont in gap_places]
            gap_lines = (min(first for first, _ in spans), max(first + n for first, n in spans))
        for source, target, at, cont in targets:
            if is_first and lead_blank:
                first_line = last_line = 0
            else:
                first_line = block_line + count("\n", start, at)
                last_line = first_line + cont.count("\n")
            append(make(name, linenum, ctx, source, target, langs[0], langs[1], fuzzy, flags, comments,
                        first_line, last_line, *gaps, gap_lines))
            gaps, gap_lines = ((), ()), (0, 0)
    if pos != len(text):
        if _TRAIL.match(text, pos) is None:
            raise HandOver(f"unrecognised text at line {line}")
        if not first and all(t.strip() in ("", "#.", "#:", "#,") for t in text[pos:].split("\n")):
            # only lines polib skips after the last entry: it then never appends that entry
            raise HandOver(f"the last entry followed by nothing but a bare comment mark, line {line}")
    return entries, skipped


def _plural_targets(
    strs: str, offset: int, msgid: str, plural: str, nplurals: int | None = None, charset: str = "utf-8"
) -> tuple[list[tuple[str, str, int, str]], tuple[tuple[int, ...], tuple[int, ...]], list[tuple[int, str]]]:
    """The translated forms (source, target, offset, continuation lines), the forms that are
    empty and missing (:func:`tolmach.state.untranslated_forms`), and (offset, continuation lines)
    of the forms a finding about those points at (``runner._gap_forms``)."""
    found: dict[int, tuple[str, str, int, str]] = {}
    places: dict[int, tuple[int, str]] = {}
    indexes: set[int] = set()
    for p in _PLURAL.finditer(strs):
        index = int(p.group(1))
        if index in indexes:  # polib keeps the last one, _MsgstrLines finds the first
            raise HandOver(f"msgstr[{index}] twice")
        if nplurals is not None and index >= nplurals:
            raise HandOver(f"msgstr[{index}] past the header's nplurals={nplurals}")
        indexes.add(index)
        value = p.group(2)
        cont = p.group(3)
        places[index] = (offset + p.start(), cont)
        if cont:
            value += cont[1:-2].replace('"\n"', "")
        if not value:
            continue
        if "\\" in value:
            value = _unescape(value, charset)
        found[index] = (msgid if index == 0 else plural, value, offset + p.start(), cont)
    forms = range(max(nplurals or 0, max(indexes) + 1))
    gaps = (tuple(i for i in forms if i in indexes and i not in found), tuple(i for i in forms if i not in indexes))
    pointed = [*gaps[0], *([max(indexes)] if gaps[1] else [])]
    return [found[i] for i in sorted(found)], gaps, [places[i] for i in pointed]


def _extracted(gc: str) -> tuple[str, ...]:
    """polib's ``comment.splitlines()`` of these "#." lines (a bare "#." once stripped is skipped)."""
    parts = []
    for line in gc[:-1].split("\n"):
        line = line.strip()
        if line != "#.":
            parts.append(line[3:])
    return tuple("\n".join(parts).splitlines())


def _translator(tc: str) -> tuple[str, ...]:
    """polib's ``tcomment.splitlines()`` of these "#" lines (handle_tc, line by line)."""
    text = ""
    for line in tc[:-1].split("\n"):
        line = line.strip()
        if line == "#":
            line += " "
        part = line.lstrip("#")
        if part.startswith(" "):
            part = part[1:]
        if text != "":  # so polib loses empty lines at the start
            text += "\n"
        text += part
    return tuple(text.splitlines())


@lru_cache(maxsize=1)
def _obsolete_entry() -> re.Pattern:
    return re.compile(_OBSOLETE)


def _unescape(s: str, charset: str) -> str:
    try:
        return unescape(s, charset)
    except ValueError as err:
        raise HandOver(f"a string load_catalog refuses: {err}") from None


def _obsolete_key(m: re.Match, charset: str) -> tuple[str | None, str]:
    """(msgctxt, msgid) of an obsolete entry matched by _OBSOLETE, as for a live one."""
    ctx, ctxc, msgid, idc = m.group("ctx", "ctxc", "id", "idc")
    if ctx is not None:
        ctx = _unescape("".join([ctx, *re.findall(r'^#~ "(.*)"$', ctxc, re.M)]), charset)
    return ctx, _unescape("".join([msgid, *re.findall(r'^#~ "(.*)"$', idc, re.M)]), charset)


def _metadata(header: str) -> dict[str, str]:
    # polib's reading of the header's "Key: value" lines, a line without ":" continuing the last
    metadata: dict[str, str] = {}
    key = None
    for msg in header.splitlines():
        try:
            key, val = msg.split(":", 1)
            metadata[key] = val.strip()
        except ValueError:
            if key is not None:
                metadata[key] += "\n" + msg.strip()
    return metadata


def check_languages(metadata: Mapping[str, str], path: str | Path) -> tuple[str, str]:
    """(source, target) languages the checks assume for a catalog with this header: the header's
    (:func:`tolmach.potext.languages`); where it names none, the project's main direction."""
    try:
        return languages(metadata, path)
    except TolmachError:
        return "en", "ru"


@lru_cache(maxsize=None)
def _lines_are_byte_lines(charset: str) -> bool:
    """Whether the decoded text has the file's lines, with the same ASCII at their starts.

    ``_MsgstrLines`` finds msgstr lines on the bytes. That holds for UTF-8 and for every charset
    that decodes byte by byte with ASCII as ASCII (Latin-1, KOI8-R, CP1251...), not for multi-byte
    or shifting ones (Shift_JIS, ISO-2022, UTF-7), which polib reads instead.
    """
    try:
        if codecs.lookup(charset).name == "utf-8":
            return True
        every = bytes(range(256))
        chars = [every[i : i + 1].decode(charset, "replace") for i in range(256)]
        return (
            all(len(c) == 1 for c in chars)
            and every.decode(charset, "replace") == "".join(chars)
            and all(chars[i] == chr(i) for i in range(128))
            and all(ord(c) >= 128 for c in chars[128:])
        )
    except (LookupError, UnicodeError):
        return False
