"""`tolmach models`: list, install (from the package index or a file) and remove Argos packages."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("models")
def models_group() -> None:
    """Translation models (Argos Translate packages).

    Packages live in $TOLMACH_MODELS_DIR, else $ARGOS_PACKAGES_DIR, else argostranslate's default
    folder, so argostranslate sees the same models.
    """


@models_group.command("list")
@click.option("--available", is_flag=True, help="List the package index's EN<->RU models instead.")
@click.option("--index-url", help="Package index URL (default: $TOLMACH_PACKAGE_INDEX or Argos's).")
def list_models(available: bool, index_url: str | None) -> None:
    """List installed models."""
    from .. import models

    if available:
        for p in models.available_models(index_url):
            if p.type == "translate" and {p.from_code, p.to_code} <= {"en", "ru"}:
                click.echo(f"{p.from_code}->{p.to_code}  {p.package_version:<6} {models.argos_name(p)}")
        return
    found = models.installed_models()
    if not found:
        click.echo(f"no models installed in {models.models_dir()}; "
                   "install one with: tolmach models install en ru")
        return
    for m in found:
        click.echo(f"{m.from_code}->{m.to_code}  {m.version:<6} {m.name:<28} "
                   f"{m.size / 1e6:7.1f} MB  {m.path}")


@models_group.command("install")
@click.argument("langs", nargs=-1)
@click.option("--file", "files", type=click.Path(path_type=Path), multiple=True,
              help="Install from a local .argosmodel file instead of the index.")
@click.option("--index-url", help="Package index URL (default: $TOLMACH_PACKAGE_INDEX or Argos's).")
def install(langs: tuple[str, ...], files: tuple[Path, ...], index_url: str | None) -> None:
    """Install a model: `tolmach models install en ru`, or `--file X.argosmodel`."""
    from .. import models

    if files:
        if langs:
            raise click.UsageError("give either FROM TO or --file, not both")
        for f in files:
            m = models.install_file(f)
            click.echo(f"installed {m.name} ({m.from_code}->{m.to_code} {m.version}) in {m.path}")
        return
    if len(langs) != 2:
        raise click.UsageError("give the language pair, e.g. `tolmach models install en ru`")
    m = models.install_pair(langs[0], langs[1], index_url)
    click.echo(f"installed {m.name} ({m.from_code}->{m.to_code} {m.version}) in {m.path}")


@models_group.command("remove")
@click.argument("what", nargs=-1, required=True)
def remove(what: tuple[str, ...]) -> None:
    """Remove a model: `tolmach models remove en ru` or by folder name."""
    from .. import models

    if len(what) == 2:
        removed = models.remove_model(what[0], what[1])
    elif len(what) == 1:
        removed = models.remove_model(what[0])
    else:
        raise click.UsageError("give FROM TO or a model name")
    for m in removed:
        click.echo(f"removed {m.name} from {m.path.parent}")


COMMANDS = [models_group]
