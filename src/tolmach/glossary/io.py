"""Reading and writing glossary files: CSV (``.csv``) or TSV (``.tsv``) with a header row.

Columns (any order; ``source``, ``target`` and ``kind`` are required in the header and in every
row, the others may be left out of the header, which reads as empty cells)::

    source, target, kind, note, forbidden, alternatives, case_sensitive, dnt, gender, indeclinable

``forbidden`` and ``alternatives`` hold several Russian variants separated by ``|``; the flags take
``yes``/``no`` (also ``true``/``false``, ``1``/``0``, ``x``); an empty ``case_sensitive`` means the
default (capitalised English words keep their case). ``kind`` is open: any word is read (see
:data:`~.model.KIND_ALIASES`). ``gender`` is ``m``, ``f`` or ``both`` (a surname entry for a man and a
woman: declined and undeclined forms both pass). ``indeclinable`` is ``yes`` (no word of the
renderings declines) or the words that do not, ``|``-separated (``Ким|Чен``); a note with the word
"indeclinable" says the same of a person's surname (its last word) or of a whole other term. A row
whose first cell starts with ``#`` is a comment (but a hashtag term, ``#MeToo``, in a full row is a
term); blank rows are skipped. One entry a line keeps
diffs readable.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import TolmachError
from ..fsutil import atomic_write_text, decode_text, read_input_bytes, read_text_file
from .model import Glossary, Term, kind_category

COLUMNS = ("source", "target", "kind", "note", "forbidden", "alternatives", "case_sensitive", "dnt")
OPTIONAL_COLUMNS = ("gender", "indeclinable")
REQUIRED = ("source", "target", "kind")
_GENDERS = {
    "m": "masc", "masc": "masc", "male": "masc", "man": "masc", "f": "femn", "femn": "femn", "fem": "femn",
    "female": "femn", "woman": "femn", "both": "both", "mf": "both", "m/f": "both", "m|f": "both", "any": "both",
}  # fmt: skip
_INDECLINABLE_NOTE = re.compile(r"\bindeclinable\b", re.IGNORECASE)
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


def read_glossary_file(path: str | Path, data: bytes | None = None) -> tuple[list[Term], list[Problem]]:
    """Parse one file (``data``: its bytes, where the caller has read them); rows with problems are
    reported and left out, the rest are returned."""
    p = Path(path)
    text = read_text_file(p, "glossary") if data is None else decode_text(data, p, "glossary")
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
    missing = [c for c in REQUIRED if c not in names]
    unknown = [h for h, n in zip(header, names) if n not in COLUMNS + OPTIONAL_COLUMNS]
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
    absent = dict.fromkeys(c for c in COLUMNS + OPTIONAL_COLUMNS if c not in index)  # read as empty
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
        if not row or all(not c.strip() for c in row) or _comment(row, index):
            continue
        if len(row) != len(names):
            problems.append(
                Problem(where, row_line, f"expected {len(names)} columns, found {len(row)}")
            )
            continue
        cells = {n: row[i].strip() for n, i in index.items()}
        cells.update((c, "") for c in absent)
        empty = [c for c in REQUIRED if not cells[c]]
        if empty:
            problems.append(Problem(where, row_line, "empty required cell(s): " + ", ".join(empty)))
            continue
        written_kind = " ".join(cells["kind"].lower().split())
        target = " ".join(cells["target"].split())
        kind = kind_category(written_kind, target)
        flags: dict[str, bool | None] = {}
        bad = False
        for flag in ("case_sensitive", "dnt"):
            value = cells[flag].lower()
            if value in _TRUE:
                flags[flag] = True
            elif value in _FALSE:
                # an empty case_sensitive cell is the default rule, not "never"
                flags[flag] = None if flag == "case_sensitive" and not value else False
            else:
                problems.append(Problem(where, row_line, f"{flag}: expected yes or no, found {cells[flag]!r}"))
                bad = True
        gender_cell = cells.get("gender", "").lower()
        gender = _GENDERS.get(gender_cell.replace(" ", ""), None) if gender_cell else ""
        if gender is None:
            problems.append(Problem(where, row_line, f"gender: expected m, f or both, found {cells['gender']!r}"))
            bad = True
        if bad:
            continue
        alternatives = _split_list(cells["alternatives"])
        terms.append(
            Term(
                source=" ".join(cells["source"].split()),
                target=target,
                kind=kind,
                note=cells["note"],
                forbidden=_split_list(cells["forbidden"]),
                case_sensitive=flags["case_sensitive"],
                dnt=bool(flags["dnt"]),
                path=where,
                line=row_line,
                alternatives=alternatives,
                label=written_kind if written_kind != kind else "",
                gender=gender or "",
                indeclinable=_indeclinable(cells.get("indeclinable", ""), cells["note"], kind, target),
            )
        )
    return terms, problems


def _comment(row: list[str], index: dict[str, int]) -> bool:
    """A row whose first cell starts with ``#`` is a comment, unless that cell is a hashtag
    (``#MeToo``) in a row of the header's width with its target and kind filled in: a term."""
    if not row[0].lstrip().startswith("#"):
        return False
    term = _hashtag(row[0]) and len(row) == len(index) and all(row[index[c]].strip() for c in REQUIRED)
    return not term


def _hashtag(cell: str) -> bool:
    """``#MeToo``: a ``#`` and a letter or digit, which a full row reads as a term, not a comment."""
    text = cell.lstrip()
    return text.startswith("#") and text[1:2].isalnum()


def _indeclinable(cell: str, note: str, kind: str, target: str) -> tuple[str, ...]:
    """The ``indeclinable`` cell as normalised words ("*" for every word)."""
    from .russian import norm

    value = cell.strip().lower()
    if value in _TRUE:
        return ("*",)
    if value and value not in _FALSE:
        return tuple(norm(w) for v in _split_list(cell) for w in v.split())
    if not value and _INDECLINABLE_NOTE.search(note):
        words = target.strip("«»\"„“ ").split()
        return (norm(words[-1]),) if kind == "person" and words else ("*",)
    return ()


def _split_list(cell: str) -> tuple[str, ...]:
    return tuple(" ".join(v.split()) for v in cell.split(LIST_SEPARATOR) if v.strip())


def load_glossary(paths: str | Path | Sequence[str | Path]) -> Glossary:
    """Load file(s) or folder(s) of glossaries; the first malformed row raises a TolmachError."""
    terms: list[Term] = []
    files: list[tuple[str, str]] = []
    for f in glossary_files(paths):
        data = read_input_bytes(f, "glossary")
        file_terms, problems = read_glossary_file(f, data)
        if problems:
            raise problems[0].error()
        terms.extend(file_terms)
        files.append((str(f), hashlib.sha256(data).hexdigest()))  # the path as its terms name it
    return Glossary(terms, tuple(files))


def format_glossary(terms: Sequence[Term], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    extra = any(t.gender or t.indeclinable for t in terms)
    writer.writerow(COLUMNS + (OPTIONAL_COLUMNS if extra else ()))
    for t in terms:
        for variant in (*t.forbidden, *t.alternatives, *t.indeclinable):
            if LIST_SEPARATOR in variant:
                raise TolmachError(
                    f"term {t.source!r}: the variant {variant!r} holds {LIST_SEPARATOR!r}, which separates "
                    "variants in a glossary file", t.path or None, t.line or None)
        if t.source.lstrip().startswith("#") and not _hashtag(t.source):
            raise TolmachError(f"term {t.source!r}: a glossary file would read it as a comment", t.path or None, t.line or None)
        writer.writerow(
            [
                t.source,
                t.target,
                t.label or t.kind,
                t.note,
                LIST_SEPARATOR.join(t.forbidden),
                LIST_SEPARATOR.join(t.alternatives),
                {True: "yes", False: "no", None: ""}[t.case_sensitive],
                "yes" if t.dnt else "",
            ]
            + ([{"masc": "m", "femn": "f"}.get(t.gender, t.gender), _indeclinable_cell(t)] if extra else [])
        )
    return out.getvalue()


def _indeclinable_cell(t: Term) -> str:
    if t.indeclinable == ("*",):
        return "yes"
    return LIST_SEPARATOR.join(t.indeclinable)


def write_glossary(terms: Sequence[Term], path: str | Path) -> None:
    """Write terms as CSV (or TSV for a ``.tsv`` path), atomically."""
    delimiter = "\t" if Path(path).suffix.lower() == ".tsv" else ","
    atomic_write_text(path, format_glossary(terms, delimiter))
