"""Reading and writing glossary files: CSV (``.csv``) or TSV (``.tsv``) with a header row.

Columns (any order, all required in the header)::

    source, target, kind, note, forbidden, alternatives, case_sensitive, dnt

``forbidden`` and ``alternatives`` hold several Russian variants separated by ``|``; the flags take
``yes``/``no`` (also ``true``/``false``, ``1``/``0``, ``x`` or empty). A row whose first cell starts
with ``#`` is a comment; blank rows are skipped. One entry a line keeps diffs readable.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import TolmachError
from ..fsutil import atomic_write_text, read_text_file
from .model import KINDS, Glossary, Term

COLUMNS = ("source", "target", "kind", "note", "forbidden", "alternatives", "case_sensitive", "dnt")
REQUIRED = ("source", "target", "kind")
LIST_SEPARATOR = "|"
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"", "no", "n", "false", "0"}
SUFFIXES = (".csv", ".tsv")


@dataclass(frozen=True)
class Problem:
    """Something wrong in a glossary file; ``load_glossary`` raises the first, ``lint`` lists all."""

    path: str
    line: int
    message: str

    def error(self) -> TolmachError:
        return TolmachError(self.message, self.path, self.line)


def glossary_files(paths: str | Path | Sequence[str | Path]) -> list[Path]:
    """The glossary files named by ``paths``: files as given, folders searched for *.csv/*.tsv."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.suffix.lower() in SUFFIXES and f.is_file())
            if not found:
                raise TolmachError("no *.csv or *.tsv glossary files in this folder", p)
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            raise TolmachError("no such glossary file or folder", p)
    return files


def read_glossary_file(path: str | Path) -> tuple[list[Term], list[Problem]]:
    """Parse one file; rows with problems are reported and left out, the rest are returned."""
    p = Path(path)
    text = read_text_file(p, "glossary")
    delimiter = "\t" if p.suffix.lower() == ".tsv" else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    where = str(p)
    try:
        header = next(reader, None)
    except csv.Error as err:
        return [], [Problem(where, 1, f"malformed header: {err}")]
    if header is None:
        return [], [Problem(where, 1, "empty glossary file: expected a header row " + ",".join(COLUMNS))]
    names = [h.strip().lower().replace(" ", "_").replace("-", "_") for h in header]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [h for h, n in zip(header, names) if n not in COLUMNS]
    if missing or unknown or len(set(names)) != len(names):
        parts = []
        if missing:
            parts.append("missing column(s) " + ", ".join(missing))
        if unknown:
            parts.append("unknown column(s) " + ", ".join(repr(u) for u in unknown))
        if len(set(names)) != len(names):
            parts.append("repeated column name")
        return [], [Problem(where, 1, "bad header: " + "; ".join(parts) + f" (expected {','.join(COLUMNS)})")]
    index = {n: i for i, n in enumerate(names)}
    terms: list[Term] = []
    problems: list[Problem] = []
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(Problem(where, line, f"malformed row: {err}"))
            break
        row_line, line = line, reader.line_num + 1
        if not row or all(not c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        if len(row) != len(names):
            problems.append(
                Problem(where, row_line, f"expected {len(names)} columns, found {len(row)}")
            )
            continue
        cells = {n: row[i].strip() for n, i in index.items()}
        empty = [c for c in REQUIRED if not cells[c]]
        if empty:
            problems.append(Problem(where, row_line, "empty required cell(s): " + ", ".join(empty)))
            continue
        kind = cells["kind"].lower()
        if kind == "organization":
            kind = "organisation"
        if kind not in KINDS:
            problems.append(
                Problem(where, row_line, f"unknown kind {cells['kind']!r} (expected {', '.join(KINDS)})")
            )
            continue
        flags = {}
        bad = False
        for flag in ("case_sensitive", "dnt"):
            value = cells[flag].lower()
            if value in _TRUE:
                flags[flag] = True
            elif value in _FALSE:
                flags[flag] = False
            else:
                problems.append(Problem(where, row_line, f"{flag}: expected yes or no, found {cells[flag]!r}"))
                bad = True
        if bad:
            continue
        terms.append(
            Term(
                source=" ".join(cells["source"].split()),
                target=" ".join(cells["target"].split()),
                kind=kind,
                note=cells["note"],
                forbidden=_split_list(cells["forbidden"]),
                case_sensitive=flags["case_sensitive"],
                dnt=flags["dnt"],
                path=where,
                line=row_line,
                alternatives=_split_list(cells["alternatives"]),
            )
        )
    return terms, problems


def _split_list(cell: str) -> tuple[str, ...]:
    return tuple(" ".join(v.split()) for v in cell.split(LIST_SEPARATOR) if v.strip())


def load_glossary(paths: str | Path | Sequence[str | Path]) -> Glossary:
    """Load file(s) or folder(s) of glossaries; the first malformed row raises a TolmachError."""
    terms: list[Term] = []
    for f in glossary_files(paths):
        file_terms, problems = read_glossary_file(f)
        if problems:
            raise problems[0].error()
        terms.extend(file_terms)
    return Glossary(terms)


def format_glossary(terms: Sequence[Term], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMNS)
    for t in terms:
        writer.writerow(
            [
                t.source,
                t.target,
                t.kind,
                t.note,
                LIST_SEPARATOR.join(t.forbidden),
                LIST_SEPARATOR.join(t.alternatives),
                "yes" if t.case_sensitive else "",
                "yes" if t.dnt else "",
            ]
        )
    return out.getvalue()


def write_glossary(terms: Sequence[Term], path: str | Path) -> None:
    """Write terms as CSV (or TSV for a ``.tsv`` path), atomically."""
    delimiter = "\t" if Path(path).suffix.lower() == ".tsv" else ","
    atomic_write_text(path, format_glossary(terms, delimiter))
