"""The replay engine: recorded output of another MT system behind the Engine interface."""

from __future__ import annotations

import pytest

from tolmach.engines.base import Engine
from tolmach.engines.replay import ReplayEngine
from tolmach.errors import TolmachError

PAIRS = {
    "Dominic Raab has defended the decision.": "Доминик Рааб защитил решение.",
    "The Labour Party declined to comment.": "Лейбористская партия отказалась от комментариев.",
}


def test_replays_recorded_output_in_order():
    engine = ReplayEngine(PAIRS, "en", "ru", "Online-B")
    sources = list(PAIRS)[::-1]
    assert engine.translate(sources) == [PAIRS[s] for s in sources]
    assert isinstance(engine, Engine)
    assert engine.info.engine == "replay"
    assert engine.info.model == "Online-B"
    assert (engine.info.source_lang, engine.info.target_lang) == ("en", "ru")
    assert engine.info.signature().startswith("replay:Online-B@")


def test_lookup_ignores_whitespace_differences():
    engine = ReplayEngine(PAIRS, "en", "ru")
    assert engine.translate(["  Dominic  Raab has\tdefended the decision. "]) == [
        "Доминик Рааб защитил решение."
    ]
    assert "Dominic Raab  has defended the decision." in engine


def test_unknown_sentence_raises_naming_it():
    engine = ReplayEngine(PAIRS, "en", "ru", "Online-B")
    with pytest.raises(TolmachError, match="no recorded output for 'Boris Johnson resigned.'"):
        engine.translate(["Dominic Raab has defended the decision.", "Boris Johnson resigned."])


def test_unknown_sentence_can_come_back_unchanged():
    engine = ReplayEngine(PAIRS, "en", "ru", on_unknown="source")
    assert engine.translate(["Boris Johnson resigned."]) == ["Boris Johnson resigned."]
    assert ("on_unknown", "source") in engine.info.settings  # it changes the output


def test_bad_on_unknown_option():
    with pytest.raises(TolmachError, match="on_unknown"):
        ReplayEngine(PAIRS, "en", "ru", on_unknown="ignore")


def test_progress_reports_the_sentences_done():
    done = []
    ReplayEngine(PAIRS, "en", "ru").translate(list(PAIRS), progress=done.append)
    assert sum(done) == len(PAIRS)


def test_from_files(tmp_path):
    src = tmp_path / "newstest2021.en-ru.src.en"
    hyp = tmp_path / "newstest2021.en-ru.hyp.Online-W.ru"
    src.write_text("".join(s + "\n" for s in PAIRS), encoding="utf-8")
    hyp.write_text("".join(t + "\r\n" for t in PAIRS.values()), encoding="utf-8")
    engine = ReplayEngine.from_files(src, hyp, "en", "ru")
    assert engine.info.model == "Online-W"  # taken from the WMT file name
    assert len(engine) == 2
    assert engine.translate(list(PAIRS)) == list(PAIRS.values())


def test_from_files_with_different_line_counts_names_both(tmp_path):
    src = tmp_path / "a.en"
    hyp = tmp_path / "b.ru"
    src.write_text("One.\nTwo.\nThree.\n", encoding="utf-8")
    hyp.write_text("Один.\nДва.\n", encoding="utf-8")
    with pytest.raises(TolmachError) as err:
        ReplayEngine.from_files(src, hyp, "en", "ru", "x")
    message = str(err.value)
    assert str(src) in message and str(hyp) in message
    assert "3" in message and "2" in message


def test_from_files_missing_file(tmp_path):
    src = tmp_path / "a.en"
    src.write_text("One.\n", encoding="utf-8")
    with pytest.raises(TolmachError, match="not found"):
        ReplayEngine.from_files(src, tmp_path / "missing.ru", "en", "ru")


GLOSSARY_CSV = """source,target,kind,note,forbidden,alternatives,case_sensitive,dnt
Aubameyang,Обамеянг,person,Russian sports press,Аубамеянг,,yes,
Arsenal,Арсенал,organisation,,,,yes,
"""


def test_enforcement_fixes_a_forbidden_variant_in_replayed_output(tmp_path):
    glossary = pytest.importorskip("tolmach.glossary")
    if not hasattr(glossary, "load_glossary"):
        pytest.skip("tolmach.glossary has no load_glossary yet")
    path = tmp_path / "g.csv"
    path.write_text(GLOSSARY_CSV, encoding="utf-8")
    g = glossary.load_glossary(path)
    source = "Aubameyang fires Arsenal win."
    engine = ReplayEngine({source: "Аубамеянг принёс победу «Арсеналу»."}, "en", "ru", "Online-X")
    [draft] = engine.translate([source])
    assert any(i.kind == "forbidden" for i in g.check(source, draft, "en", "ru"))
    fixed = g.enforce(source, draft, "en", "ru")
    assert "Обамеянг" in fixed.text and "Аубамеянг" not in fixed.text
    assert "Арсеналу" in fixed.text  # a correct rendering is left alone
    assert g.check(source, fixed.text, "en", "ru") == []
