"""Machine translation of PO catalogs: memory first, then the engine, then the glossary.

The run has three passes, so that memory stays flat however many catalogs are given:

1. *plan*: read each catalog once, note its untranslated entries; reviewed translations from the
   translation memory fill exact repeats; the rest is split into sentences, deduplicated over all
   files;
2. *translate*: sentences already in the MT cache (keyed by engine signature + sentence) are taken
   from it; all others go to the engine in one stream (one model load, token-sorted batches);
3. *write*: each catalog is read again, its entries filled (glossary enforced sentence by sentence),
   marked ``fuzzy`` with their provenance in ``#.`` comments, and saved atomically.

Human text is never changed: a machine step fills untranslated entries and replaces machine
drafts nobody touched (stale ones, whose paragraph changed, always; current ones with
``retranslate_fuzzy``) — see :mod:`tolmach.state`. The write pass never overwrites a save made
by somebody else while the run worked: it applies its fills to the catalog as it is on disk then
(:func:`tolmach.catalog.rewrite_catalog`).

Markdown/HTML units go to the engine as plain text; their inline markup is put back afterwards by
the engine's word alignment (:mod:`tolmach.markup`). Photo credits are kept as in the source
(:mod:`tolmach.credits`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import polib

from .catalog import charset_change, language_pair, load_catalog, rewrite_catalog, touch_revision
from .confidence import paragraph_confidence, record
from .credits import TRANSLATE as TRANSLATE_CREDITS
from .credits import is_credit_entry, kept_credit
from .markup import align_marked, marked_sentences, protect_entry, restore_entry
from .engines.base import Engine
from .engines.replay import ReplayEngine
from .errors import TolmachError
from .fsutil import refuse_unwritable
from .notes import CREDIT, GLOSSARY, MARKUP, SPLIT, SUGGESTION, DraftNote, drop_stale_notes, read_notes, record_draft
from .catalog import OVERLONG_NOTE
from .potext import matching_line_ends
from .segment import LANGS, split_for_model
from .state import EntryState, entry_state, has_translation, is_stale, machine_may_write

EngineFactory = Callable[[str, str], Engine]  # (source_lang, target_lang) -> engine
Progress = Callable[[int, int], None]  # (done, total) sentences


@dataclass
class TranslateOptions:
    dry_run: bool = False
    retranslate_fuzzy: bool = False  # redo untouched machine drafts (fuzzy with an "mt:" comment)
    glossary: object | None = None  # tolmach.glossary.Glossary
    memory_path: Path | None = None  # translation memory + MT cache (SQLite); None: neither
    fuzzy_threshold: float = 75.0
    suggestions: int = 1  # fuzzy memory matches offered per entry
    accept_exact: bool = False  # an exact memory match of a reviewed paragraph counts as reviewed
    credits: str = "keep"  # photo credits: keep | label | translate (see tolmach.credits)
    credit_labels: dict | None = None  # the project's extra credit labels ("Picture" -> "Снимок")
    confidence: bool = True  # score each machine draft (tolmach.confidence)
    alternatives: int = 0  # other translations offered for low-confidence sentences


@dataclass
class FileResult:
    path: Path
    langs: tuple[str, str] = ("", "")  # (source, target) of the catalog
    pending: int = 0  # entries that needed a translation
    # Filled by source (planned; once written, what was written: a concurrent save may take some)
    from_memory: int = 0  # by exact translation-memory matches
    machine: int = 0  # by machine translation
    stale: int = 0  # of those, machine drafts redone because their paragraph changed
    written: int = 0  # entries actually written
    human_drafts: int = 0  # fuzzy entries a person wrote or edited: left alone
    plural: int = 0  # plural entries left for a translator
    suggestions: int = 0  # fuzzy memory matches offered in comments
    credits: int = 0  # photo credits kept as in the source (not sent to the model), planned or written
    credit_labels: int = 0  # of those, credits whose label was translated (credits = "label")
    no_output: int = 0  # left untranslated: the engine gave no output for a sentence (recorded MT)
    no_output_drafts: int = 0  # machine drafts to redo left as they were, for the same reason
    overlong: int = 0  # sentences too long for the model, sent to it in pieces
    unchanged: int = 0  # machine drafts redone (--retranslate-fuzzy) to exactly what they were: not written
    enforced_terms: int = 0
    unplaced_terms: list[str] = field(default_factory=list)
    converted: str = ""  # the catalog was written in UTF-8, not its charset: why (catalog.CharsetChange)


@dataclass
class TranslateResult:
    files: list[FileResult]
    sentences: int = 0  # sentences of all pending entries
    unique_sentences: int = 0
    cache_hits: int = 0
    model_calls: int = 0  # sentences sent to the engine (in a dry run: that would be sent)
    signatures: dict = field(default_factory=dict)  # (src, tgt) -> engine signature
    outcomes: dict = field(default_factory=dict)  # (src, tgt) -> sentence -> glossary Enforcement
    marked: dict = field(default_factory=dict)  # (src, tgt) -> sentences whose unit has markup
    alignments: dict = field(default_factory=dict)  # (src, tgt) -> sentence -> word alignment
    confidence: dict = field(default_factory=dict)  # (src, tgt) -> sentence -> SentenceConfidence

    @property
    def pending(self) -> int:
        return sum(f.pending for f in self.files)


@dataclass
class _Pending:
    msgctxt: str | None
    msgid: str
    sentences: list[str] | None  # None: filled from memory
    memory_target: str | None = None
    memory_origin: str = ""
    suggestions: list = field(default_factory=list)
    note: str = ""  # how an entry filled without memory or model was filled (a kept credit)
    protected: object | None = None  # tolmach.markup.Protected: inline markup kept from the model
    overlong: list = field(default_factory=list)  # (words, pieces) of sentences cut for the model
    overlong_noted: bool = False  # the template already says so (a catalog made by extract)
    redo: bool = False  # the entry holds a machine draft that this run translates again
    stale: bool = False  # ... because its paragraph changed


def needs_translation(entry: polib.POEntry, retranslate_fuzzy: bool = False) -> bool:
    """May the translate step write this entry? (See :func:`tolmach.state.machine_may_write`.)"""
    return machine_may_write(entry, retranslate=retranslate_fuzzy)


def _langs(po: polib.POFile, path: Path) -> tuple[str, str]:
    src, tgt = language_pair(po, path)
    if tgt not in LANGS or src not in LANGS or src == tgt:
        raise TolmachError(
            f"cannot tell the language pair (Language: {tgt or 'missing'}, "
            f"X-Source-Language: {src}); Tolmach translates en<->ru",
            path,
        )
    return src, tgt


def _open_memory(options: TranslateOptions):
    if options.memory_path is None:
        return None, None
    from .memory import MTCache, PlannedMemory, TranslationMemory

    if options.dry_run:  # read what there is, write (or create) nothing
        return PlannedMemory(options.memory_path), MTCache(options.memory_path, read_only=True)
    return TranslationMemory(options.memory_path), MTCache(options.memory_path)


def translate_catalogs(
    paths: Sequence[str | Path],
    engine_factory: EngineFactory,
    options: TranslateOptions | None = None,
    progress: Progress | None = None,
    sync_paths: Iterable[Path] = (),
    synced: list[tuple] | None = None,
) -> TranslateResult:
    """Fill every untranslated entry of the given catalogs. See the module docstring.

    ``sync_paths``: other catalogs whose reviewed units go to the memory first; ``synced``: those
    units (:func:`sync_rows`) where the caller has read them already.
    """
    options = options or TranslateOptions()
    # Every catalog is read (and any bad one refused) before the memory is opened or created:
    # the ones to translate and the ones whose reviewed units go to the memory.
    plan, reviewed = _read(paths, options)
    if not options.dry_run:  # and every catalog it would fill found writable (before the model runs)
        refuse_unwritable(fr.path for fr, _, pending in plan if pending)
    if options.memory_path is not None:
        reviewed += synced if synced is not None else sync_rows(sync_paths, paths)
    memory, cache = _open_memory(options)
    try:
        # Reviewed work reaches the memory before this run decides anything. A dry run must find
        # the same exact matches the real run will, and change nothing: its memory keeps them in RAM.
        if memory is not None:
            memory.add_many(reviewed)
        pairs = _plan(plan, options, memory)
        result = TranslateResult(files=[fr for fr, _, _ in plan])
        result.marked = marked_sentences(plan)
        result.sentences = sum(len(p.sentences or ()) for _, _, items in plan for p in items)
        translations = _translate_sentences(pairs, engine_factory, cache, options, result, progress)
        for file_result, langs, pending in plan:
            if not pending:
                continue
            if not options.dry_run:
                _write(file_result, langs, pending, translations, options, result)
            elif translations.get(langs) is not None:  # a dry run that knows the engine's outputs
                table = translations[langs]
                for item in pending:
                    _lacks_output(file_result, item, table) or _no_text(file_result, item, table)
        return result
    finally:
        for store in (memory, cache):
            if store is not None:
                store.close()


def sync_rows(sync_paths: Iterable[Path], paths: Iterable[str | Path] = ()) -> list[tuple]:
    """The translation-memory rows of the reviewed units of ``sync_paths`` (those of ``paths``
    left out: the run reads them itself), each catalog read and a bad one refused."""
    from .memory import reviewed_units

    given = {Path(p) for p in paths}
    return [row for p in dict.fromkeys(sync_paths) if Path(p) not in given for row in reviewed_units(Path(p))]


def plan_catalogs(paths, options: TranslateOptions, memory=None):
    """The read and plan passes over ``paths`` without the memory sync (the cluster job syncs once
    in its driver): ``(plan, sentences to translate per language pair)``."""
    plan, _ = _read(paths, options)
    return plan, _plan(plan, options, memory)


def _read(paths, options):
    """Each catalog's entries a machine step may fill, and its reviewed units (for the memory)."""
    from .memory import reviewed_rows

    plan: list[tuple[FileResult, tuple[str, str], list[_Pending]]] = []
    reviewed: list[tuple] = []
    for raw in paths:
        path = Path(raw)
        po = load_catalog(path)
        langs = _langs(po, path)
        fr = FileResult(path=path, langs=langs)
        todo = []
        for e in po:
            if e.obsolete or not e.msgid:
                continue
            if e.msgid_plural:
                fr.plural += 1
            elif needs_translation(e, options.retranslate_fuzzy):
                # the model never sees a Markdown/HTML unit's markup
                todo.append(_Pending(e.msgctxt, e.msgid, None, protected=protect_entry(e.msgid, e.comment),
                                     overlong_noted=any(u.startswith("a sentence of ") for u in read_notes(e).unit),
                                     redo=has_translation(e), stale=is_stale(e)))
                fr.stale += is_stale(e)
            elif entry_state(e) is EntryState.HUMAN_DRAFT:
                fr.human_drafts += 1
        fr.pending = len(todo)
        if options.memory_path is not None:
            reviewed.extend(reviewed_rows(po, path))
        plan.append((fr, langs, todo))
    return plan, reviewed


def _plan(plan, options, memory) -> dict[tuple[str, str], dict[str, None]]:
    """Exact memory matches fill what they can; the rest is split into sentences, deduplicated
    over all files per language pair (returned), with fuzzy memory suggestions."""
    pairs: dict[tuple[str, str], dict[str, None]] = {}
    for fr, langs, pending in plan:
        exact = memory.exact_many([p.msgid for p in pending], *langs) if memory and pending else {}
        for item in pending:
            if item.msgid in exact:
                item.memory_target = exact[item.msgid]
                item.memory_origin = "translation memory"
                fr.from_memory += 1
                continue
            if is_credit_entry(item.msgctxt) and options.credits != TRANSLATE_CREDITS:
                item.memory_target, item.note = kept_credit(item.msgid, *langs, options.credits,
                                                            options.credit_labels)
                fr.credits += 1
                fr.credit_labels += item.memory_target != item.msgid
                continue
            plain = item.protected.plain if item.protected is not None else item.msgid
            sentences, item.overlong = split_for_model(plain, langs[0])
            item.sentences = sentences or [plain]
            fr.overlong += len(item.overlong)
            unique = pairs.setdefault(langs, {})
            for s in item.sentences:
                unique.setdefault(s, None)
            if memory is not None and options.suggestions:
                item.suggestions = memory.fuzzy(
                    item.msgid, *langs, threshold=options.fuzzy_threshold, limit=options.suggestions
                )
                fr.suggestions += len(item.suggestions)
            fr.machine += 1
    return pairs


def _translate_sentences(pairs, engine_factory, cache, options, result, progress):
    translations: dict[tuple[str, str], dict[str, str]] = {}
    # The progress total is known before the first model call: every sentence the engine gets.
    work = []
    for langs, unique in pairs.items():
        sentences = list(unique)
        result.unique_sentences += len(sentences)
        if not sentences:
            translations[langs] = {}
            continue
        engine = engine_factory(*langs)  # cheap: the model itself loads on first use
        signature = engine.info.signature()
        result.signatures[langs] = signature
        done = cache.get_many(signature, sentences) if cache is not None else {}
        result.cache_hits += len(done)
        todo = [s for s in sentences if s not in done]
        work.append((langs, engine, signature, sentences, done, todo))
    total = sum(len(todo) for *_, todo in work)
    finished = 0

    def tick(n: int) -> None:
        nonlocal finished
        finished += n
        if progress:
            progress(finished, total)

    if progress and total and not options.dry_run:
        progress(0, total)
    for langs, engine, signature, sentences, done, todo in work:
        try:
            if options.dry_run:
                result.model_calls += len(todo)
                # A replay of recorded output is a table: it says without a model what it has (and
                # what it lacks, which the real run leaves untranslated or stops at). Of a model's
                # output nothing is known before it runs: None.
                translations[langs] = None
                if isinstance(engine, ReplayEngine):
                    done.update((s, o) for s, o in zip(todo, engine.translate(todo)) if o is not None)
                    translations[langs] = done
                continue
            if todo:
                def commit(batch: list[tuple[str, str | None]], signature=signature) -> None:
                    # kept as each batch is done: a run killed half-way resumes where it stopped;
                    # None: no output for that sentence (a recorded engine told to skip what it lacks)
                    if cache is not None:
                        cache.put_many(signature, [(s, o) for s, o in batch if o is not None])

                outputs = engine.translate_in_batches(todo, commit, progress=tick)
                result.model_calls += len(todo)
                done.update((s, o) for s, o in zip(todo, outputs) if o is not None)
            translations[langs] = done
            after_translation(engine, langs, sentences, done, options, result, cache)
        finally:
            engine.close()
    return translations


def after_translation(engine, langs, sentences, done, options, result, cache) -> None:
    """What needs the engine once a language pair's sentences are translated, while its model is
    loaded: glossary enforcement, the word alignment of units with markup, the confidence of what
    is written (enforcement changed words). Results go into ``result``; the cluster job
    (:mod:`tolmach.cluster`) runs the same step in its workers."""
    if options.glossary is not None:
        result.outcomes[langs] = _enforce_all(options.glossary, engine, langs, sentences, done)
    if result.marked.get(langs):  # where the marked units' words went, for their markup
        result.alignments[langs] = align_marked(engine, result.marked[langs], done, result.outcomes.get(langs))
    if options.confidence:
        from .confidence import assess

        outcomes = result.outcomes.get(langs, {})
        written = {s: outcomes[s].text if s in outcomes else done[s] for s in sentences if s in done}
        result.confidence[langs] = assess(engine, langs, written, options.alternatives, options.glossary, cache,
                                          result.marked.get(langs, ()))


def _enforce_all(glossary, engine, langs, sentences, table) -> dict[str, object]:
    """Glossary enforcement for every unique sentence; where spelling cannot place a term, the
    engine's word alignment is asked where the term went (see :mod:`tolmach.glossary.aligned`)."""
    from .glossary.aligned import enforce_aligned

    outcomes = {s: glossary.enforce(s, table[s], *langs) for s in sentences if s in table}
    stuck = [s for s, o in outcomes.items() if o.unplaced]
    alignments = engine.align(stuck, [table[s] for s in stuck]) if stuck else None
    if alignments is not None:
        for s, alignment in zip(stuck, alignments):
            outcomes[s] = enforce_aligned(glossary, s, table[s], alignment, *langs, first=outcomes[s])
    return outcomes


@dataclass
class _Fill:
    """What the write pass puts into one entry."""

    msgstr: str
    draft: DraftNote
    reviewed: bool = False  # an exact memory match taken as reviewed (--accept-exact)
    enforced: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    confidence: object | None = None  # tolmach.confidence.ParagraphConfidence; None: not scored


def _fills(file_result, langs, pending, translations, options, result) -> dict[tuple, _Fill]:
    """The text and notes of every pending entry that can be filled, keyed by (msgctxt, msgid)."""
    table = translations.get(langs, {})
    signature = result.signatures.get(langs)
    outcomes = result.outcomes.get(langs, {})
    fills: dict[tuple, _Fill] = {}
    for item in pending:
        key = (item.msgctxt, item.msgid)
        if item.sentences is None and item.note:  # a photo credit, kept as in the source
            fills[key] = _Fill(item.memory_target or "", DraftNote("credit", item.note[len(CREDIT):]))
            continue
        if item.sentences is None:
            fills[key] = _Fill(item.memory_target or "",
                               DraftNote("memory", f"exact match from the {item.memory_origin}"),
                               reviewed=options.accept_exact)
            continue
        if _lacks_output(file_result, item, table) or _no_text(file_result, item, table):
            continue
        outputs = [table.get(s) for s in item.sentences]
        enforced: list[str] = []
        unplaced: list[str] = []
        unverified: dict[str, str] = {}
        if options.glossary is not None:
            outputs = [_enforced(outcomes[s], langs, enforced, unplaced, unverified) for s in item.sentences]
        target = " ".join(o for o in outputs if o)
        notes = []
        if item.protected is not None:  # the source's inline markup around the translated words
            said: list[str] = []
            target = restore_entry(item.protected, item.sentences, outputs, result.alignments.get(langs, {}), said)
            notes += [(MARKUP, line[len(MARKUP):]) for line in said if line.startswith(MARKUP)]
        if enforced:
            notes.append((GLOSSARY, f"enforced {', '.join(dict.fromkeys(enforced))}"))
        if unplaced:
            notes.append((GLOSSARY, f"could not place {', '.join(dict.fromkeys(unplaced))}: check by hand"))
        for term, reason in unverified.items():
            notes.append((GLOSSARY, f"not enforced {term} ({reason}): check by hand"))
        if not item.overlong_noted:  # say it, as extract says it in the template's notes
            notes += [(SPLIT, OVERLONG_NOTE.format(words=w, pieces=p)) for w, p in item.overlong]
        for match in item.suggestions:
            notes.append((SUGGESTION, f"{match.score:.0f}% {' '.join(match.target.split())}"))
        confidence = None
        if options.confidence:
            scores = result.confidence.get(langs, {})
            confidence = paragraph_confidence([scores.get(s) for s in item.sentences], outputs,
                                              _compose(item, result.alignments.get(langs, {})), target)
        fills[key] = _Fill(target, DraftNote("mt", signature, notes), enforced=enforced,
                           unplaced=unplaced + list(unverified), confidence=confidence)
    return fills


def _compose(item: _Pending, alignments: dict):
    """How an alternative paragraph of a Markdown or HTML unit is made: its markup put back as in
    the draft (the alternative sentence by its own alignment); None for a plain-text unit."""
    if item.protected is None:
        return None

    def compose(outputs: list[str], i: int, alignment) -> str:
        return restore_entry(item.protected, item.sentences, outputs,
                             {**alignments, item.sentences[i]: alignment}, [])

    return compose


def _lacks_output(file_result, item: _Pending, table: dict[str, str]) -> bool:
    """Did the engine give no output for a sentence of this entry (a recorded engine told to skip
    what it lacks)? Then the entry is left as it is, not half translated, and counted as what it
    stays: untranslated, or the machine draft it had."""
    if item.sentences is None or all(table.get(s) is not None for s in item.sentences):
        return False
    file_result.machine -= 1
    if item.redo:
        file_result.no_output_drafts += 1
        file_result.stale -= item.stale  # not among the drafts redone
    else:
        file_result.no_output += 1
    return True


def _no_text(file_result, item: _Pending, table: dict[str, str]) -> bool:
    """Did the engine give nothing but empty text for this entry (a unit of a zero-width space in
    a catalog made before such paragraphs were no units)? Then nothing is written: no fill, no
    notes, not counted as filled nor as needing a translation."""
    if item.sentences is None or any((table.get(s) or "").strip() for s in item.sentences):
        return False
    file_result.machine -= 1
    file_result.pending -= 1
    file_result.stale -= item.stale
    return True


def _write(file_result, langs, pending, translations, options, result) -> None:
    fills = _fills(file_result, langs, pending, translations, options, result)
    written: list[_Fill] = []
    stale = labelled = unchanged = 0

    def apply(po: polib.POFile):
        # Decided on the catalog as it is on disk now: an entry somebody edited, reviewed or
        # filled since the plan is not ours to write any more.
        nonlocal stale, labelled, unchanged
        written.clear()
        stale = labelled = unchanged = 0
        for entry in po:
            if entry.obsolete:
                continue
            fill = fills.get((entry.msgctxt, entry.msgid))
            if fill is None or not needs_translation(entry, options.retranslate_fuzzy):
                continue
            was_stale = is_stale(entry)
            before = _entry_state(entry)
            entry.msgstr = matching_line_ends(entry.msgid, fill.msgstr)
            # the fill is of the current source: a "#|" of an older one (left by the update that
            # made a draft stale) is no source of it, and kept, it would make the draft a person's
            # once the paragraph changed again (its fingerprint matching neither source)
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            if fill.reviewed:
                entry.flags = [f for f in entry.flags if f != "fuzzy"]
            elif "fuzzy" not in entry.flags:
                entry.flags.insert(0, "fuzzy")
            record_draft(entry, fill.draft)
            record(entry, fill.confidence)  # after the draft note: it keys on the same fingerprint
            if _entry_state(entry) == before:
                # a machine draft redone (--retranslate-fuzzy) to what it was, notes and all:
                # nothing was filled, and the catalog is not rewritten for it
                unchanged += 1
                continue
            stale += was_stale
            labelled += fill.draft.origin == "credit" and fill.msgstr != entry.msgid
            written.append(fill)
        if not written:
            return None
        for entry in po:  # notes of drafts a person has taken over since
            drop_stale_notes(entry)
        touch_revision(po)
        return po

    file_result.converted = charset_change(rewrite_catalog(file_result.path, apply))
    # The summary says what was written, by source, not what the plan expected.
    file_result.written = len(written)
    origins = [fill.draft.origin for fill in written]
    file_result.from_memory, file_result.machine = origins.count("memory"), origins.count("mt")
    file_result.credits, file_result.stale = origins.count("credit"), stale
    file_result.credit_labels = labelled
    file_result.unchanged = unchanged
    for fill in written:
        file_result.enforced_terms += len(fill.enforced)
        file_result.unplaced_terms.extend(fill.unplaced)


def _entry_state(entry: polib.POEntry) -> tuple:
    """What a fill may change in an entry, to tell a fill that changed nothing."""
    return (entry.msgstr, tuple(entry.flags), entry.comment, entry.tcomment, entry.previous_msgid,
            entry.previous_msgid_plural, entry.previous_msgctxt)


def _enforced(outcome, langs, enforced: list, unplaced: list, unverified: dict) -> str:
    """The enforced text of one sentence (from :func:`_enforce_all`); its terms go in the lists:
    enforced (and verified by the glossary check), not placed, and not enforced because the
    replacement failed verification (``unverified``: term -> why; the engine's words were kept)."""
    side = "target" if langs[1] == "ru" else "source"
    enforced.extend(getattr(t, side) for t in outcome.enforced)
    unplaced.extend(getattr(t, side) for t in outcome.unplaced)
    for t in outcome.unverified:
        unverified.setdefault(getattr(t, side), outcome.reasons.get(t, "the check rejects the result"))
    return outcome.text
