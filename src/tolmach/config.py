"""Project configuration: ``tolmach.toml`` or ``[tool.tolmach]`` in ``pyproject.toml``.

Looked up from the current directory upwards; the first file that has Tolmach settings wins.
Example (``tolmach.toml``; in pyproject the same keys go under ``[tool.tolmach]``)::

    locales = "locales"                  # catalog folder (stats, compile, memory sync)
    glossary = "glossaries"              # folder or file(s) of glossaries
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

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import TolmachError


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


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        line = getattr(err, "lineno", None)
        raise TolmachError(f"malformed TOML: {err}", path, line) from None
    except OSError as err:
        raise TolmachError(f"cannot read configuration: {err.strerror}", path) from None


def load_config(start: str | Path | None = None) -> Config:
    """Find and read the project configuration, or return an empty one rooted at ``start``."""
    here = Path(start or Path.cwd()).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        own = folder / "tolmach.toml"
        if own.is_file():
            return Config(folder, _read_toml(own), own)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            data = _read_toml(pyproject).get("tool", {}).get("tolmach")
            if data is not None:
                return Config(folder, data, pyproject)
    return Config(here, {}, None)
