"""Installed translation models: Argos Translate packages in Argos's package directory.

Where packages live: ``$TOLMACH_MODELS_DIR``, else ``$ARGOS_PACKAGES_DIR``, else argostranslate's
default (``~/.local/share/argos-translate/packages``). The package index is argostranslate's format
(``$TOLMACH_PACKAGE_INDEX``, else ``$ARGOS_PACKAGE_INDEX``, else the public index), so a model
installed with Tolmach is seen by argostranslate and the other way round.

The index is read, packages are downloaded, checked and unpacked here rather than with
argostranslate's package code, because that code has no timeouts, reads a whole download into
memory, trusts any file left in its download folder, extracts in place (a broken archive leaves
half a package behind) and does not reject entries that point outside the package folder. Tolmach
therefore needs no part of argostranslate (nor its stanza/torch stack) to manage packages.

Every install is bounded: the index and each download are streamed to disk under a size cap with
connect/read timeouts and a deadline for the whole transfer, the archive's entries are checked against size and compression-ratio limits
before anything is written, and the package is unpacked into a staging folder *beside* the
packages folder (argostranslate takes every folder inside it for a package) and renamed into place.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import fsutil
from .errors import TolmachError

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"

# Written into each installed package folder: what was installed, from where, and its sha256.
# argostranslate ignores files it does not know.
RECORD = "tolmach-install.json"

# Network bounds. The timeout applies to connecting and to every read (urllib's socket timeout);
# $TOLMACH_NET_TIMEOUT overrides it (seconds). It restarts on every read, so a server sending a
# byte a second never reaches it: the deadline bounds each transfer whole ($TOLMACH_NET_DEADLINE,
# seconds; the index, ~100 KB, gets at most INDEX_DEADLINE of it).
NET_TIMEOUT = 30.0
NET_DEADLINE = 3600.0  # a 300 MB package at 85 KB/s
INDEX_DEADLINE = 120.0
MAX_INDEX_BYTES = 16 * 2**20  # the public index is ~100 KB
# A download may exceed the size the index declares by this much (a rebuilt package of the same
# version); with no declared size, by nothing more than MAX_DOWNLOAD_BYTES.
SIZE_MARGIN = 0.05
SIZE_SLACK = 2**20
MAX_DOWNLOAD_BYTES = 4 * 2**30
CHUNK = 2**20

@dataclass(frozen=True)
class ExtractLimits:
    """What an archive may expand to. Argos models are 30-300 MB and compress barely (int8
    weights); a zip bomb expands a thousandfold."""

    total: int = 8 * 2**30
    per_entry: int = 4 * 2**30
    ratio: float = 100.0  # uncompressed / compressed, checked for entries over ratio_floor
    ratio_floor: int = 2**20
    entries: int = 10_000


@dataclass(frozen=True)
class ModelInfo:
    name: str  # folder name, e.g. translate-en_ru-1_9
    from_code: str
    to_code: str
    version: str
    path: Path
    size: int  # bytes on disk
    sha256: str = ""  # of the .argosmodel it was installed from ("" if not installed by Tolmach)
    source: str = ""  # file or URL it was installed from


@dataclass(frozen=True)
class IndexEntry:
    """One package the index offers."""

    type: str
    from_code: str
    to_code: str
    version: str
    links: tuple[str, ...]
    size: int | None = None  # bytes of the .argosmodel, when the index says
    sha256: str | None = None  # when the index says

    @property
    def name(self) -> str:
        return f"{self.type}-{self.from_code}_{self.to_code}"


def models_dir() -> Path:
    for var in ("TOLMACH_MODELS_DIR", "ARGOS_PACKAGES_DIR"):
        value = os.environ.get(var)
        if value:
            return Path(value).expanduser()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "argos-translate" / "packages"


def cache_dir() -> Path:
    value = os.environ.get("TOLMACH_CACHE_DIR")
    if value:
        return Path(value).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tolmach"


def index_url(url: str | None = None) -> str:
    url = url or os.environ.get("TOLMACH_PACKAGE_INDEX") or os.environ.get("ARGOS_PACKAGE_INDEX")
    url = url or DEFAULT_INDEX
    if url.endswith("index.json"):
        return url
    return url.rstrip("/") + "/index.json"


def _seconds(var: str, default: float) -> float:
    value = os.environ.get(var)
    if value:
        try:
            seconds = float(value)
        except ValueError:
            raise TolmachError(f"{var}={value!r}: expected a number of seconds") from None
        if seconds > 0:
            return seconds
    return default


def net_timeout() -> float:
    return _seconds("TOLMACH_NET_TIMEOUT", NET_TIMEOUT)


def net_deadline() -> float:
    return _seconds("TOLMACH_NET_DEADLINE", NET_DEADLINE)


# --- installed packages --------------------------------------------------------------------------


def _read_json(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def installed_models() -> list[ModelInfo]:
    root = models_dir()
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(root.iterdir()):
        meta = _read_json(folder / "metadata.json") if folder.is_dir() else None
        if not meta or meta.get("type", "translate") != "translate":
            continue
        record = _read_json(folder / RECORD) or {}
        out.append(
            ModelInfo(
                name=folder.name,
                from_code=str(meta.get("from_code", "?")),
                to_code=str(meta.get("to_code", "?")),
                version=str(meta.get("package_version", "?")),
                path=folder,
                size=_size(folder),
                sha256=str(record.get("sha256", "")),
                source=str(record.get("source", "")),
            )
        )
    return out


def find_model(from_code: str, to_code: str, package: str | Path | None = None) -> Path:
    """The package folder for a language pair, or a TolmachError saying how to install one."""
    if package is not None:
        p = Path(package)
        if not (p / "metadata.json").is_file():
            raise TolmachError("not an Argos package folder (no metadata.json)", p)
        return p
    matches = [m for m in installed_models() if (m.from_code, m.to_code) == (from_code, to_code)]
    if not matches:
        raise TolmachError(
            f"no {from_code}->{to_code} model installed in {models_dir()}; "
            f"install one with: tolmach models install {from_code} {to_code}"
        )
    return max(matches, key=lambda m: _version_key(m.version)).path


def _version_key(version: str) -> tuple:
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


# --- leftovers of killed installs ----------------------------------------------------------------

# .tolmach-installing-PID@HOST-XXXXXXXX (stage folders), NAME.part-PID@HOST-XXXXXXXX (downloads)
_OURS = re.compile(r"(?:^\.tolmach-installing-|\.part-)" + fsutil.OWNER_RE + r"-[a-z0-9_]{8}$")
_LEGACY_STAGE = re.compile(r"^\.(installing|replaced)-[a-z0-9_]{8}$")  # Tolmach 0.1: no owner
LEGACY_STALE_SECONDS = 600


def _remove_stale(folder: Path) -> None:
    try:
        children = list(folder.iterdir())
    except OSError:
        return
    for child in children:
        m = _OURS.search(child.name)
        if m:
            stale = fsutil.leftover_is_stale(child, int(m.group(1)), m.group(2))
        elif _LEGACY_STAGE.match(child.name):
            stale = fsutil.age_seconds(child) > LEGACY_STALE_SECONDS
        else:
            continue
        if not stale:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _staging_parent(root: Path) -> Path:
    """Where to unpack: beside the packages folder, on the same file system (so the final rename
    is atomic), else (a read-only parent, a mount point) inside it as a hidden folder that the
    next install removes if this one is killed."""
    parent = root.parent
    try:
        if os.access(parent, os.W_OK | os.X_OK) and parent.stat().st_dev == root.stat().st_dev:
            return parent
    except OSError:
        pass
    return root


def _clean_stages(root: Path) -> None:
    _remove_stale(root)
    _remove_stale(root.parent)


# --- the archive ----------------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_archive(path: Path, limits: ExtractLimits) -> tuple[zipfile.ZipFile, str, dict]:
    """Open and validate an .argosmodel; return the zip, its top folder and its metadata."""
    if not path.exists():
        raise TolmachError("no such model file", path)
    if path.is_dir():
        raise TolmachError("is a directory, expected an .argosmodel file", path)
    fsutil.refuse_special(path, "model file")  # (opening a named pipe waits for a writer)
    if not zipfile.is_zipfile(path):
        raise TolmachError("not an Argos model: not a zip archive", path)
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise TolmachError(f"corrupt .argosmodel: {err}", path) from None
    try:
        top, meta = _check_entries(zf, infos, path, limits)
    except BaseException:
        zf.close()
        raise
    return zf, top, meta


def _check_entries(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], path: Path, limits: ExtractLimits):
    if len(infos) > limits.entries:
        raise TolmachError(f"too many entries ({len(infos):,}, limit {limits.entries:,})", path)
    tops = set()
    total = 0
    for info in infos:
        name = info.filename
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
            raise TolmachError(f"unsafe entry {name!r} would be written outside the package folder", path)
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise TolmachError(f"unsafe entry {name!r}: symbolic links are not allowed", path)
        # zipfile never returns more than the size an entry declares (and checks its CRC), so the
        # declared sizes bound what extraction writes.
        if info.file_size > limits.per_entry:
            raise TolmachError(
                f"entry {name!r} expands to {info.file_size:,} bytes (limit {limits.per_entry:,})", path
            )
        if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise TolmachError(
                f"entry {name!r} expands {info.file_size / max(info.compress_size, 1):,.0f}-fold "
                f"(limit {limits.ratio:g}): not a model, a zip bomb?", path
            )
        total += info.file_size
        if total > limits.total:
            raise TolmachError(f"archive expands to more than {limits.total:,} bytes", path)
        if pure.parts:
            tops.add(pure.parts[0])
    if len(tops) != 1:
        raise TolmachError("not an Argos model: expected exactly one top-level folder", path)
    top = tops.pop()
    names = {i.filename for i in infos}
    try:
        # read as installed_models() and Argos read it (UTF-8, no byte order mark): a file they
        # could not read would be installed as a package nobody can list, use or remove
        meta = json.loads(zf.read(f"{top}/metadata.json").decode("utf-8"))
    except KeyError:
        raise TolmachError("not an Argos model: no metadata.json", path) from None
    except (ValueError, zipfile.BadZipFile) as err:
        raise TolmachError(f"corrupt metadata.json in the model: {err}", path) from None
    if not isinstance(meta, dict) or not isinstance(meta.get("from_code"), str) or not isinstance(
        meta.get("to_code"), str
    ) or not meta["from_code"] or not meta["to_code"]:
        raise TolmachError("metadata.json lacks from_code/to_code", path)
    for field in ("from_code", "to_code"):
        if not _LANG_CODE.fullmatch(meta[field]):
            raise TolmachError(f"metadata.json: {field} {meta[field]!r} is not a language code", path)
    if meta["from_code"] == meta["to_code"]:
        raise TolmachError(f"metadata.json: from_code and to_code are both {meta['from_code']!r}", path)
    if meta.get("type", "translate") != "translate":
        raise TolmachError(f"not a translation model (metadata.json type {meta.get('type')!r})", path)
    version = meta.get("package_version", "?")
    if "package_version" in meta and not (isinstance(version, str) and _version_key(version)[0]):
        raise TolmachError(f"metadata.json: package_version {version!r} is not a version number", path)
    for needed in ("model/model.bin", "sentencepiece.model"):
        if f"{top}/{needed}" not in names:
            raise TolmachError(f"incomplete Argos model: {needed} missing", path)
    return top, meta


_LANG_CODE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")  # en, ru, pt_BR, zh-Hant


def _extract(zf: zipfile.ZipFile, dest: Path, src: Path, limits: ExtractLimits) -> None:
    """Write the entries, counting what is written (a second bound beside the declared sizes)."""
    written = 0
    for info in zf.infolist():
        target = dest / info.filename
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as entry, open(target, "wb") as out:
            for block in iter(lambda: entry.read(CHUNK), b""):
                written += len(block)
                if written > limits.total:
                    raise TolmachError(f"archive expands to more than {limits.total:,} bytes", src)
                out.write(block)


def check_sentencepiece(path: Path, where: str | Path) -> None:
    """The tokenizer must load: a corrupt one otherwise fails only at translate time."""
    import sentencepiece

    try:
        sentencepiece.SentencePieceProcessor(model_file=str(path))
    except (RuntimeError, OSError, ValueError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise TolmachError(f"corrupt sentencepiece.model ({first})", where) from None


def _describe(m: ModelInfo) -> str:
    return f"{m.name} {m.version}"


def _conflicts(meta: dict, top: str) -> list[ModelInfo]:
    pair = (meta["from_code"], meta["to_code"])
    return [m for m in installed_models() if m.name == top or (m.from_code, m.to_code) == pair]


def _check_replacement(version: str, name: str, existing: list[ModelInfo], force: bool, where) -> None:
    """Refuse a downgrade or a reinstall of the same version unless forced."""
    if force:
        return
    new = _version_key(version)
    for m in existing:
        old = _version_key(m.version)
        if old == new:
            raise TolmachError(
                f"{_describe(m)} is already installed (same version); use --force to reinstall it", where
            )
        if old > new:
            raise TolmachError(
                f"{name} {version} would downgrade the installed {_describe(m)}; "
                "use --force to install it anyway", where
            )


def _check_expected(meta: dict, expected: IndexEntry, where) -> None:
    """The archive must hold what the index offered: the index is only trusted to say where a
    package lies, and another pair installed under this name could replace a working model."""
    pair, version = f"{meta['from_code']}->{meta['to_code']}", str(meta.get("package_version", "?"))
    wanted = f"{expected.from_code}->{expected.to_code}"
    if pair != wanted or (expected.version and _version_key(version) != _version_key(expected.version)):
        raise TolmachError(
            f"the package is {pair} {version}, the index says {wanted} {expected.version or '(no version)'}",
            where,
        )


@dataclass(frozen=True)
class InstallResult:
    model: ModelInfo
    replaced: tuple[ModelInfo, ...] = ()  # what the install removed (the same folder, the same pair)


def install_file(
    path: str | Path,
    force: bool = False,
    limits: ExtractLimits | None = None,
    source: str | None = None,
    sha256: str | None = None,
    expected: IndexEntry | None = None,
) -> InstallResult:
    """Install an .argosmodel file. The installed package of the same pair (or in the same
    folder) is replaced, once the new one is in place, and only by a newer version (or with
    ``force``). With ``expected`` (the index entry it was downloaded for),
    an archive of another pair or version than the entry's is refused."""
    return _install([_Archive(Path(path), source, sha256, expected)], force, limits)[0]


def install_files(paths: list[str | Path], force: bool = False, limits: ExtractLimits | None = None
                  ) -> list[InstallResult]:
    """Install .argosmodel files, all or none: every one is checked and unpacked before the first
    is put in place, so a bad one installs nothing."""
    return _install([_Archive(Path(p)) for p in paths], force, limits)


@dataclass(frozen=True)
class _Archive:
    path: Path
    source: str | None = None  # the URL it was downloaded from
    sha256: str | None = None  # known already (computed while downloading)
    expected: IndexEntry | None = None


@dataclass(frozen=True)
class _Staged:
    archive: _Archive
    top: str  # the package folder's name
    meta: dict
    folder: Path  # the staging folder, holding the unpacked package as folder / top


def _install(archives: list[_Archive], force: bool, limits: ExtractLimits | None) -> list[InstallResult]:
    limits = limits or ExtractLimits()
    with contextlib.ExitStack() as stack:
        checked = []
        for archive in archives:
            zf, top, meta = _check_archive(archive.path, limits)
            stack.enter_context(zf)
            if archive.expected is not None:
                _check_expected(meta, archive.expected, archive.source or archive.path)
            _check_replacement(str(meta.get("package_version", "?")), top, _conflicts(meta, top), force,
                               archive.path)
            checked.append((archive, zf, top, meta))
        _refuse_same_pair_twice(checked)
        root = models_dir()
        root.mkdir(parents=True, exist_ok=True)
        _clean_stages(root)
        staged = []
        for archive, zf, top, meta in checked:
            folder = Path(tempfile.mkdtemp(prefix=f".tolmach-installing-{fsutil.owner_tag()}-",
                                           dir=_staging_parent(root)))
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
            _unpack(archive, zf, top, meta, folder, limits)
            staged.append(_Staged(archive, top, meta, folder))
        return [_put_in_place(s, root) for s in staged]


def _refuse_same_pair_twice(checked) -> None:
    seen: dict[tuple[str, str], Path] = {}
    for archive, _zf, _top, meta in checked:
        pair = (meta["from_code"], meta["to_code"])
        if pair in seen:
            raise TolmachError(
                f"{seen[pair]} is a {pair[0]}->{pair[1]} package too; install one of them", archive.path
            )
        seen[pair] = archive.path


def _unpack(archive: _Archive, zf: zipfile.ZipFile, top: str, meta: dict, folder: Path,
            limits: ExtractLimits) -> None:
    src = archive.path
    try:
        _extract(zf, folder, src, limits)
    except (zipfile.BadZipFile, EOFError, zlib.error) as err:
        raise TolmachError(f"corrupt .argosmodel: {err}", src) from None
    package = folder / top
    if (package / "sentencepiece.model").is_file():
        check_sentencepiece(package / "sentencepiece.model", src)
    digest = archive.sha256 or _sha256_file(src)
    record = {"sha256": digest, "source": archive.source or str(src.resolve()), "installed": _now()}
    (package / RECORD).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    if _read_json(package / "metadata.json") != meta:  # what the listing will read of it
        raise TolmachError("metadata.json in the model cannot be read back", src)


def _put_in_place(staged: _Staged, root: Path) -> InstallResult:
    """Rename the package into place, then take out the other packages of its pair: Argos names
    package folders by version (translate-en_ru-1_9), so an upgrade is seldom the same folder."""
    dest = root / staged.top
    replaced = _conflicts(staged.meta, staged.top)
    if dest.exists():
        os.replace(dest, staged.folder / ".replaced")
    os.replace(staged.folder / staged.top, dest)
    _discard([m.path for m in replaced if m.path != dest], root)
    model = next((m for m in installed_models() if m.path == dest), None)
    if model is None:  # pragma: no cover - checked before the replace
        raise TolmachError("the installed package cannot be listed", dest)
    return InstallResult(model, tuple(replaced))


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


# --- the package index and downloads --------------------------------------------------------------


class _Deadline:
    """Ends a transfer that outlasts its deadline: at the deadline a timer shuts down every socket
    the transfer opened (each redirect opens one), which wakes a read blocked on it, in the
    headers or the body alike. Only a shutdown does: the socket timeout restarts on every byte."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def opener(self) -> urllib.request.OpenerDirector:
        guard = self

        def watched(http_class):
            class Connection(http_class):
                def connect(self):
                    super().connect()
                    guard.watch(self.sock)

            return Connection

        class HTTPHandler(urllib.request.HTTPHandler):
            def do_open(self, http_class, req, **kwargs):
                return super().do_open(watched(http_class), req, **kwargs)

        class HTTPSHandler(urllib.request.HTTPSHandler):
            def do_open(self, http_class, req, **kwargs):
                return super().do_open(watched(http_class), req, **kwargs)

        return urllib.request.build_opener(HTTPHandler, HTTPSHandler)


def _shut(sock: socket.socket) -> None:
    try:
        # the plain socket's shutdown: an SSL socket's would drop its SSL state under the reader
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass


def _open(url: str, guard: _Deadline):
    request = urllib.request.Request(url, headers={"User-Agent": "tolmach"})
    return guard.opener().open(request, timeout=net_timeout())


def _net_reason(err: BaseException) -> str:
    """What went wrong, on one line (urllib's redirect-loop reason spans three)."""
    return " ".join(_net_reason_text(err).split())


def _net_reason_text(err: BaseException) -> str:
    if isinstance(err, urllib.error.HTTPError):
        return f"HTTP {err.code} {err.reason}"
    if isinstance(err, urllib.error.URLError):
        err = err.reason if isinstance(err.reason, BaseException) else err
        if isinstance(err, str):
            return err
    if isinstance(err, (socket.timeout, TimeoutError)):
        return f"no answer within {net_timeout():g} s"
    return getattr(err, "strerror", None) or str(err) or type(err).__name__


OFFLINE_HINT = "without network, install a model from a file: tolmach models install --file PACKAGE.argosmodel"


def _stream(url: str, out, cap: int, expected: int | None, what: str, deadline: float) -> tuple[int, str]:
    """Copy a URL into an open binary file; return (bytes, sha256). Bounded by ``cap`` bytes, the
    connect/read timeout and ``deadline`` seconds for the whole transfer."""
    digest = hashlib.sha256()
    done = 0
    guard = _Deadline(deadline)
    late = TolmachError(
        f"cannot download the {what}: not complete within {deadline:g} s (TOLMACH_NET_DEADLINE)", url
    )
    try:
        with guard, _open(url, guard) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit():
                if int(length) > cap:
                    raise TolmachError(f"{what} is {int(length):,} bytes, more than the {cap:,} allowed", url)
                if expected is not None and int(length) != expected:
                    raise TolmachError(
                        f"{what} is {int(length):,} bytes, the index says {expected:,}", url
                    )
            while True:
                block = response.read(CHUNK)
                if not block:
                    break
                done += len(block)
                if done > cap:
                    raise TolmachError(f"{what} exceeds the {cap:,} bytes allowed; download stopped", url)
                digest.update(block)
                out.write(block)
    except TolmachError:
        raise
    except (OSError, ValueError, urllib.error.URLError) as err:  # http.client errors are OSError/ValueError
        if guard.expired:
            raise late from None
        raise TolmachError(f"cannot download the {what}: {_net_reason(err)}", url) from None
    except Exception as err:  # http.client.IncompleteRead and friends (HTTPException)
        if guard.expired:
            raise late from None
        raise TolmachError(f"cannot download the {what}: {type(err).__name__} {err}", url) from None
    if guard.expired:  # a body without Content-Length ends at the shutdown as if complete
        raise late
    return done, digest.hexdigest()


def _parse_index(data: bytes, url: str) -> list[IndexEntry]:
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as err:
        raise TolmachError(f"malformed package index: not JSON ({err})", url) from None
    if not isinstance(raw, list):
        raise TolmachError(
            f"malformed package index: expected a JSON list of packages, got {type(raw).__name__}", url
        )
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise TolmachError(f"malformed package index: entry {i} is a {type(item).__name__}, not an object", url)
        kind = item.get("type", "translate")
        from_code, to_code = item.get("from_code"), item.get("to_code")
        links = item.get("links", [])
        if not all(isinstance(v, str) for v in (kind, from_code, to_code)) or not (
            isinstance(links, list) and all(isinstance(link, str) for link in links)
        ):
            raise TolmachError(
                f"malformed package index: entry {i} needs type/from_code/to_code strings and a list of links", url
            )
        size = item.get("size")
        if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size <= 0):
            raise TolmachError(f"malformed package index: entry {i} size {size!r} is not a byte count", url)
        sha = item.get("sha256", item.get("checksum"))
        if isinstance(sha, str) and sha.lower().startswith("sha256:"):
            sha = sha[7:]
        if sha is not None and not (isinstance(sha, str) and re.fullmatch(r"[0-9a-fA-F]{64}", sha)):
            raise TolmachError(f"malformed package index: entry {i} sha256 {sha!r} is not a SHA-256", url)
        out.append(
            IndexEntry(
                type=kind,
                from_code=from_code,
                to_code=to_code,
                version=str(item.get("package_version", "")),
                links=tuple(links),
                size=size,
                sha256=sha.lower() if sha else None,
            )
        )
    return out


def available_models(url: str | None = None) -> list[IndexEntry]:
    """The package index, fetched afresh (bounded in size and time)."""
    url = index_url(url)
    buf = bytearray()

    class _Sink:
        def write(self, block: bytes) -> None:
            buf.extend(block)

    try:
        _stream(url, _Sink(), MAX_INDEX_BYTES, None, "package index", min(net_deadline(), INDEX_DEADLINE))
    except TolmachError as err:
        if err.message.startswith("cannot download"):
            raise TolmachError(f"{err.message}; {OFFLINE_HINT}", url) from None
        raise
    return _parse_index(bytes(buf), url)


def _download_cap(entry: IndexEntry) -> int:
    if entry.size is None:
        return MAX_DOWNLOAD_BYTES
    return min(MAX_DOWNLOAD_BYTES, int(entry.size * (1 + SIZE_MARGIN)) + SIZE_SLACK)


def download(entry: IndexEntry) -> tuple[Path, str, str]:
    """Download a package into the cache; return (file, sha256, link). The file is checked
    against the index's size and checksum; a file already in the cache is used only when the
    index's checksum matches it (otherwise it is fetched again)."""
    folder = cache_dir() / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale(folder)
    final = folder / f"{entry.name}-{entry.version or 'unversioned'}.argosmodel"
    if final.exists():
        if entry.sha256 and final.is_file() and _sha256_file(final) == entry.sha256:
            return final, entry.sha256, "cache"
        final.unlink()
    if not entry.links:
        raise TolmachError(f"the package index gives no download link for {entry.name} {entry.version}")
    errors = []
    for link in entry.links:
        fd, part_name = tempfile.mkstemp(prefix=f".{final.name}.part-{fsutil.owner_tag()}-", dir=folder)
        part = Path(part_name)
        try:
            with os.fdopen(fd, "wb") as out:
                size, digest = _stream(link, out, _download_cap(entry), entry.size, "package", net_deadline())
            if entry.size is not None and size != entry.size:
                raise TolmachError(f"package is {size:,} bytes, the index says {entry.size:,}", link)
            if entry.sha256 and digest != entry.sha256:
                raise TolmachError(
                    f"package checksum mismatch: sha256 {digest}, the index says {entry.sha256}", link
                )
            os.replace(part, final)
            return final, digest, link
        except TolmachError as err:
            errors.append(err)
        finally:
            part.unlink(missing_ok=True)
    raise errors[-1]


def install_pair(
    from_code: str, to_code: str, url: str | None = None, force: bool = False
) -> InstallResult:
    """Download the newest package for a pair from the index and install it."""
    candidates = [
        p for p in available_models(url) if p.type == "translate" and (p.from_code, p.to_code) == (from_code, to_code)
    ]
    if not candidates:
        raise TolmachError(f"the package index has no {from_code}->{to_code} model", index_url(url))
    best = max(candidates, key=lambda p: _version_key(p.version))
    existing = [m for m in installed_models() if (m.from_code, m.to_code) == (from_code, to_code)]
    # before downloading: nothing to fetch when the index offers nothing newer
    _check_replacement(best.version, best.name, existing, force, index_url(url))
    downloaded, digest, link = download(best)
    try:
        return install_file(downloaded, force=force, source=link, sha256=digest, expected=best)
    finally:
        downloaded.unlink(missing_ok=True)


def remove_model(name_or_pair: str, to_code: str | None = None) -> list[ModelInfo]:
    models = installed_models()
    if to_code is not None:
        chosen = [m for m in models if (m.from_code, m.to_code) == (name_or_pair, to_code)]
    else:
        chosen = [m for m in models if m.name == name_or_pair]
    if not chosen:
        what = f"{name_or_pair}->{to_code}" if to_code else name_or_pair
        raise TolmachError(f"no installed model {what} in {models_dir()}")
    _discard([m.path for m in chosen], models_dir())
    return chosen


def _discard(paths: list[Path], root: Path) -> None:
    """Take packages out of the packages folder, one rename each (a half-deleted package would be
    listed and loaded), then delete them. A package that is a link is the link: renaming moves the
    link, and rmtree does not follow links inside the folder it deletes, so the target stays."""
    # named as an install's stage, so that the next install removes it if this process is killed
    trash = Path(tempfile.mkdtemp(prefix=f".tolmach-installing-{fsutil.owner_tag()}-", dir=_staging_parent(root)))
    try:
        for i, path in enumerate(paths):
            try:
                os.replace(path, trash / f"{i}-{path.name}")
            except OSError as err:
                raise TolmachError(f"cannot remove the package: {err.strerror or err}", path) from None
    finally:
        shutil.rmtree(trash, ignore_errors=True)
