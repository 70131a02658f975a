"""``tolmach export --xliff`` / ``tolmach import --xliff``: catalogs to and from CAT tools (XLIFF 1.2)."""

from __future__ import annotations

import click

from . import count as _count
from . import warn


@click.command("export")
@click.option("--xliff", "xliff_path", required=True, type=click.Path(dir_okay=False), metavar="OUT",
              help="Write an XLIFF 1.2 file (one <file> per catalog).")
@click.argument("catalogs", nargs=-1, required=True, type=click.Path(), metavar="PO...")
def export_command(xliff_path: str, catalogs: tuple[str, ...]) -> None:
    """Export PO catalogs (files or folders) to one XLIFF 1.2 file for a CAT tool.

    Untranslated entries have no <target>; fuzzy ones state="needs-review-translation", reviewed
    ones state="translated". msgctxt is the unit's resname (and id), #. and # comments are notes,
    #: references, flags and #| previous strings travel too, so nothing is lost on the way back.
    Obsolete entries are left out (they stay in the catalog).
    """
    from ..catalog import iter_catalog_paths
    from ..xliff import export_xliff

    paths = iter_catalog_paths(catalogs)
    units = export_xliff(xliff_path, paths)
    click.echo(f"exported {_count(units, 'unit')} from {_count(len(paths), 'catalog')} to {xliff_path}")


@click.command("import")
@click.option("--xliff", "xliff_path", required=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="The XLIFF 1.2 file a CAT tool gave back.")
@click.argument("catalogs", nargs=-1, type=click.Path(), metavar="[PO...]")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
def import_command(xliff_path: str, catalogs: tuple[str, ...], dry_run: bool) -> None:
    """Merge translations from an XLIFF file back into their PO catalogs.

    The catalogs are those the XLIFF's <file original="..."> name, or the PO files given. Targets,
    their state (needs-review -> fuzzy; translated/signed-off/final -> reviewed) and translator
    notes are taken; an empty target or state="new" changes nothing, and a reviewed translation is
    never replaced by one that still needs review. A human draft or a reviewed translation takes
    only a target changed in the CAT tool, and only if nobody changed it in the catalog since the
    export (else it is kept and reported). An XLIFF whose units are not exactly the
    catalog's entries (the catalog changed since the export), or whose source-language or
    target-language is not the catalog's, is refused, as is a malformed one: exit 2, nothing
    written.
    """
    from ..xliff import import_xliff

    for report in import_xliff(xliff_path, list(catalogs), dry_run=dry_run):
        parts = [f"{report.reviewed} reviewed", f"{report.fuzzy} needing review", f"{report.unchanged} unchanged"]
        if report.comments:
            parts.append(_count(report.comments, "translator comment"))
        verb = "would take" if dry_run else "took"
        click.echo(f"{report.catalog}: {verb} {', '.join(parts)}")
        if report.kept_reviewed:
            click.echo(f"{report.catalog}: kept {_count(len(report.kept_reviewed), 'reviewed translation')} that "
                       f"the XLIFF marks as needing review: {_ids(report.kept_reviewed)}", err=True)
        if report.conflicts:
            click.echo(f"{report.catalog}: kept {_count(len(report.conflicts), 'translation')} that a person "
                       f"changed in the catalog since the export, where the XLIFF has other text (the XLIFF's is not "
                       f"taken; compare them by hand): {_ids(report.conflicts)}", err=True)
        if report.unrecorded:
            click.echo(f"{report.catalog}: kept {_count(len(report.unrecorded), 'human translation')} that the "
                       f"XLIFF would replace: it does not record what was exported, so the catalog's text may be "
                       f"the newer one (compare them by hand, or export again): {_ids(report.unrecorded)}",
                       err=True)
        if report.converted:
            warn(report.converted)


def _ids(ids: list[str]) -> str:
    return ", ".join(ids[:5]) + (" …" if len(ids) > 5 else "")
