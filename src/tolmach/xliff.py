"""XLIFF 1.2 for CAT tools: catalogs out (``tolmach export --xliff``), translations back in (``import``).

The XML is read and written by translate-toolkit's ``translate.storage.xliff`` (the storage classes
Pootle, Weblate and Virtaal use), with the gettext conventions of its ``poxliff`` variant: ``#:``
references in a ``po-reference`` context group, ``#.`` comments as ``x-po-autocomment`` contexts,
the PO header as a ``x-gettext-domain-header`` unit, a plural entry as a ``x-gettext-plurals``
group of one trans-unit per form (read back with its ``PoXliffFile``). Tolmach adds what those
conventions leave out,
so that PO -> XLIFF -> PO loses nothing: ``msgctxt`` as the unit's ``resname`` (as Okapi does), the
other flags and the ``#|`` previous strings as ``x-po-*`` contexts.

One ``<file>`` per catalog, its ``original`` the catalog's path. States:

=====================  ==========================================================================
PO                     XLIFF
=====================  ==========================================================================
untranslated           no ``<target>`` (read back: no target, an empty one, ``new``, ``needs-translation``)
fuzzy                  ``state="needs-review-translation"``, ``approved="no"`` (read back: any
                       ``needs-review-*``/``needs-adaptation``/``needs-l10n`` or unknown ``x-`` state,
                       or no state and not approved)
reviewed               ``state="translated"``, ``approved="yes"`` (read back: ``translated``,
                       ``signed-off``, ``final``, or no state and ``approved="yes"``)
=====================  ==========================================================================

A plural entry counts as translated when every form has a target; it is fuzzy when one of them
needs review.

Importing is a merge into the existing catalog, never a replacement of it: only targets, the fuzzy
state and translator comments come from the XLIFF. Human text is sacred (:mod:`tolmach.state`): an
untranslated entry or a machine draft takes the CAT tool's target, but a human draft or a reviewed
translation only a target the CAT user changed, and only while the catalog's own text is still what
was exported. Each unit records what was exported (an ``x-tolmach-exported`` context: the state and
a fingerprint of the text) so that the import can tell who changed what since. When both did, the
catalog's text stays and the unit is reported as a conflict. A reviewed translation is never
replaced by an empty target, nor by a target that still needs review. A ``<file>`` whose
``source-language``/``target-language`` are not the catalog's is refused: another language's
translation is no review of this catalog.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import polib

from .errors import TolmachError
from .notes import add_human_comment, entry_fingerprint, human_comment
from .potext import matching_line_ends
from .state import EntryState, entry_state, nplurals
from .xmlinput import read_xml_input, xml_error_text, xml_safe

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
HEADER_RESTYPE = "x-gettext-domain-header"
PLURAL_RESTYPE = "x-gettext-plurals"

FUZZY = "needs-review-translation"
REVIEWED = "translated"
# XLIFF 1.2 state values (section 4.3.9 of the specification), by what they mean for a PO entry
UNTRANSLATED_STATES = frozenset({"new", "needs-translation"})
REVIEWED_STATES = frozenset({"translated", "signed-off", "final"})

# context-type values of the "po-entry" group; the first two are translate-toolkit's (poxliff)
_AUTOCOMMENT = "x-po-autocomment"
_TRANCOMMENT = "x-po-trancomment"
_FLAGS = "x-po-flags"
_EXPORTED = "x-tolmach-exported"  # the translation as exported (see exported_record)
_PREVIOUS = {
    "previous_msgctxt": "x-po-previous-msgctxt",
    "previous_msgid": "x-po-previous-msgid",
    "previous_msgid_plural": "x-po-previous-msgid-plural",
}
_PO_ENTRY = "po-entry"
_PO_REFERENCE = "po-reference"
_TRANSLATOR_NOTE = ("translator", "po-translator")  # po2xliff writes "po-translator"


@lru_cache(maxsize=1)
def _storage():
    """translate-toolkit's XLIFF writer, set to XLIFF 1.2 (it defaults to 1.1).

    Imported on first use: ``tolmach --help`` must not pay for translate-toolkit.
    """
    from translate.storage import xliff

    class Unit12(xliff.xliffunit):
        namespace = XLIFF_NS

    class File12(xliff.xlifffile):
        UnitClass = Unit12
        namespace = XLIFF_NS
        XMLskeleton = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<xliff version="1.2" xmlns="{XLIFF_NS}">'
            '<file original="NoName" source-language="en" datatype="po"><body/></file></xliff>'
        )

    return File12


# --------------------------------------------------------------------------------------------------
# Export


def catalogs_to_xliff(catalogs: Sequence[tuple[str, polib.POFile]], source_lang: str | None = None) -> bytes:
    """One XLIFF 1.2 document with a ``<file>`` per ``(name, catalog)``; obsolete entries are left
    out (they stay in the catalog, and a CAT tool has nothing to do with them)."""
    from lxml import etree

    from .catalog import language_pair

    store = _storage()()
    root = store.document.getroot()
    for placeholder in list(root):  # the skeleton's "NoName" file
        root.remove(placeholder)
    for name, po in catalogs:
        try:
            src, tgt = language_pair(po, name)
        except TolmachError:
            src, tgt = source_lang or "en", ""
        filenode = etree.SubElement(root, store.namespaced("file"))
        filenode.set("original", name)
        filenode.set("source-language", src)
        if tgt:
            filenode.set("target-language", tgt)
        filenode.set("datatype", "po")
        body = etree.SubElement(filenode, store.namespaced("body"))
        store.body = body
        _add_header(store, po)
        ids: set[str] = set()
        nplurals = _nplurals(po)
        for number, entry in enumerate((e for e in po if not e.obsolete and e.msgid), start=1):
            _add_unit(store, entry, _unit_id(entry, number, ids), name, nplurals)
    return bytes(store)


def _nplurals(po: polib.POFile) -> int:
    return nplurals(po) or 2


def _unit_id(entry: polib.POEntry, number: int, taken: set[str]) -> str:
    # Tolmach's msgctxt is the paragraph's stable id: the natural unit id for a CAT tool's memory
    uid = entry.msgctxt if entry.msgctxt and entry.msgctxt not in taken and xml_safe(entry.msgctxt) else str(number)
    while uid in taken:
        uid += "+"
    taken.add(uid)
    return uid


def _check_text(text: str | None, what: str, name: str, entry: polib.POEntry) -> None:
    if text and not xml_safe(text):
        raise TolmachError(f"{what} has control characters that XML cannot hold (msgctxt {entry.msgctxt!r})",
                           name, entry.linenum)


def _add_header(store, po: polib.POFile) -> None:
    header = "".join(f"{key}: {value}\n" for key, value in po.ordered_metadata())
    unit = store.UnitClass(header)
    unit.setid("header")
    unit.target = header
    element = unit.xmlelement
    element.set("restype", HEADER_RESTYPE)
    element.set("translate", "no")
    element.set("approved", "yes" if not po.metadata_is_fuzzy else "no")
    contexts = []
    if po.header:
        contexts.append((_TRANCOMMENT, po.header))
    if po.metadata_is_fuzzy:
        contexts.append((_FLAGS, "fuzzy"))
    if contexts:
        unit.createcontextgroup(_PO_ENTRY, contexts, purpose="information")
    store.addunit(unit)


def _add_unit(store, entry: polib.POEntry, uid: str, name: str, nplurals: int) -> None:
    for what, text in (("msgid", entry.msgid), ("msgid_plural", entry.msgid_plural), ("msgstr", entry.msgstr),
                       ("msgctxt", entry.msgctxt), ("comment", entry.comment),
                       ("translator comment", entry.tcomment), *(("msgstr[n]", t) for t in entry.msgstr_plural.values())):
        _check_text(text, what, name, entry)
    fuzzy = "fuzzy" in entry.flags
    if entry.msgid_plural:
        # translate-toolkit's convention (poxliff): a group of one trans-unit per plural form
        from lxml import etree

        holder = store.UnitClass(None, empty=True)
        holder.namespace = store.namespace
        holder.xmlelement = etree.SubElement(store.body, store.namespaced("group"))
        holder.xmlelement.set("restype", PLURAL_RESTYPE)
        holder.xmlelement.set("id", uid)
        count = max(len(entry.msgstr_plural) or nplurals, 2)
        forms = [(entry.msgid if i == 0 else entry.msgid_plural, entry.msgstr_plural.get(i, "")) for i in range(count)]
        translated = all(forms[i][1] for i in range(count))
    else:
        holder = store.UnitClass(entry.msgid)
        holder.setid(uid)
        translated = bool(entry.msgstr)
    element = holder.xmlelement
    if entry.msgctxt is not None:
        element.set("resname", entry.msgctxt)
    approved = "yes" if translated and not fuzzy else "no"
    if entry.msgid_plural:
        _add_metadata(holder, entry, fuzzy and not translated)
        for i, (source, target) in enumerate(forms):
            form = store.UnitClass(source)
            element.append(form.xmlelement)
            form.setid(f"{uid}[{i}]")
            if target:
                _set_target(form, target, fuzzy)
            form.xmlelement.set("approved", approved)  # after the target: setting one approves it
    else:
        if entry.msgstr:
            _set_target(holder, entry.msgstr, fuzzy)
        element.set("approved", approved)
        _add_metadata(holder, entry, fuzzy and not translated)
        store.addunit(holder)


def _set_target(unit, text: str, fuzzy: bool) -> None:
    unit.target = text
    unit.getlanguageNode(lang=None, index=1).set("state", FUZZY if fuzzy else REVIEWED)


def _context_group(unit, name: str, contexts: list[tuple[str, str]], purpose: str) -> None:
    # appended in order (translate-toolkit's createcontextgroup puts a group's first, reversing them)
    from lxml import etree

    group = etree.SubElement(unit.xmlelement, unit.namespaced("context-group"), name=name, purpose=purpose)
    for ctype, text in contexts:
        etree.SubElement(group, unit.namespaced("context"), {"context-type": ctype}).text = text


def _add_metadata(holder, entry: polib.POEntry, fuzzy_flag: bool) -> None:
    """References, comments, flags and previous strings of ``entry`` on its unit (or plural group)."""
    for path, line in entry.occurrences:
        _context_group(holder, _PO_REFERENCE, [("sourcefile", path)] + ([("linenumber", str(line))] if line else []),
                       "location")
    contexts = []
    if entry.comment:
        contexts.append((_AUTOCOMMENT, entry.comment))
    other_flags = [f for f in entry.flags if f != "fuzzy"]
    if other_flags or fuzzy_flag:
        # a fuzzy flag without a translation has no XLIFF state to live in
        contexts.append((_FLAGS, ", ".join((["fuzzy"] if fuzzy_flag else []) + other_flags)))
    for attr, ctype in _PREVIOUS.items():
        value = getattr(entry, attr)
        if value is not None:
            contexts.append((ctype, value))
    contexts.append((_EXPORTED, exported_record(entry)))
    if contexts:
        _context_group(holder, _PO_ENTRY, contexts, "information")
    # notes are what CAT tools show (and where a translator writes): the comments once more
    if entry.comment:
        holder.addnote(entry.comment, origin="developer")
    if entry.tcomment:
        holder.addnote(entry.tcomment, origin="translator")


def export_xliff(out: str | Path, po_paths: Sequence[str | Path]) -> int:
    """Write the catalogs at ``po_paths`` to one XLIFF file (atomically); the number of units."""
    from .catalog import load_catalog
    from .fsutil import atomic_write_bytes

    _refuse_catalog_as_output(Path(out), po_paths)
    catalogs = [(Path(p).as_posix(), load_catalog(p)) for p in po_paths]
    names = [name for name, _ in catalogs]
    if len(set(names)) != len(names):
        raise TolmachError("the same catalog is named twice")
    data = catalogs_to_xliff(catalogs)
    atomic_write_bytes(out, data)
    return sum(1 for _, po in catalogs for e in po if not e.obsolete and e.msgid)


def _refuse_catalog_as_output(out: Path, po_paths: Sequence[str | Path]) -> None:
    """``export --xliff ru/*.po`` makes the first catalog the output: writing there would replace
    a reviewed catalog with XLIFF. No XLIFF goes to a .po/.pot name or over a catalog exported."""
    if out.suffix.lower() in (".po", ".pot"):
        raise TolmachError("names a PO file, not the XLIFF file to write; the XLIFF file comes first: "
                           "tolmach export --xliff OUT.xlf PO...", out)
    if out.exists() and any(os.path.samefile(out, p) for p in po_paths):
        raise TolmachError("is one of the catalogs to export, not the XLIFF file to write; the XLIFF "
                           "file comes first: tolmach export --xliff OUT.xlf PO...", out)


# --------------------------------------------------------------------------------------------------
# Reading


@dataclass
class XliffCatalog:
    """One ``<file>`` of an XLIFF document, read back as a PO catalog."""

    original: str
    source_lang: str | None
    target_lang: str | None
    po: polib.POFile
    lines: dict[tuple[str | None, str], int] = field(default_factory=dict)  # entry key -> XLIFF line
    # entry key -> what the export recorded of its translation (exported_record); absent: unknown
    exported: dict[tuple[str | None, str], str] = field(default_factory=dict)
    line: int | None = None  # of the <file> element


def read_xliff(path: str | Path) -> list[XliffCatalog]:
    """Every ``<file>`` of the XLIFF 1.2 (or 1.1) document at ``path``.

    Anything that is not a well-formed XLIFF 1.x document with trans-units raises one
    :class:`TolmachError` naming the file (and line).
    """
    p = Path(path)
    data = read_xml_input(p, "XLIFF file")
    store = _parse(data, p)
    ns = store.namespace
    root = store.document.getroot()
    files = list(root.iterchildren(f"{{{ns}}}file"))
    if not files:
        raise TolmachError("not an XLIFF document: no <file> element", p, root.sourceline)
    units_by_file: dict[int, list] = {id(f): [] for f in files}
    for unit in store.units:
        filenode = next(unit.xmlelement.iterancestors(f"{{{ns}}}file"), None)
        if filenode is not None:
            units_by_file[id(filenode)].append(unit)
    out = []
    for filenode in files:
        original = filenode.get("original")
        if not original:
            raise TolmachError("<file> without an 'original' attribute (the catalog it belongs to)", p,
                               filenode.sourceline)
        out.append(_read_file(filenode, units_by_file[id(filenode)], p))
    return out


def _parse(data: bytes, path: Path):
    from lxml import etree

    from translate.storage import poxliff

    try:
        # the PO flavour of translate-toolkit's reader: it keeps a plural group together as one unit
        store = poxliff.PoXliffFile.parsestring(data)
    except etree.XMLSyntaxError as err:
        line = err.lineno if err.lineno else None
        raise TolmachError(f"malformed XLIFF: {xml_error_text(err)}", path, line) from None
    except ValueError as err:
        if "XLIFF 2" in str(err):
            raise TolmachError("XLIFF 2 is not supported; have the CAT tool save XLIFF 1.2", path) from None
        raise TolmachError(f"not an XLIFF 1.2 document: {err}", path) from None
    except (AssertionError, StopIteration, TypeError) as err:
        raise TolmachError(f"not an XLIFF 1.2 document{': ' + str(err) if str(err) else ''}", path) from None
    root = store.document.getroot()
    if etree.QName(root).localname != "xliff" or not store.namespace.startswith("urn:oasis:names:tc:xliff:document:1."):
        raise TolmachError("not an XLIFF 1.2 document (root element <xliff> in the XLIFF 1.2 namespace expected)",
                           path, root.sourceline)
    return store


def _contexts(unit, name: str) -> list[tuple[str, str]]:
    return [pair for group in unit.getcontextgroups(name) for pair in group]


def _notes(unit, origins: Iterable[str]) -> str | None:
    ns = unit.namespace
    texts = [n.text or "" for n in unit.xmlelement.iterchildren(f"{{{ns}}}note") if n.get("from") in origins]
    return "\n".join(texts) if texts else None


def _read_file(filenode, units, path: Path) -> XliffCatalog:
    po = polib.POFile(wrapwidth=79)
    lines: dict[tuple[str | None, str], int] = {}
    exported: dict[tuple[str | None, str], str] = {}
    for unit in units:
        element = unit.xmlelement
        if element.get("restype") == HEADER_RESTYPE:
            _read_header(po, unit)
            continue
        entry = _read_plural(unit, path) if unit.hasplural() else _read_unit(unit, path)
        key = (entry.msgctxt, entry.msgid)
        if key in lines:
            raise TolmachError(f"two units for the same entry (msgctxt {entry.msgctxt!r})", path, element.sourceline)
        lines[key] = element.sourceline or 0
        record = dict(_contexts(unit, _PO_ENTRY)).get(_EXPORTED)
        if record:
            exported[key] = record
        po.append(entry)
    return XliffCatalog(filenode.get("original"), filenode.get("source-language"), filenode.get("target-language"),
                        po, lines, exported, filenode.sourceline)


def _read_header(po: polib.POFile, unit) -> None:
    text = unit.target if unit.target is not None else unit.source
    for line in (text or "").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            po.metadata[key.strip()] = value.strip()
    contexts = dict(_contexts(unit, _PO_ENTRY))
    po.header = contexts.get(_TRANCOMMENT, "")
    po.metadata_is_fuzzy = "fuzzy" in _split_flags(contexts.get(_FLAGS))


def _split_flags(text: str | None) -> list[str]:
    return [f.strip() for f in (text or "").split(",") if f.strip()]


def target_state(unit) -> tuple[str, bool]:
    """``(target text, fuzzy)`` of a unit as a PO entry has them: ``("", False)`` when untranslated."""
    node = unit.getlanguageNode(lang=None, index=1)
    text = unit.target if node is not None else None
    if not text or not text.strip():
        return "", False
    state = node.get("state")
    if state in UNTRANSLATED_STATES:
        return "", False
    if state in REVIEWED_STATES:
        return text, False
    if state is None:
        return text, unit.xmlelement.get("approved") != "yes"
    return text, True  # needs-review-*, needs-adaptation, needs-l10n, x-...


def _read_unit(unit, path: Path) -> polib.POEntry:
    element = unit.xmlelement
    source = unit.source
    if source is None:
        raise TolmachError("trans-unit without a <source>", path, element.sourceline)
    msgstr, fuzzy = target_state(unit)
    return _entry_from(unit, path, msgid=source, msgstr=matching_line_ends(source, msgstr), fuzzy=fuzzy)


def _read_plural(holder, path: Path) -> polib.POEntry:
    group, forms = holder.xmlelement, holder.units
    if len(forms) < 2 or any(f.source is None for f in forms):
        raise TolmachError("a plural group (x-gettext-plurals) needs two or more trans-units with a <source>",
                           path, group.sourceline)
    states = [target_state(f) for f in forms]
    translated = all(text for text, _ in states)
    plural = {i: (matching_line_ends(forms[min(i, 1)].source, text) if translated else "")
              for i, (text, _) in enumerate(states)}
    return _entry_from(holder, path, msgid=forms[0].source, msgid_plural=forms[1].source, msgstr_plural=plural,
                       fuzzy=translated and any(f for _, f in states))


def _entry_from(holder, path: Path, fuzzy: bool, **strings) -> polib.POEntry:
    """The PO entry a unit (or plural group) and its metadata stand for."""
    element = holder.xmlelement
    values = dict(_contexts(holder, _PO_ENTRY))
    comment = values.get(_AUTOCOMMENT)
    if comment is None:
        comment = _notes(holder, ("developer", "programmer", "source code"))
    tcomment = _notes(holder, _TRANSLATOR_NOTE)
    if tcomment is None:
        tcomment = values.get(_TRANCOMMENT)
    stored = _split_flags(values.get(_FLAGS))
    flags = [f for f in stored if f != "fuzzy"]
    translated = bool(strings.get("msgstr")) or all(strings.get("msgstr_plural", {0: ""}).values())
    if fuzzy or ("fuzzy" in stored and not translated):
        flags.insert(0, "fuzzy")
    occurrences = []
    for group in holder.getcontextgroups(_PO_REFERENCE):
        ctx = dict(group)
        if ctx.get("sourcefile"):
            occurrences.append((ctx["sourcefile"], ctx.get("linenumber", "")))
    entry = polib.POEntry(
        msgctxt=element.get("resname"),
        comment=comment or "",
        tcomment=tcomment or "",
        occurrences=occurrences,
        flags=flags,
        **strings,
        **{attr: values[ctype] for attr, ctype in _PREVIOUS.items() if ctype in values},
    )
    entry.linenum = element.sourceline or 0
    return entry


# --------------------------------------------------------------------------------------------------
# Import: merging an XLIFF file back into its catalog


@dataclass
class ImportReport:
    catalog: str
    reviewed: int = 0  # translations taken as reviewed (new or changed)
    fuzzy: int = 0  # translations taken as needing review (new or changed)
    unchanged: int = 0
    kept_reviewed: list[str] = field(default_factory=list)  # reviewed translations an XLIFF could not replace
    # human text kept although the XLIFF changes it: changed in the catalog too since the export ...
    conflicts: list[str] = field(default_factory=list)
    # ... or not known to be unchanged there (the XLIFF does not record what was exported)
    unrecorded: list[str] = field(default_factory=list)
    comments: int = 0  # translator comments changed
    converted: str = ""  # the catalog was written in UTF-8, not its charset: why (catalog.CharsetChange)

    @property
    def changed(self) -> int:
        return self.reviewed + self.fuzzy + self.comments


def _key_text(key: tuple[str | None, str]) -> str:
    ctxt, msgid = key
    short = msgid if len(msgid) <= 40 else msgid[:39] + "…"
    return f"msgctxt {ctxt!r}" if ctxt is not None else f"msgid {short!r}"


def check_languages_match(catalog: polib.POFile, incoming: XliffCatalog, xliff_path: str | Path,
                          po_path: str | Path) -> None:
    """A :class:`TolmachError` unless the XLIFF ``<file>`` is for the catalog's languages.

    The same paragraphs translated into another language are not a review of this catalog. The
    ``<file>``'s ``source-language``/``target-language`` are compared by base language (``ru-RU``
    is ``ru``) with the catalog's (:func:`tolmach.catalog.language_pair`); where the XLIFF leaves
    one out (``target-language`` is optional), the PO header it carries says it instead.
    """
    from .catalog import language_pair
    from .potext import SOURCE_LANG_HEADER, base_language

    try:
        want = language_pair(catalog, po_path)
    except TolmachError:
        return  # the catalog does not say: there is nothing to compare with (export did the same)
    header = incoming.po.metadata
    got = (base_language(incoming.source_lang or header.get(SOURCE_LANG_HEADER)),
           base_language(incoming.target_lang or header.get("Language")))
    for attr, theirs, ours in zip(("source-language", "target-language"), got, want):
        if theirs and theirs != ours:
            raise TolmachError(
                f"{attr} {theirs!r} does not match the catalog {po_path}, which is {want[0]}->{want[1]}; "
                "import it into a catalog of its languages",
                xliff_path, incoming.line,
            )


def check_units_match(catalog: polib.POFile, incoming: XliffCatalog, xliff_path: str | Path, po_path: str | Path) -> None:
    """A :class:`TolmachError` unless the XLIFF file's units are exactly the catalog's live entries."""
    live = {(e.msgctxt, e.msgid) for e in catalog if not e.obsolete and e.msgid}
    got = set(incoming.lines)
    extra = [k for k in incoming.lines if k not in live]
    missing = [e for e in catalog if not e.obsolete and e.msgid and (e.msgctxt, e.msgid) not in got]
    if not extra and not missing:
        return
    if extra:
        key = extra[0]
        same_ctxt = key[0] is not None and any(e.msgctxt == key[0] for e in catalog if not e.obsolete)
        why = "its source text differs from the catalog's" if same_ctxt else "the catalog has no such entry"
        more = f" ({len(extra) - 1} more units do not match)" if len(extra) > 1 else ""
        raise TolmachError(
            f"unit {_key_text(key)} does not match {po_path}: {why}{more}; "
            "export the catalog again and redo the work on the new file",
            xliff_path, incoming.lines[key] or None,
        )
    more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
    raise TolmachError(
        f"has no unit for {_key_text((missing[0].msgctxt, missing[0].msgid))}{more} of {po_path}; "
        "export the catalog again",
        xliff_path,
    )


def merge_into(catalog: polib.POFile, incoming: XliffCatalog, name: str) -> ImportReport:
    """Take the translations, states and translator comments of ``incoming`` into ``catalog``.

    Human text is sacred: an empty or untranslated target changes nothing; a human draft or a
    reviewed translation takes only a target the CAT user changed, while it is itself as exported
    (see :func:`_merge_entry`); a target that still needs review does not replace a reviewed
    translation.
    """
    report = ImportReport(name)
    by_key = {(e.msgctxt, e.msgid): e for e in incoming.po}
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        key = (entry.msgctxt, entry.msgid)
        new = by_key[key]
        _merge_entry(entry, new, report, incoming.exported.get(key))
        # Translator notes are added, never dropped: the catalog keeps every line of its comment (a
        # line written there since the export too) and gets the XLIFF's lines it lacks (Tolmach's
        # own confidence note aside); a CAT tool that loses notes loses no comments.
        if add_human_comment(entry, human_comment(new).splitlines()):
            report.comments += 1
    return report


def _translation(entry: polib.POEntry) -> tuple[str, ...]:
    """The entry's translation, every plural form; ``()`` when it has none (or a form is missing)."""
    if entry.msgid_plural:
        forms = tuple(v for _, v in sorted(entry.msgstr_plural.items()))
        return forms if forms and all(forms) else ()
    return (entry.msgstr,) if entry.msgstr else ()


def exported_record(entry: polib.POEntry) -> str:
    """What an export records of an entry's translation, for the import to tell who changed it
    since: ``untranslated``, or its state (``fuzzy``/``translated``) and the fingerprint of its text."""
    if not _translation(entry):
        return "untranslated"
    return f"{'fuzzy' if 'fuzzy' in entry.flags else 'translated'} {entry_fingerprint(entry)}"


def _merge_entry(entry: polib.POEntry, new: polib.POEntry, report: ImportReport, exported: str | None) -> bool:
    """Take the unit ``new`` into ``entry`` where that loses nobody's work.

    An untranslated entry takes any target. Otherwise the CAT user must have changed the unit since
    the export (``exported``: what the export recorded, None when the XLIFF does not say; then a
    unit that still holds the machine draft its own notes record was not changed). A machine draft
    then takes the target; human text (a human draft, a reviewed translation) takes it only where
    the catalog's text is still what was exported: where both changed, the catalog's stays and the
    unit is reported, as it is where the XLIFF does not say what was exported.
    """
    old_fuzzy = "fuzzy" in entry.flags
    new_fuzzy = "fuzzy" in new.flags
    old, incoming = _translation(entry), _translation(new)
    if not incoming or (old == incoming and old_fuzzy == new_fuzzy):
        report.unchanged += 1  # an empty target never takes anything away
        return False
    state = entry_state(entry)
    if state is not EntryState.UNTRANSLATED:
        if exported is not None:
            changed_in_cat = exported_record(new) != exported
        else:
            changed_in_cat = entry_state(new) is not EntryState.MACHINE_DRAFT
        if not changed_in_cat:
            report.unchanged += 1  # the CAT tool gives back what it got: the catalog's text stands
            return False
    if state is EntryState.REVIEWED and new_fuzzy:
        if old != incoming:
            report.kept_reviewed.append(entry.msgctxt or entry.msgid)
        else:
            report.unchanged += 1
        return False
    if state in (EntryState.HUMAN_DRAFT, EntryState.REVIEWED) and old != incoming:
        if exported is None:
            report.unrecorded.append(entry.msgctxt or entry.msgid)
            return False
        if exported_record(entry) != exported:  # a person changed it in the catalog too
            report.conflicts.append(entry.msgctxt or entry.msgid)
            return False
    if entry.msgid_plural:
        entry.msgstr_plural = dict(enumerate(incoming))
    else:
        entry.msgstr = incoming[0]
    if new_fuzzy:
        if not old_fuzzy:
            entry.flags.insert(0, "fuzzy")
        report.fuzzy += 1
    else:
        if old_fuzzy:
            entry.flags.remove("fuzzy")
            # as Poedit does on review: the previous source only means something on a fuzzy entry
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        report.reviewed += 1
    return True


def _match_files(xliff_path: Path, files: list[XliffCatalog], po_paths: Sequence[str | Path]) -> list[tuple[Path, XliffCatalog]]:
    if not po_paths:
        return [(Path(f.original), f) for f in files]
    pairs = []
    by_original = {Path(f.original).resolve(): f for f in files}
    if len(po_paths) == 1 and len(files) == 1:
        return [(Path(po_paths[0]), files[0])]
    for p in po_paths:
        f = by_original.get(Path(p).resolve())
        if f is None:
            raise TolmachError(f"has no <file original=…> for the catalog {p}", xliff_path)
        pairs.append((Path(p), f))
    return pairs


def import_xliff(xliff_path: str | Path, po_paths: Sequence[str | Path] = (), *, dry_run: bool = False) -> list[ImportReport]:
    """Merge an XLIFF file into its catalogs: those its ``<file original>`` elements name (relative to
    the current folder), or the catalogs ``po_paths`` (matched by path; one catalog takes a
    one-file XLIFF whatever its name). Everything is read and checked before any catalog is written.
    """
    from .catalog import charset_change, load_catalog, rewrite_catalog
    from .fsutil import refuse_unwritable

    xliff_path = Path(xliff_path)
    files = read_xliff(xliff_path)
    pairs = _match_files(xliff_path, files, po_paths)
    planned = []
    for po_path, incoming in pairs:
        if not po_path.exists():
            raise TolmachError(f"names the catalog {po_path}, which does not exist", xliff_path)
        catalog = load_catalog(po_path)
        check_languages_match(catalog, incoming, xliff_path, po_path)
        check_units_match(catalog, incoming, xliff_path, po_path)
        planned.append((po_path, catalog, incoming))
    # merged as read; and every catalog that changes found writable before the first is written
    reports = [merge_into(catalog, incoming, str(po_path)) for po_path, catalog, incoming in planned]
    if dry_run:
        return reports
    refuse_unwritable(po_path for (po_path, _, _), report in zip(planned, reports) if report.changed)
    for n, ((po_path, catalog, incoming), report) in enumerate(zip(planned, reports)):
        done: list[ImportReport] = []

        def merge(current, po_path=po_path, catalog=catalog, incoming=incoming, report=report, done=done):
            if current is catalog:  # the catalog as read, merged above
                done[:] = [report]
                return current if report.changed else None
            # on the catalog as it is on disk now: a save somebody made meanwhile is merged into
            check_languages_match(current, incoming, xliff_path, po_path)
            check_units_match(current, incoming, xliff_path, po_path)
            done[:] = [merge_into(current, incoming, str(po_path))]
            return current if done[0].changed else None

        done[0].converted = charset_change(rewrite_catalog(po_path, merge, catalog))
        reports[n] = done[0]
    return reports
