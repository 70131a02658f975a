"""Edges of issue #12: strange inputs, read-only files, leftovers of killed runs, resumable MT."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tolmach.errors import TolmachError
from tolmach.fsutil import atomic_write_text, owner_tag

from helpers import SEED, assert_one_line_error, tolmach, tolmach_process


@pytest.fixture
def env(tmp_path):
    return {
        "TOLMACH_MODELS_DIR": str(tmp_path / "models"),
        "TOLMACH_CACHE_DIR": str(tmp_path / "cache"),
        "TOLMACH_PACKAGE_INDEX": "http://127.0.0.1:9/",
    }


@pytest.fixture
def installed(env, tiny_package):
    res = tolmach("models", "install", "--file", tiny_package["en_ru"], env=env)
    assert res.exit_code == 0, res.output
    return env


def _project(tmp_path: Path, text: str | None = None) -> Path:
    article = tmp_path / "a.txt"
    article.write_text(text or SEED.read_text(encoding="utf-8"), encoding="utf-8")
    assert tolmach("extract", article, cwd=tmp_path).exit_code == 0
    assert tolmach("init", "-l", "ru", cwd=tmp_path).exit_code == 0
    return tmp_path / "locales" / "ru" / "LC_MESSAGES" / "a.po"


# --- TBX -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body, needle", [
    (b'<?xml version="1.0"?>\n<html><body/></html>\n', "root element is <html>, expected <martif>"),
    (b'<?xml version="1.0"?>\n<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text/></tbx>', "TBX 3"),
])
def test_glossary_import_of_a_file_that_is_not_tbx(tmp_path, body, needle):
    src = tmp_path / "x.tbx"
    src.write_bytes(body)
    proc = tolmach_process("glossary", "import", "--tbx", src, "-o", tmp_path / "out.csv")
    assert_one_line_error(proc, "x.tbx", needle)
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("encoding, needle", [("utf-8", "x.tbx:2: binary data (a NUL byte), expected a TBX file"),
                                              ("utf-16", "x.tbx:2: not a TBX file: Invalid character")])
def test_a_nul_byte_in_a_tbx_file_is_one_error_line(tmp_path, encoding, needle):
    """lxml's message kept its line break: 'Char 0x0 out of allowed range\\n, line 2, column 79'."""
    src = tmp_path / "x.tbx"
    text = ('<?xml version="1.0" encoding="ENC"?>\n<martif type="TBX"><text><body><termEntry><langSet xml:lang="en">'
            "<tig><term>wa\0r</term></tig></langSet></termEntry></body></text></martif>\n")
    src.write_bytes(text.replace("ENC", encoding.upper()).encode(encoding))
    proc = tolmach_process("glossary", "import", "--tbx", src, "-o", tmp_path / "out.csv")
    assert_one_line_error(proc, needle)
    assert not (tmp_path / "out.csv").exists()


# --- text that is not UTF-8 ---------------------------------------------------------------------------


def test_a_nul_byte_far_into_an_article_or_catalog_is_refused(tmp_path):
    article = tmp_path / "a.txt"
    article.write_bytes(b"A line of text.\n" * 2000 + b"bad \x00 byte\n")
    assert_one_line_error(tolmach_process("extract", article, cwd=tmp_path), "a.txt:2001", "NUL byte")
    assert not (tmp_path / "locales").exists()
    po = tmp_path / "b.po"
    po.write_bytes(b'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\n' + b"# comment\n" * 2000
                   + b'msgid "x\x00"\nmsgstr ""\n')
    assert_one_line_error(tolmach_process("stats", po, cwd=tmp_path), "b.po:2005", "NUL byte")


@pytest.mark.parametrize("encoding, named", [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16LE"),
                                             ("utf-16-be", "UTF-16BE"), ("utf-32", "UTF-32")])
def test_utf16_is_named_with_how_to_convert(tmp_path, encoding, named):
    article = tmp_path / "a.txt"
    article.write_bytes("Moscow said on Monday.\n\nThe talks went on.\n".encode(encoding))
    err = assert_one_line_error(tolmach_process("segment", article, cwd=tmp_path), f"{named} text")
    assert f"iconv -f {named} -t UTF-8 a.txt" in err
    # the advice works
    fixed = subprocess.run(["iconv", "-f", named, "-t", "UTF-8", str(article)], capture_output=True, check=True)
    assert fixed.stdout.decode("utf-8").startswith("Moscow")


def test_a_directory_named_as_the_article_says_an_article(tmp_path):
    (tmp_path / "x.txt").mkdir()
    assert_one_line_error(tolmach_process("extract", tmp_path / "x.txt", cwd=tmp_path), "expected an article")



@pytest.mark.parametrize("name, kind", [("export.csv", "a CSV file"), ("export.TSV", "a TSV file"),
                                        ("export.json", "a JSON file"), ("ru.po", "a PO file"),
                                        ("memory.tmx", "a TMX file")])
def test_an_export_or_catalog_is_not_read_as_a_plain_text_article(tmp_path, installed, name, kind):
    """`translate-article export.csv` sent the raw CSV (header, quotes and all) to the model as one
    paragraph, exit 0."""
    (tmp_path / name).write_text('id,text\nc1,"The weather in Oslo was cold."\n', encoding="utf-8")
    for command in (("translate-article", "--to", "ru"), ("extract",), ("segment",)):
        proc = tolmach_process(command[0], name, *command[1:], cwd=tmp_path, env=installed)
        assert_one_line_error(proc, f"{name}: {kind} is not an article", ".txt, .md and .html articles")
        assert not (tmp_path / "locales").exists()


# --- nothing to work on -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["translate", "stats", "compile"])
def test_an_empty_catalog_or_a_folder_without_catalogs_is_an_error(tmp_path, env, command):
    empty = tmp_path / "e.po"
    empty.write_bytes(b"")
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / "notes.txt").write_text("hi", encoding="utf-8")
    assert_one_line_error(tolmach_process(command, empty, cwd=tmp_path, env=env), "e.po", "empty file")
    assert_one_line_error(tolmach_process(command, "nothing", cwd=tmp_path, env=env), "nothing", "catalogs in this folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.po", "nothing"]


def test_stats_and_compile_of_an_empty_locales_folder_say_so(tmp_path):
    (tmp_path / "locales" / "ru").mkdir(parents=True)
    proc = tolmach_process("stats", cwd=tmp_path)
    assert proc.returncode == 0 and "no catalogs found" in proc.stderr
    proc = tolmach_process("compile", cwd=tmp_path)
    assert proc.returncode == 0 and "0 catalogs compiled" in proc.stdout


# --- read-only files and leftovers -------------------------------------------------------------------


def test_a_read_only_catalog_is_not_replaced(tmp_path, installed):
    po = _project(tmp_path)
    before = po.read_bytes()
    os.chmod(po, 0o444)
    proc = tolmach_process("translate", po, "--no-glossary", cwd=tmp_path, env=installed)
    assert_one_line_error(proc, "a.po", "read-only", "chmod u+w")
    assert po.read_bytes() == before and (po.stat().st_mode & 0o777) == 0o444
    assert [p.name for p in po.parent.iterdir()] == ["a.po"]
    with pytest.raises(TolmachError, match="read-only"):
        atomic_write_text(po, "x")


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_temp_files_of_ours_are_removed_and_nothing_else(tmp_path):
    target = tmp_path / "a.po"
    target.write_text("old", encoding="utf-8")
    host = owner_tag().split("@", 1)[1]
    old = time.time() - 3600
    names = {
        "dead": f".a.po.{_dead_pid()}@{host}-abcd1234.tmp",
        "alive": f".a.po.{os.getppid()}@{host}-abcd1234.tmp",  # pytest's parent runs
        "foreign": f".a.po.{_dead_pid()}@elsewhere-abcd1234.tmp",  # another host: a day
        "legacy": ".a.po.k2j3h4g5.tmp",  # Tolmach 0.1, no owner: 10 minutes
        "fresh-dead": f".a.po.{_dead_pid()}@{host}-wxyz9876.tmp",  # just made: kept a minute
        "other": ".b.po.k2j3h4g5.tmp",
        "user": ".a.po.notes.tmp",
    }
    for key, name in names.items():
        (tmp_path / name).write_text(key, encoding="utf-8")
        if key != "fresh-dead":
            os.utime(tmp_path / name, (old, old))
    atomic_write_text(target, "new")
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {"a.po"} | {names[k] for k in ("alive", "foreign", "fresh-dead", "other", "user")}


# --- SIGTERM ends a run as Ctrl-C does -----------------------------------------------------------------


class _TempFileWatch:
    """Tells the moment a temporary file of ``name`` appears in ``folder`` (inotify, set up before
    the run starts: the kernel says so however loaded the machine is; polling could sleep through
    the file's short life)."""

    def __init__(self, folder: Path, name: str):
        import ctypes

        self.name = name
        self.fd = ctypes.CDLL(None, use_errno=True).inotify_init()
        if self.fd < 0 or ctypes.CDLL(None).inotify_add_watch(self.fd, str(folder).encode(), 0x100) < 0:
            pytest.skip("needs inotify")  # 0x100: IN_CREATE

    def wait(self, timeout: float = 120) -> None:
        import select
        import struct

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not select.select([self.fd], [], [], 1)[0]:
                continue
            data = os.read(self.fd, 65536)
            while data:
                length = struct.unpack_from("iIII", data)[3]
                created = data[16:16 + length].rstrip(b"\0").decode()
                if created.startswith(f".{self.name}.") and created.endswith(".tmp"):
                    return
                data = data[16 + length:]
        raise AssertionError(f"no temporary file of {self.name} appeared")

    def close(self) -> None:
        os.close(self.fd)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux's inotify")
def test_sigterm_while_a_file_is_written_leaves_no_temporary_file(tmp_path):
    """kill -TERM left empty temporary files (.a.pot.PID@HOST-XXXX.tmp) beside the template and
    said nothing (exit -15); Ctrl-C was cleaned up."""
    paragraphs = [f"Paragraph {i} of the long report says what the minister said." for i in range(2000)]
    po = _project(tmp_path, "Title\n\n" + "\n\n".join(paragraphs) + "\n")
    (tmp_path / "a.txt").write_text("Title\n\n" + "\n\n".join(paragraphs[::-1]) + "\n", encoding="utf-8")
    templates = tmp_path / "locales/templates"
    files = (templates / "a.pot", po)
    before = [p.read_bytes() for p in files]
    watch = _TempFileWatch(templates, "a.pot")
    proc = subprocess.Popen([sys.executable, "-m", "tolmach", "update", "--no-memory"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        watch.wait()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        watch.close()
        if proc.poll() is None:
            proc.kill()
    assert (proc.returncode, err.strip()) == (143, "tolmach: terminated"), (proc.returncode, out, err)
    assert not [p.name for p in tmp_path.rglob(".*.tmp")]
    killed = [p.read_bytes() for p in files]
    assert tolmach("update", "--no-memory", cwd=tmp_path).exit_code == 0
    for path, old, mid in zip(files, before, killed):  # each file whole: the old version or the new
        assert mid in (old, path.read_bytes()), path


# --- the MT cache survives kill -9 --------------------------------------------------------------------


def test_a_killed_translation_resumes_from_the_batches_it_finished(tmp_path, installed):
    words = "war city people minister report country world talks".split()
    paragraphs = [f"{words[i % 8].capitalize()} {words[(i // 8) % 8]} {words[(i // 64) % 8]} {i}."
                  for i in range(1100)]
    po = _project(tmp_path, "Title\n\n" + "\n\n".join(paragraphs) + "\n")
    before = po.read_bytes()
    db = tmp_path / ".tolmach" / "memory.sqlite"
    proc = subprocess.Popen([sys.executable, "-m", "tolmach", "translate", str(po), "--no-glossary"],
                            cwd=tmp_path, env=dict(os.environ, **installed),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cached = 0
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                        cached = conn.execute("SELECT count(*) FROM mt_cache").fetchone()[0]
                except sqlite3.OperationalError:
                    cached = 0
                if cached:
                    break
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert 0 < cached < 1101
    assert po.read_bytes() == before  # killed before writing: the catalog is untouched
    res = tolmach("translate", po, "--no-glossary", cwd=tmp_path, env=installed)
    assert res.exit_code == 0, res.output
    import re

    m = re.search(r"(\d+) cached, (\d+) sent to the model", res.output)
    assert m, res.output
    assert int(m.group(1)) >= cached and int(m.group(1)) + int(m.group(2)) == 1101


def test_an_overlong_sentence_of_a_catalog_from_another_tool_is_cut_and_said(tmp_path, tiny_env):
    """A PO that `extract` did not make (no template note): the draft itself says the sentence went
    to the model in pieces, and so does the summary."""
    words = " ".join(["Russia and NATO said it"] * 60) + "."  # 300 words, one "sentence"
    po_path = tmp_path / "other.po"
    po_path.write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"MIME-Version: 1.0\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n\n'
        f'msgid "{words}"\nmsgstr ""\n', encoding="utf-8")
    res = tolmach("translate", po_path, "--no-glossary", "--no-memory", cwd=tmp_path, env=tiny_env)
    assert res.exit_code == 0, res.output
    assert "1 sentence too long for the model sent to it in pieces" in res.output
    from tolmach.catalog import load_catalog

    entry = load_catalog(po_path)[0]
    assert "split: a sentence of 300 words goes to the model in 3 pieces" in entry.comment
    assert len(entry.msgstr.split()) >= 290  # nothing was lost on the way


# --- a fault sweep of 2026-12-02: inputs that gave a traceback, a wrong name or no error --------------

_PO = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n\nmsgid "war"\nmsgstr "война"\n'


def test_a_configuration_in_another_encoding_or_with_a_byte_order_mark(tmp_path):
    """Latin-1 in tolmach.toml gave a UnicodeDecodeError traceback (exit 1); a byte order mark gave
    "malformed TOML: Invalid statement" although every other text input may start with one."""
    (tmp_path / "a.po").write_text(_PO, encoding="utf-8")
    (tmp_path / "tolmach.toml").write_bytes(b'glossary = "caf\xe9"\n')
    assert_one_line_error(tolmach_process("stats", "a.po", cwd=tmp_path), "tolmach.toml:1:", "not valid UTF-8")
    (tmp_path / "tolmach.toml").write_bytes(b'\xef\xbb\xbf[checks]\ndisable = ["quotes"]\n')
    proc = tolmach_process("check", "a.po", "--no-glossary", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_a_symbolic_link_loop_or_a_named_pipe_is_named_as_what_it_is(tmp_path):
    """`check` on a link loop gave a RuntimeError traceback; a named pipe was "no such file or
    folder" (and `translate` would have opened it and waited for ever)."""
    os.symlink("loop2.po", tmp_path / "loop1.po")
    os.symlink("loop1.po", tmp_path / "loop2.po")
    os.mkfifo(tmp_path / "pipe.po")
    for command in ("check", "translate", "stats"):
        assert_one_line_error(tolmach_process(command, "loop1.po", cwd=tmp_path, timeout=60), "loop1.po:",
                              "symbolic link that leads nowhere")
    for command in ("check", "translate"):
        assert_one_line_error(tolmach_process(command, "pipe.po", cwd=tmp_path, timeout=60), "pipe.po:",
                              "not a regular file")


def test_nan_is_not_a_number_between_0_and_1(tmp_path):
    (tmp_path / "a.po").write_text(_PO, encoding="utf-8")
    for command in (["review-queue", "--below", "nan", "a.po"], ["check", "--min-confidence", "nan", "a.po"]):
        proc = tolmach_process(*command, cwd=tmp_path)
        assert proc.returncode == 2 and "'nan' is not a number" in proc.stderr, proc.stderr


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc, a folder nobody can create files in")
def test_an_output_folder_that_cannot_be_written_is_named_not_its_temporary_file(tmp_path):
    """The error named Tolmach's temporary file (/proc/.x.txt.123@host-ab.tmp), not the output."""
    (tmp_path / "a.po").write_text(_PO, encoding="utf-8")
    out = Path("/proc/tolmach-test-output.txt")
    err = assert_one_line_error(tolmach_process("build", "a.po", "-o", out, cwd=tmp_path), f"{out}: cannot write here")
    assert ".tmp" not in err


def test_a_write_that_fails_midway_names_the_file(tmp_path):
    """A full disk said only "tolmach: error: No space left on device". The writes fail for real
    here: a file size limit (RLIMIT_FSIZE) under the size of the template, as a full disk does."""
    import resource

    po = _project(tmp_path)
    (tmp_path / "a.txt").write_text("Moscow said on Saturday.\n\n" + SEED.read_text(encoding="utf-8"),
                                    encoding="utf-8")
    pot = tmp_path / "locales/templates/a.pot"
    before = {p: p.read_bytes() for p in (pot, po)}
    assert min(map(len, before.values())) > 2048

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    proc = subprocess.run([sys.executable, "-m", "tolmach", "update", "--no-memory"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, preexec_fn=limit)
    assert_one_line_error(proc, "locales/templates/a.pot: cannot write: File too large")
    assert {p: p.read_bytes() for p in (pot, po)} == before
    assert [p.name for p in pot.parent.iterdir()] == ["a.pot"]  # no temporary file left


def test_a_recorded_translations_file_in_another_encoding_names_the_line(tmp_path):
    (tmp_path / "a.po").write_text(_PO.replace('msgstr "война"', 'msgstr ""'), encoding="utf-8")
    (tmp_path / "r.tsv").write_bytes(b"peace\tmir\nwar\tvojna\xff\n")
    proc = tolmach_process("translate", "a.po", "--no-glossary", "--no-memory", "--engine", "recorded",
                           "--recorded", "r.tsv", cwd=tmp_path)
    assert_one_line_error(proc, "r.tsv:2:", "not valid UTF-8 (byte 0xff)")


def test_a_bad_rule_or_mode_in_the_configuration_names_the_file(tmp_path):
    """Both said only "configuration segment.chrome[0]: ..." / "configuration credits.mode: ...",
    not which file, and only once the article was being segmented or translated."""
    (tmp_path / "a.txt").write_text("Moscow said on Friday.\n", encoding="utf-8")
    (tmp_path / "tolmach.toml").write_text('[segment]\nchrome = ["[unclosed"]\n', encoding="utf-8")
    assert_one_line_error(tolmach_process("segment", "a.txt", cwd=tmp_path), "tolmach.toml:", "segment.chrome[0]",
                          "bad regular expression")
    (tmp_path / "tolmach.toml").write_text('[credits]\nmode = "bogus"\n', encoding="utf-8")
    assert_one_line_error(tolmach_process("stats", cwd=tmp_path), "tolmach.toml:", "credits.mode", "'bogus'")


@pytest.mark.parametrize("text, key, hint", [
    ("fuzzy-threshold = 99\n", "fuzzy-threshold", "fuzzy_threshold"),
    ("fuzy_threshold = 99\n", "fuzy_threshold", "fuzzy_threshold"),
    ("accept-exact = true\n", "accept-exact", "accept_exact"),
    ('memry = "tm.sqlite"\n', "memry", "memory"),
    ('[segmnt]\nchrome = ["^Subscribe"]\n', "segmnt", "segment"),
    ('[checks]\ndisabel = ["quotes"]\n', "checks.disabel", "checks.disable"),
    ('disable = ["quotes"]\n', "disable", "checks.disable"),
    ('[credits]\nmod = "label"\n', "credits.mod", "credits.mode"),
])
def test_an_unknown_configuration_key_is_an_error_naming_file_and_key(tmp_path, text, key, hint):
    """A misspelt key was silently ignored: `fuzzy-threshold = 99` left the threshold at 75, and a
    lookup found a 95.7 match, exit 0."""
    project, elsewhere = tmp_path / "newsroom", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    (project / "a.po").write_text(_PO, encoding="utf-8")
    (project / "tolmach.toml").write_text(text, encoding="utf-8")
    expected = f"{project / 'tolmach.toml'}: unknown configuration key {key!r} (did you mean {hint!r}?)"
    for args in (("stats", project / "a.po"), ("translate", project / "a.po", "--dry-run", "--no-glossary")):
        assert_one_line_error(tolmach_process(*args, cwd=elsewhere), expected)
    proc = tolmach_process("memory", "lookup", "war", "--from", "en", "--to", "ru", "--memory", "tm.sqlite",
                           cwd=project)
    assert_one_line_error(proc, expected)


def test_check_options_are_the_open_part_of_the_configuration(tmp_path):
    """[checks.<id>] holds a check's options: a known id is taken, a misspelt one refused."""
    (tmp_path / "a.po").write_text(_PO, encoding="utf-8")
    (tmp_path / "tolmach.toml").write_text("[checks.confidence]\nmin_confidence = 0.25\n", encoding="utf-8")
    assert tolmach_process("check", "a.po", "--no-glossary", cwd=tmp_path).returncode == 0
    (tmp_path / "tolmach.toml").write_text("[checks.confidnce]\nmin_confidence = 0.25\n", encoding="utf-8")
    assert_one_line_error(tolmach_process("check", "a.po", "--no-glossary", cwd=tmp_path), "unknown check id 'confidnce'",
                          "tolmach.toml [checks.<id>]")
    (tmp_path / "tolmach.toml").write_text("[checks]\nmin_confidence = 0.25\n", encoding="utf-8")
    assert_one_line_error(tolmach_process("check", "a.po", "--no-glossary", cwd=tmp_path),
                          "unknown configuration key 'checks.min_confidence' (a check's options go in a "
                          "[checks.<id>] table)")


def test_a_page_or_markdown_file_without_text_is_an_empty_article(tmp_path):
    """A blank .txt was "empty article: nothing to translate"; a page with an empty body or a
    Markdown file with only a code block gave a template of 0 units (and translate-article an
    empty catalog and draft)."""
    (tmp_path / "e.html").write_text("<html><body> </body></html>", encoding="utf-8")
    (tmp_path / "c.md").write_text("```\nprint('hi')\n```\n", encoding="utf-8")
    for name in ("e.html", "c.md"):
        assert_one_line_error(tolmach_process("extract", name, "-d", "loc", cwd=tmp_path), name, "empty article")
    assert not (tmp_path / "loc").exists()


def test_build_with_a_source_that_is_a_folder_or_another_article_is_an_error(tmp_path):
    """A folder as --source fell back to paragraphs with exit 0; another article was built as
    that article's English, exit 0, without a word."""
    (tmp_path / "a.md").write_text("# Talks resume\n\nThe talks resumed in Doha on Monday.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Weather\n\nIt rained all day in Vienna.\n", encoding="utf-8")
    assert tolmach_process("extract", "a.md", "-d", "loc", cwd=tmp_path).returncode == 0
    assert tolmach_process("init", "-l", "ru", "-d", "loc", cwd=tmp_path).returncode == 0
    po = "loc/ru/LC_MESSAGES/a.po"
    assert_one_line_error(tolmach_process("build", po, "--source", ".", cwd=tmp_path), "is a directory")
    assert_one_line_error(tolmach_process("build", po, "--source", "b.md", cwd=tmp_path), "b.md:",
                          "not the source of this catalog")
    assert tolmach_process("build", po, "--source", "a.md", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("args, name", [
    (("check", "--glossary", "{pipe}"), "glossary"),
    (("memory", "import", "--tmx", "{pipe}"), "TMX"),
    (("glossary", "import", "--tbx", "{pipe}", "-o", "out.csv"), "TBX"),
    (("import", "--xliff", "{pipe}"), "XLIFF"),
    (("segment", "{pipe}"), "article"),
    (("translate", "--engine", "recorded", "--recorded", "{pipe}"), "recorded"),
    (("models", "install", "--file", "{pipe}"), "model"),
])
def test_a_named_pipe_given_as_any_input_is_one_error_line_not_a_wait(tmp_path, args, name):
    """A named pipe as the glossary, a TMX, TBX or XLIFF file, an article, recorded translations or
    a model file was opened and read: the command waited for a writer that never came (sweep 14)."""
    _project(tmp_path)
    pipe = tmp_path / f"pipe-{name}"
    os.mkfifo(pipe)
    env = {"TOLMACH_MODELS_DIR": str(tmp_path / "models"), "TOLMACH_PACKAGE_INDEX": "http://127.0.0.1:9/",
           "TOLMACH_CACHE_DIR": str(tmp_path / "cache")}
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    proc = tolmach_process(*[a.replace("{pipe}", str(pipe)) for a in args], cwd=tmp_path, env=env, timeout=60)
    assert_one_line_error(proc, pipe.name, "not a regular file")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
