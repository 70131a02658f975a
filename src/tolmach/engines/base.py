"""The engine interface: a list of source sentences in, the same number of target sentences out.

Every engine describes itself with an :class:`EngineInfo`, whose :meth:`EngineInfo.signature` is
written into each PO entry the engine translated (as sacrebleu writes a signature with a score), so
that a reviewer knows which engine, model and settings produced a draft, and so that cached
translations are keyed by everything that changes the output.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Callable, Sequence


@dataclass(frozen=True)
class EngineInfo:
    engine: str  # "argos", "replay", ...
    model: str  # package or system name, e.g. "translate-en_ru"
    version: str  # package version
    source_lang: str
    target_lang: str
    settings: tuple[tuple[str, str], ...] = field(default=())  # output-changing settings only

    def signature(self) -> str:
        parts = [f"{self.engine}:{self.model}@{self.version}", f"{self.source_lang}->{self.target_lang}"]
        parts += [f"{k}={v}" for k, v in self.settings]
        return "|".join(parts)


ProgressCallback = Callable[[int], None]  # called with the number of sentences just finished
# called with the (source, translation) pairs of each batch as the engine finishes it
BatchCallback = Callable[[list[tuple[str, str]]], None]


@dataclass(frozen=True)
class ScoredText:
    """How likely the engine's model finds one target sentence, given its source, word by word.

    Words are the model's own word units (SentencePiece pieces joined at word boundaries), so a
    word's log-probability is the sum over its pieces; the end of the sentence is scored too (a
    model that wanted to go on, or to stop earlier, says so there). Plain data: what the numbers
    mean for quality is :mod:`tolmach.confidence`'s business, not the engine's.
    """

    words: tuple[str, ...]  # target words as written (surface text of their pieces)
    word_log_probs: tuple[float, ...]  # natural log, one per word
    end_log_prob: float  # log-probability of ending the sentence there
    source_tokens: int  # model tokens of the source
    target_tokens: int  # model tokens of the target, end token left out
    unknown_tokens: int = 0  # target tokens outside the model's vocabulary


class Engine(ABC):
    """Translates sentences. Implementations batch internally; callers pass everything at once."""

    info: EngineInfo

    @abstractmethod
    def translate(
        self, sentences: Sequence[str], progress: ProgressCallback | None = None
    ) -> list[str]:
        """Return one translation per input sentence, in order."""

    def translate_in_batches(
        self, sentences: Sequence[str], on_batch: BatchCallback, progress: ProgressCallback | None = None
    ) -> list[str]:
        """As :meth:`translate`, handing each batch to ``on_batch`` as soon as it is done, so a
        caller can keep the work of a run that is killed half-way. Engines that work in batches
        override this; the default hands everything over at the end."""
        out = self.translate(sentences, progress)
        on_batch(list(zip(sentences, out)))
        return out

    def align(self, sources: Sequence[str], targets: Sequence[str]) -> list[list[int | None]] | None:
        """Word alignment of translations this engine made: for each pair, for each target word
        (whitespace-separated), the index of the source word it renders, or None.

        Used to place a glossary term where the engine rendered it beyond recognition. Engines that
        cannot tell (a replay of recorded output) return None.
        """
        return None

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[ScoredText] | None:
        """The model's log-probabilities of each target given its source (forced decoding).

        Used for the confidence of a draft: the text scored is the final one (after glossary
        enforcement), whoever wrote it. Engines without a model (a replay) return None.
        """
        return None

    def alternatives(self, sources: Sequence[str], n: int) -> list[list[str]] | None:
        """Up to ``n`` best distinct translations of each source, best first (the engine's own
        choice usually among them). Engines that cannot tell return None."""
        return None

    def load(self) -> None:
        """Load now what translating needs (the model) where the engine would load it on first
        use, so that a model it cannot use is an error before a command writes anything. Engines
        without a model have nothing to load."""

    def close(self) -> None:  # pragma: no cover - engines without resources
        """Release the model (if any)."""

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
