"""File helpers: every write is atomic (temp file in the same folder + ``os.replace``)."""

from __future__ import annotations

import os
import re
import socket
import stat
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import TolmachError


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step.

    On any exception the temporary file is removed and ``path`` is left as it was.
    """
    # through a symbolic link to what it points at: the link stays (and /dev/stdout stays a link)
    target = Path(os.path.realpath(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if target.exists() and not target.is_file():
            # /dev/stdout, /dev/null, a named pipe: write into it, never replace it
            with open(target, "wb") as out:
                out.write(tmp_path.read_bytes())
            return
        if target.exists():
            # keep the permissions a user gave the file
            os.chmod(tmp_path, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


# --- leftovers of killed writers: our temporary names carry PID@HOST ---------------------------

OWNER_RE = r"(\d+)@([A-Za-z0-9._]+)"
# A leftover whose writer is gone is removed only after this long unmodified, so a writer on
# another host that happens to reuse a pid number is never disturbed mid-write ...
STALE_SECONDS = 60
# ... and one made on another host (a shared folder) only after a day.
FOREIGN_STALE_SECONDS = 24 * 3600


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname()) or "host"


def owner_tag() -> str:
    return f"{os.getpid()}@{_host()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    except OverflowError:
        return False
    return True


def age_seconds(path: Path) -> float:
    try:
        return time.time() - path.lstat().st_mtime
    except OSError:
        return -1.0


def leftover_is_stale(path: Path, pid: int, host: str) -> bool:
    """A temporary file or folder of ours whose writer is gone: made on this host by a process
    that no longer runs (and untouched for STALE_SECONDS), or untouched for a day."""
    age = age_seconds(path)
    if age > FOREIGN_STALE_SECONDS:
        return True
    if host != _host() or pid == os.getpid():
        return False
    return age > STALE_SECONDS and not _pid_alive(pid)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding=encoding, newline="")


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def read_text_file(path: str | Path, what: str = "file") -> str:
    """Read a UTF-8 text file, turning every way it can be wrong into a TolmachError."""
    p = Path(path)
    if not p.exists():
        raise TolmachError(f"no such {what}", p)
    if p.is_dir():
        raise TolmachError(f"is a directory, expected a {what}", p)
    try:
        data = p.read_bytes()
    except OSError as err:
        raise TolmachError(f"cannot read {what}: {err.strerror}", p) from None
    if b"\x00" in data[:8192]:
        raise TolmachError(f"binary data, expected a UTF-8 text {what}", p)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise TolmachError(
            f"not valid UTF-8 (byte 0x{data[err.start]:02x}); save the {what} as UTF-8", p, line
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
