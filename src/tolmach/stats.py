"""Catalog progress (units and source words translated / fuzzy / untranslated) and MO compilation.

Catalogs live at ``locales/<lang>/LC_MESSAGES/<article>.po``; templates (``.pot``, anything under
``templates/``) are not catalogs and are skipped. Words are source words: ``len(msgid.split())``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Iterable

from .errors import TolmachError
from .fsutil import atomic_write_bytes, refuse_unwritable, unique_files
from .catalog import load_catalog, refuse_empty_catalog
from .markup import may_change_words, protect_entry
from .state import EntryState, entry_state, has_translation, is_complete, nplurals

STATES = ("translated", "fuzzy", "untranslated", "obsolete")
# fuzzy entries split by who wrote them (tolmach.state): machine drafts and human drafts
DRAFT_STATES = ("machine_draft", "human_draft")


@dataclass
class FileStats:
    """Progress of one catalog. Every entry except the header falls in exactly one state."""

    path: Path
    locale: str
    translated_units: int = 0
    translated_words: int = 0
    fuzzy_units: int = 0
    fuzzy_words: int = 0
    untranslated_units: int = 0
    untranslated_words: int = 0
    obsolete_units: int = 0
    obsolete_words: int = 0
    machine_draft_units: int = 0  # of the fuzzy ones: untouched machine output
    machine_draft_words: int = 0
    human_draft_units: int = 0  # of the fuzzy ones: a person's work in progress (a plural entry
    # with a form empty or missing too, fuzzy or not: tolmach.state)
    human_draft_words: int = 0
    # confidence of each machine draft (tolmach.confidence), None for one nobody scored
    confidence: list = field(default_factory=list)

    @property
    def total_units(self) -> int:
        """Live units (obsolete ones are not part of the article any more)."""
        return self.translated_units + self.fuzzy_units + self.untranslated_units

    @property
    def total_words(self) -> int:
        return self.translated_words + self.fuzzy_words + self.untranslated_words

    @property
    def percent_words(self) -> float:
        """Share of live source words translated and reviewed, 0-100 (100 for an empty catalog)."""
        return 100.0 if not self.total_words else 100.0 * self.translated_words / self.total_words

    def percent_words_down(self, decimals: int = 0) -> float:
        """:attr:`percent_words` rounded down (exactly, from the counts), as Weblate and Pootle
        show progress: 100 only when every word is reviewed, not for 249 words of 250."""
        scale = 10**decimals
        return 100.0 if not self.total_words else (100 * scale * self.translated_words // self.total_words) / scale

    def add(self, other: FileStats) -> None:
        for f in fields(self):
            if f.name.endswith(("_units", "_words")):
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        self.confidence.extend(other.confidence)

    def counts(self) -> dict[str, dict[str, int]]:
        data = asdict(self)
        return {s: {"units": data[f"{s}_units"], "words": data[f"{s}_words"]} for s in STATES + DRAFT_STATES}


def find_catalogs(paths: Iterable[str | Path], explicit: bool = True) -> list[Path]:
    """PO files named directly or found under folders, sorted, templates left out.

    A folder that holds no catalog, or an empty file, is an error when named ``explicit``ly."""
    found: set[Path] = set()
    for item in paths:
        p = Path(item)
        if p.is_dir():
            here = {po for po in p.rglob("*.po") if po.is_file() and "templates" not in po.parts[len(p.parts):]}
            if not here and explicit:
                raise TolmachError("no PO catalogs in this folder", p)
            found.update(here)
        elif p.suffix == ".pot":
            continue
        elif p.exists():
            if explicit:
                refuse_empty_catalog(p)
            found.add(p)
        else:
            raise TolmachError("no such PO file or folder", p)
    return unique_files(sorted(found))


def catalog_locale(path: Path, header_language: str = "") -> str:
    """The locale folder of ``<lang>/LC_MESSAGES/x.po``, else the header's ``Language``."""
    if path.parent.name == "LC_MESSAGES" and path.parent.parent.name:
        return path.parent.parent.name
    return header_language.strip()


def _words(text: str, comment: str | None = None) -> int:
    """The words a translator translates: of the text without its markup for a Markdown or HTML
    unit (a tag's attributes, a link's URL are no words), and only runs with a letter or digit
    (a dash between spaces is none)."""
    if may_change_words(text):
        protected = protect_entry(text, comment)
        if protected is not None:
            text = protected.plain
    return sum(1 for w in text.split() if any(c.isalnum() for c in w))


def file_stats(path: Path) -> FileStats:
    from .notes import current_confidence

    catalog = load_catalog(path)
    stats = FileStats(path, catalog_locale(path, catalog.metadata.get("Language", "")))
    plural_count = nplurals(catalog)
    for entry in catalog:
        if not entry.msgid and not entry.msgctxt and not entry.obsolete:
            continue  # the header
        words = _words(entry.msgid, entry.comment)
        states = []
        if entry.obsolete:
            states.append("obsolete")
        else:
            state = entry_state(entry, plural_count)
            if state is EntryState.REVIEWED:
                states.append("translated")
            elif state is EntryState.UNTRANSLATED:
                states.append("untranslated")
            else:
                states += ["fuzzy", "machine_draft" if state is EntryState.MACHINE_DRAFT else "human_draft"]
                if state is EntryState.MACHINE_DRAFT:  # (None: a draft nobody scored, counted as such)
                    note = current_confidence(entry)
                    stats.confidence.append(note.score if note is not None else None)
        for state in states:
            setattr(stats, f"{state}_units", getattr(stats, f"{state}_units") + 1)
            setattr(stats, f"{state}_words", getattr(stats, f"{state}_words") + words)
    return stats


def collect_stats(paths: Iterable[str | Path], explicit: bool = True) -> list[FileStats]:
    """Progress of each catalog under ``paths`` (files or folders), sorted by locale then path."""
    result = [file_stats(p) for p in find_catalogs(paths, explicit)]
    return sorted(result, key=lambda s: (s.locale, str(s.path)))


def locale_totals(stats: Iterable[FileStats]) -> dict[str, FileStats]:
    totals: dict[str, FileStats] = {}
    for s in stats:
        total = totals.setdefault(s.locale, FileStats(Path(), s.locale))
        total.add(s)
    return totals


def stats_to_json(stats: list[FileStats]) -> dict:
    """The ``tolmach stats --format json`` document (schema in the command's help)."""

    from .review import distribution

    def block(s: FileStats) -> dict:
        return {
            **s.counts(),
            "confidence": distribution(s.confidence),
            "total": {"units": s.total_units, "words": s.total_words},
            "percent_words": s.percent_words_down(1),
        }

    grand = FileStats(Path(), "")
    for s in stats:
        grand.add(s)
    totals = locale_totals(stats)
    return {
        "version": 1,
        "files": [{"path": str(s.path), "locale": s.locale, **block(s)} for s in stats],
        "locales": [
            {"locale": loc, "files": sum(1 for s in stats if s.locale == loc), **block(t)}
            for loc, t in totals.items()
        ],
        "total": {"files": len(stats), **block(grand)},
    }


@dataclass(frozen=True)
class MoFile:
    """A catalog compiled, not yet written: what :func:`compile_all` writes for one PO file."""

    po: Path
    mo: Path  # ``<name>.mo`` beside the PO
    data: bytes
    messages: int  # entries in it
    incomplete: int  # plural entries with a translation left out: a form of it empty or missing


def compile_catalog(path: Path, use_fuzzy: bool = False) -> tuple[Path, int]:
    """Write ``<name>.mo`` beside the PO, atomically; returns the MO path and messages written.

    Like ``msgfmt``: obsolete and untranslated entries are left out, fuzzy ones too unless
    ``use_fuzzy`` (then a fuzzy entry with a translation is compiled as if reviewed). Safer than
    msgfmt, which leaves out only a plural entry whose ``msgstr[0]`` is empty: a plural entry with
    any form empty or missing is left out, so the application shows the source for every number
    instead of an empty string for some.
    """
    compiled = mo_data(path, use_fuzzy)
    atomic_write_bytes(compiled.mo, compiled.data)
    return compiled.mo, compiled.messages


def mo_data(path: Path, use_fuzzy: bool = False) -> MoFile:
    """What :func:`compile_catalog` writes, written nowhere."""
    import polib

    catalog = load_catalog(path)
    if use_fuzzy:
        for entry in catalog:
            if entry.msgid and entry.fuzzy and not entry.obsolete:
                entry.flags.remove("fuzzy")
    plural_count = nplurals(catalog)
    candidates = [e for e in catalog if e.msgid and not e.obsolete and "fuzzy" not in e.flags]
    # every entry with a translation for every number: msgfmt also compiles a plural entry with
    # a form empty (unless it is msgstr[0]) or missing, for which the application then shows an
    # empty string or the source, depending on the number
    entries = [e for e in candidates if is_complete(e, plural_count)]
    incomplete = sum(1 for e in candidates if has_translation(e) and not is_complete(e, plural_count))
    for e in entries:
        if e.msgctxt == "":
            # an empty context is a context (msgfmt writes "\x04" before the msgid); polib tests
            # the context's truth and would merge the entry into the one without context, whose
            # lookups then got this entry's translation
            e.msgctxt = _EmptyContext()
    catalog.translated_entries = lambda: list(entries)
    # polib would reorder the header fields; msgfmt keeps them as written, and so do we
    header = "".join(f"{key}: {value}\n" for key, value in catalog.metadata.items())
    catalog.metadata_as_entry = lambda: polib.POEntry(msgid="", msgstr=header)
    try:
        data = catalog.to_binary()
    except (UnicodeEncodeError, LookupError) as err:
        raise TolmachError(f"cannot encode the catalog for MO: {err}", path) from None
    return MoFile(path, path.with_suffix(".mo"), data, len(entries), incomplete)


class _EmptyContext(str):
    """``msgctxt ""`` as polib's MO writer must see it: empty, yet a context."""

    def __bool__(self) -> bool:
        return True


def compile_all(paths: Iterable[str | Path], use_fuzzy: bool = False, explicit: bool = True) -> list[MoFile]:
    """Compile every catalog under ``paths`` (``explicit`` as for :func:`find_catalogs`); returns
    what was written for each. Every catalog is read and compiled (a bad one refused) before the
    first MO file is written."""
    compiled = [mo_data(po, use_fuzzy) for po in find_catalogs(paths, explicit)]
    refuse_unwritable(c.mo for c in compiled)
    for c in compiled:
        atomic_write_bytes(c.mo, c.data)
    return compiled


def compile_catalogs(paths: Iterable[str | Path], use_fuzzy: bool = False) -> list[Path]:
    """Compile every catalog under ``paths``; returns the MO files written (see :func:`compile_all`)."""
    return [c.mo for c in compile_all(paths, use_fuzzy)]


__all__ = [
    "FileStats",
    "MoFile",
    "catalog_locale",
    "collect_stats",
    "compile_catalog",
    "compile_catalogs",
    "file_stats",
    "find_catalogs",
    "locale_totals",
    "mo_data",
    "stats_to_json",
]
