"""Interop (issue 4): the PO files Tolmach writes are read by gettext, translate-toolkit, polib and
babel alike, and a PO edited by hand in another tool is accepted, its translator comments kept."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tolmach.catalog import load_catalog, save_catalog
from tolmach.notes import comment_lines
from tolmach.notes import human_comment

from helpers import SEED, assert_valid_po, tolmach


@pytest.fixture
def project(tmp_path, tiny_package):
    env = {"TOLMACH_MODELS_DIR": str(tmp_path / "models"), "TOLMACH_CACHE_DIR": str(tmp_path / "cache")}
    assert tolmach("models", "install", "--file", tiny_package["en_ru"], env=env).exit_code == 0
    article = tmp_path / "taliban.txt"
    shutil.copy(SEED, article)
    res = tolmach("translate-article", article, "--to", "ru", "--no-glossary", cwd=tmp_path, env=env)
    assert res.exit_code == 0, res.output
    return tmp_path, article, env, tmp_path / "locales/ru/LC_MESSAGES/taliban.po"


def test_readers_agree(project):
    _, _, _, po_path = project
    po = assert_valid_po(po_path)  # msgfmt --check + polib
    from babel.messages.pofile import read_po

    with po_path.open("rb") as fh:
        cat = read_po(fh)
    babel_view = sorted((m.context, m.id, m.string, m.fuzzy) for m in cat if m.id)
    polib_view = sorted((e.msgctxt, e.msgid, e.msgstr, e.fuzzy) for e in po)
    assert babel_view == polib_view
    # translate-toolkit reads it, and its checker runs over it
    from translate.storage import factory

    store = factory.getobject(str(po_path))
    tt_view = sorted((u.getcontext(), u.source, u.target) for u in store.units if not u.isheader())
    assert tt_view == sorted((c, i, s) for c, i, s, _ in polib_view)
    pofilter = shutil.which("pofilter") or str(Path(sys.executable).parent / "pofilter")
    out = po_path.parent / "pofilter-out.po"
    proc = subprocess.run([pofilter, str(po_path), str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert polib.pofile(str(out)) is not None


def _hand_edit(po_path: Path) -> dict[str, str]:
    """What a translator's tool might do: reorder, rewrap, CRLF, comments, a review."""
    po = polib.pofile(str(po_path), wrapwidth=40)
    entries = list(po)
    comments = {}
    for i, e in enumerate(entries):
        if i % 3 == 0:
            e.tcomment = f"translator note {i}: checked against the wire copy"
            comments[e.msgctxt] = e.tcomment
    entries[0].msgstr = "Россия, возможно, снабжает «Талибан» в Афганистане, заявил американский генерал"
    entries[0].flags = []
    po[:] = list(reversed(entries))
    text = po.__unicode__().replace("\n", "\r\n")
    po_path.write_bytes(text.encode("utf-8"))
    # the comments as the translator's tool saved them (it wrapped them at its width)
    # (Tolmach's own confidence notes are translator comments too: the people's are compared)
    saved = {e.msgctxt: human_comment(e) for e in polib.pofile(str(po_path)) if human_comment(e)}
    assert saved.keys() == comments.keys()
    return saved


def test_hand_edited_po_is_accepted_and_comments_survive_every_command(project):
    root, article, env, po_path = project
    comments = _hand_edit(po_path)
    assert b"\r\n" in po_path.read_bytes()

    def kept():
        po = load_catalog(po_path)
        found = {e.msgctxt: human_comment(e) for e in po if human_comment(e)}
        assert found == comments
        title = next(e for e in po if e.msgctxt.startswith("title"))
        assert title.msgstr.startswith("Россия, возможно") and not title.fuzzy

    commands = [
        ("translate", po_path, "--retranslate-fuzzy", "--no-glossary"),
        ("update",),
        ("translate-article", article, "--to", "ru", "--no-glossary"),
        ("check", "locales", "--no-glossary"),
        ("stats", "locales"),
        ("compile", "locales"),
        ("memory", "sync", "locales"),
        ("build", po_path, "-o", root / "out.txt"),
    ]
    for cmd in commands:
        res = tolmach(*cmd, cwd=root, env=env)
        assert res.exit_code in (0, 1), (cmd, res.output)
        kept()
    assert_valid_po(po_path)
    out = (root / "out.txt").read_text(encoding="utf-8")
    assert out.startswith("Россия, возможно, снабжает «Талибан»")


def test_a_crlf_catalog_stays_crlf_through_translate_update_and_check(project):
    """Tolmach wrote every catalog with LF line ends, so a CRLF one (Poedit keeps CRLF, gettext on
    Windows writes it) changed on every line in git."""
    from tolmach.checks import poread, runner

    root, article, env, po_path = project
    template = root / "locales/templates/taliban.pot"
    po = load_catalog(po_path)
    for e in po[:3]:
        e.msgstr = ""
    save_catalog(po, po_path)
    for path in (po_path, template):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))

    def crlf(path):
        data = path.read_bytes()
        assert data.count(b"\n") == data.count(b"\r\n") > 10, path
        assert_valid_po(path)  # msgfmt --check, and msgcat's lines

    res = tolmach("translate", po_path, "--no-glossary", cwd=root, env=env)
    assert res.exit_code == 0 and "filled 3 entries" in res.output, res.output
    crlf(po_path)
    article.write_text(article.read_text(encoding="utf-8") + "\n\nA new paragraph about NATO.\n", encoding="utf-8")
    for cmd in (("update",), ("translate-article", article, "--to", "ru", "--no-glossary")):
        res = tolmach(*cmd, cwd=root, env=env)
        assert res.exit_code == 0, (cmd, res.output)
        crlf(po_path)
        crlf(template)
    new = [e.msgstr for e in load_catalog(po_path) if e.msgid == "A new paragraph about NATO."]
    assert new == ["A new paragraph about НАТО."]
    # and check's fast reader reads it as polib does
    fast = poread.read_entries(po_path, True)
    assert fast is not None and fast == runner.read_po_with_polib(po_path, True, {})


def test_editing_inserting_deleting_paragraphs_with_the_main_job(project):
    root, article, env, po_path = project
    po = load_catalog(po_path)
    reviewed = {}
    for e in po:  # a reviewer accepts every draft
        e.flags = [f for f in e.flags if f != "fuzzy"]
        e.msgstr = "ПРОВЕРЕНО " + e.msgstr
        reviewed[e.msgid] = e.msgstr
    save_catalog(po, po_path)
    text = article.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    deleted = next(p for p in paragraphs if p.startswith("The general did not specify"))
    edited = next(p for p in paragraphs if p.startswith("Since invading"))
    text = text.replace("\n\n" + deleted, "")
    text = text.replace(edited, edited.replace("fledgling", "young"))
    text = text.replace("A top U.S. General", "Moscow said nothing.\n\nA top U.S. General")
    article.write_text(text, encoding="utf-8")

    res = tolmach("translate-article", article, "--to", "ru", "--no-glossary", cwd=root, env=env)
    assert res.exit_code == 0, res.output
    assert "filled 1 entry" in res.output and "1 sent to the model" in res.output
    po = assert_valid_po(po_path)
    active = {e.msgid: e for e in po if not e.obsolete}
    for msgid, target in reviewed.items():
        if msgid in active:
            assert active[msgid].msgstr == target and not active[msgid].fuzzy
    changed = active[edited.replace("fledgling", "young")]
    assert changed.fuzzy and changed.previous_msgid == edited
    assert changed.msgstr == reviewed[edited]
    assert active["Moscow said nothing."].msgstr == "Москва said nothing."
    gone = [e for e in po if e.obsolete]
    assert [e.msgid for e in gone] == [deleted] and gone[0].msgstr == reviewed[deleted]


def _review_first_body_paragraph(po_path):
    po = load_catalog(po_path)
    shared = po[2]
    shared.msgstr = "В четверг высокопоставленный американский генерал обвинил Россию в тесных связях с «Талибаном»."
    shared.flags = []
    save_catalog(po, po_path)
    return shared


def test_a_shared_paragraph_comes_from_memory_without_the_model(project):
    root, article, env, po_path = project
    shared = _review_first_body_paragraph(po_path)
    second = root / "second.txt"
    second.write_text(f"Another story\n\n{shared.msgid}\n", encoding="utf-8")
    res = tolmach("translate-article", second, "--to", "ru", "--no-glossary", cwd=root, env=env)
    assert res.exit_code == 0, res.output
    assert "1 from memory" in res.output and "1 sent to the model" in res.output  # only the title
    po2 = assert_valid_po(root / "locales/ru/LC_MESSAGES/second.po")
    entry = next(e for e in po2 if e.msgid == shared.msgid)
    assert entry.msgstr == shared.msgstr
    assert "memory: exact match" in entry.comment
    assert entry.fuzzy  # by default a reviewer looks at it in its new context

    # a newsroom that trusts its reviewed paragraphs takes them as reviewed
    third = root / "third.txt"
    third.write_text(f"Third story\n\n{shared.msgid}\n", encoding="utf-8")
    res = tolmach("translate-article", third, "--to", "ru", "--no-glossary", "--accept-exact", cwd=root, env=env)
    assert res.exit_code == 0, res.output
    po3 = assert_valid_po(root / "locales/ru/LC_MESSAGES/third.po")
    entry = next(e for e in po3 if e.msgid == shared.msgid)
    assert entry.msgstr == shared.msgstr and not entry.fuzzy
    assert next(e for e in po3 if e.msgid == "Third story").fuzzy  # machine output stays fuzzy


def test_a_similar_paragraph_gets_a_memory_suggestion(project):
    root, article, env, po_path = project
    shared = _review_first_body_paragraph(po_path)
    similar = shared.msgid.replace("on Thursday", "on Friday")
    third = root / "third.txt"
    third.write_text(f"Yet another story\n\n{similar}\n", encoding="utf-8")
    res = tolmach("translate-article", third, "--to", "ru", "--no-glossary", cwd=root, env=env)
    assert res.exit_code == 0, res.output
    assert "0 from memory" in res.output
    entry = next(e for e in load_catalog(root / "locales/ru/LC_MESSAGES/third.po") if e.msgid == similar)
    suggestion = next(ln for ln in comment_lines(entry.comment) if ln.startswith("suggestion: "))
    assert shared.msgstr in suggestion and "%" in suggestion
    assert entry.fuzzy and "mt: " in entry.comment  # the model still drafts it


def test_a_cp1251_catalog_stays_cp1251_through_the_main_job_until_a_text_needs_utf8(project):
    """Every write (update's merge, translate's fill) rewrote a CP1251 catalog as UTF-8; now it
    keeps its charset, as msgmerge and msgcat do, and only a text CP1251 cannot encode converts
    the catalog, with a warning naming it."""
    root, article, env, po_path = project
    proc = subprocess.run(["msgconv", "-t", "CP1251", str(po_path)], capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    po_path.write_bytes(proc.stdout)
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("A top U.S. General", "Moscow said nothing.\n\nA top U.S. General"),
                       encoding="utf-8")
    res = tolmach("translate-article", article, "--to", "ru", "--no-glossary", cwd=root, env=env)
    assert res.exit_code == 0 and "warning" not in res.output, res.output
    data = po_path.read_bytes()
    assert b"charset=CP1251" in data and "Москва said nothing.".encode("cp1251") in data
    assert_valid_po(po_path)  # byte for byte what msgcat writes, in CP1251

    article.write_text(article.read_text(encoding="utf-8").replace("Moscow said nothing.", "Jürgen said nothing."),
                       encoding="utf-8")
    res = tolmach("translate-article", article, "--to", "ru", "--no-glossary", cwd=root, env=env)
    assert res.exit_code == 0, res.output
    assert (f"tolmach: warning: {po_path.relative_to(root)}: converted from CP1251 to UTF-8: the new text has "
            "characters CP1251 cannot encode (ü)") in res.output
    assert "charset=UTF-8" in po_path.read_bytes().decode("utf-8")
    assert_valid_po(po_path)
