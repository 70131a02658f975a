"""Checking one translation against the glossary (:meth:`Glossary.check`)."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Callable

from .english import keeps_case
from .locate import locate_ru, source_terms
from .model import Glossary, Term, TermIssue
from .russian import find_pattern, in_original, inflect_pattern, norm, token_index, token_keys, tokenize, visible
from .window import TextView, local_verdict


def quote_ru(text: str) -> str:
    """«text», unless the text is a title that already has its quotes."""
    t = text.strip()
    return t if t[:1] == "«" and t[-1:] == "»" else f"«{t}»"


Recorder = Callable[[Term, str, str, int, int], None]  # term, rendering key, text, start, end


def check_pair(
    glossary: Glossary,
    source: str,
    target: str,
    source_lang: str,
    target_lang: str,
    record: Recorder | None = None,
    warnings: bool = False,
) -> list[TermIssue]:
    """Issues of one translation; ``record`` (if given) learns how each source term was rendered,
    keyed by lemmas, for the project-wide consistency check.

    With ``warnings``, also issues of kind ``style`` (see :data:`~.model.WARNING_KINDS`): the term is
    rendered correctly, but with a capital letter the glossary does not write («Лигу Чемпионов»).
    They are not term errors, so :meth:`Glossary.check` leaves them out unless asked.

    Both texts are read without their invisible characters (:func:`~.russian.visible`: soft
    hyphens, zero-width spaces, stress marks); the positions given are in ``target`` as it is.
    """
    source, plain = visible(source), visible(target)
    if plain is not target:  # checked without them, the positions moved to where they are in the target
        if record is not None:
            record = _moved_recorder(record, target)
        return [_moved(issue, target) for issue in check_pair(glossary, source, plain, source_lang, target_lang,
                                                              record, warnings)]
    if (source_lang, target_lang) == ("en", "ru"):
        return _check_en_ru(glossary, source, target, record, warnings)
    if (source_lang, target_lang) == ("ru", "en"):
        return _check_ru_en(glossary, source, target, record)
    raise ValueError(f"unsupported direction {source_lang}->{target_lang} (expected en->ru or ru->en)")


def _moved(issue: TermIssue, target: str) -> TermIssue:
    """The issue of the target without its invisible characters, its span in ``target``."""
    if issue.start is None or issue.end is None:
        return issue
    return replace(issue, start=in_original(target, issue.start), end=in_original(target, issue.end))


def _moved_recorder(record: Recorder, target: str) -> Recorder:
    def recorded(term: Term, key: str, text: str, start: int, end: int) -> None:
        record(term, key, text, in_original(target, start), in_original(target, end))

    return recorded


@lru_cache(maxsize=50_000)
def lemma_key(text: str) -> str:
    """The lemmas of a Russian span: different inflections of one rendering give one key."""
    from .russian import norm, parses

    out = []
    for tok in tokenize(text):
        readings = [p for p in parses(tok.text.lower()) if p.tag.POS in ("NOUN", "ADJF", "PRTF")]
        out.append(norm(max(readings, key=lambda p: p.score).normal_form) if readings else tok.key)
    return " ".join(out)


def _record_ru(record, term: Term, r, tokens, target: str) -> None:
    for group in (r.correct, r.disagreeing, r.wrong_case):
        if group:
            m = group[0]
            record(term, lemma_key(term.bare_target), target[m.start : m.end], m.start, m.end)
            return
    for group in (r.alternatives, r.forbidden):
        if group:
            m = group[0]
            record(term, lemma_key(m.pattern.bare_text), target[m.start : m.end], m.start, m.end)
            return
    if r.untranslated:
        m = r.untranslated[0]
        record(term, term.source.casefold(), m.text, m.start, m.end)


@lru_cache(maxsize=20_000)
def _wanted(target: str, source: str) -> tuple[tuple[str, ...], float]:
    """The Latin spellings a misspelt rendering of a term is compared with, and the score it needs."""
    from .russian import translit

    wanted = tuple(w for w in (translit(target), translit(source)) if w)
    short = bool(wanted) and min(len(w.replace(" ", "")) for w in wanted) <= 5
    return wanted, 90.0 if short else 80.0


def closest_rendering(glossary: Glossary, term: Term, tokens, target: str) -> tuple[int, int] | None:
    """The run of words that spells most like the term (a misspelling the lists do not name)."""
    from .locate import fuzzy_window

    pattern = glossary.russian.compiled(term).target
    if not pattern.words:
        return None
    wanted, threshold = _wanted(pattern.text, term.source)
    if not wanted:
        return None
    best = fuzzy_window(tokens, target, wanted, len(pattern.words), [], pattern.words[0].text[:1].isupper(), threshold)
    return (tokens[best[0]].start, tokens[best[1]].end) if best else None


class NotLocal(Exception):
    """Raised by :func:`term_issues` run on a stretch of a text alone (``local``) where the verdict
    depends on the rest of the text (a fuzzy search over every word, the word before the stretch)."""


def _check_en_ru(
    glossary: Glossary, source: str, target: str, record: Recorder | None = None, warnings: bool = False
) -> list[TermIssue]:
    found = source_terms(glossary, source, "en")
    if not found:
        return []
    issues: list[TermIssue] = []
    view = TextView(target) if _LOCAL_VERDICTS else None
    tokens = keys = where = None  # the whole text's analysis: made when a term needs it
    for term, matches in found:
        # the usual case: the term's words stand in one stretch whose verdict is known
        if view is not None and local_verdict(glossary, term, matches, source, found, view, record, warnings, issues):
            continue
        if tokens is None:
            tokens = tokenize(target)
            keys = token_keys(tokens)
            where = token_index(tokens)
        r = locate_ru(glossary, term, tokens, target, keys, source, where)

        def more_often(rendered: int, term=term, matches=matches) -> bool:
            return _named_more_often(term, matches, source, found, rendered, glossary)

        term_issues(glossary, term, r, tokens, target, keys, len(matches), more_often, record, warnings, issues)
    return issues


# False: every term is checked on the whole text (for comparing the two ways in tests)
_LOCAL_VERDICTS = True


def term_issues(
    glossary: Glossary,
    term: Term,
    r,
    tokens,
    target: str,
    keys,
    in_source: int,
    more_often: Callable[[int], bool],
    record: Recorder | None,
    warnings: bool,
    issues: list[TermIssue],
    local: bool = False,
) -> None:
    """Add to ``issues`` what is wrong with how ``term`` is rendered (``r``, from ``locate_ru``) in
    ``target``; ``in_source``: how often the source names it; ``more_often(rendered)``: whether the
    source names it more often than that. ``local``: ``target`` is only the stretch of a text that
    holds the term's words; :class:`NotLocal` where the answer needs the rest of the text."""
    accepted = r.accepted
    if not accepted and not (r.disagreeing or r.wrong_case or r.forbidden or r.misspelt) and term.kind == "person":
        if local:
            raise NotLocal  # the surname alone: the word before it, anywhere in the text
        r.correct = _surname_alone(glossary, term, tokens, target, keys)
        accepted = r.accepted
    rendered = len(r.correct) + len(r.alternatives) + len(r.kept_foreign)
    if accepted and r.misspelt:
        r.misspelt = _misspellings(glossary, term, r, tokens, in_source)
    elif accepted and more_often(rendered):
        if local:
            raise NotLocal  # every capitalised word of the text
        r.misspelt = _short_or_real_word_misses(glossary, term, r, tokens)
    # the English term left as it is beside a correct rendering, where the source names it more often
    # than it is rendered («"Газпром" и конкуренты Gazprom»); once named, a gloss in brackets is no error
    left = r.untranslated if accepted and r.untranslated and more_often(rendered) else []
    if record is not None:
        _record_ru(record, term, r, tokens, target)
    if accepted and not (r.forbidden or r.disagreeing or r.misspelt or left or (warnings and r.style)):
        return  # the usual case: rendered as the glossary says, nothing to report
    expected = quote_ru(term.target)
    for m in r.forbidden:
        text = target[m.start : m.end]
        issues.append(
            TermIssue(
                "forbidden", term,
                f'term "{term.source}": expected a form of {expected}, found {quote_ru(text)} (forbidden variant)',
                term.target, text, m.start, m.end,
            )  # fmt: skip
        )
    # every occurrence counts: a broken or misspelt one next to a correct one is still an error
    if r.disagreeing:
        m = r.disagreeing[0]
        text = target[m.start : m.end]
        hint = _agreeing_hint(glossary, term, tokens, m, target, local)
        issues.append(
            TermIssue(
                "agreement", term,
                f'term "{term.source}": the words of {quote_ru(text)} do not agree'
                + (f" (did you mean {quote_ru(hint)}?)" if hint and hint != text else ""),
                term.target, text, m.start, m.end,
            )  # fmt: skip
        )
    if r.misspelt:
        miss = r.misspelt[0]
        issues.append(
            TermIssue(
                "wrong-form" if accepted else "missing", term,
                f'term "{term.source}": expected a form of {expected}, found {quote_ru(miss.text)} '
                f"(misspelt; did you mean {quote_ru(miss.suggestion)}?)",
                term.target, miss.text, miss.start, miss.end,
            )  # fmt: skip
        )
    if left:
        m = left[0]
        issues.append(
            TermIssue(
                "wrong-form", term,
                f'term "{term.source}": expected a form of {expected}, found "{m.text}" left untranslated',
                term.target, m.text, m.start, m.end,
            )  # fmt: skip
        )
    if accepted:
        if warnings and r.style:
            m = r.style[0]
            text = target[m.start : m.end]
            issues.append(
                TermIssue(
                    "style", term,
                    f'term "{term.source}": {quote_ru(text)} has a capital letter where the glossary writes {expected}',
                    term.target, text, m.start, m.end,
                )  # fmt: skip
            )
        return
    if r.disagreeing or r.misspelt:
        return
    if r.wrong_case:
        m = r.wrong_case[0]
        text = target[m.start : m.end]
        issues.append(
            TermIssue(
                "wrong-form", term,
                f'term "{term.source}": expected {expected}, found {quote_ru(text)} (letter case differs)',
                term.target, text, m.start, m.end,
            )  # fmt: skip
        )
    elif r.untranslated:
        m = r.untranslated[0]
        issues.append(
            TermIssue(
                "wrong-form", term,
                f'term "{term.source}": expected a form of {expected}, found "{m.text}" left untranslated',
                term.target, m.text, m.start, m.end,
            )  # fmt: skip
        )
    elif not r.forbidden:
        if local:
            raise NotLocal  # the closest run of words: anywhere in the text
        near = closest_rendering(glossary, term, tokens, target)
        if near is None:
            issues.append(
                TermIssue(
                    "missing", term,
                    f'term "{term.source}": expected a form of {expected}, not found in the translation',
                    term.target, None, None, None,
                )  # fmt: skip
            )
        else:
            s, e = near
            near_text = target[s:e]
            if record is not None:
                record(term, lemma_key(near_text), near_text, s, e)
            issues.append(
                TermIssue(
                    "missing", term,
                    f'term "{term.source}": expected a form of {expected}, found {quote_ru(near_text)} (misspelt?)',
                    term.target, near_text, s, e,
                )  # fmt: skip
            )


def _surname_alone(glossary: Glossary, term: Term, tokens, target: str, keys) -> list:
    """A person's full-name term rendered by the surname alone («пробил Обамеянг», «второй срок
    Трампу»): normal news style once the person is known, and accepted where no word of the given
    name is in the text (so «Дональда Трампу» is still checked for agreement). The surname is the
    last word, with or without the particles before it («фон дер Ляйен», «Бисмарк» for Отто фон
    Бисмарк), the first one of an East Asian name (Си for Си Цзиньпин)."""
    from .russian import Pattern, east_asian_name

    pattern = glossary.russian.compiled(term).target
    words = pattern.words
    if len(words) < 2 or not all(w.in_group for w in words):
        return []
    if east_asian_name(term.source, term.kind):
        spans = [(0, 0)]
    else:
        last = first = len(words) - 1
        while first > 0 and words[first - 1].pos == "PRCL":
            first -= 1
        spans = [(first, last)] + ([(last, last)] if first < last else [])
    out = []
    for first, last in spans:
        if first == 0 and last == len(words) - 1:
            continue  # (particles alone before the surname: nothing left out)
        others = [w for j, w in enumerate(words) if not first <= j <= last and w.pos != "PRCL"]
        if any(not keys.isdisjoint(w.forms) for w in others):
            return []
        surname = words[first : last + 1]
        alone = Pattern(
            " ".join(w.text for w in surname), surname, False, pattern.case_sensitive, False, True, pattern.gaps[first:last]
        )
        for m in find_pattern(alone, tokens, target, keys):
            prev = tokens[m.first - 1] if m.first else None
            # a capitalised word right before it may be the given name misspelt («Раула Ганди», «Той Дини»)
            if prev is not None and not target[prev.end : m.start].strip() and prev.text[:1].isupper() and not prev.text.isupper():
                continue
            if m.exact_case and not any(o.start <= m.start and m.end <= o.end for o in out):
                out.append(m)
    return out


def _named_more_often(term: Term, matches, source: str, found, rendered: int, glossary: Glossary) -> bool:
    """Does the source name the term more often than the translation renders it? Counted the same
    way on both sides: inside a longer term too («Владимиром Путиным» renders Putin as well, so
    "Vladimir Putin ... Putin's chef" names Putin twice)."""
    if len(matches) > rendered:
        return True
    name = term.source.casefold()
    if not any(other is not term and name in other.source.casefold() for other, _ in found):
        return False  # no longer term of this source contains it: the count above is the count
    return len(glossary.english.find_term(term, source)) > rendered


def _short_or_real_word_misses(glossary: Glossary, term: Term, r, tokens) -> list:
    """Where the source names the term more often than the translation renders it, a capitalised
    word one letter from a form of a capitalised term is the missing occurrence misspelt, even when
    it is short or a dictionary word (НТО for НАТО, Серии for Сербии), which ``near_misses`` leaves
    alone when nothing says a rendering is missing."""
    from rapidfuzz.distance import Levenshtein
    from rapidfuzz.process import extractOne

    from .locate import NearMiss
    from .russian import _restore_case

    accepted = glossary.russian.compiled(term).accepted
    if not term.target.strip("«»\"„“ ")[:1].isupper():
        return []
    forms = {f for p in accepted for w in p.words if w.text[:1].isupper() for f in w.forms if len(f) >= 3}
    taken = [(m.start, m.end) for m in r.correct + r.alternatives + r.disagreeing + r.wrong_case + r.forbidden]
    out = []
    for tok in tokens:
        if len(tok.key) < 3 or not tok.text[:1].isupper() or tok.key in forms:
            continue
        if any(tok.start < e and s < tok.end for s, e in taken):
            continue
        best = extractOne(tok.key, forms, scorer=Levenshtein.distance, score_cutoff=1)
        if best is not None and best[0][:1] == tok.key[:1]:
            out.append(NearMiss(tok.start, tok.end, tok.text, _restore_case(tok.text, best[0])))
    return out[:1]


def _ending_swapped(word: str, form: str) -> bool:
    """``word`` is ``form`` with another last letter: what a declined neighbour looks like («Мадура»
    beside «Мадуро», «Моды» beside «Моди»), unlike a letter dropped or doubled."""
    return len(word) == len(form) and word[:-1] == form[:-1] and word != form


def _misspellings(glossary: Glossary, term: Term, r, tokens, in_source: int) -> list:
    """Near misses that are the term, where a correct rendering is there too.

    A word one letter from the one form of a fixed (indeclinable) word, with another last letter, is
    often another word (a neighbouring name: «Мадура» beside «Мадуро»). Next to a correct rendering it counts only where
    the source names the term more often than the translation renders it correctly (one occurrence
    misspelt), or where the rest of a multi-word term stands beside it. A near miss of a declinable
    word's forms («Калифоорния») stays a misspelling.
    """
    if in_source > len(r.correct) + len(r.alternatives):
        return r.misspelt
    accepted = glossary.russian.compiled(term).accepted
    fixed = {w.key for p in accepted for w in p.words if w.indeclinable or len(w.forms) == 1}
    by_start = {t.start: k for k, t in enumerate(tokens)}
    patterns = [p for p in accepted if len(p.words) > 1]
    kept = []
    for miss in r.misspelt:
        k = by_start.get(miss.start)
        if k is None:
            continue
        want = norm(miss.suggestion)
        if want not in fixed or not _ending_swapped(norm(miss.text), want):
            kept.append(miss)  # a letter dropped or doubled inside («Зиимбабве») is a misspelling
            continue
        near = {tokens[j].key for j in (k - 1, k + 1) if 0 <= j < len(tokens)}
        if any(not near.isdisjoint(w.forms) for p in patterns for w in p.words):
            kept.append(miss)
    return kept


def _agreeing_hint(glossary: Glossary, term: Term, tokens, m, text: str, local: bool = False) -> str | None:
    """The term in the case of the head noun as written: what the translator probably meant."""
    from .locate import span_case

    pattern = glossary.russian.compiled(term).target
    head = pattern.head
    if head is None:
        return None
    k = min(m.last, m.first + pattern.words.index(head))
    if local and k == 0:
        raise NotLocal  # the case comes from the word before, outside the stretch
    case, number = span_case(text, tokens, k, k, tokens[k].start)
    return inflect_pattern(pattern, case, number, term.kind == "person")


@lru_cache(maxsize=1)
def _latin_word() -> re.Pattern:
    """(Compiled on first need: only an English translation asks.)"""
    return re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _english_near_miss(term: Term, target: str, hits, shortest: int) -> tuple[int, int, str, str] | None:
    """A word one letter from a capitalised word of the term (Mocow, NTO), outside its renderings."""
    from rapidfuzz.distance import Levenshtein

    # an acronym misspelt is a typo at any length (NAATO); a word, from ``shortest`` letters on
    wanted = [w for w in term.source.split() if w[:1].isupper() and (len(w) >= shortest or (w.isupper() and len(w) > 2))]
    for m in _latin_word().finditer(target):
        word = m.group(0)
        if not word[:1].isupper() or any(h.start <= m.start() < h.end for h in hits):
            continue
        for w in wanted:
            if word.startswith(w) or w.startswith(word) or word.lower().rstrip("s") == w.lower().rstrip("s"):
                continue  # Olympic beside Olympics, American beside America, Patric beside Patrick: other words
            if word[:1] == w[:1] and Levenshtein.distance(word, w, score_cutoff=1) <= 1:
                return m.start(), m.end(), word, w
    return None


def _same_target(glossary: Glossary, term: Term) -> list[Term]:
    """The term first, then the other entries that share a Russian rendering with it (its target or
    an alternative): the English variants of one name (Britain, UK for Великобритания)."""
    out = [term]
    for rendering in (term.bare_target, *term.alternatives):
        for t in glossary.by_target.get(rendering.strip("«»\"„“ ").lower().replace("ё", "е"), ()):
            if t not in out:
                out.append(t)
    return out


def names_target(glossary: Glossary, term: Term, source: str) -> bool:
    """Does a Russian ``source`` name ``term`` by its target (not only by an alternative)?"""
    return bool(find_pattern(glossary.russian.compiled(term).target, tokenize(source), source))


_FUNCTION_WORDS = frozenset("of the and for on in at to de du des la le del da von van".split())
# a word derived from a name: its first four letters, then an adjective's ending (Israel-i,
# Romania-n, Chin-ese, Europ-ean, Norw-egian, Brit-ish), and the plural (Romanians)
_DERIVED = r"[a-z]{0,4}(?:i|n|an|ian|ean|ese|ish|ic)s?"


@lru_cache(maxsize=20_000)
def _short_forms(source: str) -> re.Pattern | None:
    """The initials of a name of two capitalised words or more (US, U.S., IMF, EU) and the words
    derived from its last word (Romanian, Norwegian, Chinese, South African), as one expression."""
    words = source.split()
    if not words or not all(w[:1].isalpha() for w in words):
        return None
    alts = []
    capitals = [w for w in words if w.casefold() not in _FUNCTION_WORDS]
    if len(capitals) > 1 and all(w[:1].isupper() for w in capitals):
        alts.append(r"\.?".join(re.escape(w[0]) for w in capitals) + r"\.?")
    last = words[-1]
    if last.isalpha() and len(last) > 3 and not last.isupper():
        head = "".join(re.escape(w) + r"\s+" for w in words[:-1])
        alts.append(head + re.escape(last[:4]) + _DERIVED)
    return re.compile(r"(?<![\w.])(?:" + "|".join(alts) + r")(?:['’]s)?(?!\w)") if alts else None


def english_renderings(glossary: Glossary, term: Term, source: str, target: str) -> list:
    """The renderings of ``term`` in an English ``target`` that the RU→EN check accepts, in order.

    Every English source the glossary gives the term's Russian rendering passes (Kyiv and Kiev, US
    and the United States for США): one file serves both directions. Where the Russian ``source``
    names the term only by an alternative (США, МВФ, ЕС, румынский), the English that corresponds
    to it passes too: the initials of the English (US, U.S., IMF, EU) or a word derived from it
    (Romanian for Romania).
    """
    from .model import TermMatch

    variants = _same_target(glossary, term)
    hits = [h for other in variants for h in glossary.english.find_term(other, target)]
    if not hits and not names_target(glossary, term, source):
        for other in variants:
            rx = _short_forms(other.source.strip())
            if rx is not None:
                hits += [TermMatch(term, m.start(), m.end(), m.group(0)) for m in rx.finditer(target)]
    hits.sort(key=lambda h: h.start)
    return hits


def _check_ru_en(glossary: Glossary, source: str, target: str, record: Recorder | None = None) -> list[TermIssue]:
    found = source_terms(glossary, source, "ru")
    if not found:
        return []
    issues: list[TermIssue] = []
    tokens = None
    for term, matches in found:
        hits = english_renderings(glossary, term, source, target)
        if hits:
            if record is not None:
                record(term, term.source.casefold(), hits[0].text, hits[0].start, hits[0].end)
            # a misspelt occurrence beside a correct one: any word one letter off where the source names
            # the term more often than the translation renders it, a longer word anywhere
            miss = _english_near_miss(term, target, hits, 3 if len(matches) > len(hits) else 5)
            if miss is not None:
                s, e, text, want = miss
                issues.append(
                    TermIssue(
                        "wrong-form", term,
                        f'term "{term.target}": expected "{term.source}", found "{text}" (misspelt; did you mean "{want}"?)',
                        term.source, text, s, e,
                    )  # fmt: skip
                )
            continue
        if term.case_sensitive or (term.case_sensitive is None and keeps_case(term.source, term.kind)):
            loose = glossary.english.find_term(term, target, case_sensitive=False)
            if loose:
                issues.append(
                    TermIssue(
                        "wrong-form", term,
                        f'term "{term.target}": expected "{term.source}", found "{loose[0].text}" (letter case differs)',
                        term.source, loose[0].text, loose[0].start, loose[0].end,
                    )  # fmt: skip
                )
                continue
        if tokens is None:
            tokens = tokenize(target)
        left = [] if term.dnt else find_pattern(glossary.russian.plain_pattern(term.target, term.kind), tokens, target)
        if left:
            m = left[0]
            text = target[m.start : m.end]
            issues.append(
                TermIssue(
                    "wrong-form", term,
                    f'term "{term.target}": expected "{term.source}", found {quote_ru(text)} left untranslated',
                    term.source, text, m.start, m.end,
                )  # fmt: skip
            )
            continue
        issues.append(
            TermIssue(
                "missing", term,
                f'term "{term.target}": expected "{term.source}", not found in the translation',
                term.source, None, None, None,
            )  # fmt: skip
        )
    return issues


# ---------------------------------------------------------------------------------------------------
# Verifying an enforcement: a replacement counts as "enforced" only when the check passes for its term
# afterwards and it left no artefact. Enforcement (``enforce``, ``aligned``) asks these two questions;
# a replacement that fails either is undone and its term reported as *unverified*.

Edit = tuple[int, int, str]  # replace text[start:end] with the string

# English words too common to show a duplicated term («the», «of»)
_EN_STOP = frozenset("the of and for with from into over under that this its his her their new".split())
_WORD_RE = None
_EN_NAME_STARTS = frozenset("United New North South East West Saint San Santa Los Las Great Hong Sri Costa El".split())
# what a derived word adds to the name it comes from (Israel-i, Russia-n, Ukrain-ian, New Caledonia-ns);
# not a plain "s" (Donbas -> Donbass is a spelling) nor "a" (USA -> US)
_EN_DERIVED_TAILS = frozenset({"i", "n", "an", "ian", "ns", "ans", "ians", "ese", "ish", "ic"})
_EN_ADJECTIVE = ("ish", "ese", "ian", "ean", "an", "ic", "i")  # Spanish, Chinese, Romanian, Israeli


def apply_edits(text: str, edits) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with non-overlapping ``edits`` applied, and where each replacement now stands."""
    out, spans, last, shift = [], [], 0, 0
    for start, end, new in sorted(set(edits)):
        out.append(text[last:start])
        out.append(new)
        spans.append((start + shift, start + shift + len(new)))
        shift += len(new) - (end - start)
        last = end
    out.append(text[last:])
    return "".join(out), spans


def _similar(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b)


def _words(text: str) -> list[tuple[int, int, str]]:
    import re

    global _WORD_RE
    if _WORD_RE is None:
        _WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*")
    return [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text)]


def _key(word: str) -> str:
    """A word's identity for artefact counting: its lemma in Russian, its lower case in English."""
    from .russian import is_cyrillic

    return lemma_key(word) if is_cyrillic(word) else word.casefold()


def _repeats(text: str) -> list[str]:
    """Adjacent repeated words («Court Court», «Азии Азия»), as text; a word also repeats the part
    of a hyphenated or apostrophed name next to it (the «О» left before «О'Брайен»)."""
    import re

    words = _words(text)
    out = []
    for a, b in zip(words, words[1:]):
        if text[a[1] : b[0]].strip(" \t'’\"«»„“”"):
            continue
        left, right = re.split(r"[-'’]", a[2])[-1], re.split(r"[-'’]", b[2])[0]
        if (len(a[2]) > 1 and _key(a[2]) == _key(b[2])) or (left and left == right):
            out.append(text[a[0] : b[1]])
    return out


def _content_keys(text: str) -> list[str]:
    return [_key(w) for _, _, w in _words(text) if len(w) >= 3 and w.casefold() not in _EN_STOP]


def _allowed(glossary: Glossary, source: str, source_lang: str, target_lang: str) -> dict[str, int]:
    """How often the source names a term that has each target-side word: the most a sentence may say it."""
    from collections import Counter

    allowed: Counter = Counter()
    for m in glossary.find(source, source_lang):
        renderings = (m.term.source,) if target_lang == "en" else (m.term.target, *m.term.alternatives)
        for key in {k for r in renderings for k in _content_keys(r)}:
            allowed[key] += 1
    return allowed


def artefact(
    glossary: Glossary, term: Term, source: str, before: str, edits, source_lang: str, target_lang: str
) -> str | None:
    """Why replacing ``edits`` in ``before`` (for ``term``) would make the text worse, or None.

    * it repeats a word: «Supreme Court Court» from «Now the State Court» (the replacement took
      the wrong words and left the model's own «Court» beside it);
    * it puts the term in twice: a word of the replacement was already in the sentence, the source
      names the term fewer times (Центры Азии … Центральная Азия);
    * in Russian, it leaves the nominative where the word before needs another case (a preposition,
      or an infinitive that takes an object: «будут носить Центральная Азия»).
    """
    from collections import Counter

    after, spans = apply_edits(before, edits)
    new_repeats = Counter(_repeats(after)) - Counter(_repeats(before))
    if new_repeats:
        return f"repeats a word ({next(iter(new_repeats))})"
    counts_before, counts_after = Counter(_content_keys(before)), Counter(_content_keys(after))
    allowed = None
    for _, _, new in edits:
        for key in set(_content_keys(new)):
            if counts_before[key] and counts_after[key] > counts_before[key]:
                if allowed is None:
                    allowed = _allowed(glossary, source, source_lang, target_lang)
                if counts_after[key] > allowed.get(key, 0):
                    return f"would say «{key}» twice"
    if target_lang == "en":
        for old_start, old_end, new in edits:
            was, now = before[old_start:old_end].casefold(), new.casefold()
            tail = was[len(now) - 1 :] if was.startswith(now[:-1]) else ""
            derived = (len(was) > len(now) and tail[1:] in _EN_DERIVED_TAILS or tail in _EN_DERIVED_TAILS) or (
                " " not in was and was[:3] == now[:3] and was.endswith(_EN_ADJECTIVE) and not now.endswith(_EN_ADJECTIVE)
            )
            if was != now and derived and not was.endswith(("'s", "’s")):
                return f"would put the noun in place of «{before[old_start:old_end]}»"  # Israeli, Spanish
            if " " not in was and was != now and was[:3] == now[:3] and now.endswith(_EN_ADJECTIVE) and not was.endswith(_EN_ADJECTIVE):
                return f"would put an adjective in place of «{before[old_start:old_end]}»"  # Turkey -> Turkish
            old_words = before[old_start:old_end].split()
            initials = "".join(w[0] for w in old_words if w[:1].isalpha()).casefold()
            if len(old_words) > len(new.split()) and not re.search("[а-яё]", was) and initials != re.sub(r"\W", "", now):
                # "Deputy Foreign Minister" → "Foreign Secretary": a spelling match one word too long
                return f"would drop a word («{before[old_start:old_end]}»)"
            latin = not re.search("[а-яё]", was)
            written = before[old_start:old_end]
            if (
                written.isupper() and len(written) <= 4 and not new.isupper()
                and re.search(r"(?<!\w)the[ \t]+$", before[:old_start], re.IGNORECASE)
            ):
                return f"would leave «the» before «{new}»"  # "in the UK" -> "in the Britain"
            if latin and written == written.lower() and new[:1].isupper() and _similar(was, now) < 50:
                # the alignment took a common word for the name: "U.S. sanctions" -> "U.S. US"
                return f"would put the name in place of «{before[old_start:old_end]}»"
            if latin:
                from .russian import sentence_start

                left = re.search(r"([A-Z][\w.'’-]*)[ \t]+$", before[:old_start])
                right = re.match(r"[ \t]+([A-Z][\w.'’-]*)", before[old_end:])
                ours = {w.casefold() for w in new.split()}
                # on the left only a word that begins place names (a title or a first name before a
                # surname is no part of it: "President Poutin" -> "President Putin" is right)
                if left and left.group(1) not in _EN_NAME_STARTS:
                    left = None
                for m, offset in ((left, 0), (right, old_end)):
                    if m is None or m.group(1).casefold() in ours or sentence_start(before, offset + m.start(1)):
                        continue
                    # "United States" -> "United US": one word of a longer name taken
                    name = before[m.start(1) : old_end] if offset == 0 else before[old_start : old_end + m.end(1)]
                    return f"would break the name «{name}»"
    if target_lang == "ru":
        for (start, end), (old_start, old_end, _) in zip(spans, sorted(set(edits))):
            prev = _governing_word(glossary, term, after, start, end)
            if prev:
                return f"would leave the nominative after «{prev}»"
            why = _changes_the_word(glossary, term, source, before, old_start, old_end, after[start:end])
            if why:
                return why
    return None


_DECLINABLE = ("NOUN", "ADJF", "PRTF")


def _case_readings(glossary: Glossary, term: Term, k: int, word: str) -> set[tuple[str, str]] | None:
    """(case, number) readings of ``word`` as the term's ``k``-th word: from the term's own paradigm
    when the word is one of its forms (pymorphy's guesses for an unknown name are noise: it reads
    «Погба» as a genitive), else from the dictionary for a known word; None when nothing is sure."""
    from .russian import CASES, case_of, is_cyrillic, known, norm, parses

    if not is_cyrillic(word):
        return None
    pattern = glossary.russian.compiled(term).target
    key = norm(word)
    person = term.kind == "person"
    if key in pattern.words[k].forms:
        out = set()
        for number in ("sing", "plur") if term.kind in ("term", "title") else ("sing",):
            for case in CASES:
                words = tokenize(inflect_pattern(pattern, case, number, person))
                if len(words) == len(pattern.words) and norm(words[k].text) == key:
                    out.add((case, number))
        return out or None
    out = set()
    for p in parses(word.lower()):
        if not known(p) or p.tag.POS not in _DECLINABLE or not case_of(p.tag) or "Fixd" in p.tag:
            continue
        if term.kind not in ("term", "title") and p.tag.number == "plur":
            continue  # a name has no plural, as in ``span_case``
        out.add((case_of(p.tag), p.tag.number or "sing"))
    return out or None


def _changes_the_word(
    glossary: Glossary, term: Term, source: str, text: str, start: int, end: int, new: str
) -> str | None:
    """A replacement that changes what the words were, not only how they are spelt:

    * another case than the words it replaces («Пол Погба намекнул» → «Поля Погбы намекнул»,
      «Консультации министерства» → «Консультации Министерство»), read on the term's head word;
    * a noun for an adjective («анти-Вашингтонское» → «Вашингтон», «Чикагской школе» → «Чикаго школе»);
    * one word of a Latin name kept by the model («Macuarie Australia» → «Macuarie Австралия»).
    """
    from .russian import is_cyrillic, known, norm, parses

    old_tokens, new_tokens = tokenize(text[start:end]), tokenize(new)
    if not old_tokens or not new_tokens:
        return None
    if not any(is_cyrillic(t.text) for t in old_tokens):
        if not any(is_cyrillic(t.text) for t in new_tokens):
            return None  # a Latin spelling fixed in Latin («Fo News Sunday» → «Fox News Sunday»)
        before = text[:start].rstrip(" \t\u00a0")
        after = text[end:].lstrip(" \t\u00a0")
        latin = re.compile(r"[A-Za-z][\w'’.-]*")
        left = re.search(r"([A-Za-z][\w'’.-]*)$", before) if len(before) < start else None
        right = latin.match(after) if len(after) < len(text) - end else None
        # a neighbour that belongs to another term of the source (Taliban Syed …) is that term's
        ours = {w.casefold() for m in glossary.find(source, "en") for w in re.split(r"[\s-]+", m.term.source)}
        left = left if left and left.group(1).casefold() not in ours else None
        right = right if right and right.group(0).casefold() not in ours else None
        if left or right:
            name = " ".join(x for x in (left and left.group(1), text[start:end], right and right.group(0)) if x)
            return f"would break the Latin name «{name}»"
        return None
    # the likeliest reading of each word: an unknown word has guessed noun readings of next to no weight
    kinds = [parses(t.text.lower())[:1] for t in old_tokens if is_cyrillic(t.text)]
    new_has_noun = any(
        [p.tag.POS for p in parses(t.text.lower())[:1]] == ["NOUN"] for t in new_tokens if is_cyrillic(t.text)
    )
    # one word only: in a phrase a participle is often the noun («верховным союзным командующим»)
    if new_has_noun and len(kinds) == 1 and kinds[0] and kinds[0][0].tag.POS in ("ADJF", "PRTF", "ADJS", "ADVB"):
        return f"would put a noun in place of the adjective «{text[start:end]}»"
    pattern = glossary.russian.compiled(term).target
    head = pattern.head
    if head is None or len(old_tokens) != len(new_tokens) or len(new_tokens) != len(pattern.words):
        return None
    # the head shows the phrase's case; a name's last word (the surname) shows it best. Where the
    # two disagree (a misspelling that happens to be another form: «Абдельмаджид Теббуне») the words
    # show no case, and nothing is said
    was = now = None
    shown = None
    for k in dict.fromkeys((pattern.words.index(head), len(new_tokens) - 1)):
        if norm(old_tokens[k].text)[:3] != norm(new_tokens[k].text)[:3]:
            continue  # another word in this place (a paraphrase's order): nothing to compare
        a = _case_readings(glossary, term, k, old_tokens[k].text)
        b = _case_readings(glossary, term, k, new_tokens[k].text)
        if a and b:
            was = a if was is None else was & a
            now = b if now is None else now & b
            shown = k if shown is None else shown
    if was and now and not was & now:
        return f"would change the case of «{old_tokens[shown].text}» («{new_tokens[shown].text}»)"
    if was is None:
        # a word neither the term's paradigm nor the dictionary knows shows no case but its ending;
        # with nothing before it that governs one, only the nominative is safe («Сам Эсхилус сражался» is not
        # «Сам Эсхилу сражался», whatever pymorphy guesses)
        from .locate import after_generic_noun, context_cases

        last = len(new_tokens) - 1
        unknown = is_cyrillic(old_tokens[last].text) and not any(known(p) for p in parses(old_tokens[last].text.lower()))
        now = _case_readings(glossary, term, last, new_tokens[last].text)
        # the ending still tells: «Ксерксеса» → «Ксеркса» keeps the genitive's «-а», «Бозкиру» → «Бозкыра» does not
        same_ending = old_tokens[last].text[-1:].lower() == new_tokens[last].text[-1:].lower()
        if (
            unknown and now and not same_ending and not any(c == "nomn" for c, _ in now)
            and not context_cases(text, start, term.kind) and not after_generic_noun(text, start)
        ):
            return f"would guess the case of «{old_tokens[last].text}» («{new_tokens[last].text}»)"
    return None


def _governing_word(glossary: Glossary, term: Term, text: str, start: int, end: int) -> str | None:
    """The word before a nominative rendering that needs another case (a preposition, an infinitive)."""
    from .locate import PREPOSITIONS, after_generic_noun, previous_word
    from .russian import parses, sentence_start

    pattern = glossary.russian.compiled(term).target
    person = term.kind == "person"
    nominative = inflect_pattern(pattern, "nomn", pattern.number, person)
    placed = text[start:end].strip("«»\"„“”'")
    if placed.casefold() != nominative.strip("«»\"„“”'").casefold() or after_generic_noun(text, start):
        return None
    prev = previous_word(text, start)
    if not prev:
        return None
    low = prev.lower()
    at = text.rfind(prev, 0, start)
    if prev[:1].isupper() and not sentence_start(text, at):
        return None  # not a preposition: «О» of «О 'Брайен», an initial
    if low in PREPOSITIONS:
        wanted = PREPOSITIONS[low]
    elif any(p.tag.POS == "INFN" for p in parses(low)[:1]) and low not in ("быть", "стать", "являться"):
        wanted = ("accs",)
    else:
        return None
    for case in wanted:
        if inflect_pattern(pattern, case, pattern.number, person).casefold() == nominative.casefold():
            return None  # the form is the same in the case the word needs (an indeclinable name)
    return prev


def failed_terms(
    glossary: Glossary, source: str, raw: str, text: str, enforced, source_lang: str, target_lang: str
) -> tuple[set[Term], bool]:
    """(enforced terms the check rejects in ``text``, whether a term correct in ``raw`` now fails)."""
    after = {i.term for i in check_pair(glossary, source, text, source_lang, target_lang)}
    if not after:
        return set(), False
    broken = after & set(enforced)
    rest = after - broken
    regressed = bool(rest - {i.term for i in check_pair(glossary, source, raw, source_lang, target_lang)})
    return broken, regressed
