"""``tolmach glossary``: lint, export and import glossaries; find terms in a sentence."""

import click

from . import count as _count


def _glossary_paths(paths: tuple[str, ...]) -> list[str]:
    """The paths given, else the configuration's ``glossary``, else ``glossaries/``."""
    if paths:
        return list(paths)
    from ..config import project_config

    config = project_config()
    found, _ = config.glossary_paths()
    return [str(p) for p in found] or [str(config.root / "glossaries")]


@click.group("glossary")
def glossary_group() -> None:
    """Domain glossaries (CSV/TSV in glossaries/): lint, export, import."""


@glossary_group.command("lint")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def lint_command(paths: tuple[str, ...], fmt: str) -> None:
    """Report duplicates, conflicts, malformed rows, non-Russian targets and overlapping entries.

    Exit code 1 when there are errors, 0 otherwise (warnings only).
    """
    import json

    from ..glossary.lint import ERROR, lint_paths

    findings = lint_paths(_glossary_paths(paths))
    if fmt == "json":
        click.echo(json.dumps([f.__dict__ for f in findings], ensure_ascii=False, indent=2))
    else:
        for f in findings:
            click.echo(f"{f.location()}: {f.severity}: {f.message} [{f.code}]")
        errors = sum(f.severity == ERROR for f in findings)
        click.echo(f"{_count(errors, 'error')}, {_count(len(findings) - errors, 'warning')}", err=True)
    if any(f.severity == ERROR for f in findings):
        raise SystemExit(1)


@glossary_group.command("export")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--tbx", "tbx_out", type=click.Path(dir_okay=False), help="Write a TBX file (Weblate, OmegaT).")
@click.option(
    "--forms",
    "forms_out",
    type=click.Path(dir_okay=False),
    help="Write a two-column TSV with every inflected form of each Russian term (exact-match systems).",
)
@click.option(
    "--direction",
    type=click.Choice(["en-ru", "ru-en"]),
    default="en-ru",
    show_default=True,
    help="Column order of --forms.",
)
def export_command(paths: tuple[str, ...], tbx_out: str | None, forms_out: str | None, direction: str) -> None:
    """Export the glossary as TBX and/or as a TSV of inflected forms."""
    from ..errors import TolmachError
    from ..glossary import load_glossary

    if not tbx_out and not forms_out:
        raise TolmachError("nothing to export: give --tbx FILE and/or --forms FILE")
    glossary = load_glossary(_glossary_paths(paths))
    if tbx_out:
        from ..glossary.tbx import export_tbx

        export_tbx(glossary.terms, tbx_out)
        click.echo(f"wrote {_count(len(glossary), 'term')} to {tbx_out}", err=True)
    if forms_out:
        from ..glossary.forms import export_forms

        export_forms(glossary, forms_out, direction)
        click.echo(f"wrote the inflected forms of {_count(len(glossary), 'term')} to {forms_out}", err=True)


@glossary_group.command("import")
@click.option("--tbx", "tbx_in", type=click.Path(dir_okay=False), required=True, help="TBX file to read.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="CSV (or .tsv) to write.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
def import_command(tbx_in: str, output: str, force: bool) -> None:
    """Convert a TBX glossary into Tolmach's CSV format."""
    from pathlib import Path

    from ..errors import TolmachError
    from ..glossary import write_glossary
    from ..glossary.tbx import read_tbx

    if Path(output).exists() and not force:
        raise TolmachError("output exists (use --force to overwrite)", output)
    terms, skipped = read_tbx(tbx_in)
    if not terms:  # an empty glossary is never what an import is for
        raise TolmachError("no terms with an English source and a Russian target in the TBX file", tbx_in)
    write_glossary(terms, output)
    left = ""
    if skipped:
        lines = ", ".join(map(str, skipped[:5])) + (", …" if len(skipped) > 5 else "")
        left = f"; left out {_count(len(skipped), 'entry', 'entries')} without an English and a Russian term (line {lines})"
    click.echo(f"wrote {_count(len(terms), 'term')} to {output}{left}", err=True)


@glossary_group.command("find")
@click.argument("text")
@click.option("--lang", type=click.Choice(["en", "ru"]), default="en", show_default=True)
@click.option("-g", "--glossary", "paths", multiple=True, type=click.Path(), help="Glossary file or folder.")
def find_command(text: str, lang: str, paths: tuple[str, ...]) -> None:
    """Show the glossary terms found in TEXT."""
    from ..glossary import load_glossary

    glossary = load_glossary(_glossary_paths(paths))
    for m in glossary.find(text, lang):
        click.echo(f"{m.start}-{m.end}\t{m.text}\t{m.term.source} = {m.term.target}")
