"""File helpers: every write is atomic (temp file in the same folder + ``os.replace``)."""

from __future__ import annotations

import codecs
import os
import re
import shlex
import stat
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import TolmachError


class ConcurrentChange(Exception):
    """The target changed on disk while a new version of it was being written."""


@contextmanager
def atomic_path(path: str | Path, unchanged: Callable[[], bool] | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step.

    On any exception the temporary file is removed and ``path`` is left as it was. ``unchanged``:
    asked right before the replace (so that the window is as short as it can be); if it answers
    False, nothing is replaced and :class:`ConcurrentChange` is raised.

    The new file keeps the old one's mode and group (and its owner where root writes it; see
    :func:`_keep_owner`). It is a new file, never the old one written in place (a reader sees the
    old version or the new one, never half of it): a second hard link to the old file keeps the
    old content, as after an editor's safe save or ``git checkout`` (msgmerge -U writes in place,
    which a crash can leave half-written).
    """
    # through a symbolic link to what it points at: the link stays (and /dev/stdout stays a link)
    target = Path(os.path.realpath(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    refuse_read_only(target)
    remove_stale_temps(target)
    tmp_path: Path | None = None
    try:
        # Named before it is made, so that an interrupt (Ctrl-C, SIGTERM) the moment it exists
        # finds it to remove. The writer's pid@host in the name tells a later run whether the file
        # is a killed one's. (secrets and socket are imported here, by a write: a run that only
        # reads, `tolmach check`, does not pay the ~10 ms they and hmac/random cost at start-up.)
        import secrets

        while tmp_path is None:
            tmp_path = target.parent / f".{target.name}.{owner_tag()}-{secrets.token_hex(4)}.tmp"
            try:
                os.close(os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                tmp_path = None
            except OSError as err:  # named after the file asked for, not the temporary one
                tmp_path = None
                raise TolmachError(f"cannot write here: {err.strerror}", target) from None
        yield tmp_path
        if target.exists() and not target.is_file():
            # /dev/stdout, /dev/null, a named pipe: write into it, never replace it
            with open(target, "wb") as out:
                out.write(tmp_path.read_bytes())
            return
        if target.exists():
            refuse_read_only(target)  # made read-only while we worked
            # keep the owner, group and permissions a user gave the file
            st = target.stat()
            _keep_owner(tmp_path, st)
            os.chmod(tmp_path, st.st_mode & 0o7777)
        else:
            os.chmod(tmp_path, 0o666 & ~_umask())
        if unchanged is not None and not unchanged():
            raise ConcurrentChange(str(target))
        os.replace(tmp_path, target)
    except OSError as err:  # a full disk, a file size limit: named after the file asked for
        if isinstance(err, BrokenPipeError) or (
            err.filename is not None and os.fspath(err.filename) not in (str(tmp_path), str(target))
        ):
            raise
        raise TolmachError(f"cannot write: {err.strerror or err}", target) from None
    finally:
        if tmp_path is not None:
            tmp_path.unlink(missing_ok=True)


# --- leftovers of killed writers: our temporary names carry PID@HOST ---------------------------

OWNER_RE = r"(\d+)@([A-Za-z0-9._]+)"
# A leftover whose writer is gone is removed only after this long unmodified, so a writer on
# another host that happens to reuse a pid number is never disturbed mid-write ...
STALE_SECONDS = 60
# ... and one made on another host (a shared folder) only after a day.
FOREIGN_STALE_SECONDS = 24 * 3600


def _host() -> str:
    import socket  # only a writer (or a leftover's reader) needs the host name; see atomic_path

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


def refuse_read_only(target: Path) -> None:
    """The rename would replace a file its owner made read-only (chmod 0444): respect that.
    Checked on the mode bits too, since root may write anything."""
    try:
        st = target.stat()
    except OSError:
        return
    if not stat.S_ISREG(st.st_mode):
        return
    if st.st_mode & 0o222 == 0 or not os.access(target, os.W_OK):
        raise TolmachError(
            f"file is read-only; not changing it (chmod u+w {shlex.quote(target.name)} to allow it)", target
        )


def refuse_unwritable(paths: Iterable[str | Path]) -> None:
    """Refuse now what :func:`atomic_path` would refuse when it came to write one of ``paths``: a
    read-only file, a folder in a file's place, a folder that cannot be made or written.

    A command that writes several files checks them all before it writes the first, so that the
    last one being unwritable does not leave the others changed. (Root may write into any folder:
    there only a read-only file system is seen.)"""
    for path in paths:
        target = Path(os.path.realpath(path))  # what atomic_path writes: the file a link points at
        if target.is_dir():
            raise TolmachError("is a directory, expected a file", target)
        if target.exists() and not target.is_file():
            continue  # /dev/stdout, a named pipe: written into, never replaced
        refuse_read_only(target)
        folder = target.parent  # the nearest folder that exists: atomic_path makes the rest
        while not os.path.lexists(folder):
            folder = folder.parent
        if not folder.is_dir():
            raise TolmachError(f"cannot write here: {folder} is not a folder", target)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise TolmachError(f"cannot write here: {folder} is not writable", target)


LEGACY_TEMP_SECONDS = 600  # Tolmach 0.1 named temp files without an owner


def remove_stale_temps(target: Path) -> None:
    """Remove the temp files a killed writer of ``target`` left beside it (ours only:
    ``.NAME.PID@HOST-XXXXXXXX.tmp``, or the owner-less ``.NAME.XXXXXXXX.tmp`` of Tolmach 0.1)."""
    prefix = f".{target.name}."
    ours = re.compile(re.escape(prefix) + OWNER_RE + r"-[a-z0-9_]{8}\.tmp$")
    legacy = re.compile(re.escape(prefix) + r"[a-z0-9_]{8}\.tmp$")
    try:
        names = [n for n in os.listdir(target.parent) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        path = target.parent / name
        m = ours.match(name)
        if m:
            stale = leftover_is_stale(path, int(m.group(1)), m.group(2))
        elif legacy.match(name):
            stale = age_seconds(path) > LEGACY_TEMP_SECONDS
        else:
            continue
        if stale and path.is_file() and not path.is_symlink():
            try:
                path.unlink()
            except OSError:
                pass


def _keep_owner(path: Path, st: os.stat_result) -> None:
    """Give ``path`` the owner and group of the file it replaces (``st``), as far as this user may:
    root keeps both; another user keeps the group (one of theirs: a catalog a team shares through
    its group stays the team's) and becomes the owner. Where even the group cannot be kept (the
    writer is not in it, and may write the file only through its mode's bits for others, which are
    kept), the new file has the writer's group."""
    for uid in (st.st_uid, -1):
        try:
            os.chown(path, uid, st.st_gid)
            return
        except OSError:  # not root, or not a member of the group; or a file system without owners
            continue


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


def not_found(path: str | Path, what: str = "file or folder") -> TolmachError:
    """The error for a path that is not there as a file or a folder, saying what it is instead: a
    symbolic link that leads nowhere (a loop, or a target that is gone), something that is neither
    a file nor a folder (a named pipe, a device), or nothing at all."""
    p = Path(path)
    if os.path.islink(p) and not os.path.exists(p):
        return TolmachError("a symbolic link that leads nowhere (a loop, or its target is gone)", p)
    if os.path.lexists(p) and os.path.exists(p):
        return TolmachError(f"not a regular file or folder (a named pipe or a device?), expected {_a(what)}", p)
    return TolmachError(f"no such {what}", p)


def refuse_special(path: str | Path, what: str = "file") -> None:
    """A :class:`TolmachError` for a named pipe or a device at ``path`` (a reader would wait for a
    writer, or read without end); a missing path or a folder is left to the caller's own words."""
    p = Path(path)
    if os.path.exists(p) and not p.is_file() and not p.is_dir():
        raise not_found(p, what)


def read_input_bytes(path: str | Path, what: str = "file") -> bytes:
    """The bytes of an input file; a missing file, a folder or an unreadable file is one
    TolmachError naming it (``what``: "TMX file", "XLIFF file", ...)."""
    p = Path(path)
    if p.is_dir():
        raise TolmachError(f"is a directory, expected {_a(what)}", p)
    if not p.is_file():  # not there, a link that leads nowhere, a named pipe or a device
        raise not_found(p, what)
    try:
        return p.read_bytes()
    except OSError as err:
        raise TolmachError(f"cannot read {what}: {err.strerror}", p) from None


def read_text_file(path: str | Path, what: str = "file") -> str:
    """Read a UTF-8 text file, turning every way it can be wrong into a TolmachError."""
    p = Path(path)
    return decode_text(read_input_bytes(p, what), p, what)


def decode_text(data: bytes, path: str | Path, what: str = "file") -> str:
    """The bytes of a UTF-8 text file (already read) as :func:`read_text_file` gives them."""
    p = Path(path)
    refuse_binary(data, p, f"a UTF-8 text {what}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise TolmachError(
            f"not valid UTF-8 (byte 0x{data[err.start]:02x}); save the {what} as UTF-8"
            f" (iconv -f ENCODING -t UTF-8 {shlex.quote(p.name)})", p, line
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class TextForm:
    """How a text file ends its lines and whether it starts with a byte order mark: what
    :func:`decode_text` drops (its text has line feeds and no BOM) and what a file made from it (a
    translated article) writes back, so that it differs from the source only where it must."""

    newline: str = "\n"  # "\r\n" where the file ends every line so
    bom: bool = False

    @classmethod
    def of(cls, data: bytes) -> "TextForm":
        crlf = data.count(b"\r\n")
        consistent = crlf > 0 and crlf == data.count(b"\n") == data.count(b"\r")  # (a mixed one: line feeds)
        return cls("\r\n" if consistent else "\n", data.startswith(codecs.BOM_UTF8))

    @classmethod
    def of_file(cls, path: str | Path | None) -> "TextForm":
        """The form of the file at ``path``; the plain one where there is none to read."""
        try:  # (a regular file: a named pipe's reader would wait)
            return cls.of(Path(path).read_bytes()) if path is not None and Path(path).is_file() else cls()
        except OSError:
            return cls()

    def write(self, text: str) -> str:
        """``text`` (line feeds, no BOM) in this form."""
        return ("\ufeff" if self.bom else "") + (text.replace("\n", self.newline) if self.newline != "\n" else text)


def _a(noun: str) -> str:
    first = noun.split()[0] if noun.split() else noun
    # an acronym is read letter by letter: "an XLIFF file", "an MO file", "a TMX file"
    vowel = first[:1] in "AEFHILMNORSX" if first.isupper() and len(first) > 1 else noun[:1].lower() in "aeiou"
    return ("an " if vowel else "a ") + noun


_WIDE = (  # byte order marks of the encodings that put NUL bytes into plain text
    (b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"),
)


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16/32 by its byte order mark, or UTF-16 without one: text whose every other byte is
    NUL (what Windows tools save as "Unicode")."""
    for bom, name in _WIDE:
        if data.startswith(bom):
            return name
    head = data[:4096]
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        # iconv reads BOM-less "UTF-16" as big-endian: name the byte order
        for zeros, other, name in ((even, odd, "UTF-16BE"), (odd, even, "UTF-16LE")):
            if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.1 * len(other):
                return name
    return None


def refuse_binary(data: bytes, path: str | Path, expected: str) -> None:
    """A NUL byte anywhere means this is not UTF-8 text: say UTF-16 (and how to convert) when it
    is that, else name the line of the first NUL."""
    nul = data.find(b"\x00")
    wide = _wide_encoding(data)
    if wide:
        name = shlex.quote(Path(path).name)
        raise TolmachError(
            f"{wide} text, expected {expected}; convert it: iconv -f {wide} -t UTF-8 {name} > {name}.utf8",
            path,
        )
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise TolmachError(f"binary data (a NUL byte), expected {expected}", path, line)


def unique_files(paths: Iterable[Path]) -> list[Path]:
    """``paths`` without a second name of the same file, in their order."""
    seen: dict[Path, Path] = {}
    for p in paths:
        seen.setdefault(p.resolve(), p)
    return list(seen.values())
