"""XLIFF 1.2 (issue 10, section 4): `tolmach export --xliff` / `import --xliff` through translate-toolkit.

Real PO files (checked with msgfmt), real XLIFF files edited the way a CAT tool would (lxml on the
written file), the real CLI in-process and as a process for exit codes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from lxml import etree

from tolmach.xliff import XLIFF_NS, read_xliff

from tolmach.catalog import load_catalog, save_catalog
from tolmach.state import EntryState, entry_state
from tolmach.pofile import format_catalog
from helpers import assert_one_line_error, assert_valid_po, tolmach, tolmach_process

REPO = Path(__file__).resolve().parents[1]
REVIEWED_PO = REPO / "locales" / "ru" / "LC_MESSAGES" / "moscow-times-taliban.po"
FIELDS = (
    "msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_plural", "flags", "comment", "tcomment",
    "occurrences", "previous_msgctxt", "previous_msgid", "previous_msgid_plural", "obsolete",
)
NS = {"x": XLIFF_NS}


def _catalog(tmp_path: Path) -> Path:
    """The repository's reviewed seed catalog, plus every kind of entry a catalog can hold."""
    po = polib.pofile(str(REVIEWED_PO), wrapwidth=79)
    live = [e for e in po if not e.obsolete]
    # a machine draft of an edited paragraph: fuzzy, provenance comment, previous source
    live[3].flags.insert(0, "fuzzy")
    live[3].comment += "\nmt: argos en->ru, beam 4"
    live[3].previous_msgid = "Army General Curtis Scaparrotti told a Senate committee."
    live[3].previous_msgctxt = "body:00000000"
    live[5].msgstr = ""  # untranslated
    live[6].tcomment = "checked against the wire copy\nsecond line: «кавычки»"
    po.append(polib.POEntry(msgid="No context here,\ttab, \"quotes\", back\\slash\nand a new line",
                            msgstr="Без контекста,\tтаб, «кавычки», обратная\\черта\nи новая строка",
                            occurrences=[("articles/extra.md", ""), ("articles/extra.md", "7")]))
    po.append(polib.POEntry(msgctxt="", msgid="Empty msgctxt", msgstr="", flags=["fuzzy", "no-latin-check"]))
    po.append(polib.POEntry(msgctxt="plural:1", msgid="%d soldier was killed", msgid_plural="%d soldiers were killed",
                            msgstr_plural={0: "погиб %d военный", 1: "погибли %d военных", 2: "погибли %d военных"},
                            flags=["fuzzy", "c-format"], comment="tolmach: body, plural"))
    po.append(polib.POEntry(msgctxt="plural:2", msgid="%d house", msgid_plural="%d houses",
                            msgstr_plural={0: "", 1: "", 2: ""}, flags=["c-format"]))
    po.append(polib.POEntry(msgctxt="spaces", msgid="  leading and trailing spaces  ", msgstr=" пробелы\r "))
    po.append(polib.POEntry(msgctxt="body:gone", msgid="Removed paragraph", msgstr="Удалённый абзац", obsolete=True))
    path = tmp_path / "locales" / "ru" / "LC_MESSAGES" / "seed.po"
    path.parent.mkdir(parents=True)
    save_catalog(po, path)
    assert_valid_po(path)
    return path


def _entries(po: polib.POFile) -> list[tuple]:
    return [tuple(getattr(e, f) for f in FIELDS) for e in po if not e.obsolete]


def _export(tmp_path: Path, *catalogs: Path) -> Path:
    out = tmp_path / "job.xlf"
    res = tolmach("export", "--xliff", out, *catalogs, cwd=tmp_path)
    assert res.exit_code == 0, res.output
    return out


def _units(xlf: Path):
    tree = etree.parse(str(xlf))
    return tree, {u.get("resname", u.get("id")): u for u in tree.iterfind(".//x:trans-unit", NS)}


def test_round_trip_loses_nothing(tmp_path):
    po_path = _catalog(tmp_path)
    original = polib.pofile(str(po_path))
    xlf = _export(tmp_path, po_path.relative_to(tmp_path))
    root = etree.parse(str(xlf)).getroot()
    assert root.get("version") == "1.2" and root.tag == f"{{{XLIFF_NS}}}xliff"

    # the XLIFF alone gives back every field of every live entry, the header and its comment
    (back,) = read_xliff(xlf)
    assert back.original == "locales/ru/LC_MESSAGES/seed.po" and (back.source_lang, back.target_lang) == ("en", "ru")
    assert _entries(back.po) == _entries(original)
    assert back.po.metadata == original.metadata and back.po.header == original.header
    rebuilt = tmp_path / "rebuilt.po"
    save_catalog(back.po, rebuilt)
    assert_valid_po(rebuilt)
    live_only = load_catalog(po_path)
    live_only[:] = [e for e in live_only if not e.obsolete]
    assert rebuilt.read_text(encoding="utf-8") == format_catalog(live_only)

    # importing the untouched file changes nothing, byte for byte
    before = po_path.read_bytes()
    res = tolmach("import", "--xliff", xlf, cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert po_path.read_bytes() == before

    # into a catalog whose translations were lost, the import brings back every field
    blank = polib.pofile(str(po_path))
    for e in blank:
        if not e.obsolete and e.msgstr:
            e.msgstr, e.tcomment = "", ""
            e.flags = [f for f in e.flags if f != "fuzzy"]
    save_catalog(blank, po_path)
    res = tolmach("import", "--xliff", xlf, cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert _entries(assert_valid_po(po_path)) == _entries(original)


def test_states_map_both_ways(tmp_path):
    po_path = _catalog(tmp_path)
    xlf = _export(tmp_path, po_path)
    _, units = _units(xlf)
    assert units["title:3fffbef5"].find("x:target", NS).get("state") == "translated"
    assert units["title:3fffbef5"].get("approved") == "yes"
    fuzzy = units["body:f1723530"]
    assert fuzzy.find("x:target", NS).get("state") == "needs-review-translation" and fuzzy.get("approved") == "no"
    assert units["body:f609c8e9"].find("x:target", NS) is None  # untranslated
    notes = {n.get("from"): n.text for n in units["body:24ec9c9d"].iterfind("x:note", NS)}
    assert notes["translator"].startswith("checked against") and notes["developer"].startswith("tolmach: body")
    # translate-toolkit's own XLIFF -> PO converter reads the states the same way
    from translate.convert import xliff2po

    out = tmp_path / "tt.po"
    with xlf.open("rb") as inp, out.open("wb") as dst:
        xliff2po.convertxliff(inp, dst, None)
    tt = {e.msgid: e for e in polib.pofile(str(out))}
    assert "fuzzy" in tt[fuzzy.find("x:source", NS).text].flags
    assert "fuzzy" not in tt[units["title:3fffbef5"].find("x:source", NS).text].flags


def _set_target(unit, text: str | None, state: str | None = None, approved: str | None = None) -> None:
    target = unit.find("x:target", NS)
    if target is None:
        target = etree.SubElement(unit, f"{{{XLIFF_NS}}}target")
        unit.find("x:source", NS).addnext(target)
    target.text = text
    target.attrib.pop("state", None)
    if state:
        target.set("state", state)
    if approved:
        unit.set("approved", approved)
    elif "approved" in unit.attrib:
        del unit.attrib["approved"]


def test_import_takes_a_cat_tools_work_and_keeps_reviewed_text(tmp_path):
    po_path = _catalog(tmp_path)
    xlf = _export(tmp_path, po_path)
    tree, units = _units(xlf)
    reviewed = polib.pofile(str(po_path)).find("Allauddin Khan / AP", by="msgid")
    _set_target(units["body:f1723530"], "Генерал армии Кертис Скапаротти заявил.", "final")  # fuzzy -> reviewed
    _set_target(units["body:f609c8e9"], "Генерал не уточнил.", "needs-review-translation")  # untranslated -> fuzzy
    _set_target(units["credit:c67dcc85"], "", "translated")  # empty target over a reviewed one
    _set_target(units["title:3fffbef5"], "Другой заголовок", "needs-review-translation")  # stale fuzzy over reviewed
    _set_target(units["body:5e17990a"], "Source copied by the tool", "new")  # "new": untranslated
    _set_target(units["body:6cc089ee"], "Без статуса, одобрено.", None, approved="yes")
    _set_target(units[""], "Без статуса, не одобрено.", None)  # msgctxt "": untranslated -> fuzzy
    forms = tree.findall(".//x:group[@resname='plural:2']/x:trans-unit", NS)
    for form, text in zip(forms, ["%d дом", "%d дома", "%d домов"]):
        _set_target(form, text, "translated")  # a plural entry, every form reviewed
    for note in units["body:24ec9c9d"].findall("x:note[@from='translator']", NS):
        units["body:24ec9c9d"].remove(note)  # a tool that drops notes
    _set_target(units["body:3082626c"], units["body:3082626c"].find("x:target", NS).text, "final")
    etree.SubElement(units["body:3082626c"], f"{{{XLIFF_NS}}}note", {"from": "translator"}).text = "Checked by Anna"
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")

    before = po_path.read_bytes()
    res = tolmach("import", "--xliff", xlf, po_path, "--dry-run", cwd=tmp_path)
    assert res.exit_code == 0 and "would take 3 reviewed, 2 needing review" in res.output, res.output
    assert po_path.read_bytes() == before
    res = tolmach("import", "--xliff", xlf, po_path, cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert "3 reviewed, 2 needing review" in res.output and "kept 1 reviewed" in res.output
    po = {e.msgctxt: e for e in assert_valid_po(po_path)}
    edited = po["body:f1723530"]
    assert edited.msgstr == "Генерал армии Кертис Скапаротти заявил." and "fuzzy" not in edited.flags
    assert edited.previous_msgid is None  # reviewed: no previous source any more, as in Poedit
    assert po["body:f609c8e9"].msgstr == "Генерал не уточнил." and "fuzzy" in po["body:f609c8e9"].flags
    assert po["credit:c67dcc85"].msgstr == reviewed.msgstr and not po["credit:c67dcc85"].fuzzy
    assert po["title:3fffbef5"].msgstr.startswith("Россия, возможно") and not po["title:3fffbef5"].fuzzy
    assert po["body:5e17990a"].msgstr.startswith("С момента вторжения")
    assert po["body:6cc089ee"].msgstr == "Без статуса, одобрено." and not po["body:6cc089ee"].fuzzy
    assert po["body:24ec9c9d"].tcomment.startswith("checked against the wire copy")
    note = po["body:3082626c"].tcomment  # the tool's second note joins the first
    assert note.startswith("Russian punctuation") and note.endswith("\nChecked by Anna")
    assert "1 translator comment\n" in res.output, res.output
    assert po["plural:2"].msgstr_plural == {0: "%d дом", 1: "%d дома", 2: "%d домов"} and not po["plural:2"].fuzzy
    assert po[""].msgstr == "Без статуса, не одобрено." and po[""].fuzzy and "no-latin-check" in po[""].flags


def test_units_that_do_not_match_the_catalog_are_refused(tmp_path):
    po_path = _catalog(tmp_path)
    xlf = _export(tmp_path, po_path)
    # the article changed after the export: one paragraph edited
    po = polib.pofile(str(po_path))
    po.find("body:f609c8e9", by="msgctxt").msgid = "The general did not say more."
    save_catalog(po, po_path)
    tree, units = _units(xlf)
    _set_target(units["body:f609c8e9"], "Генерал не уточнил.", "translated")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    before = po_path.read_bytes()
    err = assert_one_line_error(tolmach_process("import", "--xliff", xlf, cwd=tmp_path),
                                "job.xlf:", "body:f609c8e9", "source text differs")
    assert f"job.xlf:{units['body:f609c8e9'].sourceline}: " in err
    assert po_path.read_bytes() == before

    # a unit removed from the XLIFF (or an entry added to the catalog since)
    po_path2 = _catalog(tmp_path / "b")
    xlf2 = _export(tmp_path / "b", po_path2)
    tree, units = _units(xlf2)
    units["body:d3201be6"].getparent().remove(units["body:d3201be6"])
    tree.write(str(xlf2), xml_declaration=True, encoding="UTF-8")
    before = po_path2.read_bytes()
    assert_one_line_error(tolmach_process("import", "--xliff", xlf2, cwd=tmp_path / "b"), "no unit for", "body:d3201be6")
    assert po_path2.read_bytes() == before


@pytest.mark.parametrize(
    "text, needle",
    [
        ("<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'><file original='x'>", "malformed XLIFF"),
        ("<tmx version='1.4'><body/></tmx>", "not an XLIFF"),
        ("<xliff version='2.0' xmlns='urn:oasis:names:tc:xliff:document:2.0' srcLang='en'><file id='f'/></xliff>",
         "XLIFF 2"),
        ("", "malformed XLIFF"),
        ("\xff\xfe garbage", "XLIFF"),
    ],
)
def test_malformed_xliff_is_one_error_line_and_changes_nothing(tmp_path, text, needle):
    po_path = _catalog(tmp_path)
    xlf = tmp_path / "bad.xlf"
    xlf.write_text(text, encoding="latin-1")
    before = po_path.read_bytes()
    assert_one_line_error(tolmach_process("import", "--xliff", xlf, po_path, cwd=tmp_path), "bad.xlf", needle)
    assert po_path.read_bytes() == before
    assert sorted(p.name for p in po_path.parent.iterdir()) == ["seed.po"]


@pytest.mark.parametrize(
    "out, inputs, needle",
    [
        ("ru/a.po", ["ru/a.po", "ru/b.po"], "names a PO file"),  # export --xliff ru/*.po
        ("ru/b.po", ["ru/b.po"], "names a PO file"),
        ("ru/new.pot", ["ru"], "names a PO file"),  # a PO name that does not exist yet
        ("link.xlf", ["ru"], "one of the catalogs"),  # a link to a catalog exported
    ],
)
def test_an_export_over_a_catalog_is_refused_and_writes_nothing(tmp_path, out, inputs, needle):
    (tmp_path / "ru").mkdir()
    seed = _catalog(tmp_path)
    for name in ("a.po", "b.po"):
        shutil.copy(seed, tmp_path / "ru" / name)
    (tmp_path / "link.xlf").symlink_to(tmp_path / "ru" / "b.po")
    before = {p: p.read_bytes() for p in (tmp_path / "ru").iterdir()}
    err = assert_one_line_error(tolmach_process("export", "--xliff", out, *inputs, cwd=tmp_path), out, needle)
    assert "XLIFF file comes first" in err
    assert {p: p.read_bytes() for p in (tmp_path / "ru").iterdir()} == before


def test_several_catalogs_in_one_file_and_checked_before_any_write(tmp_path):
    a = _catalog(tmp_path)
    b = tmp_path / "locales" / "ru" / "LC_MESSAGES" / "other.po"
    shutil.copy(a, b)
    xlf = _export(tmp_path, tmp_path / "locales")
    tree = etree.parse(str(xlf))
    files = tree.findall("x:file", NS)
    assert [Path(f.get("original")).name for f in files] == ["other.po", "seed.po"]
    # good work for other.po, a stale unit for seed.po: nothing is written at all
    first = files[0].find(".//x:trans-unit[@resname='body:f609c8e9']", NS)
    _set_target(first, "Генерал не уточнил.", "translated")
    files[1].find(".//x:trans-unit[@resname='body:f609c8e9']/x:source", NS).text = "Changed source"
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    before = (a.read_bytes(), b.read_bytes())
    assert_one_line_error(tolmach_process("import", "--xliff", xlf, cwd=tmp_path), "does not match")
    assert (a.read_bytes(), b.read_bytes()) == before


def test_the_main_job_through_a_cat_tool_and_back(tmp_path, tiny_package):
    """translate-article -> export -> a reviewer finalises every draft in a CAT tool -> import ->
    the rebuilt article uses the reviewed text, and a re-run of the main job leaves it alone."""
    from helpers import SEED

    env = {"TOLMACH_MODELS_DIR": str(tmp_path / "models"), "TOLMACH_CACHE_DIR": str(tmp_path / "cache")}
    assert tolmach("models", "install", "--file", tiny_package["en_ru"], env=env).exit_code == 0
    article = tmp_path / "taliban.txt"
    shutil.copy(SEED, article)
    res = tolmach("translate-article", article, "--to", "ru", "--no-glossary", cwd=tmp_path, env=env)
    assert res.exit_code == 0, res.output
    po_path = tmp_path / "locales/ru/LC_MESSAGES/taliban.po"
    drafts = [e for e in polib.pofile(str(po_path)) if e.msgstr and e.fuzzy]
    assert drafts, "the machine step left no drafts to review"

    xlf = _export(tmp_path, po_path.relative_to(tmp_path))
    tree, units = _units(xlf)
    states = {u.find("x:target", NS).get("state") for u in units.values()
              if u.find("x:target", NS) is not None and u.get("restype") is None}
    assert states == {"needs-review-translation"}
    for draft in drafts:  # the reviewer corrects the first draft and accepts the others
        unit = units[draft.msgctxt]
        text = "Исправлено редактором." if draft is drafts[0] else unit.find("x:target", NS).text
        _set_target(unit, text, "final", approved="yes")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    res = tolmach("import", "--xliff", xlf, cwd=tmp_path)
    assert res.exit_code == 0 and f"took {len(drafts)} reviewed" in res.output, res.output
    po = assert_valid_po(po_path)
    assert not [e for e in po if e.fuzzy]
    assert po.find(drafts[0].msgctxt, by="msgctxt").msgstr == "Исправлено редактором."

    out = tmp_path / "taliban.ru.txt"
    assert tolmach("build", po_path, "-o", out, "--no-fuzzy", cwd=tmp_path).exit_code == 0
    assert "Исправлено редактором." in out.read_text(encoding="utf-8")
    before = po_path.read_bytes()
    res = tolmach("translate-article", article, "--to", "ru", "--no-glossary", cwd=tmp_path, env=env)
    assert res.exit_code == 0, res.output
    assert po_path.read_bytes() == before  # every entry reviewed: nothing for the machine to touch


def test_a_save_made_while_import_writes_is_kept(tmp_path):
    """A translator saves the catalog (temp file + rename) while `import --xliff` writes it: the
    import is merged into their version, never written over it."""
    import subprocess
    import sys

    from test_trust import _SAVER, _big_catalog

    from helpers import tolmach_process

    po_path = tmp_path / "locales/ru/LC_MESSAGES/big.po"
    _big_catalog(po_path)  # big enough that writing it takes a while
    xlf = _export(tmp_path, po_path.relative_to(tmp_path))
    tree, units = _units(xlf)
    unit = units["body:3"]
    target = unit.find("x:target", NS)
    if target is None:
        target = etree.SubElement(unit, f"{{{XLIFF_NS}}}target")
    target.text, target.attrib["state"] = "Перевод из CAT.", "translated"
    tree.write(str(xlf), xml_declaration=True, encoding="utf-8")
    theirs = load_catalog(po_path)  # the translator's own save: entry 7 translated in Poedit
    theirs[7].msgstr = "Перевод в Poedit."
    saved = tmp_path / "theirs.po"
    save_catalog(theirs, saved)
    script, ready = tmp_path / "saver.py", tmp_path / "ready"
    script.write_text(_SAVER, encoding="utf-8")
    saver = subprocess.Popen([sys.executable, str(script), str(po_path), str(saved), str(ready)])
    try:
        while not ready.exists():
            pass
        proc = tolmach_process("import", "--xliff", xlf, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert saver.wait(timeout=30) == 0, "the translator's save never happened: " + proc.stdout
    finally:
        saver.kill()
    after = assert_valid_po(po_path)
    assert after[7].msgstr == "Перевод в Poedit."  # their save was kept
    assert after[3].msgstr == "Перевод из CAT."  # and the import went onto it


# --- whose text is it: a human draft in the catalog is human work too -------------------------------

SOURCE = "The general did not comment."
MACHINE = "Генерал не дал комментариев."
POEDIT = "Генерал отказался от комментариев."  # the translator's edit in the catalog, left fuzzy
CAT = "Генерал промолчал."  # the CAT user's edit in the XLIFF


def _drafted(tmp_path: Path) -> tuple[Path, Path]:
    """A machine draft of one paragraph, exported to XLIFF: (catalog, XLIFF)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "a.txt").write_text(SOURCE + "\n", encoding="utf-8")
    (tmp_path / "mt.tsv").write_text(f"{SOURCE}\t{MACHINE}\n", encoding="utf-8")
    res = tolmach("translate-article", "a.txt", "--to", "ru", "-d", "loc", "--no-glossary", "--no-memory",
                  "--engine", "recorded", "--recorded", "mt.tsv", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    po_path = tmp_path / "loc/ru/LC_MESSAGES/a.po"
    return po_path, _export(tmp_path, po_path.relative_to(tmp_path))


def _edit_in_catalog(po_path: Path, text: str, reviewed: bool = False) -> None:
    po = load_catalog(po_path)
    entry = po.find(SOURCE)
    entry.msgstr = text
    if reviewed:
        entry.flags.remove("fuzzy")
    save_catalog(po, po_path)


def _edit_in_xliff(xlf: Path, text: str | None, state: str = "needs-review-translation",
                   drop_record: bool = False) -> None:
    tree, units = _units(xlf)
    (unit,) = [u for u in units.values() if u.get("restype") is None]
    if text is not None:
        _set_target(unit, text, state)
    if drop_record:  # an export by an older Tolmach, or a CAT tool that drops unknown contexts
        for context in unit.iterfind(".//x:context[@context-type='x-tolmach-exported']", NS):
            context.getparent().remove(context)
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")


def _msgstr(po_path: Path) -> tuple[str, bool]:
    entry = assert_valid_po(po_path).find(SOURCE)
    return entry.msgstr, entry.fuzzy


@pytest.mark.parametrize("record", ["recorded", "no record"])
def test_a_translators_fuzzy_edit_is_not_undone_by_the_exported_machine_draft(tmp_path, record):
    # regression: the unit, unchanged since the export, still held the machine draft, and the import
    # put it back over the translator's edit ("took 1 needing review")
    po_path, xlf = _drafted(tmp_path)
    _edit_in_catalog(po_path, POEDIT)  # in Poedit, left fuzzy: a human draft
    _edit_in_xliff(xlf, None, drop_record=record == "no record")
    res = tolmach("import", "--xliff", xlf, po_path, cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert "took 0 reviewed, 0 needing review, 1 unchanged" in res.output
    assert _msgstr(po_path) == (POEDIT, True)


@pytest.mark.parametrize("state, fuzzy", [("needs-review-translation", True), ("final", False)])
def test_the_cat_users_edit_of_a_draft_nobody_touched_since_is_taken(tmp_path, state, fuzzy):
    po_path, xlf = _drafted(tmp_path)
    _edit_in_catalog(po_path, POEDIT)  # a human draft, exported as such ...
    xlf = _export(tmp_path, po_path.relative_to(tmp_path))
    _edit_in_xliff(xlf, CAT, state)  # ... and edited in the CAT tool
    res = tolmach("import", "--xliff", xlf, po_path, cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert _msgstr(po_path) == (CAT, fuzzy)
    # and the machine draft itself takes the CAT user's edit, which is human work from then on
    po_path, xlf = _drafted(tmp_path / "second")
    _edit_in_xliff(xlf, CAT, state)
    assert tolmach("import", "--xliff", xlf, po_path, cwd=tmp_path / "second").exit_code == 0
    assert _msgstr(po_path) == (CAT, fuzzy)
    assert entry_state(load_catalog(po_path).find(SOURCE)) is not EntryState.MACHINE_DRAFT


@pytest.mark.parametrize("reviewed_in_catalog", [False, True], ids=["human draft", "reviewed"])
@pytest.mark.parametrize("state", ["needs-review-translation", "final"])
def test_an_entry_changed_on_both_sides_keeps_the_catalogs_text_and_is_reported(tmp_path, state,
                                                                                 reviewed_in_catalog):
    po_path, xlf = _drafted(tmp_path)
    _edit_in_catalog(po_path, POEDIT, reviewed=reviewed_in_catalog)
    _edit_in_xliff(xlf, CAT, state)
    before = po_path.read_bytes()
    for dry in (True, False):
        res = tolmach("import", "--xliff", xlf, po_path, *(["--dry-run"] if dry else []), cwd=tmp_path)
        assert res.exit_code == 0, res.output
        assert "0 reviewed, 0 needing review" in res.output
        assert ("kept 1 translation that a person changed in the catalog since the export" in res.output
                or "kept 1 reviewed translation that the XLIFF marks as needing review" in res.output), res.output
        assert "body:" in res.output
    assert po_path.read_bytes() == before  # nothing to write
    assert _msgstr(po_path) == (POEDIT, not reviewed_in_catalog)


def test_without_the_export_record_human_text_is_kept_and_reported(tmp_path):
    # an XLIFF that does not say what was exported cannot show the catalog's text is the older one
    po_path, xlf = _drafted(tmp_path)
    _edit_in_catalog(po_path, POEDIT)
    xlf = _export(tmp_path, po_path.relative_to(tmp_path))
    _edit_in_xliff(xlf, CAT, "final", drop_record=True)
    res = tolmach("import", "--xliff", xlf, po_path, cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert "kept 1 human translation that the XLIFF would replace: it does not record what was exported" \
        in res.output
    assert _msgstr(po_path) == (POEDIT, True)
    # an untranslated entry or a machine draft still takes the target: nobody's work is lost
    po_path, xlf = _drafted(tmp_path / "second")
    _edit_in_xliff(xlf, CAT, "final", drop_record=True)
    assert tolmach("import", "--xliff", xlf, po_path, cwd=tmp_path / "second").exit_code == 0
    assert _msgstr(po_path) == (CAT, False)


def test_a_translator_comment_written_in_the_catalog_since_the_export_is_kept(tmp_path):
    # regression: the XLIFF's translator note replaced the catalog's comment, and a line a
    # translator had added in the catalog since the export was gone
    po_path, xlf = _drafted(tmp_path)
    po = load_catalog(po_path)
    po.find(SOURCE).tcomment = "Anna: check the quote\n" + po.find(SOURCE).tcomment
    save_catalog(po, po_path)
    xlf = _export(tmp_path, po_path.relative_to(tmp_path))
    po = load_catalog(po_path)
    po.find(SOURCE).tcomment = po.find(SOURCE).tcomment.replace("Anna: check the quote", "Anna: checked, fine")
    save_catalog(po, po_path)
    tree, units = _units(xlf)
    (unit,) = [u for u in units.values() if u.get("restype") is None]
    etree.SubElement(unit, f"{{{XLIFF_NS}}}note", {"from": "translator"}).text = "Boris: the CAT tool's note"
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    res = tolmach("import", "--xliff", xlf, po_path, cwd=tmp_path)
    assert res.exit_code == 0 and "1 translator comment\n" in res.output, res.output
    lines = assert_valid_po(po_path).find(SOURCE).tcomment.splitlines()
    # the catalog's lines all stay, the XLIFF's join them (the exported line Anna has edited since
    # too: neither side's text is dropped), Tolmach's own note stays last
    assert lines[:3] == ["Anna: checked, fine", "Anna: check the quote", "Boris: the CAT tool's note"]
    assert len(lines) == 4 and lines[3].startswith("tolmach: no confidence; draft ")
    # importing it again adds nothing
    before = po_path.read_bytes()
    res = tolmach("import", "--xliff", xlf, po_path, cwd=tmp_path)
    assert res.exit_code == 0 and "translator comments" not in res.output, res.output
    assert po_path.read_bytes() == before


_TMX_WITH_NUL = ('<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en">'
                 '<seg>wa\0r</seg></tuv><tuv xml:lang="ru"><seg>война</seg></tuv></tu></body></tmx>\n')


@pytest.mark.parametrize("encoding, needle", [("utf-8", "2: binary data (a NUL byte), expected a TMX file"),
                                              # UTF-16 is XML (NUL bytes and all): lxml's own error, one line
                                              ("utf-16", "2: malformed TMX: Invalid character")])
def test_a_nul_byte_in_a_tmx_file_is_one_error_line(tmp_path, encoding, needle):
    """A NUL byte gave lxml's message and its second line (", line 2, column 78")."""
    tmx = tmp_path / "m.tmx"
    text = _TMX_WITH_NUL if encoding == "utf-8" else _TMX_WITH_NUL.replace('"1.0"?>', '"1.0" encoding="UTF-16"?>')
    tmx.write_bytes(text.encode(encoding))
    assert_one_line_error(tolmach_process("memory", "import", "--tmx", tmx, "--memory", tmp_path / "m.sqlite"),
                          f"{tmx}:{needle}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.tmx"]
    # the same file without the NUL byte, in UTF-16, is a TMX file as any other
    tmx.write_bytes(text.replace("\0", "").encode(encoding))
    proc = tolmach_process("memory", "import", "--tmx", tmx, "--memory", tmp_path / "m.sqlite")
    assert proc.returncode == 0 and "1 unit new or changed" in proc.stdout, proc.stderr


def test_a_nul_byte_in_an_xliff_file_is_one_error_line_and_changes_nothing(tmp_path):
    po_path = _catalog(tmp_path)
    xlf = _export(tmp_path, po_path)
    data = xlf.read_bytes()
    at = data.index(b"</source>")
    xlf.write_bytes(data[:at] + b"\0" + data[at:])
    before = po_path.read_bytes()
    err = assert_one_line_error(tolmach_process("import", "--xliff", xlf, po_path, cwd=tmp_path),
                                "binary data (a NUL byte), expected an XLIFF file")
    line = data[:at].count(b"\n") + 1
    assert err.startswith(f"tolmach: error: {xlf}:{line}: "), err
    assert po_path.read_bytes() == before
    # in a UTF-16 file (well-formed but for the NUL): lxml's error, on one line
    xlf.write_bytes((data[:at] + b"\0" + data[at:]).decode().replace('"UTF-8"', '"UTF-16"', 1).encode("utf-16"))
    assert_one_line_error(tolmach_process("import", "--xliff", xlf, po_path, cwd=tmp_path),
                          "malformed XLIFF: Invalid character: Char 0x0 out of allowed range (column")
    assert po_path.read_bytes() == before


@pytest.mark.parametrize("attr, value, dry_run", [("target-language", "de", False), ("target-language", "de-DE", True),
                                                  ("source-language", "fr", False)])
def test_an_xliff_for_other_languages_is_refused_and_changes_nothing(tmp_path, attr, value, dry_run):
    """A file translated into German was merged into the Russian catalog as reviewed work."""
    po_path = _catalog(tmp_path)
    xlf = _export(tmp_path, po_path)
    tree, units = _units(xlf)
    _set_target(units["body:f609c8e9"], "Der General sagte nichts.", "translated")
    tree.find("x:file", NS).set(attr, value)
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    before = po_path.read_bytes()
    args = ["import", "--xliff", xlf] + (["--dry-run"] if dry_run else [])
    err = assert_one_line_error(tolmach_process(*args, cwd=tmp_path), f"{xlf}:3: {attr} {value.split('-')[0]!r}",
                                f"does not match the catalog {po_path}, which is en->ru")
    assert "took" not in err
    assert po_path.read_bytes() == before
    assert sorted(p.name for p in po_path.parent.iterdir()) == ["seed.po"]


def test_an_xliff_for_the_catalogs_languages_is_taken_whatever_their_spelling(tmp_path):
    po_path = _catalog(tmp_path)
    xlf = _export(tmp_path, po_path)
    tree, units = _units(xlf)
    _set_target(units["body:f609c8e9"], "Генерал не уточнил.", "translated")
    filenode = tree.find("x:file", NS)
    filenode.set("source-language", "en-US")
    filenode.set("target-language", "ru_RU")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    res = tolmach("import", "--xliff", xlf, cwd=tmp_path)
    assert res.exit_code == 0 and "took 1 reviewed" in res.output, res.output
    # without target-language (XLIFF 1.2 makes it optional) the PO header it carries says it
    del filenode.attrib["target-language"]
    header = next(u for u in tree.iterfind(".//x:trans-unit", NS) if u.get("restype") == "x-gettext-domain-header")
    header.find("x:target", NS).text = header.find("x:target", NS).text.replace("Language: ru", "Language: de")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    assert_one_line_error(tolmach_process("import", "--xliff", xlf, cwd=tmp_path), "target-language 'de'")


def test_a_target_with_a_line_break_at_an_end_is_taken_as_msgfmt_takes_it(tmp_path):
    """A CAT tool's (or a pretty-printer's) target beginning or ending with a line feed made a
    catalog msgfmt --check refuses ("'msgid' and 'msgstr' entries do not both end with '\\n'")."""
    import subprocess

    po_path = _catalog(tmp_path)
    xlf = _export(tmp_path, po_path)
    tree = etree.parse(str(xlf))
    units = [u for u in tree.iter(f"{{{XLIFF_NS}}}trans-unit") if u.get("id") != "header"]
    for unit, text in zip(units[:2], ("Россия и НАТО\n", "\nКремль")):
        target = unit.find(f"{{{XLIFF_NS}}}target")
        if target is None:
            target = etree.SubElement(unit, f"{{{XLIFF_NS}}}target")
        target.text = text
        target.set("state", "translated")
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    proc = tolmach_process("import", "--xliff", xlf, po_path, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert_valid_po(po_path)
    assert subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_path)]).returncode == 0
    texts = {e.msgstr for e in load_catalog(po_path)}
    assert "Россия и НАТО" in texts and "Кремль" in texts
