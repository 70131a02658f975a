"""Glossary files, and finding terms on the English and Russian sides."""

from __future__ import annotations

from pathlib import Path

import pytest

from tolmach.errors import TolmachError
from tolmach.glossary import COLUMNS, Glossary, Term, load_glossary, write_glossary

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "glossaries" / "news.en-ru.csv"
HEADER = ",".join(COLUMNS) + "\n"


@pytest.fixture(scope="module")
def seed() -> Glossary:
    return load_glossary(SEED)


def texts(matches):
    return [m.text for m in matches]


def sources(matches):
    return [m.term.source for m in matches]


# --- files -------------------------------------------------------------------------------------


def test_seed_glossary_covers_the_seed_article(seed):
    names = {t.source for t in seed}
    for name in [
        "Curtis Scaparrotti", "Scaparrotti", "NATO", "Supreme Allied Commander",
        "Senate Armed Services Committee", "Kremlin", "Taliban", "Reuters", "Syed Mohammad Akbar Agha",
        "Komsomolskaya Pravda", "The Moscow Times", "Afghanistan", "Soviet Union", "Central Asia",
    ]:  # fmt: skip
        assert name in names
    scap = next(t for t in seed if t.source == "Scaparrotti")
    assert scap.target == "Скапаротти" and "Скапарротти" in scap.forbidden
    kp = next(t for t in seed if t.source == "Komsomolskaya Pravda")
    assert kp.target == "«Комсомольская правда»" and kp.quoted and kp.bare_target == "Комсомольская правда"
    mt = next(t for t in seed if t.source == "The Moscow Times")
    assert mt.dnt and mt.target == "The Moscow Times"
    assert next(t for t in seed if t.source == "NATO").case_sensitive
    assert scap.path.endswith("news.en-ru.csv") and scap.line > 1


def test_folder_tsv_and_roundtrip(tmp_path):
    (tmp_path / "a.tsv").write_text(
        "\t".join(COLUMNS) + "\nKremlin\tКремль\torganisation\t\t\t\t\t\n", encoding="utf-8"
    )
    (tmp_path / "b.csv").write_text(HEADER + "# a comment row\n\nNATO,НАТО,organisation,,,,yes,\n", encoding="utf-8")
    g = load_glossary(tmp_path)
    assert [t.source for t in g] == ["Kremlin", "NATO"]
    assert g.terms[1].case_sensitive and g.terms[1].line == 4
    out = tmp_path / "out" / "c.csv"
    write_glossary(g.terms, out)
    again = load_glossary(out)
    assert [(t.source, t.target, t.case_sensitive) for t in again] == [(t.source, t.target, t.case_sensitive) for t in g]


@pytest.mark.parametrize(
    "content, line, message",
    [
        ("source,target,note\nX,Y,\n", 1, "missing column(s) kind"),
        (HEADER + "Kremlin,Кремль,organisation\n", 2, "expected 8 columns, found 3"),
        (HEADER + "Kremlin,Кремль,organisation,,,,,\nNATO,,organisation,,,,,\n", 3, "empty required cell(s): target"),
        ("source,target,kind,note,forbidden,alternatives,case_sensitive,dnt,gender\nKim,Ким,person,,,,,,x\n", 2, "gender: expected m, f or both"),
        (HEADER + "Kremlin,Кремль,place,,,,maybe,\n", 2, "case_sensitive: expected yes or no"),
        ("", 1, "empty glossary file"),
    ],
)
def test_malformed_files_name_file_and_line(tmp_path, content, line, message):
    f = tmp_path / "bad.csv"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(TolmachError) as err:
        load_glossary(f)
    assert err.value.path == str(f) and err.value.line == line
    assert message in str(err.value) and str(err.value).startswith(f"{f}:{line}: ")


def test_a_header_of_the_required_columns_is_a_glossary(tmp_path):
    """A spreadsheet user's three columns (or any subset with source, target and kind) are enough:
    the columns left out read as empty cells, in the header's own order."""
    f = tmp_path / "short.csv"
    f.write_text("kind,target,source,dnt\nperson,Райс,Rice,\norganisation,The Moscow Times,The Moscow Times,yes\n", encoding="utf-8")
    rice, mt = load_glossary(f).terms
    assert (rice.source, rice.target, rice.kind, rice.note, rice.forbidden, rice.dnt) == ("Rice", "Райс", "person", "", (), False)
    assert mt.dnt and mt.line == 3
    f.write_text("source,target,kind\nRice,Райс,person\n", encoding="utf-8")
    assert [t.target for t in load_glossary(f)] == ["Райс"]


def test_non_utf8_and_missing_paths(tmp_path):
    f = tmp_path / "latin1.csv"
    f.write_bytes((HEADER + "Kremlin,Кремль,place,,,,,\n").encode("utf-8") + "Caf\xe9,Kafe,term,,,,,\n".encode("latin-1"))
    with pytest.raises(TolmachError, match="not valid UTF-8") as err:
        load_glossary(f)
    assert err.value.line == 3
    with pytest.raises(TolmachError, match="no such glossary"):
        load_glossary(tmp_path / "nope.csv")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(TolmachError, match="no \\*.csv"):
        load_glossary(empty)


# --- English side ------------------------------------------------------------------------------

ARTICLE = (
    "Army General Curtis Scaparrotti, who is also NATO's Supreme Allied Commander, told a Senate "
    "Armed Services Committee during a hearing that the Kremlin may be sending supplies."
)


def test_english_longest_match_and_possessive(seed):
    found = seed.find(ARTICLE, "en")
    assert texts(found) == [
        "Curtis Scaparrotti", "NATO's", "Supreme Allied Commander", "Senate Armed Services Committee", "Kremlin",
    ]  # fmt: skip
    assert found[0].term.source == "Curtis Scaparrotti"
    assert ARTICLE[found[1].start : found[1].end] == "NATO's"
    assert sources(seed.find('"I have seen it," General Scaparrotti said.', "en")) == ["Scaparrotti"]


def test_english_possessive_after_s_and_the(seed):
    found = seed.find("The Moscow Times’ team and the Soviet Union's withdrawal from Afghanistan's", "en")
    assert texts(found) == ["The Moscow Times’", "Soviet Union's", "Afghanistan's"]


def test_english_case_rules_and_word_boundaries(seed):
    assert seed.find("nato is not NATO", "en")[0].text == "NATO"  # case-sensitive entry
    assert len(seed.find("nato is not NATO", "en")) == 1
    # a capitalised term keeps its capitals by default (a headline's all capitals are fine)
    assert texts(seed.find("the KREMLIN and the kremlin", "en")) == ["KREMLIN"]
    assert seed.find("Kremlinology and Afghanistani", "en") == []


def test_english_plurals_for_terms_and_titles():
    g = Glossary([Term("news agency", "информационное агентство", "term"), Term("Taliban", "«Талибан»", "organisation")])
    assert texts(g.find("two news agencies and the news agency's staff", "en")) == ["news agencies", "news agency's"]
    assert g.find("Talibans", "en") == []  # names take no plural ending


def test_longest_match_wins_over_earlier_shorter_overlap():
    g = Glossary([Term("Army General", "генерал армии", "title"), Term("General Curtis Scaparrotti", "генерал Кертис Скапаротти", "person")])
    assert texts(g.find("Army General Curtis Scaparrotti", "en")) == ["General Curtis Scaparrotti"]


# --- Russian side ------------------------------------------------------------------------------


def test_russian_by_lemma_in_any_case(seed):
    found = seed.find("Он дал интервью «Комсомольской правде», а не Кремлю.", "ru")
    assert texts(found) == ["«Комсомольской правде»", "Кремлю"]
    assert sources(seed.find("газеты Комсомольская правда", "ru")) == ["Komsomolskaya Pravda"]  # quotes optional
    assert sources(seed.find("генерала Кертиса Скапаротти", "ru")) == ["Curtis Scaparrotti"]
    assert sources(seed.find("в Центральной Азии и в Советском Союзе", "ru")) == ["Central Asia", "Soviet Union"]
    assert sources(seed.find("представители талибов", "ru")) == ["Taliban"]  # an alternative


def test_russian_not_by_stem(seed):
    # «кремлёвский» shares the stem of «Кремль» but is another lemma
    assert seed.find("кремлёвский источник", "ru") == []
    assert seed.find("правдивый комсомолец", "ru") == []


def test_russian_indeclinable_matches_only_as_written(seed):
    assert sources(seed.find("генерал Скапаротти", "ru")) == ["Scaparrotti"]
    assert seed.find("генерал Скапароттия", "ru") == []
    assert seed.find("Нато", "ru") == []  # case-sensitive abbreviation
    assert sources(seed.find("члены НАТО", "ru")) == ["NATO"]


def test_russian_fixed_tail_is_exact(seed):
    assert sources(seed.find("в комитете по вооружённым силам Сената США", "ru")) == ["Senate Armed Services Committee"]
    assert sources(seed.find("в комитете по вооруженным силам Сената США", "ru")) == ["Senate Armed Services Committee"]  # ё = е
    assert seed.find("в комитете по вооружённых сил Сената США", "ru") == []


def test_russian_latin_dnt_term(seed):
    assert texts(seed.find("пишет The Moscow Times, а также Moscow Times", "ru")) == ["The Moscow Times", "Moscow Times"]


def test_english_prefilter_needs_every_word_but_a_plural_last_one():
    from tolmach.glossary import Glossary, Term

    g = Glossary([Term("The Moscow Times", "The Moscow Times", "organisation"),
                  Term("Supreme Allied Commander", "верховный главнокомандующий", "title")])  # fmt: skip
    assert g.english.find("The paper said the times had changed.") == []
    assert [m.text for m in g.english.find("Two Supreme Allied Commanders met.")] == ["Supreme Allied Commanders"]
    assert [m.text for m in g.english.find("Straße: THE MOSCOW TIMES reported.")] == ["THE MOSCOW TIMES"]
    assert g.english.may_contain("the end") and not g.english.contains("the end")


def test_a_one_word_name_that_is_an_english_word_is_not_the_person_where_the_text_shows_the_word():
    g = Glossary([Term("June", "Джун", "person"), Term("Will", "Уилл", "person"), Term("August", "Огаст", "person"),
                  Term("Kevin August", "Кевин Огаст", "person")])  # fmt: skip
    # a month in a date: next to a number, after a word of time, beside another month
    for text in ("The talks open on 3 June.", "The talks open June 3.", "It opened in June.", "by mid-June",
                 "late August", "from July to August", "the 21st of June", "August 2024 was hot."):  # fmt: skip
        assert g.find(text, "en") == [], text
    # a verb before its subject at the start of a sentence
    assert g.find("Will you vote?", "en") == [] and g.find('"Will they come?" he asked.', "en") == []
    # the person, wherever the text does not show the word
    assert sources(g.find("June told reporters.", "en")) == ["June"]
    assert sources(g.find("Asked about it, Will said no.", "en")) == ["Will"]
    assert sources(g.find("June, 34, won.", "en")) == ["June"]
    assert sources(g.find("August's novel came out in August.", "en")) == ["August"]
    assert sources(g.find("Kevin August said in August", "en")) == ["Kevin August"]
    # the check asks for no rendering where there is no person
    assert g.check("The talks open on 3 June.", "Переговоры начнутся 3 июня.", "en", "ru") == []
    assert g.check("Will you vote?", "Вы будете голосовать?", "en", "ru") == []
    assert [i.kind for i in g.check("June told reporters.", "Она сказала журналистам.", "en", "ru")] == ["missing"]


# --- the English prefilter: one search for the terms' key words, then each term where its first word is


def _terms(*specs) -> Glossary:
    return Glossary([Term(source, target, kind, case_sensitive=cs) for source, target, kind, cs in specs])


def test_prefilter_finds_a_term_by_a_word_that_is_not_its_first():
    g = _terms(("The Moscow Times", "The Moscow Times", "organisation", True), ("Supreme Allied Commander", "верховный главнокомандующий", "title", None))
    assert texts(g.find("It told The Moscow Times' reporter", "en")) == ["The Moscow Times'"]
    assert g.find("the times of Moscow", "en") == [] and g.find("the", "en") == []
    # the last word of a title may be plural, so the key word is one of the others
    assert texts(g.find("two Supreme Allied Commanders met", "en")) == ["Supreme Allied Commanders"]
    assert g.find("the Allied Commander", "en") == []


def test_prefilter_apostrophes_dots_and_hyphens():
    g = _terms(
        ("NATO", "НАТО", "organisation", True), ("O'Brien", "О'Брайен", "person", None),
        ("U.S. Army", "армия США", "organisation", None), ("France", "Франция", "place", None),
        ("Newcastle-upon-Tyne", "Ньюкасл-апон-Тайн", "place", None), ("Tyne", "Тайн", "place", None),
    )  # fmt: skip
    assert texts(g.find("NATO's chief and O'Brien's aide", "en")) == ["NATO's", "O'Brien's"]
    assert texts(g.find("the U.S. Army said", "en")) == ["U.S. Army"]
    assert texts(g.find("in Newcastle-upon-Tyne and Hauts-de-France", "en")) == ["Newcastle-upon-Tyne"]
    assert texts(g.find("a France-based firm", "en")) == ["France"]
    assert g.find("NATOs, Briens and Tyneside", "en") == []


def test_prefilter_letter_case_and_words_sharing_a_beginning():
    g = _terms(
        ("prime minister", "премьер-министр", "title", False), ("New York", "Нью-Йорк", "place", None),
        ("Newcastle", "Ньюкасл", "place", None), ("News Corp", "News Corp", "organisation", None),
    )  # fmt: skip
    assert texts(g.find("PRIME MINISTER and the Prime Ministers", "en")) == ["PRIME MINISTER", "Prime Ministers"]
    assert texts(g.find("News Corp, New York and Newcastle", "en")) == ["News Corp", "New York", "Newcastle"]
    assert g.find("Newsweek in New Jersey", "en") == [] and g.find("new york", "en") == []


def test_prefilter_positions_after_a_letter_that_folds_to_two_and_next_to_cyrillic():
    g = _terms(("Reuters", "Рейтер", "organisation", None), ("Kremlin", "Кремль", "organisation", None))
    (m,) = g.find("Aus Gießen meldet Reuters", "en")
    assert (m.start, m.end, m.text) == (18, 25, "Reuters")
    # in a Russian text the English word is found only as a word of its own
    assert texts(g.find("Агентство Reuters и Kremlin", "en")) == ["Reuters", "Kremlin"]
    assert g.find("агентствоReuters", "en") == []
    assert g.english.may_contain("в Kremlin") and not g.english.may_contain("в Кремле")


def test_find_after_has_none_reuses_its_first_test_for_that_text_only():
    # ``has_none`` remembers the last text it found a key word in (by identity): ``find`` on that text
    # skips the search, on any other text makes it
    g = _terms(("The Moscow Times", "The Moscow Times", "organisation", True))
    with_key, without = "He read The Moscow Times.", "Moscow is cold; the times are hard."
    assert not g.english.has_none(with_key)
    assert texts(g.english.find(with_key)) == ["The Moscow Times"]
    assert g.english.find(without) == [] and g.english.find("the end") == []
    assert not g.english.has_none("Straße: The Moscow Times.")  # (ß folds to two letters: no answer)
    assert texts(g.english.find("Straße: The Moscow Times.")) == ["The Moscow Times"]
    assert texts(g.english.find(with_key)) == ["The Moscow Times"]
