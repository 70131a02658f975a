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
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_models(available: bool, index_url: str | None, fmt: str) -> None:
    """List installed models (with the sha256 of the package each was installed from)."""
    import json
    from dataclasses import asdict

    from .. import models

    if available:
        offered = [p for p in models.available_models(index_url)
                   if p.type == "translate" and {p.from_code, p.to_code} <= {"en", "ru"}]
        if fmt == "json":
            click.echo(json.dumps([dict(asdict(p), name=p.name) for p in offered], indent=2))
            return
        for p in offered:
            size = f"{p.size / 1e6:7.1f} MB" if p.size else "   size ?"
            click.echo(f"{p.from_code}->{p.to_code}  {p.version:<6} {p.name:<28} {size}"
                       + (f"  sha256:{p.sha256}" if p.sha256 else ""))
        return
    found = models.installed_models()
    if fmt == "json":
        click.echo(json.dumps([dict(asdict(m), path=str(m.path)) for m in found], indent=2))
        return
    if not found:
        click.echo(f"no models installed in {models.models_dir()}; "
                   "install one with: tolmach models install en ru")
        return
    for m in found:
        # 16 hex digits identify the package; --format json gives all 64
        digest = f"sha256:{m.sha256[:16]}" if m.sha256 else "sha256:(not installed by tolmach)"
        click.echo(f"{m.from_code}->{m.to_code}  {m.version:<6} {m.name:<28} "
                   f"{m.size / 1e6:7.1f} MB  {digest}  {m.path}")


def _report(result) -> None:
    m = result.model
    for old in result.replaced:
        click.echo(f"replaced {old.name} {old.version}" + (f" (sha256:{old.sha256[:16]})" if old.sha256 else "")
                   + f" by {m.name} {m.version}")
    click.echo(f"installed {m.name} ({m.from_code}->{m.to_code} {m.version}) in {m.path}, "
               f"sha256:{m.sha256}")


@models_group.command("install")
@click.argument("langs", nargs=-1)
@click.option("--file", "files", type=click.Path(path_type=Path), multiple=True,
              help="Install from a local .argosmodel file instead of the index.")
@click.option("--index-url", help="Package index URL (default: $TOLMACH_PACKAGE_INDEX or Argos's).")
@click.option("--force", is_flag=True,
              help="Reinstall the same version or install an older one over a newer.")
def install(langs: tuple[str, ...], files: tuple[Path, ...], index_url: str | None, force: bool) -> None:
    """Install a model: `tolmach models install en ru`, or `--file X.argosmodel`.

    Downloads are checked against the size and checksum the index gives, and every package is
    checked before it replaces anything: an installed package is replaced only by a newer version
    unless --force is given. Several --file packages are installed all or none.
    """
    from .. import models

    if files:
        if langs:
            raise click.UsageError("give either FROM TO or --file, not both")
        for result in models.install_files(list(files), force=force):
            _report(result)
        return
    if len(langs) != 2:
        raise click.UsageError("give the language pair, e.g. `tolmach models install en ru`")
    _report(models.install_pair(langs[0], langs[1], index_url, force=force))


@models_group.command("remove")
@click.argument("what", nargs=-1, required=True)
def remove(what: tuple[str, ...]) -> None:
    """Remove a model: `tolmach models remove en ru` or by folder name.

    A package folder that is a symbolic link is removed as a link: its target stays.
    """
    import os

    from .. import models

    if len(what) not in (1, 2):
        raise click.UsageError("give FROM TO or a model name")
    links = {m.path: os.readlink(m.path) for m in models.installed_models() if m.path.is_symlink()}
    for m in models.remove_model(*what):
        if m.path in links:
            click.echo(f"removed the link {m.name} from {m.path.parent} (its target {links[m.path]} is kept)")
        else:
            click.echo(f"removed {m.name} from {m.path.parent}")
