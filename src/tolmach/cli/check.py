"""``tolmach check``: glossary and quality checks over PO files, for people and for CI."""

from __future__ import annotations

import click

from . import NumberRange
from . import count as _count

FORMATS = ("text", "json", "junit", "sarif", "github")  # tolmach.checks.report.FORMATS


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "-g",
    "--glossary",
    "glossaries",
    multiple=True,
    type=click.Path(),
    help="Glossary file or folder (repeatable) [default: `glossary` in the configuration, "
    "else a glossaries/ folder if there is one].",
)
@click.option("--no-glossary", is_flag=True, help="Run without the glossary check even if a glossary is found.")
@click.option(
    "--fuzzy/--no-fuzzy",
    "include_fuzzy",
    default=False,
    show_default=True,
    help="Also check fuzzy entries (untranslated and obsolete ones never are).",
)
@click.option(
    "-d",
    "--disable",
    "disable",
    multiple=True,
    metavar="ID",
    help="Switch a check off (repeatable; adds to [checks] disable in the configuration).",
)
@click.option("--only", "only", multiple=True, metavar="ID", help="Run only these checks (repeatable).")
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1), not only errors.")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Report format: text, json, junit (XML), sarif (2.1.0) or github (workflow annotations).",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default=None,
    help="Write the report to this file (atomically), not stdout; a summary line goes to stderr.",
)
@click.option(
    "--min-confidence", type=NumberRange(0, 1), default=None,
    help="Warn about machine drafts the model scored under this confidence (0-1; implies --fuzzy).",
)
@click.option(
    "--no-cache", is_flag=True,
    help="Check every file again instead of reusing the results of files unchanged since the last run "
    "(the cache is invalidated by any change to a file, the glossary, the configuration or the code).",
)
@click.option("--list-checks", is_flag=True, help="List the installed checks and exit.")
def check_command(
    paths: tuple[str, ...],
    glossaries: tuple[str, ...],
    no_glossary: bool,
    include_fuzzy: bool,
    disable: tuple[str, ...],
    only: tuple[str, ...],
    strict: bool,
    fmt: str,
    output: str | None,
    no_cache: bool,
    list_checks: bool,
    min_confidence: float | None = None,
) -> None:
    """Check translations against the glossary and for quality.

    PATHS are PO files or folders searched for *.po (default: the `locales` folder of the
    configuration, else ./locales). Every translated entry is checked: glossary terms of the source
    rendered in the target, numbers, quotes, final punctuation, untranslated copies, Latin letters
    in Russian, URLs and placeholders, length ratio, double spaces, sentence count. See
    `--list-checks` for ids and severities.

    \b
    Switch checks off for a project with `[checks] disable = ["id", ...]` in
    tolmach.toml or --disable ID, and for one entry with a
    `# tolmach: skip-check ID[, ID...]` translator comment (it survives Poedit,
    msgcat and msgmerge, which drop a `#, no-ID-check` flag and `#.` comments;
    both are read too).

    Exit status: 0 when nothing fails, 1 when there are errors (or warnings, with --strict),
    2 on bad input (a malformed PO file, an unknown check id, a missing path).
    """
    from ..checks import report, runner
    from ..config import project_config

    if list_checks:
        _list_checks(runner)
        return
    # The project is the one the checked files are in, wherever `check` is run from.
    config = project_config(paths)
    if not paths:
        from .reports import shown

        paths = (str(shown(config.locales_dir())),)
    result = runner.check_paths(
        paths,
        glossary=glossaries or None,
        use_glossary=not no_glossary,
        include_fuzzy=include_fuzzy,
        disable=disable,
        only=only,
        config=config,
        check_options={"confidence": {"min_confidence": min_confidence}} if min_confidence is not None else None,
        cache=not no_cache,
    )
    _warn(result, include_fuzzy)
    text = report.render(result, fmt, strict=strict)
    if output and output != "-":
        _write_report(output, text)
        click.echo(report.summary(result), err=True)
    else:
        click.echo(text, nl=False)
    if result.failed(strict):
        click.get_current_context().exit(1)


def _warn(result, include_fuzzy: bool) -> None:
    """Say on stderr what the run did not check, so that a clean report is not taken for more."""
    # (not where the glossary check is switched off: --no-glossary, --disable, --only, [checks])
    if result.glossary_wanted and not result.glossary_used:
        click.echo("tolmach: warning: no glossary applies (none given, configured or in a glossaries/ "
                   "folder of the project): the glossary check did not run", err=True)
    if not result.checks:
        click.echo("tolmach: warning: no checks ran", err=True)
    if result.skipped_fuzzy and not include_fuzzy:
        click.echo(f"tolmach: {_count(result.skipped_fuzzy, 'fuzzy entry', 'fuzzy entries')} not checked "
                   "(machine or human drafts; --fuzzy checks them too)", err=True)


def _write_report(output: str, text: str) -> None:
    from ..fsutil import atomic_write_text

    atomic_write_text(output, text)  # a device or pipe (/dev/stdout) is written into, not replaced


def _list_checks(runner) -> None:
    classes = runner.check_classes()
    for cls in classes:
        click.echo(f"{cls.id:<16} {cls.severity:<8} {cls.description}")
    if runner.GLOSSARY_CHECK in runner.discover_checks() and not any(c.id == runner.GLOSSARY_CHECK for c in classes):
        click.echo(f"{runner.GLOSSARY_CHECK:<16} {'':<8} (not available in this installation)")
