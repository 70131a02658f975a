"""Build: a translated article from a PO catalog, with the original's structure.

Paragraphs come out in the order of their ``#:`` references (the article's line numbers), so a
catalog whose entries were reordered by hand still builds the article in order; blank lines separate
paragraphs as in the original; Markdown heading marks recorded in the unit comments are put back.
"""

from __future__ import annotations

from dataclasses import dataclass

import polib

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


def _order(entry: polib.POEntry, position: int) -> tuple[int, int]:
    for _, line in entry.occurrences:
        if line and line.isdigit():
            return (int(line), position)
    return (10**9, position)


def build_article(
    po: polib.POFile, missing: str = MISSING_SOURCE, use_fuzzy: bool = True
) -> tuple[str, BuildReport]:
    """The translated article's text and what went into it."""
    report = BuildReport()
    entries = [e for e in po if not e.obsolete and e.msgid]
    ordered = sorted(enumerate(entries), key=lambda pe: _order(pe[1], pe[0]))
    paragraphs = []
    for _, entry in ordered:
        state = entry_state(entry)
        fuzzy = state in (EntryState.MACHINE_DRAFT, EntryState.HUMAN_DRAFT)
        if entry.msgstr and (use_fuzzy or not fuzzy):
            text = entry.msgstr
            report.translated += not fuzzy
            report.fuzzy += fuzzy
            report.machine_drafts += state is EntryState.MACHINE_DRAFT
            report.human_drafts += state is EntryState.HUMAN_DRAFT
        else:
            report.missing += 1
            if missing == MISSING_OMIT:
                continue
            text = entry.msgid if missing == MISSING_SOURCE else MARKER + entry.msgid
        markup = next((u[len("markup "):] for u in read_notes(entry).unit if u.startswith("markup ")), "")
        if markup:
            text = f"{markup.strip()} {text}"
        paragraphs.append(text)
    report.paragraphs = len(paragraphs)
    return "\n\n".join(paragraphs) + "\n", report
