"""Build: a translated article from a PO catalog, with the original's structure.

Paragraphs come out in the order of their ``#:`` references (the article's line numbers), so a
catalog whose entries were reordered by hand still builds the article in order; blank lines separate
paragraphs as in the original; Markdown heading marks recorded in the unit comments are put back.
"""

from __future__ import annotations

from dataclasses import dataclass

import polib

from .errors import TolmachError
from .notes import read_notes
from .state import EntryState, entry_state

MISSING_SOURCE, MISSING_MARKER, MISSING_OMIT = "source", "marker", "omit"
MARKER = "[untranslated] "


@dataclass
class BuildReport:
    paragraphs: int = 0
    translated: int = 0  # reviewed
    fuzzy: int = 0  # machine drafts + human drafts
    machine_drafts: int = 0
    human_drafts: int = 0
    missing: int = 0
    not_in_catalog: int = 0  # units of the source document the catalog has no entry for


def _order(entry: polib.POEntry, position: int) -> tuple[int, int]:
    for _, line in entry.occurrences:
        if line and line.isdigit():
            return (int(line), position)
    return (10**9, position)


def _translation(entry: polib.POEntry | None, use_fuzzy: bool, report: BuildReport) -> str | None:
    """The entry's msgstr if it goes into the article, counted by its state (:mod:`tolmach.state`,
    as ``stats`` counts it, for every format); None if the paragraph is missing."""
    state = entry_state(entry) if entry is not None else EntryState.UNTRANSLATED
    fuzzy = state in (EntryState.MACHINE_DRAFT, EntryState.HUMAN_DRAFT)
    if entry is None or not entry.msgstr or (fuzzy and not use_fuzzy):
        report.missing += 1
        return None
    report.translated += not fuzzy
    report.fuzzy += fuzzy
    report.machine_drafts += state is EntryState.MACHINE_DRAFT
    report.human_drafts += state is EntryState.HUMAN_DRAFT
    return entry.msgstr


def build_article(
    po: polib.POFile, missing: str = MISSING_SOURCE, use_fuzzy: bool = True
) -> tuple[str, BuildReport]:
    """The translated article's text and what went into it."""
    report = BuildReport()
    entries = [e for e in po if not e.obsolete and e.msgid]
    ordered = sorted(enumerate(entries), key=lambda pe: _order(pe[1], pe[0]))
    paragraphs = []
    for _, entry in ordered:
        text = _translation(entry, use_fuzzy, report)
        if text is None:
            if missing == MISSING_OMIT:
                continue
            text = entry.msgid if missing == MISSING_SOURCE else MARKER + entry.msgid
        markup = next((u[len("markup "):] for u in read_notes(entry).unit if u.startswith("markup ")), "")
        if markup:
            text = f"{markup.strip()} {text}"
        paragraphs.append(text)
    report.paragraphs = len(paragraphs)
    return "\n\n".join(paragraphs) + "\n", report


# --- structured sources: the original document with the translations in place --------------------


def _choose(entry: polib.POEntry | None, source: str, missing: str, use_fuzzy: bool,
            report: BuildReport) -> str | None:
    report.paragraphs += 1
    translation = _translation(entry, use_fuzzy, report)
    if translation is not None:
        return translation
    if missing == MISSING_OMIT:
        return None
    return source if missing == MISSING_SOURCE else MARKER + source


def source_format(po: polib.POFile) -> str | None:
    """'markdown' or 'html' when the catalog's units come from such a document."""
    from .markup import entry_format

    for entry in po:
        fmt = entry_format(entry.comment)
        if fmt:
            return fmt
    return None


def source_path(po: polib.POFile) -> str | None:
    """The article the catalog was extracted from, as its ``#:`` lines name it."""
    for entry in po:
        for ref, _ in entry.occurrences:
            return ref
    return None


def build_document(
    po: polib.POFile,
    source_text: str,
    fmt: str,
    rules=None,
    missing: str = MISSING_SOURCE,
    use_fuzzy: bool = True,
    article_only: bool = False,
) -> tuple[str, BuildReport]:
    """The source document (Markdown or HTML) with each unit's text replaced by its translation.

    Units are matched to entries by their id (msgctxt), so an entry reordered or edited by hand
    still lands in its place; a unit the catalog does not have (the source changed since the
    catalog was made) keeps its source text and counts as missing. Page chrome is left out of a
    Markdown document and left as it is in an HTML page. With ``missing="omit"``, a unit without a
    translation is removed (see :func:`~tolmach.formats.html.rebuild_html` for a page).
    """
    import unicodedata

    from .catalog import language_pair
    from .segment import Rules, spacing_key, unit_ids

    report = BuildReport()
    lang = language_pair(po)[0]
    rules = rules or Rules.from_config()
    text = unicodedata.normalize("NFC", source_text)
    by_id = {e.msgctxt: e for e in po if not e.obsolete and e.msgid}
    by_msgid = {e.msgid: e for e in po if not e.obsolete and e.msgid}
    # a catalog not updated since Tolmach kept no-break spaces has the unit with plain spaces
    by_spacing = {spacing_key(e.msgid): e for e in reversed(by_msgid.values())}
    if fmt == "html":
        from .formats.html import html_blocks, rebuild_html

        doc, blocks = html_blocks(text, lang, rules)
    else:
        from .formats.markdown import markdown_blocks, rebuild

        units, blocks = markdown_blocks(text, lang, rules)
    translatable = [b for b in blocks if b.translatable]
    ids = dict(zip((b.index for b in translatable), unit_ids(translatable)))
    translations: dict[int, str | None] = {}
    for b in blocks:
        if not b.translatable:
            if fmt != "html":  # chrome is left out of a Markdown document, and left as it is in a page
                translations[b.index] = None
            continue
        entry = by_id.get(ids[b.index]) or by_msgid.get(b.text) or by_spacing.get(spacing_key(b.text))
        report.not_in_catalog += entry is None
        translations[b.index] = _choose(entry, b.text, missing, use_fuzzy, report)
    if fmt == "html":
        target = po.metadata.get("Language") or ""
        return rebuild_html(doc, translations, target, article_only=article_only), report
    return rebuild(text, units, translations), report


def build_catalog(
    po: polib.POFile,
    source: str | None = None,
    rules=None,
    missing: str = MISSING_SOURCE,
    use_fuzzy: bool = True,
    article_only: bool = False,
) -> tuple[str, BuildReport, str]:
    """Build from a catalog: a Markdown/HTML catalog around its source document (``source``, else
    the file its ``#:`` lines name, if it is there), anything else paragraph by paragraph.
    The third value says how: "document", "paragraphs", or "paragraphs (source not found: ...)"."""
    from pathlib import Path

    from .fsutil import TextForm, read_text_file

    fmt = source_format(po)
    if fmt is None:  # the article's line ends and BOM, where it is there
        text, report = build_article(po, missing, use_fuzzy)
        return TextForm.of_file(source or source_path(po)).write(text), report, "paragraphs"
    if source is not None and not Path(source).is_file():  # named by the user: not a fallback
        from .fsutil import not_found

        if Path(source).is_dir():
            raise TolmachError("is a directory, expected the catalog's source article (--source)", source)
        raise not_found(source, "source article (--source)")
    path = source or source_path(po)
    if path is None or not Path(path).is_file():
        text, report = build_article(po, missing, use_fuzzy)
        return text, report, f"paragraphs (source {path} not found: give it with --source)"
    if fmt == "html":
        from .formats.html import read_page

        doc = read_page(path)
    else:
        doc = read_text_file(path, "article")
    text, report = build_document(po, doc, fmt, rules, missing, use_fuzzy, article_only)
    text = TextForm.of_file(path).write(text)  # its line ends and BOM, as the rest of it is kept
    if source is not None and report.paragraphs and report.not_in_catalog == report.paragraphs and any(
        e.msgid and not e.obsolete for e in po
    ):
        raise TolmachError(
            f"not the source of this catalog: none of its {report.paragraphs} paragraphs is in the catalog "
            "(another article?)", source,
        )
    return text, report, "document"
