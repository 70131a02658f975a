"""The QA checks one by one: each flags its planted error and passes a clean entry."""

from __future__ import annotations

import time

import pytest

from tolmach.checks import qa
from tolmach.checks.base import ERROR, INFO, WARNING, CheckEntry


def entry(source: str, target: str, *, src="en", tgt="ru", flags=(), comments=()) -> CheckEntry:
    return CheckEntry(
        path="t.po",
        line=7,
        msgctxt="body-1",
        source=source,
        target=target,
        source_lang=src,
        target_lang=tgt,
        flags=tuple(flags),
        comments=tuple(comments),
    )


def run(check, e: CheckEntry):
    return list(check.check(e))


def ids(check, e):
    return [(f.check_id, f.severity) for f in run(check, e)]


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source,target",
    [
        ("In 2007, 1,000 people came.", "В 2007 году пришли 1 000 человек."),
        ("In 2007, 1,000 people came.", "В 2007 году пришли 1\u00a0000 человек."),
        ("In 2007, 1,000 people came.", "В 2007 году пришли 1\u2009000 человек."),
        ("It grew by 1,000.5 tonnes.", "Рост составил 1 000,5 тонны."),
        ("Prices rose 3.5%.", "Цены выросли на 3,5%."),
        ("It has 2.4 billion users.", "У него 2,4 млрд пользователей."),
        ("Up to 17,000 people.", "До 17 тыс. человек."),
        ("The £40m signing.", "Трансфер за 40 млн фунтов."),
        ("No numbers here.", "Здесь нет чисел."),
    ],
)
def test_numbers_clean(source, target):
    assert run(qa.NumbersCheck(), entry(source, target)) == []


def test_numbers_changed_is_error():
    (f,) = run(qa.NumbersCheck(), entry("The price rose to 1,500 rubles.", "Цена выросла до 1 600 рублей."))
    assert (f.check_id, f.severity) == ("numbers", ERROR)
    assert f.expected == "1,500" and f.found == "1 600"
    assert f.path == "t.po" and f.line == 7 and f.msgctxt == "body-1"


def test_numbers_small_number_as_word_is_only_a_warning():
    assert ids(qa.NumbersCheck(), entry("He has 3 sons.", "У него три сына.")) == [("numbers", WARNING)]


def test_numbers_year_stays_a_year():
    found = ids(qa.NumbersCheck(), entry("It happened in 2007.", "Это случилось в 2 007 году."))
    assert ("numbers", WARNING) in found


def test_numbers_ru_to_en():
    assert run(qa.NumbersCheck(), entry("Пришли 1 000 человек.", "1,000 people came.", src="ru", tgt="en")) == []
    assert ids(qa.NumbersCheck(), entry("Пришли 1 000 человек.", "100 people came.", src="ru", tgt="en")) == [
        ("numbers", ERROR)
    ]


def test_numbers_copied_as_written_or_a_telephone_number_are_preserved(tmp_path):
    # the same digits copied unchanged are never a finding, however each language reads their
    # grouping ("7 495 123": three numbers in English, one in Russian); a telephone number is one
    # number, its digits, on both sides
    check = qa.NumbersCheck()
    clean = [
        ("Call the hotline on +7 495 123-45-67 for details.", "Звоните на горячую линию +7 495 123-45-67."),
        ("Call +7 (495) 123-45-67 now.", "Звоните +7 495 123-45-67."),
        ("Ring +44 20 7946 0958 or +1 (202) 555-0100.", "Звоните +1 (202) 555-0100 или +44 20 7946 0958."),
        ("Code 7 495 123 here.", "Код 7 495 123 здесь."),
        ("It cost 1 000 euros.", "Это стоило 1 000 евро."),
        ("Rose by +5 000.", "Рост на +5 000."),
        ("Rose by +1,500,000.", "Рост на +1 500 000."),
    ]
    for source, target in clean:
        assert run(check, entry(source, target)) == [], target
        assert run(check, entry(target, source, src="ru", tgt="en")) == [], source
    (f,) = run(check, entry("Call +7 495 123-45-67 now.", "Звоните +7 495 123-45-68."))
    assert (f.severity, f.expected, f.found) == (ERROR, "+7 495 123-45-67", "+7 495 123-45-68")
    assert ids(check, entry("It cost 1 000 euros.", "Это стоило 1 001 евро.")) == [("numbers", WARNING)]
    # but a copy with a comma changes the number: "1,000" in Russian is one (a decimal comma), "1,5"
    # in English is two numbers
    assert ids(check, entry("About 1,000 people came.", "Пришли около 1,000 человек.")) == [("numbers", ERROR)]
    assert ids(check, entry("Рост на 1,5 процента.", "Growth of 1,5 percent.", src="ru", tgt="en")) == [("numbers", ERROR)]
    # through the runner, inside an HTML code element too
    rows = [("html", "Call <code>+7 495 123-45-67</code> or 8 495 123 for details.",
             "Звоните <code>+7 495 123-45-67</code> или 8 495 123.")]
    assert [f for f in _check_po(tmp_path, rows) if f[1] == "numbers"] == []


def test_numbers_ignore_urls():
    e = entry("See https://x.org/a/2019/5 now.", "См. https://x.org/a/2019/5 сейчас.")
    assert run(qa.NumbersCheck(), e) == []


# --- quotes --------------------------------------------------------------------------------------


def test_quotes_clean_and_nested():
    check = qa.QuotesCheck()
    assert run(check, entry('He said "no".', "Он сказал «нет».")) == []
    assert run(check, entry('The "Times" said', "Газета «Издание „Таймс“» сообщила")) == []


def test_quotes_straight_is_error():
    (f,) = run(qa.QuotesCheck(), entry('He called it "a disaster".', 'Он назвал это "катастрофой".'))
    assert (f.check_id, f.severity) == ("quotes", ERROR)


def test_quotes_english_curly_and_nested_guillemets_are_warnings():
    check = qa.QuotesCheck()
    assert ids(check, entry('He said "no".', "Он сказал “нет”.")) == [("quotes", WARNING)]
    found = run(check, entry("x", "Он сказал «это «катастрофа» для нас»."))
    assert [f.severity for f in found] == [WARNING] and "„" in found[0].message


def test_quotes_guillemets_in_english_target():
    assert ids(qa.QuotesCheck(), entry("Он сказал «нет».", "He said «no».", src="ru", tgt="en")) == [
        ("quotes", WARNING)
    ]


# --- punctuation ---------------------------------------------------------------------------------


def test_punctuation():
    check = qa.PunctuationCheck()
    assert run(check, entry("He left.", "Он ушёл.")) == []
    assert run(check, entry('He asked: "Why?"', "Он спросил: «Почему?»")) == []
    assert run(check, entry('He said "yes."', "Он сказал «да».")) == []
    assert run(check, entry("Wait...", "Подождите…")) == []
    (f,) = run(check, entry("He left.", "Он ушёл"))
    assert (f.check_id, f.severity, f.expected) == ("punctuation", WARNING, ".")
    assert ids(check, entry("Really?", "Правда.")) == [("punctuation", WARNING)]
    assert ids(check, entry("Headline", "Заголовок.")) == [("punctuation", WARNING)]


# --- untranslated, Latin -------------------------------------------------------------------------


def test_untranslated():
    check = qa.UntranslatedCheck()
    assert ids(check, entry("The talks failed.", "The talks failed.")) == [("untranslated", WARNING)]
    assert run(check, entry("The talks failed.", "Переговоры провалились.")) == []
    assert run(check, entry("2007", "2007")) == []
    assert run(check, entry("https://example.com", "https://example.com")) == []
    assert run(qa.UntranslatedCheck(allowed_latin={"Reuters"}), entry("Reuters", "Reuters")) == []


def test_untranslated_credit_is_lenient():
    credit = entry("Allauddin Khan / AP", "Allauddin Khan / AP", comments=["tolmach: credit, unit 3 of 9"])
    assert run(qa.UntranslatedCheck(), credit) == []


def test_latin_words_in_russian():
    check = qa.LatinCheck()
    (f,) = run(check, entry("The company said so.", "В понедельник company заявила это."))
    assert (f.check_id, f.severity, f.found) == ("latin", WARNING, "company")
    assert run(check, entry("The company said so.", "Компания так заявила.")) == []


def test_latin_allowed_spans():
    check = qa.LatinCheck(allowed_latin={"The Moscow Times"})
    clean = [
        ("Write to news@example.com.", "Пишите на news@example.com."),
        ("See https://example.com/a.", "См. https://example.com/a."),
        ("The Moscow Times reported.", "The Moscow Times сообщила."),
        ("In the 21st century.", "В XXI веке."),
        ("Flight MH17 was downed.", "Рейс MH17 был сбит."),
        ("Photo: AP", "Фото: AP"),
        # printf placeholders of the source, in a catalog without a c-format flag (regression:
        # "Latin letters in Russian text: d")
        ("%d articles", "%d статей"),
        ("Saved %s files in %1$s.", "Сохранено файлов: %s, в %1$s."),
    ]
    for source, target in clean:
        assert run(check, entry(source, target)) == [], target
    (f,) = run(check, entry("%d articles", "%s статей"))  # one the source does not have is no placeholder
    assert f.found == "s"


def test_latin_credit_line():
    check = qa.LatinCheck()
    credit = ["tolmach: credit, unit 2 of 10", "tolmach: photo credit: translate the name, keep the agency"]
    assert run(check, entry("Allauddin Khan / AP", "Аллауддин Хан / AP", comments=credit)) == []
    assert run(check, entry("Allauddin Khan / AP", "Allauddin Khan / AP", comments=credit)) == []


def test_latin_names_copied_from_source_are_info_and_mixed_script_is_error():
    check = qa.LatinCheck()
    assert ids(check, entry("Google said so.", "Google так заявила.")) == [("latin", INFO)]
    # a Latin "P" inside a Cyrillic word
    assert ids(check, entry("Russia said so.", "Pоссия так заявила.")) == [("latin", ERROR)]
    assert run(qa.LatinCheck(), entry("Russia", "Россия", tgt="en")) == []


# --- URLs, placeholders --------------------------------------------------------------------------


def test_urls():
    check = qa.UrlsCheck()
    assert run(check, entry("Read https://example.com/a?b=1.", "Читайте https://example.com/a?b=1.")) == []
    (f,) = run(check, entry("Read https://example.com/news.", "Читайте https://example.com/novosti."))
    assert (f.check_id, f.severity) == ("urls", ERROR)
    assert f.expected == "https://example.com/news" and f.found == "https://example.com/novosti"
    assert ids(check, entry("Mail a@b.org now.", "Пишите сейчас.")) == [("urls", ERROR)]


def test_placeholders():
    check = qa.PlaceholdersCheck()
    assert run(check, entry("Read more at {site}.", "Подробнее на {site}.")) == []
    (f,) = run(check, entry("Read more at {site}.", "Подробнее на сайте."))
    assert (f.check_id, f.severity, f.expected) == ("placeholders", ERROR, "{site}")
    assert ids(check, entry("Hello %(name)s", "Привет %(nom)s")) == [("placeholders", ERROR)]
    assert ids(check, entry("<b>Bold</b> text", "<b>Жирный текст")) == [("placeholders", ERROR)]
    # printf only with a format flag: "50% of" is not a placeholder
    assert run(check, entry("50% of voters", "50% избирателей")) == []
    assert ids(check, entry("%d votes", "голосов", flags=["c-format"])) == [("placeholders", ERROR)]


# --- length, spaces, sentences -------------------------------------------------------------------


def test_length_ratio():
    check = qa.LengthRatioCheck()
    source = "The government said on Monday that the talks had failed."
    assert run(check, entry(source, "В понедельник правительство заявило, что переговоры провалились.")) == []
    (f,) = run(check, entry(source, "Нет."))
    assert (f.check_id, f.severity) == ("length-ratio", WARNING) and "short" in f.message
    assert ids(check, entry(source, "Очень " * 40)) == [("length-ratio", WARNING)]
    assert run(check, entry("Yes.", "Да, конечно, безусловно и несомненно.")) == []  # too short to judge
    assert run(qa.LengthRatioCheck(min=0.01), entry(source, "Нет.")) == []


def test_double_space():
    check = qa.DoubleSpaceCheck()
    assert run(check, entry("Officials met.", "Чиновники встретились.")) == []
    assert ids(check, entry("Officials met.", "Чиновники  встретились.")) == [("double-space", WARNING)]
    assert ids(check, entry("1,000", "1\u00a0\u00a0000")) == [("double-space", WARNING)]


def test_sentence_count():
    check = qa.SentenceCountCheck()
    assert run(check, entry("He left. She stayed.", "Он ушёл. Она осталась.")) == []
    assert run(check, entry("Mr. Smith left. She stayed.", "Г-н Смит ушёл. Она осталась.")) == []
    assert run(check, entry("J. R. Smith left.", "Дж. Р. Смит ушёл.")) == []
    assert run(check, entry("It was in 2007 (see p. 5).", "Это было в 2007 г. Москва.")) == []  # "г." abbreviation
    (f,) = run(check, entry("He left. She stayed.", "Он ушёл, а она осталась."))
    assert (f.check_id, f.severity, f.expected, f.found) == ("sentence-count", WARNING, "2", "1")


def test_count_sentences():
    assert qa.count_sentences("One. Two! Three? «Four.» Five…") == 5
    assert qa.count_sentences("Dr. No said so.") == 1


# --- repeated words ------------------------------------------------------------------------------


def test_repeated_words_in_a_huge_entry_take_linear_time():
    # each repeat of the target was looked up in a list of the source's repeats: 40,000 of each
    # took 15 s (0.5 MB: 3 s, 2.7 MB: 2 min); now a set, well under a second
    source, target = "Word Word " * 40_000, "слово слово " * 40_000
    started = time.process_time()
    (f,) = run(qa.RepeatedWordsCheck(), entry(source, target))
    elapsed = time.process_time() - started
    assert elapsed < 1, elapsed
    assert (f.check_id, f.severity) == ("repeated-words", WARNING)
    assert f.found == ", ".join(["слово слово"] * 40_000)
    # a name the source repeats stays allowed however long the entry is
    assert run(qa.RepeatedWordsCheck(), entry(source, "Слово Слово " * 40_000)) == []


def test_every_check_has_id_severity_description():
    seen = set()
    for cls in qa.QA_CHECKS:
        assert cls.id and cls.id not in seen and cls.severity in (ERROR, WARNING) and cls.description
        seen.add(cls.id)


def _check_po(tmp_path, rows, *options):
    """``tolmach check --format json`` over a PO file of (format or None, msgid, msgstr) rows."""
    import json

    from helpers import tolmach

    def q(text):
        return text.replace("\\", "\\\\").replace('"', '\\"')

    body = "".join(
        (f"#. tolmach: format {fmt}\n" if fmt else "") + f'msgctxt "body:{n}"\nmsgid "{q(s)}"\nmsgstr "{q(t)}"\n\n'
        for n, (fmt, s, t) in enumerate(rows, 1)
    )
    po = tmp_path / "locales" / "ru" / "t.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n'
                  '"X-Source-Language: en\\n"\n\n' + body, encoding="utf-8")
    result = tolmach("check", po, "--no-glossary", "--no-cache", "--format", "json", *options)
    return [(f["msgctxt"], f["check_id"], f["severity"], f.get("found")) for f in json.loads(result.output)["findings"]]


def test_markdown_syntax_is_no_text_of_the_translation(tmp_path):
    # link and image titles (not translated: README), code spans, link destinations and reference
    # labels of a Markdown unit are syntax: no straight quotes or Latin words of the Russian text
    rows = [
        ("markdown", 'He cited [a report](https://example.com/r "Full report") by `nato_stats.csv`.',
         'Он сослался на [доклад](https://example.com/r "Full report") из `nato_stats.csv`.'),
        ("markdown", 'See ![the map](https://example.com/m.png "Photo: AP") and [the report][earlier].',
         'См. ![карту](https://example.com/m.png "Photo: AP") и [доклад][earlier].'),
        ("markdown", "The file `config.toml` and <https://example.com/x> and [the (draft) text](draft.html 'Draft').",
         "Файл `config.toml`, <https://example.com/x> и [текст (проект)](draft.html 'Draft')."),
    ]
    assert _check_po(tmp_path, rows) == []
    # the words of the sentence are still read: a quote or a Latin word in a link's text, outside a code span
    rows = [
        ("markdown", 'He cited [a "report"](https://example.com/r "Full report").',
         'Он сослался на ["доклад"](https://example.com/r "Full report").'),
        ("markdown", "The file `config.toml` was read.", "Файл `config.toml` был read."),
    ]
    assert _check_po(tmp_path, rows) == [("body:1", "quotes", "error", '"'), ("body:2", "latin", "warning", "read")]
    # a plain-text unit has no Markdown: its "…" are quotes
    rows = [(None, 'He cited [a report](https://example.com/r "Full report").',
             'Он сослался на [доклад](https://example.com/r "Full report").')]
    assert ("body:1", "quotes", "error", '"') in _check_po(tmp_path, rows)


def test_html_code_elements_are_no_text_of_the_translation(tmp_path):
    """The words of an HTML unit's <code>, <kbd> and <var> (kept whole for the model, as a Markdown
    code span is) were Latin words of the Russian text: "pip, install, foo"."""
    rows = [
        ("html", "Run <code>pip install foo</code> or press <KBD>Ctrl</KBD>+<kbd class='k'>Shift</kbd> now.",
         "Выполните <code>pip install foo</code> или нажмите <KBD>Ctrl</KBD>+<kbd class='k'>Shift</kbd> сейчас."),
        ("html", 'Set <var>count</var> in <a href="https://example.com/x" title="Home page">the file</a>.',
         'Задайте <var>count</var> в <a href="https://example.com/x" title="Home page">файле</a>.'),
    ]
    assert _check_po(tmp_path, rows) == []
    # the sentence's own words are still read, and a plain-text unit's "<code>" is text
    rows = [("html", "Run <code>pip install</code> now.", "Выполните <code>pip install</code> now."),
            (None, "Run <code>pip install</code> now.", "Выполните <code>pip install</code> сейчас.")]
    assert _check_po(tmp_path, rows) == [("body:1", "latin", "warning", "now"),
                                         ("body:2", "latin", "warning", "pip, install")]


def test_a_units_character_references_are_characters(tmp_path):
    """In a Markdown or HTML unit "&nbsp;", "&amp;" and "&quot;" are characters (the model sees them
    so and never writes the reference): they were placeholders the target had to keep, «да» for
    "&quot;yes&quot;" was an error and the ";" of "&quot;." the final mark. In another tool's
    catalog (no format comment) a reference is still a token to keep."""
    only = [a for c in ("placeholders", "punctuation", "quotes", "numbers") for a in ("--only", c)]
    rows = [
        ("markdown", "Prices rose by 2&nbsp;% on Monday, AT&amp;T said.",
         "Цены выросли на 2\u00a0% в понедельник, сообщила AT&T."),
        ("markdown", "He said &quot;yes&quot;.", "Он сказал «да»."),
        ("markdown", "He waited&hellip;", "Он ждал…"),
        ("markdown", "It cost 1,000 rubles.", "Это стоило 1&nbsp;000 рублей."),
        ("html", "<b>AT&amp;T</b> said &quot;no&quot;.", "<b>AT&T</b> ответила «нет»."),
    ]
    assert _check_po(tmp_path, rows, *only) == []
    rows = [
        ("markdown", "He said &quot;yes&quot;.", "Он сказал &quot;да&quot;."),  # straight quotes, as rendered
        ("markdown", "AT&amp;T said &lt;b&gt;.", "AT&T сказала <b>."),  # "&lt;b&gt;" is text, "<b>" a tag
        (None, "Fish &amp; chips", "Рыба и картошка"),
    ]
    assert _check_po(tmp_path, rows, *only) == [("body:1", "quotes", "error", '"'),
                                                ("body:2", "placeholders", "error", "<b>"),
                                                ("body:3", "placeholders", "error", None)]


def test_the_markup_check_reads_only_markdown_units(tmp_path):
    """A plain-text article's "*really*" and backticks are characters, not Markdown: a translation
    without them was 'markup of the source missing: 1 emphasis', exit 1. So are an HTML unit's and
    those of a catalog another tool wrote (no format comment); a Markdown unit's are still checked."""
    from helpers import assert_valid_po, tolmach

    (tmp_path / "a.txt").write_text("The word *really* matters, he said.\n\nRun `pip install` now.\n", encoding="utf-8")
    (tmp_path / "mt.tsv").write_text("The word *really* matters, he said.\tСлово действительно важно, сказал он.\n"
                                     "Run `pip install` now.\tЗапустите pip install сейчас.\n", encoding="utf-8")
    res = tolmach("translate-article", "a.txt", "--to", "ru", "--no-memory", "--no-glossary", "--engine", "recorded",
                  "--recorded", "mt.tsv", "-o", "a.ru.txt", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert [e.msgstr for e in assert_valid_po(tmp_path / "locales/ru/LC_MESSAGES/a.po")] == [
        "Слово действительно важно, сказал он.", "Запустите pip install сейчас."]
    res = tolmach("check", "locales", "--fuzzy", "--no-cache", "--only", "markup", cwd=tmp_path)
    assert res.exit_code == 0 and res.output.startswith("No problems found"), res.output
    rows = [(fmt, "The word *really* matters, said `git`.", "Слово действительно важно, сказал git.")
            for fmt in (None, "html", "markdown")]
    assert [f[:3] for f in _check_po(tmp_path, rows, "--only", "markup")] == [("body:3", "markup", "error")] * 2


def test_a_markdown_units_url_is_compared_as_a_reader_sees_it():
    """The build escapes the Markdown marks of what the model wrote ("/\\_next/"): the urls check
    called such a URL changed, though it reads as the source's."""
    import tempfile
    from pathlib import Path

    rows = [("markdown", "See https://example.com/_next/page?_ga=1 or mail first_last@example.com.",
             "См. https://example.com/\\_next/page?\\_ga=1 или first\\_last@example.com."),
            (None, "See https://example.com/_next/ today.", "См. https://example.com/\\_next/ сегодня.")]
    with tempfile.TemporaryDirectory() as tmp:
        found = _check_po(Path(tmp), rows)
    assert [f for f in found if f[1] == "urls"] == [("body:2", "urls", "error", "https://example.com/\\_next/")]
