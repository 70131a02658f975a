"""The pipeline commands: segment, extract, init, update, translate, build, translate-article."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from . import count as _count
from . import warn

LANG = click.Choice(["en", "ru"])


def _config(paths=()):
    """The configuration of the project that ``paths`` (the files the command works on) are in."""
    from ..config import project_config

    return project_config(paths)


def _rules(config):
    from ..segment import Rules

    return Rules.from_config(config.get("segment", {}))


def _other(lang: str) -> str:
    return "ru" if lang == "en" else "en"


# --- segment ------------------------------------------------------------------------------------


@click.command()
@click.argument("article", type=click.Path(path_type=Path))
@click.option("--from", "lang", type=LANG, help="Source language (default: detected from the script).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def segment(article: Path, lang: str | None, fmt: str) -> None:
    """Show an article's units: title, credit, paragraphs and their sentences, and skipped chrome."""
    from ..segment import SegmentReport, segment_file

    art = segment_file(article, lang=lang, rules=_rules(_config([article])))
    report = SegmentReport.of(art)
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{article} ({art.lang}, {art.fmt}): {_count(len(art.blocks), 'paragraph')}, "
        f"{_count(len(art.units), 'unit')}, {len(art.skipped)} skipped"
    )
    for b in art.blocks:
        if not b.translatable:
            click.echo(f"  -  line {b.line:<4} skipped ({b.reason}): {b.text}")
            continue
        why = f"  ({b.reason})" if b.reason and b.kind != "body" else ""
        click.echo(f"  {b.index:<2} line {b.line:<4} {b.kind:<8} {report.ids[b.index]}{why}")
        for j, s in enumerate(b.sentences, 1):
            click.echo(f"       s{j}: {s}")


# --- extract / init / update ---------------------------------------------------------------------


def _extract_one(article: Path, locales: Path, lang: str | None, rules, taken: dict | None = None):
    """Segment an article and make its template: ``(article, slug, template path, template)``, the
    template being the file's own when the units are unchanged (:func:`_save_template` then keeps
    the file and its creation date). Writes nothing: every command reads and checks all its inputs
    before it writes the first file."""
    from ..catalog import article_slug, load_catalog, refuse_unwritable_reference, relative_reference
    from ..catalog import template_for, template_path
    from ..segment import segment_file

    reference = relative_reference(article)
    refuse_unwritable_reference(reference, "the article's path")
    art = segment_file(article, lang=lang, rules=rules)
    pot = template_for(art, reference)
    slug = article_slug(locales, reference, taken)
    path = template_path(locales, slug)
    if path.exists():
        old = load_catalog(path)
        if _units(old) == _units(pot):  # unchanged: keep the file and its creation date
            return art, slug, path, old
    return art, slug, path, pot


def _template_changed(pot, path: Path) -> bool:
    """Is this template (from :func:`_extract_one`) not the file already at ``path``?"""
    return getattr(pot, "fpath", None) != str(path)


def _save_template(pot, path: Path) -> None:
    if _template_changed(pot, path):
        from ..catalog import save_catalog

        save_catalog(pot, path)


def own_draft_of(article: Path) -> Path | None:
    """The article a file is Tolmach's translated draft of (``NAME.ru.txt`` beside ``NAME.txt``)."""
    stem = Path(article.stem)
    if stem.suffix[1:] in ("en", "ru"):
        original = article.with_name(stem.stem + article.suffix)
        if original.is_file():
            return original
    return None


def _units(po) -> list[tuple]:
    return [(e.msgctxt, e.msgid, e.occurrences, e.comment) for e in po]


@click.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-d", "--locales", type=click.Path(path_type=Path), default="locales", show_default=True,
              help="Catalog folder: templates go to LOCALES/templates/<slug>.pot.")
@click.option("--from", "lang", type=LANG, help="Source language (default: detected).")
def extract(articles: tuple[Path, ...], locales: Path, lang: str | None) -> None:
    """Write a PO template (one entry per paragraph) for each article.

    A translated draft that Tolmach wrote beside its article (NAME.ru.txt beside NAME.txt) is not
    an article and is skipped, so that `extract articles/*.txt` can be run again.
    """
    from ..fsutil import refuse_unwritable

    rules = _rules(_config(articles))
    taken: dict = {}
    planned = []  # every article read and segmented (a bad one refused) before a template is written
    for article in articles:
        original = own_draft_of(article)
        planned.append((article, original, None if original else _extract_one(article, locales, lang, rules, taken)))
    extracted = [made for _, _, made in planned if made is not None]
    refuse_unwritable(path for _, _, path, pot in extracted if _template_changed(pot, path))
    for article, original, made in planned:
        if original is not None:
            click.echo(f"{article}: skipped: a translated draft of {original}")
            continue
        art, _, path, pot = made
        _save_template(pot, path)
        click.echo(f"{path}: {_count(len(pot), 'unit')} ({_count(len(art.skipped), 'paragraph')} skipped as chrome)")
        _say_overlong(pot)


def _say_overlong(pot) -> None:
    """Sentences too long for the model are cut into pieces: say where (the entry says it too)."""
    from ..notes import UNIT as UNIT_COMMENT
    from ..notes import comment_lines

    for e in pot:
        for line in comment_lines(e.comment):
            if line.startswith(UNIT_COMMENT + "a sentence of "):
                where = ":".join(e.occurrences[0]) if e.occurrences else e.msgctxt
                click.echo(f"{where}: note: {line[len(UNIT_COMMENT):]}", err=True)


def _templates(locales: Path, slugs: tuple[str, ...]) -> list[Path]:
    from ..errors import TolmachError

    from ..catalog import article_slug, relative_reference, template_path

    folder = locales / "templates"
    if slugs:
        out = []
        for s in slugs:
            p = Path(s)
            pot = p if p.suffix == ".pot" else folder / f"{s}.pot"
            if not pot.exists() and p.suffix != ".pot" and p.is_file():  # an article: its template
                pot = template_path(locales, article_slug(locales, relative_reference(p)))
                if not pot.exists():
                    raise TolmachError(f"no template of this article; run `tolmach extract {s} -d {locales}` "
                                       "first", p)
            out.append(pot)
        return out
    found = sorted(folder.glob("*.pot"))
    if not found:
        raise TolmachError(f"no templates; run `tolmach extract ARTICLE -d {locales}` first", folder)
    return found


@click.command()
@click.argument("templates", nargs=-1)
@click.option("-l", "--lang", "lang", type=LANG, required=True, help="Language of the new catalogs.")
@click.option("-d", "--locales", type=click.Path(path_type=Path), default="locales", show_default=True)
@click.option("--force", is_flag=True,
              help="Overwrite existing catalogs (their translations are lost; the reviewed ones go to the "
                   "translation memory first).")
@click.option("--memory", type=click.Path(path_type=Path),
              help="Translation memory that the reviewed translations of a catalog --force replaces go to "
                   "(default: .tolmach/memory.sqlite in the project).")
@click.option("--no-memory", is_flag=True, help="Do not store them in a memory.")
def init(templates: tuple[str, ...], lang: str, locales: Path, force: bool, memory: Path | None,
         no_memory: bool) -> None:
    """Create LOCALES/LANG/LC_MESSAGES/<slug>.po from templates (all of them by default): each
    given by its slug, its .pot file or its article."""
    from ..catalog import catalog_path, init_catalog, load_catalog, save_catalog
    from ..errors import TolmachError
    from ..fsutil import refuse_unwritable
    from ..potext import SOURCE_LANG_HEADER, base_language

    # every template read (a bad one refused) before the first catalog is written
    made, same = [], []  # same: templates of articles in ``lang``, which no catalog of it translates
    for t in _templates(locales, templates):
        pot = load_catalog(t)
        if base_language(pot.metadata.get(SOURCE_LANG_HEADER)) == lang:
            same.append(t)
        else:
            made.append((pot, catalog_path(locales, lang, t.stem)))
    if same and (templates or not made):  # asked for, or all there is: an error; else the others are made
        raise TolmachError(f"the template's source language is {lang}; a catalog needs the other language "
                           f"(`-l {_other(lang)}`)", same[0])
    # the catalogs --force replaces, read (a bad one refused): their reviewed translations go to the memory
    replaced = {target: load_catalog(target) for _, target in made if force and target.exists()}
    reviewed = {}
    if replaced:
        from ..memory import reviewed_rows

        reviewed = {target: reviewed_rows(po, target) for target, po in replaced.items()}
    memory_path = None if no_memory or not any(reviewed.values()) else _config([locales]).memory_path(memory)
    refuse_unwritable(target for _, target in made if force or not target.exists())
    if memory_path is not None:
        _check_memory(memory_path)
        from ..memory import TranslationMemory

        with TranslationMemory(memory_path) as tm:  # before a catalog that holds them is replaced
            tm.add_many(row for rows in reviewed.values() for row in rows)
    for t in same:
        click.echo(f"{t}: skipped: the template's source language is {lang}")
    for pot, target in made:
        if target.exists() and not force:
            click.echo(f"{target}: exists, left as it is (use `tolmach update` to merge changes)")
            continue
        save_catalog(init_catalog(pot, lang), target)
        line = f"{target}: created, {_count(len(pot), 'unit')}"
        if target in replaced:
            from ..state import has_translation

            lost = sum(1 for e in replaced[target] if not e.obsolete and has_translation(e))
            line += f"; {_count(lost, 'translation')} replaced"
            if reviewed[target]:
                kept = len(reviewed[target])
                line += (f" ({kept} reviewed, now in the translation memory)" if memory_path is not None
                         else f" ({kept} reviewed, not kept: --no-memory)")
        click.echo(line)


def update_locales(locales: Path, articles: list[Path], lang: str | None, rules, echo=click.echo,
                   memory_path: Path | None = None, extracted: list | None = None):
    """Re-extract articles and merge their templates into every locale's catalog.

    ``extracted``: ``(article, segmented article, slug, template)`` already made (and their
    templates written), instead of ``articles``.

    Every article is segmented, every catalog read and merged (a bad one refused) and every file
    to write found writable before anything is written; see :func:`plan_merges`.
    """
    from ..catalog import template_path
    from ..fsutil import refuse_unwritable

    templates = []  # (template, path) to write
    if extracted is None:
        extracted = []
        taken: dict = {}
        for article in articles:
            art, slug, path, pot = _extract_one(article, locales, lang, rules, taken)
            extracted.append((article, art, slug, pot))
            if _template_changed(pot, path):
                templates.append((pot, path))
    merges = plan_merges(locales, extracted)
    merged_into = {id(m.template) for m in merges}
    unmerged = [(slug, art, pot) for _, art, slug, pot in extracted if id(pot) not in merged_into]
    refuse_unwritable([path for _, path in templates] + [m.target for m in merges if m.merged is not None])
    if memory_path is not None:
        _check_memory(memory_path)
    for pot, path in templates:
        _save_template(pot, path)
    for slug, art, pot in unmerged:  # said, so that an update that merged nothing is not silent
        echo(f"{template_path(locales, slug)}: {_count(len(pot), 'unit')}, no catalog to merge into; "
             f"run `tolmach init -l {_other(art.lang)} -d {locales}` to make one")
    return merge_catalogs(merges, memory_path, echo)


@dataclass
class Merge:
    """A catalog that a template is merged into, read and merged before anything is written."""

    target: Path
    current: object  # polib.POFile: the catalog as read
    template: object  # polib.POFile
    merged: object | None  # what the merge makes of it; None: the same catalog (nothing to write)
    report: object  # tolmach.catalog.UpdateReport


def plan_merges(locales: Path, extracted: list) -> list[Merge]:
    """Every catalog of every locale that the templates of ``extracted`` (as for
    :func:`update_locales`) merge into, read and merged in memory, so that a bad one is an error
    before anything is written."""
    from ..catalog import catalog_path, load_catalog, update_catalog

    if not locales.is_dir():
        return []
    merges = []
    for _, art, slug, pot in extracted:
        for lang_dir in sorted(p for p in locales.iterdir() if p.is_dir() and p.name != "templates"):
            target = catalog_path(locales, lang_dir.name, slug)
            if lang_dir.name == art.lang or not target.exists():
                continue
            current = load_catalog(target)
            merged, report = update_catalog(current, pot)
            # an unchanged article leaves its catalogs untouched
            merges.append(Merge(target, current, pot, merged if str(merged) != str(current) else None, report))
    return merges


def merge_catalogs(merges: list[Merge], memory_path: Path | None = None, echo=click.echo) -> list[tuple]:
    """Write the merges of :func:`plan_merges` (msgmerge-style): ``[(catalog path, report, change)]``,
    ``change`` the line of :func:`~tolmach.catalog.charset_change` for a catalog written in UTF-8
    instead of its charset (also said on stderr, whatever ``echo`` is), else "".

    Reviewed translations go into the translation memory (``memory_path``) first, from the very
    catalog content that is then merged, so a translation that the merge demotes to fuzzy (its
    paragraph was edited) is still found in the memory. A catalog saved by somebody else since it
    was read is merged again from their version, never overwritten.
    """
    from ..catalog import charset_change, rewrite_catalog, update_catalog

    memory = None
    if memory_path is not None:
        from ..memory import TranslationMemory

        memory = TranslationMemory(memory_path)
    results = []
    try:
        for m in merges:
            reports = []

            def merge(current, m=m, reports=reports):
                if memory is not None:
                    memory.sync_catalog(current, m.target)
                if current is m.current:  # as planned
                    merged, report = m.merged, m.report
                else:  # saved meanwhile: merge their version
                    merged, report = update_catalog(current, m.template)
                    merged = merged if str(merged) != str(current) else None
                reports[:] = [report]
                return merged

            change = charset_change(rewrite_catalog(m.target, merge, po=m.current))
            report = reports[0]
            echo(
                f"{m.target}: {report.kept + report.moved} kept, {len(report.changed)} changed (fuzzy), "
                f"{len(report.added)} new, {len(report.obsoleted)} obsolete"
                + (f", {len(report.removed)} removed (never translated)" if report.removed else "")
            )
            if change:
                warn(change)
            results.append((m.target, report, change))
    finally:
        if memory is not None:
            memory.close()
    return results


def _check_memory(path: Path) -> None:
    """Open the translation memory as a reader, changing nothing: a corrupt file, a folder or a
    newer schema is an error before anything is written (there is nothing to check of one not
    made yet)."""
    if path.exists():
        from ..memory import TranslationMemory

        TranslationMemory(path, read_only=True).close()


def _referenced_articles(locales: Path) -> list[Path]:
    """The articles the templates were extracted from; one that is gone is an error naming its
    template, before anything is written."""
    from ..catalog import load_catalog
    from ..errors import TolmachError

    out = []
    for tpath in _templates(locales, ()):  # none: an error
        refs = [ref for e in load_catalog(tpath) for ref, _ in e.occurrences]  # quoted names joined
        if refs:
            if not Path(refs[0]).exists():
                raise TolmachError(
                    f"its article {refs[0]} is gone; restore it, or remove the template and its catalogs if "
                    f"the article was deleted (renamed: run `tolmach translate-article NEW_NAME -d {locales} "
                    "--accept-exact` first, which takes their reviewed translations from the memory)", tpath)
            out.append(Path(refs[0]))
    return out


@click.command()
@click.argument("articles", nargs=-1, type=click.Path(path_type=Path))
@click.option("-d", "--locales", type=click.Path(path_type=Path), default="locales", show_default=True)
@click.option("--from", "lang", type=LANG, help="Source language (default: detected).")
@click.option("--memory", type=click.Path(path_type=Path),
              help="Translation memory that reviewed translations go to before the merge "
                   "(default: .tolmach/memory.sqlite in the project).")
@click.option("--no-memory", is_flag=True, help="Do not store reviewed translations in a memory.")
def update(articles: tuple[Path, ...], locales: Path, lang: str | None, memory: Path | None,
           no_memory: bool) -> None:
    """Re-extract articles (default: those the templates refer to) and merge into every catalog.

    Unchanged paragraphs keep their translations; edited ones keep the old translation as fuzzy
    with the previous source in `#|` lines; new ones are untranslated; removed ones become
    obsolete (`#~`). Reviewed translations are never overwritten.
    """
    from ..errors import TolmachError

    if not locales.is_dir():  # most often a mistyped -d: never start a new folder unasked
        raise TolmachError(f"no such folder; run `tolmach extract ARTICLE -d {locales}` to start one", locales)
    config = _config(articles or [locales])
    targets = list(articles) or _referenced_articles(locales)
    update_locales(locales, targets, lang, _rules(config), memory_path=None if no_memory else config.memory_path(memory))


# --- translate ----------------------------------------------------------------------------------


def _engine_pair(ctx) -> None:
    """--engine and --recorded agree (checked by whichever of the two options is parsed second)."""
    if "engine" in ctx.params and "recorded" in ctx.params:
        engine, recorded = ctx.params["engine"], ctx.params["recorded"]
        if engine == "recorded" and recorded is None:
            raise click.UsageError("--engine recorded needs --recorded FILE")
        if engine == "argos" and recorded is not None:
            raise click.UsageError("--recorded is for --engine recorded, not argos")


def _engine(ctx, param, value):
    ctx.params["engine"] = value
    _engine_pair(ctx)
    return value


def _recorded(ctx, param, value):
    """Read the recorded-translations file while the options are parsed: bad input is one error line
    before anything is written (translate-article writes catalogs before it translates)."""
    if value is not None:
        from ..engines.replay import load_recorded

        value = load_recorded(value)
    ctx.params["recorded"] = value
    _engine_pair(ctx)
    return value


def engine_options(f):
    options = [
        click.option("--engine", type=click.Choice(["argos", "recorded"]), callback=_engine,
                     help="argos (default): the installed model; recorded: another MT system's output "
                          "from --recorded FILE."),
        click.option("--recorded", type=click.Path(path_type=Path), callback=_recorded,
                     help="Source->target pairs (TSV: two columns; or JSONL: {\"source\", \"target\"}) "
                          "for --engine recorded."),
        click.option("--recorded-missing", type=click.Choice(["error", "skip"]), default="error",
                     show_default=True,
                     help="A sentence the recorded file lacks: stop with an error naming it, or leave "
                          "its entry as it is (untranslated, or the machine draft it had)."),
        click.option("--model", "package", type=click.Path(path_type=Path),
                     help="An Argos package folder to use instead of the installed model."),
        click.option("--beam-size", type=click.IntRange(1, 16), default=4, show_default=True),
        click.option("--compute-type", default="int8", show_default=True,
                     help="CTranslate2 compute type (int8, int8_float32, float32, float16, auto...)."),
        click.option("--device", default="cpu", show_default=True, help="cpu, cuda or auto."),
        click.option("--intra-threads", type=click.IntRange(0), default=0,
                     help="Threads per translation (0: all cores)."),
        click.option("--inter-threads", type=click.IntRange(1), default=1, show_default=True,
                     help="Translations run in parallel."),
        click.option("--max-batch-tokens", type=click.IntRange(1), default=4096, show_default=True),
        click.option("--batch-invariant", is_flag=True,
                     help="Batch only sentences of equal length, so that a sentence's translation never "
                          "depends on the others of the run: give it to both `tolmach batch` and the local "
                          "run to be sure they write the same (slower on small runs)."),
        click.option("--glossary", type=click.Path(path_type=Path), multiple=True,
                     help="Glossary file or folder (default: the project's `glossaries/`)."),
        click.option("--no-glossary", is_flag=True, help="Do not enforce any glossary."),
        click.option("--memory", type=click.Path(path_type=Path),
                     help="Translation memory (default: .tolmach/memory.sqlite in the project)."),
        click.option("--no-memory", is_flag=True, help="Use no translation memory and no MT cache."),
        click.option("--credits", type=click.Choice(["keep", "label", "translate"]),
                     help="Photo credits: kept as in the source (default), only the label translated "
                          "(\"Photo:\" -> «Фото:»), or sent to the model."),
        click.option("--accept-exact", is_flag=True,
                     help="A paragraph found word for word among reviewed translations is taken as "
                          "reviewed (not fuzzy)."),
        click.option("--alternatives", type=click.IntRange(0, 8), default=0, show_default=True,
                     help="Offer this many other translations of each low-confidence sentence "
                          "(`#. alternative:` comments; not with --no-confidence)."),
        click.option("--no-confidence", is_flag=True,
                     help="Do not score the drafts (no `# tolmach: confidence` notes)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _make_engine_factory(kw: dict):
    if kw.get("recorded") is not None:  # --engine recorded (the options' callbacks checked the pair)
        recorded, missing = kw["recorded"], kw.get("recorded_missing", "error")
        return lambda src, tgt: recorded.engine(src, tgt, on_unknown=missing)

    from ..engines.argos import ArgosEngine
    from ..models import find_model

    def factory(src: str, tgt: str):
        return ArgosEngine(
            find_model(src, tgt, kw["package"]),
            beam_size=kw["beam_size"],
            compute_type=kw["compute_type"],
            device=kw["device"],
            intra_threads=kw["intra_threads"],
            inter_threads=kw["inter_threads"],
            max_batch_tokens=kw["max_batch_tokens"],
            batch_invariant=kw.get("batch_invariant", False),
        )

    return factory


def _glossary(config, paths: tuple[Path, ...], disabled: bool):
    if disabled:
        return None
    chosen, _ = config.glossary_paths(paths)
    if not chosen:
        return None
    from ..glossary import load_glossary

    return load_glossary(chosen)


def _memory_path(config, memory: Path | None, disabled: bool) -> Path | None:
    return None if disabled else config.memory_path(memory)


def translate_options(config, kw: dict, dry_run: bool = False, retranslate_fuzzy: bool = False):
    """The run's :class:`~tolmach.translate.TranslateOptions` from the configuration and the engine
    options (shared by translate, translate-article and batch, so that they write the same)."""
    from ..translate import TranslateOptions

    return TranslateOptions(
        dry_run=dry_run,
        retranslate_fuzzy=retranslate_fuzzy,
        glossary=_glossary(config, kw["glossary"], kw["no_glossary"]),
        memory_path=_memory_path(config, kw["memory"], kw["no_memory"]),
        fuzzy_threshold=config.fuzzy_threshold,
        accept_exact=kw["accept_exact"] or config.accept_exact,
        confidence=not kw.get("no_confidence", False),
        alternatives=kw.get("alternatives", 0),
        credits=_credit_mode(kw.get("credits"), config),
        credit_labels=dict(config.get("credits.labels", {}) or {}),
    )


def run_translate(po_paths: list[Path], kw: dict, dry_run: bool = False, retranslate_fuzzy: bool = False,
                  options=None, engine_factory=None, synced: list | None = None):
    """Translate the catalogs; ``options``, ``engine_factory`` and ``synced`` (the memory rows of
    the other catalogs of their folders): where the caller has made them already."""
    from ..translate import translate_catalogs

    if options is None:
        options = translate_options(_config(po_paths), kw, dry_run, retranslate_fuzzy)
    with _progress() as progress:
        return translate_catalogs(po_paths, engine_factory or _make_engine_factory(kw), options, progress,
                                  _siblings(po_paths) if synced is None else (), synced)


def _siblings(po_paths) -> list[Path]:
    """The catalogs of the folders of ``po_paths``, whose reviewed units the memory takes first."""
    return sorted({q for p in po_paths for q in Path(p).parent.glob("*.po")})


def _credit_mode(option: str | None, config) -> str:
    from ..credits import MODES
    from ..errors import TolmachError

    mode = option or config.get("credits.mode", "keep")
    if mode not in MODES:
        raise TolmachError(f"configuration credits.mode: {mode!r} is not one of {', '.join(MODES)}")
    return mode


class _progress:
    """A rich progress bar on a terminal; nothing when output is redirected (CI, pipes)."""

    def __enter__(self):
        self._bar = None
        if not sys.stderr.isatty():
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self._bar = Progress("translating", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                             transient=True)
        self._bar.start()
        self._task = self._bar.add_task("translate", total=None)

        def update(done: int, total: int) -> None:
            self._bar.update(self._task, completed=done, total=total)

        return update

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.stop()


def _summary(result, dry_run: bool) -> str:
    """What the run did (or, dry, would do): a line per language pair, then the sentence counts."""
    pairs = list(dict.fromkeys(f.langs for f in result.files))
    lines = [_pair_summary([f for f in result.files if f.langs == langs], langs, dry_run, len(pairs) > 1)
             for langs in pairs] or [f"{'would fill' if dry_run else 'filled'} 0 entries in 0 catalogs"]
    sent = "would go to the model" if dry_run else "sent to the model"
    counts = (f"({_count(result.sentences, 'sentence')}, {result.unique_sentences} unique, "
              f"{result.cache_hits} cached, {result.model_calls} {sent})")
    text = "\n".join(lines) + ("\n" if len(lines) > 1 else " ") + counts
    labelled = sum(f.credit_labels for f in result.files)
    kept = sum(f.credits for f in result.files) - labelled
    if labelled:  # --credits label: the label translated, the names kept
        text += f"; {_count(labelled, 'photo credit')} with the label translated"
    if kept:
        text += f"; {_count(kept, 'photo credit')} kept as in the source"
    unplaced = [t for f in result.files for t in f.unplaced_terms]
    if unplaced:
        text += f"; glossary terms not placed: {', '.join(dict.fromkeys(unplaced))}"
    return text


def _warn_converted(result) -> None:
    for f in result.files:
        if f.converted:
            warn(f.converted)


def _pair_summary(files, langs, dry_run: bool, name_pair: bool) -> str:
    def total(name: str) -> int:
        return sum(getattr(f, name) for f in files)

    left = total("no_output") + total("no_output_drafts")  # no recorded output: left as they are
    filled = total("pending") - left if dry_run else total("written")
    where = _count(len(files), "catalog") + (f" ({langs[0]}->{langs[1]})" if name_pair else "")
    text = (f"{'would fill' if dry_run else 'filled'} {_count(filled, 'entry', 'entries')} in {where}: "
            f"{total('from_memory')} from memory, {total('machine')} by machine translation")
    notes = []
    if total("stale"):
        notes.append(f"{_count(total('stale'), 'stale machine draft')} among them")
    if total("human_drafts"):
        notes.append(f"{_count(total('human_drafts'), 'human draft')} kept as written")
    if total("unchanged"):
        same = total("unchanged")
        notes.append(f"{_count(same, 'machine draft')} translated again to the same text, left as "
                     f"{'it was' if same == 1 else 'they were'}")
    if total("plural"):
        notes.append(f"{_count(total('plural'), 'plural entry', 'plural entries')} left for a translator")
    if total("overlong"):
        notes.append(f"{_count(total('overlong'), 'sentence')} too long for the model sent to it in pieces")
    if total("no_output"):
        notes.append(f"{_count(total('no_output'), 'entry', 'entries')} left untranslated (no recorded output)")
    if total("no_output_drafts"):
        drafts = total("no_output_drafts")
        notes.append(f"{_count(drafts, 'machine draft')} left as {'it was' if drafts == 1 else 'they were'} "
                     "(no recorded output)")
    if not dry_run and total("written") + total("unchanged") < total("pending") - left:
        taken = total("pending") - left - total("written") - total("unchanged")
        notes.append(f"{_count(taken, 'entry', 'entries')} changed by somebody else meanwhile, left as "
                     f"{'it is' if taken == 1 else 'they are'}")
    return text + "".join(f"; {n}" for n in notes)


@click.command()
@click.argument("catalogs", nargs=-1, required=True, type=click.Path(path_type=Path))
@engine_options
@click.option("--dry-run", is_flag=True, help="Say what would be translated; change nothing.")
@click.option("--retranslate-fuzzy", is_flag=True,
              help="Also redo machine drafts nobody has edited (fuzzy, with an `mt:` comment).")
def translate(catalogs: tuple[Path, ...], dry_run: bool, retranslate_fuzzy: bool, **kw) -> None:
    """Machine-translate every untranslated entry of the given PO catalogs.

    Only untranslated entries and machine drafts nobody touched are written: a reviewed
    translation, or a fuzzy entry a person wrote or edited, is never changed. A machine draft
    whose paragraph changed is translated again (the old source stays in `#|`). Machine output is
    marked fuzzy, with the engine, model and settings in a `#.` comment. All sentences of all
    catalogs go to the model in one stream (one model load). A catalog saved by somebody else
    while this runs keeps their changes.
    """
    from ..catalog import iter_catalog_paths

    result = run_translate(iter_catalog_paths(catalogs), kw, dry_run, retranslate_fuzzy)
    click.echo(_summary(result, dry_run))
    _warn_converted(result)


# --- build ----------------------------------------------------------------------------------------


@click.command()
@click.argument("catalog", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(allow_dash=True, path_type=Path),
              help="Output file (default, or `-`: stdout).")
@click.option("--untranslated", type=click.Choice(["source", "marker", "omit"]), default="source",
              show_default=True, help="What to write for a paragraph with no translation.")
@click.option("--no-fuzzy", is_flag=True, help="Treat fuzzy (unreviewed) translations as missing.")
@click.option("--source", type=click.Path(path_type=Path),
              help="The Markdown/HTML article the catalog was made from (default: the file its "
                   "`#:` lines name); its structure is kept around the translations.")
@click.option("--article-only", is_flag=True, help="HTML: write the article alone, not the whole page.")
def build(catalog: Path, output: Path | None, untranslated: str, no_fuzzy: bool, source: Path | None,
          article_only: bool) -> None:
    """Rebuild the translated article from a PO catalog."""
    from ..build import build_catalog
    from ..catalog import load_catalog
    from ..fsutil import atomic_write_text

    text, report, how = build_catalog(load_catalog(catalog), str(source) if source else None,
                                      _rules(_config([catalog])), untranslated, not no_fuzzy, article_only)
    if how.startswith("paragraphs ("):
        click.echo(f"{catalog}: built {how}", err=True)
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return
    atomic_write_text(output, text)
    click.echo(
        f"{output}: {_count(report.paragraphs, 'paragraph')} ({report.translated} reviewed, "
        f"{_count(report.machine_drafts, 'machine draft')}, {_count(report.human_drafts, 'human draft')}, "
        f"{report.missing} untranslated)"
    )


# --- the main job -----------------------------------------------------------------------------------


@click.command("translate-article")
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to_lang", type=LANG, help="Target language (default: the other of en/ru).")
@click.option("--from", "from_lang", type=LANG, help="Source language (default: detected).")
@click.option("-d", "--locales", type=click.Path(path_type=Path), default="locales", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Draft file (one article) or folder (default: LOCALES/<lang>/<slug>.<ext>, "
                   "beside the catalogs, where `extract` never reads it).")
@engine_options
def translate_article(articles, to_lang, from_lang, locales, output, **kw) -> None:
    """The main job: segment, extract, init/update, translate and build, for each article.

    Prints where the PO catalog and the translated draft went. Re-running after the article changed
    keeps every reviewed translation and translates only what is new. Every input (the articles,
    their catalogs, the glossary, the memory, the model) is read and checked, and every file to
    write found writable, before anything is written.
    """
    from ..build import build_catalog
    from ..catalog import catalog_path, init_catalog, language_pair, load_catalog, save_catalog
    from ..errors import TolmachError
    from ..fsutil import atomic_write_text, refuse_unwritable
    from ..translate import sync_rows

    config = _config(articles)
    rules = _rules(config)
    plans: list[_ArticlePlan] = []
    taken: dict = {}
    for article in articles:  # plan and check everything first
        original = own_draft_of(article)
        if original is not None:
            raise TolmachError(f"a translated draft of {original}, not an article", article)
        art, slug, tpath, pot = _extract_one(article, locales, from_lang, rules, taken)
        tgt = to_lang or _other(art.lang)
        if tgt == art.lang:
            raise TolmachError(f"the article is already in {tgt}", article)
        plans.append(_ArticlePlan(article, art, slug, tpath, pot, catalog_path(locales, tgt, slug), tgt,
                                  _draft_path(article, output, len(articles) == 1, locales, tgt, slug)))
    # the catalogs the new templates merge into (the target locale's and any other's), read now
    merges = plan_merges(locales, [(p.article, p.art, p.slug, p.pot) for p in plans if p.target.exists()])
    current = {m.target: m.current for m in merges}
    for p in plans:
        p.catalog = current.get(p.target)
        if p.catalog is not None and language_pair(p.catalog, p.target) != (p.art.lang, p.tgt):
            raise TolmachError(f"the catalog translates another language pair; the article is {p.art.lang}",
                               p.target)
    options = translate_options(config, kw)  # the glossary read, a bad one refused
    targets = [p.target for p in plans]
    synced = None
    if options.memory_path is not None:
        _check_memory(options.memory_path)
        synced = sync_rows(_siblings(targets), targets)  # the folders' other catalogs, read now
    engines = {}  # each language pair's engine, its model loaded where the run needs it
    factory = _make_engine_factory(kw)
    for p in plans:
        pair = (p.art.lang, p.tgt)
        if pair not in engines:
            engines[pair] = factory(*pair)  # a missing model is an error now
        p.wanted = _wanted_sentences(p.art, p.catalog, options)
        if kw.get("recorded") is not None:
            if kw.get("recorded_missing", "error") == "error":
                kw["recorded"].require(p.wanted)  # a sentence the file lacks: an error now
        elif p.wanted:
            engines[pair].load()  # a corrupt model, a bad --compute-type or --device: an error now
    refuse_unwritable(
        [p.tpath for p in plans if _template_changed(p.pot, p.tpath)]
        + [m.target for m in merges if m.merged is not None]
        + [p.target for p in plans if p.catalog is None or p.wanted]  # new, or to translate
        + [p.draft for p in plans]
    )
    # --- nothing was written up to here ---
    for p in plans:
        _save_template(p.pot, p.tpath)
    merge_catalogs(merges, options.memory_path, echo=lambda *_: None)
    for p in plans:
        if p.catalog is None:
            save_catalog(init_catalog(p.pot, p.tgt), p.target)

    def ready(src: str, tgt: str):  # the engines made above, their models loaded once
        engine = engines.pop((src, tgt), None)
        return engine if engine is not None else factory(src, tgt)

    result = run_translate(targets, kw, options=options, engine_factory=ready, synced=synced)
    click.echo(_summary(result, False))
    _warn_converted(result)
    for p in plans:
        text, report, _ = build_catalog(load_catalog(p.target), str(p.article), rules)
        atomic_write_text(p.draft, text)
        click.echo(f"catalog: {p.target}")
        click.echo(f"draft:   {p.draft} ({_count(report.machine_drafts, 'machine draft')} to review, "
                   f"{_count(report.human_drafts, 'human draft')}, {report.translated} reviewed)")


@dataclass
class _ArticlePlan:
    """One article of translate-article, everything about it read before anything is written."""

    article: Path
    art: object  # tolmach.segment.Article
    slug: str
    tpath: Path  # its template
    pot: object  # the template (polib.POFile; the file's own when unchanged)
    target: Path  # its catalog
    tgt: str  # the target language
    draft: Path  # where its translated draft goes
    catalog: object | None = None  # the catalog as read; None: not made yet
    wanted: list = field(default_factory=list)  # sentences without a translation (_wanted_sentences)


def _draft_path(article: Path, output: Path | None, single: bool, locales: Path, tgt: str, slug: str) -> Path:
    """Where the translated draft of ``article`` goes (see translate-article's ``-o``)."""
    suffix = article.suffix or ".txt"
    if output is not None and single and output.suffix:
        return output
    if output is not None:
        return output / f"{article.stem}.{tgt}{suffix}"
    return locales / tgt / f"{slug}{suffix}"


def _wanted_sentences(art, catalog, options) -> list[str]:
    """The sentences of the article's units that have no translation in its catalog (``None``: no
    catalog yet), which the run may send to the engine. More than it sends (the memory or the MT
    cache may have some), never fewer: what the engine must be able to do is checked on them
    before anything is written."""
    from ..credits import TRANSLATE
    from ..state import has_translation

    done = {e.msgid for e in catalog if has_translation(e)} if catalog is not None else set()
    return [s for block in art.units
            if (block.kind != "credit" or options.credits == TRANSLATE) and block.text not in done
            for s in block.sentences]
