"""``confidence``: machine drafts the model itself was unsure of (see :mod:`tolmach.confidence`).

Off unless a threshold is given (``tolmach check --fuzzy --min-confidence 0.3``, or
``[checks.confidence] min_confidence = 0.3``): a draft is not wrong for being unsure, but CI can
hold back a publication while very shaky drafts are unreviewed. Only drafts whose confidence note
still describes them count (a person's edit makes the note stale).
"""

from __future__ import annotations

from typing import Iterable

from .base import WARNING, Check, CheckEntry, Finding


class ConfidenceCheck(Check):
    id = "confidence"
    severity = WARNING
    description = "machine draft under the confidence threshold (--min-confidence)"

    def __init__(self, min_confidence: float | None = None) -> None:
        self.min_confidence = None if min_confidence is None else float(min_confidence)

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        if self.min_confidence is None or not entry.fuzzy:
            return ()  # off, or not a draft: no generator to make and run for each entry
        return self._findings(entry)

    def _findings(self, entry: CheckEntry) -> Iterable[Finding]:
        import polib

        from ..notes import current_confidence

        # The note is a translator comment; rebuild just enough of the entry to test that it
        # still describes this msgstr.
        po_entry = polib.POEntry(msgid=entry.source, msgstr=entry.target, flags=list(entry.flags),
                                 tcomment="\n".join(entry.comments))
        note = current_confidence(po_entry)
        if note is None or note.score is None or note.score >= self.min_confidence:
            return
        words = ", ".join(f"«{w}»" for w in note.unsure)
        yield self.finding(
            entry,
            f"machine draft with confidence {note.score:.2f} (under {self.min_confidence:g})"
            + (f"; unsure: {words}" if words else ""),
            found=f"{note.score:.2f}",
            extra={"confidence": note.score, "unsure": list(note.unsure)},
        )
