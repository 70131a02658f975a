"""Reading an XML input (TMX, XLIFF): its bytes checked as every other input's are, and lxml's
parse errors as one line."""

from __future__ import annotations

import re
from pathlib import Path

from .fsutil import _a, read_input_bytes, refuse_binary

# How an XML document in UTF-16 or UTF-32 begins (the XML specification's Appendix F: a byte order
# mark, or "<?" in the wide encoding). Such a file holds NUL bytes and is well-formed XML all the same.
_WIDE_XML_STARTS = (
    b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\x00<", b"<\x00\x00\x00",
    b"\xfe\xff", b"\xff\xfe", b"\x00<\x00?", b"<\x00?\x00",
)


def read_xml_input(path: str | Path, what: str) -> bytes:
    """The bytes of the XML file at ``path`` (``what``: "TMX file", "XLIFF file"); a NUL byte in a
    file that is not UTF-16/32 XML is refused as in every other input (binary data, its line)."""
    p = Path(path)
    data = read_input_bytes(p, what)
    if not data.startswith(_WIDE_XML_STARTS):
        # lxml would say "Char 0x0 out of allowed range": the way other formats say it instead
        refuse_binary(data, p, _a(what))
    return data


def xml_error_text(err) -> str:
    """An lxml ``XMLSyntaxError`` as one line. libxml2's messages end in a line break that lxml
    keeps before its ", line N, column M" (the line is the error's own, so only the column is
    kept)."""
    text = " ".join(str(getattr(err, "msg", None) or err).split())
    return re.sub(r" ?, line \d+, column (\d+)$", r" (column \1)", text)


def xml_safe(text: str) -> bool:
    """Whether XML 1.0 can hold ``text``: no control character but tab and line breaks, no
    U+FFFE/U+FFFF (lxml and translate-toolkit would drop them silently or refuse the document)."""
    return not any((ord(c) < 32 and c not in "\t\n\r") or c in "\ufffe\uffff" for c in text)
