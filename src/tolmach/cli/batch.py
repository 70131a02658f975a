"""`tolmach batch`: translate-article for a whole archive, on a Ray cluster (tolmach.cluster)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import count, warn
from .pipeline import LANG, _config, _rules, engine_options, translate_options


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--ray", "address", default="local", show_default=True, metavar="ADDRESS",
              help="Ray cluster: `auto`, HOST:PORT, ray://HOST:PORT, or `local` (start one for this run).")
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True,
              help="Translation workers (Ray actors), each with its own copy of the model.")
@click.option("--threads", type=click.IntRange(1), default=1, show_default=True,
              help="CTranslate2 threads per worker (CPUs each worker reserves).")
@click.option("--to", "to_lang", type=LANG, help="Target language (default: the other of en/ru).")
@click.option("--from", "from_lang", type=LANG, help="Source language (default: detected).")
@click.option("-d", "--locales", type=click.Path(path_type=Path), default="locales", show_default=True,
              help="Catalog folder; on a cluster, a folder every node sees at the same path.")
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False),
              help="Draft folder (default: LOCALES/<lang>/<slug>.<ext>, beside the catalogs).")
@click.option("--articles-per-batch", type=click.IntRange(1), default=32, show_default=True,
              help="Articles a worker translates in one call.")
@click.option("--window", type=click.IntRange(0), default=0,
              help="Articles handed to the cluster at a time (bounds the driver's memory; "
                   "default: 8 rounds of all workers, at least 1000).")
@engine_options
def batch(sources, address, workers, threads, to_lang, from_lang, locales, output, articles_per_batch,
          window, **kw) -> None:
    """Translate an archive on a Ray cluster: what translate-article does, for every article.

    SOURCES: article files, folders (every .txt/.md under them), glob patterns, or JSONL/Parquet
    exports with one article per record (`id`, `text`, optional `language`). Catalogs and drafts are
    the same as `tolmach translate-article` writes. Re-running skips what is done: finished
    articles send nothing to the model. Needs the `ray` extra: pip install "tolmach[ray]". Each
    worker runs `--threads` CTranslate2 threads (`--intra-threads`/`--inter-threads` are not used).
    """
    from ..cluster import BatchOptions, check_models, connect, count_articles, import_ray, run_batch

    import_ray()  # before anything else: without Ray, one line saying how to install it
    config = _config(sources)
    engine = dict(beam_size=kw["beam_size"], compute_type=kw["compute_type"], device=kw["device"],
                  max_batch_tokens=kw["max_batch_tokens"], batch_invariant=kw["batch_invariant"])
    run = translate_options(config, kw)  # as translate-article's, so that both write the same
    options = BatchOptions(
        locales=locales, to_lang=to_lang, from_lang=from_lang, output=output, engine=engine,
        package=kw["package"], translate=run, glossary=run.glossary, memory_path=run.memory_path,
        fuzzy_threshold=run.fuzzy_threshold, accept_exact=run.accept_exact, rules=_rules(config), workers=workers, threads=threads, articles_per_batch=articles_per_batch,
        window=window,
    )
    total = count_articles(sources, locales)
    check_models(options)  # a missing model is an error before a cluster is started or joined
    connect(address, num_cpus=workers * threads + 1 if address == "local" else None)
    tty = sys.stderr.isatty()
    step = max(1, total // 20)

    def progress(done: int, total: int, article) -> None:
        if article.error:
            click.echo(f"tolmach: error: {article.error}", err=True)
        for note in article.converted:
            warn(note)
        if tty:
            click.echo(f"\rbatch: {done}/{count(total, 'article')}", err=True, nl=False)
        elif done % step == 0 or done == total:
            click.echo(f"batch: {done}/{count(total, 'article')}", err=True)

    result = run_batch(sources, options, progress, total=total)
    if tty:
        click.echo("", err=True)
    t = result.totals
    click.echo(
        f"{count(result.articles, 'article')}: filled {count(t.get('written', 0), 'entry', 'entries')}, "
        f"{t.get('from_memory', 0)} from memory, {t.get('machine', 0)} by machine translation "
        f"({count(t.get('sentences', 0), 'sentence')}, {t.get('cache_hits', 0)} cached, "
        f"{t.get('model_calls', 0)} sent to the model); {count(t.get('machine_drafts', 0), 'machine draft')} "
        "to review" + (f"; {count(len(result.errors), 'article')} failed (see above)" if result.errors else "")
    )
    if result.errors:
        sys.exit(2)
