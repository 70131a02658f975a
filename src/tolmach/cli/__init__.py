"""The ``tolmach`` command line: a thin click layer over the library.

Commands are grouped by job, one module per group. Command modules import only click at import time;
everything else is imported inside the command, so ``tolmach --help`` and the commands that do not
translate never load the MT stack (ctranslate2, argostranslate, torch, stanza).
"""

from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager

import click

from ..errors import TolmachError


class TolmachGroup(click.Group):
    """Turns :class:`TolmachError` (and OS errors) into one line on stderr and exit code 2, and
    loads each command's module only when the command is asked for (:data:`LAZY_COMMANDS`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in LAZY_COMMANDS:
            from importlib import import_module

            module, attr = LAZY_COMMANDS[name]
            command = getattr(import_module(f"{__name__}.{module}"), attr)
            self.add_command(command, name)
        return command

    def invoke(self, ctx: click.Context):
        with _terminated_as_interrupted():
            try:
                return super().invoke(ctx)
            except TolmachError as err:
                click.echo(f"tolmach: error: {err}", err=True)
                ctx.exit(err.exit_code)
            except Terminated:
                click.echo("tolmach: terminated", err=True)
                ctx.exit(128 + signal.SIGTERM)
            except KeyboardInterrupt:
                click.echo("tolmach: interrupted", err=True)
                ctx.exit(130)
            except BrokenPipeError:
                _quiet_broken_pipe()
                ctx.exit(0)
            except OSError as err:
                where = f"{err.filename}: " if getattr(err, "filename", None) else ""
                click.echo(f"tolmach: error: {where}{err.strerror or err}", err=True)
                ctx.exit(2)


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, a service stopped, a CI job cancelled): the run ends as on Ctrl-C, the
    temporary file it was writing removed and the file it would have replaced left as it was."""


@contextmanager
def _terminated_as_interrupted():
    """While a command runs, SIGTERM raises :class:`Terminated` in this process (only: a child it
    forks dies of the signal as usual); a second one ends it at once. The handler it replaces is
    put back after (a command run in-process, as the tests do)."""
    previous = signal.getsignal(signal.SIGTERM)
    if threading.current_thread() is not threading.main_thread() or previous is None:
        yield  # signal handlers are the main thread's; None: one set outside Python, not to be put back
        return
    pid = os.getpid()

    def terminate(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if os.getpid() != pid:
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise Terminated

    signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def warn(message: str) -> None:
    """A line on stderr about something the run did that the user should know of (it goes on)."""
    click.echo(f"tolmach: warning: {message}", err=True)


def count(n: int, one: str, many: str | None = None) -> str:
    """``1 unit``, ``2 units`` (``many``: the plural where it is not ``one`` + s)."""
    return f"{n} {one if n == 1 else many or one + 's'}"


class NumberRange(click.FloatRange):
    """click's FloatRange without NaN, which passes every bound (a comparison with it is false):
    ``--below nan`` listed nothing, ``--min-confidence nan`` flagged nothing."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if number != number:
            self.fail(f"{value!r} is not a number", param, ctx)
        return number


def _quiet_broken_pipe() -> None:
    """The reader went away (``tolmach segment ... | head``): end quietly, as cat does.

    Python would complain once more when it flushes stdout at exit; point stdout at /dev/null.
    """
    import os
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - no real stdout
        pass


@click.group(cls=TolmachGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tolmach")
def main() -> None:
    """Translate news articles EN<->RU offline and review them as gettext PO files.

    Pipeline: segment -> extract -> init/update -> translate -> check -> build.
    `tolmach translate-article ARTICLE --to ru` runs all of it for one article.
    """


# Command name -> the module of this package that defines it and the attribute. A command's module
# is imported only when that command runs (or help lists it): `tolmach check` pays for click and
# check.py, not for the translation pipeline's option tables (click's documented lazy-group pattern).
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "segment": ("pipeline", "segment"),
    "extract": ("pipeline", "extract"),
    "init": ("pipeline", "init"),
    "update": ("pipeline", "update"),
    "translate": ("pipeline", "translate"),
    "build": ("pipeline", "build"),
    "translate-article": ("pipeline", "translate_article"),
    "models": ("models", "models_group"),
    "glossary": ("glossary", "glossary_group"),
    "check": ("check", "check_command"),
    "memory": ("memory", "memory_group"),
    "stats": ("reports", "stats_command"),
    "compile": ("reports", "compile_command"),
    "review-queue": ("review", "review_queue_command"),
    "export": ("xliff", "export_command"),
    "import": ("xliff", "import_command"),
    "batch": ("batch", "batch"),
}
