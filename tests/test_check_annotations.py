"""CI annotations (issue 10, section 4): GitHub annotations and SARIF regions point at the msgstr lines
a translator changes (not at the entry's first comment line); JUnit has a test case per checked entry."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import polib

from tolmach.checks import runner

from tolmach.catalog import save_catalog
from helpers import assert_valid_po, tolmach

LONG_SOURCE = (
    "The price of bread rose to 1,500 rubles in the capital this week, officials said on Monday, and "
    "the price of milk followed it."
)
LONG_WRONG = (
    "Цена хлеба в столице на этой неделе выросла до 1 600 рублей, сообщили в понедельник чиновники, а "
    "за ней последовала и цена молока."
)


def _po(tmp_path: Path) -> Path:
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru", "X-Source-Language": "en",
                   "Plural-Forms": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
                                   "(n%100<10 || n%100>=20) ? 1 : 2);"}
    ok = polib.POEntry(msgctxt="body:1", msgid="Officials met in Moscow.", msgstr="Чиновники встретились в Москве.",
                       comment="tolmach: body, unit 1 of 4\nmt: argos en->ru", occurrences=[("a.txt", "1")])
    bad = polib.POEntry(msgctxt="body:2", msgid=LONG_SOURCE, msgstr=LONG_WRONG,
                        comment="tolmach: body, unit 2 of 4", tcomment="reviewed by Anna", occurrences=[("a.txt", "3")])
    plural = polib.POEntry(msgctxt="body:3", msgid="%d soldier was killed in 2001.",
                           msgid_plural="%d soldiers were killed in 2001.",
                           msgstr_plural={0: "%d солдат погиб в 2001 году.", 1: "%d солдата погибли в 2011 году.",
                                          2: "%d солдат погибли в 2001 году."},
                           flags=["c-format"], comment="tolmach: body, unit 3 of 4")
    untranslated = polib.POEntry(msgctxt="body:4", msgid="Not yet.", msgstr="")
    po.extend([ok, bad, plural, untranslated])
    path = tmp_path / "locales" / "ru" / "a.po"
    path.parent.mkdir(parents=True)
    save_catalog(po, path)
    assert_valid_po(path)
    return path


def _msgstr_lines(path: Path, msgctxt: str, keyword: str = "msgstr ") -> tuple[int, int]:
    """The msgstr lines of an entry, found in the file's text independently of the code under test."""
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index(f'msgctxt "{msgctxt}"')
    start = next(i for i in range(at, len(lines)) if lines[i].startswith(keyword))
    end = start
    while end + 1 < len(lines) and lines[end + 1].startswith('"'):
        end += 1
    return start + 1, end + 1


def test_entries_know_their_msgstr_lines(tmp_path):
    path = _po(tmp_path)
    entries = runner.read_po(path)
    (bad,) = [e for e in entries if e.msgctxt == "body:2"]
    assert (bad.msgstr_line, bad.msgstr_end_line) == _msgstr_lines(path, "body:2")
    assert bad.msgstr_end_line - bad.msgstr_line >= 2  # a wrapped msgstr: "" and two or more lines
    assert bad.line < bad.msgstr_line  # polib's line is the first comment line
    (plural_two,) = [e for e in entries if e.msgctxt == "body:3" and "2011" in e.target]
    assert (plural_two.msgstr_line, plural_two.msgstr_end_line) == _msgstr_lines(path, "body:3", "msgstr[1]")


def _check(tmp_path: Path, fmt: str, *extra: str):
    return tolmach("check", "locales", "--no-glossary", "--format", fmt, *extra, cwd=tmp_path)


def test_github_annotations_point_at_the_msgstr(tmp_path):
    path = _po(tmp_path)
    res = _check(tmp_path, "github")
    assert res.exit_code == 1
    text = path.read_text(encoding="utf-8").splitlines()
    numbers = [line for line in res.output.splitlines() if "tolmach numbers" in line]
    assert len(numbers) == 2, res.output  # the long entry and the plural form with 2011
    start, end = _msgstr_lines(path, "body:2")
    assert numbers[0].startswith(f"::error file=locales/ru/a.po,line={start},endLine={end},title=")
    assert text[start - 1].startswith("msgstr") and not text[start - 1].startswith("#")
    p_start, p_end = _msgstr_lines(path, "body:3", "msgstr[1]")
    assert f",line={p_start}," in numbers[1] and text[p_start - 1].startswith("msgstr[1]")
    assert (f",endLine={p_end}," in numbers[1]) == (p_end > p_start)


def test_an_untranslated_plural_form_is_annotated_on_its_own_line(tmp_path):
    """msgstr[0] translated, msgstr[1] empty: the error "msgstr[1] is empty" pointed at msgstr[0]'s
    line (the first translated form's), not at the line the translator has to fill in."""
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru", "X-Source-Language": "en",
                   "Plural-Forms": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
                                   "(n%100<10 || n%100>=20) ? 1 : 2);"}
    po.append(polib.POEntry(msgctxt="body:1", msgid="Officials met in Moscow.", msgstr="Чиновники встретились в Москве."))
    po.append(polib.POEntry(msgctxt="ui:1", msgid="%d item", msgid_plural="%d items",
                            msgstr_plural={0: "%d предмет", 1: "", 2: "%d предметов"}))
    po.append(polib.POEntry(msgctxt="ui:2", msgid="%d week", msgid_plural="%d weeks",
                            msgstr_plural={0: "", 1: "%d недели " + "и ещё немного " * 8, 2: ""}))
    path = tmp_path / "locales" / "ru" / "a.po"
    path.parent.mkdir(parents=True)
    save_catalog(po, path)
    assert_valid_po(path)
    empty_start, empty_end = _msgstr_lines(path, "ui:1", "msgstr[1]")
    assert empty_start > _msgstr_lines(path, "ui:1", "msgstr[0]")[1]
    first_empty = _msgstr_lines(path, "ui:2", "msgstr[0]")
    last_empty = _msgstr_lines(path, "ui:2", "msgstr[2]")
    assert last_empty[0] - first_empty[0] > 2  # a wrapped msgstr[1] between them
    res = _check(tmp_path, "github")
    gaps = [line for line in res.output.splitlines() if "tolmach untranslated" in line]
    assert gaps == [
        f"::error file=locales/ru/a.po,line={empty_start},title=tolmach untranslated::a plural form is not "
        "translated: msgstr[1] is empty (msgctxt: ui:1)",
        f"::error file=locales/ru/a.po,line={first_empty[0]},endLine={last_empty[1]},title=tolmach untranslated::"
        "a plural form is not translated: msgstr[0] is empty, msgstr[2] is empty (msgctxt: ui:2)",
    ], res.output
    data = json.loads(_check(tmp_path, "json").output)
    assert [(f["msgstr_line"], f["msgstr_end_line"]) for f in data["findings"] if f["check_id"] == "untranslated"] == [
        (empty_start, empty_end), (first_empty[0], last_empty[1])]
    fast = runner.read_po(path)
    assert fast == runner.read_po_with_polib(path)  # the fast reader and polib agree on the lines
    assert [e.gap_lines for e in fast if e.msgctxt != "body:1"] == [(empty_start, empty_end), (0, 0),
                                                                    (first_empty[0], last_empty[1])]


def test_sarif_regions_span_the_msgstr_lines(tmp_path):
    path = _po(tmp_path)
    data = json.loads(_check(tmp_path, "sarif").output)
    (result,) = [r for r in data["runs"][0]["results"] if r["ruleId"] == "numbers" and "1,500" in r["message"]["text"]]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["endLine"]) == _msgstr_lines(path, "body:2")
    lines = path.read_text(encoding="utf-8").splitlines()
    covered = lines[region["startLine"] - 1 : region["endLine"]]
    assert covered[0].startswith("msgstr") and all(line.startswith('"') for line in covered[1:])
    assert not lines[region["endLine"]].startswith('"')  # nothing of the msgstr left out


def test_junit_has_a_test_case_per_checked_entry(tmp_path):
    path = _po(tmp_path)
    root = ET.fromstring(_check(tmp_path, "junit").output)
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    # 3 translated entries (the untranslated one is not checked); the plural forms share a case
    assert [c.get("name").split(" (")[0] for c in cases] == ["body:1", "body:2", "body:3"]
    assert suite.get("tests") == "3" and root.get("tests") == "3"
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name").split(" (")[0] for c in failed] == ["body:2", "body:3"]
    assert suite.get("failures") == "2"
    passing = cases[0]
    assert passing.find("failure") is None and passing.get("line") == str(_msgstr_lines(path, "body:1")[0])
    assert failed[0].get("line") == str(_msgstr_lines(path, "body:2")[0])
    assert "[numbers]" in failed[0].find("failure").get("message")


def test_json_carries_the_msgstr_lines(tmp_path):
    path = _po(tmp_path)
    data = json.loads(_check(tmp_path, "json").output)
    (finding,) = [f for f in data["findings"] if f["check_id"] == "numbers" and f["msgctxt"] == "body:2"]
    assert (finding["msgstr_line"], finding["msgstr_end_line"]) == _msgstr_lines(path, "body:2")
    assert finding["line"] < finding["msgstr_line"]


def test_the_summary_counts_a_plural_entry_once(tmp_path):
    """3 PO entries checked, one of them plural with 3 forms: the text and JSON summaries said 5
    entries while JUnit counted 3 test cases."""
    _po(tmp_path)
    data = json.loads(_check(tmp_path, "json").output)
    assert data["summary"]["entries"] == 3
    assert "in 3 entries (1 file)" in _check(tmp_path, "text").output


def test_sarif_uris_are_percent_encoded_and_strict_warnings_are_errors(tmp_path):
    """A path with a space or a "%" went into artifactLocation.uri as it was (not a URI: a consumer
    that decodes it reads another file), and --strict left a failing warning a SARIF "warning"."""
    from urllib.parse import unquote

    folder = tmp_path / "my locales" / "ru"
    folder.mkdir(parents=True)
    path = folder / "a%41 b.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n\n'
                    'msgid "It rained"\nmsgstr "Шёл дождь."\n', encoding="utf-8")  # a punctuation warning
    for strict, level in ((False, "warning"), (True, "error")):
        res = tolmach("check", "my locales", "--no-glossary", "--format", "sarif", *(["--strict"] if strict else []),
                      cwd=tmp_path)
        assert res.exit_code == (1 if strict else 0), res.output
        run = json.loads(res.stdout)["runs"][0]
        (result,) = run["results"]
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == "my%20locales/ru/a%2541%20b.po" and unquote(uri) == "my locales/ru/a%41 b.po"
        assert run["artifacts"] == [{"location": {"uri": uri}}]
        assert result["level"] == level


def test_junit_is_well_formed_with_a_control_character_and_skips_a_file_with_nothing_checked(tmp_path):
    """A "\\b" (a valid PO escape) went raw into the XML, which no parser then reads; a file whose
    entries were all fuzzy or untranslated counted as a passing test."""
    folder = tmp_path / "locales" / "ru"
    folder.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n\n'
    (folder / "a.po").write_text(header + 'msgid "Press \\b to go back."\nmsgstr "Нажмите \\b, чтобы вернуться"\n',
                                 encoding="utf-8")
    (folder / "b.po").write_text(header + '#, fuzzy\nmsgid "Draft."\nmsgstr "Черновик."\n\nmsgid "None."\nmsgstr ""\n',
                                 encoding="utf-8")
    res = tolmach("check", "locales", "--no-glossary", "--format", "junit", cwd=tmp_path)
    root = ET.fromstring(res.stdout)  # (raised "not well-formed (invalid token)")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    a, b = suites["locales/ru/a.po"], suites["locales/ru/b.po"]
    assert "\\x08" in a.find("testcase").get("name")  # written visibly, not dropped
    assert "[punctuation]" in a.find("testcase/system-out").text
    (case,) = b.findall("testcase")
    assert case.find("skipped") is not None and b.get("skipped") == "1" and root.get("skipped") == "1"
