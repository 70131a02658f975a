"""Where (and how) a source term is rendered in a translation: shared by the check and enforcement."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple, Sequence

from .model import CLOSE_QUOTES, OPEN_QUOTES, Glossary, Term, TermMatch
from .russian import (
    RuMatch,
    Token,
    _restore_case,
    case_of,
    sentence_start,
    find_pattern,
    is_cyrillic,
    is_dictionary_word,
    parses,
    token_index,
    token_keys,
    tokenize,
    translit,
)


class NearMiss(NamedTuple):
    """A word that misspells a form of the term (one letter dropped, doubled or changed)."""

    start: int
    end: int
    text: str
    suggestion: str  # the form it most likely meant, written with the word's capitals


@dataclass
class RuRendering:
    """How one term shows up in a Russian text."""

    correct: list[RuMatch] = field(default_factory=list)  # a form of the target, words agree
    alternatives: list[RuMatch] = field(default_factory=list)  # an accepted alternative rendering
    disagreeing: list[RuMatch] = field(default_factory=list)  # the target's lemmas, broken agreement
    wrong_case: list[RuMatch] = field(default_factory=list)  # case-sensitive term, other letter case
    forbidden: list[RuMatch] = field(default_factory=list)  # a forbidden variant
    untranslated: list[TermMatch] = field(default_factory=list)  # the English term left as is
    misspelt: list[NearMiss] = field(default_factory=list)  # near misses of the term's forms
    kept_foreign: list[TermMatch] = field(default_factory=list)  # inside a foreign name kept as in the source

    @property
    def accepted(self) -> bool:
        return bool(self.correct or self.alternatives or self.kept_foreign)

    @property
    def style(self) -> list[RuMatch]:
        """Accepted renderings with a capital where the glossary writes a small letter."""
        return [m for m in self.correct + self.alternatives if m.style]


def _inside(m, others) -> bool:
    return any(o.start <= m.start and m.end <= o.end for o in others)


def _overlaps(start: int, end: int, others) -> bool:
    """``others``: matches or (start, end) pairs."""
    return any(start < o_end and o_start < end for o_start, o_end in _spans(others))


def _spans(others):
    return [(o.start, o.end) if hasattr(o, "start") else o for o in others]


def locate_ru(
    glossary: Glossary,
    term: Term,
    tokens: Sequence[Token],
    text: str,
    keys: set[str] | None = None,
    source: str | None = None,
    where: tuple[dict[str, list[int]], list[int]] | None = None,
) -> RuRendering:
    """How ``term`` is rendered in a Russian ``text`` (``keys``: its tokens' keys, if known).

    Every occurrence counts: a disagreeing or misspelt occurrence, or the English term left as it
    is, is found even when another occurrence of the term is correct. With ``source``, the English term left inside a longer foreign
    name that the source also has («Washington Post», «Press Trust of India») is not untranslated:
    the translation kept the name.
    """
    ct = glossary.russian.compiled(term)
    if keys is None:
        keys = token_keys(tokens)
    if where is None:
        where = token_index(tokens)
    r = RuRendering()
    for m in find_pattern(ct.target, tokens, text, keys, where):
        if not m.exact_case:
            r.wrong_case.append(m)
        elif m.agrees:
            r.correct.append(m)
        else:
            r.disagreeing.append(m)
    for pattern in ct.alternatives if not ct.alternative_starts.isdisjoint(keys) else ():
        for m in find_pattern(pattern, tokens, text, keys, where):
            if not m.exact_case:
                continue
            (r.alternatives if m.agrees else r.disagreeing).append(m)
    # a shorter alternative inside a longer broken reading of the target does not rescue it: in
    # «Европейского союзу» the alternative «европейский» is the target's own first word
    if r.alternatives and (r.disagreeing or r.wrong_case):
        broken = [m for m in r.disagreeing + r.wrong_case if m.pattern is ct.target]
        r.alternatives = [
            m for m in r.alternatives if not any(b.start <= m.start and m.end <= b.end and (b.end - b.start) > (m.end - m.start) for b in broken)
        ]
    good = r.correct + r.alternatives
    # a disagreeing reading of words that also read as a correct rendering is not an error
    if good and r.disagreeing:
        r.disagreeing = [m for m in r.disagreeing if not _overlaps(m.start, m.end, good)]
    if good and r.wrong_case:
        r.wrong_case = [m for m in r.wrong_case if not _overlaps(m.start, m.end, good)]
    bad = (
        [m for pattern in ct.forbidden for m in find_pattern(pattern, tokens, text, keys, where) if not _inside(m, good)]
        if not ct.forbidden_starts.isdisjoint(keys)
        else []
    )
    # the longest variant wins: «Куртис Скапарротти» and not also «Скапарротти» inside it
    bad.sort(key=lambda m: -(m.end - m.start))
    for m in bad:
        if not any(o.start <= m.start and m.end <= o.end for o in r.forbidden):
            r.forbidden.append(m)
    r.forbidden.sort(key=lambda m: m.start)
    if not term.dnt:
        # (beside a correct rendering too: the source may name the term more often than it is rendered)
        hits = [h for h in glossary.english.find_term(term, text) if not good or not _overlaps(h.start, h.end, good)]
        for h in hits:
            (r.kept_foreign if source is not None and _kept_foreign_name(h, text, source) else r.untranslated).append(h)
    found = good + r.disagreeing + r.wrong_case + r.forbidden
    r.misspelt = near_misses(glossary, term, tokens, [(m.start, m.end) for m in found], where[0].keys())
    return r


@lru_cache(maxsize=1)
def _latin_run() -> re.Pattern:
    """(Compiled on first need: only an English term found in a translation asks.)"""
    return re.compile(r"[A-Za-z][\w'’&.-]*(?:\s+(?:of\s+|the\s+|&\s+)?[A-Z0-9][\w'’&.-]*)*")


def _kept_foreign_name(hit: TermMatch, text: str, source: str) -> bool:
    """True when ``hit`` is part of a longer run of Latin-script words that the source also has."""
    for m in _latin_run().finditer(text):
        if m.start() <= hit.start and hit.end <= m.end():
            run = m.group(0).strip().rstrip(".-")
            # more words, or a word joined to it (the dateline ASTANA.KAZINFORM, Gazprom-Media)
            longer = len(run.split()) > len(hit.text.split()) or len(run) > len(hit.text)
            # a translation may capitalise the name where the source does not («Macquarie Australia conference»)
            return longer and run.lower() in source.lower()
    return False


def near_misses(glossary: Glossary, term: Term, tokens: Sequence[Token], taken, words=None) -> list[NearMiss]:
    """Words one edit away from a form of the term, not forms themselves and not dictionary words.

    A misspelling is never the term (Испаании, Тррампа); a real word near a form (Ирак for Иран) is
    another word. The first letter must match: a misspelling rarely changes it, another name does.
    """
    index = glossary.russian.near_index(term)
    if not index:
        return []
    # the verdict on a word depends only on the word and the term: worked out once per project
    verdicts = glossary.russian.near_verdicts(term)
    keys = words if words is not None else {tok.key for tok in tokens}  # (``words``: the same keys, known)
    learn_near(verdicts, index, keys)
    if verdicts.misspelt.isdisjoint(keys):
        return []  # the usual case, told by a set operation without a loop over the words
    out = []
    for tok in tokens:
        best = verdicts.table[tok.key]
        if best and not _overlaps(tok.start, tok.end, taken):
            out.append(NearMiss(tok.start, tok.end, tok.text, _restore_case(tok.text, best)))
    return out


def learn_near(verdicts, index: dict, keys) -> None:
    """Work out the verdicts (a :class:`~.russian.NearVerdicts`) of the ``keys`` that have none yet."""
    table = verdicts.table
    # not ``keys - table.keys()``: that walks every word the project has had (the dict's keys)
    for key in keys.difference(table) if isinstance(keys, set) else [k for k in keys if k not in table]:
        best = table[key] = _near_form(index, key)
        if best:
            verdicts.misspelt.add(key)


def _near_form(index: dict, key: str) -> str:
    """The form of the term that ``key`` misspells, or "" when it misspells none."""
    forms = index.get(key[:1])
    if not forms or len(key) < 4 or key in index["*"]:
        return ""
    if not is_cyrillic(key):
        return ""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import extractOne

    best = extractOne(key, forms, scorer=Levenshtein.distance, score_cutoff=1)
    # the dictionary last: most words are no near miss of any form, and need no analysis
    if best is None or is_dictionary_word(key):
        return ""
    return best[0]


def source_terms(glossary: Glossary, source: str, lang: str) -> list[tuple[Term, list[TermMatch]]]:
    """Terms found in ``source``, each once, in order of first occurrence, with their matches."""
    found = glossary.find(source, lang)
    if len(found) < 2:
        return [(m.term, [m]) for m in found]
    out: dict[Term, list[TermMatch]] = {}
    for m in found:
        out.setdefault(m.term, []).append(m)
    return list(out.items())


# ---------------------------------------------------------------------------------------------------
# the grammatical context of a span in a Russian sentence

# preposition -> cases it governs, the usual one first
PREPOSITIONS = {
    "в": ("loct", "accs"), "во": ("loct", "accs"), "на": ("loct", "accs"), "о": ("loct", "accs"),
    "об": ("loct",), "обо": ("loct",), "при": ("loct",), "по": ("datv", "loct"), "к": ("datv",),
    "ко": ("datv",), "с": ("ablt", "gent"), "со": ("ablt", "gent"), "за": ("ablt", "accs"),
    "под": ("ablt", "accs"), "над": ("ablt",), "перед": ("ablt",), "между": ("ablt",),
    "у": ("gent",), "из": ("gent",), "от": ("gent",), "до": ("gent",), "для": ("gent",),
    "без": ("gent",), "около": ("gent",), "после": ("gent",), "против": ("gent",),
    "среди": ("gent",), "вокруг": ("gent",), "возле": ("gent",), "кроме": ("gent",),
    "вместо": ("gent",), "ради": ("gent",), "со стороны": ("gent",), "через": ("accs",),
    "про": ("accs",), "сквозь": ("accs",),
}  # fmt: skip

# words after which a name stands in the dative: "told Reuters" -> "заявил Рейтер"/"в интервью «Комсомольской правде»"
DATIVE_GOVERNORS = {
    "интервью", "заявить", "сообщить", "рассказать", "сказать", "ответить", "пояснить",
    "признаться", "подтвердить", "помогать", "помочь", "угрожать", "противостоять", "принадлежать",
}  # fmt: skip

# a generic noun before a title keeps the title in the nominative: газета «Комсомольская правда»;
# so does a compound of one (авиакомпания «Аэрофлот», госкорпорация, медиахолдинг: see is_generic_noun)
GENERIC_NOUNS = {
    "газета", "агентство", "информагентство", "движение", "журнал", "издание", "телеканал",
    "радиостанция", "компания", "организация", "группировка", "партия", "фонд", "корпорация",
    "холдинг", "сайт", "портал", "программа", "операция", "проект", "банк", "концерн", "газет",
    "клуб", "команда", "издательство", "студия", "театр", "завод", "фабрика", "сеть", "бренд",
    "марка", "служба", "ассоциация",
}  # fmt: skip
# prefixes that make another word of a generic noun, not a kind of it: реорганизация, продвижение,
# переиздание, перегруппировка, кооперация, инсайт (Russian and Latin derivational prefixes)
_DERIVING_PREFIXES = frozenset(
    "в во вз вс воз вос вы до за из ис на над о об обо от ото пере по под подо пре пред при про раз рас "
    "с со у де дез ре ин ко кон контр само".split()
)


@lru_cache(maxsize=20_000)
def is_generic_noun(lemma: str) -> bool:
    """A generic noun (газета, компания, клуб) or a compound that ends in one: a stem or an
    abbreviation before it (авиакомпания, телекомпания, госкорпорация, медиахолдинг,
    интернет-издание), never a derivational prefix (реорганизация is no organisation)."""
    if lemma in GENERIC_NOUNS:
        return True
    for generic in GENERIC_NOUNS:
        if len(lemma) > len(generic) + 1 and lemma.endswith(generic):
            first = lemma[: -len(generic)].rstrip("-")
            if len(first) >= 2 and first not in _DERIVING_PREFIXES:
                return True
    return False


def previous_word(text: str, start: int) -> str | None:
    """The word right before ``start`` when only spaces and an opening quote separate them."""
    i = start
    while i > 0 and (text[i - 1].isspace() or text[i - 1] in OPEN_QUOTES):
        i -= 1
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] == "-"):
        j -= 1
    return text[j:i] if j < i else None


def after_generic_noun(text: str, start: int) -> bool:
    prev = previous_word(text, start)
    if not prev:
        return False
    return any(p.tag.POS == "NOUN" and is_generic_noun(p.normal_form) for p in parses(prev.lower()))


def term_agreement(glossary: Glossary, term: Term) -> tuple[str | None, str]:
    """(gender, number) of the term's Russian target, as a past-tense verb agrees with it when it is
    the subject; the gender is None where nothing says it (an unknown name, an indeclinable one)."""
    from .russian import _name_gender

    pattern = glossary.russian.compiled(term).target
    if term.kind == "person":
        gender = term.gender if term.gender in ("masc", "femn") else _name_gender(tokenize(pattern.bare_text))
        return gender, "sing"
    head = pattern.head
    parse = head.parse if head is not None and not head.indeclinable else None
    gender = str(parse.tag.gender) if parse is not None and parse.tag.gender in ("masc", "femn", "neut") else None
    return gender, pattern.number


def _subject_of(readings, agreement: tuple[str | None, str] | None, text: str, at: int) -> bool:
    """Is a name after a say/report verb (``readings``, the verb standing at ``at``) its subject?
    Where a past-tense form agrees with the name in gender and number («Как сказал Лавров», «как
    сообщила «Новая газета»») and no subject stands before the verb («Путин сказал Лаврову»)."""
    if agreement is None:
        return False
    gender, number = agreement
    agrees = any(
        p.tag.POS == "VERB" and p.tag.tense == "past"
        and (p.tag.number == "plur" if number == "plur" else p.tag.number == "sing" and gender is not None and p.tag.gender == gender)
        for p in readings
    )  # fmt: skip
    if not agrees:
        return False
    before = previous_word(text, at)
    if before is None:
        return True
    # a noun or pronoun in the nominative, or a name, right before the verb: the verb has its subject
    if before[:1].isupper() and not sentence_start(text, text.rfind(before, 0, at)):
        return False
    return not any(p.tag.POS in ("NOUN", "NPRO") and p.tag.case == "nomn" for p in parses(before.lower()))


def context_cases(
    text: str, start: int, kind: str = "term", agreement: tuple[str | None, str] | None = None
) -> tuple[str, ...]:
    """Cases the words before ``start`` call for, the likeliest first; () when nothing is known.

    A noun before a name usually takes it in the genitive («представители «Талибана»»), except
    before a person, where it is usually a title in apposition («лидер талибов Саид ... заявил»),
    unless the noun can only be plural («союзники Путина»). A say/report verb takes a name in the
    dative («заявил Рейтер», «рассказал «Комсомольской правде»»), unless ``agreement`` (the name's
    gender and number, :func:`term_agreement`) shows the name is its subject («Как сказал Лавров»).
    """
    prev = previous_word(text, start)
    if not prev:
        return ()
    low = prev.lower()
    if low in PREPOSITIONS:
        return PREPOSITIONS[low]
    readings = parses(low)
    if any(p.normal_form in DATIVE_GOVERNORS for p in readings if p.tag.POS in ("NOUN", "VERB", "INFN")):
        if _subject_of(readings, agreement, text, text.rfind(prev, 0, start)):
            return ("nomn",)
        return ("datv",)
    nouns = [p for p in readings if p.tag.POS == "NOUN"]
    if nouns and readings[0].tag.POS == "NOUN" and is_cyrillic(prev):
        if kind != "person":
            return ("gent",)  # a noun before a name: "представители «Талибана»"
        if all(p.tag.number == "plur" for p in nouns):
            return ("gent",)  # one person is no apposition to a plural: «союзниками Путина»
    return ()


def span_case(
    text: str, tokens: Sequence[Token], first: int, last: int, start: int, kind: str = "term",
    agreement: tuple[str | None, str] | None = None,
) -> tuple[str, str]:
    """(case, number) of a replaced Russian span: from its own declinable words, else from context."""
    context = context_cases(text, start, kind, agreement)
    for k in range(last, first - 1, -1):
        readings = [
            p
            for p in parses(tokens[k].text.lower())
            if p.tag.POS in ("NOUN", "ADJF", "PRTF")
            and "Fixd" not in p.tag
            and case_of(p.tag)
            # a name has no plural: a plural reading of a misspelled name (Кремлин) is noise
            and (kind in ("term", "title") or p.tag.number != "plur")
        ]
        if not readings:
            continue
        if context:
            fitting = [p for p in readings if case_of(p.tag) in context]
            if fitting:
                best = max(fitting, key=lambda p: (-context.index(case_of(p.tag)), p.score))
                return case_of(best.tag), best.tag.number or "sing"
        best = max(readings, key=lambda p: p.score)
        return case_of(best.tag), best.tag.number or "sing"
    return (context[0] if context else "nomn"), "sing"


def fuzzy_window(
    tokens: Sequence[Token],
    text: str,
    wanted: Sequence[str],
    size: int,
    protected: Sequence[tuple[int, int]],
    capitalised: bool,
    threshold: float,
) -> tuple[int, int, float] | None:
    """The run of tokens whose Latin spelling is closest to one of ``wanted`` (already transliterated)."""
    from rapidfuzz.fuzz import ratio

    best: tuple[int, int, float] | None = None
    # the windows of ``iter_windows``, in its order (by size, then from the left), told apart from
    # the text once: joined[k] says only spaces stand between tokens k and k + 1
    joined = [not text[a.end : b.start].strip() for a, b in zip(tokens, tokens[1:])]
    starts = [i for i, tok in enumerate(tokens) if tok.text[:1].isupper()] if capitalised else range(len(tokens))
    for n in (size, size - 1, size + 1):
        if n < 1:
            continue
        for i in starts:
            j = i + n - 1
            if j >= len(tokens):
                break
            if n > 1 and not all(joined[i:j]):
                continue
            s, e = tokens[i].start, tokens[j].end
            if protected and any(s < pe and ps < e for ps, pe in protected):
                continue
            window = translit(text[s:e])
            score = max([ratio(window, w) for w in wanted])
            if score >= threshold and (best is None or score > best[2]):
                best = (i, j, score)
    return best


def quotes_around(text: str, start: int, end: int) -> bool:
    return start > 0 and end < len(text) and text[start - 1] in OPEN_QUOTES and text[end] in CLOSE_QUOTES


__all__ = [
    "NearMiss",
    "RuRendering",
    "near_misses",
    "locate_ru",
    "source_terms",
    "context_cases",
    "term_agreement",
    "span_case",
    "fuzzy_window",
    "after_generic_noun",
    "quotes_around",
    "tokenize",
]
