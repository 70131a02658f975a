"""A term judged on the stretch of text its words occupy (glossary/window.py) says what the whole
text says: the boundaries where the stretch alone must not conclude "correct"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tolmach.glossary import Glossary, Term, load_glossary, verify
from tolmach.glossary.window import TextView, local_verdict, term_window

SEED = Path(__file__).resolve().parents[1] / "glossaries" / "news.en-ru.csv"


@pytest.fixture()
def seed() -> Glossary:
    return load_glossary(SEED)  # a fresh one per test: the remembered verdicts start empty


def judged(g: Glossary, source: str, target: str, warnings: bool = True):
    """(issues, renderings) of a pair; asserted the same judged by stretches (twice: the second time
    from what the first remembered) and on the whole text."""
    runs = []
    for local in (True, True, False):
        verify._LOCAL_VERDICTS = local
        try:
            recs: list = []
            issues = verify.check_pair(g, source, target, "en", "ru", lambda *a: recs.append(a[1:]), warnings=warnings)
        finally:
            verify._LOCAL_VERDICTS = True
        runs.append(([(i.kind, i.term.source, i.message, i.found, i.start, i.end) for i in issues], recs))
    assert runs[0] == runs[2], (target, runs[0], runs[2])
    assert runs[1] == runs[2], (target, runs[1], runs[2])
    return runs[0]


def taken_locally(g: Glossary, source: str, target: str) -> list[bool]:
    """Per source term, whether its verdict came from its stretch (False: the whole text was read)."""
    from tolmach.glossary.locate import source_terms

    found = source_terms(g, source, "en")
    view = TextView(target)
    return [local_verdict(g, term, m, source, found, view, None, True, []) for term, m in found]


def kinds(result):
    return [(kind, term, found) for kind, term, _, found, _, _ in result[0]]


def test_the_usual_case_is_judged_by_its_stretch_once(seed):
    kremlin = next(t for t in seed.terms if t.source == "Kremlin")
    assert judged(seed, "The Kremlin said 12 tanks moved.", "Кремль заявил, что 12 танков переброшены.") == (
        [], [("кремль", "Кремль", 0, 6)]
    )
    memo = term_window(seed, kremlin).memo
    assert len(memo) == 1
    # another text, the same stretch (first word of a sentence, a space after it): nothing new to judge
    assert taken_locally(seed, "The Kremlin said 13 tanks moved.", "Кремль сказал о 13 танках.") == [True]
    assert len(memo) == 1
    # the rendering is recorded where it stands in each text
    assert judged(seed, "Ask the Kremlin, 14 said.", "Спросите Кремль, сказали 14.")[1] == [("кремль", "Кремль", 9, 15)]


def test_a_forbidden_variant_that_contains_the_right_form():
    g = Glossary([Term("Asia", "Азия", "place", forbidden=("Средняя Азия",))])
    assert judged(g, "Asia grows.", "Азия растёт.") == ([], [("азия", "Азия", 0, 4)])
    assert kinds(judged(g, "Central Asia grows.", "Средняя Азия растёт.")) == [("forbidden", "Asia", "Средняя Азия")]
    assert kinds(judged(g, "In Asia and Central Asia.", "В Азии и в Средней Азии.")) == [("forbidden", "Asia", "Средней Азии")]
    assert kinds(judged(g, "In Asia they said Asia.", "В Средней Азии говорят: Азия.")) == [("forbidden", "Asia", "Средней Азии")]


def test_agreement_broken_across_the_words_of_a_term(seed):
    kp = "Komsomolskaya Pravda sent 12 reporters."
    assert judged(seed, kp, "«Комсомольская правда» направила 12 корреспондентов.")[0] == []
    (issue,) = judged(seed, kp, "«Комсомольская правды» направила 12 корреспондентов.")[0]
    assert issue[:2] == ("agreement", "Komsomolskaya Pravda") and issue[3] == "«Комсомольская правды»"
    # the words apart, and the broken pair next to a correct one: every occurrence counts
    assert kinds(judged(seed, kp, "«Комсомольская правда» и «Комсомольская правды» направили 12 корреспондентов."))[0][0] == "agreement"
    assert kinds(judged(seed, "Central Asia, 12 said.", "Центральная Азии, сказали 12.")) == [
        ("agreement", "Central Asia", "Центральная Азии")
    ]
    assert kinds(judged(seed, "In Central Asia 12.", "В Центральная Азии 12.")) == [("agreement", "Central Asia", "Центральная Азии")]
    # a name's hint takes its case from the word before the name: outside the stretch, which is the
    # same in both texts, so the whole text is read
    g = Glossary([Term("Dominic Raab", "Доминик Рааб", "person")])
    hints = [judged(g, "Dominic Raab said 12.", f"Вчера {prev} Доминику Рааб 12.")[0][0][2] for prev in ("к", "о")]
    assert hints == [
        'term "Dominic Raab": the words of «Доминику Рааб» do not agree (did you mean «Доминику Раабу»?)',
        'term "Dominic Raab": the words of «Доминику Рааб» do not agree (did you mean «Доминика Рааба»?)',
    ]


def test_a_case_sensitive_term_in_the_wrong_case(seed):
    assert judged(seed, "NATO moved 12 tanks.", "НАТО перебросило 12 танков.")[0] == []
    assert kinds(judged(seed, "NATO moved 12 tanks.", "Нато перебросило 12 танков.")) == [("wrong-form", "NATO", "Нато")]
    assert kinds(judged(seed, "NATO moved 12 tanks.", "Блок нато перебросил 12 танков.")) == [("wrong-form", "NATO", "нато")]
    # the wrong case where the English is also left in the text: kept in a foreign name or not, the
    # whole text tells
    judged(seed, "NATO moved 12 tanks.", "Нато (NATO) перебросило 12 танков.")


def test_a_small_letter_term_capitalised_at_a_sentence_start_and_elsewhere():
    # the same stretch (a space on either side) starts a sentence in one text and not in the other:
    # style only where it does not
    for order in ((0, 1, 2), (2, 1, 0), (1, 0, 2)):
        g = Glossary([Term("prime minister", "премьер-министр", "title", case_sensitive=True)])
        texts = [
            "Вчера Премьер-министр заявил об этом.",
            "Он ушёл. Премьер-министр заявил об этом.",
            "Премьер-министр заявил об этом.",
        ]
        got = {k: kinds(judged(g, "The prime minister said so.", texts[k])) for k in order}
        assert got == {
            0: [("style", "prime minister", "Премьер-министр")],
            1: [],
            2: [],
        }, order


def test_a_misspelling_next_to_a_correct_occurrence(seed):
    src = "The Kremlin said 12 tanks moved."
    assert judged(seed, src, "Кремль заявил, что 12 танков переброшены.")[0] == []
    for target in (
        "Кремль заявил, что в Кремлля 12 танков.",  # after it
        "В Кремлля 12 танков, заявил Кремль.",  # before it
        "Кремль заявил, что 12 танков у Кремлля.",  # the same stretch as a correct text, a misspelling further on
    ):
        got = kinds(judged(seed, src, target))
        assert got == [("wrong-form", "Kremlin", "Кремлля")], (target, got)
    # a misspelling that is itself a forbidden variant lies inside the stretch
    assert kinds(judged(seed, "General Scaparrotti said 12.", "Генерал Скапарротти сказал 12.")) == [
        ("forbidden", "Scaparrotti", "Скапарротти")
    ]


def test_two_occurrences_in_the_source_and_one_in_the_target(seed):
    assert judged(seed, "NATO said 12 would come.", "НАТО заявило, что придут 12.")[0] == []
    # the same stretch, but the source names NATO twice: the short misspelling «НТО» is the second one
    got = judged(seed, "NATO said NATO troops, 12, would come.", "НАТО заявило, что войска НТО, 12, придут.")
    assert kinds(got) == [("wrong-form", "NATO", "НТО")]
    assert taken_locally(seed, "NATO said NATO troops, 12, would come.", "НАТО заявило, что войска НТО, 12, придут.") == [False]
    # twice in the source, twice rendered: judged by the stretch from the first to the last
    assert judged(seed, "NATO said NATO troops, 13, would come.", "НАТО заявило, что войска НАТО, 13, придут.")[0] == []


def test_the_english_term_left_beside_a_correct_rendering(seed):
    # named twice, rendered once in Russian and once left in English: the English one is an error,
    # wherever it stands (the stretch of the Russian forms alone does not show it)
    for source, target in (
        ("The Kremlin said 12, and the Kremlin's critics 13.", "Кремль заявил 12, а Kremlin's critics — 13."),
        ("The Kremlin said 12, and the Kremlin's critics 13.", "Kremlin's critics said 12, and Кремль 13."),
        ("The Kremlin, the Kremlin's critics and its friends, the Kremlin's, 12.", "Кремль, критики Kremlin и друзья Кремля: 12."),
    ):
        got = judged(seed, source, target)
        assert [(k, t) for k, t, _ in kinds(got)] == [("wrong-form", "Kremlin")], target
        assert "left untranslated" in got[0][0][2]
    assert kinds(judged(seed, "The Kremlin said 12, and the Kremlin's critics 13.", "Кремль заявил 12, критики Кремля — 13."))  == []
    # a dateline kept as the source has it is no untranslated occurrence
    assert kinds(judged(seed, "KREMLIN.PRESS - The Kremlin said 12.", "KREMLIN.PRESS - Кремль заявил 12.")) == []
    # named once: the English name in brackets beside the rendering is a gloss, not an error
    assert kinds(judged(seed, "The Kremlin said 12.", "Кремль (Kremlin) заявил 12.")) == []


def test_words_joined_by_hyphens_or_apostrophes_at_the_edge_of_a_stretch(seed):
    for target in (
        "Движение Техрик-и-Талибан заявило о 12 жертвах.",
        "Кремль-12 заявил.",
        "Анти-Кремль заявил 12.",
        "Кремль's press service said 12.",
        "О'Кремль заявил 12.",
        "Кремль_12 заявил.",
    ):
        judged(seed, "The Taliban and the Kremlin said 12.", target)
    assert kinds(judged(seed, "The Taliban said 12.", "Движение Техрик-и-Талибан заявило о 12 жертвах.")) == []


def test_quotes_and_neighbours_of_a_stretch(seed):
    src = "The Taliban said 12."
    assert judged(seed, src, "«Талибан» заявил 12.")[1] == [("талибан", "«Талибан»", 0, 9)]
    assert judged(seed, src, "Талибан заявил 12.")[1] == [("талибан", "Талибан", 0, 7)]
    assert judged(seed, src, "Движение «Талибан» заявило 12.")[1] == [("талибан", "«Талибан»", 9, 18)]
    assert judged(seed, src, "Движение «Талибана» заявило 12.")[0] == []  # (a genitive)
    # the English name left in the translation, where no rendering is there
    assert kinds(judged(seed, src, "Движение Taliban заявило 12.")) == [("wrong-form", "Taliban", "Taliban")]
    judged(seed, "The Kremlin said 12.", "Kremlin: Кремлин заявил 12.")


def test_many_terms_and_texts_agree_with_the_whole_text_way(seed):
    source = (
        "NATO's Supreme Allied Commander Curtis Scaparrotti told the Senate Armed Services Committee "
        "that the Kremlin and the Taliban, Reuters and Komsomolskaya Pravda said 12 times."
    )
    targets = [
        ("Верховный главнокомандующий ОВС НАТО Кертис Скапаротти заявил комитету по вооружённым силам Сената США, "
        "что Кремль и «Талибан», Рейтер и «Комсомольская правда» сказали 12 раз."),
        ("Верховный союзный командующий НАТО Куртис Скапаротти сказал комитету Сената по вооружённым службам, что "
        "Кремлин и талибы, Рейтерс и «Комсомолка» говорили 12 раз."),
        ("Главнокомандующий Нато Скапаротти сказал комитету по вооружённым силам Сената США, что Кремля и «Талибана», "
        "Рейтер, «Комсомольской правды» 12."),
        ("ВЕРХОВНЫЙ ГЛАВНОКОМАНДУЮЩИЙ НАТО КЕРТИС СКАПАРОТТИ ЗАЯВИЛ КОМИТЕТУ ПО ВООРУЖЁННЫМ СИЛАМ СЕНАТА США, ЧТО "
        "КРЕМЛЬ И «ТАЛИБАН», РЕЙТЕР И «КОМСОМОЛЬСКАЯ ПРАВДА» СКАЗАЛИ 12 РАЗ."),
        ("верховный главнокомандующий нато кертис скапаротти заявил комитету по вооружённым силам сената сша, что "
        "кремль и «талибан», рейтер и «комсомольская правда» сказали 12 раз."),
        "Кертис Скапаротти, Кертис Скапарротти и Скапаротти; Кремль, Кремлём, Кремлем; Талибан-Талибан; «Рейтер».",
    ]
    for target in targets:
        judged(seed, source, target)
        judged(seed, source, target.replace(" ", "  "))
        judged(seed, source, target.replace("12", "123456"))


def test_the_english_term_kept_in_a_foreign_name_elsewhere_in_the_text(seed):
    # «Нато» alone is the wrong case; with the name kept in Latin as the source has it, the term is
    # rendered (kept), which only the whole text shows
    source = "The NATO Allied Command Transformation met 12 times."
    assert judged(seed, source, "Штаб NATO Allied Command Transformation собирался 12 раз.")[0] == []
    assert judged(seed, source, "Нато: штаб NATO Allied Command Transformation собирался 12 раз.")[0] == []
    assert kinds(judged(seed, source, "Нато: штаб собирался 12 раз.")) == [("wrong-form", "NATO", "Нато")]


def test_a_term_whose_words_stand_apart_is_looked_for_in_the_whole_text(seed):
    # «Азия» is a word of the term, but no rendering is there: the closest spelling may stand anywhere
    got = judged(seed, "Central Asia, 12 said.", "Центрлная Азейя, а не Азия, сказали 12.")
    assert kinds(got) == [("missing", "Central Asia", "Центрлная Азейя")]


def test_the_last_form_found_forwards_or_backwards():
    """A term whose forms are letters alone finds where its last form ends from ``first``'s last
    match; one with a hyphenated form (whose occurrences can overlap: «северо-запад» and
    «запад-восток» in «северо-запад-восток») reads the text backwards. Both stretches end there."""
    plain = Glossary([Term("Asia", "Азия", "place", forbidden=("Средняя Азия",))])
    assert term_window(plain, plain.terms[0]).last is None
    hyphen = Glossary([Term("Northwest", "северо-запад", "place", forbidden=("запад-восток",))])
    assert term_window(hyphen, hyphen.terms[0]).last is not None
    for g, source, target in [
        (plain, "Asia, Asia and Asia.", "Азия, Азии и Средней Азии; итог."),
        (plain, "Asia grows.", "Азия растёт, Азиатский рынок тоже."),
        (hyphen, "The Northwest grows.", "Северо-запад растёт: северо-запад-восток, запад."),
        (hyphen, "The Northwest grows.", "Северо-запад растёт, а запад-восток нет."),
        (hyphen, "The Northwest grows.", "Северо-запад растёт."),
    ]:
        judged(g, source, target)
    assert kinds(judged(plain, "Asia, Asia and Asia.", "Азия, Азия и Средней Азии; итог.")) == [
        ("forbidden", "Asia", "Средней Азии")
    ]


def test_a_term_hashes_as_its_fields_in_every_process(tmp_path):
    """A Term works its hash out once; a pickled term (the check cache keeps the terms each file
    rendered) is made again from its fields, so that an equal term of another process, where
    strings hash otherwise, finds it in a dict."""
    import os
    import pickle
    import subprocess
    import sys

    term = Term("Scaparrotti", "Скапаротти", "person", alternatives=("Скапарротти",), path="g.csv", line=3)
    assert hash(term) == hash(Term(**{f: getattr(term, f) for f in term.__dataclass_fields__}))
    assert pickle.loads(pickle.dumps(term)) == term
    saved = tmp_path / "term.pickle"
    code = (
        "import pickle, sys\nfrom tolmach.glossary import Term\n"
        "t = Term('Scaparrotti', 'Скапаротти', 'person', alternatives=('Скапарротти',), path='g.csv', line=3)\n"
        "if sys.argv[1] == 'save':\n    open(sys.argv[2], 'wb').write(pickle.dumps([t]))\n"
        "else:\n    [u] = pickle.loads(open(sys.argv[2], 'rb').read())\n"
        "    assert hash(u) == hash(t) and {t: 1}[u] == 1 and {u: 1}[t] == 1, (hash(u), hash(t))\n"
    )
    for seed, step in (("1", "save"), ("2", "load")):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", code, step, str(saved)], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
