"""The batch job on a Ray cluster: ``tolmach batch`` (issue 14).

The same per-article steps as ``tolmach translate-article``, spread over a Ray cluster with Ray
Data's streaming executor:

1. *prepare* (Ray tasks, one row per article): segment the article, write its template, create or
   update its catalog, and plan the catalog exactly as :func:`tolmach.translate.translate_catalogs`
   does (translation-memory matches, sentences, fuzzy suggestions), looking sentences up in the MT
   cache;
2. *translate* (a Ray Data actor pool, ``--workers`` actors): each actor loads the CTranslate2
   model(s) once, in its constructor (CTranslate2 is not fork-safe, and a model load costs
   seconds), and receives batches of articles whose uncached sentences it translates in one call;
   glossary enforcement runs there too, since it may ask the model for word alignments;
3. *write* (Ray tasks): fill the catalog through :func:`tolmach.catalog.rewrite_catalog` (atomic,
   never over a concurrent save) and build the draft.

Where the state lives. The catalogs and drafts are files under ``LOCALES``, which every node must
see at the same path (a shared folder): they are the job's output, and each is written atomically
by one task, so a catalog is complete or untouched. The translation memory and MT cache (SQLite)
stay with the driver: it syncs reviewed work into the memory once, before the first window (as the
local run does before it plans), and before each window ships a read-only *snapshot* (an SQLite
backup copy) to the workers through Ray's object store; model output comes back with each finished
article and the driver alone writes it into the MT cache. No SQLite file is shared between machines.

Resuming. Every finished article's catalog is on disk with all its entries filled, so a re-run
plans nothing for it and sends none of its sentences to a model; an article in flight when the
driver or a worker died has a catalog with none of this run's fills or all of them, and is simply
done again.
Ray restarts a killed actor and retries its batch.

Same result as the local run: the per-article steps are the local ones (the plan and write passes of
:mod:`tolmach.translate`, the extraction and merge of :mod:`tolmach.cli.pipeline`), and a sentence's
translation does not depend on which other sentences share its CTranslate2 batch (measured with the
bench model: see ``bench/ray_bench.py`` and the README).

Streaming. Articles are read lazily from folders, globs, JSONL or Parquet files and handed to Ray in
windows of ``window`` articles, so the driver holds one window of article references, never the
whole archive, and no sentence lists at all.
"""

from __future__ import annotations

import atexit
import glob as _glob
import hashlib
import json
import os
import pickle
import sqlite3
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import TolmachError
from .fsutil import not_found
from .segment import HTML_SUFFIXES, MARKDOWN_SUFFIXES

INSTALL_HINT = 'the batch job needs Ray: pip install "tolmach[ray]" (or: pip install "ray[data]>=2.9")'
ARTICLE_SUFFIXES = (".txt", *MARKDOWN_SUFFIXES, *HTML_SUFFIXES)
RECORD_SUFFIXES = (".jsonl", ".parquet")


def import_ray():
    """Ray, or a TolmachError that says how to install it (only this module imports Ray)."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise TolmachError(INSTALL_HINT) from None
    return ray


# --- input: articles from folders, globs, JSONL and Parquet -------------------------------------


@dataclass
class ArticleRef:
    """One article of the job: a file, or a record of a JSONL/Parquet export."""

    reference: str  # as written in the catalog's `#:` lines (a relative path, or the record id)
    path: str | None = None  # absolute path of an article file
    text: str | None = None  # a record's text
    lang: str | None = None  # a record's language, or --from
    where: str = ""  # for error messages: the file (and line) it came from
    slug: str = ""
    error: str = ""  # why the driver could not give it a catalog name


def iter_articles(sources: Iterable[str | Path], locales: Path) -> Iterator[ArticleRef]:
    """Every article of the sources, lazily, in a stable order (folders sorted)."""
    from .catalog import refuse_unwritable_reference, relative_reference
    from .cli.pipeline import own_draft_of
    from .segment import refuse_non_article

    locales = locales.resolve()
    for raw in sources:
        src = str(raw)
        if any(c in src for c in "*?[") and not Path(src).exists():
            paths = [Path(p) for p in sorted(_glob.glob(src, recursive=True))]
            if not paths:
                raise TolmachError("no file matches the pattern", src)
        else:
            p = Path(src)
            if not p.exists():
                raise not_found(p)
            paths = [p]
        for path in paths:
            if path.suffix.lower() in RECORD_SUFFIXES and path.is_file():  # named, or matched by a pattern
                yield from _records(path)
                continue
            if path.is_dir():
                files = sorted(q for q in path.rglob("*") if q.suffix.lower() in ARTICLE_SUFFIXES
                               and q.is_file() and locales not in q.resolve().parents)
            else:
                refuse_non_article(path)  # a CSV export, a catalog: by the counting pass, before any write
                files = [path]
            for f in files:
                if path.is_dir() and own_draft_of(f) is not None:
                    continue  # a draft Tolmach wrote beside its article
                reference = relative_reference(f)
                refuse_unwritable_reference(reference, "the article's path")
                yield ArticleRef(reference, path=str(f.resolve()), where=str(f))


def _records(path: Path) -> Iterator[ArticleRef]:
    if path.suffix.lower() == ".jsonl":
        yield from _jsonl_records(path)
        return
    parquet = _parquet(path)
    names = set(parquet.schema_arrow.names)
    if not {"id", "text"} <= names:
        raise TolmachError(f"a Parquet export needs columns id and text (has: {', '.join(sorted(names))})", path)
    columns = [name for name in ("id", "text", "language", "lang") if name in names]  # what _record reads
    number = 0
    for batch in parquet.iter_batches(batch_size=1024, columns=columns):
        for row in batch.to_pylist():
            number += 1
            yield _record(row, path, number)


def _jsonl_records(path: Path) -> Iterator[ArticleRef]:
    """The records of a JSON Lines export, read line by line (an archive need not fit in memory),
    each decoded as every text input is: UTF-8, a byte order mark at the start allowed."""
    try:
        with path.open("rb") as fh:
            for number, raw in enumerate(fh, 1):
                if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as err:
                    raise TolmachError(
                        f"not valid UTF-8 (byte 0x{raw[err.start]:02x}); save the export as UTF-8", path, number
                    ) from None
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError as err:
                    raise TolmachError(f"not JSON: {err}", path, number) from None
                yield _record(row, path, number)
    except OSError as err:
        raise TolmachError(f"cannot read the export: {err.strerror or err}", path) from None


def _parquet(path: Path):
    """The Parquet file at ``path``; a file that is not one (or cannot be read) is one error naming it."""
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - pyarrow comes with ray[data]
        raise TolmachError("reading Parquet needs pyarrow: pip install pyarrow", path) from None
    import pyarrow

    try:
        return pq.ParquetFile(path)
    except (pyarrow.ArrowException, OSError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise TolmachError(f"not a readable Parquet file ({first})", path) from None


def _record(row, path: Path, number: int) -> ArticleRef:
    from .catalog import refuse_unwritable_reference

    if (not isinstance(row, dict) or not isinstance(row.get("id"), (str, int)) or isinstance(row.get("id"), bool)
            or not isinstance(row.get("text"), str)):
        raise TolmachError("a record needs an \"id\" and a \"text\" (and may give a \"language\")", path, number)
    lang = row.get("language") or row.get("lang") or None
    if lang is not None and lang not in ("en", "ru"):
        raise TolmachError(f"unsupported language {lang!r} (supported: en, ru)", path, number)
    refuse_unwritable_reference(str(row["id"]), "the record id", path, number)  # it is the `#:` reference
    return ArticleRef(str(row["id"]), text=row["text"], lang=lang, where=f"{path}:{number}")


def count_articles(sources: Iterable[str | Path], locales: Path) -> int:
    """The progress total, from one pass over the input that also checks every record and reads
    every article file, so that a bad line of an export, an empty or too large article or a file
    that is not UTF-8 stops the job before anything is written."""
    from .segment import read_article, refuse_unusable_text

    total = 0
    # one id for two different texts (in one export or two) would give them one catalog, the
    # second's work written over the first's: refused, naming both places. (The same article given
    # twice, a file by its folder and by a pattern, or a record in two exports, is one article.)
    seen: dict[str, tuple[str, bytes]] = {}

    def once(reference: str, text: str, where: str) -> None:
        """``where``: the record's "FILE:LINE", as an error names a place."""
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        first = seen.setdefault(reference, (where, digest))
        if first[1] != digest:
            raise TolmachError(f"article {reference!r} is given twice with different texts (also at {first[0]})",
                               where)

    for ref in iter_articles(sources, locales):  # every record of JSONL and Parquet read by _record
        total += 1
        if ref.text is not None:  # a record (a file is named by its own path: one article)
            once(ref.reference, ref.text, ref.where)
        # an empty, too large or undecodable article: refused now, not when the run reaches it
        text = ref.text if ref.text is not None else read_article(ref.path)
        try:
            refuse_unusable_text(text, ref.reference if ref.text is not None else ref.where)
        except TolmachError as err:
            raise TolmachError(_located(err, ref)) from None
    return total


# --- options and results -----------------------------------------------------------------------


@dataclass
class BatchOptions:
    locales: Path
    to_lang: str | None = None
    from_lang: str | None = None
    output: Path | None = None  # draft folder (default: beside the catalogs)
    engine: dict = field(default_factory=dict)  # ArgosEngine settings (beam_size, compute_type...)
    package: Path | None = None  # --model
    glossary: object | None = None
    memory_path: Path | None = None
    fuzzy_threshold: float = 75.0
    accept_exact: bool = False
    # the translate options of the run (tolmach.cli.pipeline.translate_options: confidence,
    # alternatives, credits... as translate-article has them); None: built from the fields above
    translate: object | None = None
    rules: object | None = None  # tolmach.segment.Rules
    workers: int = 1  # translation actors (one model each)
    threads: int = 1  # CTranslate2 threads per actor
    articles_per_batch: int = 32  # articles per actor call: enough sentences for full equal-length batches
    window: int = 0  # articles handed to Ray at once (the driver's memory bound); 0: auto (window_size)
    task_cpus: float = 0.25  # logical CPUs of a prepare/write task (light: I/O and segmentation)


@dataclass
class ArticleResult:
    reference: str
    catalog: str = ""
    draft: str = ""
    langs: tuple[str, str] = ("", "")
    error: str = ""
    pending: int = 0
    written: int = 0
    from_memory: int = 0
    machine: int = 0
    sentences: int = 0
    cache_hits: int = 0
    model_calls: int = 0
    machine_drafts: int = 0
    human_drafts: int = 0
    reviewed: int = 0
    converted: list[str] = field(default_factory=list)  # catalogs written in UTF-8, not their charset: why


@dataclass
class BatchResult:
    articles: int = 0
    errors: list[str] = field(default_factory=list)
    totals: dict = field(default_factory=dict)

    def add(self, r: ArticleResult) -> None:
        self.articles += 1
        if r.error:
            self.errors.append(r.error)
            return
        for name in ("pending", "written", "from_memory", "machine", "sentences", "cache_hits",
                     "model_calls", "machine_drafts"):
            self.totals[name] = self.totals.get(name, 0) + getattr(r, name)


Progress = Callable[[int, int, ArticleResult], None]  # (done, total, the article just finished)


# --- the driver ---------------------------------------------------------------------------------


def connect(address: str | None, num_cpus: int | None = None):
    """Join the cluster at ``address`` (``auto``, ``HOST:PORT``, ``ray://...``) or, with None or
    ``local``, start a local one for this run (``num_cpus`` logical CPUs)."""
    ray = import_ray()
    if not ray.is_initialized():
        kwargs = dict(include_dashboard=False, log_to_driver=False, configure_logging=False)
        if address in (None, "", "local"):
            ray.init(num_cpus=num_cpus, **kwargs)
        else:
            ray.init(address=address, **kwargs)
    return ray


def _pairs(options: BatchOptions) -> list[tuple[str, str]]:
    if options.to_lang:
        return [(_other(options.to_lang), options.to_lang)]
    if options.from_lang:
        return [(options.from_lang, _other(options.from_lang))]
    return [("en", "ru"), ("ru", "en")]


def _other(lang: str) -> str:
    return "ru" if lang == "en" else "en"


def check_models(options: BatchOptions) -> None:
    """A TolmachError when no model of the job's language pairs is installed."""
    _packages(options)


def _packages(options: BatchOptions) -> dict[tuple[str, str], tuple[str, str]]:
    """(src, tgt) -> (package folder, engine signature) for every pair the job may meet."""
    from .engines.argos import ArgosEngine
    from .models import find_model

    found, missing = {}, []
    for pair in _pairs(options):
        try:
            package = find_model(*pair, options.package)
        except TolmachError as err:
            missing.append(err)
            continue
        engine = ArgosEngine(package, **options.engine)  # cheap: no model load
        found[pair] = (str(package.resolve()), engine.info.signature())
    if not found:
        raise missing[0]
    return found


def run_batch(sources: Iterable[str | Path], options: BatchOptions, progress: Progress | None = None,
              total: int | None = None) -> BatchResult:
    """Run the job on the connected Ray cluster (see :func:`connect`). See the module docstring."""
    ray = import_ray()
    from ray.data import DataContext

    ctx = DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    sources = list(sources)
    # Workers do not share the driver's working folder: every path they get is absolute.
    options = replace(options, locales=options.locales.resolve(),
                      output=options.output.resolve() if options.output is not None else None,
                      package=options.package.resolve() if options.package is not None else None,
                      memory_path=options.memory_path.resolve() if options.memory_path is not None else None)
    locales = options.locales
    packages = _packages(options)
    if total is None:
        total = count_articles(sources, locales)
    result = BatchResult()
    memory = cache = None
    if options.memory_path is not None:
        from .memory import MTCache, TranslationMemory

        memory, cache = TranslationMemory(options.memory_path), MTCache(options.memory_path)
        # As the local run does before it decides anything: reviewed work into the memory.
        memory.sync(sorted(locales.glob("*/LC_MESSAGES/*.po")))
    try:
        window: list[ArticleRef] = []
        taken: dict[str, str] = {}
        for ref in iter_articles(sources, locales):
            window.append(ref)
            if len(window) >= window_size(options):
                _run_window(ray, window, taken, options, packages, cache, result, total, progress)
                window, taken = [], {}  # the window's templates are on disk now: no need to remember
        if window:
            _run_window(ray, window, taken, options, packages, cache, result, total, progress)
    finally:
        for store in (memory, cache):
            if store is not None:
                store.close()
    return result


def window_size(options: BatchOptions) -> int:
    """Articles per window: a window ends with a drain (the last batches run on few actors while
    the others wait), so it must be many rounds of the whole pool, yet bounded for the driver."""
    return options.window or max(1000, 8 * options.workers * options.articles_per_batch)


def _snapshot(options: BatchOptions) -> bytes | None:
    """A consistent copy of the memory + MT cache file (SQLite's online backup), as bytes."""
    if options.memory_path is None or not Path(options.memory_path).exists():
        return None
    with tempfile.TemporaryDirectory(prefix="tolmach-snapshot-") as tmp:
        copy = Path(tmp) / "memory.sqlite"
        src = sqlite3.connect(str(options.memory_path))
        dst = sqlite3.connect(str(copy))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return copy.read_bytes()


def _run_window(ray, window, taken, options, packages, cache, result, total, progress) -> None:
    from .catalog import article_slug

    locales = options.locales.resolve()
    for ref in window:  # catalog names are given in input order, as the local run gives them
        try:
            ref.slug = article_slug(locales, ref.reference, taken)
        except TolmachError as err:
            ref.slug, ref.error = "", err.message  # located with the others (_located)
    snapshot = _snapshot(options)
    shared = ray.put(pickle.dumps(_TaskContext(options, packages, snapshot,
                                               hashlib.sha1(snapshot or b"").hexdigest())))
    rows = [{"payload": pickle.dumps(ref)} for ref in window]
    # One block (one prepare task, one write task) per actor batch: Ray's per-task cost in the driver
    # is paid per batch of articles, not per article.
    ds = ray.data.from_items(rows, override_num_blocks=-(-len(rows) // options.articles_per_batch))
    ds = ds.map(_prepare_row, fn_kwargs={"shared": [shared]}, num_cpus=options.task_cpus)
    ds = ds.map_batches(
        _Translator, fn_constructor_kwargs={"shared": [shared]}, batch_size=options.articles_per_batch,
        batch_format="pandas", compute=ray.data.ActorPoolStrategy(size=options.workers),
        num_cpus=options.threads,  # Ray Data restarts a dead actor and retries its batch by default
    )
    ds = ds.map(_write_row, fn_kwargs={"shared": [shared]}, num_cpus=options.task_cpus)
    # Model output reaches the MT cache in a few transactions, not one per article (the driver is the
    # one serial part of the job). Output not stored when the driver dies is in finished catalogs,
    # which a re-run does not translate again anyway.
    unsaved: dict[str, list] = {}
    try:
        for row in ds.iter_rows():
            done = pickle.loads(row["payload"])
            fresh = done.pop("fresh", {})
            if cache is not None:
                for signature, pairs in fresh.items():
                    unsaved.setdefault(signature, []).extend(pairs)
                if sum(map(len, unsaved.values())) >= CACHE_FLUSH:
                    _flush(cache, unsaved)
            article: ArticleResult = done["result"]
            result.add(article)
            if progress:
                progress(result.articles, total, article)
    finally:
        if cache is not None:
            _flush(cache, unsaved)


CACHE_FLUSH = 2000  # sentences


def _flush(cache, unsaved: dict[str, list]) -> None:
    for signature, pairs in unsaved.items():
        cache.put_many(signature, pairs)
    unsaved.clear()


# --- the steps (run on the workers) ----------------------------------------------------------------


@dataclass
class _TaskContext:
    options: BatchOptions
    packages: dict
    snapshot: bytes | None
    snapshot_id: str


_WORKER_STATE: dict = {}  # per worker process: the context and the opened snapshot


def _context(shared) -> tuple[_TaskContext, object, object]:
    """The job context and the snapshot's memory and cache, opened once per worker process."""
    import ray

    ref = shared[0]
    key = ref.hex()
    state = _WORKER_STATE.get(key)
    if state is None:
        _drop_snapshots()  # one window at a time per worker process: the previous one is done
        ctx: _TaskContext = pickle.loads(ray.get(ref))
        memory = cache = None
        if ctx.snapshot is not None:
            from .memory import MTCache, TranslationMemory

            _sweep_snapshots()
            handle, name = tempfile.mkstemp(prefix=f"tolmach-snapshot-{os.getpid()}-", suffix=".sqlite")
            with os.fdopen(handle, "wb") as fh:
                fh.write(ctx.snapshot)
            ctx.snapshot = None
            _SNAPSHOT_FILES.append(name)
            memory, cache = TranslationMemory(name), MTCache(name)
        state = _WORKER_STATE[key] = (ctx, memory, cache)
    return state


_SNAPSHOT_FILES: list[str] = []


def _drop_snapshots() -> None:
    for _, memory, cache in _WORKER_STATE.values():
        for store in (memory, cache):
            if store is not None:
                store.close()
    _WORKER_STATE.clear()
    for name in _SNAPSHOT_FILES:
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(name + suffix)
            except OSError:
                pass
    _SNAPSHOT_FILES.clear()


atexit.register(_drop_snapshots)


def _sweep_snapshots() -> None:
    """Remove the snapshots of worker processes that are gone (Ray ends idle workers with a signal,
    so their exit handlers do not always run)."""
    for path in Path(tempfile.gettempdir()).glob("tolmach-snapshot-*-*.sqlite*"):
        try:
            pid = int(path.name.split("-")[2])
            os.kill(pid, 0)
        except ValueError:
            continue
        except ProcessLookupError:
            try:
                path.unlink()
            except OSError:
                pass
        except OSError:  # alive, somebody else's
            continue


def _translate_options(o: BatchOptions):
    from dataclasses import replace

    from .translate import TranslateOptions

    if o.translate is not None:  # the workers read a snapshot of the memory: they never open it
        return replace(o.translate, memory_path=None, dry_run=False, retranslate_fuzzy=False)
    return TranslateOptions(glossary=o.glossary, memory_path=None, fuzzy_threshold=o.fuzzy_threshold,
                            accept_exact=o.accept_exact)


def _prepare_row(row: dict, shared) -> dict:
    ctx, memory, cache = _context(shared)
    ref: ArticleRef = pickle.loads(row["payload"])
    try:
        item = _prepare(ref, ctx, memory, cache)
    except TolmachError as err:
        item = {"ref": ref, "error": _located(err, ref)}
    return {"payload": pickle.dumps(item)}


def _located(err: TolmachError, ref: ArticleRef) -> str:
    """The error's line, naming the article when the error names no file. An error about a
    record names the export's FILE:LINE, and the record's id after the message (the segmenter
    knows a record by its id only: it is the record's path, as in the `#:` lines)."""
    if ref.text is None:
        return str(err) if err.path is not None else f"{ref.where}: {err}"
    if err.path is not None and err.path not in (ref.reference, ref.where):
        return str(err)  # another file's fault (its catalog, say)
    line = f", line {err.line}" if err.line is not None and err.path == ref.reference else ""
    return f"{ref.where}: {err.message} (record {ref.reference!r}{line})"


def _prepare(ref: ArticleRef, ctx: _TaskContext, memory, cache) -> dict:
    """Extraction, init/update and the translate plan of one article, as translate-article does."""
    from .catalog import catalog_path, init_catalog, language_pair, load_catalog, save_catalog
    from .catalog import template_for, template_path
    from .cli.pipeline import _units, update_locales
    from .segment import segment_file, segment_text
    from .markup import marked_sentences
    from .translate import plan_catalogs

    o = ctx.options
    if ref.error:
        raise TolmachError(ref.error)
    locales = o.locales.resolve()
    lang = ref.lang or o.from_lang
    if ref.text is None:
        art = segment_file(ref.path, lang=lang, rules=o.rules)
    else:
        art = segment_text(ref.text, lang=lang, path=ref.reference, rules=o.rules)
    tgt = o.to_lang or _other(art.lang)
    if tgt == art.lang:
        raise TolmachError(f"the article is already in {tgt}", ref.where)
    if (art.lang, tgt) not in ctx.packages:
        raise TolmachError(f"no {art.lang}->{tgt} model installed; install one with: "
                           f"tolmach models install {art.lang} {tgt}", ref.where)
    pot = template_for(art, ref.reference)
    tpath = template_path(locales, ref.slug)
    if tpath.exists():
        old = load_catalog(tpath)
        if _units(old) == _units(pot):  # unchanged: keep the file and its creation date
            pot = old
    target = catalog_path(locales, tgt, ref.slug)
    if target.exists() and language_pair(load_catalog(target), target) != (art.lang, tgt):
        raise TolmachError(f"the catalog translates another language pair; the article is {art.lang}",
                           target)
    if getattr(pot, "fpath", None) != str(tpath):
        save_catalog(pot, tpath)
    converted = []
    if target.exists():
        merged = update_locales(locales, [], o.from_lang, o.rules, echo=lambda *_: None, memory_path=None,
                                extracted=[(Path(ref.reference), art, ref.slug, pot)])
        converted = [change for _, _, change in merged if change]
    else:
        save_catalog(init_catalog(pot, tgt), target)
    plan, pairs = plan_catalogs([target], _translate_options(o), memory)
    fr, langs, pending = plan[0]
    marked = marked_sentences(plan).get(langs, set())
    sentences = list(pairs.get(langs, {}))
    signature = ctx.packages[langs][1]
    cached = cache.get_many(signature, sentences) if cache is not None and sentences else {}
    return {"ref": ref, "file": fr, "langs": langs, "pending": pending, "sentences": sentences,
            "cached": cached, "target": str(target), "tgt": tgt, "marked": marked, "converted": converted,
            "n_sentences": sum(len(p.sentences or ()) for p in pending)}


class _Translator:
    """One translation worker: the models are loaded here, once, in the actor's process."""

    def __init__(self, shared):
        from .engines.argos import ArgosEngine

        self.shared = shared
        ctx, _, _ = _context(shared)
        o = ctx.options
        settings = dict(o.engine, intra_threads=o.threads, inter_threads=1)
        self.engines = {}
        for pair, (package, _) in ctx.packages.items():
            engine = ArgosEngine(package, **settings)
            engine.translator  # noqa: B018 - load the weights now, not in the first batch
            self.engines[pair] = engine

    def __call__(self, batch):
        from .translate import TranslateResult, after_translation

        ctx, _, _ = _context(self.shared)
        options = _translate_options(ctx.options)
        items = [pickle.loads(p) for p in batch["payload"]]
        live = [it for it in items if "error" not in it]
        for langs in dict.fromkeys(it["langs"] for it in live):
            group = [it for it in live if it["langs"] == langs]
            todo = list(dict.fromkeys(s for it in group for s in it["sentences"] if s not in it["cached"]))
            engine = self.engines[langs]
            fresh = dict(zip(todo, engine.translate(todo))) if todo else {}
            for it in group:
                table = {s: it["cached"].get(s, fresh.get(s)) for s in it["sentences"]}
                it["table"] = table
                it["fresh"] = {s: fresh[s] for s in it["sentences"] if s in fresh}
                # what the local run does with the engine after translating (tolmach.translate)
                run = TranslateResult(files=[], marked={langs: it["marked"]} if it["marked"] else {})
                if table:
                    after_translation(engine, langs, it["sentences"], table, options, run, None)
                it["outcomes"] = run.outcomes.get(langs, {})
                it["alignments"] = run.alignments.get(langs, {})
                it["confidence"] = run.confidence.get(langs, {})
        import pandas as pd

        return pd.DataFrame({"payload": [pickle.dumps(it) for it in items]})


def _write_row(row: dict, shared) -> dict:
    ctx, _, _ = _context(shared)
    item = pickle.loads(row["payload"])
    ref: ArticleRef = item["ref"]
    if "error" in item:
        return {"payload": pickle.dumps({"result": ArticleResult(ref.reference, error=item["error"])})}
    try:
        result, fresh = _write_article(item, ctx)
    except TolmachError as err:
        result, fresh = ArticleResult(ref.reference, error=_located(err, ref)), {}
    return {"payload": pickle.dumps({"result": result, "fresh": fresh})}


def _write_article(item: dict, ctx: _TaskContext):
    """The write pass of :mod:`tolmach.translate` for one catalog, then the draft."""
    from .build import build_catalog
    from .catalog import load_catalog
    from .fsutil import atomic_write_text
    from .translate import TranslateResult, _write

    o = ctx.options
    ref: ArticleRef = item["ref"]
    fr, langs, pending = item["file"], item["langs"], item["pending"]
    signature = ctx.packages[langs][1]
    run = TranslateResult(files=[fr], signatures={langs: signature}, outcomes={langs: item.get("outcomes", {})},
                          alignments={langs: item.get("alignments", {})},
                          confidence={langs: item.get("confidence", {})})
    if pending:
        _write(fr, langs, pending, {langs: item.get("table", {})}, _translate_options(o), run)
    target = Path(item["target"])
    text, report, _ = build_catalog(load_catalog(target), ref.reference, o.rules)
    suffix = Path(ref.reference).suffix or ".txt"
    if o.output is not None:
        draft = o.output.resolve() / f"{Path(ref.reference).stem}.{item['tgt']}{suffix}"
    else:
        draft = o.locales.resolve() / item["tgt"] / f"{ref.slug}{suffix}"
    atomic_write_text(draft, text)
    fresh = item.get("fresh", {})
    result = ArticleResult(
        ref.reference, catalog=str(target), draft=str(draft), langs=langs, pending=fr.pending,
        written=fr.written, from_memory=fr.from_memory, machine=fr.machine, sentences=item["n_sentences"],
        cache_hits=len(item["cached"]), model_calls=len(fresh), machine_drafts=report.machine_drafts,
        human_drafts=report.human_drafts, reviewed=report.translated,
        converted=item.get("converted", []) + ([fr.converted] if fr.converted else []),
    )
    return result, ({signature: sorted(fresh.items())} if fresh else {})
