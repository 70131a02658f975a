"""Project configuration: ``tolmach.toml`` or ``[tool.tolmach]`` in ``pyproject.toml``.

The one place that resolves a project's settings: where its catalogs, glossaries and memory are
(:meth:`Config.locales_dir`, :meth:`Config.glossary_paths`, :meth:`Config.memory_path`). Every
command asks it; none looks the files up on its own.

A command takes the configuration of the project the files and folders it works on are in,
wherever it is run from (:func:`project_config`), and the current folder's when it names none:
looked up from a file's folder upwards, the first file that has Tolmach settings wins. Relative
paths in it are taken from its folder. The settings are checked against a schema when read: a
wrong type is one error naming the file, the key and what was expected, and so is a key the
schema does not know (a misspelling, with the known key it is closest to). Only the
``[checks.<id>]`` tables of check options are open; their ids and options are the check runner's
to check.
Example (``tolmach.toml``; in pyproject the same keys go under ``[tool.tolmach]``)::

    locales = "locales"                  # catalog folder (stats, compile, memory sync)
    glossary = "glossaries"              # folder or file of glossaries, or a list of them
    memory = ".tolmach/memory.sqlite"    # translation memory
    fuzzy_threshold = 75                 # translation-memory suggestions, 0-100
    accept_exact = false                 # exact memory matches count as reviewed

    [segment]
    chrome = ["^Subscribe to our newsletter"]   # extra regexes: paragraphs to skip
    credit = ["^Photo: "]                        # extra regexes: photo credits

    [checks]
    disable = ["length-ratio"]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .errors import TolmachError


GLOSSARY_FOLDER = "glossaries"  # found by convention at the project root
DEFAULT_MEMORY = ".tolmach/memory.sqlite"

# key -> (accepted Python types, what to say is expected)
_SCHEMA: dict[str, tuple[tuple[type, ...], str]] = {
    "locales": ((str,), "a path (string)"),
    "glossary": ((str, list), "a path or a list of paths"),
    "memory": ((str,), "a path (string)"),
    "fuzzy_threshold": ((int, float), "a number from 1 to 100"),
    "accept_exact": ((bool,), "true or false"),
    "segment": ((dict,), "a table"),
    "segment.chrome": ((list,), "a list of regular expressions"),
    "segment.credit": ((list,), "a list of regular expressions"),
    "checks": ((dict,), "a table"),
    "checks.disable": ((list, str), "a list of check ids"),
    "credits": ((dict,), "a table"),
    "credits.mode": ((str,), "keep, label or translate"),
    "credits.labels": ((dict,), "a table of label = translation"),
}


# tables whose sub-tables are open: [checks.<id>] holds a check's options (checked by the check runner,
# which knows the checks installed and the options each takes)
_OPEN_TABLES = ("checks",)


def _refuse_unknown_keys(data: dict[str, Any], source: Path) -> None:
    """A key the schema does not know is an error: a misspelt key (``fuzzy-threshold``, ``[segmnt]``)
    silently left at its default would change what a run does with nobody told."""
    for table, keys in [("", data)] + [(t, data[t]) for t in ("segment", "checks", "credits")
                                       if isinstance(data.get(t), dict)]:
        prefix = f"{table}." if table else ""
        for key, value in keys.items():
            name = prefix + key
            if name in _SCHEMA or (table in _OPEN_TABLES and isinstance(value, dict)):
                continue
            import difflib

            siblings = [k for k in _SCHEMA if k.rpartition(".")[0] == table]
            close = difflib.get_close_matches(name, siblings, n=1)
            if not close:  # in the wrong table ("disable" at the top)?
                close = difflib.get_close_matches(key, [k.rpartition(".")[2] for k in _SCHEMA], n=1)
                close = [k for k in _SCHEMA if k.rpartition(".")[2] == close[0]][:1] if close else []
            hint = (f" (did you mean {close[0]!r}?)" if close
                    else " (a check's options go in a [checks.<id>] table)" if table == "checks" else "")
            raise TolmachError(f"unknown configuration key {name!r}{hint}", source)


def _validate(data: dict[str, Any], source: Path) -> None:
    def fail(key: str, expected: str, value: Any) -> None:
        raise TolmachError(f"configuration key {key!r} must be {expected}, not {value!r}", source)

    _refuse_unknown_keys(data, source)
    for key, (types, expected) in _SCHEMA.items():
        value: Any = data
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            continue
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            fail(key, expected, value)
        if key == "fuzzy_threshold" and not 0 < value <= 100:
            fail(key, expected, value)
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            fail(key, expected, value)
        if key in ("segment.chrome", "segment.credit"):
            # checked here, where the file is known (the segmenter compiles them much later)
            import re

            for i, rx in enumerate(value):
                try:
                    re.compile(rx)
                except re.error as err:
                    raise TolmachError(f"configuration {key}[{i}]: bad regular expression {rx!r}: {err}", source) from None
        if key == "credits.labels" and not all(isinstance(v, str) and v.strip() for v in value.values()):
            fail(key, expected, value)
        if key == "credits.mode":
            from .credits import MODES

            if value not in MODES:
                fail(key, expected, value)


@dataclass(frozen=True)
class Config:
    root: Path  # folder relative paths in the configuration are taken from
    data: dict[str, Any] = field(default_factory=dict)
    source: Path | None = None  # the file it came from

    def get(self, key: str, default: Any = None) -> Any:
        value: Any = self.data
        for part in key.split("."):
            if not isinstance(value, dict) or part not in value:
                return default
            value = value[part]
        return value

    def path(self, key: str, default: str | None = None) -> Path | None:
        value = self.get(key, default)
        if value is None:
            return None
        p = Path(value)
        return p if p.is_absolute() else self.root / p

    # -- the project's files ---------------------------------------------------------------

    def locales_dir(self) -> Path:
        return self.path("locales", "locales")

    def glossary_paths(self, given: Iterable[str | Path] = ()) -> tuple[list[Path], bool]:
        """Where the glossary is, and whether somebody named it (``given`` or the configuration)
        rather than it being found by convention (a ``glossaries/`` folder at the project root).
        A named path that does not exist is an error."""
        given = [Path(p) for p in given]
        if given:
            for p in given:
                if not p.exists():
                    raise TolmachError("no such glossary file or folder", p)
            return given, True
        value = self.get("glossary")
        if value:
            values = value if isinstance(value, list) else [value]
            paths = [Path(v) if Path(v).is_absolute() else self.root / v for v in values]
            for p in paths:
                if not p.exists():
                    raise TolmachError(f"no such glossary file or folder (configured in {self.source})", p)
            return paths, True
        folder = self.root / GLOSSARY_FOLDER
        return ([folder], False) if folder.is_dir() else ([], False)

    def memory_path(self, given: str | Path | None = None) -> Path:
        return Path(given) if given is not None else self.path("memory", DEFAULT_MEMORY)

    @property
    def fuzzy_threshold(self) -> float:
        return float(self.get("fuzzy_threshold", 75))

    @property
    def accept_exact(self) -> bool:
        return bool(self.get("accept_exact", False))


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only a project with a tolmach.toml pays for it

    from .fsutil import decode_text, refuse_special

    refuse_special(path, "configuration file")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise TolmachError(f"cannot read configuration: {err.strerror}", path) from None
    # decoded as every text input is (not valid UTF-8: one line naming the line; a byte order
    # mark, which tomllib takes for an invalid statement, is dropped)
    text = decode_text(data, path, "configuration")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line = getattr(err, "lineno", None)
        raise TolmachError(f"malformed TOML: {err}", path, line) from None


def _folder(start: str | Path | None) -> Path:
    """The folder a lookup starts from: ``start`` (a file: its folder), default the current one."""
    try:
        here = Path(start or Path.cwd()).resolve()
    except (OSError, RuntimeError):  # a symbolic link loop: the command names it when it reads it
        here = Path(start).absolute() if start else Path.cwd()
    return here.parent if here.is_file() else here


def _find_config(start: str | Path | None) -> Config | None:
    """The configuration of the project ``start`` (a file or folder; default: the current folder)
    is in: the first folder upwards with Tolmach settings, else the nearest that looks like a
    project root (a ``glossaries/`` or ``locales/`` folder). ``None``: it is in no project."""
    here = _folder(start)
    for folder in (here, *here.parents):
        own = folder / "tolmach.toml"
        if own.is_file():
            data = _read_toml(own)
            _validate(data, own)
            return Config(folder, data, own)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            data = _read_toml(pyproject).get("tool", {}).get("tolmach")
            if data is not None:
                if not isinstance(data, dict):
                    raise TolmachError("[tool.tolmach] must be a table", pyproject)
                _validate(data, pyproject)
                return Config(folder, data, pyproject)
    # No configuration file: the project root is the nearest folder that looks like one.
    for folder in (here, *here.parents):
        if (folder / GLOSSARY_FOLDER).is_dir() or (folder / "locales").is_dir():
            return Config(folder, {}, None)
    return None


def load_config(start: str | Path | None = None) -> Config:
    """Find and read the project configuration, or return an empty one rooted at ``start``."""
    found = _find_config(start)
    return found if found is not None else Config(_folder(start), {}, None)


def project_config(paths: Iterable[str | Path] = ()) -> Config:
    """The configuration of the project the files and folders a command works on are in, wherever
    it is run from; with none given, or none of them in a project (an article saved in
    ~/Downloads, translated from the newsroom's folder), the current folder's.

    Files of two projects in one call are an error: their glossaries, memories and rules differ,
    and a run must not apply one project's to the other's files."""
    chosen: tuple[str | Path, Config] | None = None
    folders: dict[Path, str | Path] = {}  # each folder looked up once (a run may name thousands of files)
    for path in paths:
        folders.setdefault(_folder(path), path)
    for folder, path in folders.items():
        config = _find_config(folder)
        if config is None:
            continue
        if chosen is None:
            chosen = (path, config)
        elif (config.root, config.source) != (chosen[1].root, chosen[1].source):
            first, other = chosen
            raise TolmachError(f"in the project {config.root}, but {first} is in the project {other.root}: "
                               "run Tolmach once per project", path)
    return chosen[1] if chosen is not None else load_config()
