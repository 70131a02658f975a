"""Catalog statistics and MO compilation on hand-made PO files, checked with polib and GNU gettext."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from tolmach.cli import main
from tolmach.errors import TolmachError
from tolmach.stats import FileStats, collect_stats, compile_catalogs, stats_to_json

PO = """\
msgid ""
msgstr ""
"Project-Id-Version: test\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Language: ru\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

msgid "One two three."
msgstr "Раз два три."

msgctxt "title"
msgid "Four five"
msgstr "Четыре пять"

#, fuzzy
msgid "Six seven eight nine."
msgstr "Шесть семь восемь девять."

#, fuzzy
msgid "Ten eleven"
msgstr ""

msgid "Twelve thirteen fourteen fifteen sixteen"
msgstr ""

msgid "%d file"
msgid_plural "%d files"
msgstr[0] "%d файл"
msgstr[1] "%d файла"
msgstr[2] "%d файлов"

#~ msgid "Old gone words"
#~ msgstr "Старые слова"
"""


def make_project(root: Path) -> Path:
    locales = root / "locales"
    (locales / "templates").mkdir(parents=True)
    (locales / "templates" / "article.pot").write_text('msgid ""\nmsgstr ""\n\nmsgid "x"\nmsgstr ""\n')
    for lang, text in (("ru", PO), ("en", PO.replace("Language: ru", "Language: en"))):
        folder = locales / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "article.po").write_text(text, encoding="utf-8")
    (locales / "ru" / "LC_MESSAGES" / "second.po").write_text(
        PO.split("\n\n")[0] + '\n\nmsgid "Alpha beta"\nmsgstr "Альфа бета"\n', encoding="utf-8"
    )
    return locales


def test_stats_numbers_on_hand_made_po(tmp_path: Path):
    locales = make_project(tmp_path)
    stats = collect_stats([locales])
    assert [(s.locale, s.path.name) for s in stats] == [
        ("en", "article.po"), ("ru", "article.po"), ("ru", "second.po")
    ]
    ru = stats[1]
    assert ru == FileStats(
        path=locales / "ru" / "LC_MESSAGES" / "article.po", locale="ru",
        translated_units=3, translated_words=3 + 2 + 2,
        # a fuzzy entry with no msgstr is untranslated, as msgfmt --statistics counts it
        fuzzy_units=1, fuzzy_words=4,
        untranslated_units=2, untranslated_words=2 + 5,
        obsolete_units=1, obsolete_words=3,
        human_draft_units=1, human_draft_words=4,  # fuzzy, and no machine note: a person's draft
    )
    assert ru.total_units == 6 and ru.total_words == 18
    assert round(ru.percent_words, 1) == round(700 / 18, 1)


def test_stats_json_document(tmp_path: Path):
    data = stats_to_json(collect_stats([make_project(tmp_path)]))
    assert data["version"] == 1
    assert [f["locale"] for f in data["files"]] == ["en", "ru", "ru"]
    ru = next(loc for loc in data["locales"] if loc["locale"] == "ru")
    assert ru["files"] == 2
    assert ru["translated"] == {"units": 4, "words": 9}
    assert ru["fuzzy"] == {"units": 1, "words": 4}
    assert ru["human_draft"] == {"units": 1, "words": 4} and ru["machine_draft"] == {"units": 0, "words": 0}
    assert ru["total"] == {"units": 7, "words": 20}
    assert data["total"]["files"] == 3 and data["total"]["obsolete"] == {"units": 2, "words": 6}


def test_done_is_never_rounded_up_to_complete(tmp_path: Path, monkeypatch):
    header = PO.split("\n\n")[0]
    words = " ".join(["word"] * 2499) + "."
    cases = {  # reviewed entries, untranslated entries -> the Done column and JSON percent_words
        "most.po": ([words], ["Hello"], "99%", 99.9),  # 2499 words of 2500
        "wordless.po": (["One two."], ["—"], "99%", 100.0),  # every word, not every unit ("—" has none)
        "little.po": (["Hello"], [words], "<1%", 0.0),  # something reviewed is not 0%
        "none.po": ([], ["Hello"], "0%", 0.0),
        "all.po": (["Hello", words], [], "100%", 100.0),
    }
    for name, (done, todo, _, _) in cases.items():
        entries = [f'msgid "{m}"\nmsgstr "x"\n' for m in done] + [f'msgid "{m}"\nmsgstr ""\n' for m in todo]
        (tmp_path / name).write_text(header + "\n\n" + "\n".join(entries), encoding="utf-8")
        polib.pofile(str(tmp_path / name))  # well-formed
    monkeypatch.chdir(tmp_path)
    table = run(["stats", "."])
    assert table.exit_code == 0, table.output
    rows = {Path(line.split("│")[2].strip()).name: line.split("│")[-2].strip() for line in table.output.splitlines()
            if line.count("│") > 3 and ".po" in line}
    data = {Path(f["path"]).name: f["percent_words"] for f in json.loads(run(["stats", ".", "--format", "json"]).stdout)["files"]}
    assert rows == {name: shown for name, (_, _, shown, _) in cases.items()}, table.output
    assert data == {name: percent for name, (_, _, _, percent) in cases.items()}


def test_malformed_po_names_file_and_line(tmp_path: Path):
    bad = tmp_path / "bad.po"
    bad.write_text('msgid "ok"\nmsgstr "ок"\n\nmsgid "broken" "x"\nmsgstr ""\n', encoding="utf-8")
    with pytest.raises(TolmachError) as err:
        collect_stats([bad])
    assert err.value.path == str(bad) and err.value.line == 4


def test_compile_writes_mo_like_msgfmt(tmp_path: Path):
    locales = make_project(tmp_path)
    po = locales / "ru" / "LC_MESSAGES" / "article.po"
    written = compile_catalogs([locales])
    assert sorted(p.name for p in written) == ["article.mo", "article.mo", "second.mo"]
    mo = po.with_suffix(".mo")
    assert mo in written
    entries = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(mo))}
    assert entries[(None, "One two three.")].msgstr == "Раз два три."
    assert entries[("title", "Four five")].msgstr == "Четыре пять"
    assert entries[(None, "%d file")].msgstr_plural == {0: "%d файл", 1: "%d файла", 2: "%d файлов"}
    assert (None, "Six seven eight nine.") not in entries  # fuzzy left out
    assert (None, "Twelve thirteen fourteen fifteen sixteen") not in entries
    assert (None, "Old gone words") not in entries
    assert polib.mofile(str(mo)).metadata["Language"] == "ru"

    compile_catalogs([po], use_fuzzy=True)
    entries = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo))}
    assert entries[(None, "Six seven eight nine.")] == "Шесть семь восемь девять."
    assert (None, "Ten eleven") not in entries  # fuzzy but empty stays out
    assert "fuzzy" in po.read_text(encoding="utf-8")  # the PO itself is not touched


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
def test_compiled_mo_matches_gnu_msgfmt(tmp_path: Path):
    po = make_project(tmp_path) / "ru" / "LC_MESSAGES" / "article.po"
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "gnu.mo"), str(po)], check=True)
    ours = compile_catalogs([po])[0]
    unfmt = subprocess.run(["msgunfmt", str(ours)], check=True, capture_output=True, text=True).stdout
    gnu = subprocess.run(["msgunfmt", str(tmp_path / "gnu.mo")], check=True, capture_output=True, text=True).stdout
    assert unfmt == gnu


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(args):
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_cli_stats_table_and_json(project: Path):
    result = run(["stats"])
    assert result.exit_code == 0, result.output
    assert "article.po" in result.output and "second.po" in result.output
    result = run(["stats", "ru", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {f["locale"] for f in data["files"]} == {"ru"}
    assert data["total"]["files"] == 2


def test_cli_stats_errors_exit_2(project: Path):
    result = run(["stats", "xx"])
    assert result.exit_code == 2 and "no such PO file, folder or locale" in result.output
    Path("broken.po").write_text('msgid "a" "b"\nmsgstr ""\n')
    result = run(["stats", "broken.po"])
    assert result.exit_code == 2
    assert "broken.po:1: malformed PO" in result.output
    assert run(["compile", "broken.po"]).exit_code == 2
    assert run(["stats", "--format", "xml"]).exit_code == 2  # usage error


def test_cli_compile(project: Path):
    result = run(["compile", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data) == 3 and all(Path(d["mo"]).is_file() for d in data)
    result = run(["compile", "ru", "--use-fuzzy"])
    assert result.exit_code == 0
    assert "2 catalogs compiled" in result.output
    assert "article.mo: 4 messages" in result.output


def test_stats_does_not_import_rich_for_json(tmp_path: Path):
    locales = make_project(tmp_path)
    code = (
        "import sys; from tolmach.cli import main\n"
        f"try: main(['stats', {str(locales)!r}, '--format', 'json'])\n"
        "except SystemExit: pass\n"
        "assert 'rich' not in sys.modules, 'rich imported'\n"
        "assert 'rapidfuzz' not in sys.modules\n"
    )
    import sys

    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_an_empty_context_compiles_as_msgfmt_compiles_it(tmp_path: Path):
    """polib's MO writer took msgctxt "" for no context: the entry went in as a second "Hello"
    without context, and gettext then answered the other entry's lookups with its translation."""
    import gettext

    po = tmp_path / "ru" / "LC_MESSAGES" / "a.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Content-Transfer-Encoding: 8bit\\n"\n"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : '
        'n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
        'msgid "Hello"\nmsgstr "Здравствуйте"\n\nmsgctxt ""\nmsgid "Hello"\nmsgstr "Пусто"\n\n'
        'msgid "%d day"\nmsgid_plural "%d days"\nmsgstr[0] "%d день"\nmsgstr[1] "%d дня"\nmsgstr[2] "%d дней"\n',
        encoding="utf-8",
    )
    subprocess.run(["msgfmt", "-o", str(tmp_path / "gnu.mo"), str(po)], check=True)
    ours = compile_catalogs([po])[0]
    unfmt = subprocess.run(["msgunfmt", str(ours)], check=True, capture_output=True, text=True).stdout
    gnu = subprocess.run(["msgunfmt", str(tmp_path / "gnu.mo")], check=True, capture_output=True, text=True).stdout
    assert unfmt == gnu
    with open(ours, "rb") as fh:
        assert gettext.GNUTranslations(fh).gettext("Hello") == "Здравствуйте"
    assert collect_stats([po])[0].translated_units == 3


INCOMPLETE_PLURALS = (
    'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || '
    'n%100>=20) ? 1 : 2);\\n"\n"X-Source-Language: en\\n"\n\n'
    'msgid "One article"\nmsgid_plural "%d articles"\nmsgstr[0] ""\nmsgstr[1] "%d статьи"\nmsgstr[2] "%d статей"\n\n'
    'msgid "%d day"\nmsgid_plural "%d days"\nmsgstr[0] "%d день"\nmsgstr[1] "%d дня"\n\n'
    'msgid "%d hour"\nmsgid_plural "%d hours"\nmsgstr[0] "%d час"\nmsgstr[1] ""\nmsgstr[2] "%d часов"\n\n'
    'msgid "%d week"\nmsgid_plural "%d weeks"\nmsgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""\n\n'
    'msgid "%d year"\nmsgid_plural "%d years"\nmsgstr[0] "%d год"\nmsgstr[1] "%d года"\nmsgstr[2] "%d лет"\n'
)


def test_a_plural_entry_with_a_form_empty_or_missing_is_left_out_of_the_mo_and_never_counted_reviewed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A plural entry with msgstr[0] empty was compiled (the application showed "" for n = 1, 21,
    31…; msgfmt leaves it out), one with 2 of Russian's 3 forms too (msgfmt -c refuses it), and
    stats counted both reviewed. Now compile leaves out any plural entry with a form empty or
    missing and says how many, and stats counts them as human drafts: they hold a person's text."""
    import gettext

    po = tmp_path / "ru" / "LC_MESSAGES" / "a.po"
    po.parent.mkdir(parents=True)
    po.write_text(INCOMPLETE_PLURALS, encoding="utf-8")
    before = po.read_bytes()
    monkeypatch.chdir(tmp_path)
    result = run(["compile", str(po)])
    assert result.exit_code == 0, result.output
    assert "a.mo: 1 message (3 plural entries left out: a form empty or missing)" in result.output
    with open(po.with_suffix(".mo"), "rb") as fh:
        mo = gettext.GNUTranslations(fh)
    assert mo.ngettext("One article", "%d articles", 1) == "One article"  # the source, never ""
    assert mo.ngettext("%d day", "%d days", 5) == "%d days"
    assert mo.ngettext("%d hour", "%d hours", 3) == "%d hours"
    assert mo.ngettext("%d year", "%d years", 5) == "%d лет"
    assert po.read_bytes() == before
    data = json.loads(run(["compile", str(po), "--format", "json"]).stdout)
    assert data[0]["messages"] == 1 and data[0]["incomplete_plurals"] == 3

    (s,) = collect_stats([po])
    assert (s.translated_units, s.human_draft_units, s.machine_draft_units, s.untranslated_units) == (1, 3, 0, 1)
    assert s.fuzzy_units == 3  # drafts: not done


def test_stats_counts_the_drafts_nobody_scored_and_keeps_them_machine_drafts_after_msgmerge(tmp_path: Path):
    """`stats` listed only scored drafts ("Unscored" was always 0, JSON "drafts" left them out);
    after a translator's msgmerge, which drops the #. mt: note, every draft counted as a person's
    in stats while review-queue and check still showed them as machine drafts with their scores."""
    from tolmach.notes import entry_fingerprint

    po = tmp_path / "ru" / "LC_MESSAGES" / "a.po"
    po.parent.mkdir(parents=True)
    cat = polib.POFile(wrapwidth=79)
    cat.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru", "X-Source-Language": "en"}
    for i, (src, tgt) in enumerate([("Talks resumed.", "Переговоры возобновились."), ("It rained.", "Шёл дождь.")]):
        e = polib.POEntry(msgctxt=f"body:{i}", msgid=src, msgstr=tgt, flags=["fuzzy"])
        e.comment = f"mt: argos en->ru; draft {entry_fingerprint(e)}"
        if i == 0:
            e.tcomment = f"tolmach: confidence 0.42; draft {entry_fingerprint(e)}"
        cat.append(e)
    cat.save(str(po))
    res = run(["stats", str(po), "--format", "json"])
    total = json.loads(res.output)["total"]
    assert total["machine_draft"]["units"] == 2
    assert (total["confidence"]["drafts"], total["confidence"]["scored"]) == (2, 1)
    # a translator's msgmerge against a template: every #. line is the template's now
    merged = polib.pofile(str(po))
    for e in merged:
        e.comment = ""
    merged.save(str(po))
    total = json.loads(run(["stats", str(po), "--format", "json"]).output)["total"]
    assert total["machine_draft"]["units"] == 1 and total["human_draft"]["units"] == 1  # the scored one proves itself
    queue = run(["review-queue", str(po), "--format", "json"])
    assert [d["confidence"] for d in json.loads(queue.output)["drafts"]] == [0.42]


def test_words_are_those_a_translator_translates(tmp_path: Path):
    """An HTML unit's attributes and a Markdown link's URL were counted as words, and so was a
    spaced dash: 13 words for a 5-word paragraph."""
    po = tmp_path / "a.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n\n'
        '#. tolmach: body, unit 1 of 3\n#. tolmach: format html\n'
        'msgid "The <a href=\\"https://e.com/t\\" class=\\"external link\\" title=\\"More about the talks\\">talks</a> '
        'resumed — on <strong>Monday</strong>."\nmsgstr ""\n\n'
        '#. tolmach: body, unit 2 of 3\n#. tolmach: format markdown\n'
        'msgid "Read [the report](https://e.com/a/b \\"The annual report\\") now."\nmsgstr ""\n\n'
        '#. tolmach: body, unit 3 of 3\nmsgid "Plain text — four words."\nmsgstr ""\n',
        encoding="utf-8",
    )
    (stats,) = collect_stats([po])
    assert stats.untranslated_words == 5 + 4 + 4
