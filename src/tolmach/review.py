"""The review queue: machine drafts, least confident first, so a reviewer starts where the model
was least sure (see :mod:`tolmach.confidence` for what the score means).

A draft is listed while its confidence note describes it (:func:`tolmach.notes.current_confidence`:
fuzzy, and the msgstr still exactly the scored one) or while it is an untouched machine draft
without a note (scored by no engine, or written before Tolmach scored drafts): those come last,
with no score, as they can be anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .catalog import load_catalog
from .notes import current_confidence
from .state import EntryState, entry_state


@dataclass(frozen=True)
class QueuedDraft:
    path: str
    line: int
    msgctxt: str | None
    source: str
    target: str
    confidence: float | None  # None: the draft was not scored ("no confidence")
    unsure: tuple[str, ...] = ()

    def location(self) -> str:
        return f"{self.path}:{self.line}"


def catalog_drafts(path: str | Path) -> list[QueuedDraft]:
    """The machine drafts of one catalog, in file order."""
    out = []
    for entry in load_catalog(path):
        if entry.obsolete or not entry.msgid:
            continue
        note = current_confidence(entry)
        if note is None and entry_state(entry) is not EntryState.MACHINE_DRAFT:
            continue
        out.append(QueuedDraft(
            path=str(path), line=entry.linenum, msgctxt=entry.msgctxt, source=entry.msgid,
            target=entry.msgstr, confidence=note.score if note else None,
            unsure=note.unsure if note else (),
        ))
    return out


def review_queue(paths: Iterable[str | Path]) -> list[QueuedDraft]:
    """Every machine draft of the catalogs, least confident first (unscored ones last); ties in
    file and line order."""
    drafts = [d for p in paths for d in catalog_drafts(p)]
    return sorted(drafts, key=lambda d: (d.confidence is None, d.confidence or 0.0, d.path, d.line))


def queue_to_json(queue: list[QueuedDraft]) -> dict:
    """The ``tolmach review-queue --format json`` document (schema in the command's help)."""
    return {
        "version": 1,
        "drafts": [
            {"path": d.path, "line": d.line, "msgctxt": d.msgctxt, "confidence": d.confidence,
             "unsure": list(d.unsure), "source": d.source, "target": d.target}
            for d in queue
        ],
    }


def distribution(scores: Iterable[float | None]) -> dict:
    """How a file's drafts are spread over confidence bands (for ``tolmach stats``)."""
    values = [s for s in scores]
    scored = sorted(s for s in values if s is not None)
    bands = {"low": 0, "medium": 0, "high": 0}  # < 0.3, 0.3-0.5, >= 0.5
    for s in scored:
        bands["low" if s < LOW else "medium" if s < HIGH else "high"] += 1
    return {
        "drafts": len(values),
        "scored": len(scored),
        **bands,
        "min": scored[0] if scored else None,
        "median": scored[len(scored) // 2] if scored else None,
    }


LOW, HIGH = 0.3, 0.5  # band edges: chrF 30 is a weak draft, chrF 50 a usable one
