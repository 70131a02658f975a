"""Placing glossary terms by the engine's word alignment (CTranslate2 cross-attention)."""

from __future__ import annotations

import pytest

from tolmach.catalog import init_catalog, load_catalog, save_catalog, template_for
from tolmach.devtools.tinymodel import build_tiny_package
from tolmach.engines.argos import ArgosEngine
from tolmach.glossary import Glossary, Term
from tolmach.glossary.aligned import enforce_aligned
from tolmach.segment import segment_text
from tolmach.translate import TranslateOptions, translate_catalogs

GLOSSARY = Glossary([
    Term("Scaparrotti", "Скапаротти", "person", forbidden=("Скапарротти",)),
    Term("NATO", "НАТО", "organisation", case_sensitive=True),
])
SOURCE = "General Scaparrotti told NATO about this."


@pytest.fixture(scope="module")
def garbling_engine(tmp_path_factory):
    # a model that renders the name as an unrelated word: spelling alone cannot find it
    folder = build_tiny_package(tmp_path_factory.mktemp("garble"), dictionary={
        "General": "Генерал", "Scaparrotti": "Кузнецов", "told": "сказал", "NATO": "НАТО",
        "about": "об", "this": "этом"})
    engine = ArgosEngine(folder, beam_size=1)
    yield engine
    engine.close()


def test_alignment_of_the_copy_model_is_word_for_word(garbling_engine):
    target = garbling_engine.translate([SOURCE])[0]
    assert target == "Генерал Кузнецов сказал НАТО об этом."
    assert garbling_engine.align([SOURCE], [target]) == [[0, 1, 2, 3, 4, 5]]


def test_a_term_rendered_beyond_recognition_is_placed_by_alignment(garbling_engine):
    target = garbling_engine.translate([SOURCE])[0]
    plain = GLOSSARY.enforce(SOURCE, target, "en", "ru")
    assert [t.source for t in plain.unplaced] == ["Scaparrotti"]
    alignment = garbling_engine.align([SOURCE], [target])[0]
    placed = enforce_aligned(GLOSSARY, SOURCE, target, alignment, "en", "ru", first=plain)
    assert placed.unplaced == []
    assert "Скапаротти" in placed.text and "Кузнецов" not in placed.text


def test_function_words_are_never_replaced():
    # a (wrong) alignment that points the preposition «С» at NATO changes nothing
    source = "Since 2001, NATO forces stayed."
    target = "С 2001 года войска остались."
    alignment = [3, 1, 1, 3, 4]
    plain = GLOSSARY.enforce(source, target, "en", "ru")
    assert enforce_aligned(GLOSSARY, source, target, alignment, "en", "ru", first=plain) == plain


def test_translate_uses_the_alignment(tmp_path, garbling_engine):
    art = segment_text(f"A headline\n\n{SOURCE}", lang="en", path="a.txt")
    path = tmp_path / "a.po"
    save_catalog(init_catalog(template_for(art, "a.txt"), "ru"), path)
    options = TranslateOptions(glossary=GLOSSARY)
    result = translate_catalogs([path], lambda s, t: garbling_engine, options)
    entry = next(e for e in load_catalog(path) if e.msgid == SOURCE)
    assert "Скапаротти" in entry.msgstr and "Кузнецов" not in entry.msgstr
    assert "glossary: enforced" in entry.comment and "could not place" not in entry.comment
    assert not [t for f in result.files for t in f.unplaced_terms]
