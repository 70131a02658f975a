"""Shared pytest fixtures. Each block is owned by one module's tests; keep blocks separate."""

from __future__ import annotations

from pathlib import Path

import pytest

# --- tiny CTranslate2 test model (tolmach.devtools.tinymodel) --------------------------------


@pytest.fixture(scope="session")
def tiny_package(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Tiny Argos-format packages, built once per session (well under a second each).

    Keys: ``en_ru`` / ``ru_en`` (Path to the ``.argosmodel`` zip), ``en_ru_dir`` / ``ru_en_dir``
    (Path to the unzipped package folder), ``en_ru_dictionary`` / ``ru_en_dictionary`` (the word
    substitutions each model makes; see ``tinymodel.apply_dictionary`` for the exact output).
    """
    import zipfile

    from tolmach.devtools.tinymodel import (
        DEFAULT_DICTIONARY_EN_RU,
        DEFAULT_DICTIONARY_RU_EN,
        build_tiny_argosmodel,
    )

    root: Path = tmp_path_factory.mktemp("tiny_package")
    packages: dict = {}
    for from_code, to_code, dictionary in (
        ("en", "ru", DEFAULT_DICTIONARY_EN_RU),
        ("ru", "en", DEFAULT_DICTIONARY_RU_EN),
    ):
        key = f"{from_code}_{to_code}"
        archive = build_tiny_argosmodel(
            root / f"translate-{key}-1_0.argosmodel",
            from_code=from_code,
            to_code=to_code,
            dictionary=dictionary,
        )
        with zipfile.ZipFile(archive) as zf:
            top = zf.namelist()[0].rstrip("/")
            zf.extractall(root / "unzipped")
        packages[key] = archive
        packages[f"{key}_dir"] = root / "unzipped" / top
        packages[f"{key}_dictionary"] = dict(dictionary)
    return packages


# --- end tiny CTranslate2 test model ----------------------------------------------------------


# --- a project with the tiny models installed (tests/test_trust.py, tests/test_trust_property.py)


@pytest.fixture
def tiny_env(tmp_path, tiny_package) -> dict:
    """Environment for `tolmach` with both tiny models installed in a folder of this test."""
    from helpers import tolmach

    env = {
        "TOLMACH_MODELS_DIR": str(tmp_path / "models"),
        "TOLMACH_CACHE_DIR": str(tmp_path / "cache"),
        "TOLMACH_PACKAGE_INDEX": "http://127.0.0.1:9/",  # nothing listens there
    }
    for key in ("en_ru", "ru_en"):
        res = tolmach("models", "install", "--file", tiny_package[key], env=env)
        assert res.exit_code == 0, res.output
    return env


# --- end project with the tiny models -------------------------------------------------------------


@pytest.fixture(autouse=True, scope="session")
def _check_cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """`tolmach check` keeps results between runs: in tests, in a folder of the test session (the
    variable is inherited by the CLI processes the tests start)."""
    import os

    old = os.environ.get("TOLMACH_CACHE_DIR")
    os.environ["TOLMACH_CACHE_DIR"] = str(tmp_path_factory.mktemp("check-cache"))
    yield
    if old is None:
        os.environ.pop("TOLMACH_CACHE_DIR", None)
    else:
        os.environ["TOLMACH_CACHE_DIR"] = old
