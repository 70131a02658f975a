"""Placing terms the engine rendered beyond recognition, by the engine's word alignment.

:meth:`Glossary.enforce` finds a term's rendering by its spelling: a correct form, a forbidden
variant, a misspelt transliteration, the English term left in place. A weak model may render a
name as something else entirely («Кузнец» for *Scaparrotti*), and then only the model itself knows
which words of its output stand for the term. :func:`enforce_aligned` asks it (through the engine's
word alignment) and puts the glossary form in place of those words, in their grammatical case
(or, for words that show none, the case their context asks for).
"""

from __future__ import annotations

import re
from typing import Sequence

from .enforce import REJECTED, render
from .locate import span_case, term_agreement
from .model import Enforcement, Glossary
from .russian import tokenize
from .verify import apply_edits, artefact, failed_terms, names_target

_WORD = re.compile(r"\S+")
_FUNCTION_POS = {"PREP", "CONJ", "PRCL", "INTJ", "NPRO"}
_LATIN = re.compile(r"[A-Za-z]")
_EDGE_PUNCT = ",.;:!?»\"')…"


def enforce_aligned(
    glossary: Glossary,
    source: str,
    target: str,
    alignment: Sequence[int | None],
    source_lang: str,
    target_lang: str,
    first: Enforcement | None = None,
) -> Enforcement:
    """Enforce the glossary on ``target``, using ``alignment`` for the terms spelling cannot place.

    ``alignment`` gives, for each whitespace-separated word of ``target``, the index of the source
    word it renders (or None). The result places at least as many terms as plain enforcement; if
    the alignment does not help, plain enforcement's result is returned.
    """
    first = first or glossary.enforce(source, target, source_lang, target_lang)
    if not first.unplaced:
        return first
    src_words = [(m.start(), m.end()) for m in _WORD.finditer(source)]
    tgt_words = [(m.start(), m.end()) for m in _WORD.finditer(target)]
    if len(tgt_words) != len(alignment):
        return first
    unplaced = set(first.unplaced)
    tokens = tokenize(target) if target_lang == "ru" else None
    edits: list[tuple[int, int, str]] = []
    placed: list = []
    for match in glossary.find(source, source_lang):
        term = match.term
        if term not in unplaced or (target_lang == "ru" and _LATIN.search(term.target)):
            continue  # a Latin name (CNN, The Moscow Times) the model dropped is not to be guessed
        if source_lang == "ru" and not names_target(glossary, term, source):
            continue  # named by an alternative (США, румынский): its English is not the term's
        covered = {i for i, (a, b) in enumerate(src_words) if a < match.end and b > match.start}
        aligned = [
            j for j, s in enumerate(alignment)
            if s in covered and not _function_word(target[tgt_words[j][0]:tgt_words[j][1]], target_lang)
        ]
        # one contiguous run of target words (a single stray word in between is tolerated), long
        # enough to be the term's rendering: replacing a fragment would leave the rest as debris
        if not aligned or aligned[-1] - aligned[0] + 1 > len(aligned) + 1:
            continue
        if len(aligned) < len(covered) - 1:
            continue
        start, end = tgt_words[aligned[0]][0], tgt_words[aligned[-1]][1]
        while end > start and target[end - 1] in _EDGE_PUNCT:
            end -= 1
        while start < end and target[start] in "«\"'(":
            start += 1
        if start >= end:
            continue
        if tokens is None:
            new = term.source if target_lang == "en" and source_lang == "ru" else match.text
        else:
            # the glossary form in the case of the words it replaces (or of their context)
            first_tok = next(k for k, t in enumerate(tokens) if t.end > start)
            last_tok = max(k for k, t in enumerate(tokens) if t.start < end)
            case, number = span_case(target, tokens, first_tok, last_tok, start, term.kind, term_agreement(glossary, term))
            new = render(glossary, term, target, start, end, case, number)
        edits.append((start, end, new))
        unplaced.discard(term)
        placed.append(term)
    if not edits:
        return first
    by_term = dict(zip(placed, edits))
    edits.sort()
    if any(a[1] > b[0] for a, b in zip(edits, edits[1:])):  # overlapping runs: too unsure
        return first
    # each placement is verified like a spelling one: no artefact, and the check passes afterwards
    reasons: dict = {}
    for term, edit in list(by_term.items()):
        why = artefact(glossary, term, source, target, [edit], source_lang, target_lang)
        if why is not None:
            reasons[term] = why
            del by_term[term]
    while by_term:
        candidate, _ = apply_edits(target, by_term.values())
        second = glossary.enforce(source, candidate, source_lang, target_lang)
        enforced = [t for t in by_term if t not in second.unplaced and t not in second.unverified]
        enforced += [t for t in second.enforced if t not in enforced]
        broken, regressed = failed_terms(glossary, source, target, second.text, enforced, source_lang, target_lang)
        if regressed:
            break
        if broken & set(by_term):
            for term in broken & set(by_term):
                reasons[term] = REJECTED
                del by_term[term]
            continue
        if len(second.unplaced) >= len(first.unplaced):
            break
        unverified = [*second.unverified, *(t for t in reasons if t not in second.unverified)]
        return Enforcement(
            second.text, enforced, [t for t in second.unplaced if t not in reasons], unverified,
            {**second.reasons, **reasons},
        )
    if not reasons:
        return first
    unverified = [*first.unverified, *reasons]
    return Enforcement(
        first.text, list(first.enforced), [t for t in first.unplaced if t not in reasons], unverified,
        {**first.reasons, **reasons},
    )


def _function_word(word: str, lang: str) -> bool:
    """A preposition, conjunction, particle or pronoun: never a term's rendering, whatever the
    attention says (a misaligned «С» must not become «НАТО»)."""
    bare = word.strip(_EDGE_PUNCT + "«\"'(—–-")
    if not bare:
        return True
    if lang != "ru":
        return bare.lower() in {"a", "an", "the", "of", "in", "on", "at", "to", "and", "or", "by", "for", "with", "from"}
    from .russian import morph

    parses = [p for p in morph().parse(bare) if p.score >= 0.1]
    return bool(parses) and all(p.tag.POS in _FUNCTION_POS for p in parses)
