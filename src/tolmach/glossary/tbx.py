"""TBX export and import (Weblate, OmegaT) through translate-toolkit's ``tbxfile``.

One ``termEntry`` per term. The English ``langSet`` holds the source; the Russian one holds the
target as the preferred term, the alternatives as admitted terms and the forbidden variants as
deprecated terms (``termNote type="administrativeStatus"``), which is how TBX tools mark terms not to
use. The kind, flags and note travel as ``note`` elements (``from="tolmach-kind"`` etc.) so that an
export read back gives the same glossary.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..errors import TolmachError
from ..fsutil import atomic_write_bytes
from .model import GENDERS, Term, kind_category

_STATUS = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
}
_KIND = "tolmach-kind"
_FLAGS = "tolmach-flags"
_NOTE = "translator"


def terms_to_tbx(terms: Sequence[Term], source_lang: str = "en", target_lang: str = "ru") -> bytes:
    from lxml import etree
    from translate.storage.tbx import tbxfile

    from ..xmlinput import xml_safe

    store = tbxfile(sourcelanguage=source_lang, targetlanguage=target_lang)
    for n, term in enumerate(terms, 1):
        for text in (term.source, term.target, term.note, *term.alternatives, *term.forbidden):
            if not xml_safe(text):  # translate-toolkit would drop the character without a word
                raise TolmachError(f"term {term.source!r} has control characters that XML cannot hold, nothing written",
                                   term.path or None, term.line or None)
        unit = store.addsourceunit(term.source)
        unit.setid(f"t{n}")
        unit.settarget(term.target, lang=target_lang)
        extra = [*term.alternatives, *term.forbidden]
        if extra:
            unit.set_target_terms([term.target, *extra], lang=target_lang)
        ns = unit.namespaced
        langset = unit.get_target_dom(target_lang)
        statuses = ["preferred"] + ["admitted"] * len(term.alternatives) + ["deprecated"] * len(term.forbidden)
        for tig, status in zip(langset.findall(ns("tig")), statuses):
            note = etree.SubElement(tig, ns("termNote"))
            note.set("type", "administrativeStatus")
            note.text = _STATUS[status]
        unit.addnote(term.label or term.kind, origin=_KIND)
        flags = " ".join(
            f
            for f, on in (
                ("case-sensitive", term.case_sensitive is True), ("case-insensitive", term.case_sensitive is False),
                ("dnt", term.dnt), (f"gender:{term.gender}", bool(term.gender)),
                ("indeclinable:" + "|".join(term.indeclinable), bool(term.indeclinable)),
            )
            if on
        )  # fmt: skip
        if flags:
            unit.addnote(flags, origin=_FLAGS)
        if term.note:
            unit.addnote(term.note, origin=_NOTE)
    return bytes(store)


def export_tbx(terms: Sequence[Term], path: str | Path) -> None:
    atomic_write_bytes(path, terms_to_tbx(terms))


def import_tbx(path: str | Path, source_lang: str = "en", target_lang: str = "ru") -> list[Term]:
    """Terms of a TBX file (see :func:`read_tbx`)."""
    return read_tbx(path, source_lang, target_lang)[0]


def _status(term) -> str:
    """``preferred``, ``admitted``, ``deprecated`` or "" (none given) of a translate-toolkit term."""
    status = (term.administrative_status or "").strip().lower()
    for name in ("preferred", "admitted", "deprecated"):
        if status.startswith(name):
            return name
    return ""


def read_tbx(path: str | Path, source_lang: str = "en", target_lang: str = "ru") -> tuple[list[Term], list[int]]:
    """``(terms, lines of the entries left out)`` of a TBX file. The Russian term marked preferred
    (else the first one not deprecated) is the target, the others not deprecated are alternatives,
    the deprecated ones forbidden; each English term not deprecated is a term of its own (*Kyiv* and
    *Kiev* both). An entry without an English or a Russian term Tolmach can read (``<ntig>``, a
    language set for other languages only) is left out, and its line is returned. The kind
    defaults to term."""
    from lxml import etree
    from translate.storage.tbx import tbxfile

    from ..xmlinput import read_xml_input, xml_error_text

    p = Path(path)
    data = read_xml_input(p, "TBX file")  # a NUL byte is refused as in every other input
    try:
        # translate-toolkit asserts on the root element; say what the file is instead
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as err:
        raise TolmachError(f"not a TBX file: {xml_error_text(err)}", p, getattr(err, "lineno", None)) from None
    local = etree.QName(root).localname if isinstance(root.tag, str) else str(root.tag)
    if local != "martif":
        what = "a TBX 3 file (<tbx>); export TBX 2 (<martif>)" if local == "tbx" else "not a TBX file"
        raise TolmachError(
            f"{what}: the root element is <{local}>, expected <martif>",
            p, root.sourceline,
        )
    try:
        store = tbxfile.parsestring(data, sourcelanguage=source_lang, targetlanguage=target_lang)
    except (etree.XMLSyntaxError, ValueError, AssertionError) as err:
        raise TolmachError(f"not a TBX file: {xml_error_text(err) or 'unexpected structure'}", p,
                           getattr(err, "lineno", None)) from None
    terms: list[Term] = []
    skipped: list[int] = []
    for unit in store.units:
        line = unit.xmlelement.sourceline or 0
        sources = [t.text for t in unit.get_source_terms() if t.text and _status(t) != "deprecated"]
        targets = [t for t in unit.get_target_terms(target_lang) if t.text]
        usable = [t for t in targets if _status(t) != "deprecated"]
        if not sources or not usable:
            skipped.append(line)
            continue
        preferred = next((t for t in usable if _status(t) == "preferred"), usable[0])
        alternatives = tuple(t.text for t in usable if t is not preferred)
        forbidden = tuple(t.text for t in targets if _status(t) == "deprecated")
        written = " ".join(unit.getnotes(_KIND).lower().split()) or "term"
        kind = kind_category(written, preferred.text)
        flags = unit.getnotes(_FLAGS).split()
        marks = dict(f.split(":", 1) for f in flags if ":" in f)
        for source in dict.fromkeys(sources):
            terms.append(
                Term(
                    source=source,
                    target=preferred.text,
                    kind=kind,
                    label=written if written != kind else "",
                    gender=marks.get("gender", "") if marks.get("gender") in GENDERS else "",
                    indeclinable=tuple(w for w in marks.get("indeclinable", "").split("|") if w),
                    note=unit.getnotes(_NOTE),
                    forbidden=forbidden,
                    case_sensitive=True if "case-sensitive" in flags else False if "case-insensitive" in flags else None,
                    dnt="dnt" in flags,
                    path=str(p),
                    line=line,
                    alternatives=alternatives,
                )
            )
    return terms, skipped
