"""How far to trust a machine draft: a 0-1 confidence per sentence and its weakest words.

The engine's model scores the text that is actually written (after glossary enforcement, which
changes words) by forced decoding, word by word (:meth:`tolmach.engines.base.Engine.score`). From
those log-probabilities and the two texts this module takes a few features that say "the model
was unsure here" —

* the mean, median, minimum and lowest-three word log-probabilities, the shares of words the
  model gave less than 10 % and less than 50 %, the mean per-token log-probability, and the
  log-probability of ending the sentence where it ends (a truncated or run-on translation shows
  there);
* the target/source token length ratio and its square (dropped or hallucinated content);
* the share of target words copied verbatim from the source, and of unknown tokens (words the
  model could not translate);
* the source length in tokens and the target length in words (long sentences go wrong more
  often), and the share of repeated words (a model stuck in a loop) —

and combines them with a logistic model, ``confidence = sigmoid(bias + w · standardized
features)``, fitted per direction on held-out FLORES-200 sentences to predict sentence chrF/100
(``bench/confidence_fit.py`` writes the parameters into :mod:`tolmach.confidence_params`). So a
confidence of 0.3 reads "expect about chrF 30 against a human translation", and ordering drafts
by it puts the worst first.

A paragraph (one PO entry) is as weak as its weakest sentence: its score is the minimum of its
sentences', and its unsure words are the weakest words over all of them.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Callable, Collection, Mapping, Sequence

import polib

from .engines.base import Engine, ScoredText

FEATURES = (
    "mean_word_lp",
    "median_word_lp",
    "min_word_lp",
    "lowest3_word_lp",
    "low_word_share",
    "unsure_word_share",
    "mean_token_lp",
    "end_lp",
    "log_len_ratio",
    "log_len_ratio_sq",
    "copied_share",
    "unknown_share",
    "log_source_tokens",
    "log_target_words",
    "repeated_word_share",
)
LOW_WORD_LP = math.log(0.1)  # a word the model gave less than 10 % is a "low" word
HALF_LP = math.log(0.5)  # ... and one under 50 % a word it hesitated over
FLOOR_LP = -20.0  # log-probabilities below this say the same thing: "not what the model would write"
UNSURE_LP = math.log(0.2)  # words named to the reviewer: the model gave them less than 20 %
UNSURE_WORDS = 3  # at most this many per paragraph (the note stays one short line)
# Sentences whose confidence is under this get --alternatives (where a reviewer will look anyway).
ALTERNATIVES_BELOW = 0.5

_LETTERS = re.compile(r"[^\W\d_]{2,}")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass(frozen=True)
class SentenceConfidence:
    """The confidence of one written sentence, with its weakest words (weakest first)."""

    score: float
    unsure: tuple[tuple[str, float], ...] = ()  # (word, log-probability)
    alternatives: tuple[str, ...] = ()  # other translations the engine considered, best first
    # the engine's word alignment of each alternative to the source (a sentence of a unit with
    # markup; empty otherwise or where the engine cannot tell)
    alignments: tuple = ()


@dataclass(frozen=True)
class ParagraphConfidence:
    """What the write step records with a machine draft (see :func:`paragraph_confidence`)."""

    score: float | None  # None: the engine could not score ("no confidence")
    unsure: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()


def features(source: str, target: str, scored: ScoredText) -> list[float]:
    """The feature vector of one scored sentence, in the order of :data:`FEATURES`."""
    lps = [max(FLOOR_LP, lp) for lp in scored.word_log_probs]
    n = len(lps)
    ordered = sorted(lps)
    end = max(FLOOR_LP, scored.end_log_prob)
    words = [w.casefold() for w in scored.words]
    ratio = math.log((scored.target_tokens + 1) / (scored.source_tokens + 1))
    source_words = {w.casefold() for w in _LETTERS.findall(source)}
    target_words = _LETTERS.findall(target)
    copied = sum(1 for w in target_words if w.casefold() in source_words)
    return [
        sum(lps) / n if n else FLOOR_LP,
        (ordered[(n - 1) // 2] + ordered[n // 2]) / 2 if n else FLOOR_LP,
        ordered[0] if n else FLOOR_LP,
        sum(ordered[:3]) / min(3, n) if n else FLOOR_LP,
        sum(1 for lp in lps if lp < LOW_WORD_LP) / n if n else 1.0,
        sum(1 for lp in lps if lp < HALF_LP) / n if n else 1.0,
        (sum(lps) + end) / (scored.target_tokens + 1),
        end,
        ratio,
        ratio * ratio,
        copied / len(target_words) if target_words else 0.0,
        scored.unknown_tokens / max(1, scored.target_tokens),
        math.log(scored.source_tokens + 1),
        math.log(n + 1),
        1.0 - len(set(words)) / n if n else 0.0,  # a model stuck in a loop repeats itself
    ]


def _params(source_lang: str, target_lang: str) -> dict:
    from .confidence_params import PARAMS

    key = f"{source_lang}-{target_lang}"
    return PARAMS.get(key) or PARAMS["default"]


def combine(values: Sequence[float], params: Mapping) -> float:
    """The calibrated 0-1 confidence of one feature vector (see the module docstring)."""
    z = params["bias"]
    for x, mean, scale, weight in zip(values, params["mean"], params["scale"], params["weight"]):
        z += weight * (x - mean) / scale
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _unsure(scored: ScoredText) -> tuple[tuple[str, float], ...]:
    found: dict[str, float] = {}
    for word, lp in zip(scored.words, scored.word_log_probs):
        word = _EDGE_PUNCT.sub("", word)
        if word and lp < UNSURE_LP and any(c.isalpha() or c.isdigit() for c in word):
            found[word] = min(lp, found.get(word, 0.0))
    return tuple(sorted(found.items(), key=lambda item: item[1]))


def assess(
    engine: Engine,
    langs: tuple[str, str],
    written: Mapping[str, str],
    alternatives: int = 0,
    glossary: object | None = None,
    cache: object | None = None,
    marked: Collection[str] = (),
) -> dict[str, SentenceConfidence]:
    """The confidence of each written sentence (source -> the text written for it), scored by
    ``engine``'s model; an empty mapping when the engine cannot score. With ``alternatives``, the
    sentences under :data:`ALTERNATIVES_BELOW` also get that many other translations (with the
    ``glossary`` enforced in them, as in the draft); those of ``marked`` sentences (of units with
    markup) come with the engine's word alignment, to put the markup back in them as in the draft.

    With a ``cache`` (the run's :class:`tolmach.memory.MTCache`), scores are kept beside the
    translations, keyed by the scoring model, the fitted parameters, the source and the written
    text, so a run whose sentences all come from the cache loads no model for scoring either."""
    sources = [s for s, t in written.items() if t]
    if not sources:
        return {}
    out: dict[str, SentenceConfidence] = {}
    signature = _score_signature(engine)
    keys = {s: f"{s}{_KEY_SEPARATOR}{written[s]}" for s in sources}
    if cache is not None:
        stored = cache.get_many(signature, list(keys.values()))
        for s, key in keys.items():
            if key in stored:
                data = json.loads(stored[key])
                out[s] = SentenceConfidence(data["score"], tuple((w, lp) for w, lp in data["unsure"]))
    todo = [s for s in sources if s not in out]
    scored = engine.score(todo, [written[s] for s in todo]) if todo else []
    if scored is None:
        return {}
    params = _params(*langs)
    fresh = []
    for source, result in zip(todo, scored):
        value = combine(features(source, written[source], result), params)
        out[source] = SentenceConfidence(round(value, 4), _unsure(result))
        fresh.append((keys[source], json.dumps({"score": out[source].score, "unsure": out[source].unsure},
                                               ensure_ascii=False)))
    if cache is not None and fresh:
        cache.put_many(signature, fresh)
    if alternatives > 0:
        weak = [s for s in sources if out[s].score < ALTERNATIVES_BELOW]
        # twice as many as asked, and one for the draft itself: enforcing the glossary often makes
        # two hypotheses one text, or the draft again (they differed only in the term's rendering)
        found = engine.alternatives(weak, 2 * (alternatives + 1)) if weak else None
        offered: dict[str, tuple[str, ...]] = {}
        for source, hyps in zip(weak, found or ()):
            if glossary is not None:
                hyps = _enforced(glossary, engine, langs, source, hyps)
            hyps = list(dict.fromkeys(hyps))
            own = " ".join(written[source].split())
            offered[source] = tuple(h for h in hyps if " ".join(h.split()) != own)[:alternatives]
        aligned = _aligned(engine, {s: alts for s, alts in offered.items() if s in marked})
        for source, others in offered.items():
            out[source] = SentenceConfidence(out[source].score, out[source].unsure, others, aligned.get(source, ()))
    return out


_KEY_SEPARATOR = "\u241e"  # ␞: between the source and the written text in a cache key


def _score_signature(engine: Engine) -> str:
    """What a cached score depends on: the engine (and the model that scores for it) and the
    fitted parameters."""
    import hashlib

    from .confidence_params import PARAMS

    parts = [engine.info.signature()]
    scorer = getattr(engine, "scorer", None)
    if scorer is not None:
        parts.append(f"scorer={scorer.info.signature()}")
    version = hashlib.blake2b(repr((PARAMS, FEATURES, UNSURE_LP)).encode(), digest_size=4).hexdigest()
    return "|".join([*parts, f"confidence={version}"])


def _aligned(engine: Engine, offered: Mapping[str, tuple[str, ...]]) -> dict[str, tuple]:
    """The engine's word alignment of each alternative to its sentence, in one call (empty where
    the engine cannot tell)."""
    from .markup import align_texts

    pairs = [(s, alt) for s, alts in offered.items() for alt in alts]
    found = align_texts(engine, [s for s, _ in pairs], [alt for _, alt in pairs]) if pairs else None
    if found is None:
        return {}
    out: dict[str, tuple] = {}
    for (s, _), alignment in zip(pairs, found):
        out[s] = (*out.get(s, ()), alignment)
    return out


def _enforced(glossary, engine: Engine, langs: tuple[str, str], source: str, hyps: list[str]) -> list[str]:
    """The glossary enforced in other hypotheses as in the draft: by spelling, then where the
    engine's alignment says a term went (as :func:`tolmach.translate._enforce_all` does). A
    hypothesis where a term could not be placed is left out: offered to a reviewer, it would bring
    a glossary error into a draft that has none (the draft's comment says "enforced")."""
    from .glossary.aligned import enforce_aligned

    outcomes = [glossary.enforce(source, h, *langs) for h in hyps]
    stuck = [i for i, o in enumerate(outcomes) if o.unplaced]
    alignments = engine.align([source] * len(stuck), [hyps[i] for i in stuck]) if stuck else None
    for i, alignment in zip(stuck, alignments or ()):
        outcomes[i] = enforce_aligned(glossary, source, hyps[i], alignment, *langs, first=outcomes[i])
    return [o.text for o in outcomes if not o.unplaced]


def paragraph_confidence(
    sentences: Sequence[SentenceConfidence | None],
    written: Sequence[str] | None = None,
    compose: Callable[[list[str], int, list | None], str] | None = None,
    draft: str | None = None,
) -> ParagraphConfidence:
    """The note data of one machine draft from its sentences' confidences (None: not scored).

    The score is the minimum over the sentences; the unsure words are the weakest over all of
    them. An alternative replaces its sentence inside the paragraph (given the ``written``
    sentences), so that the reviewer can take the whole paragraph as it stands: joined by spaces,
    or by ``compose(outputs, i, alignment)`` (the paragraph of those sentence outputs, the ``i``-th
    being the alternative with that word alignment or None), which puts a unit's markup back as
    in the draft. One that reads as the ``draft`` or as another alternative (their sentences
    differed only where markup went back) is offered once or not at all.
    """
    if not sentences or any(s is None for s in sentences):
        return ParagraphConfidence(None)
    scored = [s for s in sentences if s is not None]
    words: dict[str, float] = {}
    for s in scored:
        for word, lp in s.unsure:
            words[word] = min(lp, words.get(word, 0.0))
    unsure = tuple(w for w, _ in sorted(words.items(), key=lambda item: item[1])[:UNSURE_WORDS])
    alternatives: list[str] = []
    seen = {" ".join(draft.split())} if draft is not None else set()
    for i, s in enumerate(scored):
        for k, alt in enumerate(s.alternatives):
            if written is not None and len(written) == len(scored):
                parts = list(written)
                parts[i] = alt
                if compose is None:
                    alt = " ".join(p for p in parts if p)
                else:
                    alt = compose(parts, i, s.alignments[k] if k < len(s.alignments) else None)
            if " ".join(alt.split()) not in seen:
                seen.add(" ".join(alt.split()))
                alternatives.append(alt)
    return ParagraphConfidence(min(s.score for s in scored), unsure, tuple(alternatives))


def record(entry: polib.POEntry, confidence: ParagraphConfidence | None) -> None:
    """Write the confidence note of the entry's current msgstr (call after setting msgstr and the
    ``#.`` notes). None: the draft is not the engine's (a memory match), so no note at all."""
    from .notes import ALTERNATIVE, drop_confidence, read_notes, write_confidence, write_notes

    notes = read_notes(entry)
    kept = tuple((p, t) for p, t in notes.annotations if p != ALTERNATIVE)
    if confidence is None:
        drop_confidence(entry)
        alts: tuple = ()
    else:
        write_confidence(entry, confidence.score, confidence.unsure)
        alts = tuple((ALTERNATIVE, " ".join(a.split())) for a in confidence.alternatives)
    if kept + alts != notes.annotations:
        from dataclasses import replace

        write_notes(entry, replace(notes, annotations=kept + alts))


def installed_scorer(source_lang: str, target_lang: str, **options) -> Engine | None:
    """The installed Argos model of a direction as a scorer for an engine without a model (a
    replay of recorded output); None when there is none (the drafts then say "no confidence")."""
    from .errors import TolmachError
    from .models import find_model

    try:
        package = find_model(source_lang, target_lang)
    except TolmachError:
        return None
    from .engines.argos import ArgosEngine

    return ArgosEngine(package, **options)
