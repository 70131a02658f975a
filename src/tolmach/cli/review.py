"""``tolmach review-queue``: machine drafts, least confident first."""

from __future__ import annotations

import click

from . import NumberRange
from . import count as _count

QUEUE_SCHEMA = """\b
JSON (--format json):
  {"version": 1,
   "drafts": [{"path": str, "line": int, "msgctxt": str|null,
               "confidence": float|null, "unsure": [str], "source": str, "target": str}]}
least confident first; "confidence" null: the draft was not scored (listed last).
"""


@click.command("review-queue", epilog=QUEUE_SCHEMA)
@click.argument("targets", nargs=-1, metavar="[LOCALE|PATH]...")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="One line per draft, or JSON (schema below).")
@click.option("--below", type=NumberRange(0, 1), default=None,
              help="Only drafts with a confidence under this.")
@click.option("-n", "--limit", type=click.IntRange(1), default=None, help="At most this many drafts.")
def review_queue_command(targets: tuple[str, ...], fmt: str, below: float | None, limit: int | None) -> None:
    """Machine drafts to review, least confident first: file:line, the model's confidence (0-1,
    about the chrF to expect against a human translation) and the words it was least sure of.

    Arguments as for `tolmach stats` (locale codes, PO files or folders; default: the locales
    folder). Drafts a person has edited are not machine drafts any more and are not listed.
    """
    from ..review import queue_to_json, review_queue
    from ..stats import find_catalogs
    from .reports import _resolve

    queue = review_queue(find_catalogs(_resolve(targets)))
    if below is not None:
        queue = [d for d in queue if d.confidence is not None and d.confidence < below]
    if limit is not None:
        queue = queue[:limit]
    if fmt == "json":
        import json

        click.echo(json.dumps(queue_to_json(queue), ensure_ascii=False, indent=2))
        return
    for d in queue:
        score = f"{d.confidence:.2f}" if d.confidence is not None else "  - "
        words = ", ".join(f"«{w}»" for w in d.unsure)
        source = " ".join(d.source.split())
        source = source if len(source) <= 60 else source[:59] + "…"
        click.echo(f"{d.location()}: {score}  {words + '  ' if words else ''}{source}")
    unscored = sum(d.confidence is None for d in queue)
    click.echo(_count(len(queue), "machine draft") + (f", {unscored} not scored" if unscored else ""), err=True)
