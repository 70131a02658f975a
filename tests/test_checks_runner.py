"""`tolmach check`: reading real PO files, discovery, disabling, output formats, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib.metadata import entry_points
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from tolmach.checks import poread, qa, report, runner
from tolmach.cli import main
from tolmach.config import Config
from tolmach.errors import TolmachError

QA_IDS = {cls.id for cls in qa.QA_CHECKS}

CLEAN = [
    ("The company said on Monday that 1,000 people attended the event in 2007.",
     "В понедельник компания сообщила, что на мероприятии в 2007 году присутствовали 1 000 человек."),
    ('He said: "We will not leave."', "Он сказал: «Мы не уйдём»."),
]
BROKEN_NUMBER = ("The price rose to 1,500 rubles.", "Цена выросла до 1 600 рублей.")
STRAIGHT_QUOTES = ('He called it "a disaster".', 'Он назвал это "катастрофой".')
NO_FULL_STOP = ("Officials met in Moscow.", "Чиновники встретились в Москве")


def write_po(path: Path, pairs, *, lang="ru", source_lang="en", fuzzy=(), flags=None, comments=None) -> Path:
    po = polib.POFile(wrapwidth=79)
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": lang,
        "X-Source-Language": source_lang,
    }
    for i, (src, tgt) in enumerate(pairs):
        e = polib.POEntry(msgctxt=f"body-{i}", msgid=src, msgstr=tgt, occurrences=[("a.md", str(i + 1))])
        e.comment = f"tolmach: body, unit {i + 1} of {len(pairs)}"
        if comments and i in comments:
            e.comment += "\n" + comments[i]
        if flags and i in flags:
            e.flags.extend(flags[i])
        if i in fuzzy:
            e.flags.append("fuzzy")
        po.append(e)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path


def cli(*args, cwd: Path):
    old = os.getcwd()
    try:
        os.chdir(cwd)
        return CliRunner().invoke(main, ["check", *map(str, args)], catch_exceptions=False)
    finally:
        os.chdir(old)


def empty_config(root: Path) -> Config:
    return Config(root, {}, None)


# --- discovery -----------------------------------------------------------------------------------


def test_entry_points_list_the_qa_checks():
    eps = {ep.name: ep for ep in entry_points(group="tolmach.checks")}
    assert QA_IDS <= set(eps)
    for name in QA_IDS:
        cls = eps[name].load()
        assert cls.id == name
    assert "glossary" in eps
    assert QA_IDS <= {c.id for c in runner.build_checks()}


def test_build_checks_leaves_the_glossary_check_out_without_a_glossary():
    assert "glossary" not in {c.id for c in runner.build_checks()}
    assert {c.id for c in runner.build_checks(only=["numbers", "quotes"])} == {"numbers", "quotes"}
    assert "numbers" not in {c.id for c in runner.build_checks(disable=["numbers"])}


def test_check_options_from_configuration(tmp_path):
    checks = runner.build_checks(options={"length-ratio": {"max": 5, "min": 0.1}})
    (ratio,) = [c for c in checks if c.id == "length-ratio"]
    assert (ratio.min, ratio.max) == (0.1, 5)
    with pytest.raises(TolmachError, match="no option 'maximum'"):
        runner.build_checks(options={"length-ratio": {"maximum": 5}})


# --- reading PO ----------------------------------------------------------------------------------


def test_read_po_skips_header_untranslated_obsolete_and_fuzzy(tmp_path):
    path = write_po(tmp_path / "a.po", [*CLEAN, ("Untranslated.", ""), BROKEN_NUMBER], fuzzy={3})
    po = polib.pofile(str(path))
    po.append(polib.POEntry(msgid="Old.", msgstr="Старое.", obsolete=True))
    po.save()
    entries = runner.read_po(path)
    assert [e.source for e in entries] == [CLEAN[0][0], CLEAN[1][0]]
    assert entries[0].source_lang == "en" and entries[0].target_lang == "ru"
    assert [e.line for e in entries] == [p.linenum for p in polib.pofile(str(path))][:2]
    assert entries[0].msgctxt == "body-0"
    fuzzy = runner.read_po(path, include_fuzzy=True)
    assert len(fuzzy) == 3 and fuzzy[-1].fuzzy


def test_read_po_keeps_escapes_flags_and_comments(tmp_path):
    source = 'Multi\nline "quoted" \\ text\twith tab ' * 5
    target = "Много\nстрок «в кавычках» \\ " * 5
    path = write_po(tmp_path / "a.po", [*CLEAN, (source, target)], flags={1: ["python-format"]},
                    comments={0: "tolmach: skip-check numbers"})
    entries = runner.read_po(path)
    assert entries[2].source == source and entries[2].target == target
    assert "python-format" in entries[1].flags
    assert "tolmach: skip-check numbers" in entries[0].comments


def test_language_defaults(tmp_path):
    path = write_po(tmp_path / "en.po", [("Привет.", "Hello.")], lang="en", source_lang="")
    (e,) = runner.read_po(path)
    assert (e.source_lang, e.target_lang) == ("ru", "en")


@pytest.mark.parametrize(
    "content,line",
    [
        ('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\nfoo bar\n', 6),
        ('msgid ""\nmsgstr ""\n\nmsgid "a\nmsgstr "b"\n', 4),  # polib alone reads this as nothing
        ('msgid "a" msgstr\n', 1),
    ],
)
def test_malformed_po_is_a_tolmach_error_naming_file_and_line(tmp_path, content, line):
    path = tmp_path / "bad.po"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TolmachError) as err:
        runner.read_po(path)
    assert err.value.path == str(path) and err.value.line == line


def test_not_utf8(tmp_path):
    path = tmp_path / "bad.po"
    path.write_bytes(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "\xff"\n')
    with pytest.raises(TolmachError, match="not valid UTF-8") as err:
        runner.read_po(path)
    assert err.value.line == 6


def test_find_po_files(tmp_path):
    write_po(tmp_path / "locales/ru/LC_MESSAGES/b.po", CLEAN)
    write_po(tmp_path / "locales/ru/LC_MESSAGES/a.po", CLEAN)
    (tmp_path / "locales/ru/notes.txt").write_text("x")
    files = runner.find_po_files([tmp_path / "locales"])
    assert [f.name for f in files] == ["a.po", "b.po"]
    with pytest.raises(TolmachError, match="no such"):
        runner.find_po_files([tmp_path / "missing"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(TolmachError, match="no PO files"):
        runner.find_po_files([tmp_path / "empty"])


# --- disabling -----------------------------------------------------------------------------------


def _ids(result):
    return sorted({f.check_id for f in result.findings})


def test_each_planted_error_is_found_through_the_runner(tmp_path):
    path = write_po(tmp_path / "a.po", [*CLEAN, BROKEN_NUMBER, STRAIGHT_QUOTES, NO_FULL_STOP])
    result = runner.check_paths([path], config=empty_config(tmp_path))
    assert _ids(result) == ["numbers", "punctuation", "quotes"]
    assert result.entries == 5 and result.files == [str(path)]
    lines = {f.check_id: f.line for f in result.findings}
    entries = [e for e in polib.pofile(str(path))]
    assert lines["numbers"] == entries[2].linenum


def test_per_entry_disabling_by_flag_and_comment(tmp_path):
    path = write_po(
        tmp_path / "a.po",
        [BROKEN_NUMBER, STRAIGHT_QUOTES, NO_FULL_STOP],
        flags={0: ["no-numbers-check"]},
        comments={1: "tolmach: skip-check quotes, punctuation", 2: "tolmach: skip-check all"},
    )
    result = runner.check_paths([path], config=empty_config(tmp_path))
    assert result.findings == []


def test_a_skip_comment_in_capitals_is_honoured_too(tmp_path):
    """The comment's pattern ignores letter case, but a faster test before it did not: "# Tolmach:
    skip-check quotes" was silently ignored."""
    path = write_po(
        tmp_path / "a.po", [STRAIGHT_QUOTES, STRAIGHT_QUOTES[:1] + ("Он назвал это \"бедой\".",)],
        comments={0: "Tolmach: skip-check quotes", 1: "TOLMACH: SKIP-CHECK quotes"},
    )
    assert runner.check_paths([path], config=empty_config(tmp_path)).findings == []


def test_no_glossary_warning_where_the_glossary_check_is_switched_off(tmp_path):
    """With a glossaries/ folder and the glossary check switched off (--disable, --only, [checks]),
    check said "no glossary applies (none given, configured or in a glossaries/ folder)"."""
    write_po(tmp_path / "locales" / "a.po", CLEAN)
    (tmp_path / "glossaries").mkdir()
    (tmp_path / "glossaries" / "g.csv").write_bytes((SEED_GLOSSARY / "news.en-ru.csv").read_bytes())
    for args in (["--disable", "glossary"], ["--only", "quotes"], ["--no-glossary"]):
        res = cli(*args, cwd=tmp_path)
        assert res.exit_code == 0 and "no glossary applies" not in res.stderr, (args, res.stderr)
    (tmp_path / "tolmach.toml").write_text('[checks]\ndisable = ["glossary"]\n', encoding="utf-8")
    assert "no glossary applies" not in cli(cwd=tmp_path).stderr
    (tmp_path / "tolmach.toml").unlink()
    shutil.rmtree(tmp_path / "glossaries")
    assert "no glossary applies" in cli(cwd=tmp_path).stderr  # (still said where it is true)


def test_per_project_disabling_config_and_argument(tmp_path):
    path = write_po(tmp_path / "a.po", [BROKEN_NUMBER, STRAIGHT_QUOTES, NO_FULL_STOP])
    config = Config(tmp_path, {"checks": {"disable": ["numbers"]}}, tmp_path / "tolmach.toml")
    result = runner.check_paths([path], config=config, disable=["quotes"])
    assert _ids(result) == ["punctuation"]
    result = runner.check_paths([path], config=empty_config(tmp_path), only=["quotes"])
    assert _ids(result) == ["quotes"]
    with pytest.raises(TolmachError, match="unknown check id 'numbrs'"):
        runner.check_paths([path], config=empty_config(tmp_path), disable=["numbrs"])


def test_config_file_disables_checks_for_the_cli(tmp_path):
    write_po(tmp_path / "locales/ru/a.po", [BROKEN_NUMBER])
    (tmp_path / "tolmach.toml").write_text('[checks]\ndisable = ["numbers"]\n', encoding="utf-8")
    result = cli(cwd=tmp_path)  # default path: locales
    assert result.exit_code == 0, result.output
    (tmp_path / "tolmach.toml").write_text('[checks]\ndisable = ["nope"]\n', encoding="utf-8")
    proc = run_process(["check"], tmp_path)
    assert proc.returncode == 2 and "nope" in proc.stderr and "Traceback" not in proc.stderr


# --- exit codes and formats ----------------------------------------------------------------------


def test_exit_codes_with_click_runner(tmp_path):
    clean = write_po(tmp_path / "clean.po", CLEAN)
    broken = write_po(tmp_path / "broken.po", [BROKEN_NUMBER])
    style = write_po(tmp_path / "style.po", [NO_FULL_STOP])
    assert cli(clean, cwd=tmp_path).exit_code == 0
    result = cli(broken, cwd=tmp_path)
    assert result.exit_code == 1
    assert f"{broken}:" in result.output and "[numbers]" in result.output and "msgctxt: body-0" in result.output
    assert cli(style, cwd=tmp_path).exit_code == 0  # warnings fail only with --strict
    assert cli(style, "--strict", cwd=tmp_path).exit_code == 1
    (tmp_path / "bad.po").write_text('msgid "a"\nfoo\n', encoding="utf-8")
    assert cli(tmp_path / "bad.po", cwd=tmp_path).exit_code == 2
    assert cli(tmp_path / "missing.po", cwd=tmp_path).exit_code == 2
    assert cli(clean, "--disable", "nonsense", cwd=tmp_path).exit_code == 2


def test_a_plural_entry_with_a_form_empty_or_missing_is_an_error_naming_it(tmp_path):
    """msgstr[0] empty (gettext shows "" for n = 1, 21…) and 2 of Russian's 3 forms (fatal for
    msgfmt -c) passed `check` in silence: the readers skipped the empty form, and nothing counted
    the forms. Both readers now tell the gaps; the fast one and polib agree on them."""
    plurals = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    path = tmp_path / "ui.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        f'"Plural-Forms: {plurals}\\n"\n"X-Source-Language: en\\n"\n\n'
        'msgctxt "ui:1"\nmsgid "One article"\nmsgid_plural "Many articles"\nmsgstr[0] ""\n'
        'msgstr[1] "Статьи"\nmsgstr[2] "Статей"\n\n'
        'msgctxt "ui:2"\nmsgid "One day"\nmsgid_plural "Many days"\nmsgstr[0] "День"\nmsgstr[1] "Дня"\n\n'
        'msgctxt "ui:3"\nmsgid "One week"\nmsgid_plural "Many weeks"\nmsgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""\n\n'
        'msgctxt "ui:4"\nmsgid "One year"\nmsgid_plural "Many years"\nmsgstr[0] "Год"\nmsgstr[1] "Года"\n'
        'msgstr[2] "Лет"\n',
        encoding="utf-8",
    )
    result = cli(path, "--no-glossary", "--no-cache", "--format", "json", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    gaps = [(f["msgctxt"], f["severity"], f["message"]) for f in json.loads(result.stdout)["findings"]
            if f["check_id"] == "untranslated"]
    assert gaps == [("ui:1", "error", "a plural form is not translated: msgstr[0] is empty"),
                    ("ui:2", "error", "a plural form is not translated: msgstr[2] is missing")]
    fast = poread.read_entries(path)
    assert fast is not None and fast == runner.read_po_with_polib(path)
    assert [(e.msgctxt, e.empty_forms, e.missing_forms) for e in fast] == [
        ("ui:1", (0,), ()), ("ui:1", (), ()), ("ui:2", (), (2,)), ("ui:2", (), ()), ("ui:4", (), ()),
        ("ui:4", (), ()), ("ui:4", (), ())]
    # annotated on the empty msgstr[0] (line 11), and for a missing form on the last form there is
    # (msgstr[1], line 19), after which it goes; not on the first translated form
    lines = {f["msgctxt"]: (f["msgstr_line"], f["msgstr_end_line"]) for f in json.loads(result.stdout)["findings"]
             if f["check_id"] == "untranslated"}
    assert lines == {"ui:1": (11, 11), "ui:2": (19, 19)}
    text = path.read_text(encoding="utf-8").splitlines()
    assert (text[10], text[18]) == ('msgstr[0] ""', 'msgstr[1] "Дня"')


def run_process(args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "tolmach", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_exit_codes_as_a_process(tmp_path):
    clean = write_po(tmp_path / "clean.po", CLEAN)
    broken = write_po(tmp_path / "broken.po", [BROKEN_NUMBER])
    (tmp_path / "bad.po").write_text('msgid ""\nmsgstr ""\n\nmsgid "a\nmsgstr "b"\n', encoding="utf-8")
    assert run_process(["check", clean], tmp_path).returncode == 0
    assert run_process(["check", broken], tmp_path).returncode == 1
    proc = run_process(["check", "bad.po"], tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "bad.po:4" in proc.stderr and "Traceback" not in proc.stderr


def _mixed_project(tmp_path):
    write_po(tmp_path / "locales/ru/a.po", [*CLEAN, BROKEN_NUMBER, NO_FULL_STOP])
    write_po(tmp_path / "locales/ru/b.po", CLEAN)
    return tmp_path / "locales"


def test_json_format(tmp_path):
    locales = _mixed_project(tmp_path)
    result = cli(locales, "--format", "json", cwd=tmp_path)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["summary"]["errors"] == 1 and data["summary"]["warnings"] == 1 and data["summary"]["files"] == 2
    (number,) = [f for f in data["findings"] if f["check_id"] == "numbers"]
    assert number["severity"] == "error" and number["line"] > 0 and number["msgctxt"] == "body-2"
    assert number["expected"] == "1,500" and number["found"] == "1 600"


def test_junit_format(tmp_path):
    locales = _mixed_project(tmp_path)
    result = cli(locales, "--format", "junit", cwd=tmp_path)
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites" and root.get("failures") == "1"
    suites = root.findall("testsuite")
    assert len(suites) == 2
    failures = root.findall(".//failure")
    assert len(failures) == 1 and failures[0].get("type") == "error"
    strict = ET.fromstring(cli(locales, "--format", "junit", "--strict", cwd=tmp_path).stdout)
    assert len(strict.findall(".//failure")) == 2


def test_sarif_format(tmp_path):
    locales = _mixed_project(tmp_path)
    data = json.loads(cli(locales, "--format", "sarif", cwd=tmp_path).stdout)
    assert data["version"] == "2.1.0" and "sarif" in data["$schema"]
    (run,) = data["runs"]
    assert run["tool"]["driver"]["name"] == "tolmach"
    rules = run["tool"]["driver"]["rules"]
    assert QA_IDS <= {r["id"] for r in rules}
    levels = sorted(r["level"] for r in run["results"])
    assert levels == ["error", "warning"]
    for r in run["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"].endswith("a.po") and loc["region"]["startLine"] > 0
        assert r["message"]["text"]


def test_github_format(tmp_path):
    locales = _mixed_project(tmp_path)
    lines = cli(locales, "--format", "github", cwd=tmp_path).stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("::") and "file=" in lines[0] and ",line=" in lines[0] and ",title=tolmach " in lines[0]
    kinds = sorted(line.split(" ", 1)[0] for line in lines)
    assert kinds == ["::error", "::warning"]


def test_output_file(tmp_path):
    locales = _mixed_project(tmp_path)
    result = cli(locales, "--format", "sarif", "-o", "out.sarif", cwd=tmp_path)
    assert result.exit_code == 1
    assert json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_text_format_clean(tmp_path):
    clean = write_po(tmp_path / "clean.po", CLEAN)
    result = cli(clean, cwd=tmp_path)
    assert result.stdout.strip() == "No problems found: 2 entries in 1 file checked."


def test_text_format_keeps_each_finding_on_its_lines_whatever_the_texts_hold(tmp_path):
    """A msgctxt "body:1\\nnewline" printed "msgctxt: body:1" and then a bare line "newline | …",
    which a log parser or problem matcher reads as a record of its own. Every control character of
    what the text report prints (file name, message, msgctxt, found...) is written visibly now."""
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru", "X-Source-Language": "en"}
    po.append(polib.POEntry(msgctxt="body:1\nnewline", msgid=BROKEN_NUMBER[0], msgstr=BROKEN_NUMBER[1]))
    po.append(polib.POEntry(msgctxt="body:2\u2028x", msgid="The talks failed\x1b.", msgstr="The talks failed\x1b."))
    path = tmp_path / "new\nline.po"
    po.save(str(path))
    assert [e.msgctxt for e in polib.pofile(str(path))] == ["body:1\nnewline", "body:2\u2028x"]
    result = cli(path.name, "--no-glossary", "--no-cache", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "new\\nline.po:8: error [numbers] number 1,500 of the source is missing from the target (target has 1 600)",
        "    msgctxt: body:1\\nnewline | expected: 1,500 | found: 1 600",
        "new\\nline.po:14: warning [untranslated] the target is a copy of the source",
        "    msgctxt: body:2\\u2028x | found: The talks failed\\x1b.",
        "1 error, 1 warning in 2 entries (1 file).",
    ]


def test_list_checks(tmp_path):
    result = cli("--list-checks", cwd=tmp_path)
    assert result.exit_code == 0
    for check_id in QA_IDS:
        assert check_id in result.output


def test_fuzzy_option(tmp_path):
    path = write_po(tmp_path / "a.po", [*CLEAN, BROKEN_NUMBER], fuzzy={2})
    assert cli(path, cwd=tmp_path).exit_code == 0
    assert cli(path, "--fuzzy", cwd=tmp_path).exit_code == 1


def test_every_format_renders_an_empty_result(tmp_path):
    result = runner.CheckResult(findings=[], files=[], entries=0, checks=[])
    for fmt in report.FORMATS:
        report.render(result, fmt)


# --- the glossary check, where it is installed ---------------------------------------------------


def test_with_glossary(tmp_path):
    pytest.importorskip("tolmach.checks.glossary")
    glossary = tmp_path / "glossaries" / "terms.csv"
    glossary.parent.mkdir()
    glossary.write_text(
        "source,target,kind,note,forbidden,alternatives,case_sensitive,dnt\n"
        "Kremlin,Кремль,organisation,,,,,\n"
        "Reuters,Reuters,organisation,,,,yes,yes\n",
        encoding="utf-8",
    )
    path = write_po(
        tmp_path / "locales/a.po",
        [("The Kremlin said so, Reuters reported.", "Так заявили в Кремле, сообщило Reuters."),
         ("The Kremlin said so.", "Так заявили в Белом доме.")],
    )
    result = runner.check_paths([path], config=empty_config(tmp_path))  # glossaries/ found by convention
    assert "glossary" in {c.id for c in result.checks}
    assert _ids(result) == ["glossary"]
    assert [f.line for f in result.findings] == [polib.pofile(str(path))[1].linenum]
    assert cli(path, "--glossary", glossary, cwd=tmp_path).exit_code == 1
    assert cli(path, "--no-glossary", cwd=tmp_path).exit_code == 0
    assert cli(path, "--disable", "glossary", cwd=tmp_path).exit_code == 0


# --------------------------------------------------------------------------------------------------
# a project with the seed glossary (several files, every kind of finding)

SEED_GLOSSARY = Path(__file__).resolve().parents[1] / "glossaries"
GLOSSARY_PAIRS = [
    ("The Kremlin said NATO had moved troops.", "Кремлин заявил, что Нато перебросило войска."),
    ("Komsomolskaya Pravda wrote about Central Asia.", "«Комсомольская правда» написала о Средней Азии."),
    ("The Taliban control Afghanistan.", "Талибы контролируют Афганистан."),
    ("The Taliban said no.", "«Талибан» ответил отказом."),
]


def _project(root: Path, files: int, *, broken: bool = False) -> Path:
    for f in range(files):
        pairs = [*CLEAN, *GLOSSARY_PAIRS, BROKEN_NUMBER, STRAIGHT_QUOTES]
        write_po(root / "locales" / f"a{f:02d}.po", pairs, flags={1: ["no-numbers-check"]})
    if broken:
        (root / "locales" / "zz.po").write_text('msgid "x"\nmsgstr "y\n', encoding="utf-8")
    return root / "locales"


# --------------------------------------------------------------------------------------------------
# results kept between runs (tolmach.checks.cache): reused only while nothing they depend on changed


def _check(tmp_path: Path, glossary: Path, config: Config | None = None, **kw) -> runner.CheckResult:
    old = os.getcwd()
    try:
        os.chdir(tmp_path)
        return runner.check_paths(["locales"], glossary=[glossary], config=config or empty_config(tmp_path), **kw)
    finally:
        os.chdir(old)


def _summary(result: runner.CheckResult):
    return [(f.check_id, f.path, f.line, f.message) for f in result.findings], result.entries


def test_cached_results_are_the_results(tmp_path, monkeypatch):
    monkeypatch.setenv("TOLMACH_CACHE_DIR", str(tmp_path / "cache"))
    _project(tmp_path, 3)
    g = tmp_path / "g.csv"
    g.write_bytes((SEED_GLOSSARY / "news.en-ru.csv").read_bytes())
    fresh = _check(tmp_path, g, cache=False)
    first, second = _check(tmp_path, g), _check(tmp_path, g)
    assert list((tmp_path / "cache").iterdir())  # the second run read what the first wrote
    assert _summary(first) == _summary(second) == _summary(fresh)
    assert {"glossary", "glossary-consistency", "quotes"} <= {f.check_id for f in second.findings}


def test_a_glossary_config_or_po_edit_is_never_answered_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TOLMACH_CACHE_DIR", str(tmp_path / "cache"))
    locales = _project(tmp_path, 2)
    g = tmp_path / "g.csv"
    seed = (SEED_GLOSSARY / "news.en-ru.csv").read_text(encoding="utf-8")
    g.write_text(seed, encoding="utf-8")
    before = _check(tmp_path, g)
    assert not any("Афганистан" in f.message for f in before.findings)
    # the glossary: a new forbidden variant is reported at once
    g.write_text(seed.replace("Afghanistan,Афганистан,place,,,", "Afghanistan,Кабулистан,place,,Афганистан,"), encoding="utf-8")
    assert any("Афганистан" in f.message for f in _check(tmp_path, g).findings)
    g.write_text(seed, encoding="utf-8")
    assert _summary(_check(tmp_path, g)) == _summary(before)
    # the configuration: a check switched off, and a check's option
    off = Config(tmp_path, {"checks": {"disable": ["quotes"]}}, None)
    assert "quotes" not in {f.check_id for f in _check(tmp_path, g, off).findings}
    assert "quotes" in {f.check_id for f in _check(tmp_path, g).findings}
    # a PO file: its new content is checked, the other file's results and the consistency across both hold
    write_po(locales / "a01.po", [("The Taliban control Afghanistan.", "Талибы контролируют Афганистан."),
                                  BROKEN_NUMBER])  # fmt: skip
    after = _check(tmp_path, g)
    assert _summary(after) == _summary(_check(tmp_path, g, cache=False))
    assert [f.line for f in after.findings if f.path.endswith("a01.po") and f.check_id == "numbers"] != []


def test_a_glossary_saved_while_check_runs_never_leaves_its_old_results_under_its_new_content(tmp_path, monkeypatch):
    """The glossary is saved in the moment after it was loaded (a checkout, an editor): the run's
    results are those of the old glossary, so they must not be kept under the new one's hash.
    (The fingerprint read the glossary files a second time: a later run with the new glossary was
    answered from the cache with the old one's findings, "no problems" for a forbidden variant.)
    A profile hook makes the save at that moment."""
    import sys

    from tolmach.glossary import io as glossary_io

    monkeypatch.setenv("TOLMACH_CACHE_DIR", str(tmp_path / "cache"))
    write_po(tmp_path / "locales" / "a.po", [("The Taliban met.", "Талебан встретились.")])
    g = tmp_path / "g.csv"
    header = "source,target,kind,note,forbidden,alternatives,case_sensitive,dnt\n"
    g.write_text(header + "Taliban,«Талибан»,organisation,,,Талебан,,\n", encoding="utf-8")  # an alternative
    forbidden = header + "Taliban,«Талибан»,organisation,,Талебан,,,\n"
    saved = []

    def save_once_loaded(frame, event, arg):
        if event == "return" and frame.f_code is glossary_io.load_glossary.__code__ and not saved:
            saved.append(True)
            g.write_text(forbidden, encoding="utf-8")

    sys.setprofile(save_once_loaded)
    try:
        during = _check(tmp_path, g)
    finally:
        sys.setprofile(None)
    assert saved and not any(f.check_id == "glossary" for f in during.findings)  # the old glossary's answer
    after = _check(tmp_path, g)
    assert _summary(after) == _summary(_check(tmp_path, g, cache=False))
    assert any("forbidden variant" in f.message for f in after.findings)


def test_a_glossary_named_by_another_path_is_never_answered_from_the_cache(tmp_path, monkeypatch):
    """The same glossary named as ``glossaries`` in one run and by its absolute path in the next:
    the files answered from the cache named its terms by the old path, the file checked again by
    the new one, so finish() saw two different terms and the consistency warning went missing (a
    --strict gate passed), and a finding's ``glossary`` location was the old path's."""
    monkeypatch.setenv("TOLMACH_CACHE_DIR", str(tmp_path / "cache"))
    header = "source,target,kind,note,forbidden,alternatives,case_sensitive,dnt\n"
    (tmp_path / "glossaries").mkdir()
    (tmp_path / "glossaries" / "g.csv").write_text(header + "Taliban,«Талибан»,organisation,,,талибы,,\n", encoding="utf-8")
    write_po(tmp_path / "locales" / "a.po", [("The Taliban attacked.", "«Талибан» атаковал."),
                                             ("The Taliban retreated.", "«Талибан» отступил."),
                                             ("The Taliban met.", "Талебан встретились.")])  # fmt: skip
    b = write_po(tmp_path / "locales" / "b.po", [("The Taliban won.", "Талибы проиграли.")])
    _check(tmp_path, Path("glossaries"))
    write_po(b, [("The Taliban won.", "Талибы победили.")])
    cached = _check(tmp_path, tmp_path / "glossaries")
    fresh = _check(tmp_path, tmp_path / "glossaries", cache=False)
    assert "glossary-consistency" in {f.check_id for f in fresh.findings}
    assert [(f.check_id, f.path, f.line, f.message, f.extra) for f in cached.findings] == [
        (f.check_id, f.path, f.line, f.message, f.extra) for f in fresh.findings]
    assert str(tmp_path) in next(f.extra["glossary"] for f in cached.findings if f.check_id == "glossary")


def test_a_damaged_cache_file_is_ignored(tmp_path, monkeypatch):
    """A cache file whose pickle is damaged so that reading it raises OverflowError or MemoryError
    (not UnpicklingError) crashed the run with a traceback and exit code 1, the code of "violations"."""
    monkeypatch.setenv("TOLMACH_CACHE_DIR", str(tmp_path / "cache"))
    _project(tmp_path, 1)
    g = tmp_path / "g.csv"
    g.write_bytes((SEED_GLOSSARY / "news.en-ru.csv").read_bytes())
    fresh = _summary(_check(tmp_path, g, cache=False))
    _check(tmp_path, g)
    (cache_file,) = (tmp_path / "cache").iterdir()
    for damaged in (b"\x80\x05\x8e\xff\xff\xff\xff\xff\xff\xff\xff", b"\x80\x05\x8e" + (2**45).to_bytes(8, "little")):
        cache_file.write_bytes(damaged)
        assert _summary(_check(tmp_path, g)) == fresh
        assert _summary(_check(tmp_path, g)) == fresh  # and the file written anew is read back


def test_a_crafted_cache_file_is_never_run(tmp_path, monkeypatch):
    """A pickle that names a callable runs it as it is read: a cache restored from a shared CI store
    could run anything (the file below wrote a file through os.system)."""
    monkeypatch.setenv("TOLMACH_CACHE_DIR", str(tmp_path / "cache"))
    _project(tmp_path, 1)
    g = tmp_path / "g.csv"
    g.write_bytes((SEED_GLOSSARY / "news.en-ru.csv").read_bytes())
    fresh = _summary(_check(tmp_path, g, cache=False))
    _check(tmp_path, g)
    (cache_file,) = (tmp_path / "cache").iterdir()
    marker = tmp_path / "pwned"
    cache_file.write_bytes(b'cos\nsystem\n(S"touch ' + str(marker).encode() + b'"\ntR.')
    assert _summary(_check(tmp_path, g)) == fresh
    assert not marker.exists()
    assert _summary(_check(tmp_path, g)) == fresh  # the file Tolmach wrote instead reads back


def test_a_check_across_entries_without_file_state_is_never_cached(tmp_path, monkeypatch):
    from tolmach.checks.base import Check
    from tolmach.checks.cache import cacheable

    class Counting(Check):
        id = "counting"

        def check(self, entry):
            return ()

        def finish(self):
            return ()

    assert cacheable([qa.NumbersCheck()]) and not cacheable([Counting()])


def test_a_plug_in_check_edit_changes_the_fingerprint(tmp_path, monkeypatch):
    import importlib

    from tolmach.checks.cache import fingerprint

    pkg = tmp_path / "myplugin"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "rules.py").write_text("WORDS = ['x']\n", encoding="utf-8")
    (pkg / "check.py").write_text(
        "from tolmach.checks.base import Check\nfrom .rules import WORDS\n\n"
        "class WordCheck(Check):\n    id = 'words'\n\n    def check(self, entry):\n        return ()\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    check = importlib.import_module("myplugin.check").WordCheck()
    before = fingerprint([check], [], {})
    assert fingerprint([check], [], {}) == before
    (pkg / "rules.py").write_text("WORDS = ['x', 'y']\n", encoding="utf-8")  # a helper module of the plug-in
    assert fingerprint([check], [], {}) != before
    assert fingerprint([check], [], {"disabled": ["quotes"]}) != fingerprint([check], [], {})


def test_a_same_size_code_edit_with_its_time_kept_changes_the_fingerprint(tmp_path, monkeypatch):
    """The code was fingerprinted by each file's size and modification time: an edit of the same
    size whose time is kept (a checkout, rsync -t, tar, SOURCE_DATE_EPOCH builds) kept the old
    code's results. It is fingerprinted by content now."""
    import importlib

    from tolmach.checks.cache import fingerprint

    pkg = tmp_path / "sameplugin"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    rules = pkg / "rules.py"
    rules.write_text("WORDS = ['x']\n", encoding="utf-8")
    (pkg / "check.py").write_text(
        "from tolmach.checks.base import Check\nfrom .rules import WORDS\n\n"
        "class WordCheck(Check):\n    id = 'words'\n\n    def check(self, entry):\n        return ()\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    check = importlib.import_module("sameplugin.check").WordCheck()
    before = fingerprint([check], [], {})
    st = rules.stat()
    rules.write_text("WORDS = ['y']\n", encoding="utf-8")
    os.utime(rules, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert rules.stat().st_size == st.st_size and rules.stat().st_mtime_ns == st.st_mtime_ns
    assert fingerprint([check], [], {}) != before
    rules.write_text("WORDS = ['x']\n", encoding="utf-8")  # the same bytes again, at another time
    os.utime(rules, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert fingerprint([check], [], {}) == before


def test_a_cache_restored_over_a_fresh_checkout_is_used(tmp_path):
    """The CI recipe in the README: the cache folder is restored, Tolmach is checked out and
    installed afresh, so every module has a new modification time. The code was fingerprinted by
    those times: the restored results were never used. Two copies of Tolmach's source with
    different times, each run as its own process on one project with one cache folder: the second
    reads what the first wrote and leaves the cache file as it was (a run that checked any file
    again writes it anew). A same-size edit of a copy whose time is kept is a new fingerprint."""
    import tolmach

    source = Path(tolmach.__file__).resolve().parent
    copies = []
    for n, when in enumerate((1_600_000_000, 1_700_000_000)):
        copy = tmp_path / f"checkout{n}" / "tolmach"
        shutil.copytree(source, copy, copy_function=shutil.copy, ignore=shutil.ignore_patterns("__pycache__"))
        for p in copy.rglob("*"):
            os.utime(p, (when, when))
        copies.append(copy.parent)
    project = tmp_path / "project"
    _project(project, 2)
    shutil.copytree(SEED_GLOSSARY, project / "glossaries")
    cache = tmp_path / "cache"

    def run(checkout):
        env = {**os.environ, "PYTHONPATH": str(checkout), "TOLMACH_CACHE_DIR": str(cache)}
        out = subprocess.run([sys.executable, "-m", "tolmach", "check", "locales", "--glossary", "glossaries"],
                             cwd=project, env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
        assert out.returncode == 1, out.stderr
        (cache_file,) = cache.iterdir()
        st = cache_file.stat()
        return out.stdout, (st.st_ino, st.st_mtime_ns, cache_file.read_bytes())

    first, written = run(copies[0])
    assert "glossary" in first
    again, kept = run(copies[1])
    assert again == first and kept == written  # every result from the cache: nothing to write
    module = copies[1] / "tolmach" / "checks" / "cache.py"
    st = module.stat()
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace('"""The check results', '"""the check results', 1), encoding="utf-8")
    os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert module.stat().st_size == st.st_size
    edited, rewritten = run(copies[1])
    assert edited == first and rewritten[:2] != written[:2]


def test_every_library_the_checks_run_is_in_the_fingerprint(tmp_path):
    """Findings depend on the code of every library the checks call: a Markdown or HTML unit is
    taken apart by markdown-it-py (and its plug-ins and mdurl) or lxml, pymorphy3 reads its
    dictionary through DAWG2-Python. Only pymorphy3, its dictionary, rapidfuzz and polib were in the
    fingerprint: an upgraded markdown-it-py kept the results of the old one. A run that reaches
    every reader (Markdown, HTML, plain units, a plural entry, a file only polib reads) with the seed
    glossary, in a process of its own: each distribution it imports is one of cache.LIBRARIES."""
    from tolmach.checks.cache import LIBRARIES

    comments = {0: "tolmach: format markdown", 1: "tolmach: format html"}
    pairs = [("The **Taliban** said [no](https://example.org/a_b) on 1,000 days.",
              "**Талебан** сказал [нет](https://example.org/a_b) 1 000 дней."),
             ("<b>Kim Jong Un</b> met the <i>Taliban</i>.", "<b>Ким Чен Ыну</b> встретил <i>Талебан</i>."),
             *GLOSSARY_PAIRS]  # fmt: skip
    write_po(tmp_path / "locales" / "a.po", pairs, comments=comments)
    polib_read = write_po(tmp_path / "locales" / "b.po", pairs, comments=comments)
    with polib_read.open("a", encoding="utf-8") as fh:
        fh.write("\n#.\n")  # a bare comment mark after the last entry: the fast reader hands it to polib
    assert poread.read_entries(polib_read) is None
    script = (
        "import json, sys\n"
        "before = set(sys.modules)\n"
        "from pathlib import Path\n"
        "from importlib.metadata import packages_distributions\n"
        "from tolmach.checks import runner\n"
        "from tolmach.config import Config\n"
        f"r = runner.check_paths(['locales'], glossary=[{str(SEED_GLOSSARY)!r}], config=Config(Path.cwd(), {{}}, None), cache=False)\n"
        "names = packages_distributions()\n"
        "used = {d for m in set(sys.modules) - before for d in names.get(m.split('.')[0], [])}\n"
        "print(json.dumps([sorted({f.check_id for f in r.findings}), sorted(used)]))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    found, used = json.loads(out.stdout)
    assert {"glossary", "glossary-consistency"} <= set(found)
    used = set(used) - {"tolmach"}

    def norm(name):
        return name.lower().replace("_", "-")

    assert {"markdown-it-py", "lxml", "rapidfuzz", "pymorphy3", "polib"} <= {norm(d) for d in used}
    assert {norm(d) for d in used} <= {norm(d) for d in LIBRARIES}


def test_another_library_version_or_dictionary_changes_the_fingerprint(tmp_path, monkeypatch):
    """A newer markdown-it-py (its metadata found first on the path, as an upgrade installs it), or
    pymorphy3 told by PYMORPHY2_DICT_PATH to read another dictionary, gives another fingerprint."""
    from tolmach.checks.cache import fingerprint

    checks = runner.build_checks()
    before = fingerprint(checks, [], {})
    dist = tmp_path / "site" / "markdown_it_py-99.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: markdown-it-py\nVersion: 99.0\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    upgraded = fingerprint(checks, [], {})
    assert upgraded != before
    dictionary = tmp_path / "dict"
    dictionary.mkdir()
    (dictionary / "meta.json").write_text('[["source_revision", "1"]]', encoding="utf-8")
    monkeypatch.setenv("PYMORPHY2_DICT_PATH", str(dictionary))
    other = fingerprint(checks, [], {})
    assert other != upgraded and fingerprint(checks, [], {}) == other
    (dictionary / "meta.json").write_text('[["source_revision", "2"]]', encoding="utf-8")  # recompiled in place
    assert fingerprint(checks, [], {}) != other


class PluginFinding(runner.Finding):  # a plug-in's own kind of finding (module level: pickled by name)
    pass


def test_the_cache_packs_entries_and_findings_and_leaves_everything_else_as_it_is():
    """Lists of exactly CheckEntry or Finding travel as tuples of fields (cheaper to pickle); a
    plug-in's Finding subclass, a mixed list and a check's own state come back as they were."""
    import pickle

    from tolmach.checks.base import CheckEntry, Finding
    from tolmach.checks.cache import _pack, _unpack

    entry = CheckEntry("a.po", 3, None, "Hello.", "Привет.", "en", "ru", flags=("fuzzy",), comments=("x",))
    finding = Finding("numbers", "error", "m", "a.po", 3, extra={"k": [1]}, msgstr_line=5)
    plugin = PluginFinding("mine", "warning", "m", "a.po", 3)
    state = [("e", "looks like a tag"), ("f", 1)]
    result = (1, [finding, finding], {("a.po", 3): frozenset({"x"})}, [state], 0, [entry], [finding, plugin], [])
    back = _unpack(pickle.loads(pickle.dumps(_pack(result))))
    assert back == result
    assert type(back[6][1]) is PluginFinding and back[3] == [state]
    assert all(type(x) is CheckEntry for x in back[5]) and back[1][0].extra == {"k": [1]}
    # rebuilt without __init__ (one __dict__ update): the same fields, hash and frozenness
    import dataclasses

    assert back[5][0].__dict__ == entry.__dict__ and hash(back[5][0]) == hash(entry)
    assert back[1][0].__dict__ == finding.__dict__ and back[1][0].target_lines() == (5, 5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        back[5][0].target = "changed"


def test_check_help_recommends_the_skip_comment_that_survives_msgmerge():
    """`check --help` recommended a `#. tolmach: skip-check` comment, which msgmerge drops (it
    takes `#.` comments from the template); the README recommends the translator comment."""
    from helpers import tolmach

    text = tolmach("check", "--help").output
    assert "`# tolmach: skip-check ID[, ID...]` translator comment" in text
    assert "`#. tolmach: skip-check" not in text


def test_check_parameters_as_inspect_gives_them():
    """The runner's shortcut for a check class that takes nothing gives what inspect.signature gives,
    and leaves every other class (own __init__ or __new__, a metaclass with __call__, __signature__)
    to inspect."""
    import inspect

    from tolmach.checks.base import Check
    from tolmach.checks.runner import _parameters

    class Meta(type):
        def __call__(cls, *args, **kw):
            return super().__call__(*args, **kw)

    class Plain(Check):
        id = "plain"

    class OwnInit(Check):
        def __init__(self, level: int = 1):
            self.level = level

    class OwnNew(Check):
        def __new__(cls, threshold):
            return object.__new__(cls)

    class Called(Check, metaclass=Meta):
        pass

    class Signed(Check):
        __signature__ = inspect.Signature([inspect.Parameter("x", inspect.Parameter.KEYWORD_ONLY)])

    for cls in (Plain, OwnInit, OwnNew, Called, Signed):
        assert dict(_parameters(cls)) == dict(inspect.signature(cls).parameters), cls
    assert dict(_parameters(Plain)) == {}
    assert list(_parameters(Signed)) == ["x"]
