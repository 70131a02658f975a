"""Installed translation models: Argos Translate packages in Argos's package directory.

Where packages live: ``$TOLMACH_MODELS_DIR``, else ``$ARGOS_PACKAGES_DIR``, else argostranslate's
default (``~/.local/share/argos-translate/packages``). The package index is argostranslate's
(``$TOLMACH_PACKAGE_INDEX``, else ``$ARGOS_PACKAGE_INDEX``, else the public index), so a model
installed with Tolmach is seen by argostranslate and the other way round.

argostranslate's package code reads the index, downloads and describes packages; the archive itself
is checked and unpacked here, into a temporary folder that is renamed into place, because
argostranslate extracts in place (a broken archive would leave half a package behind) and does
not reject entries that point outside the package folder.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import TolmachError

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"


@dataclass(frozen=True)
class ModelInfo:
    name: str  # folder name, e.g. translate-en_ru-1_9
    from_code: str
    to_code: str
    version: str
    path: Path
    size: int  # bytes on disk


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


def _argos_package(url: str | None = None):
    """argostranslate.package, pointed at Tolmach's folders (its settings are read at import)."""
    from argostranslate import package, settings

    # argostranslate logs network errors and retries on stderr; Tolmach reports one clear line.
    log = logging.getLogger("argostranslate.utils")
    if not log.handlers:
        log.addHandler(logging.NullHandler())
        log.propagate = bool(os.environ.get("TOLMACH_DEBUG"))
    target = models_dir()
    target.mkdir(parents=True, exist_ok=True)
    settings.package_data_dir = target
    settings.package_dirs = [target]
    settings.remote_package_index = index_url(url)
    # Not inside the packages folder: argostranslate takes every folder there for a package.
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    settings.local_package_index = cache / "index.json"
    settings.downloads_dir = cache / "downloads"
    settings.downloads_dir.mkdir(parents=True, exist_ok=True)
    return package


def _read_metadata(folder: Path) -> dict | None:
    try:
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def installed_models() -> list[ModelInfo]:
    root = models_dir()
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(root.iterdir()):
        meta = _read_metadata(folder) if folder.is_dir() else None
        if not meta or meta.get("type", "translate") != "translate":
            continue
        out.append(
            ModelInfo(
                name=folder.name,
                from_code=str(meta.get("from_code", "?")),
                to_code=str(meta.get("to_code", "?")),
                version=str(meta.get("package_version", "?")),
                path=folder,
                size=_size(folder),
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


def _check_archive(path: Path) -> tuple[zipfile.ZipFile, str, dict]:
    """Open and validate an .argosmodel; return the zip, its top folder and its metadata."""
    if not path.exists():
        raise TolmachError("no such model file", path)
    if path.is_dir():
        raise TolmachError("is a directory, expected an .argosmodel file", path)
    if not zipfile.is_zipfile(path):
        raise TolmachError("not an Argos model: not a zip archive", path)
    try:
        zf = zipfile.ZipFile(path)
        names = zf.namelist()
    except (zipfile.BadZipFile, OSError) as err:
        raise TolmachError(f"corrupt .argosmodel: {err}", path) from None
    tops = set()
    for name in names:
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
            zf.close()
            raise TolmachError(f"unsafe entry {name!r} would be written outside the package folder", path)
        info = zf.getinfo(name)
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            zf.close()
            raise TolmachError(f"unsafe entry {name!r}: symbolic links are not allowed", path)
        if pure.parts:
            tops.add(pure.parts[0])
    if len(tops) != 1:
        zf.close()
        raise TolmachError("not an Argos model: expected exactly one top-level folder", path)
    top = tops.pop()
    try:
        meta = json.loads(zf.read(f"{top}/metadata.json"))
    except KeyError:
        zf.close()
        raise TolmachError("not an Argos model: no metadata.json", path) from None
    except (ValueError, zipfile.BadZipFile) as err:
        zf.close()
        raise TolmachError(f"corrupt metadata.json in the model: {err}", path) from None
    if not isinstance(meta, dict) or not meta.get("from_code") or not meta.get("to_code"):
        zf.close()
        raise TolmachError("metadata.json lacks from_code/to_code", path)
    if meta.get("type", "translate") == "translate":
        for needed in ("model/model.bin", "sentencepiece.model"):
            if f"{top}/{needed}" not in names:
                zf.close()
                raise TolmachError(f"incomplete Argos model: {needed} missing", path)
    return zf, top, meta


def install_file(path: str | Path) -> ModelInfo:
    """Install an .argosmodel file; an existing package of the same name is replaced whole."""
    src = Path(path)
    zf, top, meta = _check_archive(src)
    root = models_dir()
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=root))
    try:
        with zf:
            try:
                zf.extractall(staging)
            except (zipfile.BadZipFile, OSError, EOFError) as err:
                raise TolmachError(f"corrupt .argosmodel: {err}", src) from None
        _argos_package().Package(staging / top)  # argostranslate must be able to read it
        dest = root / top
        old = None
        if dest.exists():
            old = Path(tempfile.mkdtemp(prefix=".replaced-", dir=root))
            os.replace(dest, old / top)
        os.replace(staging / top, dest)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return next(m for m in installed_models() if m.path == dest)


def available_models(url: str | None = None) -> list:
    """The package index (argostranslate's AvailablePackage objects), fetched afresh."""
    package = _argos_package(url)
    from argostranslate import settings

    local = Path(settings.local_package_index)
    local.unlink(missing_ok=True)
    package.update_package_index()  # logs and returns on network errors
    if not local.exists():
        raise TolmachError(f"cannot download the package index from {settings.remote_package_index}")
    try:
        return package.get_available_packages()
    except (ValueError, KeyError, TypeError) as err:
        raise TolmachError(f"malformed package index: {err}", settings.remote_package_index) from None


def install_pair(from_code: str, to_code: str, url: str | None = None) -> ModelInfo:
    """Download the newest package for a pair from the index and install it."""
    candidates = [
        p
        for p in available_models(url)
        if p.type == "translate" and (p.from_code, p.to_code) == (from_code, to_code)
    ]
    if not candidates:
        raise TolmachError(f"the package index has no {from_code}->{to_code} model", index_url(url))
    best = max(candidates, key=lambda p: _version_key(str(p.package_version)))
    try:
        downloaded = Path(best.download())
    except Exception as err:  # argostranslate raises bare Exception on failed downloads
        raise TolmachError(f"download failed: {err}", ", ".join(best.links)) from None
    try:
        return install_file(downloaded)
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
    for m in chosen:
        shutil.rmtree(m.path)
    return chosen


def argos_name(pkg) -> str:
    """The name argospm gives a package: translate-en_ru."""
    return f"{pkg.type}-{pkg.from_code}_{pkg.to_code}"
