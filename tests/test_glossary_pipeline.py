"""Issue 6, end to end: the glossary enforced during translation and checked in CI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tolmach.catalog import load_catalog, save_catalog

from helpers import SEED, assert_valid_po, tolmach, tolmach_process

ROOT = Path(__file__).resolve().parents[1]
GLOSSARIES = ROOT / "glossaries"
REVIEWED = ROOT / "locales" / "ru" / "LC_MESSAGES" / "moscow-times-taliban.po"


@pytest.fixture
def installed(tmp_path, tiny_package):
    env = {"TOLMACH_MODELS_DIR": str(tmp_path / "models"), "TOLMACH_CACHE_DIR": str(tmp_path / "cache")}
    assert tolmach("models", "install", "--file", tiny_package["en_ru"], env=env).exit_code == 0
    return env


def test_seed_article_with_test_model_and_seed_glossary_passes_the_check(tmp_path, installed):
    article = tmp_path / "taliban.txt"
    shutil.copy(SEED, article)
    res = tolmach("translate-article", article, "--to", "ru", "--glossary", GLOSSARIES,
                  cwd=tmp_path, env=installed)
    assert res.exit_code == 0, res.output
    po_path = tmp_path / "locales/ru/LC_MESSAGES/taliban.po"
    po = assert_valid_po(po_path)
    text = po_path.read_text(encoding="utf-8")
    # the test model writes the misspelling «Скапарротти»; the glossary puts «Скапаротти» in its place
    assert "Скапарротти" not in "".join(e.msgstr for e in po)
    assert "Скапаротти" in "".join(e.msgstr for e in po)
    assert "glossary: enforced" in text
    assert all(e.fuzzy for e in po)
    # the machine drafts are fuzzy: the check looks at them with --fuzzy; the test model leaves
    # English words in place, so only the glossary check is asked to pass here
    proc = tolmach_process("check", "locales", "--glossary", GLOSSARIES, "--fuzzy", "--only", "glossary",
                           cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_reviewed_catalog_passes_every_check():
    proc = tolmach_process("check", REVIEWED, "--glossary", GLOSSARIES, "--strict", cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_valid_po(REVIEWED)


@pytest.mark.parametrize(
    "good, bad, needle",
    [
        ("Кертис Скапаротти", "Кертис Скапарротти", "Скапарротти"),
        ("газете «Комсомольская правда»", "газете «Комсомольская правды»", "Комсомольская правды"),
    ],
)
def test_planted_glossary_errors_fail_the_check(tmp_path, good, bad, needle):
    po_path = tmp_path / "locales" / "ru" / "LC_MESSAGES" / REVIEWED.name
    po_path.parent.mkdir(parents=True)
    po = load_catalog(REVIEWED)
    hits = [e for e in po if good in e.msgstr]
    assert hits, good
    hits[0].msgstr = hits[0].msgstr.replace(good, bad)
    save_catalog(po, po_path)
    for fmt in ("text", "github", "json"):
        proc = tolmach_process("check", "locales", "--glossary", GLOSSARIES, "--format", fmt, cwd=tmp_path)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert needle in proc.stdout
        assert "Traceback" not in proc.stderr
    proc = tolmach_process("check", "locales", "--glossary", GLOSSARIES, cwd=tmp_path)
    line = next(ln for ln in proc.stdout.splitlines() if needle in ln and "error" in ln)
    assert f"{REVIEWED.name}:{hits[0].linenum}" in line and "[glossary]" in line


def test_the_projects_glossary_is_enforced_when_run_from_another_folder(tmp_path, installed):
    """translate-article and translate take the glossaries/ of the project the files are in, as
    check does, not of the current folder (run from elsewhere, no term was enforced)."""
    project, elsewhere = tmp_path / "newsroom", tmp_path / "elsewhere"
    (project / "articles").mkdir(parents=True)
    elsewhere.mkdir()
    shutil.copytree(GLOSSARIES, project / "glossaries")
    article = project / "articles" / "taliban.txt"
    shutil.copy(SEED, article)
    res = tolmach("translate-article", article, "--to", "ru", "-d", project / "locales", cwd=elsewhere, env=installed)
    assert res.exit_code == 0, res.output
    po_path = project / "locales/ru/LC_MESSAGES/taliban.po"
    assert "Скапаротти" in "".join(e.msgstr for e in load_catalog(po_path))
    assert "glossary: enforced" in po_path.read_text(encoding="utf-8")
    po = load_catalog(po_path)
    for e in po:
        e.msgstr = ""
    save_catalog(po, po_path)
    res = tolmach("translate", po_path, "--no-memory", cwd=elsewhere, env=installed)
    assert res.exit_code == 0, res.output
    assert "Скапаротти" in "".join(e.msgstr for e in load_catalog(po_path))
    assert list(elsewhere.iterdir()) == []
