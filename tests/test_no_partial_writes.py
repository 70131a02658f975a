"""A command that fails on bad input changes nothing on disk: every input is read and checked, and
every output found writable, before the first file is written (extract, init, update, compile,
translate-article)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from helpers import assert_one_line_error, tolmach, tolmach_process

ARTICLE = "Moscow said on Friday.\n"
BAD_PO = 'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\nmsgid "x"\n'  # the last entry has no msgstr


def _disk(root: Path) -> dict:
    """Every file and folder under ``root``: its bytes, modification time and mode."""
    out = {}
    for p in sorted(root.rglob("*")):
        st = p.lstat()
        out[str(p.relative_to(root))] = (p.read_bytes() if p.is_file() else None, st.st_mtime_ns, st.st_mode)
    return out


def _fails_and_changes_nothing(root: Path, args, *needles, env=None) -> str:
    before = _disk(root)
    err = assert_one_line_error(tolmach_process(*args, cwd=root, env=env), *needles)
    assert _disk(root) == before
    return err


def _two_articles(root: Path) -> None:
    (root / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "b.txt").write_text("Kyiv said on Monday.\n", encoding="utf-8")
    assert tolmach("extract", "a.txt", "b.txt", cwd=root).exit_code == 0
    assert tolmach("init", "-l", "ru", cwd=root).exit_code == 0


# --- extract, init, update, compile ---------------------------------------------------------------


def test_extract_writes_no_template_when_a_later_article_is_bad(tmp_path):
    """a.pot was written, then b.txt refused."""
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe")
    _fails_and_changes_nothing(tmp_path, ["extract", "a.txt", "b.txt"], "b.txt", "UTF-16")
    assert not (tmp_path / "locales").exists()


def test_extract_writes_no_template_when_a_later_one_is_read_only(tmp_path):
    _two_articles(tmp_path)
    (tmp_path / "a.txt").write_text("Moscow said on Saturday.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Kyiv said on Tuesday.\n", encoding="utf-8")
    os.chmod(tmp_path / "locales/templates/b.pot", 0o444)
    _fails_and_changes_nothing(tmp_path, ["extract", "a.txt", "b.txt"], "b.pot", "read-only")


def test_init_writes_no_catalog_when_a_later_template_is_bad(tmp_path):
    """a.po was created, then b.pot refused."""
    _two_articles(tmp_path)
    (tmp_path / "locales/ru").rename(tmp_path / "ru.done")
    (tmp_path / "locales/templates/b.pot").write_text(BAD_PO, encoding="utf-8")
    _fails_and_changes_nothing(tmp_path, ["init", "-l", "ru"], "b.pot:5", "malformed PO file")
    assert not (tmp_path / "locales/ru").exists()


def test_compile_writes_no_mo_file_when_another_catalog_is_bad(tmp_path):
    """a.mo was written and only the error on zz.po printed."""
    _two_articles(tmp_path)
    (tmp_path / "locales/ru/LC_MESSAGES/zz.po").write_text(BAD_PO, encoding="utf-8")
    _fails_and_changes_nothing(tmp_path, ["compile", "locales"], "zz.po:5", "malformed PO file")
    assert not list(tmp_path.rglob("*.mo"))


def test_compile_writes_no_mo_file_when_a_later_one_is_read_only(tmp_path):
    _two_articles(tmp_path)
    mo = tmp_path / "locales/ru/LC_MESSAGES/b.mo"
    mo.write_bytes(b"")
    os.chmod(mo, 0o444)
    _fails_and_changes_nothing(tmp_path, ["compile", "locales"], "b.mo", "read-only")
    assert not (tmp_path / "locales/ru/LC_MESSAGES/a.mo").exists()


@pytest.mark.parametrize("bad", ["catalog", "article", "read-only catalog", "memory"])
def test_update_changes_nothing_when_a_later_input_is_bad(tmp_path, bad):
    """a.pot was rewritten and a.po merged (and the memory filled) before b's input was refused."""
    _two_articles(tmp_path)
    (tmp_path / "a.txt").write_text("Moscow said on Saturday.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Kyiv said on Tuesday.\n", encoding="utf-8")
    b_po = tmp_path / "locales/ru/LC_MESSAGES/b.po"
    args = ["update", "--memory", "tm.sqlite"]
    if bad == "catalog":
        b_po.write_text(BAD_PO, encoding="utf-8")
        needles = ("b.po:5", "malformed PO file")
    elif bad == "article":
        (tmp_path / "b.txt").write_text("Kyiv said on Tuesday.\n", encoding="utf-16")
        needles = ("b.txt", "UTF-16")
    elif bad == "read-only catalog":
        os.chmod(b_po, 0o444)
        needles = ("b.po", "read-only")
    else:
        (tmp_path / "tm.sqlite").write_bytes(b"not a database " * 100)
        needles = ("tm.sqlite", "not a valid translation memory")
    _fails_and_changes_nothing(tmp_path, args, *needles)
    assert "Saturday" not in (tmp_path / "locales/templates/a.pot").read_text(encoding="utf-8")
    if bad != "memory":
        assert not (tmp_path / "tm.sqlite").exists()


def test_update_still_writes_when_every_input_is_good(tmp_path):
    _two_articles(tmp_path)
    (tmp_path / "a.txt").write_text("Moscow said on Saturday.\n", encoding="utf-8")
    res = tolmach("update", "--no-memory", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert "Saturday" in (tmp_path / "locales/templates/a.pot").read_text(encoding="utf-8")
    assert "Saturday" in (tmp_path / "locales/ru/LC_MESSAGES/a.po").read_text(encoding="utf-8")
    assert "locales/ru/LC_MESSAGES/a.po: 0 kept, 0 changed (fuzzy), 1 new, 0 obsolete" in res.output
    assert "locales/ru/LC_MESSAGES/b.po: 1 kept, 0 changed (fuzzy), 0 new, 0 obsolete" in res.output
