"""The shortcuts that make the QA checks fast are exact: each may only skip work that cannot end in a
finding. Every test here fails if a shortcut skips too much: either a planted problem at the edge
of a shortcut is still found, or a shortcut is compared with the slow way it stands for over many
texts made of the characters it is about (seeded, so a failure repeats)."""

from __future__ import annotations

import random
import re

import pytest

from tolmach.checks import qa, runner
from tolmach.checks.base import ERROR, INFO, WARNING, Check, CheckEntry
from tolmach.errors import TolmachError


def entry(source: str, target: str, *, src="en", tgt="ru", flags=(), comments=()) -> CheckEntry:
    return CheckEntry("t.po", 7, "body-1", source, target, src, tgt, flags=tuple(flags), comments=tuple(comments))


def found(check, source, target, **kw):
    return [(f.check_id, f.severity, f.found) for f in check.check(entry(source, target, **kw)) or ()]


def texts(alphabet: list[str], count: int, seed: int, longest: int = 14) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, longest))) for _ in range(count)]


# --- URLs, e-mails, placeholders (technical_spans) -----------------------------------------------

SPAN_BITS = list("ab.:/@%{}<>&$()sw W1-_ж") + ["www.", "WWW.", "wWw.", "http", "://", ".com", ".ru", ".ſu", "%(", "%d", "&amp;",
                                               "<b>", "{x}", "${v}", "lenta", "Lenta", "x.org", ".int", ".news"]


# What qa._may_have_spans answers, as one pattern: an "@", a placeholder hint or a possible URL
SPAN_POSSIBLE_RE = re.compile(r"[.:@%{}$<&](?:(?<=[@%{}$<&])|(?<=:)//|(?<=[wW]\.)|(?<=\.)[" + qa._TLD_INITIALS + "])")


def test_the_span_shortcuts_never_hide_a_url_email_or_placeholder():
    for text in texts(SPAN_BITS, 6000, seed=1, longest=8):
        if not qa._URL_POSSIBLE_RE.search(text):
            assert not qa._URL_RE.search(text), text
        if not SPAN_POSSIBLE_RE.search(text):
            assert not (qa._EMAIL_RE.search(text) or qa._URL_RE.search(text) or qa._PLACEHOLDER_RE.search(text)), text
            if "%" not in text:
                assert not qa._PRINTF_RE.search(text), text
        if not qa._PLACEHOLDER_HINT_RE.search(text):  # a "%" alone is no placeholder without a flag
            assert not qa._PLACEHOLDER_RE.search(text), text


def test_entry_spans_are_each_texts_own_spans():
    # entry_spans screens the two texts joined by a line feed: a text ending in ":" or "." before
    # one starting with "//" or a TLD's letters must not make a span, nor hide one
    pairs = [("See:", "//x"), ("a.", "com"), ("www", ".ru"), ("x", "lenta.ru"), ("a@b.org", "x"), ("w.", "ru")]
    rnd = random.Random(3)
    bits = texts(SPAN_BITS, 600, seed=4, longest=5)
    pairs += [(rnd.choice(bits), rnd.choice(bits)) for _ in range(3000)]
    for source, target in pairs:
        for flags in ((), ("c-format",)):
            got = qa.entry_spans(entry(source, target, flags=flags))
            printf = bool(flags)
            assert got == (qa.technical_spans.__wrapped__(source, printf), qa.technical_spans.__wrapped__(target, printf)), (source, target)


URL_BITS = SPAN_BITS + [" ", "\n", "\u00a0", "https://", "HTTP://", "ftp://", "httpſ://", "a.b", "-x.", "x-", "/p", "_",
                        "news.", ".media", ".me", "e.g.", "ж.ru", "@x.com", "(", ")", "»", "«", "\"", "Kabul_(city)"]


def test_the_url_search_from_a_hint_substitutes_what_sub_does():
    def recorder(bucket):
        def repl(m):
            bucket.append((m.start(), m.group(0)))
            return "<" + m.group(0)[::-1] + ">"
        return repl

    for text in texts(URL_BITS, 8000, seed=11, longest=10):
        plain: list = []
        expected = qa._URL_RE.sub(recorder(plain), text)
        hint = qa._URL_HINT_RE.search(text)
        if hint is None:
            assert not plain, text  # the hint is needed: the old condition for the search
            continue
        fast: list = []
        assert qa._sub_urls(text, hint, recorder(fast)) == expected, text
        assert fast == plain, text


def test_the_span_screen_by_substrings_is_the_span_pattern():
    bits = URL_BITS + list("wW:./$}") + ["w.", "W.", ":/", ":\n//", ".\nru", "ж.", ".Ru", "Ж@"]
    for text in texts(bits, 8000, seed=13, longest=8):
        assert qa._may_have_spans(text) == (SPAN_POSSIBLE_RE.search(text) is not None), text


def test_the_url_hint_starting_with_a_set_is_the_plain_one():
    plain = re.compile(r"://|www\.|\.(?:" + qa._TLDS + r")\b", re.IGNORECASE)
    for text in texts(URL_BITS + ["WwW.", "wWw", ".Com", ".MEDIA", ".mediax", ":/", "ww.", ".ſu", ".ru_"], 8000, seed=16, longest=8):
        fast = [m.end() for m in qa._URL_HINT_RE.finditer(text)]
        assert fast == [m.end() for m in plain.finditer(text)], text  # the same hints, each found at its ":" or "."


def test_the_placeholder_hint_starting_with_a_set_is_the_plain_one():
    plain = re.compile(r"[{}<&]|%\(")
    for text in texts(list("%({}<&)a 5") + ["%(", "(%", "%%("], 6000, seed=12, longest=8):
        assert bool(qa._PLACEHOLDER_HINT_RE.search(text)) == bool(plain.search(text)), text


@pytest.mark.parametrize(
    "text,urls,emails,placeholders",
    [
        ("See WWW.EXAMPLE.COM/x now", ["WWW.EXAMPLE.COM/x"], [], []),  # "www." in capitals
        ("read lenta.ru/news today", ["lenta.ru/news"], [], []),  # a bare domain: a full stop before a TLD
        ("ftp://files.example.org.", ["ftp://files.example.org"], [], []),
        ("Mail a@b.org now", [], ["a@b.org"], []),
        ("Hello %(name)s!", [], [], ["%(name)s"]),  # "%(" needs no format flag
        ("Fish &amp; chips <b>hot</b>", [], [], ["&amp;", "<b>", "</b>"]),
        ("Prices rose 3.5% in March.", [], [], []),  # "%" without a flag is no placeholder
        ("Lenta.ru reported.", [], [], []),  # a name, not an address
    ],
)
def test_technical_spans_at_the_edges_of_the_shortcut(text, urls, emails, placeholders):
    got_urls, got_emails, got_placeholders, masked = qa.technical_spans.__wrapped__(text)
    assert (got_urls, got_emails, got_placeholders) == (urls, emails, placeholders)
    assert (masked == text) == (not (urls or emails or placeholders))


def test_printf_placeholders_only_with_a_format_flag():
    assert qa.technical_spans.__wrapped__("%d votes", True)[2] == ["%d"]
    assert qa.technical_spans.__wrapped__("%d votes", False)[2] == []
    # the printf placeholders asked for even when the text has no other placeholder hint
    assert qa.entry_spans(entry("%d votes", "%d голосов", flags=["c-format"]))[1][2] == ["%d"]
    assert qa.entry_spans(entry("%d votes", "%d голосов"))[1] == ([], [], [], "%d голосов")
    check = qa.PlaceholdersCheck()
    assert found(check, "%d votes, 50% turnout", "голосов, явка 50%", flags=["c-format"]) == [("placeholders", ERROR, None)]


# --- numbers --------------------------------------------------------------------------------------

NUMBER_BITS = list("0123456789.,- ") + ["\u00a0", "\u2009", "\u202f", "٣", "k", "m", "M", "K", "bn", "mln", "billion",
                                          "тыс", "тысяча", "млн", "Млрд", "миллионов", "£", "$", "€", "x", "ж", "_", "1,000",
                                          "thousand", "Trillion", "MILLION", "трлн", "триллиона", "миллиард", "ТЫСЯЧИ", "тысячь", "тысячу", "Тысяче",
                                          "1 000", "12.03.2007", "2.4", "1 000 000", " 0000", "1,000,000", ",0000", "000", "12.03.07",
                                          "+", "(", ")", "+7 495 123-45-67", "+1 (202) 555"]


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("ascii_only", [False, True])
def test_the_fast_number_pattern_finds_what_the_plain_one_finds(lang, ascii_only):
    bits = [b for b in NUMBER_BITS if b.isascii()] if ascii_only else NUMBER_BITS
    for text in texts(bits, 4000, seed=2 if lang == "en" else 3):
        slow = qa._extract_numbers_by_match(text, lang)  # match objects, the plain pattern
        assert qa.extract_numbers(text, lang) == slow, text
        fast = (qa._NUM_FAST_ASCII_RE if text.isascii() else qa._NUM_FAST_RE)[lang].findall(text)
        assert len(fast) == len(qa._num_re(lang).findall(text)), text


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_fast_number_pattern_gives_back_what_it_must(lang):
    # a group of three digits followed by a fourth is no group: the number ends before it
    for text in ["1 000 0000", "1 000 000 0000", "1,000,0000", "12.03.20071", "3.5.", "1 000,5 млн", "2,4 млрдx"]:
        assert qa.extract_numbers(text, lang) == qa._extract_numbers_by_match(text, lang), text


def test_numbers_a_one_letter_multiplier_takes_the_long_way():
    check = qa.NumbersCheck()
    assert found(check, "The £40m signing.", "Трансфер за 40 млн фунтов.") == []
    assert found(check, "5m people came.", "Пришли 5 млн человек.") == []  # at the very start: millions
    assert found(check, "It is 5m tall.", "Высота 5 м.") == []  # a 5-metre wall: no multiplier
    assert found(check, "It is 15m tall.", "Высота 15 млн.")[0][:2] == ("numbers", ERROR)


def test_numbers_the_same_values_and_a_year_written_as_a_quantity():
    check = qa.NumbersCheck()
    # the same numbers, the target's "1 000" is no year: nothing to say
    assert found(check, "In 2007, 1,000 people came.", "В 2007 году пришли 1 000 человек.") == []
    # a year of the source written as a quantity, beside another number
    assert found(check, "In 2007, 1,000 people came.", "В 2 007 году пришли 1 000 человек.") == [
        ("numbers", WARNING, "2 007")
    ]
    assert found(check, "No numbers.", "Без чисел.") == []
    assert found(check, "It grew by 1,000.5 tonnes.", "Рост составил 1 000,5 тонны.", src="en_US", tgt="ru-RU") == []
    assert found(check, "No numbers.", "Два: 2.") == [("numbers", WARNING, "2")]  # only the target has one


# --- punctuation, sentences, double spaces -----------------------------------------------------


def _final_punctuation_by_loop(text: str) -> str:
    end = text.rstrip().rstrip(qa._CLOSERS)
    i = len(end)
    while i and end[i - 1] in qa._TERMINALS:
        i -= 1
    tail = end[i:].replace("...", "…")
    if not tail:
        return ""
    for mark in "?!…:;":
        if mark in tail:
            return mark
    return "."


def test_final_punctuation_one_mark_or_many():
    for text in texts(list(".?!…:;\"'»)] a\u00a0"), 4000, seed=4, longest=6):
        assert qa.final_punctuation(text) == _final_punctuation_by_loop(text), text
    assert [qa.final_punctuation(t) for t in ("Wait...", "What?!", "Hm..", "Да…»", "", "x")] == ["…", "?", ".", "…", "", ""]


def _count_sentences_by_finditer(text: str) -> int:
    text = text.strip()
    count = 1
    for m in qa._SENTENCE_END_RE.finditer(text):
        end = m.start()
        if text[end] == ".":
            word = text[text.rfind(" ", 0, end) + 1 : end].lstrip("\"'«“„([").casefold()
            if word in qa._ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        count += 1
    return count


def test_count_sentences_searching_on_is_the_finditer_loop():
    bits = list(".!?… \n\"'»«“”’)]([AaЯя1") + ["Mr.", "г.", "U.S.", "...", ". ", "! ", "x. Y", "e.g. A", "т.е. Б"]
    for text in texts(bits, 8000, seed=15, longest=10):
        assert qa.count_sentences(text) == _count_sentences_by_finditer(text), text


@pytest.mark.parametrize("quote", list(qa._QUOTE_RE.pattern.strip("[]")))  # each of the set's characters
def test_quotes_each_quote_character_passes_the_substring_tests(quote):
    assert qa._QUOTE_RE.fullmatch(quote)
    assert found(qa.QuotesCheck(), "He said yes", f"Он сказал {quote}да")


def test_count_sentences_near_the_end_of_the_text():
    assert [qa.count_sentences(t) for t in ("Hi. A", "Hi.A", "Да! Нет", "x… Y", "Ab. B.", "A. B.", "Mr. X")] == [2, 1, 2, 2, 2, 1, 1]
    for text in texts(list(".!?…\"» aA1Я"), 4000, seed=5, longest=8):
        stripped = text.strip()
        if qa.count_sentences(text) == 1 and not any(m in stripped[:-2] for m in ".!?…"):
            assert not qa._SENTENCE_END_RE.search(stripped), text


@pytest.mark.parametrize("target", ["Чиновники  встретились.", "1\u00a0\u00a0000", "один\u2009 два", "один \u202fдва"])
def test_double_space_of_every_kind(target):
    assert found(qa.DoubleSpaceCheck(), "x", target)[0][:2] == ("double-space", WARNING)


# --- untranslated, Latin ----------------------------------------------------------------------------


def test_same_text_agrees_with_the_normal_forms():
    bits = ["ß", "ss", "SS", "ﬁ", "fi", "FI", "İ", "i̇", "K", "k", "ſ", "s", " ", "\u00a0", "\n", "Ж", "ж", "a", "A"]
    rnd = random.Random(6)
    for _ in range(5000):
        a = "".join(rnd.choice(bits) for _ in range(rnd.randint(0, 5)))
        b = "".join(rnd.choice(bits) for _ in range(rnd.randint(0, 5))) if rnd.random() < 0.5 else a.upper()
        assert qa._same_text(a, b) == (qa._norm(a) == qa._norm(b)), (a, b)


def test_untranslated_when_the_first_letters_differ_but_fold_alike():
    check = qa.UntranslatedCheck()
    assert found(check, "Straße talks failed", "STRASSE TALKS FAILED")[0][:2] == ("untranslated", WARNING)
    assert found(check, "ßtraße talks failed", "SSTRASSE TALKS FAILED")[0][:2] == ("untranslated", WARNING)
    assert found(check, "\u00a0The talks failed.", "The talks  failed.")[0][:2] == ("untranslated", WARNING)


LATIN_BITS = ["a", "Z", "Ж", "ж", "'", "’", "-", "_", " ", "1", ".", "é", "Google", "IT-компания", "Pоссия", "«", "»", "(", ")"]


def test_latin_words_only_split_where_the_latin_letters_are():
    for text in texts(LATIN_BITS, 6000, seed=7):
        first = qa._LATIN_RE.search(text)
        if first is not None:
            expected = [w for w in qa._WORD_RE.findall(text) if qa._LATIN_RE.search(w)]
            assert qa._latin_words(text, first.start()) == expected, text


def test_latin_letters_only_in_a_url_need_no_mask_and_a_word_beside_one_is_still_found():
    check = qa.LatinCheck(allowed_latin=["Moscow Times"])
    assert found(check, "See https://x.com/a now", "Смотрите https://x.com/a сейчас") == []
    assert found(check, "See https://x.com/a now", "Смотрите https://x.com/a now") == [("latin", WARNING, "now")]
    assert found(check, "See https://x.com/a in Moscow Times", "См. https://x.com/a в Moscow Times") == []
    assert found(check, "Mail a@b.org", "Пишите a@b.org, Bob") == [("latin", WARNING, "Bob")]


def test_latin_at_the_start_middle_and_end_and_after_an_apostrophe():
    check = qa.LatinCheck()
    assert found(check, "The company said.", "company сказала, что (company) и «company»") == [
        ("latin", WARNING, "company")
    ]
    assert found(check, "Google's profits rose.", "Прибыль Google выросла.") == [("latin", INFO, "Google")]
    assert found(check, "See https://example.com/a.", "См. https://example.com/a.") == []  # Latin only in the URL
    assert found(check, "Russia said so.", "Так заявила Pоссия") == [("latin", ERROR, "Pоссия")]


# --- brackets, acronyms, repeated words -----------------------------------------------------------


def test_brackets_a_pair_only_the_target_has():
    check = qa.BracketsCheck()
    assert found(check, "a (b) c", "а (б) [в") == [("brackets", WARNING, "[")]


def test_the_acronym_pattern_finds_what_the_plain_one_finds():
    plain = re.compile(r"(?<![\w.&-])[A-Z]{2,}(?![\w&-])(?!\.\w)")
    for text in texts(list("ABCZ az.&-_ 1'") + ["NATO", "U.S.", "É"], 6000, seed=8):
        assert qa._ACRONYM_RE.findall(text) == plain.findall(text), text


def test_acronyms_asks_the_source_as_written_first():
    # "sNATO" is no acronym as written; blanking the placeholder out would make one of it
    assert found(qa.AcronymsCheck(), "%(x)sNATO said", "сказали") == []
    assert found(qa.AcronymsCheck(), "%(x)s NATO said", "сказали")[0][:2] == ("acronyms", WARNING)


def test_acronyms_the_headline_test_comes_last_and_still_silences():
    check = qa.AcronymsCheck()
    assert found(check, "BREAKING NEWS FROM KABUL", "СРОЧНЫЕ НОВОСТИ ИЗ КАБУЛА") == []
    assert found(check, "NATO said NHS staff would go.", "Альянс заявил, что персонал уйдёт.") == [
        ("acronyms", WARNING, None), ("acronyms", INFO, None)
    ]


@pytest.mark.parametrize(
    "target,word",
    [
        ("в в городе", "в в"),
        ("он был был, да", "был был"),  # the second one with a comma after it
        ("the the.", "the the"),
        ("x.cd cd » »", "cd cd"),  # the plain scan passes on "» »", the regex then finds "cd cd"
    ],
)
def test_repeated_words_at_the_edges_of_the_shortcut(target, word):
    assert found(qa.RepeatedWordsCheck(), "in the city", target) == [("repeated-words", WARNING, word)]


def test_the_repeated_word_shortcut_never_hides_a_pair_the_plain_scan_sees():
    for text in texts(["в", "В", "в,", " ", "  ", "\u00a0", "\t", "»", ".", "the", "The", "theory", "İ", "i̇", ","], 6000, seed=9):
        words = text.lower().split()
        if any(a == b or a == b.rstrip(qa._WORD_TRAILING) for a, b in zip(words, words[1:])):
            assert qa._WORD_THEN_ITSELF_RE.search(" " + text.lower()), text


# --- the runner's loop ------------------------------------------------------------------------------


def test_disabling_flags_and_comments_at_the_edges_of_the_shortcut():
    def skip(flags=(), comments=()):
        return runner.entry_disabled_checks(entry("a", "б", flags=flags, comments=comments))

    assert skip(["no-latin-check", "fuzzy", "c-format"]) == {"latin"}
    assert skip(comments=["tolmach: skip-checks numbers; quotes"]) == {"numbers", "quotes"}
    assert skip(comments=["tolmach:skip-check all"]) == {"all"}
    # any letter case, as the comment pattern reads it (the shortcut used to read lower case only)
    assert skip(comments=["tolmach: body, unit 3 of 12", "TOLMACH: skip-check latin"]) == {"latin"}
    assert skip() == set()


class _GeneratorCheck(Check):
    id = "generator-plugin"

    def check(self, entry):
        if "x" in entry.target:
            yield self.finding(entry, "an x")


class _BrokenCheck(Check):
    id = "broken-plugin"

    def check(self, entry):
        return 1 / 0


def test_plug_in_checks_that_yield_or_fail_still_work_through_the_loop():
    entries = [entry("a", "x"), entry("b", "y"), entry("c", "x", flags=["no-generator-plugin-check"])]
    found_, skipped = runner.check_entries(entries, [_GeneratorCheck(), qa.NumbersCheck()])
    assert [f.check_id for f in found_] == ["generator-plugin"]
    assert skipped == {("t.po", 7): frozenset({"generator-plugin"})}
    with pytest.raises(TolmachError, match="check 'broken-plugin' failed: ZeroDivisionError"):
        runner.check_entries(entries, [qa.NumbersCheck(), _BrokenCheck()])


# --- the runner checks a chunk of entries at a time, each check over the whole chunk -----------


class _Counting(Check):
    """Says how many entries it was called for so far, lazily: its generator must run at once."""

    def __init__(self, check_id: str, every: int = 1):
        self.id = check_id
        self.every = every
        self.calls = 0

    def check(self, entry):
        self.calls += 1
        if self.calls % self.every == 0:
            yield self.finding(entry, f"{self.id} call {self.calls}")


def _entry_by_entry(entries, checks):
    """What check_entries stands for: every check on one entry, then the next entry."""
    found, skipped_at = [], {}
    for e in entries:
        skip = runner.entry_disabled_checks(e)
        if skip:
            skipped_at[(e.path, e.line)] = skipped_at.get((e.path, e.line), frozenset()) | skip
            if "all" in skip:
                continue
        for check in checks:
            if check.id not in skip:
                found.extend(check.check(e) or ())
    return found, skipped_at


def _many(n: int) -> list[CheckEntry]:
    out = []
    for i in range(n):
        flags = ("no-b-check",) if i % 7 == 3 else ()
        comments = ("tolmach: skip-check all",) if i % 50 == 17 else ()
        # every third entry shares its line with the one before (a plural's msgstr[n])
        out.append(CheckEntry("t.po", i - (i % 3 == 2), None, f"Price {i}.", f"Цена {i + (i % 11 == 0)}.", "en", "ru",
                              flags=flags, comments=comments))
    return out


def test_chunks_give_what_an_entry_by_entry_run_gives():
    entries = _many(3 * runner.CHUNK + 5)
    expected = _entry_by_entry(entries, [_Counting("a", 2), qa.NumbersCheck(), _Counting("b", 3)])
    got = runner.check_entries(iter(entries), [_Counting("a", 2), qa.NumbersCheck(), _Counting("b", 3)])
    assert [(f.check_id, f.line, f.message) for f in got[0]] == [(f.check_id, f.line, f.message) for f in expected[0]]
    assert got[1] == expected[1] and list(got[1]) == list(expected[1])
    assert {f.check_id for f in got[0]} == {"a", "b", "numbers"}


class _FailsOn(Check):
    def __init__(self, check_id: str, index: int):
        self.id = check_id
        self.index = index

    def check(self, entry):
        if entry.line == self.index:
            raise ValueError(f"{self.id} broke")
        return ()


def test_a_failure_is_the_one_an_entry_by_entry_run_meets_first():
    entries = [CheckEntry("t.po", i, None, "a", "б", "en", "ru") for i in range(10)]
    # "first" fails later in the file than "second": entry by entry, "second" on entry 2 comes first
    with pytest.raises(TolmachError, match="check 'second' failed: ValueError: second broke") as err:
        runner.check_entries(entries, [_FailsOn("first", 6), _FailsOn("second", 2)])
    assert err.value.args and "t.po" in str(err.value) and ":2" in str(err.value)
    with pytest.raises(TolmachError, match="check 'first' failed") as err:
        runner.check_entries(entries, [_FailsOn("first", 2), _FailsOn("second", 6)])
    assert ":2" in str(err.value)


def test_entries_read_before_a_reading_error_are_checked_first():
    counting = _Counting("c")

    def entries():
        yield entry("a", "б")
        yield entry("b", "в")
        raise ValueError("the third entry cannot be read")

    with pytest.raises(ValueError, match="third entry"):
        runner.check_entries(entries(), [counting])
    assert counting.calls == 2


def test_entry_spans_are_the_entrys_own_and_the_store_stays_small():
    a, b = entry("See https://a.example/x", "См. https://a.example/x"), entry("Mail a@b.org", "Пишите a@b.org")
    assert qa.entry_spans(a)[0][0] == ["https://a.example/x"] and qa.entry_spans(b)[1][1] == ["a@b.org"]
    assert qa.entry_spans(a) is qa.entry_spans(a)
    for i in range(qa._SPANS_KEPT + 10):
        qa.entry_spans(entry(f"x {i}", f"y {i}"))
    assert len(qa._spans_by_entry) <= qa._SPANS_KEPT
    assert qa.entry_spans(a)[0][0] == ["https://a.example/x"]


def test_the_standalone_acronym_pattern_finds_what_the_plain_one_finds():
    for acronym in ("AP", "NATO", "US"):
        plain = re.compile(r"(?<!\w)" + acronym + r"(?!\w)")
        for text in texts(["AP", "NATO", "US", "x", "Ж", " ", "-", "_", "1", "ж"], 2000, seed=10, longest=6):
            assert bool(qa._standalone(acronym).search(text)) == bool(plain.search(text)), (acronym, text)


def test_the_known_acronym_pattern_finds_what_the_plain_one_finds():
    renderings = {k: set(v) for k, v in qa.ACRONYM_RENDERINGS.items()}
    renderings["XYZ"] = {"^икс*", "]игрек*", "-зет*", "ßeta*", "Икс Игрек Зет", "a+b", "x.y", "Ёж"}
    for acronym, found in renderings.items():
        plain = re.compile(r"(?<!\w)(?:" + "|".join([re.escape(acronym)] + [qa._rendering_pattern(r) for r in sorted(found)]) + r")(?!\w)")
        fast = re.compile(qa._known_pattern(acronym, found))
        bits = [acronym, acronym.lower(), " ", "\n", "-", "_", "x", "ж", "1", "«", "а", "ов", "ского", "ами"]
        bits += [w for r in found for w in r.rstrip("*").split()] + [r.rstrip("*")[:1].swapcase() for r in found]
        for text in texts(bits, 1500, seed=len(acronym), longest=6):
            m, n = plain.search(text), fast.search(text)
            assert (m and m.span()) == (n and n.span()), (acronym, text)


def test_the_allowed_latin_mask_masks_what_the_plain_pattern_masks():
    allowed = ["The Moscow Times", "the", "iPhone", "ſtar", "Kelvin", "İstanbul", "-x", "]y", "^z", "\\w", "a.b", "Ёлка", "σ", "ΣΣ",
               "x y", "New York", "NY"]
    words = sorted({a.strip() for a in allowed if a and a.strip()}, key=len, reverse=True)
    plain = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
    mask = qa._AllowedLatin(allowed)
    bits = words + [w.upper() for w in words] + [w.lower() for w in words] + list(" -_.x1жK\u212aſSsİiı") + ["\n", "ς"]
    for text in texts(bits, 8000, seed=14, longest=6):
        assert mask.mask(text) == plain.sub(" ", text), text
    # the set of first letters takes every character that a first letter takes, case-insensitively
    firsts = {w[0] for w in words}
    first_set = re.compile("[" + "".join(re.escape(c) for c in firsts) + "]", re.IGNORECASE)
    singles = [re.compile(re.escape(c), re.IGNORECASE) for c in firsts]
    for code in range(0x3000):
        char = chr(code)
        if any(p.fullmatch(char) for p in singles):
            assert first_set.fullmatch(char), hex(code)

