"""A command that fails on bad input changes nothing on disk: every input is read and checked, and
every output found writable, before the first file is written (extract, init, update, compile,
translate-article)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import assert_one_line_error, assert_valid_po, tolmach, tolmach_process

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


# --- translate-article -----------------------------------------------------------------------------


def _break(project: Path, env: dict, bad: str) -> tuple[list[str], tuple[str, ...]]:
    """Make one input of translate-article bad: its extra arguments and what the error names."""
    if bad == "glossary":
        (project / "bad.csv").write_text("source,target\n", encoding="utf-8")
        return ["--glossary", "bad.csv"], ("bad.csv:1", "bad header")
    if bad == "compute type":
        return ["--compute-type", "bogus"], ("cannot load the CTranslate2 model", "bogus")
    if bad == "model":
        model = next(Path(env["TOLMACH_MODELS_DIR"]).glob("translate-en_ru-*"))
        (model / "model" / "model.bin").write_bytes(b"junk\n")
        return [], ("model", "cannot load the CTranslate2 model")
    if bad == "read-only draft":
        (project / "out.txt").write_text("", encoding="utf-8")
        os.chmod(project / "out.txt", 0o444)
        return ["-o", "out.txt"], ("out.txt", "read-only")
    if bad == "memory":
        (project / "tm.sqlite").write_bytes(b"not a database " * 100)
        return [], ("tm.sqlite", "not a valid translation memory")
    if bad == "other catalog":  # its reviewed units go to the memory before the run translates
        (project / "locales/ru/LC_MESSAGES").mkdir(parents=True, exist_ok=True)
        (project / "locales/ru/LC_MESSAGES/zz.po").write_text(BAD_PO, encoding="utf-8")
        return [], ("zz.po:5", "malformed PO file")
    raise AssertionError(bad)


@pytest.mark.parametrize("bad, again", [
    *((bad, False) for bad in ("glossary", "compute type", "model", "read-only draft", "memory", "other catalog")),
    # a catalog to merge into
    *((bad, True) for bad in ("glossary", "model", "memory", "other catalog")),
])
def test_translate_article_changes_nothing_when_an_input_is_bad(tmp_path, tiny_env, bad, again):
    """The template and the catalog were written (and, for a read-only -o file, machine-translated)
    before the glossary, the model or the output were found bad; on a second run of an edited
    article the template rewritten and the catalog merged."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "a.txt").write_text(ARTICLE, encoding="utf-8")
    common = ["translate-article", "a.txt", "--to", "ru", "--memory", "tm.sqlite"]
    if again:  # a catalog to merge into, and a memory, from a run that worked
        res = tolmach(*common, "--no-glossary", cwd=project, env=tiny_env)
        assert res.exit_code == 0, res.output
        (project / "a.txt").write_text("Moscow said on Saturday.\n", encoding="utf-8")
    extra, needles = _break(project, tiny_env, bad)
    glossary = [] if bad == "glossary" else ["--no-glossary"]
    _fails_and_changes_nothing(project, [*common, *glossary, *extra], *needles, env=tiny_env)
    if not again:
        assert not (project / "locales/templates").exists()


def test_translate_article_with_a_read_only_catalog_writes_no_template(tmp_path, tiny_env):
    """The template of the edited article was written, then the catalog refused."""
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    args = ["translate-article", "a.txt", "--to", "ru", "--no-memory", "--no-glossary"]
    assert tolmach(*args, cwd=tmp_path, env=tiny_env).exit_code == 0
    (tmp_path / "a.txt").write_text("Moscow said on Saturday.\n\nThe talks went on.\n", encoding="utf-8")
    os.chmod(tmp_path / "locales/ru/LC_MESSAGES/a.po", 0o444)
    _fails_and_changes_nothing(tmp_path, args, "a.po", "read-only", env=tiny_env)


def test_translate_puts_nothing_into_the_memory_when_another_catalog_is_bad(tmp_path):
    """The reviewed units of the catalog went into the memory (created for them) before the other
    catalog of its folder was refused."""
    folder = tmp_path / "locales/ru/LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "a.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"X-Source-Language: en\\n"\n\n'
        'msgid "Peace."\nmsgstr "Мир."\n\nmsgid "War."\nmsgstr ""\n', encoding="utf-8")
    (folder / "zz.po").write_text(BAD_PO, encoding="utf-8")
    (tmp_path / "r.tsv").write_text("War.\tВойна.\n", encoding="utf-8")
    _fails_and_changes_nothing(tmp_path, ["translate", folder / "a.po", "--no-glossary", "--memory", "tm.sqlite",
                                          "--engine", "recorded", "--recorded", "r.tsv"], "zz.po:5")
    assert not (tmp_path / "tm.sqlite").exists()


# --- translate, import --xliff ---------------------------------------------------------------------


def _recorded(root: Path) -> list[str]:
    (root / "r.tsv").write_text("Moscow said on Friday.\tМосква заявила в пятницу.\n"
                                "Kyiv said on Monday.\tКиев заявил в понедельник.\n", encoding="utf-8")
    return ["--no-glossary", "--engine", "recorded", "--recorded", "r.tsv"]


def test_translate_fills_no_catalog_when_a_later_one_is_read_only(tmp_path):
    """a.po was filled (and the memory made), then b.po refused, with no summary."""
    _two_articles(tmp_path)
    folder = tmp_path / "locales/ru/LC_MESSAGES"
    os.chmod(folder / "b.po", 0o444)  # refused on its mode bits, by root too
    args = ["translate", folder / "a.po", folder / "b.po", "--memory", "tm.sqlite", *_recorded(tmp_path)]
    _fails_and_changes_nothing(tmp_path, args, "b.po", "read-only")
    assert not (tmp_path / "tm.sqlite").exists()
    os.chmod(folder / "b.po", 0o644)
    res = tolmach(*args, cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert "filled 2 entries in 2 catalogs" in res.output
    assert assert_valid_po(folder / "b.po")[0].msgstr == "Киев заявил в понедельник."


def _xliff_for_both(root: Path, *changed: str) -> Path:
    """An XLIFF of a.po and b.po whose units of the ``changed`` catalogs have a target."""
    from lxml import etree

    from tolmach.xliff import XLIFF_NS

    assert tolmach("export", "--xliff", "both.xlf", "locales", cwd=root).exit_code == 0
    tree = etree.parse(str(root / "both.xlf"))
    for file in tree.findall(f"{{{XLIFF_NS}}}file"):
        if Path(file.get("original")).stem in changed:
            for unit in file.iter(f"{{{XLIFF_NS}}}trans-unit"):
                target = etree.SubElement(unit, f"{{{XLIFF_NS}}}target", state="translated")
                target.text = "Перевод из CAT."
    tree.write(str(root / "both.xlf"), xml_declaration=True, encoding="UTF-8")
    return root / "both.xlf"


def test_import_writes_no_catalog_when_a_later_one_is_read_only(tmp_path):
    """a.po took the XLIFF's targets, then b.po was refused."""
    _two_articles(tmp_path)
    xlf = _xliff_for_both(tmp_path, "a", "b")
    b_po = tmp_path / "locales/ru/LC_MESSAGES/b.po"
    os.chmod(b_po, 0o444)
    _fails_and_changes_nothing(tmp_path, ["import", "--xliff", xlf], "b.po", "read-only")
    # a read-only catalog the import leaves as it is is no reason to refuse the others
    xlf = _xliff_for_both(tmp_path, "a")
    res = tolmach("import", "--xliff", xlf, cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert "a.po: took 1 reviewed" in res.output and "b.po: took 0 reviewed" in res.output
    assert assert_valid_po(tmp_path / "locales/ru/LC_MESSAGES/a.po")[0].msgstr == "Перевод из CAT."
    assert (b_po.stat().st_mode & 0o777) == 0o444
