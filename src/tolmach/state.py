"""The state of a catalog entry: who wrote its msgstr, and what a machine step may do with it.

One function, :func:`entry_state`, decides it for every command (translate, update, memory sync,
stats, build and the summaries):

* ``untranslated`` — no msgstr (a plural entry: every form empty);
* ``machine draft`` — fuzzy, and the msgstr is still exactly what a machine step wrote (its
  fingerprint matches the one recorded in the provenance note, see :mod:`tolmach.notes`, or,
  where a ``msgmerge`` dropped that note, in the confidence note);
* ``human draft`` — fuzzy, but the text is no longer (or was never known to be) the machine's:
  a translator's work in progress, or a reviewed translation that ``update`` demoted;
* ``reviewed`` — translated and not fuzzy: a plural entry with every form the header's
  ``nplurals`` asks for, none of them empty. One with a form left empty or missing is a ``human
  draft`` even without the fuzzy flag: it holds a person's text, which no machine step may
  replace, and it is not finished (``stats`` does not count it reviewed, ``compile`` leaves it
  out, ``check`` reports it).

Fuzzy does not mean machine. A machine step may fill an ``untranslated`` entry or replace a
``machine draft``, nothing else (:func:`machine_may_write`).
"""

from __future__ import annotations

from enum import Enum

import polib

from .notes import current_confidence, draft_source, read_notes
from .potext import plural_count


class EntryState(str, Enum):
    UNTRANSLATED = "untranslated"
    MACHINE_DRAFT = "machine draft"
    HUMAN_DRAFT = "human draft"
    REVIEWED = "reviewed"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value



def nplurals(catalog: polib.POFile) -> int | None:
    """The number of plural forms the catalog's ``Plural-Forms`` header gives
    (:func:`tolmach.potext.plural_count`)."""
    return plural_count(catalog.metadata)


def has_translation(entry: polib.POEntry) -> bool:
    """Whether the entry holds any text: of a plural entry, any form (text a machine step keeps)."""
    if entry.msgid_plural:
        return any(v for v in (entry.msgstr_plural or {}).values())
    return bool(entry.msgstr)


def untranslated_forms(entry: polib.POEntry, plural_count: int | None = None) -> tuple[list[int], list[int]]:
    """``(empty, missing)``: the ``msgstr[N]`` of a plural entry that are empty, and those it
    lacks of the ``plural_count`` forms the header asks for (or, where that is not known, of
    those up to its highest one). gettext shows an empty form as an empty string, and falls back
    to the source for a missing one. ``([], [])`` for a singular entry."""
    if not entry.msgid_plural:
        return [], []
    forms = {int(i): text for i, text in (entry.msgstr_plural or {}).items()}
    count = max(plural_count or 0, max(forms, default=-1) + 1)
    return ([i for i in range(count) if i in forms and not forms[i]],
            [i for i in range(count) if i not in forms])


def is_complete(entry: polib.POEntry, plural_count: int | None = None) -> bool:
    """Whether the entry has a translation gettext can show for every number: a msgstr, or every
    plural form (see :func:`untranslated_forms`)."""
    return has_translation(entry) and untranslated_forms(entry, plural_count) == ([], [])


def entry_state(entry: polib.POEntry, plural_count: int | None = None) -> EntryState:
    """The entry's state; ``plural_count``: the catalog's :func:`nplurals`, to tell a plural entry
    that lacks a form (without it, only an empty form is seen)."""
    if not has_translation(entry):
        return EntryState.UNTRANSLATED
    if "fuzzy" not in entry.flags:
        return EntryState.REVIEWED if is_complete(entry, plural_count) else EntryState.HUMAN_DRAFT
    return EntryState.MACHINE_DRAFT if _draft_of(entry) is not None else EntryState.HUMAN_DRAFT


def _draft_of(entry: polib.POEntry) -> str | None:
    """"current" or "previous": which source the machine draft in the entry was made for.

    The provenance note (``#. mt:``) says so; where it is gone (a translator's own ``msgmerge``
    replaces every ``#.`` comment with the template's), the confidence note, a translator comment
    that survives it, still proves an untouched draft of the current source: it ends with the
    fingerprint of the machine draft it scored (:func:`~tolmach.notes.current_confidence`)."""
    machine = read_notes(entry).machine
    if machine is None or machine.draft is None:
        return "current" if current_confidence(entry) is not None else None
    return draft_source(entry, machine.draft)


def is_stale(entry: polib.POEntry) -> bool:
    """A machine draft made for the paragraph's previous text (``#|``): nobody touched it, and
    the paragraph changed since, so it should be translated again."""
    return "fuzzy" in entry.flags and has_translation(entry) and _draft_of(entry) == "previous"


def machine_may_write(entry: polib.POEntry, retranslate: bool = False, plurals: bool = False) -> bool:
    """May a machine step (translate) write this entry's msgstr?

    Untranslated entries: yes. Machine drafts: when they are stale (their paragraph changed), or
    when ``retranslate`` asks to redo them. Human drafts and reviewed entries: never. Plural
    entries only with ``plurals`` (they are UI strings, not paragraphs).
    """
    if entry.obsolete or not entry.msgid:
        return False
    if entry.msgid_plural and not plurals:
        return False
    state = entry_state(entry)
    if state is EntryState.UNTRANSLATED:
        return True
    if state is EntryState.MACHINE_DRAFT:
        return retranslate or is_stale(entry)
    return False
