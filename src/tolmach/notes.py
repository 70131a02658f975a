"""Tolmach's notes on a PO entry: the one place that knows their text form.

Every stage reads and writes an entry's Tolmach comments through :func:`read_notes` and
:func:`write_notes` and works with the typed :class:`Notes`; no other module parses comment text
(as babel's ``pofile.py`` alone knows the text form of ``Message.flags``).

The text form, in extracted comments (``#.``), one logical line each:

* ``tolmach: <...>`` — what the unit is, written from the template (kind, markup, ...);
* ``mt: <engine signature>; draft <fingerprint>`` — the msgstr was written by machine translation;
* ``memory: <how>; draft <fingerprint>`` — the msgstr was filled from the translation memory;
* ``credit: <how>; draft <fingerprint>`` — a photo credit, kept as in the source;
* ``glossary: <...>``, ``suggestion: <...>``, ``alternative: <...>``, ``markup: <...>`` — machine
  annotations of the draft (enforced terms, memory suggestions, other hypotheses, markup placed
  without the alignment's help);
* anything else is another tool's comment and is kept as it is.

One note lives in the translator comments (``#``) instead: the draft's confidence, which must
survive ``msgmerge`` (see :class:`ConfidenceNote` below).

The *fingerprint* is a hash of the msgid and the msgstr exactly as the machine step wrote it.
While the entry still has that hash, it is an untouched machine draft; when it matches the
previous source (``#|``) instead, it is a machine draft of a paragraph that changed since (stale);
once a person edits the msgstr, the hash matches neither and the entry is human work (see
:mod:`tolmach.state`). A line without a
fingerprint (older Tolmach versions) proves nothing, so such an entry counts as human work.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Iterable

import polib

UNIT = "tolmach: "
MT = "mt: "
MEMORY = "memory: "
GLOSSARY = "glossary: "
SUGGESTION = "suggestion: "
ALTERNATIVE = "alternative: "
MARKUP = "markup: "  # inline markup the alignment could not place with confidence (tolmach.markup)
CREDIT = "credit: "  # a photo credit kept as in the source, not sent to the model (tolmach.credits)
SPLIT = "split: "  # a sentence too long for the model went to it in pieces
# Machine annotations: they describe the current machine draft and go with it.
ANNOTATIONS = (GLOSSARY, SUGGESTION, ALTERNATIVE, MARKUP, SPLIT)
# those that say something of the draft's words (terms enforced or not placed, marks placed by
# position): not true of a text a person changed (see :func:`drop_stale_notes`)
CLAIMS = (GLOSSARY, MARKUP)
OURS = (UNIT, MT, MEMORY, CREDIT, *ANNOTATIONS)

# the engine of a draft whose ``mt:`` line a msgmerge dropped: its confidence note still proved it
ENGINE_NOT_RECORDED = "engine not recorded"

_MACHINE_LINE = re.compile(r"^(mt|memory|credit): (.*?)(?:; draft ([0-9a-f]{8,32}))?$")


def fingerprint(source: str, target: str) -> str:
    """A short hash of a translation *of that source*: a draft is the machine's for one msgid."""
    text = unicodedata.normalize("NFC", f"{source}\0{target}")
    return hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()


def translation_text(entry: polib.POEntry) -> str:
    """The msgstr, or all plural forms of a plural entry joined, as one string."""
    if entry.msgid_plural:
        forms = entry.msgstr_plural or {}
        return "\0".join(forms[k] for k in sorted(forms, key=int))
    return entry.msgstr


def entry_fingerprint(entry: polib.POEntry, source: str | None = None) -> str:
    """The fingerprint of the entry's current translation, as a draft of ``source`` (default:
    its msgid; the plural source is part of it)."""
    if source is None:
        source = entry.msgid if not entry.msgid_plural else f"{entry.msgid}\0{entry.msgid_plural}"
    return fingerprint(source, translation_text(entry))


def draft_source(entry: polib.POEntry, draft: str | None) -> str | None:
    """"current" or "previous": the source of which the entry's translation is the draft with the
    fingerprint ``draft`` (its msgid, or the previous one in ``#|``); None: of neither (a person
    changed it), or no fingerprint to tell."""
    if draft is None:
        return None
    if draft == entry_fingerprint(entry):
        return "current"
    if entry.previous_msgid is not None and draft == entry_fingerprint(entry, entry.previous_msgid):
        return "previous"
    return None


@dataclass(frozen=True)
class MachineNote:
    """Where the current msgstr came from, when a machine step wrote it."""

    origin: str  # "mt", "memory" or "credit"
    detail: str  # the engine signature, or how the memory matched, or how the credit was kept
    draft: str | None  # fingerprint of the msgstr the machine wrote; None: unknown (old file)

    def line(self) -> str:
        text = f"{self.origin}: {self.detail}"
        return f"{text}; draft {self.draft}" if self.draft else text

    @property
    def signature(self) -> str | None:
        """The engine signature of a machine translation."""
        return self.detail if self.origin == "mt" else None


@dataclass(frozen=True)
class Notes:
    """An entry's extracted comments, typed."""

    unit: tuple[str, ...] = ()  # the template's "tolmach: " lines, without the prefix
    machine: MachineNote | None = None
    annotations: tuple[tuple[str, str], ...] = ()  # (prefix, text) of machine annotations
    other: tuple[str, ...] = ()  # other tools' extracted comments, verbatim

    def annotated(self, prefix: str) -> list[str]:
        return [text for p, text in self.annotations if p == prefix]

    def with_draft(self, machine: MachineNote, annotations: Iterable[tuple[str, str]] = ()) -> "Notes":
        return replace(self, machine=machine, annotations=tuple(annotations))


# Tolmach writes every note on one line (:mod:`tolmach.pofile` never wraps comments, nor does GNU
# gettext), but polib and babel wrap a long ``#.`` comment at their line width (polib: 78 columns,
# "#. " included, 79 in the older Tolmach versions that saved with it; babel: 79), so a catalog
# saved by them holds notes cut into lines. Such a note is joined back; another tool's comment
# after a note must not be. A wrapper cuts a line only where the next word would have passed its
# width, so the line before a cut is full: the next word would not fit into that width, which is
# at least that of every line with a space. Widths from 76 to 80 columns are recognised; a note cut
# at another is read as cut (a machine note without its fingerprint counts as human work: the safe
# side), while taking any shorter line for a cut one would glue other tools' comments onto notes.
_WRAP_WIDTHS = (76, 80)  # columns, "#. " included
_PREFIX_WIDTH = len("#. ")
# notes complete by their form: the template's unit line, a machine note ending in its fingerprint
_COMPLETE = re.compile(r"^(?:tolmach: [\w-]+, unit \d+ of \d+|(?:mt|memory|credit): .*; draft [0-9a-f]{8,32})$")
# a wrapper also cuts after the hyphen of a hyphenated word ("translate-" / "en_ru"): no space there
_HYPHEN_CUT = re.compile(r"\w-$")


def comment_lines(comment: str | None) -> list[str]:
    """An entry's extracted comments as logical lines.

    A line is joined to the Tolmach note before it only when it is that note's rest, cut by a PO
    writer that wraps comments: it does not start a note of Tolmach's own, the note before it is
    not complete by its form, and the line before it was full (see above). Other tools' comments
    are left as they are, each its own line.
    """
    lines = (comment or "").splitlines()
    width = max([_WRAP_WIDTHS[0]] + [_PREFIX_WIDTH + len(line) for line in lines if " " in line.strip()])
    out: list[str] = []
    for i, line in enumerate(lines):
        if (out and out[-1].startswith(OURS) and not line.startswith(OURS) and not _COMPLETE.match(out[-1])
                and width <= _WRAP_WIDTHS[1]):
            before = _PREFIX_WIDTH + len(lines[i - 1])  # the physical line, not the note so far
            if before + 1 + len(line.split(" ", 1)[0]) > width:
                hyphen = _HYPHEN_CUT.search(lines[i - 1]) and line[:1].isalnum()
                out[-1] += ("" if hyphen else " ") + line
                continue
        out.append(line)
    return out


def parse_notes(comment: str | None) -> Notes:
    unit: list[str] = []
    machine: MachineNote | None = None
    annotations: list[tuple[str, str]] = []
    other: list[str] = []
    for line in comment_lines(comment):
        if line.startswith(UNIT):
            unit.append(line[len(UNIT):])
            continue
        m = _MACHINE_LINE.match(line)
        if m and machine is None:
            machine = MachineNote(m.group(1), m.group(2), m.group(3))
            continue
        for prefix in ANNOTATIONS:
            if line.startswith(prefix):
                annotations.append((prefix, line[len(prefix):]))
                break
        else:
            if not m:
                other.append(line)
    return Notes(tuple(unit), machine, tuple(annotations), tuple(other))


def read_notes(entry: polib.POEntry) -> Notes:
    return parse_notes(entry.comment)


def format_notes(notes: Notes) -> str:
    lines = [UNIT + u for u in notes.unit]
    lines += list(notes.other)
    if notes.machine is not None:
        lines.append(notes.machine.line())
    lines += [prefix + text for prefix, text in notes.annotations]
    return "\n".join(lines)


def write_notes(entry: polib.POEntry, notes: Notes) -> None:
    entry.comment = format_notes(notes)


@dataclass
class DraftNote:
    """What a machine step records with a draft it writes (see :func:`record_draft`)."""

    origin: str  # "mt" or "memory"
    detail: str
    annotations: list[tuple[str, str]] = field(default_factory=list)


def record_draft(entry: polib.POEntry, draft: DraftNote) -> None:
    """Write the machine note for the entry's *current* msgstr (call after setting msgstr)."""
    notes = read_notes(entry)
    machine = MachineNote(draft.origin, draft.detail, entry_fingerprint(entry))
    write_notes(entry, notes.with_draft(machine, draft.annotations))


# --------------------------------------------------------------------------------------------------
# The confidence note: a translator comment, not an extracted one.
#
# ``msgmerge`` replaces every extracted comment (``#.``) with the template's, so a note written
# there is gone after the first merge by a translator's own tools; translator comments (``#``)
# are kept by ``msgmerge`` and ``msgcat`` alike, and every PO editor shows them (Poedit's
# "Comment" pane, Lokalize, Weblate). So the score goes there, on a line of its own that starts
# with ``tolmach: confidence`` (or ``tolmach: no confidence``) and ends with the fingerprint of
# the draft it scored:
#
#     # tolmach: confidence 0.31; unsure: «Кузнец», «скуняли»; draft 3f2a91c0d4e5
#
# The fingerprint makes the note its own proof: it describes the entry only while the msgstr is
# still exactly the scored draft and still fuzzy (after a human rewrite, or once reviewed, it is
# stale: no reader shows it, and the next machine step that saves the catalog removes it), and it
# keeps that proof through a ``msgmerge`` that dropped the ``#. mt:`` line. Every other
# translator-comment line is a person's and is never touched. The line is kept under the width at
# which polib wraps comments, so it is always one physical line.

CONFIDENCE = "tolmach: confidence "
NO_CONFIDENCE = "tolmach: no confidence"
CONFIDENCE_WIDTH = 76  # polib wraps "# " + text beyond 78 columns
_CONFIDENCE_LINE = re.compile(
    r"^tolmach: (?:confidence (?P<score>[01](?:\.\d+)?)(?:; unsure: (?P<unsure>.*?))?|no confidence)"
    r"; draft (?P<draft>[0-9a-f]{8,32})$"
)
_UNSURE_WORD = re.compile(r"«([^«»]*)»")


@dataclass(frozen=True)
class ConfidenceNote:
    """The model's confidence in a machine draft: 0-1 (None: the engine could not score it), the
    weakest words, weakest first, and the fingerprint of the draft it describes."""

    score: float | None
    unsure: tuple[str, ...] = ()
    draft: str = ""

    def line(self) -> str:
        tail = f"; draft {self.draft}"
        if self.score is None:
            return NO_CONFIDENCE + tail
        head = f"{CONFIDENCE}{self.score:.2f}"
        words: list[str] = []
        for word in self.unsure:
            candidate = [*words, word]
            if len(head + "; unsure: " + ", ".join(f"«{w}»" for w in candidate) + tail) > CONFIDENCE_WIDTH:
                break
            words = candidate
        if words:
            head += "; unsure: " + ", ".join(f"«{w}»" for w in words)
        return head + tail


def _is_confidence_line(line: str) -> bool:
    return line.startswith((CONFIDENCE, NO_CONFIDENCE))


def _draft_fingerprint(entry: polib.POEntry) -> str:
    # A draft *of this source*: a note written before the paragraph changed is stale too.
    return entry_fingerprint(entry)


def read_confidence(entry: polib.POEntry) -> ConfidenceNote | None:
    """The entry's confidence note as written, whether it still describes the entry or not."""
    lines = (entry.tcomment or "").splitlines()
    for i, line in enumerate(lines):
        if not _is_confidence_line(line):
            continue
        m = _CONFIDENCE_LINE.match(line)
        if m is None and i + 1 < len(lines):  # wrapped by a tool that wraps comments
            m = _CONFIDENCE_LINE.match(f"{line} {lines[i + 1]}")
        if m is None:
            continue
        score = float(m["score"]) if m["score"] is not None else None
        unsure = tuple(_UNSURE_WORD.findall(m["unsure"] or ""))
        return ConfidenceNote(score, unsure, m["draft"])
    return None


def current_confidence(entry: polib.POEntry) -> ConfidenceNote | None:
    """The confidence note, if it describes the entry as it is: an untouched fuzzy draft."""
    note = read_confidence(entry)
    if note is None or "fuzzy" not in entry.flags or entry.obsolete:
        return None
    return note if note.draft == _draft_fingerprint(entry) else None


def _human_lines(entry: polib.POEntry) -> list[str]:
    lines = (entry.tcomment or "").splitlines()
    out: list[str] = []
    skip_next = False
    for i, line in enumerate(lines):
        if skip_next:
            skip_next = False
            continue
        if _is_confidence_line(line):
            # a wrapped note's second half goes with it
            skip_next = (
                _CONFIDENCE_LINE.match(line) is None
                and i + 1 < len(lines)
                and _CONFIDENCE_LINE.match(f"{line} {lines[i + 1]}") is not None
            )
            continue
        out.append(line)
    return out


def human_comment(entry: polib.POEntry) -> str:
    """The translator comments a person wrote (Tolmach's confidence note left out)."""
    return "\n".join(_human_lines(entry))


def add_human_comment(entry: polib.POEntry, lines: Iterable[str]) -> bool:
    """Add translator-comment lines a person wrote somewhere else (a CAT tool) that the entry does
    not have yet: after the entry's own, before Tolmach's confidence note. True if any was added."""
    have = (entry.tcomment or "").splitlines()
    added = [line for line in dict.fromkeys(lines) if line not in have]
    if not added:
        return False
    person = _human_lines(entry)  # in order, a subsequence of ``have``; the rest is Tolmach's note
    ours, i = [], 0
    for line in have:
        if i < len(person) and line == person[i]:
            i += 1
        else:
            ours.append(line)
    entry.tcomment = "\n".join(person + added + ours)
    return True


def write_confidence(entry: polib.POEntry, score: float | None, unsure: Iterable[str] = ()) -> None:
    """Record the confidence of the entry's *current* msgstr (call after setting msgstr), in place
    of any earlier note; a person's translator comments stay as they are, before it."""
    note = ConfidenceNote(score, tuple(unsure), _draft_fingerprint(entry))
    entry.tcomment = "\n".join([*_human_lines(entry), note.line()])


def drop_confidence(entry: polib.POEntry) -> bool:
    """Remove Tolmach's confidence note (the draft it described is gone); True if there was one."""
    if not any(_is_confidence_line(line) for line in (entry.tcomment or "").splitlines()):
        return False
    entry.tcomment = human_comment(entry)
    return True


def drop_stale_confidence(entry: polib.POEntry) -> bool:
    """Remove the confidence note if it no longer describes the entry (a person rewrote or
    reviewed the draft); True if the entry changed."""
    if read_confidence(entry) is not None and current_confidence(entry) is None:
        return drop_confidence(entry)
    return False


def drop_stale_notes(entry: polib.POEntry) -> bool:
    """Remove Tolmach's notes that are no longer true of the entry: a stale confidence note, and
    the :data:`CLAIMS` of a machine draft a person changed since (its fingerprint matches neither
    source). The provenance line, suggestions and alternatives stay: they are history and help, true
    whoever wrote the text. True if the entry changed."""
    changed = drop_stale_confidence(entry)
    notes = read_notes(entry)
    draft = notes.machine.draft if notes.machine is not None else None
    if draft is not None and draft_source(entry, draft) is None:
        kept = tuple((prefix, text) for prefix, text in notes.annotations if prefix not in CLAIMS)
        if kept != notes.annotations:
            write_notes(entry, replace(notes, annotations=kept))
            changed = True
    return changed
