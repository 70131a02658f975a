"""Machine translation of PO catalogs: memory first, then the engine, then the glossary.

The run has three passes, so that memory stays flat however many catalogs are given:

1. *plan*: read each catalog once, note its untranslated entries; reviewed translations from the
   translation memory fill exact repeats; the rest is split into sentences, deduplicated over all
   files;
2. *translate*: sentences already in the MT cache (keyed by engine signature + sentence) are taken
   from it; all others go to the engine in one stream (one model load, token-sorted batches);
3. *write*: each catalog is read again, its entries filled (glossary enforced sentence by sentence),
   marked ``fuzzy`` with their provenance in ``#.`` comments, and saved atomically.

A reviewed (non-fuzzy) translation is never changed: only entries that have no translation (and,
with ``retranslate_fuzzy``, machine drafts nobody has touched) are filled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import polib

from .catalog import comment_lines, language_pair, load_catalog, save_catalog
from .engines.base import Engine
from .errors import TolmachError
from .segment import LANGS, split_sentences

MT_PREFIX = "mt: "
MEMORY_PREFIX = "memory: "
GLOSSARY_PREFIX = "glossary: "
SUGGESTION_PREFIX = "suggestion: "

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


@dataclass
class FileResult:
    path: Path
    pending: int = 0  # entries that needed a translation
    from_memory: int = 0  # filled by exact translation-memory matches
    machine: int = 0  # filled by machine translation
    suggestions: int = 0  # fuzzy memory matches offered in comments
    enforced_terms: int = 0
    unplaced_terms: list[str] = field(default_factory=list)
    no_output: int = 0  # left untranslated: the engine gave no output for a sentence (recorded MT)


@dataclass
class TranslateResult:
    files: list[FileResult]
    sentences: int = 0  # sentences of all pending entries
    unique_sentences: int = 0
    cache_hits: int = 0
    model_calls: int = 0  # sentences sent to the engine
    engine_signature: str | None = None
    outcomes: dict = field(default_factory=dict)  # (src, tgt) -> sentence -> glossary Enforcement

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


def needs_translation(entry: polib.POEntry, retranslate_fuzzy: bool = False) -> bool:
    if entry.obsolete or not entry.msgid:
        return False
    if not entry.msgstr:
        return True
    if retranslate_fuzzy and "fuzzy" in entry.flags:
        lines = comment_lines(entry.comment)
        return any(ln.startswith(MT_PREFIX) for ln in lines) and not entry.tcomment
    return False


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
    from .memory import MTCache, TranslationMemory

    return TranslationMemory(options.memory_path), MTCache(options.memory_path)


def translate_catalogs(
    paths: Sequence[str | Path],
    engine_factory: EngineFactory,
    options: TranslateOptions | None = None,
    progress: Progress | None = None,
    sync_paths: Iterable[Path] = (),
) -> TranslateResult:
    """Fill every untranslated entry of the given catalogs. See the module docstring."""
    options = options or TranslateOptions()
    memory, cache = _open_memory(options)
    try:
        if memory is not None:
            memory.sync(list(dict.fromkeys([*map(Path, paths), *sync_paths])))
        plan, pairs = _plan(paths, options, memory)
        result = TranslateResult(files=[fr for fr, _, _ in plan])
        result.sentences = sum(len(p.sentences or ()) for _, _, items in plan for p in items)
        translations = _translate_sentences(pairs, engine_factory, cache, options, result, progress)
        if not options.dry_run:
            for file_result, langs, pending in plan:
                if pending:
                    _write(file_result, langs, pending, translations, options, result)
        return result
    finally:
        for store in (memory, cache):
            if store is not None:
                store.close()


def _plan(paths, options, memory):
    plan: list[tuple[FileResult, tuple[str, str], list[_Pending]]] = []
    pairs: dict[tuple[str, str], dict[str, None]] = {}
    for raw in paths:
        path = Path(raw)
        po = load_catalog(path)
        langs = _langs(po, path)
        todo = [e for e in po if needs_translation(e, options.retranslate_fuzzy)]
        fr = FileResult(path=path, pending=len(todo))
        exact = memory.exact_many([e.msgid for e in todo], *langs) if memory and todo else {}
        pending = []
        for e in todo:
            item = _Pending(e.msgctxt, e.msgid, None)
            if e.msgid in exact:
                item.memory_target = exact[e.msgid]
                item.memory_origin = "translation memory"
                fr.from_memory += 1
            else:
                item.sentences = split_sentences(e.msgid, langs[0]) or [e.msgid]
                unique = pairs.setdefault(langs, {})
                for s in item.sentences:
                    unique.setdefault(s, None)
                if memory is not None and options.suggestions:
                    item.suggestions = memory.fuzzy(
                        e.msgid, *langs, threshold=options.fuzzy_threshold, limit=options.suggestions
                    )
                    fr.suggestions += len(item.suggestions)
                fr.machine += 1
            pending.append(item)
        plan.append((fr, langs, pending))
    return plan, pairs


def _translate_sentences(pairs, engine_factory, cache, options, result, progress):
    translations: dict[tuple[str, str], dict[str, str]] = {}
    for langs, unique in pairs.items():
        sentences = list(unique)
        result.unique_sentences += len(sentences)
        if options.dry_run or not sentences:
            translations[langs] = {}
            continue
        engine = engine_factory(*langs)
        try:
            signature = engine.info.signature()
            result.engine_signature = signature
            done = cache.get_many(signature, sentences) if cache is not None else {}
            result.cache_hits += len(done)
            todo = [s for s in sentences if s not in done]
            if todo:
                total = len(todo)
                finished = 0

                def tick(n: int) -> None:
                    nonlocal finished
                    finished += n
                    if progress:
                        progress(finished, total)

                outputs = engine.translate(todo, progress=tick)
                result.model_calls += len(todo)
                # None: no output for that sentence (a recorded engine told to skip what it lacks)
                fresh = {s: o for s, o in zip(todo, outputs) if o is not None}
                if cache is not None:
                    cache.put_many(signature, fresh.items())
                done.update(fresh)
            translations[langs] = done
            if options.glossary is not None:
                result.outcomes[langs] = _enforce_all(options.glossary, engine, langs, sentences, done)
        finally:
            engine.close()
    return translations


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


def _write(file_result, langs, pending, translations, options, result) -> None:
    po = load_catalog(file_result.path)
    by_key = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    table = translations.get(langs, {})
    signature = result.engine_signature
    changed = False
    for item in pending:
        entry = by_key.get((item.msgctxt, item.msgid))
        # The file may have been edited since it was planned: never touch a reviewed entry.
        if entry is None or not needs_translation(entry, options.retranslate_fuzzy):
            continue
        comments = [ln for ln in comment_lines(entry.comment)
                    if not ln.startswith((MT_PREFIX, MEMORY_PREFIX, GLOSSARY_PREFIX, SUGGESTION_PREFIX))]
        if item.sentences is None:
            target = item.memory_target or ""
            comments.append(f"{MEMORY_PREFIX}exact match from the {item.memory_origin}")
        else:
            outputs = [table.get(s) for s in item.sentences]
            if any(o is None for o in outputs):
                file_result.machine -= 1
                file_result.no_output += 1
                continue
            enforced: list[str] = []
            unplaced: list[str] = []
            if options.glossary is not None:
                outcomes = result.outcomes.get(langs, {})
                outputs = [
                    _enforced(outcomes[s], langs, enforced, unplaced)
                    for s, o in zip(item.sentences, outputs)
                ]
            target = " ".join(o for o in outputs if o)
            comments.append(f"{MT_PREFIX}{signature}")
            if enforced:
                comments.append(f"{GLOSSARY_PREFIX}enforced {', '.join(dict.fromkeys(enforced))}")
                file_result.enforced_terms += len(enforced)
            if unplaced:
                names = ", ".join(dict.fromkeys(unplaced))
                comments.append(f"{GLOSSARY_PREFIX}could not place {names}: check by hand")
                file_result.unplaced_terms.extend(unplaced)
            for match in item.suggestions:
                flat = " ".join(match.target.split())
                comments.append(f"{SUGGESTION_PREFIX}{match.score:.0f}% {flat}")
        entry.msgstr = target
        entry.comment = "\n".join(comments)
        if item.sentences is None and options.accept_exact:
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
        elif "fuzzy" not in entry.flags:
            entry.flags.insert(0, "fuzzy")
        changed = True
    if changed:
        save_catalog(po, file_result.path)


def _enforced(outcome, langs, enforced: list, unplaced: list) -> str:
    """The enforced text of one sentence (from :func:`_enforce_all`); its terms go in the lists."""
    side = "target" if langs[1] == "ru" else "source"
    enforced.extend(getattr(t, side) for t in outcome.enforced)
    # a replacement undone by verification (outcome.unverified) leaves the term as unplaced as none
    unplaced.extend(getattr(t, side) for t in [*outcome.unplaced, *outcome.unverified])
    return outcome.text
