"""Putting the glossary's rendering into a machine translation (:meth:`Glossary.enforce`).

Engine-agnostic: it only sees the source and the engine's output, so it runs the same way on any
engine's output, including recorded outputs of another MT system. For each term found in the source,
in order:

1. a forbidden variant, a disagreeing form («Комсомольская правды») or a wrong letter case in the
   output is replaced by the glossary target, inflected like the words it replaces;
   A word one letter away from a form of the term (Испаании) becomes that form (Испании);
   English words of the same multi-word term left next to the replaced span («Curtis Скапарротти»)
   are replaced with it;
2. a correct form (any case) or an accepted alternative is kept, and so is the English term inside a
   longer foreign name the source also has («Washington Post»); the English term left beside a
   correct rendering is replaced as in 3 where the source names the term more often than the
   output renders it («"Газпром" и конкуренты Gazprom»);
3. the English term left untranslated (weak models copy names) is replaced by the target in the
   case its context calls for (preposition, «интервью»/«заявил» + dative, but the nominative after a
   past-tense verb that agrees with the term and has no subject before it: «Как сказал Лавров»; a
   noun + genitive, else nominative; a generic noun or a compound of one before a title keeps it
   nominative: агентство Рейтер, авиакомпания «Аэрофлот»);
4. otherwise the model's own rendering is looked for by spelling: the output's word runs (the
   term's length ±1) and the term are written in Latin and compared with rapidfuzz; the best run
   above the threshold is replaced, inflected like its own declinable words;
5. a term still not located is *unplaced*: the caller leaves the entry fuzzy.

Every replacement is then verified (:mod:`.verify`): one that repeats a word, puts the term in
twice or leaves a nominative after a preposition is not made, and once a term's replacements are
in, the sentence goes through the same glossary check as ``tolmach check``; a term the check
rejects has its replacement undone (enforcement runs again without it). Such a term is
*unverified*: the engine's words stay, and the caller leaves the entry fuzzy and names the term. A
term is reported as *enforced* only when the check passes for it.

Limits: the case comes from the replaced words and one word of context, not from a parse of the
sentence; an indeclinable rendering (Скапарротти) or an untranslated English word in an unusual
construction gets the context's or the nominative case; a rendering the model paraphrased (a
pronoun, «американский генерал» for a name) cannot be found; only one misspelled occurrence per term
is replaced by the fuzzy step.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from .locate import (
    after_generic_noun,
    context_cases,
    fuzzy_window,
    locate_ru,
    quotes_around,
    source_terms,
    span_case,
    term_agreement,
)
from .model import CLOSE_QUOTES, OPEN_QUOTES, Enforcement, Glossary, Term
from .russian import RuMatch, case_of, find_pattern, inflect_pattern, is_cyrillic, parses, sentence_start, tokenize, translit
from .russian import visible, with_invisible
from .verify import _named_more_often, artefact, english_renderings, failed_terms

FUZZY_THRESHOLD = 80.0
FUZZY_THRESHOLD_SHORT = 90.0  # terms of five letters or fewer: a near miss is usually another word


def enforce_pair(
    glossary: Glossary, source: str, target: str, source_lang: str, target_lang: str
) -> Enforcement:
    if (source_lang, target_lang) == ("en", "ru"):
        run = _enforce_en_ru
    elif (source_lang, target_lang) == ("ru", "en"):
        run = _enforce_ru_en
    else:
        raise ValueError(f"unsupported direction {source_lang}->{target_lang} (expected en->ru or ru->en)")
    # terms are found and placed in the texts without their soft hyphens and stress marks; those of
    # the output go back where its words are unchanged
    source, plain = visible(source), visible(target)
    out = verified(glossary, source, plain, source_lang, target_lang, lambda skip: run(glossary, source, plain, skip))
    return out if plain is target else replace(out, text=with_invisible(target, plain, out.text))


REJECTED = "failed the glossary check"
BROKE_ANOTHER = "broke another term's rendering"


def verified(glossary: Glossary, source: str, raw: str, source_lang: str, target_lang: str, attempt) -> Enforcement:
    """Run ``attempt(skip)`` until every term it reports as enforced passes the glossary check.

    ``skip`` maps the terms whose replacement failed to why; the attempt leaves them alone and lists
    them as unverified. If the check then rejects a term the raw output rendered correctly (some
    replacement broke it), the raw output is kept for the whole sentence.
    """
    skip: dict[Term, str] = {}
    while True:
        out = attempt(skip)
        broken, regressed = failed_terms(glossary, source, raw, out.text, out.enforced, source_lang, target_lang)
        if regressed:
            tried = [*out.enforced, *out.unverified]
            reasons = {**out.reasons, **{t: BROKE_ANOTHER for t in out.enforced}}
            return Enforcement(raw, [], list(out.unplaced), tried, reasons)
        if not broken:
            return out
        skip.update((t, REJECTED) for t in broken)


Edit = tuple[int, int, str]


def _apply(text: str, edits: Sequence[Edit]) -> str:
    for start, end, new in sorted(set(edits), key=lambda e: -e[0]):
        text = text[:start] + new + text[end:]
    return text


def _sentence_start(text: str, start: int) -> bool:
    return sentence_start(text, start)


def render(
    glossary: Glossary, term: Term, text: str, start: int, end: int, case: str, number: str, shown: bool = False
) -> str:
    """The term's target for ``text[start:end]``, in ``case``; quotes and capitals fitted to the spot.
    ``shown``: the words replaced agree on ``case`` themselves (an unquoted name keeps it)."""
    pattern = glossary.russian.compiled(term).target
    if term.kind not in ("term", "title"):
        number = pattern.number
    if pattern.quoted and after_generic_noun(text, start):
        case, number = "nomn", "sing"  # газета «Комсомольская правда»: the title keeps its form
    elif term.kind == "organisation" and not shown and after_generic_noun(text, start):
        case, number = "nomn", "sing"  # агентство Рейтер (but «сайт министерства иностранных дел»)
    new = inflect_pattern(pattern, case, number, term.kind == "person")
    replaced = text[start:end]
    if pattern.quoted and (quotes_around(text, start, end) or replaced[:1] in OPEN_QUOTES):
        new = new[1:-1]  # the spot already has its own quotes
        if replaced[:1] in OPEN_QUOTES and replaced[-1:] in CLOSE_QUOTES:
            new = replaced[0] + new + replaced[-1]
    first = new.lstrip("«\"„“")
    if first[:1].islower() and _sentence_start(text, start):
        i = len(new) - len(first)
        new = new[:i] + first[:1].upper() + first[1:]
    return new


def _match_edit(glossary: Glossary, term: Term, text: str, tokens, m: RuMatch, use_agreement: bool) -> Edit:
    if use_agreement and m.case:
        case, number = m.case, m.number or "sing"
    else:
        pattern = m.pattern  # the target or the forbidden variant that was found
        head = pattern.head
        if head is not None and not head.indeclinable and m.last - m.first + 1 == len(pattern.words):
            k = m.first + pattern.words.index(head)
            case, number = span_case(text, tokens, k, k, m.start, term.kind, term_agreement(glossary, term))
        else:
            case, number = span_case(text, tokens, m.first, m.last, m.start, term.kind, term_agreement(glossary, term))
    start, end = _absorb_leftover_source(text, m.start, m.end, term)
    if start < m.start and is_cyrillic(text[start:m.start]):
        # words of the term before the wrong one («Кертиса Скапарротти») show the case best
        first = next(k for k, t in enumerate(tokens) if t.end > start)
        case, number = span_case(text, tokens, first, max(first, m.first - 1), start, term.kind, term_agreement(glossary, term))
    new = render(glossary, term, text, start, end, case, number, use_agreement and m.case is not None)
    return start, _absorb_repeated_tail(text, end, new), new


def _absorb_leftover_source(text: str, start: int, end: int, term: Term) -> tuple[int, int]:
    """Extend a span over adjacent English words of the same multi-word term.

    A weak model may translate part of a name and copy the rest («Curtis Скапарротти» for Curtis
    Scaparrotti). Replacing only the Russian part would leave «Curtis Кертис Скапаротти», so Latin
    words equal (case-insensitively) to one of the term's source words, separated from the span by
    spaces only, go with it.
    """
    words = {w.lower() for w in re.split(r"[\s-]+", term.source) if w}
    if len(words) < 2:
        return start, end
    # the target's words too, in any case form: «Кертис Скапарротти» has the forbidden surname
    # after a correct first name, which the replacement «Кертис Скапаротти» already contains
    stems = {w.lower()[: max(3, len(w) - 2)] for w in re.split(r"[\s-]+", term.target.strip("«»\"")) if w}

    def ours(word: str) -> bool:
        low = word.lower()
        return low in words or (is_cyrillic(word) and any(low.startswith(s) for s in stems))

    while True:
        m = re.search(r"(?<![\w'’])(\w[\w'’]*)([ \t\u00a0]+)$", text[:start])
        if not m or not ours(m.group(1)):
            break
        start = m.start(1)
    while True:
        m = re.match(r"([ \t\u00a0]+)(\w[\w'’]*)(?![\w'’])", text[end:])
        if not m or not ours(m.group(2)):
            break
        end += m.end(2)
    return start, end


def _absorb_repeated_tail(text: str, end: int, new: str) -> int:
    """Extend a replaced span over words the replacement already ends with.

    «комитету по вооруженным службам Сената» has the forbidden «комитет по вооружённым службам»
    followed by «Сената»; the replacement «комитету по вооружённым силам Сената США» already
    says «Сената», so the word after the span goes too.
    """
    new_keys = [t.key for t in tokenize(new)]
    rest = text[end:]
    absorbed = 0
    pos = 1  # never the first word of the replacement: that one is the inflected head
    for tok in tokenize(rest):
        if rest[absorbed : tok.start].strip():
            break
        try:
            pos = new_keys.index(tok.key, pos) + 1
        except ValueError:
            break
        absorbed = tok.end
    return end + absorbed


def _enforce_en_ru(glossary: Glossary, source: str, target: str, skip: dict | None = None) -> Enforcement:
    text = target
    enforced: list[Term] = []
    unplaced: list[Term] = []
    reasons: dict[Term, str] = dict(skip or {})
    found = source_terms(glossary, source, "en")

    def place(term: Term, edits: list[Edit]) -> str:
        """``text`` with the term's edits made, unless they leave an artefact (then: unverified)."""
        why = artefact(glossary, term, source, text, edits, "en", "ru")
        if why is not None and why.startswith(RECASE):
            # the right words in the wrong case: once more in the one case the replaced words (or
            # the word before them) show, if there is one, and verified again
            recased = _recased(glossary, term, text, edits)
            if recased and artefact(glossary, term, source, text, recased, "en", "ru") is None:
                edits, why = recased, None
        elif why is not None and why.startswith("repeats a word"):
            # the model split a name («О 'Брайен») and the replacement took one piece: take the
            # piece beside it too, if that is all the repeat was
            wider = _absorb_pieces(text, edits)
            if wider and artefact(glossary, term, source, text, wider, "en", "ru") is None:
                edits, why = wider, None
        if why is not None:
            reasons[term] = why
            return text
        enforced.append(term)
        return _apply(text, edits)

    for term, matches in found:
        if term in reasons:
            continue
        tokens = tokenize(text)
        r = locate_ru(glossary, term, tokens, text, source=source)
        edits: list[Edit] = []
        edits += [_match_edit(glossary, term, text, tokens, m, False) for m in r.forbidden]
        edits += [_match_edit(glossary, term, text, tokens, m, False) for m in r.disagreeing]
        edits += [_match_edit(glossary, term, text, tokens, m, True) for m in r.wrong_case]
        # a misspelt word becomes the form it is one letter away from (its own case and number)
        edits += [(miss.start, miss.end, miss.suggestion) for miss in r.misspelt]
        edits = [e for e in edits if text[e[0] : e[1]] != e[2]]
        if edits:
            text = place(term, _drop_overlaps(edits))
            continue
        rendered = len(r.correct) + len(r.alternatives) + len(r.kept_foreign)
        if r.accepted and not (r.untranslated and _named_more_often(term, matches, source, found, rendered, glossary)):
            continue  # (the English term beside a correct rendering is replaced where the check reports it)
        if r.untranslated:
            for m in r.untranslated:
                cases = context_cases(text, m.start, term.kind, term_agreement(glossary, term))
                if m.text.endswith(("'s", "’s")) and not cases:
                    cases = ("gent",)
                edits.append((m.start, m.end, render(glossary, term, text, m.start, m.end, (cases or ("nomn",))[0], "sing")))
            text = place(term, _drop_overlaps(edits))
            continue
        others = [t for t, _ in found if t is not term]
        edit = _fuzzy_edit(glossary, term, text, tokens, others)
        edits = [edit] if edit is not None else _anchor_edits(glossary, term, text, tokens, others, len(matches))
        if not edits:
            unplaced.append(term)
            continue
        text = place(term, edits)
    return _outcome(text, enforced, unplaced, reasons, found)


def _absorb_pieces(text: str, edits: list[Edit]) -> list[Edit] | None:
    """Each edit widened over a word beside it that its replacement begins or ends with."""
    out, changed = [], False
    for start, end, new in edits:
        first, last = re.split(r"[-'’ ]", new.strip("«»\""))[0], re.split(r"[-'’ ]", new.strip("«»\""))[-1]
        m = re.search(r"(\w+)[ \t\u00a0'’]+$", text[:start])
        if m and first and m.group(1).casefold() == first.casefold():
            start, changed = m.start(1), True
        m = re.match(r"[ \t\u00a0'’-]+(\w+)", text[end:])
        if m and last and m.group(1).casefold() == last.casefold():
            end, changed = end + m.end(1), True
        out.append((start, end, new))
    return out if changed else None


RECASE = ("would change the case", "would leave the nominative", "would guess the case")


def _recased(glossary: Glossary, term: Term, text: str, edits: list[Edit]) -> list[Edit] | None:
    """The edits rendered in the case the replaced words are in (read on the term's paradigm or in
    the dictionary), narrowed by what the word before them governs; None unless one case fits."""
    from .locate import PREPOSITIONS, previous_word
    from .verify import _case_readings

    pattern = glossary.russian.compiled(term).target
    out = []
    for start, end, new in edits:
        old = tokenize(text[start:end])
        readings = None
        if len(old) == len(pattern.words) and pattern.head is not None:
            for k in dict.fromkeys((pattern.words.index(pattern.head), len(old) - 1)):
                seen = _case_readings(glossary, term, k, old[k].text)
                if seen is not None:
                    readings = seen if readings is None else readings & seen
        prev = (previous_word(text, start) or "").lower()
        governed = set(PREPOSITIONS.get(prev, ()))
        if not governed and prev and any(p.tag.POS == "INFN" for p in parses(prev)[:1]):
            governed = {"accs"}
        fits = [r for r in readings or () if not governed or r[0] in governed]
        shown = len(fits) == 1
        if not shown:
            if readings is None and len(governed) == 1:
                fits = [(next(iter(governed)), "sing")]
            elif readings is None and not governed and not prev[:1].isalpha():
                fits = [("nomn", "sing")]  # nothing shows a case, nothing governs one
            else:
                return None
        case, number = fits[0]
        out.append((start, end, render(glossary, term, text, start, end, case, number, shown)))
    return out


def _outcome(text: str, enforced, unplaced, reasons: dict, found) -> Enforcement:
    order = [t for t, _ in found]
    unverified = [t for t in order if t in reasons]
    return Enforcement(text, enforced, unplaced, unverified, {t: reasons[t] for t in unverified})


def _drop_overlaps(edits: list[Edit]) -> list[Edit]:
    out: list[Edit] = []
    for e in sorted(edits, key=lambda e: -(e[1] - e[0])):
        if all(e[1] <= o[0] or e[0] >= o[1] for o in out):
            out.append(e)
    return out


def _protected(glossary: Glossary, others: Sequence[Term], tokens, text: str) -> list[tuple[int, int]]:
    """Spans holding a correct rendering of another term: never taken for a misspelling."""
    spans = []
    for other in others:
        for pattern in glossary.russian.compiled(other).accepted:
            spans += [(m.start, m.end) for m in find_pattern(pattern, tokens, text)]
    return spans


def _fuzzy_edit(glossary: Glossary, term: Term, text: str, tokens, others: Sequence[Term]) -> Edit | None:
    pattern = glossary.russian.compiled(term).target
    wanted = [translit(pattern.text), translit(term.source)]
    wanted = [w for w in wanted if w]
    if not wanted or not pattern.words:
        return None
    shortest = min(len(w.replace(" ", "")) for w in wanted)
    threshold = FUZZY_THRESHOLD_SHORT if shortest <= 5 else FUZZY_THRESHOLD
    capitalised = pattern.words[0].text[:1].isupper()
    best = fuzzy_window(
        tokens, text, wanted, len(pattern.words), _protected(glossary, others, tokens, text), capitalised, threshold
    )
    if best is None:
        return None
    i, j, _ = best
    start, end = tokens[i].start, tokens[j].end
    case, number = span_case(text, tokens, i, j, start, term.kind, term_agreement(glossary, term))
    start, end = _absorb_leftover_source(text, start, end, term)
    new = render(glossary, term, text, start, end, case, number)
    return start, _absorb_repeated_tail(text, end, new), new


_CONTENT_POS = ("NOUN", "ADJF", "PRTF")
_PROPER = ("Name", "Surn", "Patr", "Geox", "Orgn", "Abbr")


def _content_lemmas(word: str) -> frozenset[str]:
    """Dictionary lemmas of a common noun, adjective or participle (never of a name)."""
    return frozenset(
        p.normal_form
        for p in parses(word.lower())
        if p.is_known and p.tag.POS in _CONTENT_POS and not any(g in p.tag for g in _PROPER)
    )


def _readings(word: str, pos: tuple[str, ...]) -> set[tuple[str, str]]:
    return {
        (case_of(p.tag), p.tag.number or "sing")
        for p in parses(word.lower())
        if p.tag.POS in pos and case_of(p.tag) and not any(g in p.tag for g in _PROPER)
    }


def _noun_phrase(tokens, text: str, k: int) -> tuple[int, int, set] | None:
    """The noun phrase around token ``k``: agreeing modifiers before a head noun and, where it has no
    modifier, a genitive complement after it («плазмы выздоровления»). (first, last, head readings)."""
    def spaced(a: int, b: int) -> bool:
        return not text[tokens[a].end : tokens[b].start].strip()

    head = k
    while not _readings(tokens[head].text, ("NOUN",)):
        if head + 1 >= len(tokens) or not spaced(head, head + 1) or not _readings(tokens[head].text, ("ADJF", "PRTF")):
            return None
        head += 1
    cases = _readings(tokens[head].text, ("NOUN",))
    first = head
    while first > 0 and spaced(first - 1, first):
        shared = cases & _readings(tokens[first - 1].text, ("ADJF", "PRTF"))
        if not shared:
            break
        cases, first = shared, first - 1
    if first > k:
        return None  # the anchor adjective does not agree with the noun after it
    last = head
    if first == head:
        j = head + 1
        while (
            j < len(tokens)
            and spaced(j - 1, j)
            and any(c == "gent" for c, _ in _readings(tokens[j].text, ("ADJF", "PRTF")))
            and not _readings(tokens[j].text, ("NOUN",))
        ):
            j += 1
        if j < len(tokens) and spaced(j - 1, j) and tokens[j].text.islower() and any(
            c == "gent" for c, _ in _readings(tokens[j].text, ("NOUN",))
        ):
            last = j
    return first, last, cases


def _anchor_edits(glossary: Glossary, term: Term, text: str, tokens, others: Sequence[Term], count: int) -> list[Edit]:
    """Replace the model's paraphrase of a multi-word term («выздоравливающая плазма» for
    *convalescent plasma*): the one noun phrase of the output that shares a content lemma with the
    target or an alternative («плазма»), inflected to its head noun's case.

    ``count`` is how often the source has the term: that many phrases must tie for the most shared
    lemmas, else nothing happens (an extra «плазма крови» makes the choice a guess); nothing happens
    either when a phrase overlaps another term's rendering.
    """
    ct = glossary.russian.compiled(term)
    if len([w for w in ct.target.words if is_cyrillic(w.text)]) < 2:
        return []
    anchors: set[str] = set()
    for pattern in ct.accepted:
        for w in pattern.words:
            anchors |= _content_lemmas(w.text)
    if not anchors:
        return []
    protected = _protected(glossary, others, tokens, text)
    lemmas = [_content_lemmas(t.text) if is_cyrillic(t.text) else frozenset() for t in tokens]
    phrases: dict[tuple[int, int], int] = {}
    for k, tok in enumerate(tokens):
        if not lemmas[k] & anchors:
            continue
        np = _noun_phrase(tokens, text, k)
        if np is None:
            continue
        first, last, _ = np
        shared = set().union(*(lemmas[j] for j in range(first, last + 1))) & anchors
        phrases[(first, last)] = len(shared)
    if not phrases:
        return []
    best = max(phrases.values())
    top = [span for span, n in phrases.items() if n == best]
    # one phrase may contain another (the anchor adjective and its head noun): keep the widest
    top = [a for a in top if not any(b != a and b[0] <= a[0] and a[1] <= b[1] for b in top)]
    if len(top) != count:
        return []
    edits = []
    for first, last in top:
        start, end = tokens[first].start, tokens[last].end
        if any(start < pe and ps < end for ps, pe in protected):
            return []
        head = first
        while not _readings(tokens[head].text, ("NOUN",)):
            head += 1
        case, number = span_case(text, tokens, head, head, start, term.kind, term_agreement(glossary, term))
        edits.append((start, end, render(glossary, term, text, start, end, case, number)))
    return edits


# ---------------------------------------------------------------------------------------------------
# RU -> EN: the English target has no cases; place term.source where the model left Russian words or
# misspelled the name.


def _enforce_ru_en(glossary: Glossary, source: str, target: str, skip: dict | None = None) -> Enforcement:
    from rapidfuzz import fuzz

    from .russian import iter_windows

    text = target
    enforced: list[Term] = []
    unplaced: list[Term] = []
    reasons: dict[Term, str] = dict(skip or {})
    found = source_terms(glossary, source, "ru")
    src_tokens = tokenize(source)
    for term, _ in found:
        if term in reasons:
            continue
        if not find_pattern(glossary.russian.compiled(term).target, src_tokens, source):
            # the source has an alternative (США, румынский, коронавирус): its English is not the
            # term's source (US, Romanian, coronavirus), so there is nothing to put in; where the
            # check finds no English for it either, the term is named for the reviewer
            if not english_renderings(glossary, term, source, text):
                unplaced.append(term)
            continue
        if glossary.english.find_term(term, text):
            continue
        tokens = tokenize(text)
        loose = glossary.english.find_term(term, text, case_sensitive=False)
        left = [] if term.dnt else find_pattern(glossary.russian.compiled(term).target, tokens, text)
        spans = [(m.start, m.end) for m in loose] or [(m.start, m.end) for m in left]
        if not spans:
            wanted = [term.source.lower(), translit(glossary.russian.compiled(term).target.bare_text)]
            n = len(term.source.split())
            best = None
            for i, j in iter_windows(tokens, text, (n, n - 1, n + 1)):
                if term.source[:1].isupper() and not tokens[i].text[:1].isupper():
                    continue
                window = text[tokens[i].start : tokens[j].end]
                score = max(fuzz.ratio(translit(window), translit(w)) for w in wanted)
                if score >= FUZZY_THRESHOLD and (best is None or score > best[2]):
                    best = (tokens[i].start, tokens[j].end, score)
            if best:
                spans = [best[:2]]
        if not spans:
            unplaced.append(term)
            continue
        edits = []
        for s, e in spans:
            new = term.source
            if text[s:e].endswith(("'s", "’s")) and not new.endswith("s"):
                new += text[e - 2 : e]
            if _sentence_start(text, s):
                new = new[:1].upper() + new[1:]
            edits.append((s, e, new))
        edits = _drop_overlaps(edits)
        why = artefact(glossary, term, source, text, edits, "ru", "en")
        if why is not None:
            reasons[term] = why
            continue
        text = _apply(text, edits)
        enforced.append(term)
    return _outcome(text, enforced, unplaced, reasons, found)
