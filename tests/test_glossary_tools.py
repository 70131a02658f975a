"""Glossary lint, TBX export/import, the inflected-forms export and the CLI."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tolmach.cli import main
from tolmach.glossary import COLUMNS, load_glossary
from tolmach.glossary.forms import forms_tsv, inflected_forms
from tolmach.glossary.lint import lint_paths
from tolmach.glossary.tbx import import_tbx, terms_to_tbx

SEED = Path(__file__).resolve().parents[1] / "glossaries" / "news.en-ru.csv"
HEADER = ",".join(COLUMNS) + "\n"


def write(tmp_path, rows: str, name="g.csv") -> Path:
    f = tmp_path / name
    f.write_text(HEADER + rows, encoding="utf-8")
    return f


def codes(findings):
    return sorted((f.code, f.severity, f.line) for f in findings)


def test_seed_glossary_is_clean():
    assert lint_paths(SEED) == []


def test_lint_findings(tmp_path):
    f = write(
        tmp_path,
        "Kremlin,Кремль,organisation,,,,,\n"  # 2
        "kremlin,Кремль,organisation,,,,,\n"  # 3 duplicate
        "KREMLIN,Кремлёвский дворец,organisation,,,,,\n"  # 4 conflict
        "NATO,НATO,organisation,,,,yes,\n"  # 5 mixed Latin/Cyrillic
        "Pravda,правды,organisation,,,,,\n"  # 6 not nominative
        "Komsomolskaya Pravda,Комсомольская правды,organisation,,,,,\n"  # 7 no agreement
        "Scaparrotti,Скапаротти,person,,Скапаротти,,,\n"  # 8 forbidden = target
        "Curtis Scaparrotti,Кертис Скапарротти,person,,,,,\n"  # 9 overlap: does not contain Скапаротти
        "The Moscow Times,Москоу Таймс,organisation,,,,,yes\n"  # 10 dnt target differs
        "armed forces,вооружённые сылы,term,,,,,\n"  # 11 unknown word
        "broken,row\n"  # 12 malformed
        "Central Asia,Центральная Азия,place,,,,,\n",
    )
    found = lint_paths(f)
    assert codes(found) == [
        ("conflict", "error", 4), ("conflict", "error", 8), ("dnt", "warning", 10), ("duplicate", "warning", 3),
        ("malformed", "error", 12), ("not-russian", "error", 5), ("not-russian", "error", 5),
        ("not-russian", "error", 6), ("not-russian", "error", 7), ("overlap", "warning", 9),
        ("unknown-word", "warning", 11),
    ]  # fmt: skip
    assert all(x.path == str(f) for x in found)


def test_lint_overlap_with_forbidden_variant(tmp_path):
    f = write(tmp_path, "Scaparrotti,Скапаротти,person,,Скапарротти,,,\nCurtis Scaparrotti,Кертис Скапарротти,person,,,,,\n")
    (finding,) = lint_paths(f)
    assert (finding.code, finding.severity, finding.line) == ("overlap", "error", 3)
    assert "forbids" in finding.message


def test_tbx_round_trip(tmp_path):
    terms = load_glossary(SEED).terms
    data = terms_to_tbx(terms)
    assert b"deprecatedTerm-admn-sts" in data and b"admittedTerm-admn-sts" in data
    out = tmp_path / "g.tbx"
    out.write_bytes(data)
    back = import_tbx(out)
    strip = lambda t: dataclasses.replace(t, path="", line=0)  # noqa: E731
    assert [strip(t) for t in back] == [strip(t) for t in terms]


def test_tbx_import_errors(tmp_path):
    bad = tmp_path / "bad.tbx"
    bad.write_text("<martif><text><body><termEntry>", encoding="utf-8")
    from tolmach.errors import TolmachError

    with pytest.raises(TolmachError, match="not a TBX file"):
        import_tbx(bad)


def test_inflected_forms():
    g = load_glossary(SEED)
    kp = next(t for t in g if t.source == "Komsomolskaya Pravda")
    forms = inflected_forms(g, kp)
    assert forms[0] == "«Комсомольская правда»"
    for form in ["«Комсомольской правды»", "Комсомольской правде", "«Комсомольскую правду»", "Комсомольской правдой"]:
        assert form in forms
    curtis = next(t for t in g if t.source == "Curtis Scaparrotti")
    assert inflected_forms(g, curtis) == [
        "Кертис Скапаротти", "Кертиса Скапаротти", "Кертису Скапаротти", "Кертисом Скапаротти", "Кертисе Скапаротти"
    ]  # fmt: skip
    agha = next(t for t in g if t.source == "Syed Mohammad Akbar Agha")
    assert "Саида Мохаммада Акбара Аги" in inflected_forms(g, agha)
    assert inflected_forms(g, next(t for t in g if t.source == "NATO")) == ["НАТО"]
    tsv = forms_tsv(g).splitlines()
    assert "Kremlin\tКремлём" in tsv or "Kremlin\tКремлем" in tsv
    assert "Кремля\tKremlin" in forms_tsv(g, "ru-en").splitlines()


# --- CLI ---------------------------------------------------------------------------------------


def test_cli_lint(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["glossary", "lint", str(SEED)])
    assert ok.exit_code == 0, ok.output
    bad = write(tmp_path, "Pravda,правды,organisation,,,,,\n")
    res = runner.invoke(main, ["glossary", "lint", str(bad)])
    assert res.exit_code == 1
    assert f"{bad}:2: error:" in res.output and "[not-russian]" in res.output
    res = runner.invoke(main, ["glossary", "lint", "--format", "json", str(bad)])
    assert res.exit_code == 1 and json.loads(res.stdout)[0]["code"] == "not-russian"
    res = runner.invoke(main, ["glossary", "lint", str(tmp_path / "missing.csv")])
    assert res.exit_code == 2 and "no such glossary" in res.output


def test_cli_export_import(tmp_path):
    runner = CliRunner()
    tbx, forms, csv_out = tmp_path / "g.tbx", tmp_path / "forms.tsv", tmp_path / "back.csv"
    res = runner.invoke(main, ["glossary", "export", str(SEED), "--tbx", str(tbx), "--forms", str(forms)])
    assert res.exit_code == 0, res.output
    assert tbx.read_bytes().startswith(b"<?xml") and "Curtis Scaparrotti\tКертиса Скапаротти" in forms.read_text("utf-8")
    res = runner.invoke(main, ["glossary", "import", "--tbx", str(tbx), "-o", str(csv_out)])
    assert res.exit_code == 0, res.output
    assert [t.target for t in load_glossary(csv_out)] == [t.target for t in load_glossary(SEED)]
    res = runner.invoke(main, ["glossary", "import", "--tbx", str(tbx), "-o", str(csv_out)])
    assert res.exit_code == 2 and "--force" in res.output
    res = runner.invoke(main, ["glossary", "export", str(SEED)])
    assert res.exit_code == 2 and "nothing to export" in res.output


def test_cli_find():
    res = CliRunner().invoke(main, ["glossary", "find", "-g", str(SEED), "General Scaparrotti told NATO's chief"])
    assert res.exit_code == 0
    assert "Scaparrotti = Скапаротти" in res.output and "NATO's" in res.output


def test_cli_summaries_say_one_term(tmp_path):
    # regression: "wrote 1 terms to one.tbx" (export and import)
    one = tmp_path / "one.csv"
    one.write_text("source,target,kind\nKremlin,Кремль,organisation\n", encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(main, ["glossary", "export", str(one), "--tbx", str(tmp_path / "one.tbx")])
    assert res.exit_code == 0 and "wrote 1 term to" in res.output, res.output
    res = runner.invoke(main, ["glossary", "import", "--tbx", str(tmp_path / "one.tbx"), "-o", str(tmp_path / "back.csv")])
    assert res.exit_code == 0 and "wrote 1 term to" in res.output, res.output


def _tbx(tmp_path, entries: str) -> Path:
    path = tmp_path / "in.tbx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX" xml:lang="en"><martifHeader><fileDesc>'
        "<sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader><text><body>\n" + entries + "</body></text></martif>\n",
        encoding="utf-8")
    return path


def _tig(text: str, status: str = "") -> str:
    note = f'<termNote type="administrativeStatus">{status}</termNote>' if status else ""
    return f"<tig><term>{text}</term>{note}</tig>"


def test_tbx_import_takes_the_preferred_term_every_english_term_and_reports_what_it_left(tmp_path):
    """Regressions (sweep 7): the first Russian term became the target though another was marked
    preferred; an English synonym (Kiev beside Kyiv) was dropped; an entry in <ntig> was left out
    without a word; a hashtag term (#MeToo) was written as a CSV comment row and lost on reading."""
    tbx = _tbx(tmp_path, (
        '<termEntry id="a"><langSet xml:lang="en">' + _tig("Kyiv") + _tig("Kiev") + _tig("Kieff", "deprecatedTerm-admn-sts")
        + '</langSet><langSet xml:lang="ru">' + _tig("Киев", "admittedTerm-admn-sts") + _tig("Кийв", "preferredTerm-admn-sts")
        + _tig("Кыйив", "deprecatedTerm-admn-sts") + "</langSet></termEntry>\n"
        '<termEntry id="b"><langSet xml:lang="en"><ntig><termGrp><term>Duma</term></termGrp></ntig></langSet>'
        '<langSet xml:lang="ru"><ntig><termGrp><term>Дума</term></termGrp></ntig></langSet></termEntry>\n'
        '<termEntry id="c"><langSet xml:lang="en">' + _tig("#MeToo") + '</langSet><langSet xml:lang="ru">'
        + _tig("#MeToo") + "</langSet></termEntry>\n"))
    out = tmp_path / "out.csv"
    res = CliRunner().invoke(main, ["glossary", "import", "--tbx", str(tbx), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "wrote 3 terms" in res.output and "left out 1 entry without an English and a Russian term (line 4)" in res.output
    terms = load_glossary(out).terms
    assert [(t.source, t.target, t.alternatives, t.forbidden) for t in terms] == [
        ("Kyiv", "Кийв", ("Киев",), ("Кыйив",)), ("Kiev", "Кийв", ("Киев",), ("Кыйив",)), ("#MeToo", "#MeToo", (), ())]


def test_a_variant_holding_the_list_separator_is_refused_not_split(tmp_path):
    tbx = _tbx(tmp_path, '<termEntry id="a"><langSet xml:lang="en">' + _tig("Pipe") + '</langSet><langSet xml:lang="ru">'
               + _tig("Труба") + _tig("Труба|Термин") + "</langSet></termEntry>\n")
    out = tmp_path / "out.csv"
    res = CliRunner().invoke(main, ["glossary", "import", "--tbx", str(tbx), "-o", str(out)])
    assert res.exit_code == 2 and f"{tbx}:3: term 'Pipe': the variant 'Труба|Термин' holds '|'" in res.output, res.output
    assert not out.exists()


def test_comment_rows_stay_comments(tmp_path):
    f = tmp_path / "g.csv"
    f.write_text("source,target,kind\n# People\n#TODO: check, later\n#People,,\nKremlin,Кремль,organisation\n", encoding="utf-8")
    assert [t.source for t in load_glossary(f)] == ["Kremlin"]


def test_tbx_export_refuses_control_characters_instead_of_dropping_them(tmp_path):
    # regression (sweep 7): «Ду\x01ма» was exported as «Дума», the summary counting it as written
    g = tmp_path / "g.csv"
    g.write_text("source,target,kind\nDuma,Ду\x01ма,organisation\n", encoding="utf-8")
    out = tmp_path / "g.tbx"
    res = CliRunner().invoke(main, ["glossary", "export", str(g), "--tbx", str(out)])
    assert res.exit_code == 2 and f"{g}:2: term 'Duma' has control characters" in res.output, res.output
    assert not out.exists()
