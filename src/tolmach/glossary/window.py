"""A term's verdict in a Russian text from the stretch of text its words occupy, worked out once.

How :func:`~.verify.term_issues` judges a term in a translation depends, in the usual case, only on
the words that are forms of the term's renderings (its target, alternatives and forbidden variants)
and what stands between them: every match of a rendering starts and ends on such a word. So the
check takes the stretch from the first such word of the text to the last (one character of context
on either side, and whether it starts a sentence where letter case matters), judges the term on
that stretch alone with the same code, and keeps the verdict for the next text that has the same
stretch: «Советского Союза» is judged once per run, not once per entry.

The verdict is kept only where nothing else in the text can change it, and each text is checked
for that:

* a word that is a form of the term, or a part of a hyphenated word that is, lies inside the
  stretch (the stretch runs from the first occurrence of a form in the text's lower case to the
  last, two searches in C that find a superset of those words), and the stretch does not begin or
  end inside a hyphenated or apostrophed word;
* no word of the text that is not a form misspells one (``near_misses``: the same per-term
  verdicts, asked for the words that begin with a form's first letter);
* the verdict did not need the rest of the text (:class:`~.verify.NotLocal`: the surname alone, a
  fuzzy search for the closest rendering, every capitalised word where the source names the term
  more often, the word before the stretch for an agreement hint), and where no accepted rendering
  is in the stretch, or the source names the term more often than the stretch renders it, the
  English term is nowhere in the text (left untranslated, or kept in a foreign name).

Everything else (the source's count of the term, the other terms that contain it, warnings) is
part of the key. Anything that fails goes the whole-text way, which gives the same answer.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .english import _trie_regex
from .locate import learn_near, locate_ru
from .model import TermIssue
from .russian import _WORD, norm, sentence_start, token_index, token_keys, tokenize

if TYPE_CHECKING:  # pragma: no cover
    from .model import Glossary, Term, TermMatch

_JOINED = "-'"  # a hyphen or an apostrophe (as ``norm`` writes them) joins words into one token
_MEMO_SIZE = 20_000  # stretches remembered per term (then forgotten all at once)


class TextView:
    """What every term of one translation needs from it: its lower case (also read backwards), and
    its words' keys; each made on first need."""

    __slots__ = ("_backwards", "_keys", "apostrophes", "normal", "text", "usable")

    def __init__(self, text: str):
        self.text = text
        self.normal = normal = norm(text)
        # a letter whose lower case is longer (İ) shifts every position: the whole-text way only
        self.usable = len(normal) == len(text)
        self.apostrophes = "'" in normal  # (``norm`` writes every apostrophe so)
        self._backwards: str | None = None
        self._keys: set[str] | None = None

    def backwards(self) -> str:
        if self._backwards is None:
            self._backwards = self.normal[::-1]
        return self._backwards

    def keys(self) -> set[str]:
        """The keys of the text's tokens (as ``tokenize`` gives them)."""
        if self._keys is None:
            if self.apostrophes:
                # the tokeniser tells an English 're, 've, 'll by their lower case: on the original only
                self._keys = {t.key for t in tokenize(self.text)}
            else:
                self._keys = set(_WORD.findall(self.normal))
        return self._keys


class TermWindow:
    """Per term: regular expressions that find the forms of its renderings, and the verdicts."""

    __slots__ = ("case_sensitive", "containers", "first", "forms", "last", "memo", "near", "near_words", "verdicts")

    def __init__(self, glossary: Glossary, term: Term):
        matcher = glossary.russian
        ct = matcher.compiled(term)
        forms: set[str] = set()
        for pattern in (*ct.accepted, *ct.forbidden):
            for w in pattern.words:
                forms |= w.forms
        self.forms = frozenset(forms)
        # any of the forms as a whole word or as a part of a hyphenated one: ``first`` finds where
        # the first one starts; ``last``, the same expression for the text read backwards, where the
        # last one ends (two searches in C, no loop over the matches in between). Where every form is
        # letters and digits alone (the usual case), an occurrence is a whole run of them: two cannot
        # overlap, ``first``'s last match ends where the last one does, and ``last`` is not compiled
        # (half the cost of making a term's window)
        alnum = r"[^\W_]"
        self.first = re.compile(_trie_regex(forms, alnum) + rf"(?!{alnum})") if forms else None
        self.last = None
        if forms and not all(f.isalnum() for f in forms):  # (``isalnum`` is the test of ``[^\W_]``)
            self.last = re.compile(_trie_regex({f[::-1] for f in forms}, alnum) + rf"(?!{alnum})")
        # the letter case of the target and alternatives is checked (forbidden variants: never)
        self.case_sensitive = any(p.case_sensitive for p in ct.accepted)
        self.near = matcher.near_index(term)
        self.verdicts = matcher.near_verdicts(term)
        # the words that can misspell a form: those that begin with a form's first letter (see
        # ``_near_form``), as ``tokenize`` cuts them from a text without apostrophes (a word starts
        # after a character that is no letter or digit, and no hyphen after one; it runs on
        # through hyphens between letters)
        letters = "".join(sorted(k for k in self.near if k != "*"))
        self.near_words = (
            re.compile(rf"[{re.escape(letters)}](?<![^\W_].)(?<![^\W_]-.)[^\W_]*(?:-[^\W_]+)*") if letters else None
        )
        name = term.source.casefold()
        # the terms whose English contains this one's (Putin in Vladimir Putin): the source's count
        # of the term then comes from a search of its own (see ``_named_more_often``)
        self.containers = frozenset(t for t in glossary.terms if t is not term and name in t.source.casefold())
        self.memo: dict[tuple, tuple | None] = {}


def term_window(glossary: Glossary, term: Term) -> TermWindow:
    windows = glossary.russian.windows
    w = windows.get(term)
    if w is None:
        w = windows[term] = TermWindow(glossary, term)
    return w


def local_verdict(
    glossary: Glossary,
    term: Term,
    matches: list[TermMatch],
    source: str,
    found,
    view: TextView,
    record,
    warnings: bool,
    issues: list[TermIssue],
) -> bool:
    """Judge ``term`` in ``view``'s text from its stretch (adding its issues, recording its
    rendering); False, with nothing added, where the whole text must be looked at."""
    w = glossary.russian.windows.get(term)
    if w is None:
        w = term_window(glossary, term)
    if w.first is None or not view.usable:
        return False
    normal = view.normal
    hit = w.first.search(normal)
    if hit is None:
        return False  # no form of any rendering: missing or misspelt, a search over the whole text
    start = hit.start()
    if w.last is None:
        end = hit.end()
        for hit in w.first.finditer(normal, end):
            end = hit.end()
    else:
        end = len(normal) - w.last.search(view.backwards()).start()
    if (start and normal[start - 1] in _JOINED) or (end < len(normal) and normal[end] in _JOINED):
        return False  # the stretch would cut a hyphenated or apostrophed word
    if w.near_words is not None:
        # the text's words that can misspell a form (all of them where an apostrophe may join words)
        keys = view.keys() if view.apostrophes else w.near_words.findall(normal)
        verdicts = w.verdicts
        if not all(map(verdicts.table.__contains__, keys)):
            learn_near(verdicts, w.near, keys)
        # a misspelling of a form outside the stretch (one that is a form of a forbidden variant is in it)
        if not verdicts.misspelt.isdisjoint(keys) and not verdicts.misspelt.intersection(keys) <= w.forms:
            return False
    text = view.text
    extra = None
    if w.containers and any(t in w.containers for t, _ in found):
        extra = len(glossary.english.find_term(term, source))
    # whether the stretch starts a sentence, for a term whose letter case matters: a comma before
    # the stretch's own first character says "no" to the same code
    prefix = "," if w.case_sensitive and not sentence_start(text, start) else ""
    left = start - 1 if start else 0
    stretch = prefix + text[left : end + 1]
    key = (stretch, len(matches), extra, warnings)
    verdict = w.memo.get(key, False)
    if verdict is False:
        if len(w.memo) >= _MEMO_SIZE:
            w.memo.clear()
        verdict = w.memo[key] = _judge(glossary, term, stretch, len(matches), extra, warnings)
    if verdict is None:
        return False
    needs_search, records, found_issues = verdict
    if needs_search and glossary.english.find_term(term, text):
        return False  # the English term in the text: left untranslated, or kept inside a foreign name
    shift = left - len(prefix)
    if record is not None:
        for k, rendering, s, e in records:
            record(term, k, rendering, s + shift, e + shift)
    if found_issues:
        if shift:
            found_issues = [
                i if i.start is None else TermIssue(i.kind, i.term, i.message, i.expected, i.found, i.start + shift, i.end + shift)
                for i in found_issues
            ]
        issues += found_issues
    return True


def _judge(glossary: Glossary, term: Term, stretch: str, in_source: int, extra: int | None, warnings: bool):
    """(whether the English term must not be in the text, records, issues) of ``term`` in
    ``stretch`` alone, or None where the verdict depends on the rest of the text."""
    from .verify import NotLocal, term_issues

    tokens = tokenize(stretch)
    keys = token_keys(tokens)
    r = locate_ru(glossary, term, tokens, stretch, keys, None, token_index(tokens))
    if r.untranslated or r.kept_foreign:
        return None
    def more_often(rendered: int) -> bool:
        return in_source > rendered or (extra is not None and extra > rendered)

    # the English term anywhere in the text changes the verdict where no accepted rendering is in the
    # stretch, or where the source names the term more often than the stretch renders it
    needs_search = not term.dnt and (not (r.correct or r.alternatives) or more_often(len(r.correct) + len(r.alternatives)))

    records: list[tuple] = []
    issues: list = []
    try:
        term_issues(
            glossary, term, r, tokens, stretch, keys, in_source, more_often,
            lambda _term, k, rendering, s, e: records.append((k, rendering, s, e)), warnings, issues, local=True,
        )  # fmt: skip
    except NotLocal:
        return None
    return needs_search, tuple(records), tuple(issues)
