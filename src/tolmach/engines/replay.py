"""An engine that returns recorded output of another MT system.

The WMT submissions in ``../shared/corpora/en-ru/mt-outputs/`` are good, real machine translation;
replaying them lets the glossary enforcement and the QA checks run on such output on a machine that
has no production model (and lets tests use an engine whose output is known in advance).

A replay has no model of its own, so it cannot say how sure it was; given a ``scorer`` (another
engine of the same direction, e.g. the installed Argos model: see
:func:`tolmach.confidence.installed_scorer`), the recorded output is scored by that model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

from ..errors import TolmachError
from .base import Engine, EngineInfo, ProgressCallback, ScoredText


def normalize_sentence(text: str) -> str:
    """The lookup key: runs of whitespace collapsed, ends stripped (files differ in both)."""
    return " ".join(text.split())


class ReplayEngine(Engine):
    """Looks each source sentence up in recorded ``source -> hypothesis`` pairs.

    A sentence that was not recorded raises :class:`TolmachError` naming it, or, with
    ``on_unknown="source"``, comes back unchanged (as an engine that cannot translate it would).
    """

    ON_UNKNOWN = ("error", "source")

    def __init__(
        self,
        pairs: Mapping[str, str],
        source_lang: str,
        target_lang: str,
        name: str = "recorded",
        *,
        version: str = "",
        on_unknown: str = "error",
        scorer: Engine | None = None,
    ) -> None:
        self.scorer = scorer
        if on_unknown not in self.ON_UNKNOWN:
            raise TolmachError(
                f"on_unknown must be one of {', '.join(self.ON_UNKNOWN)}, not {on_unknown!r}"
            )
        self._table: dict[str, str] = {}
        for source, target in pairs.items():
            # A sentence recorded twice with different outputs keeps its first output, as a
            # deterministic engine would give one answer.
            self._table.setdefault(normalize_sentence(source), target)
        self.on_unknown = on_unknown
        self.info = EngineInfo(
            engine="replay",
            model=name,
            version=version,
            source_lang=source_lang,
            target_lang=target_lang,
            settings=(("on_unknown", on_unknown),) if on_unknown != "error" else (),
        )

    @classmethod
    def from_files(
        cls,
        src_path: str | Path,
        hyp_path: str | Path,
        source_lang: str,
        target_lang: str,
        name: str | None = None,
        *,
        version: str = "",
        on_unknown: str = "error",
        scorer: Engine | None = None,
    ) -> "ReplayEngine":
        """Read line-aligned source and hypothesis files (one sentence a line, UTF-8)."""
        src_path, hyp_path = Path(src_path), Path(hyp_path)
        sources = _read_lines(src_path)
        hypotheses = _read_lines(hyp_path)
        if len(sources) != len(hypotheses):
            raise TolmachError(
                f"line counts differ: {src_path} has {len(sources)} lines, "
                f"{hyp_path} has {len(hypotheses)}; replay needs line-aligned files",
                path=hyp_path,
            )
        if name is None:
            name = _system_name(hyp_path)
        return cls(
            dict(zip(sources, hypotheses)),
            source_lang,
            target_lang,
            name,
            version=version,
            on_unknown=on_unknown,
            scorer=scorer,
        )

    def __len__(self) -> int:
        return len(self._table)

    def __contains__(self, sentence: object) -> bool:
        return isinstance(sentence, str) and normalize_sentence(sentence) in self._table

    def translate(
        self, sentences: Sequence[str], progress: ProgressCallback | None = None
    ) -> list[str]:
        out: list[str] = []
        for sentence in sentences:
            recorded = self._table.get(normalize_sentence(sentence))
            if recorded is None:
                if self.on_unknown == "error":
                    raise TolmachError(
                        f"replay engine {self.info.model!r} has no recorded output for "
                        f"{_shorten(sentence)!r}"
                    )
                recorded = sentence
            out.append(recorded)
        if progress is not None and sentences:
            progress(len(sentences))
        return out


    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[ScoredText] | None:
        return self.scorer.score(sources, targets) if self.scorer is not None else None

    def close(self) -> None:
        if self.scorer is not None:
            self.scorer.close()


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TolmachError("file not found", path=path) from None
    except UnicodeDecodeError as err:
        raise TolmachError(f"not UTF-8 ({err.reason} at byte {err.start})", path=path) from None
    except OSError as err:
        raise TolmachError(f"cannot read: {err.strerror}", path=path) from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line, it does not start another
    return [line.rstrip("\r") for line in lines]


def _system_name(hyp_path: Path) -> str:
    """``newstest2021.en-ru.hyp.Online-B.ru`` -> ``Online-B``; otherwise the file's stem."""
    parts = hyp_path.name.split(".")
    if "hyp" in parts:
        i = parts.index("hyp")
        if i + 1 < len(parts) - 1:
            return ".".join(parts[i + 1 : -1])
    return hyp_path.stem


def _shorten(sentence: str, limit: int = 80) -> str:
    sentence = normalize_sentence(sentence)
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"
