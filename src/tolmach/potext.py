"""What every reader of a PO file shares: its text (the charset rules) and the languages its header names.

Kept apart from :mod:`tolmach.catalog` so that the read-only fast path of ``tolmach check``
(:mod:`tolmach.checks.poread`) decodes and tells languages by exactly the same rules without importing
polib and the rest of the catalog machinery; :mod:`tolmach.catalog` uses these too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping

from .errors import TolmachError

SOURCE_LANG_HEADER = "X-Source-Language"

CHARSET_FIELD = re.compile(r"charset=([A-Za-z0-9_.:-]+)")  # in the header's Content-Type
_CHARSET = re.compile(CHARSET_FIELD.pattern.encode())
PLACEHOLDER_CHARSET = "CHARSET"  # xgettext's, in a fresh template: no charset named yet


_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")

# A string's escapes as GNU gettext reads them (po-lex.c): the ones it writes (write-po.c), and
# octal and hex escapes, which give bytes of the file's charset (msgcat writes them as the text
# they make). ``\?``, ``\'`` and any other are errors to msgfmt ("invalid control sequence").
_ESCAPE = re.compile(r'\\([ntbrfva\\"]|[0-7x])')
_BYTE_ESCAPE = re.compile(r'\\(?:([ntbrfva\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+))')
_UNESCAPED = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\", '"': '"'}


class _Bytes(Exception):
    pass


def _named(m: re.Match) -> str:
    c = _UNESCAPED.get(m.group(1))
    if c is None:
        raise _Bytes
    return c


def unescape(s: str, charset: str = "utf-8") -> str:
    """The text of a PO string's inside ``s`` (between its quotes), as gettext reads it.

    Raises ValueError where octal or hex escapes give bytes that are not text in ``charset``, or
    a NUL (where gettext's string would end).
    """
    if "\\" not in s:
        return s
    try:
        return _ESCAPE.sub(_named, s)
    except _Bytes:
        pass
    data = bytearray()
    pos = 0
    for m in _BYTE_ESCAPE.finditer(s):
        data += s[pos : m.start()].encode(charset)
        pos = m.end()
        if m.group(1):
            data += _UNESCAPED[m.group(1)].encode(charset)
        else:  # a byte, as gettext's C char keeps it
            data.append(int(m.group(2), 8) & 0xFF if m.group(2) else int(m.group(3), 16) & 0xFF)
    data += s[pos:].encode(charset)
    try:
        text = data.decode(charset)
    except UnicodeDecodeError:
        raise ValueError(f"octal or hex escapes that are not {charset} text") from None
    if "\0" in text:
        raise ValueError("an escaped NUL character")
    return text


# A comment mark at the start of a line with no space after it (``#,fuzzy``, ``#:a.txt:1``, ``#.text``,
# ``#|msgid``, ``#~msgid``, ``#~|msgid``, ``#text``): gettext reads it as the mark with a space (and
# writes the space), polib refuses it. ``##`` and ``#!`` are left as they are. (Found from its "#",
# the lookbehind being the line start: a scan for a literal is what the fast reader can afford.)
_GLUED_MARK = re.compile(r"#(?<![^\n]#)(?:~\||~(?!\|)|[.:,|]|(?![.:,|~#!]))(?=\S)")


def space_comment_marks(text: str) -> str:
    """PO ``text`` with a space after each comment mark that has none, as gettext reads it (and as
    polib can read it); lines stay where they are."""
    return _GLUED_MARK.sub(r"\g<0> ", text)


def matching_line_ends(msgid: str, text: str) -> str:
    """``text`` as a translation of ``msgid``: beginning and ending with a line feed where the
    msgid does and only there, as ``msgfmt --check`` requires (a pretty-printed TMX or XLIFF
    target, "НАТО против.\\n", would make a catalog msgfmt refuses; Poedit adjusts them so too)."""
    if not text:
        return text
    body = text.strip("\n")
    if not body:
        return text
    return ("\n" if msgid.startswith("\n") else "") + body + ("\n" if msgid.endswith("\n") else "")


def plural_count(metadata: Mapping[str, str]) -> int | None:
    """The number of plural forms the header's ``Plural-Forms`` gives; None where it gives none (a
    template's ``nplurals=INTEGER``)."""
    m = _NPLURALS.search(metadata.get("Plural-Forms", ""))
    return int(m.group(1)) if m else None


def is_utf8(charset: str) -> bool:
    return charset.lower().replace("-", "").replace("_", "") == "utf8"


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """The file's text, decoded with the charset its header names (UTF-8 when it names none)."""
    m = _CHARSET.search(data[:4096])
    charset = m.group(1).decode("ascii") if m else "utf-8"
    if charset.upper() == PLACEHOLDER_CHARSET:
        charset = "utf-8"
    if not is_utf8(charset) and not data.isascii():
        # A header that says Latin-1 (or CP1251...) over text that is really UTF-8 would decode
        # to mojibake without any error: refuse it before anything is translated or remembered.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if any(b >= 0xC0 for b in data):
                raise TolmachError(
                    f"the header declares charset {charset} but the text is UTF-8; "
                    "set charset=UTF-8 in the Content-Type header", path) from None
    try:
        text = data.decode(charset)
    except LookupError:
        raise TolmachError(f"unknown charset {charset!r} in the PO header", path) from None
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        name = "UTF-8" if is_utf8(charset) else charset
        raise TolmachError(f"not valid {name} (byte 0x{data[err.start]:02x}); save the catalog as {name}",
                           path, line) from None
    return text.lstrip("\ufeff").replace("\r\n", "\n"), charset


def base_language(code: str | None) -> str:
    """``ru_RU``, ``ru-RU``, ``RU``, ``ru@latin`` -> ``ru``."""
    return re.split(r"[-_@.]", (code or "").strip(), maxsplit=1)[0].lower()


def languages(metadata: Mapping[str, str], path: str | Path | None = None) -> tuple[str, str]:
    """(source, target) languages of a catalog with this header (see :func:`tolmach.catalog.language_pair`)."""
    target = base_language(metadata.get("Language"))
    if not target and path is not None:
        parent = Path(path).parent
        target = parent.parent.name.lower() if parent.name == "LC_MESSAGES" else ""
    if not target:
        raise TolmachError("no Language in the PO header; cannot tell the target language", path)
    source = base_language(metadata.get(SOURCE_LANG_HEADER))
    if not source:
        if target not in ("en", "ru"):
            raise TolmachError(f"target language {target!r}: set {SOURCE_LANG_HEADER} in the PO header", path)
        source = "ru" if target == "en" else "en"
    return source, target
