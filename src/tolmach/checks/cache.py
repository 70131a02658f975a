"""The check results of unchanged PO files, kept between runs of ``tolmach check``.

Checking a PO file is a pure function of its bytes and of everything the checks are built from: the
glossary files, the configuration's check settings, the command's options, the code of Tolmach and of
every installed check, and the versions of the libraries the checks use (pymorphy3's dictionary
decides what a correct form is, and so does another one a ``PYMORPHY2_DICT_PATH`` names). A run's
*fingerprint* is a hash of all of those; a file's results are reused only under the same fingerprint
and the same file content (a SHA-256 of its bytes, never its modification time). Any change to a
glossary, the configuration or the code gives a new fingerprint and every file is checked again.

What is kept per file: the number of translations checked, the findings of its entries, the checks
each entry switched off, and for a check that works across entries (``finish()``) what it learnt
from that file (:meth:`~tolmach.checks.base.Check.file_state`). A check with a ``finish()`` that
cannot hand out its state makes the run uncacheable, so a plug-in can never see a partial project.

The cache is one pickle file per working folder under ``$TOLMACH_CACHE_DIR`` (default
``$XDG_CACHE_HOME/tolmach``, i.e. ``~/.cache/tolmach``), written atomically; an unreadable or
foreign file is ignored and replaced. Only Tolmach writes it: it is not a place to load data from,
and reading it back can only make the classes Tolmach puts in it (a crafted pickle that names any
other callable is refused, never run).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Iterable, Sequence

from .base import Check, CheckEntry, Finding

# Pickling 10,000 dataclass objects field by field costs more than checking the file's findings
# would save on a first run (0.023 s out, 0.031 s back in): a list of a file's results made only of
# entries or only of findings travels as one _Rows of plain tuples of their fields, in field order,
# rebuilt on the way back. Only lists of exactly these classes are packed: anything else (a
# plug-in's subclass, a check's own state) is pickled as it is.
_PACKED = (CheckEntry, Finding)


# hashlib, json and pickle are imported where they are used, not with this module: the runner
# imports it for every run, and a run without the cache (--no-cache) would pay ~10 ms of its
# start-up for them (hashlib's OpenSSL binding alone ~4 ms).
def _sha256(data: bytes = b""):
    import hashlib

    return hashlib.sha256(data)


class _Rows:
    __slots__ = ("cls", "rows")

    def __init__(self, cls: type, rows: list[tuple]):
        self.cls, self.rows = cls, rows

    def __getstate__(self):
        return (_PACKED.index(self.cls), self.rows)

    def __setstate__(self, state):
        index, self.rows = state
        self.cls = _PACKED[index]


def _pack(result: Any) -> Any:
    """A file's results (a tuple) with each list of entries or of findings turned into _Rows."""
    if not isinstance(result, tuple):
        return result
    out = []
    for part in result:
        if isinstance(part, list) and part:
            cls = type(part[0])
            if cls in _PACKED and all(type(x) is cls for x in part):
                names = tuple(cls.__dataclass_fields__)
                part = _Rows(cls, [tuple(x.__dict__[n] for n in names) for x in part])
        out.append(part)
    return tuple(out)


def _unpack(result: Any) -> Any:
    if not isinstance(result, tuple):
        return result
    return tuple(_rebuild(part.cls, part.rows) if isinstance(part, _Rows) else part for part in result)


def _rebuild(cls: type, rows: list[tuple]) -> list:
    """The objects ``rows`` were packed from. A frozen dataclass's ``__init__`` sets its fields one
    ``object.__setattr__`` at a time, which made rebuilding a warm run's 10,000 entries and their
    findings a fifth of its time; these get the same ``__dict__`` in one step (as
    :func:`tolmach.checks.poread._entry` makes entries). Only while the class is a plain dataclass
    (no ``__post_init__``, no slots) with the fields the rows were packed by: else its ``__init__``."""
    names = tuple(cls.__dataclass_fields__)
    if hasattr(cls, "__post_init__") or hasattr(cls, "__slots__") or any(len(row) != len(names) for row in rows):
        return [cls(*row) for row in rows]
    new = object.__new__
    out = []
    for row in rows:
        obj = new(cls)
        obj.__dict__.update(zip(names, row))
        out.append(obj)
    return out


FORMAT = 4  # 2: a file's results also hold its skipped fuzzy entries and the entries checked;
# 3: lists of entries and of findings kept as _Rows; 4: the count is of PO entries, not of forms
# libraries whose version changes what a check finds: every one the checks import, and theirs
# (pymorphy3, its dictionary and the DAWG reader it reads the dictionary with; fuzzy matching; PO
# parsing; the Markdown parser, its plug-ins and URL helpers, and lxml, which take an article unit's
# markup apart)
LIBRARIES = ("pymorphy3", "pymorphy3-dicts-ru", "DAWG2-Python", "rapidfuzz", "polib", "markdown-it-py",
             "mdit-py-plugins", "mdurl", "lxml")  # fmt: skip


def cache_dir() -> Path:
    explicit = os.environ.get("TOLMACH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tolmach"


def cacheable(checks: Sequence[Check]) -> bool:
    """Every check that looks across entries can hand out and take back its per-file state."""
    return all(type(c).finish is Check.finish or type(c).file_state is not Check.file_state for c in checks)


def _hash_sources(h, base: Path, files: Iterable[Path]) -> None:
    """Each file's name (from ``base``) and the SHA-256 of its bytes: never its size and modification
    time, which a same-size edit can keep (a checkout, ``rsync -t``, ``tar``, SOURCE_DATE_EPOCH) and
    every fresh checkout or install changes (a CI cache restored over one would never be used).
    Tolmach's own 1 MB of modules hashes in about 3 ms."""
    for p in files:
        h.update(f"{p.relative_to(base)}:{_sha256(p.read_bytes()).hexdigest()}\n".encode())


def _code_stamp(h, checks: Iterable[Check]) -> None:
    """The code that produces findings: Tolmach's own modules and every check's module."""
    import tolmach

    root = Path(tolmach.__file__).resolve().parent
    h.update(tolmach.__version__.encode())
    _hash_sources(h, root, sorted(root.rglob("*.py")))
    seen = {root}
    for check in checks:
        cls = type(check)
        h.update(f"{cls.__module__}.{cls.__qualname__}\n".encode())
        # a plug-in check: every module of its top-level package (its helpers change findings too)
        top = sys.modules.get(cls.__module__.split(".")[0])
        path = getattr(top, "__file__", None)
        if not path:
            continue
        base = Path(path).resolve()
        base = base.parent if base.name == "__init__.py" else base
        if base in seen or base.is_relative_to(root):
            continue
        seen.add(base)
        _hash_sources(h, base.parent, sorted(base.rglob("*.py")) if base.is_dir() else [base])


def _library_stamp(h) -> None:
    from importlib.metadata import PackageNotFoundError, version

    for name in LIBRARIES:
        try:
            h.update(f"{name}={version(name)}\n".encode())
        except PackageNotFoundError:
            h.update(f"{name}=-\n".encode())
    # pymorphy3 reads another dictionary than the installed one where a variable names it
    # (PYMORPHY2_DICT_PATH): its path, and its meta.json (what it was compiled from, and when)
    for name, value in sorted(os.environ.items()):
        if name.startswith("PYMORPHY") and name.endswith("_DICT_PATH"):
            try:
                meta = (Path(value) / "meta.json").read_bytes()
            except OSError:
                meta = b""
            h.update(f"{name}={value} {_sha256(meta).hexdigest()}\n".encode())


def fingerprint(checks: Sequence[Check], glossary_files: Sequence[tuple[str, str]], settings: dict[str, Any]) -> str:
    """The hash of everything besides a PO file's bytes that its findings depend on.
    ``glossary_files``: (path, SHA-256) of each glossary file as it was read for the checks
    (:attr:`tolmach.glossary.Glossary.files`), never read again here: a glossary saved between the
    two reads would have its results kept under the new content's hash."""
    import json

    h = _sha256(f"tolmach-check-cache {FORMAT} {sys.version}\n".encode())
    _code_stamp(h, checks)
    _library_stamp(h)
    for path, digest in glossary_files:
        h.update(f"glossary {path} {digest}\n".encode())
    h.update(json.dumps(settings, sort_keys=True, default=repr).encode())
    return h.hexdigest()


# The only classes a cache file may name. A pickle can name any callable (``os.system``) and have
# it called as the file is read; a cache folder may be restored by CI from a shared store, so what
# is read back is held to what Tolmach writes: these classes, and the plain containers, strings and
# numbers pickle writes with opcodes of their own. Anything else (a plug-in's state of another
# class) is refused, and the run checks every file instead.
_ALLOWED = {
    ("tolmach.checks.cache", "_Rows"),
    ("tolmach.checks.base", "CheckEntry"),
    ("tolmach.checks.base", "Finding"),
    ("tolmach.glossary.model", "Term"),
    ("builtins", "frozenset"),
    ("builtins", "set"),
}


def _load(fh) -> Any:
    """What a cache file holds, read by an unpickler that makes only the :data:`_ALLOWED` classes."""
    import pickle

    class _Unpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str):
            if (module, name) in _ALLOWED:
                return super().find_class(module, name)
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a check cache file")

    return _Unpickler(fh).load()


class ResultCache:
    """Per-file results under one fingerprint; ``save()`` writes what this run checked."""

    def __init__(self, path: Path, fingerprint: str):
        self.path = path
        self.fingerprint = fingerprint
        self._old: dict[str, tuple[str, Any]] = {}
        self._new: dict[str, tuple[str, Any]] = {}
        self.hits = 0
        try:
            with path.open("rb") as fh:
                data = _load(fh)
            if isinstance(data, dict) and data.get("format") == FORMAT and data.get("fingerprint") == fingerprint:
                self._old = data["files"]
        except Exception:  # noqa: BLE001 - absent, unreadable, corrupt or written by other code
            # (a damaged pickle raises OverflowError, MemoryError, RecursionError... as well as
            # UnpicklingError): start afresh, the cache only ever saves time
            self._old = {}

    @classmethod
    def for_folder(cls, folder: Path, fingerprint: str) -> "ResultCache":
        name = _sha256(str(folder.resolve()).encode()).hexdigest()[:20]
        return cls(cache_dir() / f"check-{name}.pickle", fingerprint)

    @staticmethod
    def digest(data: bytes) -> str:
        return _sha256(data).hexdigest()

    def get(self, name: str, digest: str) -> Any | None:
        slot = self._old.get(name)
        try:
            if slot is None or slot[0] != digest:
                return None
            result = _unpack(slot[1])
        except Exception:  # noqa: BLE001 - a slot of another shape (a damaged file): check again
            return None
        self.hits += 1
        self._new[name] = slot
        return result

    def put(self, name: str, digest: str, result: Any) -> None:
        self._new[name] = (digest, _pack(result))

    def save(self) -> None:
        """Write the results of the files this run saw (others are dropped); never fails the run."""
        if self._new == self._old:
            return
        import pickle

        from ..fsutil import atomic_write_bytes

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = {"format": FORMAT, "fingerprint": self.fingerprint, "files": self._new}
            atomic_write_bytes(self.path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time next run
            pass
