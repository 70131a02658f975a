"""``tolmach stats`` (catalog progress) and ``tolmach compile`` (MO files)."""

from __future__ import annotations

import click

from . import count as _count


def _resolve(targets: tuple[str, ...]) -> list[str]:
    """Each argument is a PO file or folder, or else a locale code under the locales folder."""
    import os
    from pathlib import Path

    from ..config import project_config
    from ..errors import TolmachError

    # the project of the files and folders named (a locale code is one of its locales)
    locales = shown(project_config(t for t in targets if Path(t).exists()).locales_dir())
    if not targets:
        if not locales.is_dir():
            raise TolmachError("no locales folder; name PO files or folders", locales)
        return [str(locales)]
    resolved = []
    for target in targets:
        if Path(target).exists():
            resolved.append(target)
        elif (locales / target).is_dir():
            resolved.append(str(locales / target))
        elif os.path.lexists(target):  # a link that leads nowhere: say so, not "no such file"
            from ..fsutil import not_found

            raise not_found(target)
        else:
            raise TolmachError(f"no such PO file, folder or locale (looked in {locales})", target)
    return resolved


def shown(path):
    """``path`` relative to the working folder where it is inside it: files found in the project's
    locales folder (``stats ru``, ``check`` without paths) are named as ``stats locales`` names them."""
    from pathlib import Path

    try:
        return path.relative_to(Path.cwd().resolve())
    except ValueError:
        return path


STATS_SCHEMA = """\b
JSON (--format json):
  {"version": 1,
   "files":   [{"path": str, "locale": str, COUNTS}],
   "locales": [{"locale": str, "files": int, COUNTS}],
   "total":   {"files": int, COUNTS}}
where COUNTS is
  "translated", "fuzzy", "untranslated", "obsolete", "machine_draft", "human_draft",
  "total": {"units": int, "words": int},
  "percent_words": float   (translated words / live words, 0-100, rounded down)
  "confidence": {"drafts": int, "scored": int, "low": int, "medium": int, "high": int,
                 "min": float|null, "median": float|null}
                (machine drafts with a confidence note: low < 0.3 <= medium < 0.5 <= high)
"total" counts live units: translated + fuzzy + untranslated (obsolete left out).
"translated" is reviewed; "fuzzy" = "machine_draft" (untouched machine output) +
"human_draft" (a fuzzy entry a person wrote or edited, or a plural entry
with a form empty or missing).
"""


@click.command("stats", epilog=STATS_SCHEMA)
@click.argument("targets", nargs=-1, metavar="[LOCALE|PATH]...")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="A rich table, or JSON (schema below).")
def stats_command(targets: tuple[str, ...], fmt: str) -> None:
    """Translation progress per locale and file: units and source words translated, fuzzy
    (awaiting review) and untranslated.

    Arguments are locale codes (folders of the locales folder, e.g. `ru`), PO files or folders;
    default: every catalog under the locales folder. Templates (.pot) are skipped.
    """
    from ..stats import collect_stats, stats_to_json

    stats = collect_stats(_resolve(targets), explicit=bool(targets))
    if fmt == "json":
        import json

        click.echo(json.dumps(stats_to_json(stats), ensure_ascii=False, indent=2))
        return
    _print_table(stats)


def _short(path) -> str:
    """``locales/ru/LC_MESSAGES/a.po`` -> ``a.po``: the locale has its own column."""
    return path.name if path.parent.name == "LC_MESSAGES" else str(path)


def _done(s) -> str:
    """The Done column, rounded down: 100% only when every unit is reviewed (an untranslated
    "2024" has no words), and "<1%" rather than 0% once something is."""
    if s.translated_units == s.total_units:
        return "100%"
    done = min(99, int(s.percent_words_down()))
    return "<1%" if not done and s.translated_units else f"{done}%"


def _print_table(stats) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..stats import locale_totals

    table = Table(title="Translation progress (units; Done: share of source words reviewed)")
    table.add_column("Locale")
    table.add_column("File", no_wrap=True)
    for name in ("Reviewed", "Machine drafts", "Human drafts", "Untranslated", "Done"):
        table.add_column(name, justify="right")

    def cells(s):
        return [
            str(s.translated_units),
            str(s.machine_draft_units),
            str(s.human_draft_units),
            str(s.untranslated_units),
            _done(s),
        ]

    totals = locale_totals(stats)
    for locale, total in totals.items():
        for s in (s for s in stats if s.locale == locale):
            table.add_row(locale, _short(s.path), *cells(s))
        table.add_row(f"[bold]{locale}[/bold]", "[bold]all files[/bold]", *cells(total),
                      end_section=True)
    Console().print(table)
    obsolete = sum(s.obsolete_units for s in stats)
    if obsolete:
        click.echo(f"({_count(obsolete, 'obsolete entry', 'obsolete entries')} kept for paragraphs "
                   "that left their articles)")
    if any(s.confidence for s in stats):
        Console().print(_confidence_table(stats))
    if not stats:
        click.echo("no catalogs found", err=True)


def _confidence_table(stats):
    """Machine drafts per file by confidence band (low < 0.3 <= medium < 0.5 <= high) and the
    weakest score (see `tolmach review-queue`)."""
    from rich.table import Table

    from ..review import distribution

    table = Table(title="Machine drafts by confidence")
    for name in ("Locale", "File"):
        table.add_column(name)
    for name in ("Low", "Medium", "High", "Unscored", "Weakest"):
        table.add_column(name, justify="right")
    for s in stats:
        d = distribution(s.confidence)
        if d["drafts"]:
            weakest = f"{d['min']:.2f}" if d["min"] is not None else "-"
            table.add_row(s.locale, _short(s.path), str(d["low"]), str(d["medium"]), str(d["high"]),
                          str(d["drafts"] - d["scored"]), weakest)
    return table


@click.command("compile")
@click.argument("targets", nargs=-1, metavar="[LOCALE|PATH]...")
@click.option("--use-fuzzy", is_flag=True,
              help="Also compile fuzzy entries (like msgfmt --use-fuzzy).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True,
              help='JSON: [{"po": str, "mo": str, "messages": int, "incomplete_plurals": int}].')
def compile_command(targets: tuple[str, ...], use_fuzzy: bool, fmt: str) -> None:
    """Write a binary MO file beside each PO catalog.

    Arguments as for `tolmach stats`. Like msgfmt, untranslated and obsolete entries are left out,
    and fuzzy ones too unless --use-fuzzy; so is a plural entry with a form empty or missing
    (counted as incomplete plurals). Each MO file is replaced atomically.
    """
    from ..stats import compile_all

    written = [{"po": str(c.po), "mo": str(c.mo), "messages": c.messages, "incomplete_plurals": c.incomplete}
               for c in compile_all(_resolve(targets), use_fuzzy, explicit=bool(targets))]
    if fmt == "json":
        import json

        click.echo(json.dumps(written, ensure_ascii=False, indent=2))
    else:
        for item in written:
            left_out = item["incomplete_plurals"]
            note = f" ({_count(left_out, 'plural entry', 'plural entries')} left out: a form empty or missing)"
            click.echo(f"{item['mo']}: {_count(item['messages'], 'message')}{note if left_out else ''}")
        click.echo(f"{_count(len(written), 'catalog')} compiled")
