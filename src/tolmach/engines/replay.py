"""An engine that returns recorded output of another MT system.

The WMT submissions in ``../shared/corpora/en-ru/mt-outputs/`` are good, real machine translation;
replaying them lets the glossary enforcement and the QA checks run on such output on a machine that
has no production model (and lets tests use an engine whose output is known in advance).

A replay has no model of its own, so it cannot say how sure it was; given a ``scorer`` (another
engine of the same direction, e.g. the installed Argos model: see
:func:`tolmach.confidence.installed_scorer`), the recorded output is scored by that model.

:func:`load_recorded` reads an editor's own MT output (``tolmach translate --engine recorded
--recorded FILE``): source→target pairs as TSV (two columns, an optional ``source<TAB>target``
header) or JSON Lines (``{"source": ..., "target": ...}`` a line). The provenance names the engine
``recorded``, the file name as the model and a hash of the file's bytes as the version, so a draft
says which file it came from and the MT cache never serves output of an older version of the file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from ..errors import TolmachError
from ..fsutil import decode_text, refuse_special
from .base import Engine, EngineInfo, ProgressCallback, ScoredText


def normalize_sentence(text: str) -> str:
    """The lookup key: runs of whitespace collapsed, ends stripped (files differ in both)."""
    return " ".join(text.split())


class ReplayEngine(Engine):
    """Looks each source sentence up in recorded ``source -> hypothesis`` pairs.

    A sentence that was not recorded raises :class:`TolmachError` naming it, or, with
    ``on_unknown="source"``, comes back unchanged (as an engine that cannot translate it would).
    """

    # "skip": no output (None) for the sentence; the translate step leaves its entry untranslated
    ON_UNKNOWN = ("error", "source", "skip")

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
        engine: str = "replay",
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
            engine=engine,
            model=name,
            version=version,
            source_lang=source_lang,
            target_lang=target_lang,
            # "skip" writes nothing for what it lacks, so the outputs it gives are the same as "error"'s
            settings=(("on_unknown", on_unknown),) if on_unknown == "source" else (),
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
    ) -> list[str | None]:
        out: list[str | None] = []
        for sentence in sentences:
            recorded = self._table.get(normalize_sentence(sentence))
            if recorded is None:
                if self.on_unknown == "error":
                    raise TolmachError(
                        f"{self.info.engine} engine {self.info.model!r} has no recorded output for "
                        f"{_shorten(sentence)!r}"
                        + (" (use --recorded-missing skip to leave such entries untranslated)"
                           if self.info.engine == "recorded" else "")
                    )
                recorded = sentence if self.on_unknown == "source" else None
            out.append(recorded)
        if progress is not None and sentences:
            progress(len(sentences))
        return out


    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[ScoredText] | None:
        return self.scorer.score(sources, targets) if self.scorer is not None else None

    def close(self) -> None:
        if self.scorer is not None:
            self.scorer.close()


@dataclass(frozen=True)
class Recorded:
    """The pairs of a recorded-translations file, read and checked once (see :func:`load_recorded`)."""

    path: Path
    pairs: Mapping[str, str]
    version: str  # hash of the file's bytes

    def require(self, sentences: Iterable[str]) -> None:
        """Every sentence has a recorded translation, or an error naming the first that has none."""
        for sentence in sentences:
            if normalize_sentence(sentence) not in self.pairs:
                raise TolmachError(f"no recorded translation of {_shorten(sentence)!r}", path=self.path)

    def engine(self, source_lang: str, target_lang: str, on_unknown: str = "error",
               scorer: Engine | None = None) -> ReplayEngine:
        return ReplayEngine(
            self.pairs, source_lang, target_lang, self.path.name,
            version=self.version, on_unknown=on_unknown, engine="recorded", scorer=scorer,
        )  # fmt: skip


def load_recorded(path: str | Path) -> Recorded:
    """The source→target pairs of a TSV or JSONL file (see the module docstring).

    Malformed input is a :class:`TolmachError` naming the file and line. A ``.jsonl``/``.json``
    file is JSON Lines, anything else TSV unless its first non-blank character is ``{``.
    """
    path = Path(path)
    refuse_special(path, "recorded translations file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TolmachError("recorded translations: file not found", path=path) from None
    except OSError as err:
        raise TolmachError(f"cannot read: {err.strerror}", path=path) from None
    text = decode_text(data, path, "recorded translations file")  # (as every text input: the line, the byte)
    jsonl = path.suffix.lower() in (".jsonl", ".json") or (
        path.suffix.lower() not in (".tsv", ".tab") and text.lstrip()[:1] == "{"
    )
    rows = _jsonl_rows(text, path) if jsonl else _tsv_rows(text, path)
    pairs: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for line, source, target in rows:
        key = normalize_sentence(source)
        if not key:
            raise TolmachError("empty source sentence", path=path, line=line)
        if key in pairs and pairs[key] != target:
            raise TolmachError(
                f"{_shorten(source)!r} was given another target on line {first_line[key]}", path=path, line=line
            )
        pairs.setdefault(key, target)
        first_line.setdefault(key, line)
    if not pairs:
        raise TolmachError("no source/target pairs in the file", path=path)
    return Recorded(path, pairs, hashlib.sha256(data).hexdigest()[:12])


def _tsv_rows(text: str, path: Path):
    # csv's reader keeps the line count across quoted newlines; QUOTE_NONE: MT files quote nothing
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t", quoting=csv.QUOTE_NONE, strict=True)
    first = True
    for row in reader:
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if first and [c.strip().lower() for c in row] == ["source", "target"]:
            first = False
            continue
        first = False
        if len(row) != 2:
            raise TolmachError(
                f"expected 2 tab-separated columns (source, target), found {len(row)}", path=path, line=line
            )
        yield line, row[0].strip(), row[1].strip()


def _jsonl_rows(text: str, path: Path):
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except ValueError as err:
            raise TolmachError(f"not valid JSON ({err.msg}, column {err.colno})", path=path, line=line) from None
        if not (
            isinstance(obj, dict) and isinstance(obj.get("source"), str) and isinstance(obj.get("target"), str)
        ):
            raise TolmachError('expected an object with "source" and "target" strings', path=path, line=line)
        yield line, obj["source"].strip(), obj["target"].strip()


def _read_lines(path: Path) -> list[str]:
    refuse_special(path, "text file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TolmachError("file not found", path=path) from None
    except OSError as err:
        raise TolmachError(f"cannot read: {err.strerror}", path=path) from None
    text = decode_text(data, path, "text file")
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
