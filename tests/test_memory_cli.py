"""`tolmach memory ...` through click's CliRunner: exit codes and files on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tolmach.cli import main
from tolmach.memory import TranslationMemory

PO_RU = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: ru\\n"

msgid "The president met the press on Monday."
msgstr "Президент встретился с прессой в понедельник."

#, fuzzy
msgid "Prices rose sharply in March."
msgstr "Цены резко выросли в марте."

msgid "A paragraph with odd whitespace."
msgstr "Абзац со странными пробелами."
"""


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    po = tmp_path / "locales" / "ru" / "LC_MESSAGES" / "article.po"
    po.parent.mkdir(parents=True)
    po.write_text(PO_RU, encoding="utf-8")
    (tmp_path / "locales" / "templates").mkdir()
    (tmp_path / "locales" / "templates" / "article.pot").write_text('msgid ""\nmsgstr ""\n')
    (tmp_path / "tolmach.toml").write_text('memory = "tm/project.sqlite"\nfuzzy_threshold = 80\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)  # configuration is found upwards, paths are taken from its folder
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_sync_uses_configured_memory_and_locales(project: Path):
    result = run("memory", "sync")
    assert result.exit_code == 0, result.output
    assert "2 units new or changed from 1 catalog; 2 in memory" in result.output
    with TranslationMemory(project / "tm" / "project.sqlite") as tm:
        assert tm.exact("The president met the press on Monday.", "en", "ru")
    assert "0 units new or changed" in run("memory", "sync").output


def test_lookup_exact_fuzzy_and_none(project: Path):
    run("memory", "sync")
    result = run("memory", "lookup", "The president met the press on Monday.", "--from", "en", "--to", "ru")
    assert result.exit_code == 0
    assert result.output.startswith("exact: Президент встретился")
    result = run("memory", "lookup", "The president met the press on Sunday.", "--from", "en",
                 "--to", "ru", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["exact"] is None and data["fuzzy"][0]["score"] >= 80
    result = run("memory", "lookup", "Entirely different.", "--from", "en", "--to", "ru")
    assert result.exit_code == 1


def test_tmx_export_import_via_cli(project: Path, tmp_path: Path):
    run("memory", "sync")
    tmx = project / "out.tmx"
    result = run("memory", "export", "--tmx", str(tmx), "--from", "en", "--to", "ru")
    assert result.exit_code == 0 and "2 units written" in result.output
    other = project / "other.sqlite"
    result = run("memory", "import", "--tmx", str(tmx), "--memory", str(other))
    assert result.exit_code == 0 and "2 units new or changed" in result.output
    with TranslationMemory(other) as tm:
        assert len(tm) == 2


def test_errors_exit_2_with_one_line(project: Path):
    bad_tmx = project / "bad.tmx"
    bad_tmx.write_text("<tmx><body><tu></body></tmx>")
    result = run("memory", "import", "--tmx", str(bad_tmx))
    assert result.exit_code == 2
    assert result.output.startswith(f"tolmach: error: {bad_tmx}:1: malformed TMX")
    assert result.output.count("\n") == 1

    corrupt = project / "corrupt.sqlite"
    corrupt.write_bytes(b"garbage" * 1000)
    result = run("memory", "sync", "--memory", str(corrupt))
    assert result.exit_code == 2 and str(corrupt) in result.output

    assert run("memory", "import").exit_code == 2  # --tmx is required
    assert run("memory", "lookup", "x", "--from", "en", "--to", "ru", "--threshold", "0").exit_code == 2
    assert run("memory", "sync", str(project / "missing")).exit_code == 2


def test_another_programs_sqlite_file_is_never_written(project: Path):
    """A browser's places.sqlite given as --memory got Tolmach's tables added (and was switched to
    WAL) even when the command then failed; a read-only command created a memory at a mistyped path."""
    import hashlib
    import sqlite3

    foreign = project / "places.sqlite"
    with sqlite3.connect(foreign) as conn:
        conn.execute("create table bookmarks(url)")
    digest = hashlib.sha256(foreign.read_bytes()).hexdigest()
    for args in (["memory", "lookup", "war", "--from", "en", "--to", "ru"], ["memory", "sync"],
                 ["memory", "export", "--tmx", str(project / "o.tmx")]):
        result = run(*args, "--memory", str(foreign))
        assert result.exit_code == 2 and "not a translation memory" in result.output, result.output
        assert result.output.count("\n") == 1
    assert hashlib.sha256(foreign.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("places")) == ["places.sqlite"]
    for args in (["memory", "lookup", "war", "--from", "en", "--to", "ru"],
                 ["memory", "export", "--tmx", str(project / "o.tmx")]):
        result = run(*args, "--memory", str(project / "new" / "typo.sqlite"))
        assert result.exit_code == 2 and "no such translation memory" in result.output, result.output
    assert not (project / "new").exists() and not (project / "o.tmx").exists()


def test_tmx_language_codes_export_onto_the_memory_and_control_characters(project: Path):
    """Regressions (sweep 7): a TMX language code that reduces to nothing named no file; `export
    --tmx` onto the memory's own path replaced the database with XML ("5 units written"); a unit
    with a form feed was exported without it, so export and import gave other text."""
    bad = project / "lang.tmx"
    bad.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<tmx version="1.4"><header srclang="en" datatype="plaintext" '
        'segtype="sentence" adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/>\n<body>\n'
        '<tu><tuv xml:lang="en"><seg>Hello.</seg></tuv>\n<tuv xml:lang="-x"><seg>Привет.</seg></tuv></tu>\n'
        "</body></tmx>\n", encoding="utf-8")
    result = run("memory", "import", "--tmx", str(bad), "--memory", str(project / "l.sqlite"))
    assert result.exit_code == 2 and result.output.startswith(f"tolmach: error: {bad}:5: empty language code"), result.output

    assert run("memory", "sync").exit_code == 0
    memory = project / "tm" / "project.sqlite"
    before = memory.read_bytes()
    result = run("memory", "export", "--tmx", str(memory), "--memory", str(memory))
    assert result.exit_code == 2 and "is the translation memory being exported" in result.output, result.output
    assert memory.read_bytes() == before

    with TranslationMemory(memory) as tm:
        tm.add("Form\ffeed", "Перевод\fстраницы", "en", "ru")
    out = project / "c.tmx"
    result = run("memory", "export", "--tmx", str(out), "--memory", str(memory))
    assert result.exit_code == 2 and "control characters" in result.output and not out.exists(), result.output


def test_sync_of_two_catalogs_that_disagree_keeps_the_newer_review_and_settles(project: Path):
    """Regression (sweep 7): two catalogs with different reviewed translations of one paragraph made
    every `memory sync` say "2 units new or changed" (the unit written once per catalog), and the
    memory kept whichever catalog came last in path order, not the newer review."""
    import os

    folder = project / "two"
    folder.mkdir()
    head = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n\n'
    newer, older = folder / "a.po", folder / "b.po"
    newer.write_text(head + 'msgid "The talks went on."\nmsgstr "Переговоры продолжились."\n', encoding="utf-8")
    older.write_text(head + 'msgid "The talks went on."\nmsgstr "Переговоры шли дальше."\n', encoding="utf-8")
    os.utime(older, ns=(1_600_000_000 * 10**9,) * 2)
    memory = project / "two.sqlite"
    result = run("memory", "sync", str(folder), "--memory", str(memory))
    assert result.exit_code == 0 and result.output.startswith("1 unit new or changed from 2 catalogs"), result.output
    with TranslationMemory(memory) as tm:
        assert tm.exact("The talks went on.", "en", "ru") == "Переговоры продолжились."
    result = run("memory", "sync", str(folder), "--memory", str(memory))
    assert result.output.startswith("0 units new or changed"), result.output


def test_sync_from_another_folder_fills_the_projects_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`memory sync PROJECT/locales` run from outside the project writes the project's configured
    memory, not a .tolmach/memory.sqlite in the current folder."""
    project, elsewhere = tmp_path / "newsroom", tmp_path / "elsewhere"
    po = project / "locales" / "ru" / "LC_MESSAGES" / "article.po"
    po.parent.mkdir(parents=True)
    po.write_text(PO_RU, encoding="utf-8")
    (project / "tolmach.toml").write_text('memory = "tm/project.sqlite"\n')
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run("memory", "sync", str(project / "locales"))
    assert result.exit_code == 0, result.output
    assert "2 units new or changed from 1 catalog; 2 in memory" in result.output
    with TranslationMemory(project / "tm" / "project.sqlite") as tm:
        assert tm.exact("The president met the press on Monday.", "en", "ru")
    assert list(elsewhere.iterdir()) == []


def test_catalogs_in_no_project_take_the_current_folders(project: Path, tmp_path_factory):
    """Run from inside a project, a catalog that is in no project (saved in ~/Downloads, say) takes
    the project's settings: its reviewed units go to the project's memory, none is made beside it."""
    stray = tmp_path_factory.mktemp("stray") / "article.po"
    stray.write_text(PO_RU, encoding="utf-8")
    result = run("memory", "sync", str(stray))
    assert result.exit_code == 0, result.output
    assert not (stray.parent / ".tolmach").exists()
    with TranslationMemory(project / "tm" / "project.sqlite") as tm:
        assert tm.exact("The president met the press on Monday.", "en", "ru")


def test_a_pretty_printed_tmx_segment_fills_an_entry_msgfmt_accepts(tmp_path: Path, tiny_env):
    """A TMX target ending in a line break (a pretty-printed file) became a msgstr ending in "\\n"
    beside a msgid without one: msgfmt --check refused the catalog (with --accept-exact at once,
    otherwise once a reviewer took the fuzzy entry)."""
    import subprocess

    from helpers import tolmach_process

    (tmp_path / "c.txt").write_text("Russia and NATO talk\n\nNATO disagrees strongly.\n", encoding="utf-8")
    (tmp_path / "m.tmx").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" datatype="plaintext" '
        'segtype="paragraph" adminlang="en" creationtool="x" creationtoolversion="1" o-tmf="x"/><body>\n'
        '<tu><tuv xml:lang="en"><seg>NATO disagrees strongly.</seg></tuv><tuv xml:lang="ru"><seg>НАТО решительно '
        "против.\n</seg></tuv></tu></body></tmx>\n", encoding="utf-8")
    assert tolmach_process("memory", "import", "--tmx", "m.tmx", cwd=tmp_path, env=tiny_env).returncode == 0
    proc = tolmach_process("translate-article", "c.txt", "--to", "ru", "--no-glossary", "--accept-exact",
                           cwd=tmp_path, env=tiny_env)
    assert proc.returncode == 0, proc.stderr
    po = tmp_path / "locales/ru/LC_MESSAGES/c.po"
    assert subprocess.run(["msgfmt", "--check", "--use-fuzzy", "-o", "/dev/null", str(po)]).returncode == 0
    import polib

    assert polib.pofile(str(po)).find("NATO disagrees strongly.").msgstr == "НАТО решительно против."
