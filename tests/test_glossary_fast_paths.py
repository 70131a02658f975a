"""The glossary's fast paths give what the plain way gives."""

import re

from tolmach.glossary import Term
from tolmach.glossary.english import _POSSESSIVE, EnglishMatcher, english_pattern
from tolmach.glossary.russian import _INVISIBLE_RE, visible


def test_visible_is_the_text_itself_without_invisible_characters():
    text = "Верховный главнокомандующий ОВС НАТО Кертис Скапаротти"
    assert visible(text) is text
    for ch in "\u00ad\u200b\u200c\u200d\u2060\ufeff\u0300\u0301":
        marked = f"Скапаро{ch}тти и{ch}{ch} НАТО"
        assert visible(marked) == _INVISIBLE_RE.sub("", marked) == "Скапаротти и НАТО"


def test_term_expression_matches_where_the_word_start_test_before_it_does():
    texts = [
        "Kremlin said", "the Kremlin's view", "anti-Kremlin", "xKremlin", "_Kremlin", "5Kremlin",
        "KREMLIN, kremlin.", "Кремль и Kremlin", "\nKremlin\n", "Kremlins", "Supreme Allied Commanders'",
        "supreme  allied\ncommander", "Ex-Supreme Allied Commander", "the Companies' and company's",
    ]
    terms = [
        Term("Kremlin", "Кремль", "organisation"),
        Term("Supreme Allied Commander", "верховный главнокомандующий", "title"),
        Term("company", "компания", "term"),
        Term(".NET", ".NET", "term", case_sensitive=True),
    ]
    for term in terms:
        matcher = EnglishMatcher([term])
        for case_sensitive in (False, True):
            plural = term.kind in ("term", "title")
            old = re.compile(
                rf"(?<!\w)(?:{english_pattern(term.source, plural)}){_POSSESSIVE}(?!\w)",
                0 if case_sensitive else re.IGNORECASE,
            )
            new = matcher._regex(term.source, plural, case_sensitive)
            for text in [*texts, "use .NET here", "a.NET", "ASP.NET"]:
                assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)], (term, text)
                for i in range(len(text)):
                    a, b = new.match(text, i), old.match(text, i)
                    assert (a and a.span()) == (b and b.span()), (term, text, i)
