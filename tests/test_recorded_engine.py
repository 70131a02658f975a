"""Bring your own MT (issue #9): `--engine recorded --recorded FILE` takes another system's output
through the same enforcement, checks and PO review, end to end through the CLI."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import polib
import pytest

from helpers import assert_one_line_error, assert_valid_po, tolmach, tolmach_process
from tolmach.engines.replay import load_recorded
from tolmach.errors import TolmachError
from tolmach.notes import GLOSSARY, read_notes

GLOSSARIES = Path(__file__).resolve().parents[1] / "glossaries"

ARTICLE = """Taliban seek ties with Russia

Senior Taliban leader Syed Mohammad Akbar Agha told Russia's Komsomolskaya Pravda newspaper this year that the Islamist group were seeking closer ties with Russia in order to rid Afghanistan of the "U.S. threat."

The Kremlin has denied the reports. NATO officials said nothing.
"""
TITLE = "Taliban seek ties with Russia"
AGHA = ARTICLE.split("\n\n")[1]
KREMLIN = "The Kremlin has denied the reports."
NATO = "NATO officials said nothing."
OUTPUTS = {
    TITLE: "«Талибан» ищет связей с Россией",
    # the trained bench model's output: the name is garbled beyond a safe repair
    AGHA: 'Высокопоставленный лидер Талибан Самид Мохаммад Агбах сообщил "Ъ" в этом году, что исламистская '
          "группа, стремясь к переговорам с Россией в Афганистане, чтобы заставить с Россией.",
    KREMLIN: "Кремль опроверг эти сообщения.",
    NATO: "Представители Нато ничего не сказали.",  # wrong letter case: enforcement writes НАТО
}


def write_tsv(path: Path, pairs: dict, header: bool = True) -> Path:
    lines = (["source\ttarget"] if header else []) + [f"{s}\t{t}" for s, t in pairs.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_jsonl(path: Path, pairs: dict) -> Path:
    path.write_text(
        "".join(json.dumps({"source": s, "target": t}, ensure_ascii=False) + "\n" for s, t in pairs.items()),
        encoding="utf-8",
    )
    return path


@pytest.fixture()
def project(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "story.txt").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def entries(po_path: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(po_path))}


def test_translate_article_with_recorded_tsv_then_check(project):
    tsv = write_tsv(project / "other-mt.tsv", OUTPUTS)
    res = tolmach("translate-article", "articles/story.txt", "--to", "ru", "-o", "drafts/",
                  "--engine", "recorded", "--recorded", tsv, "--glossary", GLOSSARIES, "--no-memory", cwd=project)
    assert res.exit_code == 0, res.output
    po_path = project / "locales/ru/LC_MESSAGES/story.po"
    assert_valid_po(po_path)
    found = entries(po_path)
    version = hashlib.sha256(tsv.read_bytes()).hexdigest()[:12]
    for entry in found.values():
        assert entry.fuzzy
        assert read_notes(entry).machine.signature == f"recorded:other-mt.tsv@{version}|en->ru"
    # enforcement ran on the recorded output
    body = found[f"{KREMLIN} {NATO}"]
    assert body.msgstr == "Кремль опроверг эти сообщения. Представители НАТО ничего не сказали."
    assert any(a.startswith("enforced НАТО") for a in read_notes(body).annotated(GLOSSARY))
    # the garbled name is left as the other system wrote it, and named; never claimed as enforced
    agha = found[AGHA]
    assert agha.msgstr == OUTPUTS[AGHA]
    notes = read_notes(agha).annotated(GLOSSARY)
    assert not any(a.startswith("enforced") and "Саид" in a for a in notes)
    assert any("Саид Мохаммад Акбар Ага" in a for a in notes)
    # the draft was built
    assert (project / "drafts/story.ru.txt").read_text("utf-8").startswith(OUTPUTS[TITLE])

    # the reviewer's check: the name is flagged, the enforced entry passes
    check = tolmach("check", po_path, "--fuzzy", "--glossary", GLOSSARIES, "--format", "json", cwd=project)
    assert check.exit_code == 1, check.output
    report = json.loads(check.output)
    findings = [f for f in report["findings"] if f["check_id"] == "glossary"]
    assert {f["term"] for f in findings} == {"Syed Mohammad Akbar Agha", "Komsomolskaya Pravda"}
    assert all(f["msgctxt"] != body.msgctxt for f in findings)


def test_translate_with_recorded_jsonl_without_header(project):
    res = tolmach("extract", "articles/story.txt", cwd=project)
    assert res.exit_code == 0, res.output
    assert tolmach("init", "-l", "ru", cwd=project).exit_code == 0
    jsonl = write_jsonl(project / "mt.jsonl", OUTPUTS)
    po_path = project / "locales/ru/LC_MESSAGES/story.po"
    res = tolmach("translate", po_path, "--engine", "recorded", "--recorded", jsonl, "--no-glossary",
                  "--no-memory", cwd=project)
    assert res.exit_code == 0, res.output
    assert "filled 3 entries" in res.output
    found = entries(assert_valid_po(po_path) and po_path)
    assert found[TITLE].msgstr == OUTPUTS[TITLE]
    assert found[f"{KREMLIN} {NATO}"].msgstr == f"{OUTPUTS[KREMLIN]} {OUTPUTS[NATO]}"
    assert read_notes(found[TITLE]).machine.signature.startswith("recorded:mt.jsonl@")


def test_a_missing_sentence_is_an_error_naming_it_and_nothing_changes(project):
    assert tolmach("extract", "articles/story.txt", cwd=project).exit_code == 0
    assert tolmach("init", "-l", "ru", cwd=project).exit_code == 0
    po_path = project / "locales/ru/LC_MESSAGES/story.po"
    before = po_path.read_bytes()
    partial = {k: v for k, v in OUTPUTS.items() if k != KREMLIN}
    tsv = write_tsv(project / "mt.tsv", partial, header=False)
    proc = tolmach_process("translate", po_path, "--engine", "recorded", "--recorded", tsv, "--no-memory",
                           "--no-glossary", cwd=project)
    assert_one_line_error(proc, "mt.tsv", "no recorded output for 'The Kremlin has denied the reports.'",
                          "--recorded-missing skip")
    assert po_path.read_bytes() == before


def test_missing_sentences_can_be_left_untranslated(project):
    assert tolmach("extract", "articles/story.txt", cwd=project).exit_code == 0
    assert tolmach("init", "-l", "ru", cwd=project).exit_code == 0
    po_path = project / "locales/ru/LC_MESSAGES/story.po"
    partial = {k: v for k, v in OUTPUTS.items() if k != KREMLIN}
    tsv = write_tsv(project / "mt.tsv", partial)
    res = tolmach("translate", po_path, "--engine", "recorded", "--recorded", tsv, "--recorded-missing", "skip",
                  "--no-glossary", cwd=project)
    assert res.exit_code == 0, res.output
    assert "filled 2 entries" in res.output and "1 entry left untranslated (no recorded output)" in res.output
    found = entries(assert_valid_po(po_path) and po_path)
    body = found[f"{KREMLIN} {NATO}"]
    assert body.msgstr == "" and read_notes(body).machine is None  # not half a paragraph
    assert found[TITLE].msgstr == OUTPUTS[TITLE]
    # the file gets the missing line: a second run fills the entry (the missing one was never cached)
    write_tsv(tsv, OUTPUTS)
    res = tolmach("translate", po_path, "--engine", "recorded", "--recorded", tsv, "--no-glossary", cwd=project)
    assert res.exit_code == 0, res.output
    assert entries(po_path)[f"{KREMLIN} {NATO}"].msgstr == f"{OUTPUTS[KREMLIN]} {OUTPUTS[NATO]}"


def test_an_edited_file_is_a_new_version_and_bypasses_the_cache(project):
    assert tolmach("extract", "articles/story.txt", cwd=project).exit_code == 0
    assert tolmach("init", "-l", "ru", cwd=project).exit_code == 0
    po_path = project / "locales/ru/LC_MESSAGES/story.po"
    tsv = write_tsv(project / "mt.tsv", OUTPUTS)
    args = ("translate", po_path, "--engine", "recorded", "--recorded", tsv, "--no-glossary")
    assert tolmach(*args, cwd=project).exit_code == 0
    write_tsv(tsv, {**OUTPUTS, TITLE: "Талибы ищут связи с Россией"})
    res = tolmach(*args, "--retranslate-fuzzy", cwd=project)
    assert res.exit_code == 0, res.output
    assert entries(po_path)[TITLE].msgstr == "Талибы ищут связи с Россией"


@pytest.mark.parametrize(
    "name, content, needles",
    [
        ("three.tsv", "source\ttarget\nA.\tБ.\textra\n", ["three.tsv:2:", "expected 2 tab-separated columns", "found 3"]),
        ("one.tsv", "A.\tБ.\nno tab here\n", ["one.tsv:2:", "found 1"]),
        ("bad.jsonl", '{"source": "A.", "target": "Б."}\n{"source": "B.", \n', ["bad.jsonl:2:", "not valid JSON"]),
        ("keys.jsonl", '{"source": "A.", "translation": "Б."}\n', ["keys.jsonl:1:", '"source" and "target"']),
        ("twice.tsv", "A.\tБ.\nB.\tВ.\nA.\tГ.\n", ["twice.tsv:3:", "another target on line 1"]),
        ("empty.tsv", "\n\n", ["empty.tsv:", "no source/target pairs"]),
    ],
)
def test_malformed_recorded_files_are_one_line_errors(project, name, content, needles):
    path = project / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TolmachError) as err:
        load_recorded(path)
    for needle in needles:
        assert needle in str(err.value)
    # and through the CLI, before anything is written (translate-article extracts first otherwise)
    proc = tolmach_process("translate-article", "articles/story.txt", "--to", "ru",
                           "--engine", "recorded", "--recorded", path, cwd=project)
    assert_one_line_error(proc, *needles)
    assert not (project / "locales").exists()


def test_not_utf8_recorded_file(project):
    path = project / "cp1251.tsv"
    path.write_bytes("A.\tПривет.\n".encode("cp1251"))
    proc = tolmach_process("translate-article", "articles/story.txt", "--engine", "recorded", "--recorded", path,
                           cwd=project)
    assert_one_line_error(proc, "cp1251.tsv", "not valid UTF-8")


def test_engine_and_recorded_must_agree(project):
    res = tolmach("translate", "x.po", "--engine", "recorded", cwd=project)
    assert res.exit_code == 2 and "--engine recorded needs --recorded FILE" in res.output
    tsv = write_tsv(project / "mt.tsv", OUTPUTS)
    res = tolmach("translate", "x.po", "--recorded", tsv, "--engine", "argos", cwd=project)
    assert res.exit_code == 2 and "--recorded is for --engine recorded" in res.output


def test_retranslating_drafts_to_the_same_text_is_not_said_to_fill_them(tmp_path):
    """`translate --retranslate-fuzzy` said "filled 2 entries ... 2 by machine translation" when the
    engine gave every draft back exactly as it was (and rewrote the catalog for it, a new
    PO-Revision-Date a minute later): nothing was filled, and the catalog is left as it is."""
    (tmp_path / "a.txt").write_text("The talks failed.\n\nOfficials met in Moscow.\n", encoding="utf-8")
    assert tolmach("extract", "a.txt", cwd=tmp_path).exit_code == 0
    assert tolmach("init", "-l", "ru", cwd=tmp_path).exit_code == 0
    rec = write_tsv(tmp_path / "rec.tsv", {"The talks failed.": "Переговоры провалились.",
                                           "Officials met in Moscow.": "Чиновники встретились в Москве."})
    first = tolmach("translate", "--engine", "recorded", "--recorded", rec, "locales", cwd=tmp_path)
    assert first.exit_code == 0 and "filled 2 entries" in first.output, first.output
    po = tmp_path / "locales" / "ru" / "LC_MESSAGES" / "a.po"
    text = re.sub(r"PO-Revision-Date: [^\\]*", "PO-Revision-Date: 2000-01-01 00:00+0000", po.read_text(encoding="utf-8"))
    po.write_text(text, encoding="utf-8")  # (a date no run writes: a rewrite would change it)
    before = po.read_bytes()
    again = tolmach("translate", "--engine", "recorded", "--recorded", rec, "--retranslate-fuzzy", "locales", cwd=tmp_path)
    assert again.exit_code == 0, again.output
    assert "filled 0 entries" in again.output, again.output
    assert "2 machine drafts translated again to the same text, left as they were" in again.output
    assert "changed by somebody else" not in again.output
    assert po.read_bytes() == before
