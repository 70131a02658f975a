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

    def close(self) -> None:  # pragma: no cover - engines without resources
        """Release the model (if any)."""

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
