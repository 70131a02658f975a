"""``tolmach memory``: fill the translation memory from catalogs, exchange it as TMX, query it."""

from __future__ import annotations

import click

from . import NumberRange
from . import count as _count


def _open_memory(path: str | None, read_only: bool = False, config=None):
    """The memory at ``path`` (default: the memory of ``config``, else of the current folder's
    project). ``read_only``: for a command that only reads it (export, lookup), which must neither
    create a memory where there is none (a typo in --memory) nor change the file."""
    from pathlib import Path

    from ..config import project_config
    from ..errors import TolmachError
    from ..memory import TranslationMemory

    if path is None:
        path = str((config if config is not None else project_config()).memory_path())
    if read_only and not Path(path).exists():
        raise TolmachError("no such translation memory (`tolmach memory sync` or `import` makes one)", path)
    return TranslationMemory(path, read_only=read_only)


memory_option = click.option(
    "--memory",
    "memory_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Translation memory file [default: `memory` in the configuration,"
    " else .tolmach/memory.sqlite].",
)


@click.group("memory")
def memory_group() -> None:
    """The translation memory: reviewed paragraphs reused by `tolmach translate`."""


@memory_group.command("sync")
@click.argument("paths", nargs=-1, type=click.Path())
@memory_option
def sync_command(paths: tuple[str, ...], memory_path: str | None) -> None:
    """Add the reviewed units of catalogs to the memory.

    PATHS are PO files or folders (default: the locales folder). Only translated entries that are
    neither fuzzy nor obsolete are taken; a source already in the memory takes the newer
    translation, and where two catalogs disagree, the one saved last wins.
    """
    from ..config import project_config
    from ..memory import reviewed_units_of
    from ..stats import find_catalogs

    config = project_config(paths)  # the memory of the project the catalogs are in
    catalogs = find_catalogs(paths or [str(config.locales_dir())])
    # every catalog is read before the memory is opened: a bad one changes nothing
    units = reviewed_units_of(catalogs)
    with _open_memory(memory_path, config=config) as tm:
        changed = tm.add_many(units)
        total = len(tm)
    click.echo(f"{_count(changed, 'unit')} new or changed from {_count(len(catalogs), 'catalog')}; {total} in memory")


@memory_group.command("import")
@click.option("--tmx", "tmx_path", required=True, type=click.Path(dir_okay=False),
              help="TMX file to read.")
@memory_option
def import_command(tmx_path: str, memory_path: str | None) -> None:
    """Add the translation units of a TMX file to the memory."""
    from pathlib import Path

    from ..memory import read_tmx

    rows = read_tmx(Path(tmx_path))  # a bad file is refused before the memory is created
    with _open_memory(memory_path) as tm:
        changed = tm.add_many(rows)
    click.echo(f"{_count(changed, 'unit')} new or changed from {tmx_path}")


@memory_group.command("export")
@click.option("--tmx", "tmx_path", required=True, type=click.Path(dir_okay=False),
              help="TMX file to write (replaced atomically).")
@click.option("--from", "source_lang", default=None, help="Only units from this language.")
@click.option("--to", "target_lang", default=None, help="Only units into this language.")
@memory_option
def export_command(
    tmx_path: str, source_lang: str | None, target_lang: str | None, memory_path: str | None
) -> None:
    """Write the memory as a TMX 1.4 file."""
    with _open_memory(memory_path, read_only=True) as tm:
        written = tm.export_tmx(tmx_path, source_lang, target_lang)
    click.echo(f"{_count(written, 'unit')} written to {tmx_path}")


@memory_group.command("lookup")
@click.argument("text")
@click.option("--from", "source_lang", required=True, help="Language of TEXT (en, ru).")
@click.option("--to", "target_lang", required=True, help="Language wanted.")
@click.option("--threshold", type=NumberRange(0, 100, min_open=True), default=None,
              help="Least fuzzy similarity, 0-100 [default: fuzzy_threshold, else 75].")
@click.option("--limit", type=click.IntRange(1), default=3, show_default=True,
              help="Most fuzzy matches to show.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@memory_option
def lookup_command(
    text: str,
    source_lang: str,
    target_lang: str,
    threshold: float | None,
    limit: int,
    fmt: str,
    memory_path: str | None,
) -> None:
    """Show the exact match and fuzzy matches of TEXT. Exit code 1 when there is none.

    JSON: {"exact": str|null, "fuzzy": [{"source", "target", "score", "origin"}]}.
    """
    import json
    from dataclasses import asdict

    from ..config import project_config

    if threshold is None:
        threshold = project_config().fuzzy_threshold
    with _open_memory(memory_path, read_only=True) as tm:
        exact = tm.exact(text, source_lang, target_lang)
        matches = tm.fuzzy(text, source_lang, target_lang, threshold=threshold, limit=limit)
    if fmt == "json":
        click.echo(json.dumps(
            {"exact": exact, "fuzzy": [asdict(m) for m in matches]}, ensure_ascii=False, indent=2
        ))
    else:
        if exact is not None:
            click.echo(f"exact: {exact}")
        for m in matches:
            click.echo(f"{m.score:5.1f}  {m.source}\n       -> {m.target}  [{m.origin}]")
    if exact is None and not matches:
        if fmt == "text":
            click.echo("no match", err=True)
        click.get_current_context().exit(1)
