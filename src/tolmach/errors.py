"""The one exception type users see: a clear line naming the file (and line) at fault."""

from __future__ import annotations

from pathlib import Path


class TolmachError(Exception):
    """Bad input or a missing resource. The CLI prints ``str(err)`` and exits with code 2."""

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        super().__init__(self.format())

    def format(self) -> str:
        if self.path is None:
            return self.message
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"
