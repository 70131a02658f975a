"""A translator's work is never lost, and Tolmach never claims what it did not do (issue 9).

One test (or a few) per case seen in the field; each fails on the code before the entry-state
model. Real PO files, the real CLI, the tiny real CTranslate2 model, real processes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import polib
import pytest

from tolmach.catalog import load_catalog, save_catalog, slugify, update_catalog
from tolmach.state import EntryState, entry_state, is_stale

from helpers import assert_one_line_error, assert_valid_po, tolmach, tolmach_process

ARTICLE = (
    "Russia and NATO talk\n\n"
    "The Kremlin said Moscow would reply on Thursday.\n\n"
    "Russia denies the claims. NATO disagrees.\n\n"
    "Moscow and the Kremlin will talk to NATO again in May.\n"
)


def _translated_project(tmp_path: Path, env: dict, text: str = ARTICLE, name: str = "story.txt") -> Path:
    article = tmp_path / name
    article.parent.mkdir(parents=True, exist_ok=True)
    article.write_text(text, encoding="utf-8")
    res = tolmach("translate-article", article, "--to", "ru", "--no-glossary", cwd=tmp_path, env=env)
    assert res.exit_code == 0, res.output
    return tmp_path / "locales/ru/LC_MESSAGES" / f"{slugify(name)}.po"


def _entry(po: polib.POFile, start: str) -> polib.POEntry:
    return next(e for e in po if not e.obsolete and e.msgid.startswith(start))


# --- 1, 6: edited drafts and demoted reviews are human work ---------------------------------------


def test_retranslate_fuzzy_keeps_a_draft_the_translator_edited(tmp_path, tiny_env):
    po_path = _translated_project(tmp_path, tiny_env)
    po = load_catalog(po_path)
    assert entry_state(_entry(po, "Russia denies")) is EntryState.MACHINE_DRAFT
    _entry(po, "Russia denies").msgstr = "Россия это отрицает. В НАТО не согласны."  # still fuzzy: in progress
    save_catalog(po, po_path)

    res = tolmach("translate", po_path, "--no-glossary", "--retranslate-fuzzy", cwd=tmp_path, env=tiny_env)
    assert res.exit_code == 0, res.output
    po = assert_valid_po(po_path)
    edited = _entry(po, "Russia denies")
    assert edited.msgstr == "Россия это отрицает. В НАТО не согласны." and edited.fuzzy
    assert "1 human draft kept as written" in res.output
    # the three untouched machine drafts were redone, to the same text (the MT cache has it): said so,
    # not "filled 3 entries"
    assert "filled 0 entries" in res.output
    assert "3 machine drafts translated again to the same text, left as they were" in res.output


def test_a_reviewed_translation_demoted_by_update_is_kept_and_remembered(tmp_path, tiny_env):
    po_path = _translated_project(tmp_path, tiny_env)
    po = load_catalog(po_path)
    reviewed = _entry(po, "The Kremlin said")
    reviewed.msgstr = "Кремль заявил, что Москва ответит в четверг."
    reviewed.flags.remove("fuzzy")
    save_catalog(po, po_path)

    # a typo fix in the article demotes the review to fuzzy ...
    article = tmp_path / "story.txt"
    article.write_text(ARTICLE.replace("on Thursday", "on Thursday morning"), encoding="utf-8")
    res = tolmach("translate-article", article, "--to", "ru", "--no-glossary", cwd=tmp_path, env=tiny_env)
    assert res.exit_code == 0, res.output
    # ... and even a retranslate-fuzzy run afterwards does not touch it: it is a human draft now
    res = tolmach("translate", po_path, "--no-glossary", "--retranslate-fuzzy", cwd=tmp_path, env=tiny_env)
    assert res.exit_code == 0, res.output
    po = assert_valid_po(po_path)
    demoted = _entry(po, "The Kremlin said")
    assert demoted.msgstr == "Кремль заявил, что Москва ответит в четверг." and demoted.fuzzy
    assert demoted.previous_msgid == "The Kremlin said Moscow would reply on Thursday."
    assert entry_state(demoted) is EntryState.HUMAN_DRAFT
    # the reviewed pair reached the memory before the merge demoted it
    res = tolmach("memory", "lookup", "The Kremlin said Moscow would reply on Thursday.", "--from", "en",
                  "--to", "ru", "--format", "json", cwd=tmp_path, env=tiny_env)
    assert '"exact": "Кремль заявил, что Москва ответит в четверг."' in res.stdout, res.output


def test_a_demoted_review_stays_a_human_draft_when_the_edit_is_reverted(tmp_path, tiny_env):
    """A reviewer approved a draft as it was; an edit of its paragraph demoted it, and reverting the
    edit made the msgid the drafted one again. The confidence note update had carried along then
    matched once more, so the review was counted an untouched machine draft and
    ``--retranslate-fuzzy`` replaced it."""
    po_path = _translated_project(tmp_path, tiny_env)
    po = load_catalog(po_path)
    approved = _entry(po, "The Kremlin said")
    assert "tolmach: confidence" in approved.tcomment  # the tiny model scores its drafts
    text = approved.msgstr
    approved.flags.remove("fuzzy")  # approved unchanged
    save_catalog(po, po_path)

    article = tmp_path / "story.txt"
    for version in (ARTICLE.replace("on Thursday", "on Thursday morning"), ARTICLE):
        article.write_text(version, encoding="utf-8")
        res = tolmach("update", article, cwd=tmp_path)
        assert res.exit_code == 0, res.output
        entry = _entry(assert_valid_po(po_path), "The Kremlin said")
        assert entry_state(entry) is EntryState.HUMAN_DRAFT, entry
    assert "tolmach: confidence" not in entry.tcomment  # it proved the draft the review replaced
    assert entry.msgid == "The Kremlin said Moscow would reply on Thursday." and entry.msgstr == text
    res = tolmach("translate", po_path, "--no-glossary", "--no-memory", "--retranslate-fuzzy", cwd=tmp_path,
                  env=tiny_env)
    assert res.exit_code == 0, res.output
    assert "1 human draft kept as written" in res.output, res.output
    entry = _entry(assert_valid_po(po_path), "The Kremlin said")
    assert entry.msgstr == text and entry.fuzzy and entry_state(entry) is EntryState.HUMAN_DRAFT


def test_a_redone_stale_draft_is_still_a_machine_draft_after_the_next_edit(tmp_path, tiny_env):
    """translate redid a stale draft but left the update's ``#|`` (the first source) on it; the
    next edit of the paragraph kept that ``#|``, and the draft, matching neither source, was
    counted a human draft, kept as written and never translated again."""
    po_path = _translated_project(tmp_path, tiny_env)
    article = tmp_path / "story.txt"
    for n, version in enumerate(("on Friday", "on Friday evening"), 1):
        article.write_text(ARTICLE.replace("on Thursday", version), encoding="utf-8")
        res = tolmach("translate-article", article, "--to", "ru", "--no-glossary", cwd=tmp_path, env=tiny_env)
        assert res.exit_code == 0, res.output
        assert "0 human drafts" in res.output, (n, res.output)
        entry = _entry(assert_valid_po(po_path), "The Kremlin said")
        assert entry.previous_msgid is None and entry_state(entry) is EntryState.MACHINE_DRAFT, (n, entry)
        assert version.split()[-1] in entry.msgstr, (n, entry)  # the draft of the current source


# --- 2: a concurrent save is never reverted --------------------------------------------------------

_SAVER = textwrap.dedent(
    """
    # A translator's editor: a safe save (temp file + rename), made the moment Tolmach creates its
    # own temporary file, i.e. after Tolmach read the catalog and before it replaces it. The kernel
    # tells this process (inotify) when the file appears, so the save lands in that window however
    # loaded the machine is; polling the folder could sleep through it.
    import ctypes, os, struct, sys, time
    target, content = sys.argv[1], open(sys.argv[2], "rb").read()
    folder, name = os.path.split(target)
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init()
    IN_CREATE = 0x100
    if fd < 0 or libc.inotify_add_watch(fd, folder.encode(), IN_CREATE) < 0:
        sys.exit(4)
    open(sys.argv[3], "w").close()  # ready
    deadline = time.monotonic() + 60
    import select
    while time.monotonic() < deadline:
        if not select.select([fd], [], [], 1)[0]:
            continue
        data = os.read(fd, 65536)
        names = []
        while data:
            wd, mask, cookie, length = struct.unpack_from("iIII", data)
            names.append(data[16:16 + length].rstrip(b"\\0").decode())
            data = data[16 + length:]
        if any(f.startswith("." + name + ".") and f.endswith(".tmp") for f in names):
            tmp = os.path.join(folder, name + "~poedit")
            with open(tmp, "wb") as fh:
                fh.write(content)
            os.replace(tmp, target)
            sys.exit(0)
    sys.exit(3)
    """
)


def _big_catalog(path: Path, entries: int = 400) -> None:
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru", "X-Source-Language": "en",
                   "MIME-Version": "1.0", "Content-Transfer-Encoding": "8bit"}
    for i in range(entries):
        po.append(polib.POEntry(msgctxt=f"body:{i}", msgid=f"Russia and NATO said it on day {i}.", msgstr=""))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))


def test_a_save_made_while_translate_writes_is_kept(tmp_path, tiny_env):
    po_path = tmp_path / "locales/ru/LC_MESSAGES/big.po"
    _big_catalog(po_path)
    # what the translator saves: their own translation of entry 7
    theirs = polib.pofile(str(po_path))
    theirs[7].msgstr = "Перевод переводчика."
    saved = tmp_path / "theirs.po"
    theirs.save(str(saved))
    script, ready = tmp_path / "saver.py", tmp_path / "ready"
    script.write_text(_SAVER, encoding="utf-8")
    saver = subprocess.Popen([sys.executable, str(script), str(po_path), str(saved), str(ready)])
    try:
        while not ready.exists():
            pass
        proc = tolmach_process("translate", po_path, "--no-glossary", "--no-memory", cwd=tmp_path, env=tiny_env)
        assert proc.returncode == 0, proc.stderr
        assert saver.wait(timeout=30) == 0, "the translator's save never happened"
    finally:
        saver.kill()
    po = assert_valid_po(po_path)
    assert po[7].msgstr == "Перевод переводчика."  # their save was not reverted
    assert entry_state(po[7]) is EntryState.REVIEWED
    assert all(e.msgstr for e in po)  # and Tolmach's drafts went onto their version
    assert "filled 399 entries" in proc.stdout


def test_two_translate_runs_on_one_project_and_memory(tmp_path, tiny_env):
    paths = []
    for n in range(4):
        p = tmp_path / f"locales/ru/LC_MESSAGES/part{n}.po"
        _big_catalog(p, 60)
        paths.append(p)
    reviewed = load_catalog(paths[0])
    reviewed[0].msgstr = "Рецензированный перевод."
    save_catalog(reviewed, paths[0])
    env = dict(os.environ, **tiny_env)
    runs = [
        subprocess.Popen([sys.executable, "-m", "tolmach", "translate", *map(str, paths), "--no-glossary",
                          "--memory", str(tmp_path / "memory.sqlite")], cwd=tmp_path, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    for p in paths:
        po = assert_valid_po(p)
        assert all(e.msgstr for e in po)
    assert load_catalog(paths[0])[0].msgstr == "Рецензированный перевод."
    assert not load_catalog(paths[0])[0].fuzzy


def _save_as_a_translator_would(po_path: Path, entry: int, text: str) -> None:
    """An editor's save: the whole file written to a new one that replaces it (a new inode)."""
    theirs = polib.pofile(str(po_path), wrapwidth=79)
    theirs[entry].msgstr = text
    tmp = po_path.with_name(po_path.name + "~editor")
    theirs.save(str(tmp))
    os.replace(tmp, po_path)


def _fill_untranslated(po: polib.POFile) -> polib.POFile:
    for e in po:
        if not e.msgstr:
            e.msgstr = "Машинный перевод."
            e.flags.append("fuzzy")
    return po


def test_a_save_made_while_the_catalog_is_read_is_kept(tmp_path):
    """The translator saves in the moment between Tolmach reading the file and parsing it (a large
    catalog takes a while): the content Tolmach works on is the old one, so its write must count as
    over a change. (It took the file's identity after parsing, that of the translator's file, and
    wrote over their save.) The save is made at that very moment by a profile hook."""
    from tolmach.catalog import rewrite_catalog

    po_path = tmp_path / "big.po"
    _big_catalog(po_path, 50)
    saved = []

    def save_once_parsed(frame, event, arg):
        if event == "return" and frame.f_code is polib.pofile.__code__ and not saved:
            saved.append(True)
            _save_as_a_translator_would(po_path, 7, "Перевод переводчика.")

    sys.setprofile(save_once_parsed)
    try:
        rewrite_catalog(po_path, _fill_untranslated)
    finally:
        sys.setprofile(None)
    assert saved
    po = assert_valid_po(po_path)
    assert po[7].msgstr == "Перевод переводчика." and not po[7].fuzzy  # their save stands
    assert all(e.msgstr for e in po)  # and Tolmach's change went onto their version


def test_a_save_made_right_after_tolmach_writes_is_kept_by_its_next_write(tmp_path):
    """Tolmach writes a catalog and keeps working on it; the translator saves the moment after the
    rename. Tolmach's next write must see their save (it took the identity of whatever was on disk
    after the rename: their file)."""
    from tolmach.catalog import rewrite_catalog

    po_path = tmp_path / "big.po"
    _big_catalog(po_path, 20)
    saved = []

    def save_after_rename(frame, event, arg):
        if event == "c_return" and arg is os.replace and not saved:
            saved.append(True)
            _save_as_a_translator_would(po_path, 3, "Перевод переводчика.")

    def first(po: polib.POFile) -> polib.POFile:
        po[0].msgstr = "Первый."
        return po

    sys.setprofile(save_after_rename)
    try:
        ours = rewrite_catalog(po_path, first)
    finally:
        sys.setprofile(None)
    assert saved
    rewrite_catalog(po_path, _fill_untranslated, ours)  # the catalog it holds, as a second step would
    po = assert_valid_po(po_path)
    assert po[3].msgstr == "Перевод переводчика." and not po[3].fuzzy
    assert po[0].msgstr == "Первый."
    assert all(e.msgstr for e in po)


# --- 3: plural entries ----------------------------------------------------------------------------

PLURAL_PO = """\
msgid ""
msgstr ""
"Language: ru\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"
"X-Source-Language: en\\n"

msgid "%d article"
msgid_plural "%d articles"
msgstr[0] "%d статья"
msgstr[1] "%d статьи"
msgstr[2] "%d статей"

msgctxt "body:1"
msgid "Russia and NATO."
msgstr ""
"""


def test_translate_leaves_a_reviewed_plural_entry_as_it_is(tmp_path, tiny_env):
    po_path = tmp_path / "locales/ru/LC_MESSAGES/ui.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(PLURAL_PO, encoding="utf-8")
    res = tolmach("translate", po_path, "--no-glossary", cwd=tmp_path, env=tiny_env)
    assert res.exit_code == 0, res.output
    po = assert_valid_po(po_path)
    plural = po[0]
    assert plural.msgid_plural and not plural.fuzzy and "mt:" not in (plural.comment or "")
    assert plural.msgstr_plural == {0: "%d статья", 1: "%d статьи", 2: "%d статей"}
    assert po[1].msgstr and po[1].fuzzy
    assert "filled 1 entry" in res.output


def test_a_plural_entry_with_an_empty_form_is_a_human_draft_no_machine_step_touches(tmp_path, tiny_env):
    """A plural entry with msgstr[0] empty and the other forms filled was "reviewed"; it is a
    person's unfinished text: a human draft (with the header's nplurals, one lacking a form too),
    never untranslated, so translate, the memory and an XLIFF round trip keep every form of it."""
    from tolmach.state import machine_may_write, nplurals

    po_path = tmp_path / "locales/ru/LC_MESSAGES/ui.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(PLURAL_PO.replace('msgstr[0] "%d статья"', 'msgstr[0] ""'), encoding="utf-8")
    po = load_catalog(po_path)
    assert entry_state(po[0]) is EntryState.HUMAN_DRAFT and not machine_may_write(po[0], plurals=True)
    del po[0].msgstr_plural[2]
    assert entry_state(po[0], nplurals(po)) is EntryState.HUMAN_DRAFT
    assert entry_state(polib.POEntry(msgid="a", msgid_plural="b", msgstr_plural={0: "", 1: ""})) is EntryState.UNTRANSLATED

    res = tolmach("translate", po_path, "--no-glossary", cwd=tmp_path, env=tiny_env)
    assert res.exit_code == 0, res.output
    assert tolmach("memory", "sync", cwd=tmp_path, env=tiny_env).exit_code == 0
    xlf = tmp_path / "job.xlf"
    assert tolmach("export", "--xliff", xlf, po_path, cwd=tmp_path, env=tiny_env).exit_code == 0
    assert tolmach("import", "--xliff", xlf, cwd=tmp_path, env=tiny_env).exit_code == 0
    plural = load_catalog(po_path)[0]
    assert plural.msgstr_plural == {0: "", 1: "%d статьи", 2: "%d статей"} and not plural.fuzzy
    assert "mt:" not in (plural.comment or "")


def test_update_carries_plural_entries(tmp_path):
    po_path = tmp_path / "ui.po"
    po_path.write_text(PLURAL_PO, encoding="utf-8")
    po = load_catalog(po_path)
    with_plural = polib.POFile()
    with_plural.append(polib.POEntry(msgid="%d article", msgid_plural="%d articles", msgstr_plural={0: "", 1: "", 2: ""}))
    merged, _ = update_catalog(po, with_plural)
    assert merged[0].msgstr_plural == {0: "%d статья", 1: "%d статьи", 2: "%d статей"} and not merged[0].fuzzy
    # a template without it: the plural entry becomes obsolete, with its translation, never deleted
    without = polib.POFile()
    without.append(polib.POEntry(msgctxt="body:1", msgid="Russia and NATO.", msgstr=""))
    merged, report = update_catalog(po, without)
    (gone,) = [e for e in merged if e.obsolete]
    assert gone.msgid_plural == "%d articles" and gone.msgstr_plural[2] == "%d статей"
    save_catalog(merged, po_path)
    assert_valid_po(po_path)


# --- 4: non-UTF-8 catalogs --------------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["CP1251", "KOI8-R"])
def test_a_catalog_in_another_charset_is_written_back_in_it(tmp_path, tiny_env, charset):
    po_path = tmp_path / "locales/ru/LC_MESSAGES/old.po"
    po_path.parent.mkdir(parents=True)
    text = PLURAL_PO.replace("charset=UTF-8", f"charset={charset}")
    po_path.write_bytes(text.encode(charset))
    res = tolmach("translate", po_path, "--no-glossary", cwd=tmp_path, env=tiny_env)
    assert res.exit_code == 0, res.output
    data = po_path.read_bytes()
    assert f"charset={charset}".encode() in data  # kept, as msgcat and msgmerge keep it
    assert "%d статей".encode(charset) in data
    po = assert_valid_po(po_path)  # byte for byte what msgcat writes, in that charset
    assert po[0].msgstr_plural[2] == "%d статей" and po[1].msgstr  # the machine draft is in it too
    assert tolmach("stats", po_path, "--format", "json", cwd=tmp_path).exit_code == 0


def test_a_latin1_header_over_cyrillic_text_is_refused_before_any_work(tmp_path, tiny_env):
    po_path = tmp_path / "locales/ru/LC_MESSAGES/bad.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_bytes(PLURAL_PO.replace("charset=UTF-8", "charset=ISO-8859-1").encode("utf-8"))
    before = po_path.read_bytes()
    memory = tmp_path / "memory.sqlite"
    proc = tolmach_process("translate", po_path, "--no-glossary", "--memory", memory, cwd=tmp_path, env=tiny_env)
    assert_one_line_error(proc, str(po_path), "ISO-8859-1", "UTF-8")
    assert po_path.read_bytes() == before
    assert not memory.exists() or b"%d" not in memory.read_bytes()


# --- 5: an entry without msgstr ----------------------------------------------------------------------


def test_an_entry_without_msgstr_is_an_error_naming_file_and_line(tmp_path, tiny_env):
    po_path = tmp_path / "locales/ru/LC_MESSAGES/broken.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(PLURAL_PO.replace('msgctxt "body:1"\nmsgid "Russia and NATO."\nmsgstr ""\n',
                                         'msgid "Russia and NATO."\n\nmsgid "The Kremlin."\nmsgstr ""\n'),
                       encoding="utf-8")
    before = po_path.read_bytes()
    proc = tolmach_process("translate", po_path, "--no-glossary", cwd=tmp_path, env=tiny_env)
    line = before.decode().splitlines().index('msgid "Russia and NATO."') + 1
    assert_one_line_error(proc, f"{po_path}:{line}", "no msgstr")
    assert po_path.read_bytes() == before


# --- 7: provenance per language pair -------------------------------------------------------------------


def test_one_run_over_both_directions_records_each_direction(tmp_path, tiny_env):
    en = _translated_project(tmp_path, tiny_env)
    ru_article = tmp_path / "kreml.txt"
    ru_article.write_text("Кремль и НАТО\n\nРоссия заявила об этом в четверг.\n", encoding="utf-8")
    assert tolmach("extract", ru_article, cwd=tmp_path).exit_code == 0
    assert tolmach("init", "-l", "en", cwd=tmp_path).exit_code == 0
    ru = tmp_path / "locales/en/LC_MESSAGES/kreml.po"
    for path in (en,):
        po = load_catalog(path)
        for e in po:
            e.msgstr = ""
            e.flags = []
        save_catalog(po, path)
    res = tolmach("translate", en, ru, "--no-glossary", cwd=tmp_path, env=tiny_env)
    assert res.exit_code == 0, res.output
    assert "(en->ru)" in res.output and "(ru->en)" in res.output
    for path, direction in ((en, "|en->ru"), (ru, "|ru->en")):
        notes = [e.comment for e in assert_valid_po(path) if e.msgid]
        assert notes and all(direction in c for c in notes), (path, notes)


# --- 8: who wrote a draft --------------------------------------------------------------------------------


def test_a_rewritten_draft_is_not_counted_as_machine_work(tmp_path, tiny_env):
    po_path = _translated_project(tmp_path, tiny_env)
    po = load_catalog(po_path)
    _entry(po, "Moscow and").msgstr = "Москва и Кремль снова поговорят с НАТО в мае."
    save_catalog(po, po_path)
    data = tolmach("stats", po_path, "--format", "json", cwd=tmp_path).stdout
    import json

    counts = json.loads(data)["total"]
    assert counts["machine_draft"]["units"] == 3 and counts["human_draft"]["units"] == 1
    res = tolmach("translate-article", tmp_path / "story.txt", "--to", "ru", "--no-glossary",
                  cwd=tmp_path, env=tiny_env)
    assert "(3 machine drafts to review, 1 human draft, 0 reviewed)" in res.output


def test_a_stale_machine_draft_is_translated_again(tmp_path, tiny_env):
    po_path = _translated_project(tmp_path, tiny_env)
    article = tmp_path / "story.txt"
    article.write_text(ARTICLE.replace("Russia denies the claims.", "Russia denies the NATO claims."),
                       encoding="utf-8")
    res = tolmach("translate-article", article, "--to", "ru", "--no-glossary", cwd=tmp_path, env=tiny_env)
    assert "filled 1 entry" in res.output and "1 stale machine draft" in res.output, res.output
    entry = _entry(assert_valid_po(po_path), "Russia denies")
    # the new draft is of the current source: no "#|" of the one the old draft was made for
    assert "НАТО claims" in entry.msgstr and entry.previous_msgid is None


def test_a_machine_draft_whose_paragraph_changed_twice_is_still_a_machine_draft(tmp_path, tiny_env):
    """Two edits of a paragraph before anyone looked at its draft: ``update`` put the second
    source in ``#|`` (msgmerge keeps the first, the one the translation was made for), so the
    draft's fingerprint matched neither source and it was counted as a person's and never redone."""
    po_path = _translated_project(tmp_path, tiny_env)
    article = tmp_path / "story.txt"
    for text in ("Russia denies the NATO claims.", "Russia denies all the NATO claims."):
        article.write_text(ARTICLE.replace("Russia denies the claims.", text), encoding="utf-8")
        res = tolmach("update", article, cwd=tmp_path)
        assert res.exit_code == 0, res.output
    entry = _entry(assert_valid_po(po_path), "Russia denies all")
    assert entry.previous_msgid.startswith("Russia denies the claims.")  # as msgmerge --previous keeps it
    assert entry_state(entry) is EntryState.MACHINE_DRAFT
    res = tolmach("translate-article", article, "--to", "ru", "--no-glossary", cwd=tmp_path, env=tiny_env)
    assert "1 stale machine draft" in res.output and "human draft" not in res.output.split("\n")[0], res.output
    assert "all the НАТО claims" in _entry(assert_valid_po(po_path), "Russia denies all").msgstr
    assert entry_state(entry) is EntryState.MACHINE_DRAFT


def test_a_draft_whose_mt_note_a_msgmerge_dropped_is_stale_once_its_paragraph_changes(tmp_path, tiny_env):
    """A translator's own ``msgmerge`` drops the ``#. mt:`` notes; the confidence note (a ``#``
    comment) still proves the draft, but only of the current source: after an edit of the paragraph
    ``update`` left the draft's proof matching neither, so it counted as a human draft, kept as
    written."""
    if not shutil.which("msgmerge"):
        pytest.skip("GNU gettext (msgmerge) not installed")
    po_path = _translated_project(tmp_path, tiny_env)
    draft = _entry(load_catalog(po_path), "Russia denies").msgstr
    subprocess.run(["msgmerge", "-q", "-U", "--backup=none", str(po_path),
                    str(tmp_path / "locales/templates/story.pot")], check=True)
    entry = _entry(load_catalog(po_path), "Russia denies")
    assert "mt: " not in entry.comment and entry_state(entry) is EntryState.MACHINE_DRAFT

    article = tmp_path / "story.txt"
    article.write_text(ARTICLE.replace("Russia denies the claims.", "Russia denies the NATO claims."),
                       encoding="utf-8")
    res = tolmach("update", article, cwd=tmp_path)
    assert res.exit_code == 0, res.output
    entry = _entry(assert_valid_po(po_path), "Russia denies the NATO")
    assert entry.msgstr == draft and is_stale(entry), entry
    res = tolmach("translate", po_path, "--no-glossary", "--dry-run", cwd=tmp_path, env=tiny_env)
    assert "human draft" not in res.output and "1 stale machine draft" in res.output, res.output
    res = tolmach("translate-article", article, "--to", "ru", "--no-glossary", cwd=tmp_path, env=tiny_env)
    assert "1 stale machine draft" in res.output, res.output
    assert "НАТО claims" in _entry(assert_valid_po(po_path), "Russia denies the NATO").msgstr


# --- 9: same file name in two folders; spaces in paths ------------------------------------------------


def test_two_articles_with_the_same_name_get_their_own_catalogs(tmp_path, tiny_env):
    a = _translated_project(tmp_path, tiny_env, name="a/story.txt")
    po = load_catalog(a)
    for e in po:
        e.flags = []
    save_catalog(po, a)
    other = ARTICLE.replace("Thursday", "Friday").replace("May", "June")
    res = tolmach("translate-article", tmp_path / "b/story.txt", "--to", "ru", "--no-glossary",
                  cwd=tmp_path, env=tiny_env) if (tmp_path / "b").mkdir() or (tmp_path / "b/story.txt").write_text(
                      other, encoding="utf-8") else None
    assert res.exit_code == 0, res.output
    assert "locales/ru/LC_MESSAGES/b-story.po" in res.output
    po = assert_valid_po(a)
    assert not [e for e in po if e.obsolete] and all(not e.fuzzy and e.msgstr for e in po)
    # and update over both keeps each where it is
    res = tolmach("update", "-d", "locales", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert not [e for e in assert_valid_po(a) if e.obsolete]


def test_an_article_path_with_spaces_survives_update(tmp_path, tiny_env):
    po_path = _translated_project(tmp_path, tiny_env, name="my articles/big story.txt")
    assert po_path.name == "big-story.po" and po_path.is_file()
    pot = (tmp_path / "locales/templates/big-story.pot").read_text(encoding="utf-8")
    assert "#: \u2068my articles/big story.txt\u2069:1" in pot  # as GNU gettext writes such a name
    (tmp_path / "my articles/big story.txt").write_text(ARTICLE + "\nNew paragraph about NATO.\n", encoding="utf-8")
    res = tolmach("update", "-d", "locales", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert "1 new" in res.output
    assert_valid_po(po_path)
    assert "#: \u2068my articles/big story.txt\u2069:1" in po_path.read_text(encoding="utf-8")
    assert load_catalog(po_path)[0].occurrences == [("my articles/big story.txt", "1")]



@pytest.mark.parametrize("name", ["we\nird.txt", "tab\there.txt", "sep\u2028line.txt"])
def test_an_article_path_with_a_line_break_is_refused_before_anything_is_written(tmp_path, tiny_env, name):
    """GNU gettext has no way to write such a name in a `#:` line (xgettext writes it as it is and
    msgcat then rejects the file): extract wrote a template that broke every later run."""
    (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    shown = name.encode("unicode_escape").decode("ascii")
    for command in (("extract",), ("translate-article", "--to", "ru", "--no-glossary")):
        proc = tolmach_process(command[0], name, *command[1:], cwd=tmp_path, env=tiny_env)
        assert_one_line_error(proc, f"{shown}: the article's path has a line break", "`#:` reference")
        assert not (tmp_path / "locales").exists()


# --- 11: check tells what it did not check ------------------------------------------------------------


def test_check_from_outside_the_project_uses_its_glossary(tmp_path):
    project = tmp_path / "project"
    (project / "glossaries").mkdir(parents=True)
    (project / "glossaries/news.csv").write_text("source,target,kind,note,forbidden,alternatives,case_sensitive,dnt\n"
                                                 "Kremlin,Кремль,organisation,,,,,\n",
                                                 encoding="utf-8")
    po_path = project / "locales/ru/LC_MESSAGES/a.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(PLURAL_PO.replace('msgid "Russia and NATO."\nmsgstr ""', 'msgid "The Kremlin spoke."\n'
                                         'msgstr "Правительство выступило."'), encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    res = tolmach("check", po_path, cwd=elsewhere)
    assert res.exit_code == 1 and "Кремль" in res.stdout, res.output
    assert "no glossary applies" not in res.stderr


def test_check_warns_without_a_glossary_and_counts_skipped_fuzzy_entries(tmp_path):
    po_path = tmp_path / "a.po"
    po_path.write_text(PLURAL_PO.replace('msgid "Russia and NATO."\nmsgstr ""', '#, fuzzy\nmsgid "Russia."\n'
                                         'msgstr "Россия."'), encoding="utf-8")
    res = tolmach("check", po_path, cwd=tmp_path)
    assert res.exit_code == 0
    assert "no glossary applies" in res.stderr
    assert "1 fuzzy entry not checked" in res.stderr


def test_builtin_checks_run_when_entry_points_are_missing(tmp_path):
    """A tree without package metadata (copied, bundled): the built-in checks still run."""
    import site

    deps = tmp_path / "deps"
    deps.mkdir()
    for folder in site.getsitepackages():
        for item in Path(folder).iterdir():
            if item.name.startswith(("tolmach", "__editable__")) or (deps / item.name).exists():
                continue
            (deps / item.name).symlink_to(item)
    src = Path(__file__).resolve().parents[1] / "src"
    po_path = tmp_path / "a.po"
    po_path.write_text(PLURAL_PO.replace('msgid "Russia and NATO."\nmsgstr ""', 'msgid "It cost 1,500 roubles."\n'
                                         'msgstr "Это стоило 1 600 рублей."'), encoding="utf-8")
    code = f"import sys; sys.path[:0] = [{str(src)!r}, {str(deps)!r}]; from tolmach.cli import main; main()"
    proc = subprocess.run([sys.executable, "-S", "-c", code, "check", str(po_path), "--no-glossary"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "numbers" in proc.stdout and "No problems found" not in proc.stdout


# --- 12: the README's own steps ---------------------------------------------------------------------------


def test_extract_after_translate_article_does_not_take_the_draft_for_an_article(tmp_path, tiny_env):
    _translated_project(tmp_path, tiny_env, name="articles/story.txt")
    # a draft left beside its article by -o is recognised too
    res = tolmach("translate-article", tmp_path / "articles/story.txt", "--to", "ru", "--no-glossary",
                  "-o", tmp_path / "articles", cwd=tmp_path, env=tiny_env)
    assert (tmp_path / "articles/story.ru.txt").is_file(), res.output
    res = tolmach("extract", *sorted((tmp_path / "articles").glob("*.txt")), cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert "story.ru.txt: skipped: a translated draft of" in res.output
    assert sorted(p.name for p in (tmp_path / "locales/templates").glob("*.pot")) == ["story.pot"]


def test_from_ru_on_an_english_article_writes_nothing(tmp_path, tiny_env):
    article = tmp_path / "story.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    proc = tolmach_process("translate-article", article, "--from", "ru", "--no-glossary", cwd=tmp_path, env=tiny_env)
    assert_one_line_error(proc, "story.txt", "--from ru", "not Russian")
    assert not (tmp_path / "locales").exists()


def test_segment_into_a_closed_pipe_ends_quietly(tmp_path):
    article = tmp_path / "long.txt"
    article.write_text("\n\n".join(f"Paragraph {i} about Russia and NATO." for i in range(3000)), encoding="utf-8")
    proc = subprocess.run(f"{sys.executable} -m tolmach segment {article} | head -1", shell=True,
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.stderr == "" and proc.stdout.startswith(str(article))


def test_dry_run_reports_what_the_real_run_does(tmp_path, tiny_env):
    po_path = _translated_project(tmp_path, tiny_env)
    po = load_catalog(po_path)
    for e in po:
        e.msgstr, e.flags, e.comment = "", [], ""
    save_catalog(po, po_path)
    dry = tolmach("translate", po_path, "--no-glossary", "--dry-run", cwd=tmp_path, env=tiny_env)
    real = tolmach("translate", po_path, "--no-glossary", cwd=tmp_path, env=tiny_env)
    assert dry.exit_code == real.exit_code == 0
    assert "5 cached, 0 would go to the model" in dry.output, dry.output
    assert "5 cached, 0 sent to the model" in real.output, real.output
    assert dry.output.replace("would fill", "filled").replace("would go to", "sent to") == real.output


def test_progress_total_is_known_from_the_start(tmp_path, tiny_env):
    from tolmach.engines.argos import ArgosEngine
    from tolmach.models import find_model
    from tolmach.translate import TranslateOptions, translate_catalogs

    po_path = tmp_path / "locales/ru/LC_MESSAGES/big.po"
    _big_catalog(po_path, 50)
    calls = []
    os.environ.update(tiny_env)
    try:
        translate_catalogs([po_path], lambda s, t: ArgosEngine(find_model(s, t)), TranslateOptions(),
                           progress=lambda done, total: calls.append((done, total)))
    finally:
        for key in tiny_env:
            os.environ.pop(key)
    assert calls[0] == (0, 50) and calls[-1] == (50, 50)
    assert {total for _, total in calls} == {50}


# --- one project resolver, with a schema ----------------------------------------------------------


@pytest.mark.parametrize("line, key", [('fuzzy_threshold = "high"', "fuzzy_threshold"), ("memory = 5", "memory"),
                                       ('glossary = ["a", 3]', "glossary"), ("accept_exact = 1", "accept_exact")])
def test_a_wrong_type_in_the_configuration_is_one_error_naming_file_and_key(tmp_path, line, key):
    (tmp_path / "tolmach.toml").write_text(line + "\n", encoding="utf-8")
    po_path = tmp_path / "a.po"
    po_path.write_text(PLURAL_PO, encoding="utf-8")
    for args in (("check", po_path), ("translate", po_path, "--dry-run"), ("stats", po_path)):
        proc = tolmach_process(*args, cwd=tmp_path)
        assert_one_line_error(proc, "tolmach.toml", repr(key))


def test_a_list_of_glossaries_in_the_configuration_works_everywhere(tmp_path, tiny_env):
    header = "source,target,kind,note,forbidden,alternatives,case_sensitive,dnt\n"
    (tmp_path / "one.csv").write_text(header + "Kremlin,Кремль,organisation,,,,,\n", encoding="utf-8")
    (tmp_path / "two.csv").write_text(header + "NATO,НАТО,organisation,,,,,\n", encoding="utf-8")
    (tmp_path / "tolmach.toml").write_text('glossary = ["one.csv", "two.csv"]\n', encoding="utf-8")
    article = tmp_path / "story.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    res = tolmach("translate-article", article, "--to", "ru", cwd=tmp_path, env=tiny_env)
    assert res.exit_code == 0, res.output
    for args in (("check", "locales", "--fuzzy"), ("glossary", "lint"), ("glossary", "find", "The Kremlin and NATO")):
        res = tolmach(*args, cwd=tmp_path, env=tiny_env)
        assert res.exit_code in (0, 1), (args, res.output)
        assert "Traceback" not in res.output
    assert "НАТО" in tolmach("glossary", "find", "The Kremlin and NATO", cwd=tmp_path).output


def test_the_builtin_check_list_matches_the_entry_points():
    import tomllib

    from tolmach.checks.runner import BUILTIN_CHECKS

    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["entry-points"]["tolmach.checks"] == BUILTIN_CHECKS


def test_translate_article_with_a_recorded_file_that_lacks_a_sentence_writes_nothing(tmp_path):
    article = tmp_path / "story.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    recorded = tmp_path / "mt.tsv"
    recorded.write_text("Russia and NATO talk\tРоссия и НАТО говорят\n", encoding="utf-8")
    proc = tolmach_process("translate-article", article, "--to", "ru", "--no-glossary", "--engine", "recorded",
                           "--recorded", recorded, cwd=tmp_path)
    assert_one_line_error(proc, "mt.tsv", "no recorded translation of", "The Kremlin said")
    assert not (tmp_path / "locales").exists()
