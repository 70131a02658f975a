"""Finding terms in English text: word boundaries, possessives, plurals, case rules per entry.

All terms go into one compiled regular expression (longest alternative first), searched with a
lookahead so that overlapping candidates are all seen; the longest non-overlapping ones win. A
one-word name of a person is not matched where the text shows it is the English word it also is (a
month in a date, a verb before its subject: :func:`common_word_use`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Sequence

from .model import Term, TermMatch

_POSSESSIVE = r"(?:['’]s|(?<=[sS])['’](?!\w))?"
_PLURAL_KINDS = ("term", "title")


def english_pattern(phrase: str, plural: bool) -> str:
    """Regex for ``phrase`` with flexible whitespace and, if asked, a plural ending."""
    words = phrase.split()
    parts = [re.escape(w) for w in words]
    last = words[-1]
    if plural and last[-1:].isalpha() and not last.isupper():
        if len(last) > 2 and last.endswith("y") and last[-2].lower() not in "aeiou":
            parts[-1] = re.escape(last[:-1]) + "(?:y|ies)"
        elif last.endswith(("s", "x", "ch", "sh")):
            parts[-1] += "(?:es)?"
        else:
            parts[-1] += "s?"
    return r"\s+".join(parts)


_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
# a name joined by one of these is another name: France is not in Hauts-de-France, nor Tyne in
# Newcastle-upon-Tyne
@lru_cache(maxsize=1)
def _particle_before() -> re.Pattern:
    """(Compiled on first need: only a word after a hyphen asks.)"""
    return re.compile(r"\w[-‐‑](?:de|du|des|la|le|les|lès|sur|sous|en|upon|on|am|an|im|di|del|da)[-‐‑]$", re.IGNORECASE)


# A one-word person's name that is also an English word (May, Will, June) is not the person where
# the text shows the word: a month next to a number or after a word of time («on 9 May», «in May»,
# «early June»), or a verb put before its subject («May I ask», «Will you»). The month names are the
# calendar's; the subject pronouns and the words of time are closed classes of English grammar.
_MONTHS = frozenset("january february march april may june july august september october november december".split())


@lru_cache(maxsize=1)
def _time_before() -> re.Pattern:
    """(Compiled on first need: only a name that is a month asks.)"""
    return re.compile(
        r"(?:\d(?:st|nd|rd|th)?(?:\s+of)?|\b(?:in|since|until|till|through|throughout|during|early|late|mid|last|next|this"
        r"|every|each|(?:" + "|".join(_MONTHS) + r")\s*(?:and|or|to|[-–—])))[\s-]*$",
        re.IGNORECASE,
    )


_NUMBER_AFTER = re.compile(r"\s+\d")  # (not «May, 62, said»: an age after a comma)
_SUBJECT_AFTER = re.compile(r"\s+(?:I|you|he|she|it|we|they)\b")
_SENTENCE_BEFORE = re.compile(r"(?:^|[.!?…:])[\s\"'“”‘’«»(\[—–-]*$")


def common_word_use(term: Term, text: str, start: int, end: int) -> bool:
    """True where ``text[start:end]``, a match of a one-word person's name, is the English word the
    name also is: a month name in a date («9 May», «May 2022», «in May», «mid-May»), or a word at the
    start of a sentence before a subject pronoun, which makes it a verb («May I ask», «Will you»)."""
    if term.kind != "person" or " " in term.source.strip():
        return False
    before = text[max(0, start - 40) : start]
    word = term.source.strip().casefold()
    if word in _MONTHS:
        rest = text[end : end + 8]
        if _time_before().search(before) or _NUMBER_AFTER.match(rest):
            return True
    return bool(_SENTENCE_BEFORE.search(before) and _SUBJECT_AFTER.match(text, end))


@lru_cache(maxsize=50_000)
def keeps_case(source: str, kind: str = "term") -> bool:
    """Does the default rule make this English term case-sensitive? A name with a capital in any
    word does; a common term or a title (prime minister, Prime Minister) only by an acronym in it."""
    if kind in _PLURAL_KINDS:
        return any(len(w) > 1 and w.isupper() for w in _WORD.findall(source))
    return any(ch.isupper() for ch in source)


@lru_cache(maxsize=50_000)
def case_fits(source: str, found: str, kind: str = "person") -> bool:
    """The default letter-case rule: every capital the glossary writes is a capital in the text too
    (UN is not "Un", Sterling is not "sterling"); more capitals are fine (a headline, "Bank Of
    England"), and so is a leading "the" for "The" (the Moscow Times)."""
    for k, (w, f) in enumerate(zip(source.split(), _SPACE.split(found))):
        if (k == 0 and w == "The") or (kind in _PLURAL_KINDS and not (len(w) > 1 and w.isupper())):
            continue  # a common term or title: only its acronyms keep their case
        if not all(f[i].isupper() for i, ch in enumerate(w[: len(f)]) if ch.isupper()):
            return False
    return True


class EnglishMatcher:
    """Finds a set of terms' English forms (``term.source``; for RU→EN targets the same).

    Terms are indexed by their first word (case-folded). A text is case-folded and split into words
    once; most texts have none of the first words, and a set comparison (in C) tells so. Otherwise only
    the terms indexed under a word found, and whose other words the text has too, are tried, each
    with its own compiled expression, where the word occurs. This keeps a 10,000-entry check fast
    however large the glossary is.
    """

    def __init__(self, terms: Sequence[Term]):
        self.terms = [t for t in terms if _WORD.search(t.source)]
        self._single: dict[tuple, re.Pattern] = {}
        # first word -> (term, the key of its expression anchored at that word, the words a text must have)
        self._index: dict[str, list[tuple[Term, tuple, frozenset[str]]]] = {}
        # terms under the default case rule whose capitals a match must have (see case_fits)
        self._keeps_case: set[Term] = set()
        # one-word names of people, which may be an English word instead (see common_word_use)
        self._common_words = {t for t in self.terms if t.kind == "person" and len(_WORD.findall(t.source)) == 1}
        # first word -> (term, its compiled expression, whether it keeps case, whether it is one of
        # ``_common_words``), made on first need
        self._ready: dict[str, list[tuple[Term, re.Pattern, bool, bool]]] = {}
        # the last text ``has_none`` found a key word in, and its case-folded form (by identity)
        self._passed: tuple[str, str] | None = None
        # per term, the longest of the words a text must have for it (a rare one: "moscow", not "the")
        keys: set[str] = set()
        for t in self.terms:
            words = [w.casefold() for w in _WORD.findall(t.source)]
            plural = t.kind in _PLURAL_KINDS
            # the last word of a plural-capable term may end otherwise in the text (commanders)
            required = frozenset(words[:-1] if plural else words)
            keys.add(max(sorted(required | {words[0]}), key=len))
            # the term's own expression is compiled when a text first has its first word (a
            # compilation is 0.1 ms: a large glossary would pay for all of them on every run)
            anchored = (t.source, plural, bool(t.case_sensitive), True)
            if t.case_sensitive is None and keeps_case(t.source, t.kind):
                self._keeps_case.add(t)
            self._index.setdefault(words[0], []).append((t, anchored, required))
        # every first word at once, as a trie (one pass in C over a text; an alternation of plain
        # words would try each of them at every word start)
        self._firsts = re.compile(_trie_regex(self._index, r"\w") + r"(?!\w)") if self._index else None
        # a text none of these words is in has no term: the first search, and the usual answer
        self._keys = re.compile(_trie_regex(keys, r"\w") + r"(?!\w)") if keys else None

    def _regex(self, source: str, plural: bool, case_sensitive: bool, anchored: bool = False) -> re.Pattern:
        key = (source, plural, case_sensitive, anchored)
        rx = self._single.get(key)
        if rx is None:
            core = english_pattern(source, plural)
            flags = 0 if case_sensitive else re.IGNORECASE
            # not after a word character: tested after the first character, as ``_trie_regex`` does
            # (an expression that begins with its letter is scanned for it in C; one that begins
            # with the lookbehind is tried at every position, ten times slower over a translation
            # that has no Latin letter). The first character is one of the term's (``core`` begins
            # with it, escaped), never a line feed, so ``.`` is that character
            head = re.escape(source.split()[0][0])
            if core.startswith(head):
                core = head + r"(?<!\w.)" + core[len(head) :]
            else:  # pragma: no cover (``english_pattern`` escapes the term's first word as it is)
                core = r"(?<!\w)" + core
            rx = re.compile(rf"(?:{core}){_POSSESSIVE}(?!\w)", flags)
            self._single[key] = rx
        return rx

    def _candidates(self, text: str) -> list[TermMatch]:
        passed = self._passed
        if passed is not None and passed[0] is text:
            folded = passed[1]  # (the same text ``has_none`` just folded and found a key word in)
        else:
            folded = text.casefold()
            passed = None
        if len(folded) != len(text):  # a letter that folds to two (ß): fold word by word, keep positions
            starts = [(m.start(), m.group(0).casefold()) for m in _WORD.finditer(text)]
            words = {w for _, w in starts}
            if words.isdisjoint(self._index):
                return []
            return self._matches(text, starts, words)
        # the usual case, no term can be in the text, told by one regex search in C: every term
        # needs its first word and its key word (see __init__) as words of the text
        if passed is None and self._keys.search(folded) is None:
            return []
        # a first word alone («the») is not enough: the term's expression must match there. It has
        # every word of the term, so the text has them all (``required``) where it matches
        out = []
        ready = self._ready
        for m in self._firsts.finditer(folded):
            start = m.start()
            terms = ready.get(m.group())
            if terms is None:
                word = m.group()
                terms = ready[word] = [
                    (t, self._regex(*a), t in self._keeps_case, t in self._common_words) for t, a, _ in self._index[word]
                ]
            for term, rx, keeps, common in terms:
                hit = rx.match(text, start)
                if hit is None:
                    continue
                if start and text[start - 1] in "-‐‑" and _particle_before().search(text, 0, start):
                    continue
                end = hit.end()
                if common and common_word_use(term, text, start, end):
                    continue
                found = hit.group()
                if not keeps or case_fits(term.source, found, term.kind):
                    out.append(TermMatch(term, start, end, found))
        return out

    def _matches(self, text: str, starts, words: set[str]) -> list[TermMatch]:
        """The terms at ``starts`` ((position, case-folded word)) of a text with these ``words``."""
        out = []
        for start, word in starts:
            for term, anchored, required in self._index.get(word, ()):
                rx = self._single.get(anchored) or self._regex(*anchored)
                hit = rx.match(text, start)
                if hit is None or not required <= words:
                    continue
                if start and text[start - 1] in "-‐‑" and _particle_before().search(text, 0, start):
                    continue
                if term in self._common_words and common_word_use(term, text, hit.start(), hit.end()):
                    continue
                if term not in self._keeps_case or case_fits(term.source, hit.group(0), term.kind):
                    out.append(TermMatch(term, hit.start(), hit.end(), hit.group(0)))
        return out

    def find(self, text: str) -> list[TermMatch]:
        if not text or not self._index:
            return []
        candidates = self._candidates(text)
        return candidates if len(candidates) < 2 else select_longest(candidates)

    def has_none(self, text: str) -> bool:
        """True where :meth:`find` finds nothing in ``text`` by its first test (most texts): no
        term's key word is in it. False says nothing."""
        if not text or not self._index:
            return True
        folded = text.casefold()
        if len(folded) == len(text) and self._keys.search(folded) is None:
            return True
        # the check asks ``find`` next about the same text: its first test is done
        self._passed = (text, folded) if len(folded) == len(text) else None
        return False

    def contains(self, text: str) -> bool:
        """Does any term occur in ``text``?"""
        return bool(text and self._index and self._candidates(text))

    def may_contain(self, text: str) -> bool:
        """A cheaper prefilter than :meth:`contains`: False when no term can occur in ``text``."""
        if not text or not self._index:
            return False
        folded = text.casefold()
        if len(folded) != len(text):
            return not self._index.keys().isdisjoint(m.group(0).casefold() for m in _WORD.finditer(text))
        return self._firsts.search(folded) is not None

    def find_term(self, term: Term, text: str, case_sensitive: bool | None = None) -> list[TermMatch]:
        """Occurrences of one term (used on the target side of RU→EN and for untranslated words).

        ``case_sensitive`` overrides the term's own rule (False: any letter case)."""
        rule = term.case_sensitive if case_sensitive is None else case_sensitive
        rx = self._regex(term.source, term.kind in _PLURAL_KINDS, bool(rule))
        hits = [TermMatch(term, m.start(), m.end(), m.group(0)) for m in rx.finditer(text)]
        if term in self._common_words:
            hits = [h for h in hits if not common_word_use(term, text, h.start, h.end)]
        if rule is None and keeps_case(term.source, term.kind):
            hits = [h for h in hits if case_fits(term.source, h.text, term.kind)]
        return hits


def _trie_regex(words, not_after: str = "") -> str:
    """A regular expression that matches exactly the given words, factored by common prefixes.

    ``not_after`` (a character class, such as ``\\w``): the word must not follow such a character.
    The test stands after the first letter, not before it: an expression that begins with a choice
    of letters is scanned for those letters in C, one that begins with a lookbehind is tried at
    every position of the text (three times slower).
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}  # the end of a word
    return _trie_alternatives(trie, rf"(?<!{not_after}.)" if not_after else "")


def _trie_alternatives(node: dict, guard: str = "") -> str:
    ends = "" in node
    branches = [re.escape(ch) + guard + _trie_alternatives(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return f"(?:{body})?"
    return body


def find_phrase(phrase: str, text: str, case_sensitive: bool = False) -> list[tuple[int, int]]:
    """Spans of an English phrase (with possessive) in ``text``; used for forbidden English variants."""
    flags = 0 if case_sensitive else re.IGNORECASE
    rx = re.compile(rf"(?<!\w)(?:{english_pattern(phrase, False)}){_POSSESSIVE}(?!\w)", flags)
    return [m.span() for m in rx.finditer(text)]


def _longest_first(c: TermMatch) -> tuple[int, int]:
    return c.start - c.end, c.start


def select_longest(candidates: Iterable[TermMatch]) -> list[TermMatch]:
    """Longest first, then leftmost; drop candidates overlapping one already taken."""
    candidates = list(candidates)
    end = 0
    for c in candidates:
        if c.start < end:
            break
        end = c.end
    else:
        return candidates  # the usual case: in order and none overlapping, so every one is taken
    taken: list[TermMatch] = []
    for c in sorted(candidates, key=_longest_first):
        for t in taken:
            if c.end > t.start and c.start < t.end:
                break
        else:
            taken.append(c)
    return sorted(taken, key=lambda c: c.start)
