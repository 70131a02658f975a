"""Russian terms: matching by lemma and agreement with pymorphy3, and inflecting a term.

A term's Russian words are split into two parts when the term is compiled:

* the *agreeing group*: the leading words that can stand in the nominative singular (adjectives,
  participles and nouns: «Комсомольская правда», «Кертис Скапаротти», «верховный главнокомандующий»).
  They change case together; in a text they match any form of their lemma, and they must agree with
  each other (same case and number; an adjective in the singular also keeps its gender);
* the *fixed tail*: everything from the first word that is not nominative on («комитет | по вооружённым
  силам Сената США»): matched exactly, never inflected.

Indeclinable words (pymorphy3's ``Fixd``: «Скапаротти», «НАТО») and words that are not Cyrillic
(«The Moscow Times») match only as written. Comparison ignores case (unless the term is case
sensitive) and ё/е. Guillemets around a title are optional.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, NamedTuple, Sequence

from .english import select_longest
from .model import CLOSE_QUOTES, OPEN_QUOTES, Term, TermMatch

_WORD = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_CASE_ALIASES = {"gen1": "gent", "gen2": "gent", "acc2": "accs", "loc1": "loct", "loc2": "loct", "voct": "nomn"}
_GROUP_POS = ("NOUN", "ADJF", "PRTF", "NUMR")


@lru_cache(maxsize=1)
def morph():
    """The pymorphy3 analyser (loaded once, about 0.1 s)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def parses(word: str) -> tuple:
    """pymorphy3 parses of a lower-case word, cached: the check sees the same words again and again."""
    return tuple(morph().parse(word))


def norm(word: str) -> str:
    return word.lower().replace("ё", "е")


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


def case_of(tag) -> str | None:
    c = tag.case
    return _CASE_ALIASES.get(c, str(c)) if c else None


class Token(NamedTuple):
    text: str
    start: int
    end: int
    key: str  # normalised surface (lower case, ё -> е)


def tokenize(text: str) -> list[Token]:
    return [
        Token(w, m.start(), m.end(), w.lower().replace("ё", "е"))
        for m in _WORD.finditer(text)
        for w in (m.group(0),)
    ]


@dataclass(frozen=True)
class WordSpec:
    """One word of a compiled Russian term."""

    text: str  # as written in the glossary
    key: str  # normalised surface
    forms: frozenset[str]  # normalised surfaces that match (one for fixed words)
    lemma: str | None  # normal form, for inflecting words
    pos: str | None
    gender: str | None  # adjectives: the gender they keep in the singular
    in_group: bool  # part of the agreeing group
    parse: object | None  # the nominative parse used to inflect the word
    indeclinable: bool = False


@dataclass(frozen=True)
class Pattern:
    """A compiled Russian rendering of a term (its target, an alternative or a forbidden variant)."""

    text: str
    words: tuple[WordSpec, ...]
    quoted: bool
    case_sensitive: bool
    optional_the: bool  # a Latin name that starts with "The" also matches without it

    @property
    def bare_text(self) -> str:
        return self.text[1:-1].strip() if self.quoted else self.text

    @property
    def head(self) -> WordSpec | None:
        """The noun that governs the agreeing group (its last noun, else its last word)."""
        group = [w for w in self.words if w.in_group]
        nouns = [w for w in group if w.pos == "NOUN" and not w.indeclinable]
        if nouns:
            return nouns[0] if len(nouns) == len(group) else nouns[-1]
        return group[-1] if group else None

    @property
    def number(self) -> str:
        """The grammatical number the rendering is written in (plural for «талибы»)."""
        for w in self.words:
            if w.in_group and w.parse is not None and not w.indeclinable and w.parse.tag.number:
                return w.parse.tag.number
        return "sing"

    @property
    def animate(self) -> bool:
        h = self.head
        return bool(h and h.parse is not None and "anim" in h.parse.tag)


def _prefer(kind: str):
    """Sort key for nominative parses of a term word: grammemes typical for the kind first."""
    wanted = {"person": ("Name", "Surn", "Patr"), "place": ("Geox",), "organisation": ("Orgn",)}.get(kind, ())

    def key(p):
        return (not any(g in p.tag for g in wanted), -p.score)

    return key


def compile_pattern(text: str, kind: str = "term", case_sensitive: bool = False) -> Pattern:
    """Compile a Russian rendering (nominative singular) into a :class:`Pattern`."""
    raw = " ".join(text.split())
    quoted = len(raw) > 2 and raw[0] in OPEN_QUOTES and raw[-1] in CLOSE_QUOTES
    inner = raw[1:-1].strip() if quoted else raw
    tokens = tokenize(inner)
    specs: list[WordSpec] = []
    grouping = True
    group_number = None  # the words of the group share a number: «Совет Безопасности» stops at the 2nd
    for tok in tokens:
        word = tok.text
        key = norm(word)
        chosen = None
        if grouping and is_cyrillic(word) and not _LATIN.search(word):
            readings = parses(word.lower())
            function_word = readings and readings[0].tag.POS in ("PREP", "CONJ")
            candidates = [
                p
                for p in readings
                if not function_word
                and p.tag.POS in _GROUP_POS
                and case_of(p.tag) == "nomn"
                and (
                    p.tag.number in (None, group_number or p.tag.number)
                    or "Pltm" in p.tag
                    or "Fixd" in p.tag
                )
            ]
            if candidates:
                # the singular first: a target is written in the nominative singular
                chosen = sorted(candidates, key=lambda p: (p.tag.number == "plur", *_prefer(kind)(p)))[0]
                if group_number is None and "Fixd" not in chosen.tag:
                    group_number = chosen.tag.number
        if chosen is None:
            grouping = False
            specs.append(WordSpec(word, key, frozenset({key}), None, None, None, False, None))
            continue
        fixd = "Fixd" in chosen.tag
        if fixd:
            forms = frozenset({key})
        else:
            forms = frozenset(norm(f.word) for f in chosen.lexeme) | {key}
        pos = str(chosen.tag.POS)
        gender = str(chosen.tag.gender) if pos in ("ADJF", "PRTF") and chosen.tag.gender else None
        specs.append(WordSpec(word, key, forms, chosen.normal_form, pos, gender, True, chosen, fixd))
    optional_the = bool(tokens) and tokens[0].text.lower() == "the" and len(tokens) > 1
    return Pattern(raw, tuple(specs), quoted, case_sensitive, optional_the)


# ---------------------------------------------------------------------------------------------------
# matching


@dataclass(frozen=True)
class RuMatch:
    """A pattern found in a token list: ``tokens[first:last+1]``; ``span`` includes optional quotes."""

    pattern: Pattern
    first: int
    last: int
    start: int
    end: int
    agrees: bool
    case: str | None  # the case the words agree on (None when they do not agree or it is unknown)
    number: str | None
    exact_case: bool  # letter case as in the glossary (for case-sensitive terms)


def _features(spec: WordSpec, token: Token) -> set[tuple[str, str]] | None:
    """(case, number) readings of ``token`` as a form of ``spec``; None for 'any' (indeclinable)."""
    if spec.indeclinable:
        return None
    return _readings(spec.lemma, spec.pos, spec.gender, token.text.lower())


@lru_cache(maxsize=200_000)
def _readings(lemma: str, pos: str, gender: str | None, word: str) -> frozenset[tuple[str, str]]:
    out = set()
    lemma = lemma.replace("ё", "е")
    for p in parses(word):
        if p.normal_form.replace("ё", "е") != lemma or p.tag.POS != pos:
            continue
        c = case_of(p.tag)
        n = p.tag.number
        if c is None or n is None:
            continue
        if gender and n == "sing" and p.tag.gender != gender:
            continue
        out.add((str(c), str(n)))  # plain str: pymorphy3's typed grammemes compare slowly
    return frozenset(out)


def _shape(word: str) -> str:
    if len(word) > 1 and word.isupper():
        return "U"
    if word[:1].isupper():
        return "T"
    return "l"


def match_at(pattern: Pattern, tokens: Sequence[Token], i: int, text: str) -> RuMatch | None:
    words = pattern.words
    skip_the = 0
    if i + len(words) > len(tokens) or tokens[i].key not in words[0].forms:
        if pattern.optional_the and len(words) > 1 and tokens[i].key in words[1].forms:
            skip_the = 1
        else:
            return None
    n = len(words) - skip_the
    if i + n > len(tokens):
        return None
    for k in range(n):
        spec, tok = words[k + skip_the], tokens[i + k]
        if tok.key not in spec.forms:
            return None
        if k and text[tokens[i + k - 1].end : tok.start].strip():
            return None  # words of a term are separated by spaces only
    last = i + n - 1
    readings: set[tuple[str, str]] | None = None
    agrees = True
    exact = True
    for k in range(n):
        spec, tok = words[k + skip_the], tokens[i + k]
        if pattern.case_sensitive and _shape(tok.text) != _shape(spec.text):
            exact = False
        if not spec.in_group:
            if pattern.case_sensitive and tok.text != spec.text:
                exact = False
            continue
        feats = _features(spec, tok)
        if feats is None:
            continue
        readings = feats if readings is None else readings & feats
        if not readings:
            agrees = False
    start, end = tokens[i].start, tokens[last].end
    if start > 0 and end < len(text) and text[start - 1] in OPEN_QUOTES and text[end] in CLOSE_QUOTES:
        start, end = start - 1, end + 1
    case = number = None
    if agrees and readings:
        for c in CASES:
            hits = [nn for cc, nn in readings if cc == c]
            if hits:
                case, number = c, ("sing" if "sing" in hits else hits[0])
                break
    return RuMatch(pattern, i, last, start, end, agrees, case, number, exact)


def find_pattern(
    pattern: Pattern, tokens: Sequence[Token], text: str, keys: frozenset[str] | set[str] | None = None
) -> list[RuMatch]:
    """Every occurrence of ``pattern``; ``keys`` (the set of the tokens' keys) lets it skip early."""
    out = []
    first = pattern.words[0].forms if pattern.words else frozenset()
    second = pattern.words[1].forms if pattern.optional_the else frozenset()
    if keys is not None and first.isdisjoint(keys) and second.isdisjoint(keys):
        return out
    for i, tok in enumerate(tokens):
        if tok.key in first or tok.key in second:
            m = match_at(pattern, tokens, i, text)
            if m is not None:
                out.append(m)
    return out


@dataclass
class CompiledTerm:
    term: Term
    target: Pattern
    alternatives: tuple[Pattern, ...]
    forbidden: tuple[Pattern, ...]

    @property
    def accepted(self) -> tuple[Pattern, ...]:
        return (self.target, *self.alternatives)


class RussianMatcher:
    """Compiled Russian renderings of every term, indexed by the forms of their first word."""

    def __init__(self, terms: Sequence[Term]):
        self.terms = list(terms)
        self._compiled: dict[Term, CompiledTerm] = {}
        self._index: dict[str, list[tuple[Term, Pattern]]] | None = None

    def compiled(self, term: Term) -> CompiledTerm:
        c = self._compiled.get(term)
        if c is None:
            cs = term.case_sensitive
            c = CompiledTerm(
                term,
                compile_pattern(term.target, term.kind, cs),
                tuple(compile_pattern(a, term.kind, cs) for a in term.alternatives),
                tuple(compile_pattern(f, term.kind, False) for f in term.forbidden),
            )
            self._compiled[term] = c
        return c

    def _build_index(self) -> dict[str, list[tuple[Term, Pattern]]]:
        index: dict[str, list[tuple[Term, Pattern]]] = {}
        for term in self.terms:
            for pattern in self.compiled(term).accepted:
                if not pattern.words:
                    continue
                keys = set(pattern.words[0].forms)
                if pattern.optional_the:
                    keys |= pattern.words[1].forms
                for key in keys:
                    index.setdefault(key, []).append((term, pattern))
        return index

    def find(self, text: str) -> list[TermMatch]:
        """Every term (target or alternative, any inflected form) in a Russian text."""
        if self._index is None:
            self._index = self._build_index()
        tokens = tokenize(text)
        candidates = []
        seen = set()
        for i, tok in enumerate(tokens):
            for term, pattern in self._index.get(tok.key, ()):
                if (id(pattern), i) in seen:
                    continue
                seen.add((id(pattern), i))
                m = match_at(pattern, tokens, i, text)
                if m is not None and (m.exact_case or not pattern.case_sensitive):
                    candidates.append(TermMatch(term, m.start, m.end, text[m.start : m.end]))
        return select_longest(candidates)


# ---------------------------------------------------------------------------------------------------
# inflection


def _restore_case(model: str, word: str) -> str:
    if len(model) > 1 and model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def inflect_pattern(pattern: Pattern, case: str, number: str = "sing", person: bool = False) -> str:
    """The pattern's text with its agreeing group put in ``case`` and ``number``; tail unchanged."""
    keep_yo = "ё" in pattern.text.lower()
    animate = person or pattern.animate
    out = []
    for spec in pattern.words:
        word = spec.text
        changes = spec.in_group and not spec.indeclinable and spec.parse is not None
        if changes and (case != "nomn" or number == "plur"):
            p = spec.parse
            num = number if "Sgtm" not in p.tag and "Fixd" not in p.tag else p.tag.number or "sing"
            c = case
            if person and case == "accs" and p.tag.POS == "NOUN" and p.tag.gender == "masc" and "anim" not in p.tag:
                c = "gent"  # a guessed name (Кертис) is taken as inanimate; men's names take accs = gent
            grammemes = {c, num}
            if spec.pos in ("ADJF", "PRTF"):
                if num == "sing" and spec.gender:
                    grammemes.add(spec.gender)
                if c == "accs" and (num == "plur" or spec.gender == "masc"):
                    grammemes.add("anim" if animate else "inan")
            new = p.inflect(grammemes) or p.inflect({c, num}) or p.inflect({c})
            if new is not None:
                w = new.word
                if not keep_yo:
                    w = w.replace("ё", "е")
                word = _restore_case(spec.text, w)
        out.append(word)
    inner = _join_like(pattern, out)
    return inner


def _join_like(pattern: Pattern, words: list[str]) -> str:
    """Rebuild the pattern's text with new words (keeps its punctuation and spacing)."""
    raw = pattern.text
    inner = raw[1:-1].strip() if pattern.quoted else raw
    pieces = []
    pos = 0
    for tok, word in zip(tokenize(inner), words):
        pieces.append(inner[pos : tok.start])
        pieces.append(word)
        pos = tok.end
    pieces.append(inner[pos:])
    text = "".join(pieces)
    return f"{raw[0]}{text}{raw[-1]}" if pattern.quoted else text


def all_forms(pattern: Pattern, kind: str = "term") -> list[tuple[str, str, str]]:
    """Every inflected form of a term: (case, number, text), nominative singular first, no repeats.

    Plural forms only for common nouns (kinds ``term`` and ``title``): names have none.
    """
    out = []
    seen = set()
    head = pattern.head
    person = kind == "person"
    plural_ok = (
        kind in ("term", "title")
        and head is not None
        and head.parse is not None
        and not {"Sgtm", "Fixd", "Pltm"} & set(head.parse.tag.grammemes)
    )
    for number in ("sing", "plur") if plural_ok else (pattern.number,):
        for case in CASES:
            text = inflect_pattern(pattern, case, number, person)
            if text not in seen:
                seen.add(text)
                out.append((case, number, text))
    return out


# ---------------------------------------------------------------------------------------------------
# transliteration (for finding a model's rendering of a name)

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip


def translit(text: str) -> str:
    """A rough Latin spelling for fuzzy comparison (not a transliteration standard)."""
    s = "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())
    s = s.replace("ck", "k").replace("c", "k").replace("w", "v").replace("ph", "f").replace("q", "k")
    s = re.sub(r"(.)\1+", r"\1", s)  # double letters are the usual misspelling (Скапарротти)
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


def iter_windows(tokens: Sequence[Token], text: str, sizes: Iterable[int]):
    """Contiguous runs of tokens separated by spaces only: (first, last) index pairs."""
    for size in sizes:
        if size < 1:
            continue
        for i in range(len(tokens) - size + 1):
            j = i + size - 1
            if all(not text[tokens[k].end : tokens[k + 1].start].strip() for k in range(i, j)):
                yield i, j
