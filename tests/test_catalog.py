import re
import subprocess

import polib
import pytest

from tolmach.catalog import (
    init_catalog,
    load_catalog,
    save_catalog,
    template_for,
    touch_revision,
    update_catalog,
)
from tolmach import __version__ as tolmach_version
from tolmach.errors import TolmachError
from tolmach.segment import segment_text

from helpers import SEED, assert_one_line_error, assert_valid_po, tolmach, tolmach_process


@pytest.fixture
def project(tmp_path):
    article = tmp_path / "taliban.txt"
    article.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    assert tolmach("extract", article, "-d", "locales", cwd=tmp_path).exit_code == 0
    assert tolmach("init", "-l", "ru", cwd=tmp_path).exit_code == 0
    return tmp_path, article


def test_extract_and_init_write_valid_catalogs(project):
    root, _ = project
    pot = assert_valid_po(root / "locales/templates/taliban.pot")
    po = assert_valid_po(root / "locales/ru/LC_MESSAGES/taliban.po")
    assert len(pot) == len(po) == 11
    assert po.metadata["Language"] == "ru"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"].startswith("nplurals=3;")
    assert po.metadata["X-Source-Language"] == "en"
    first = po[0]
    assert first.msgctxt.startswith("title:")
    assert first.occurrences == [("taliban.txt", "3")]
    assert "tolmach: title" in first.comment
    credit = po[1]
    assert credit.msgid == "Allauddin Khan / AP" and "credit" in credit.comment
    assert not any("Read more" in e.msgid or "donation" in e.msgid for e in po)
    # babel reads it identically
    from babel.messages.pofile import read_po

    with open(root / "locales/ru/LC_MESSAGES/taliban.po", "rb") as fh:
        cat = read_po(fh)
    assert sorted(m.id for m in cat if m.id) == sorted(e.msgid for e in po)


def test_po_header_is_a_translation_by_tolmach(project):
    root, _ = project
    pot_text = (root / "locales/templates/taliban.pot").read_text(encoding="utf-8")
    text = (root / "locales/ru/LC_MESSAGES/taliban.po").read_text(encoding="utf-8")
    assert pot_text.startswith("# Translation template for taliban.txt.")
    assert text.startswith("# Russian translation of taliban.txt.")
    assert "Translation template" not in text
    po = load_catalog(root / "locales/ru/LC_MESSAGES/taliban.po")
    assert po.metadata["Language-Team"] == ""  # not "Russian <>": Tolmach does not know the team
    assert po.metadata["X-Generator"] == f"Tolmach {tolmach_version}"
    keys = list(po.metadata)  # the order msginit writes
    assert keys.index("Language-Team") < keys.index("Language") < keys.index("Plural-Forms")
    po.metadata["PO-Revision-Date"] = "2020-01-01 00:00+0000"
    po.metadata["X-Generator"] = "Poedit 3.4.2"
    touch_revision(po)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d\+0000", po.metadata["PO-Revision-Date"])
    assert po.metadata["PO-Revision-Date"] != "2020-01-01 00:00+0000"
    assert po.metadata["X-Generator"] == f"Tolmach {tolmach_version}"


def test_init_does_not_clobber_existing_catalog(project):
    root, _ = project
    path = root / "locales/ru/LC_MESSAGES/taliban.po"
    po = load_catalog(path)
    po[0].msgstr = "Заголовок"
    save_catalog(po, path)
    res = tolmach("init", "-l", "ru", cwd=root)
    assert "exists" in res.output
    assert load_catalog(path)[0].msgstr == "Заголовок"


def test_init_force_puts_the_reviewed_translations_in_the_memory_first(project):
    """`init --force` threw reviewed translations away without a word: they reached no memory
    (as update and translate do before anything can demote them) and the line said only "created"."""
    from tolmach.memory import TranslationMemory

    root, _ = project
    path = root / "locales/ru/LC_MESSAGES/taliban.po"
    po = load_catalog(path)
    po[0].msgstr, po[2].msgstr = "Заголовок", "Набросок переводчика."
    po[2].flags = ["fuzzy"]  # a human draft: replaced, counted, but no reviewed translation
    save_catalog(po, path)
    title = po[0].msgid
    before = path.read_bytes()
    (root / "not-a-memory").mkdir()
    assert_one_line_error(tolmach_process("init", "-l", "ru", "--force", "--memory", "not-a-memory", cwd=root),
                          "not-a-memory: is a directory")
    assert path.read_bytes() == before
    res = tolmach("init", "-l", "ru", "--force", cwd=root)
    assert res.exit_code == 0 and res.output == ("locales/ru/LC_MESSAGES/taliban.po: created, 11 units; 2 translations "
                                                 "replaced (1 reviewed, now in the translation memory)\n"), res.output
    assert not any(e.msgstr for e in assert_valid_po(path))
    with TranslationMemory(root / ".tolmach/memory.sqlite", read_only=True) as tm:
        assert tm.exact(title, "en", "ru") == "Заголовок"
        assert len(tm) == 1


def test_init_of_an_article_takes_its_template(tmp_path):
    """`tolmach init story.html -l ru` looked for "templates/story.html.pot" ("no such catalog"):
    an article named is its template; one without a template yet says to extract it."""
    (tmp_path / "story.html").write_text("<html><body><article><h1>The news</h1><p>The minister met the "
                                         "people on Monday, officials said.</p></article></body></html>",
                                         encoding="utf-8")
    assert_one_line_error(tolmach_process("init", "story.html", "-l", "ru", cwd=tmp_path),
                          "story.html: no template of this article; run `tolmach extract story.html -d locales` first")
    assert not (tmp_path / "locales").exists()
    assert tolmach("extract", "story.html", cwd=tmp_path).exit_code == 0
    res = tolmach("init", "story.html", "-l", "ru", cwd=tmp_path)
    assert res.exit_code == 0 and res.output == "locales/ru/LC_MESSAGES/story.po: created, 2 units\n", res.output
    assert_valid_po(tmp_path / "locales/ru/LC_MESSAGES/story.po")


def test_init_refuses_a_catalog_in_the_templates_own_language(project):
    """`init -l en` over English templates made en->en catalogs ("created"), which translate then
    refused and update never merged into. Asked for, or all there is, it is an error before anything
    is written; among templates of both languages those of the other one are made."""
    root, _ = project
    for args in ([], ["taliban"]):
        assert_one_line_error(tolmach_process("init", "-l", "en", *args, cwd=root),
                              "locales/templates/taliban.pot: the template's source language is en; a catalog "
                              "needs the other language (`-l ru`)")
    assert not (root / "locales/en").exists()
    (root / "kreml.txt").write_text("Кремль и НАТО\n\nРоссия заявила об этом в четверг.\n", encoding="utf-8")
    assert tolmach("extract", "kreml.txt", cwd=root).exit_code == 0
    assert_one_line_error(tolmach_process("init", "-l", "en", "kreml", "taliban", cwd=root), "taliban.pot")
    assert not (root / "locales/en").exists()
    res = tolmach("init", "-l", "en", cwd=root)
    assert res.exit_code == 0 and res.output == (
        "locales/templates/taliban.pot: skipped: the template's source language is en\n"
        "locales/en/LC_MESSAGES/kreml.po: created, 2 units\n"), res.output
    assert [p.name for p in (root / "locales/en/LC_MESSAGES").iterdir()] == ["kreml.po"]
    po = assert_valid_po(root / "locales/en/LC_MESSAGES/kreml.po")
    assert (po.metadata["X-Source-Language"], po.metadata["Language"]) == ("ru", "en")


def _catalog(text, translations=None):
    art = segment_text(text, lang="en", path="a.txt")
    po = init_catalog(template_for(art, "a.txt"), "ru")
    for e in po:
        if translations and e.msgid in translations:
            e.msgstr = translations[e.msgid]
    return po


BASE = "Title of the story\n\nFirst paragraph is here.\n\nSecond paragraph talks about Russia.\n\nThird one ends it."


def test_update_keeps_marks_and_obsoletes():
    po = _catalog(BASE, {
        "Title of the story": "Заголовок истории",
        "First paragraph is here.": "Первый абзац здесь.",
        "Second paragraph talks about Russia.": "Второй абзац говорит о России.",
        "Third one ends it.": "Третий его завершает.",
    })
    po[0].tcomment = "checked with the editor"
    new_text = ("Title of the story\n\nA new paragraph at the top.\n\nFirst paragraph is here.\n\n"
                "Second paragraph talks about Russia and China.")
    art = segment_text(new_text, lang="en", path="a.txt")
    merged, report = update_catalog(po, template_for(art, "a.txt"))
    active = {e.msgid: e for e in merged if not e.obsolete}
    assert active["Title of the story"].msgstr == "Заголовок истории"
    assert active["Title of the story"].tcomment == "checked with the editor"
    assert "fuzzy" not in active["First paragraph is here."].flags
    edited = active["Second paragraph talks about Russia and China."]
    assert edited.msgstr == "Второй абзац говорит о России." and "fuzzy" in edited.flags
    assert edited.previous_msgid == "Second paragraph talks about Russia."
    assert active["A new paragraph at the top."].msgstr == ""
    obsolete = [e for e in merged if e.obsolete]
    assert [e.msgstr for e in obsolete] == ["Третий его завершает."]
    assert report.kept == 2 and len(report.changed) == 1 and len(report.added) == 1
    assert len(report.obsoleted) == 1
    # the previous source shows as #| lines, and msgfmt accepts the result
    text = str(merged)
    assert '#| msgid "Second paragraph talks about Russia."' in text
    assert "#~ msgstr" in text


def test_update_restores_a_returning_paragraph_from_obsolete():
    po = _catalog(BASE, {"Third one ends it.": "Третий его завершает."})
    short = segment_text("Title of the story\n\nFirst paragraph is here.", lang="en", path="a.txt")
    po, _ = update_catalog(po, template_for(short, "a.txt"))
    full = segment_text(BASE, lang="en", path="a.txt")
    po, report = update_catalog(po, template_for(full, "a.txt"))
    back = next(e for e in po if e.msgid == "Third one ends it." and not e.obsolete)
    assert back.msgstr == "Третий его завершает." and "fuzzy" not in back.flags
    assert not [e for e in po if e.obsolete]


def test_update_command_merges_after_article_edit(project):
    root, article = project
    path = root / "locales/ru/LC_MESSAGES/taliban.po"
    po = load_catalog(path)
    po[2].msgstr = "Высокопоставленный американский генерал обвинил Россию."
    save_catalog(po, path)
    text = article.read_text(encoding="utf-8").replace("on Thursday", "on Friday")
    article.write_text("Breaking: a new lead paragraph.\n\n" + text, encoding="utf-8")
    res = tolmach("update", cwd=root)
    assert res.exit_code == 0, res.output
    assert "1 changed (fuzzy)" in res.output
    po = assert_valid_po(path)
    edited = next(e for e in po if "on Friday" in e.msgid)
    assert edited.fuzzy and edited.msgstr.startswith("Высокопоставленный")
    assert "on Thursday" in edited.previous_msgid


def test_an_edited_paragraph_keeps_its_translation_before_a_merely_similar_new_one(tmp_path):
    """Matched in article order, a new paragraph above the edited one took its translation (it was
    similar enough), and the edited paragraph, near-verbatim, was left to the machine."""
    article = tmp_path / "e.txt"
    march = "Prices rose by five percent in March, the statistics office said on Friday."
    article.write_text(f"News\n\n{march}\n", encoding="utf-8")
    assert tolmach("extract", article, "-d", "locales", cwd=tmp_path).exit_code == 0
    assert tolmach("init", "-l", "ru", cwd=tmp_path).exit_code == 0
    path = tmp_path / "locales/ru/LC_MESSAGES/e.po"
    po = load_catalog(path)
    next(e for e in po if e.msgid == march).msgstr = "Цены выросли на пять процентов в марте."
    save_catalog(po, path)
    april = "Prices rose by six percent in April, the statistics office said on Monday."
    article.write_text(f"News\n\n{april}\n\n{march[:-1]} morning.\n", encoding="utf-8")
    res = tolmach("update", cwd=tmp_path)
    assert res.exit_code == 0 and "1 changed (fuzzy), 1 new" in res.output, res.output
    active = {e.msgid: e for e in assert_valid_po(path)}
    assert active[f"{march[:-1]} morning."].msgstr == "Цены выросли на пять процентов в марте."
    assert active[f"{march[:-1]} morning."].fuzzy and active[f"{march[:-1]} morning."].previous_msgid == march
    assert active[april].msgstr == "" and not active[april].fuzzy


def test_an_untranslated_paragraph_that_leaves_is_dropped_as_msgmerge_drops_it(project):
    """A unit never translated but with a translator comment: Tolmach kept it as an obsolete
    entry, which msgcat and msgmerge drop (the file was not as gettext writes it), and the summary
    counted it among the obsolete entries whether it was kept or not."""
    root, article = project
    path = root / "locales/ru/LC_MESSAGES/taliban.po"
    po = load_catalog(path)
    po[1].msgstr = "Перевод."
    last = po[len(po) - 1]
    last.tcomment = "translator: check the name"
    save_catalog(po, path)
    paragraphs = article.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    gone = [p for p in paragraphs if p.strip() == last.msgid.strip()]
    assert gone
    article.write_text("\n\n".join(p for p in paragraphs if p not in gone) + "\n", encoding="utf-8")
    res = tolmach("update", cwd=root)
    assert res.exit_code == 0, res.output
    assert "0 obsolete, 1 removed (never translated)" in res.output, res.output
    po = assert_valid_po(path)  # (as msgcat writes it)
    assert not po.obsolete_entries() and all(e.msgid != last.msgid for e in po)


def test_update_with_nothing_to_update_says_so(project):
    """`update -d locale_typo` said nothing and exited 0 (with an article, it started a new folder
    unasked); with the templates deleted (often git-ignored) beside the catalogs, the same; and an
    update of templates without catalogs said nothing either."""
    root, article = project
    for args in (["-d", "locale_typo"], ["-d", "locale_typo", article.name]):
        assert_one_line_error(tolmach_process("update", *args, cwd=root),
                              "locale_typo: no such folder; run `tolmach extract ARTICLE -d locale_typo` to start one")
    assert not (root / "locale_typo").exists() and not (root / ".tolmach").exists()
    for pot in (root / "locales/templates").glob("*.pot"):
        pot.unlink()
    before = (root / "locales/ru/LC_MESSAGES/taliban.po").read_bytes()
    assert_one_line_error(tolmach_process("update", cwd=root),
                          "locales/templates: no templates; run `tolmach extract ARTICLE -d locales` first")
    assert (root / "locales/ru/LC_MESSAGES/taliban.po").read_bytes() == before
    other = root / "other.txt"
    other.write_text("The minister met the people on Monday.\n", encoding="utf-8")
    assert tolmach("extract", article.name, cwd=root).exit_code == 0
    res = tolmach("update", other.name, cwd=root)
    assert res.exit_code == 0 and res.output == ("locales/templates/other.pot: 1 unit, no catalog to merge into; "
                                                 "run `tolmach init -l ru -d locales` to make one\n"), res.output
    res = tolmach("update", cwd=root)
    assert res.exit_code == 0, res.output
    assert "locales/ru/LC_MESSAGES/taliban.po: 11 kept, 0 changed (fuzzy), 0 new, 0 obsolete" in res.output
    assert "locales/templates/other.pot: 1 unit, no catalog to merge into" in res.output
    assert_valid_po(root / "locales/templates/other.pot")


def test_an_article_gone_stops_update_naming_its_template_and_the_way_out(project):
    """A renamed or deleted article stopped `update` for the whole project with "a/s.txt: no such
    article": neither the template that refers to it nor what to do about it was said."""
    root, article = project
    other = root / "other.txt"
    other.write_text("The minister met the people on Monday.\n", encoding="utf-8")
    assert tolmach("extract", other.name, cwd=root).exit_code == 0
    assert tolmach("init", "-l", "ru", "other", cwd=root).exit_code == 0
    article.write_text(article.read_text(encoding="utf-8").replace("on Thursday", "on Friday"), encoding="utf-8")
    other.rename(root / "minister.txt")
    files = {p: p.read_bytes() for p in (root / "locales").rglob("*") if p.is_file()}
    assert_one_line_error(tolmach_process("update", cwd=root),
                          "locales/templates/other.pot: its article other.txt is gone; restore it, or remove the "
                          "template and its catalogs if the article was deleted (renamed: run `tolmach "
                          "translate-article NEW_NAME -d locales --accept-exact` first")
    assert {p: p.read_bytes() for p in (root / "locales").rglob("*") if p.is_file()} == files
    (root / "locales/templates/other.pot").unlink()
    (root / "locales/ru/LC_MESSAGES/other.po").unlink()
    res = tolmach("update", cwd=root)
    assert res.exit_code == 0 and "taliban.po: 10 kept, 0 changed (fuzzy), 1 new" in res.output, res.output
    assert_valid_po(root / "locales/ru/LC_MESSAGES/taliban.po")


def test_an_edited_untranslated_paragraph_keeps_its_translator_comment(project):
    """A person's note on a paragraph not translated yet was dropped (as msgmerge drops it) as soon
    as the paragraph was edited: the comment now goes with it, and the entry stays untranslated."""
    root, article = project
    path = root / "locales/ru/LC_MESSAGES/taliban.po"
    po = load_catalog(path)
    noted = next(e for e in po if "on Thursday" in e.msgid)
    noted.tcomment = "ask the desk: which general?"
    save_catalog(po, path)
    article.write_text(article.read_text(encoding="utf-8").replace("on Thursday", "on Friday"), encoding="utf-8")
    res = tolmach("update", cwd=root)
    assert res.exit_code == 0 and "1 new, 0 obsolete" in res.output and "removed" not in res.output, res.output
    edited = next(e for e in assert_valid_po(path) if e.msgid == noted.msgid.replace("on Thursday", "on Friday"))
    assert edited.tcomment == "ask the desk: which general?"
    assert edited.msgstr == "" and not edited.fuzzy and edited.previous_msgid is None


def test_update_takes_from_the_template_the_header_fields_msgmerge_takes(project, tmp_path):
    """update wrote the article's slug over the catalog's own Project-Id-Version; msgmerge takes
    only Report-Msgid-Bugs-To and POT-Creation-Date from the template (where the catalog lacks
    one, it goes in gettext's order)."""
    root, article = project
    path = root / "locales/ru/LC_MESSAGES/taliban.po"
    po = load_catalog(path)
    po.metadata["Project-Id-Version"] = "Moscow Times Russian desk"
    po.metadata["Report-Msgid-Bugs-To"] = "desk@example.org"
    del po.metadata["POT-Creation-Date"]
    save_catalog(po, path)
    before = tmp_path / "before.po"
    before.write_bytes(path.read_bytes())
    article.write_text(article.read_text(encoding="utf-8").replace("on Thursday", "on Friday"), encoding="utf-8")
    res = tolmach("update", cwd=root)
    assert res.exit_code == 0 and "1 new" in res.output, res.output
    ours = assert_valid_po(path).metadata
    assert ours["Project-Id-Version"] == "Moscow Times Russian desk"
    pot = root / "locales/templates/taliban.pot"
    theirs = polib.pofile(subprocess.run(["msgmerge", "-q", str(before), str(pot), "-o", "-"], capture_output=True,
                                         text=True, check=True).stdout).metadata
    stamped = ("PO-Revision-Date", "X-Generator")  # (Tolmach marks the revision)
    # but for the address the desk wrote, which msgmerge replaces by the template's empty one
    assert ours["Report-Msgid-Bugs-To"] == "desk@example.org" and theirs["Report-Msgid-Bugs-To"] == ""
    theirs["Report-Msgid-Bugs-To"] = "desk@example.org"
    assert [(k, v) for k, v in ours.items() if k not in stamped] == [(k, v) for k, v in theirs.items() if k not in stamped]


_PLURALS = """
#, fuzzy, c-format
#| msgid "one file"
#| msgid_plural "%d files"
msgid "one document"
msgid_plural "%d documents"
msgstr[0] "%d документ"
msgstr[1] "%d документа"
msgstr[2] "%d документов"

#, fuzzy
#~| msgid "one folder"
#~| msgid_plural "%d folders"
#~ msgid "one directory"
#~ msgid_plural "%d directories"
#~ msgstr[0] "%d каталог"
#~ msgstr[1] "%d каталога"
#~ msgstr[2] "%d каталогов"
"""


def test_update_keeps_the_previous_msgid_plural_as_msgmerge_does(project, tmp_path):
    """The "#| msgid_plural" of a fuzzy plural entry was dropped when it became obsolete, and the
    "#~| msgid_plural" of an obsolete one when the catalog was merged."""
    root, article = project
    path = root / "locales/ru/LC_MESSAGES/taliban.po"
    path.write_text(path.read_text(encoding="utf-8") + _PLURALS, encoding="utf-8")
    before = tmp_path / "before.po"
    before.write_bytes(path.read_bytes())
    article.write_text(article.read_text(encoding="utf-8").replace("on Thursday", "on Friday"), encoding="utf-8")
    res = tolmach("update", cwd=root)
    assert res.exit_code == 0 and "1 obsolete" in res.output, res.output
    assert_valid_po(path)
    text = path.read_text(encoding="utf-8")
    pot = root / "locales/templates/taliban.pot"
    theirs = subprocess.run(["msgmerge", "-q", "--previous", str(before), str(pot), "-o", "-"],
                            capture_output=True, text=True, check=True).stdout
    tail = text[text.index("\n#, fuzzy, c-format\n"):]
    assert tail == theirs[theirs.index("\n#, fuzzy, c-format\n"):]
    assert '#~| msgid_plural "%d files"\n' in tail and '#~| msgid_plural "%d folders"\n' in tail


def test_update_keeps_a_fuzzy_header_fuzzy(project):
    root, article = project
    path = root / "locales/ru/LC_MESSAGES/taliban.po"
    po = load_catalog(path)
    po.metadata_is_fuzzy = ["fuzzy"]
    save_catalog(po, path)
    assert "\n#, fuzzy\nmsgid \"\"\n" in path.read_text(encoding="utf-8")
    article.write_text(article.read_text(encoding="utf-8").replace("on Thursday", "on Friday"), encoding="utf-8")
    res = tolmach("update", cwd=root)
    assert res.exit_code == 0 and "1 new" in res.output, res.output  # (so the file was written)
    assert "\n#, fuzzy\nmsgid \"\"\n" in path.read_text(encoding="utf-8"), "msgmerge keeps it"
    assert_valid_po(path)


_HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n'
           '"Plural-Forms: nplurals=3; plural=(n%10==1 ? 0 : 1);\\n"\n"X-Source-Language: en\\n"\n\n')


@pytest.mark.parametrize(
    "body,line,needle",
    [
        ('msgid "The war."\nmsgstr[0] "Война."\n', 8, "msgstr[N] without msgid_plural"),
        ('msgid "a war"\nmsgid_plural "wars"\nmsgstr "война"\n', 8, "msgid_plural without msgstr[N]"),
        ('msgid "a war"\nmsgid_plural "wars"\nmsgstr[0] "война"\nmsgstr[7] "войн"\n', 8, "nplurals=3"),
        ('msgid "a\\q"\nmsgstr "б"\n', 8, "malformed string"),
        ('msgid "a"\nmsgstr "б"\n\nmsgctxt "x"\n', 11, "msgctxt without msgid"),
        ('msgid "a"\nmsgstr "б"\n\n#~ msgid "old\n#~ msgstr "x"\n', 11, "malformed string"),
    ],
)
def test_what_msgfmt_refuses_is_refused_before_any_work(tmp_path, body, line, needle):
    """Each of these was read without a word: a msgstr[0] without msgid_plural was even taken for
    untranslated and filled over by translate (the translation «Война.» lost)."""
    path = tmp_path / "a.po"
    path.write_text(_HEADER + body, encoding="utf-8")
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True).returncode != 0
    before = path.read_bytes()
    for command in (["translate", path, "--no-glossary", "--no-memory", "--engine", "recorded", "--recorded",
                     tmp_path / "none.tsv"], ["check", path, "--no-glossary"], ["stats", path]):
        (tmp_path / "none.tsv").write_text("a\tб\n", encoding="utf-8")
        proc = tolmach_process(*command, cwd=tmp_path)
        assert_one_line_error(proc, f"a.po:{line}:", needle)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "body,line,needle",
    [
        ('msgctxt "b"\nmsgid "The war."\nmsgstr "НОВЫЙ"\n\n#~ msgctxt "b"\n#~ msgid "The war."\n#~ msgstr "СТАРЫЙ"\n',
         12, "duplicate entry msgctxt='b', active and obsolete"),
        ('#~ msgid "The war."\n#~ msgstr "СТАРЫЙ"\n\nmsgid "The "\n"war."\nmsgstr "НОВЫЙ"\n', 11,
         "active and obsolete"),
        ('#~ msgid "The war."\n#~ msgstr "a"\n\n#~ msgid "The war."\n#~ msgstr "b"\n', 11, "duplicate entry"),
    ],
)
def test_an_entry_both_active_and_obsolete_is_refused_by_every_command(tmp_path, body, line, needle):
    """A hand-resolved merge left the entry active (reviewed) and obsolete: it was read without a
    word, and update swapped the reviewed translation for the obsolete one, not even fuzzy."""
    path = tmp_path / "locales/ru/LC_MESSAGES/a.po"
    path.parent.mkdir(parents=True)
    path.write_text(_HEADER + body, encoding="utf-8")
    proc = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert "duplicate message definition" in proc.stderr
    (tmp_path / "a.txt").write_text("The war.\n\nA new paragraph.\n", encoding="utf-8")
    assert tolmach("extract", tmp_path / "a.txt", "-d", "locales", cwd=tmp_path).exit_code == 0
    before = path.read_bytes()
    (tmp_path / "none.tsv").write_text("a\tб\n", encoding="utf-8")
    for command in (["update", "-d", "locales"], ["check", path, "--no-glossary"], ["stats", path],
                    ["translate", path, "--no-glossary", "--no-memory", "--engine", "recorded", "--recorded",
                     tmp_path / "none.tsv"]):
        proc = tolmach_process(*command, cwd=tmp_path)
        assert_one_line_error(proc, f"a.po:{line}:", needle)
    assert path.read_bytes() == before


def test_update_never_takes_an_obsolete_copy_over_the_active_entry():
    po = _catalog(BASE, {"Third one ends it.": "НОВЫЙ ПЕРЕВОД"})
    third = next(e for e in po if e.msgid == "Third one ends it.")
    po.append(polib.POEntry(msgctxt=third.msgctxt, msgid=third.msgid, msgstr="СТАРЫЙ ПЕРЕВОД", obsolete=True))
    merged, _ = update_catalog(po, template_for(segment_text(BASE + "\n\nNew.", lang="en", path="a.txt"), "a.txt"))
    back = next(e for e in merged if e.msgid == "Third one ends it." and not e.obsolete)
    assert back.msgstr == "НОВЫЙ ПЕРЕВОД" and not back.fuzzy


def test_save_is_atomic_and_keeps_the_old_file_on_failure(tmp_path):
    path = tmp_path / "x.po"
    po = _catalog(BASE)
    save_catalog(po, path)
    before = path.read_bytes()

    class Boom(polib.POFile):  # fails half-way through the entries
        def __iter__(self):
            yield polib.POEntry(msgid="a", msgstr="b")
            raise OSError(28, "No space left on device")

    broken = Boom()
    with pytest.raises(TolmachError, match="x.po: cannot write: No space left on device"):  # names the file
        save_catalog(broken, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]


@pytest.mark.parametrize(
    "content, needle",
    [
        ('msgid "a"\nmsgstr "b"\nmsgid "c"\nmsgstr\n', "malformed PO file"),
        ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', "duplicate entry"),
    ],
)
def test_malformed_po_one_line_with_location(tmp_path, content, needle):
    bad = tmp_path / "bad.po"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(TolmachError) as err:
        load_catalog(bad)
    assert str(bad) in str(err.value) and needle in str(err.value)
    assert err.value.line is not None
    proc = tolmach_process("build", bad)
    assert_one_line_error(proc, f"{bad}:", needle)


# Comment marks without a space after them, as a hand edit leaves them: msgfmt takes them all.
GLUED_MARKS_PO = """\
#header comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: ru\\n"

#note by the desk
#.tolmach: body, unit 1 of 2
#:a/s.txt:1 b.txt:2
#,fuzzy,c-format
#|msgid "The old war."
msgid "The war."
msgstr "Война."

#,fuzzy
#~|msgid "An older paragraph."
#~msgid "A paragraph gone."
#~msgstr "Ушедший абзац."
"""


def test_comment_marks_without_a_space_are_read_as_gettext_reads_them(tmp_path):
    """``#,fuzzy`` or ``#:a/s.txt:1`` passes msgfmt, but every command failed on it with
    "malformed PO file: Syntax error in po file", exit 2."""
    path = tmp_path / "ru.po"
    path.write_text(GLUED_MARKS_PO, encoding="utf-8")
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True, capture_output=True)
    spaced = subprocess.run(["msgcat", str(path)], check=True, capture_output=True).stdout
    po = load_catalog(path)
    assert po.header == "header comment"
    e = po[0]
    assert (e.tcomment, e.comment, e.occurrences, e.flags, e.previous_msgid) == (
        "note by the desk", "tolmach: body, unit 1 of 2", [("a/s.txt", "1"), ("b.txt", "2")],
        ["fuzzy", "c-format"], "The old war.")
    gone = po[1]
    assert gone.obsolete and gone.msgid == "A paragraph gone." and gone.previous_msgid == "An older paragraph."
    save_catalog(po, path)
    assert path.read_bytes() == spaced  # written as msgcat writes it: "#, fuzzy"
    path.write_text(GLUED_MARKS_PO, encoding="utf-8")
    proc = tolmach_process("build", path, "-o", tmp_path / "out.txt")
    assert proc.returncode == 0, proc.stderr


def test_non_utf8_po(tmp_path):
    bad = tmp_path / "bad.po"
    bad.write_bytes('msgid "a"\nmsgstr "Привет"\n'.encode("cp1251"))
    assert_one_line_error(tolmach_process("build", bad), "bad.po:2", "not valid UTF-8")


def test_re_extracting_an_unchanged_article_changes_no_file(project):
    root, article = project
    pot = root / "locales/templates/taliban.pot"
    po = root / "locales/ru/LC_MESSAGES/taliban.po"
    for path in (pot, po):  # an old date: a rewrite would put today's there
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"POT-Creation-Date: [^\\]*", "POT-Creation-Date: 2000-01-01 00:00+0000", text),
                        encoding="utf-8")
    before = (pot.read_bytes(), po.read_bytes())
    assert b"2000-01-01" in before[0] and b"2000-01-01" in before[1]
    assert tolmach("extract", article, cwd=root).exit_code == 0
    assert tolmach("update", cwd=root).exit_code == 0
    assert (pot.read_bytes(), po.read_bytes()) == before


def test_a_catalog_made_before_no_break_spaces_were_kept_keeps_its_reviews(tmp_path):
    """Tolmach used to read a no-break space as a space, so a catalog made then has "2 %" where the
    article, read now, has "2\u00a0%". `update` keeps a reviewed translation of such a paragraph
    reviewed (its text changed only in its spaces); a machine draft is redone, as for an edit;
    `build` of an HTML page finds the old entries before any update."""
    from tolmach.build import build_document

    nbsp = "\u00a0"
    article = (f"Prices rose by 2{nbsp}% in March\n\nThe fund holds 10{nbsp}000 roubles, officials said.\n\n"
               f"The bank will meet on 5{nbsp}May to discuss the rate.\n")
    old_reading = article.replace(nbsp, " ")
    old_paras = old_reading.strip().split("\n\n")
    (tmp_path / "prices.txt").write_text(old_reading, encoding="utf-8")
    assert tolmach("extract", "prices.txt", "--from", "en", "-d", "locales", cwd=tmp_path).exit_code == 0
    assert tolmach("init", "-l", "ru", cwd=tmp_path).exit_code == 0
    tsv = tmp_path / "mt.tsv"
    tsv.write_text("".join(f"{p}\tRU {p}\n" for p in old_paras), encoding="utf-8")
    po_path = tmp_path / "locales/ru/LC_MESSAGES/prices.po"
    res = tolmach("translate", po_path, "--engine", "recorded", "--recorded", tsv, "--no-memory", "--no-glossary", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    po = load_catalog(po_path)
    for e in po[:2]:
        e.msgstr = f"Одобрено: {e.msgstr}"
        e.flags.remove("fuzzy")
    save_catalog(po, po_path)
    (tmp_path / "prices.txt").write_text(article, encoding="utf-8")
    res = tolmach("update", "-d", "locales", "--no-memory", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    po = assert_valid_po(po_path)
    assert [e.msgid for e in po] == article.strip().split("\n\n")
    assert [("fuzzy" in e.flags, e.msgstr) for e in po[:2]] == [
        (False, f"Одобрено: RU {p}") for p in old_paras[:2]]
    assert "fuzzy" in po[2].flags and po[2].previous_msgid == "The bank will meet on 5 May to discuss the rate."
    res = tolmach("translate", po_path, "--engine", "recorded", "--recorded", tsv, "--no-memory", "--no-glossary", cwd=tmp_path)
    assert res.exit_code == 0 and "filled 1 entry" in res.output and "1 stale machine draft" in res.output, res.output
    # an HTML page's catalog from then still builds with its translations
    page = f"<html><head><title>Prices rose by 2&nbsp;% in March</title></head><body><main><article>\n<p>{po[1].msgid}</p>\n</article></main></body></html>"
    art = segment_text(page.replace("&nbsp;", " ").replace(nbsp, " "), path=str(tmp_path / "p.html"), lang="en")
    old_po = init_catalog(template_for(art), "ru")
    for e in old_po:
        e.msgstr = f"RU {e.msgid}"
    text, report = build_document(old_po, page, "html")
    assert report.missing == 0 and "RU Prices rose by 2 % in March" in text


def test_a_reference_with_a_line_break_is_never_written(tmp_path):
    """The writer itself refuses what would cut a `#:` line in two (the file would not read again)."""
    target = tmp_path / "a.po"
    target.write_bytes(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    before = target.read_bytes()
    for name, line in (("a\nb.txt", "1"), ("a.txt", "1\r"), ("a\x1bb.txt", "")):
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        po.append(polib.POEntry(msgid="One.", msgstr="", occurrences=[(name, line)]))
        with pytest.raises(TolmachError, match="line break or another control character"):
            save_catalog(po, target)
        assert target.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]


# characters str.splitlines() takes for line breaks, which a PO string holds as they are
SPLITLINES_BREAKS = ["\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e"]


@pytest.mark.parametrize("char", SPLITLINES_BREAKS)
def test_a_string_with_a_character_splitlines_breaks_at_reads_back(tmp_path, char):
    """gettext writes U+2028, NEL, FS... inside a string as they are and splits lines only at line
    ends; the catalog Tolmach wrote is read back (translate-article, then stats and check)."""
    (tmp_path / "l.md").write_text(f"Headline here\n\nFirst para with a line{char}separator.\n", encoding="utf-8")
    (tmp_path / "rec.tsv").write_text(f"Headline here\tЗаголовок\nFirst para with a line{char}separator.\t"
                                      f"Первый{char}абзац.\n", encoding="utf-8")
    res = tolmach("translate-article", "l.md", "--no-glossary", "--engine", "recorded", "--recorded", "rec.tsv",
                  cwd=tmp_path)
    assert res.exit_code == 0, res.output
    path = tmp_path / "locales/ru/LC_MESSAGES/l.po"
    assert_valid_po(path)
    po = load_catalog(path)
    entry = next(e for e in po if e.msgid.startswith("First"))
    assert entry.msgid == f"First para with a line{char}separator." and entry.msgstr == f"Первый{char}абзац."
    # a reviewer's save (as Poedit writes it): stats and check read it, on both of check's readers
    for e in po:
        e.flags.remove("fuzzy")
    save_catalog(po, path)
    assert_valid_po(path)
    res = tolmach("stats", path, cwd=tmp_path)
    assert res.exit_code == 0 and "l.po" in res.output, res.output
    res = tolmach("check", path, "--no-glossary", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    from tolmach.checks import poread, runner

    assert poread.read_entries(path) == runner.read_po_with_polib(path)
    assert [e.target for e in poread.read_entries(path)] == ["Заголовок", f"Первый{char}абзац."]


def test_a_bell_in_an_article_keeps_the_reviewed_translation_through_update(tmp_path):
    """init wrote a template's "\\a" as "\\\\a" (polib does not read gettext's \\a escape), and every
    update then took the paragraph for an edited one and made its reviewed translation fuzzy."""
    (tmp_path / "bel.txt").write_text("Bell test headline\n\nThe bell\a rang twice on Monday.\n", encoding="utf-8")
    assert tolmach("extract", "bel.txt", "-d", "loc", cwd=tmp_path).exit_code == 0
    assert tolmach("init", "-l", "ru", "-d", "loc", cwd=tmp_path).exit_code == 0
    path = tmp_path / "loc/ru/LC_MESSAGES/bel.po"
    assert '"The bell\\a rang twice on Monday."' in path.read_text(encoding="utf-8")
    po = load_catalog(path)
    for e in po:
        e.msgstr = {"Bell test headline": "Проверка звонка", "The bell\a rang twice on Monday.":
                    "Звонок\a прозвенел дважды в понедельник."}[e.msgid]
    save_catalog(po, path)
    reviewed = path.read_bytes()
    for _ in range(2):
        res = tolmach("update", "-d", "loc", "--no-memory", cwd=tmp_path)
        assert res.exit_code == 0, res.output
        assert "changed" not in res.output or "0 changed" in res.output, res.output
        assert path.read_bytes() == reviewed
    po = assert_valid_po(path)
    assert not any(e.fuzzy for e in po)
