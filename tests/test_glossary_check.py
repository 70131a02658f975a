"""Glossary.check and the GlossaryCheck (per entry and across the project)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tolmach.checks.base import ERROR, WARNING, CheckEntry
from tolmach.checks.glossary import GlossaryCheck
from tolmach.glossary import Glossary, load_glossary

SEED = Path(__file__).resolve().parents[1] / "glossaries" / "news.en-ru.csv"

SCAP_EN = '"I\'ve seen the influence of Russia increasing," General Scaparrotti said Thursday.'
KP_EN = "Senior Taliban leader Syed Mohammad Akbar Agha told Russia's Komsomolskaya Pravda newspaper this year."
KP_RU = "Один из лидеров «Талибана» Саид Мохаммад Акбар Ага рассказал российской газете «Комсомольская правда»."


@pytest.fixture(scope="module")
def seed() -> Glossary:
    return load_glossary(SEED)


def kinds(issues):
    return [(i.kind, i.term.source) for i in issues]


def test_correct_translation_passes(seed):
    assert seed.check(SCAP_EN, "«Я видел, как растёт влияние России», — заявил в четверг генерал Скапаротти.", "en", "ru") == []
    assert seed.check(KP_EN, KP_RU, "en", "ru") == []
    assert seed.check(KP_EN, KP_RU.replace("газете «Комсомольская правда»", "«Комсомольской правде»"), "en", "ru") == []


def test_forbidden_variant(seed):
    issues = seed.check(SCAP_EN, "— заявил в четверг генерал Скапарротти.", "en", "ru")
    assert kinds(issues) == [("forbidden", "Scaparrotti")]
    i = issues[0]
    assert i.message == 'term "Scaparrotti": expected a form of «Скапаротти», found «Скапарротти» (forbidden variant)'
    assert (i.expected, i.found) == ("Скапаротти", "Скапарротти")
    # a forbidden variant is flagged even next to a correct form, and matched by lemma (inflected)
    issues = seed.check("Central Asia", "Центральная Азия, или Средней Азии", "en", "ru")
    assert kinds(issues) == [("forbidden", "Central Asia")] and issues[0].found == "Средней Азии"


def test_agreement_error(seed):
    target = KP_RU.replace("газете «Комсомольская правда»", "«Комсомольская правды»")
    issues = seed.check(KP_EN, target, "en", "ru")
    assert kinds(issues) == [("agreement", "Komsomolskaya Pravda")]
    assert "«Комсомольская правды» do not agree" in issues[0].message
    assert "did you mean «Комсомольской правды»" in issues[0].message
    assert target[issues[0].start : issues[0].end] == "«Комсомольская правды»"
    # gender: «Комсомольский правда» is nominative singular on both words, and still wrong
    assert kinds(seed.check("Komsomolskaya Pravda", "газета Комсомольский правда", "en", "ru")) == [("agreement", "Komsomolskaya Pravda")]


def test_missing_untranslated_and_letter_case(seed):
    assert kinds(seed.check("NATO forces", "силы альянса", "en", "ru")) == [("missing", "NATO")]
    issues = seed.check("NATO forces", "силы Нато", "en", "ru")
    assert kinds(issues) == [("wrong-form", "NATO")] and "letter case" in issues[0].message
    issues = seed.check("the Reuters news agency", "агентство Reuters", "en", "ru")
    assert kinds(issues) == [("wrong-form", "Reuters")] and "left untranslated" in issues[0].message
    issues = seed.check("General Scaparrotti", "генерал Скапароти", "en", "ru")  # a misspelling no list names
    assert kinds(issues) == [("missing", "Scaparrotti")] and issues[0].found == "Скапароти"


def test_alternatives_and_dnt(seed):
    assert seed.check("Taliban officials confirmed", "представители талибов подтвердили", "en", "ru") == []
    assert seed.check("The Moscow Times’ team", "команда The Moscow Times", "en", "ru") == []
    assert kinds(seed.check("The Moscow Times’ team", "команда «Московского времени»", "en", "ru")) == [
        ("forbidden", "The Moscow Times")
    ]


def test_ru_en_direction(seed):
    assert seed.check("Генерал Скапаротти заявил", "General Scaparrotti said", "ru", "en") == []
    assert seed.check("интервью «Комсомольской правде»", "an interview with Komsomolskaya Pravda", "ru", "en") == []
    assert kinds(seed.check("силы НАТО", "the alliance's forces", "ru", "en")) == [("missing", "NATO")]
    assert kinds(seed.check("силы НАТО", "Nato forces", "ru", "en")) == [("wrong-form", "NATO")]
    assert kinds(seed.check("в Кремле", "в Кремле said", "ru", "en")) == [("wrong-form", "Kremlin")]
    with pytest.raises(ValueError):
        seed.check("a", "b", "en", "de")


def entry(source, target, line=1, lang=("en", "ru")):
    return CheckEntry("locales/ru/article.po", line, None, source, target, *lang)


def test_glossary_check_findings(seed):
    check = GlossaryCheck(seed)
    assert check.id == "glossary" and check.severity == ERROR
    findings = list(check.check(entry(SCAP_EN, "— заявил генерал Скапарротти.", 12)))
    assert len(findings) == 1
    f = findings[0]
    assert (f.check_id, f.severity, f.line, f.term, f.expected, f.found) == (
        "glossary", ERROR, 12, "Scaparrotti", "Скапаротти", "Скапарротти"
    )
    assert "forbidden variant" in f.message and f.extra["issue"] == "forbidden"
    assert list(check.check(entry(SCAP_EN, ""))) == []
    assert list(check.finish()) == []  # one rendering only


def test_consistency_across_the_project(seed):
    check = GlossaryCheck(seed)
    for n in range(3):
        list(check.check(entry("Taliban officials confirmed", "представители «Талибана» подтвердили", 10 + n)))
    list(check.check(entry("the Taliban", "талибы", 40)))
    list(check.check(entry("NATO", "НАТО", 41)))
    list(check.check(entry("NATO", "НАТО", 42)))
    (f,) = check.finish()
    assert (f.check_id, f.severity, f.line, f.term, f.found) == ("glossary-consistency", WARNING, 40, "Taliban", "талибы")
    assert "rendered inconsistently" in f.message and "«Талибана» in 3 entries" in f.message


def test_10k_distinct_entries_each_get_their_own_findings(seed, monkeypatch):
    # every entry has a number of its own (no two texts alike: nothing is replayed from an earlier
    # entry), some before the term, so that the same stretch of a term stands at other positions
    pairs = [
        (SCAP_EN.replace("Thursday", "on day {n}"), "— заявил в день {n} генерал Скапаротти.", []),
        (KP_EN.replace("this year", "in {n}"), KP_RU.replace("рассказал", "в {n} году рассказал"), []),
        ("The weather was fine on day {n}.", "В день {n} погода была хорошей.", []),
        ("The Taliban took control of {n} districts.", "Талибы взяли под контроль {n} районов.", []),
        ("General Scaparrotti said {n} soldiers were wounded.", "Генерал Скапарротти сказал, что ранены {n} солдат.",
         [("forbidden", "Скапарротти")]),
        ("{n} soldiers were wounded, General Scaparrotti said.", "Ранены {n} солдат, сказал генерал Скапарротти.",
         [("forbidden", "Скапарротти")]),
        ("Komsomolskaya Pravda sent {n} reporters to Central Asia.", "«Комсомольская правды» направила {n} корреспондентов в Среднюю Азию.",
         [("agreement", "«Комсомольская правды»"), ("forbidden", "Среднюю Азию")]),
        ("The Kremlin said NATO had moved {n} tanks.", "Кремлин заявил, что Нато перебросило {n} танков.",
         [("missing", "Кремлин"), ("wrong-form", "Нато")]),
        ("On day {n} the Kremlin said NATO had moved tanks.", "В день {n} Кремль заявил, что НАТО перебросило танки.", []),
    ]  # fmt: skip

    def run():
        check = GlossaryCheck(seed)
        entries, per_entry = [], []
        for n in range(10_000):
            source, target, want = pairs[n % len(pairs)]
            e = entry(source.format(n=n), target.format(n=n), n)
            entries.append(e)
            per_entry.append([(f.extra["issue"], f.found, f.extra["start"], f.extra["end"], f.message) for f in check.check(e)])
        return entries, per_entry, [(f.message, f.line) for f in check.finish()]

    entries, per_entry, across = run()
    assert len({(e.source, e.target) for e in entries}) == 10_000
    for n, (e, got) in enumerate(zip(entries, per_entry)):
        want = pairs[n % len(pairs)][2]
        assert [g[:4] for g in got] == [(k, f, e.target.index(f), e.target.index(f) + len(f)) for k, f in want], e.target
    assert across == [
        ('term "Scaparrotti" is rendered inconsistently: «Скапаротти» here and in 1111 more entries, «Скапарротти» in 2222 entries', 0),
        ('term "Taliban" is rendered inconsistently: «Талибы» here and in 1110 more entries, «Талибана» in 1111 entries', 3),
        ('term "Kremlin" is rendered inconsistently: «Кремль» here and in 1110 more entries, «Кремлин» in 1111 entries', 8),
    ]
    # judged on every whole text, the same
    monkeypatch.setattr("tolmach.glossary.verify._LOCAL_VERDICTS", False)
    assert run()[1:] == (per_entry, across)


def test_a_repeated_pair_is_reported_for_every_entry(seed):
    # the check remembers the texts it has seen in a run: each entry still gets its own findings and
    # counts once across the project
    check = GlossaryCheck(seed)
    bad = ("The Kremlin said so.", "Кремлин так сказал.")
    first = list(check.check(CheckEntry("locales/ru/a.po", 3, None, *bad, "en", "ru")))
    again = list(check.check(CheckEntry("locales/ru/b.po", 7, "ctx", *bad, "en", "ru")))
    assert [(f.path, f.line, f.msgctxt, f.found) for f in first + again] == [
        ("locales/ru/a.po", 3, None, "Кремлин"), ("locales/ru/b.po", 7, "ctx", "Кремлин")
    ]
    assert [f.message for f in first] == [f.message for f in again]
    for n in range(3):
        list(check.check(entry("The Kremlin said so.", "Кремль так сказал.", 20 + n)))
    (f,) = check.finish()
    assert f.check_id == "glossary-consistency" and (f.path, f.line) == ("locales/ru/a.po", 3)
    assert "«Кремлин» here and in 1 more entry, «Кремль» in 3 entries" in f.message
    # the same two texts the other way round are another question
    assert list(check.check(entry("Kremlin", "Kremlin", 30))) and not list(check.check(entry("Kremlin", "Kremlin", 31, ("ru", "en"))))


def test_a_term_split_by_markdown_or_html_markup_is_checked_in_the_words(tmp_path):
    # a unit of a Markdown or HTML article is checked in its words without the markup, in the source
    # and in the target: a forbidden variant inside a link or emphasis is found, a correct rendering
    # split by it (as enforcement writes it: «Кертис **Скапаротти**») is not "not found"
    import json

    from helpers import tolmach

    rows = [
        ("markdown", "The [Senate Armed Services](https://x.org/) Committee met on Monday.",
         "[Комитет по вооружённым службам](https://x.org/) собрался в понедельник."),
        ("markdown", "The *Supreme Allied* Commander met the *Soviet* Union veterans.",
         "*Высший союзный* командующий встретился с ветеранами *Совет* Союз."),
        ("markdown", "General **Curtis Scaparrotti** spoke.", "Генерал Кертис **Скапаротти** выступил."),
        ("markdown", "General [Curtis Scaparrotti](https://x.org/cs) spoke.",
         "Генерал [Кертис](https://x.org/cs) Скапаротти выступил."),
        ("markdown", "General **Curtis Scaparrotti**, the commander, spoke.",
         "Генерала Кертиса **Скапаротти**, командующего, выслушали."),
        ("html", 'General <a href="https://x.org/cs">Curtis</a> Scaparrotti spoke.',
         'Генерал <a href="https://x.org/cs">Кертис</a> Скапаротти выступил.'),
        ("html", "The <em>Supreme Allied</em> Commander spoke.", "<em>Высший союзный</em> командующий выступил."),
    ]
    body = "".join(
        f'#. tolmach: format {fmt}\nmsgctxt "body:{n}"\nmsgid "{s.replace(chr(34), chr(92) + chr(34))}"\n'
        f'msgstr "{t.replace(chr(34), chr(92) + chr(34))}"\n\n'
        for n, (fmt, s, t) in enumerate(rows, 1)
    )
    po = tmp_path / "locales" / "ru" / "t.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n'
                  '"X-Source-Language: en\\n"\n\n' + body, encoding="utf-8")
    result = tolmach("check", po, "--glossary", SEED.parent, "--no-cache", "--format", "json", "--disable", "markup")
    findings = [f for f in json.loads(result.output)["findings"] if f["check_id"] == "glossary"]
    got = [(f["msgctxt"], f["extra"]["issue"], f["term"]) for f in findings]
    assert got == [
        ("body:1", "forbidden", "Senate Armed Services Committee"),
        ("body:2", "forbidden", "Supreme Allied Commander"),
        ("body:2", "forbidden", "Soviet Union"),
        ("body:7", "forbidden", "Supreme Allied Commander"),
    ], got
    # where: in the msgstr as written
    targets = {f"body:{n}": t for n, (_, _, t) in enumerate(rows, 1)}
    spans = [targets[f["msgctxt"]][f["extra"]["start"]:f["extra"]["end"]] for f in findings]
    assert spans == ["Комитет по вооружённым службам", "Высший союзный* командующий", "Совет* Союз",
                     "Высший союзный</em> командующий"]
    # a text-format entry is read as it is written: its stars are stars
    plain = po.read_text(encoding="utf-8").replace("#. tolmach: format markdown\n", "")
    po.write_text(plain, encoding="utf-8")
    result = tolmach("check", po, "--glossary", SEED.parent, "--no-cache", "--format", "json", "--disable", "markup")
    missing = {f["msgctxt"] for f in json.loads(result.output)["findings"] if f["extra"].get("issue") == "missing"}
    assert {"body:3", "body:4"} <= missing


def test_soft_hyphens_zero_width_spaces_and_stress_marks_do_not_split_a_word(tmp_path):
    """A soft hyphen or zero-width space in "Scapar\u00adrotti" hid the term (a wrong translation
    passed), a stress mark in «Скапаро\u0301тти» or a soft hyphen in «Скапа\u00adротти» made a
    correct one an error ('found «Скапаро» (misspelt?)', 'not found') and an inconsistency. The
    positions of a finding are in the msgstr as written."""
    import json

    from helpers import assert_valid_po, tolmach

    rows = [
        ("General Scapar\u00adrotti said it.", "Генерал Кузнец сказал это."),
        ("General Scapar\u200brotti said it.", "Генерал Кузнец сказал это."),
        ("General Scaparrotti said it.", "Генерал Скапаро\u0301тти сказал это."),
        ("General Scaparrotti said it.", "Генерал Скапа\u00adротти сказал это."),
        ("General Scaparrotti said it.", "Генерал Скапаротти сказал это."),
        ("General Scaparrotti said it.", "Ска\u0301пап \u00adгенерал Скапа\u00adрро\u0301тти сказал это."),
    ]
    body = "".join(f'msgctxt "body:{n}"\nmsgid "{s}"\nmsgstr "{t}"\n\n' for n, (s, t) in enumerate(rows, 1))
    po = tmp_path / "locales" / "ru" / "t.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n'
                  '"X-Source-Language: en\\n"\n\n' + body, encoding="utf-8")
    assert_valid_po(po)
    result = tolmach("check", po, "--glossary", SEED.parent, "--no-cache", "--format", "json", "--only", "glossary")
    findings = json.loads(result.output)["findings"]
    got = [(f["msgctxt"], f["check_id"], f["extra"].get("issue"), f["term"]) for f in findings]
    assert got == [("body:1", "glossary", "missing", "Scaparrotti"), ("body:2", "glossary", "missing", "Scaparrotti"),
                   ("body:6", "glossary", "forbidden", "Scaparrotti"),
                   ("body:6", "glossary-consistency", None, "Scaparrotti")], got
    # the stressed and the hyphenated «Скапаротти» are the one rendering of the other entries
    assert findings[-1]["extra"]["renderings"] == {"Скапаротти": 3, "Скапарротти": 1}
    (forbidden,) = [f for f in findings if f["msgctxt"] == "body:6" and f["check_id"] == "glossary"]
    assert rows[5][1][forbidden["extra"]["start"]:forbidden["extra"]["end"]] == "Скапа\u00adрро\u0301тти"
