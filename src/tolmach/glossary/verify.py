"""Checking one translation against the glossary (:meth:`Glossary.check`)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from .english import keeps_case
from .locate import locate_ru, source_terms
from .model import Glossary, Term, TermIssue
from .russian import compile_pattern, find_pattern, inflect_pattern, norm, token_keys, tokenize


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
    """
    if (source_lang, target_lang) == ("en", "ru"):
        return _check_en_ru(glossary, source, target, record, warnings)
    if (source_lang, target_lang) == ("ru", "en"):
        return _check_ru_en(glossary, source, target, record)
    raise ValueError(f"unsupported direction {source_lang}->{target_lang} (expected en->ru or ru->en)")


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


def closest_rendering(glossary: Glossary, term: Term, tokens, target: str) -> tuple[int, int] | None:
    """The run of words that spells most like the term (a misspelling the lists do not name)."""
    from .locate import fuzzy_window
    from .russian import translit

    pattern = glossary.russian.compiled(term).target
    wanted = [w for w in (translit(pattern.text), translit(term.source)) if w]
    if not wanted or not pattern.words:
        return None
    short = min(len(w.replace(" ", "")) for w in wanted) <= 5
    best = fuzzy_window(
        tokens, target, wanted, len(pattern.words), [], pattern.words[0].text[:1].isupper(), 90.0 if short else 80.0
    )
    return (tokens[best[0]].start, tokens[best[1]].end) if best else None


def _check_en_ru(
    glossary: Glossary, source: str, target: str, record: Recorder | None = None, warnings: bool = False
) -> list[TermIssue]:
    found = source_terms(glossary, source, "en")
    if not found:
        return []
    tokens = tokenize(target)
    keys = token_keys(tokens)
    issues: list[TermIssue] = []
    for term, matches in found:
        r = locate_ru(glossary, term, tokens, target, keys, source)
        if not r.accepted and not (r.disagreeing or r.wrong_case or r.forbidden or r.misspelt) and term.kind == "person":
            r.correct = _surname_alone(glossary, term, tokens, target, keys)
        if r.accepted and r.misspelt:
            r.misspelt = _misspellings(glossary, term, r, tokens, len(matches))
        elif r.accepted and _named_more_often(term, matches, source, found, len(r.correct) + len(r.alternatives) + len(r.kept_foreign), glossary):
            r.misspelt = _short_or_real_word_misses(glossary, term, r, tokens)
        if record is not None:
            _record_ru(record, term, r, tokens, target)
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
            hint = _agreeing_hint(glossary, term, tokens, m, target)
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
                    "wrong-form" if r.accepted else "missing", term,
                    f'term "{term.source}": expected a form of {expected}, found {quote_ru(miss.text)} '
                    f"(misspelt; did you mean {quote_ru(miss.suggestion)}?)",
                    term.target, miss.text, miss.start, miss.end,
                )  # fmt: skip
            )
        if r.accepted:
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
            continue
        if r.disagreeing or r.misspelt:
            continue
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
    return issues


def _surname_alone(glossary: Glossary, term: Term, tokens, target: str, keys) -> list:
    """A person's full-name term rendered by the surname alone («пробил Обамеянг», «второй срок
    Трампу»): normal news style once the person is known, and accepted where no word of the given
    name is in the text (so «Дональда Трампу» is still checked for agreement). The surname is the
    last word, the first one of an East Asian name (Си for Си Цзиньпин)."""
    from .russian import Pattern, east_asian_name

    pattern = glossary.russian.compiled(term).target
    words = pattern.words
    if len(words) < 2 or not all(w.in_group for w in words):
        return []
    k = 0 if east_asian_name(term.source, term.kind) else len(words) - 1
    others = [w for j, w in enumerate(words) if j != k]
    if any(not keys.isdisjoint(w.forms) for w in others):
        return []
    alone = Pattern(words[k].text, (words[k],), False, pattern.case_sensitive, False, True)
    out = []
    for m in find_pattern(alone, tokens, target, keys):
        prev = tokens[m.first - 1] if m.first else None
        # a capitalised word right before it may be the given name misspelt («Раула Ганди», «Той Дини»)
        if prev is not None and not target[prev.end : m.start].strip() and prev.text[:1].isupper() and not prev.text.isupper():
            continue
        if m.exact_case:
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


def _agreeing_hint(glossary: Glossary, term: Term, tokens, m, text: str) -> str | None:
    """The term in the case of the head noun as written: what the translator probably meant."""
    from .locate import span_case

    pattern = glossary.russian.compiled(term).target
    head = pattern.head
    if head is None:
        return None
    k = min(m.last, m.first + pattern.words.index(head))
    case, number = span_case(text, tokens, k, k, tokens[k].start)
    return inflect_pattern(pattern, case, number, term.kind == "person")


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _english_near_miss(term: Term, target: str, hits, shortest: int) -> tuple[int, int, str, str] | None:
    """A word one letter from a capitalised word of the term (Mocow, NTO), outside its renderings."""
    from rapidfuzz.distance import Levenshtein

    # an acronym misspelt is a typo at any length (NAATO); a word, from ``shortest`` letters on
    wanted = [w for w in term.source.split() if w[:1].isupper() and (len(w) >= shortest or (w.isupper() and len(w) > 2))]
    for m in _LATIN_WORD.finditer(target):
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


def _check_ru_en(glossary: Glossary, source: str, target: str, record: Recorder | None = None) -> list[TermIssue]:
    found = source_terms(glossary, source, "ru")
    if not found:
        return []
    issues: list[TermIssue] = []
    tokens = None
    for term, matches in found:
        # every English source the glossary gives this Russian rendering passes (Kyiv and Kiev, US and
        # the United States for США): one file serves both directions
        hits = [h for other in _same_target(glossary, term) for h in glossary.english.find_term(other, target)]
        if hits:
            hits.sort(key=lambda h: h.start)
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
        left = [] if term.dnt else find_pattern(compile_pattern(term.target, term.kind), tokens, target)
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
