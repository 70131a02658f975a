"""Checks and their findings.

A check is a small class with an ``id``, a default ``severity`` and a ``check(entry)`` method that
yields :class:`Finding` objects. Checks are discovered through the ``tolmach.checks`` entry point
group (as babel discovers its checkers), so another package can add its own.

A check can be switched off for a project (configuration ``disable = ["id", ...]``) or for one entry,
with a ``#, no-<id>-check`` flag or a ``#. tolmach: skip-check <id>`` extracted comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterable

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)


@dataclass(frozen=True)
class CheckEntry:
    """One translation to check: plain data taken from a PO entry."""

    path: str
    line: int
    msgctxt: str | None
    source: str
    target: str
    source_lang: str
    target_lang: str
    fuzzy: bool = False
    flags: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()  # extracted (#.) and translator (#) comments, one per line
    # the lines of the msgstr the translator edits (``line`` is where the entry's comments begin):
    # CI annotations point there; 0 when unknown
    msgstr_line: int = 0
    msgstr_end_line: int = 0
    # of a plural entry, on the CheckEntry of its first translated form only: the msgstr[N] that
    # are empty, and those it lacks of the forms the header's nplurals asks for
    # (:func:`tolmach.state.untranslated_forms`)
    empty_forms: tuple[int, ...] = ()
    missing_forms: tuple[int, ...] = ()
    # with them, the lines to annotate for them: from the first empty msgstr[N] to the end of the
    # last, and where forms are missing to the end of the highest msgstr[N] (they go after it)
    gap_lines: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class Finding:
    check_id: str
    severity: str
    message: str
    path: str
    line: int
    msgctxt: str | None = None
    term: str | None = None
    expected: str | None = None
    found: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)
    msgstr_line: int = 0  # first and last line of the translation (CheckEntry's); 0 when unknown
    msgstr_end_line: int = 0

    def target_lines(self) -> tuple[int, int]:
        """The lines to annotate: the msgstr, else the entry's first line."""
        if self.msgstr_line > 0:
            return self.msgstr_line, max(self.msgstr_end_line, self.msgstr_line)
        return self.line, self.line

    def location(self) -> str:
        return f"{self.path}:{self.line}"


class Check:
    """Base class for checks. Subclasses set ``id``, ``severity``, ``description``."""

    id: ClassVar[str] = ""
    severity: ClassVar[str] = WARNING
    description: ClassVar[str] = ""

    def check(self, entry: CheckEntry) -> Iterable[Finding]:  # pragma: no cover - interface
        raise NotImplementedError

    def finish(self) -> Iterable[Finding]:
        """Called once after every entry was checked: for checks across entries (consistency)."""
        return ()

    # A check with a ``finish()`` implements these two so that ``tolmach check`` can reuse the
    # results of unchanged files (see :mod:`tolmach.checks.cache`): ``file_state`` hands out what the
    # check learnt from one file's entries (picklable), ``add_file_state`` takes it back, in file order,
    # instead of checking that file again. Without them a run with this check is never cached.
    def file_state(self, path: str) -> Any:
        raise NotImplementedError

    def add_file_state(self, path: str, state: Any) -> None:
        raise NotImplementedError

    def finding(self, entry: CheckEntry, message: str, **kw) -> Finding:
        return Finding(
            check_id=self.id,
            severity=kw.pop("severity", self.severity),
            message=message,
            path=entry.path,
            line=entry.line,
            msgctxt=entry.msgctxt,
            msgstr_line=entry.msgstr_line,
            msgstr_end_line=entry.msgstr_end_line,
            **kw,
        )
