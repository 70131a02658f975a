"""The Argos Translate engine: an installed Argos package run with CTranslate2 directly.

argostranslate translates one paragraph per ``translate_batch`` call and splits sentences with
models it downloads on first use. Tolmach splits sentences itself and sends *all* pending sentences
of a run to CTranslate2 at once, sorted by length and cut into token-based batches, so the model is
loaded once and every batch is full.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Sequence

from ..errors import TolmachError
from .base import Engine, EngineInfo, ProgressCallback

# Sentences per translate_batch call: big enough that CTranslate2 fills its token batches, small
# enough that the progress bar moves and memory stays flat.
CHUNK_SENTENCES = 512


def default_threads() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class ArgosEngine(Engine):
    def __init__(
        self,
        package_dir: str | Path,
        beam_size: int = 4,
        compute_type: str = "int8",
        device: str = "cpu",
        intra_threads: int = 0,
        inter_threads: int = 1,
        max_batch_tokens: int = 4096,
        length_penalty: float = 0.2,
        max_decoding_length: int = 256,
    ):
        self.package_dir = Path(package_dir)
        meta_path = self.package_dir / "metadata.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise TolmachError(f"not an Argos package (metadata.json: {err})", self.package_dir) from None
        self.target_prefix = meta.get("target_prefix", "") or ""
        model_dir = self.package_dir / "model"
        sp_path = self.package_dir / "sentencepiece.model"
        for needed in (model_dir / "model.bin", sp_path):
            if not needed.exists():
                raise TolmachError(f"incomplete Argos package: {needed.name} missing", self.package_dir)

        self.beam_size = beam_size
        self.max_batch_tokens = max_batch_tokens
        self.length_penalty = length_penalty
        self.max_decoding_length = max_decoding_length
        self._load_options = dict(
            device=device,
            compute_type=compute_type,
            intra_threads=intra_threads or default_threads(),
            inter_threads=inter_threads,
        )
        self._model_dir, self._sp_path = model_dir, sp_path
        self._translator = None
        self._sp_processor = None
        self.info = EngineInfo(
            engine="argos",
            model=self.package_dir.name,
            version=str(meta.get("package_version", "?")),
            source_lang=meta.get("from_code", "?"),
            target_lang=meta.get("to_code", "?"),
            settings=(
                ("beam", str(beam_size)),
                ("compute", compute_type),
                ("lp", str(length_penalty)),
            ),
        )

    # The model is loaded on first use: a run whose sentences all come from the cache never
    # imports CTranslate2 nor reads the weights.
    @property
    def _sp(self):
        if self._sp_processor is None:
            import sentencepiece

            self._sp_processor = sentencepiece.SentencePieceProcessor(model_file=str(self._sp_path))
        return self._sp_processor

    @property
    def translator(self):
        if self._translator is None:
            import ctranslate2

            try:
                self._translator = ctranslate2.Translator(str(self._model_dir), **self._load_options)
            except (RuntimeError, ValueError) as err:
                raise TolmachError(f"cannot load the CTranslate2 model: {err}", self._model_dir) from None
        return self._translator

    def tokenize(self, sentences: Sequence[str]) -> list[list[str]]:
        return self._sp.encode(list(sentences), out_type=str)

    def detokenize(self, pieces: Sequence[str]) -> str:
        text = self._sp.decode_pieces(list(pieces))
        if self.target_prefix and text.startswith(self.target_prefix):
            text = text[len(self.target_prefix) :]
        return text.strip()

    def translate_tokens(self, batch: list[list[str]]) -> list[list[str]]:
        """One ``translate_batch`` call with the engine's settings (token-based batches)."""
        prefix = [[self.target_prefix]] * len(batch) if self.target_prefix else None
        results = self.translator.translate_batch(
            batch,
            target_prefix=prefix,
            beam_size=self.beam_size,
            max_batch_size=self.max_batch_tokens,
            batch_type="tokens",
            length_penalty=self.length_penalty,
            max_decoding_length=self.max_decoding_length,
            replace_unknowns=True,
        )
        return [r.hypotheses[0] for r in results]

    def translate(
        self, sentences: Sequence[str], progress: ProgressCallback | None = None
    ) -> list[str]:
        tokens = self.tokenize(sentences)
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))
        out: list[str] = [""] * len(tokens)
        for chunk in _equal_length_chunks(order, tokens):
            hyps = self.translate_tokens([tokens[i] for i in chunk])
            for i, hyp in zip(chunk, hyps):
                out[i] = self.detokenize(hyp)
            if progress:
                progress(len(chunk))
        return out

    def align(self, sources: Sequence[str], targets: Sequence[str]) -> list[list[int | None]]:
        """Force-decode each target after its source and read the cross-attention: each target
        word goes to the source word that receives most of its pieces' attention (at least
        ``ALIGN_MIN_SHARE`` of it), else to None."""
        src_tokens, tgt_tokens = self.tokenize(sources), self.tokenize(targets)
        results = self.translator.translate_batch(
            src_tokens,
            target_prefix=tgt_tokens,
            beam_size=1,
            max_batch_size=self.max_batch_tokens,
            batch_type="tokens",
            max_decoding_length=max((len(t) for t in tgt_tokens), default=0) + 1,
            return_attention=True,
        )
        out = []
        for src, tgt, result in zip(src_tokens, tgt_tokens, results):
            rows = result.attention[0][: len(tgt)]
            out.append(_word_alignment(_word_index(src), _word_index(tgt), rows))
        return out

    def close(self) -> None:
        self._translator = None


ALIGN_MIN_SHARE = 0.4


def _equal_length_chunks(order: list[int], tokens: list[list[str]]):
    """Batches of sentences with the same number of tokens (``order`` is sorted by length).

    A padded batch changes the scores CTranslate2 computes for a sentence in the last bits (with
    the int8 bench model: 3 of 120 sentences' scores differ between one mixed batch and one
    sentence at a time), so a near tie between two beams could go another way depending on which
    other sentences share the batch. Without padding the scores are bit-identical whatever the
    batch holds and however many threads run it (bench/ray_bench.py), so a sentence's translation
    does not depend on the rest of the run: the local run and the cluster job agree.
    """
    start = 0
    while start < len(order):
        end = start + 1
        length = len(tokens[order[start]])
        while end < len(order) and end - start < CHUNK_SENTENCES and len(tokens[order[end]]) == length:
            end += 1
        yield order[start:end]
        start = end


def _word_index(pieces: Sequence[str]) -> list[int]:
    """The whitespace-separated word each SentencePiece piece belongs to ('▁' starts a word)."""
    index, word = [], -1
    for piece in pieces:
        if piece.startswith("\u2581") or word < 0:
            word += 1
        index.append(word)
    return index


def _word_alignment(src_words: list[int], tgt_words: list[int], rows) -> list[int | None]:
    n_src = (src_words[-1] + 1) if src_words else 0
    n_tgt = (tgt_words[-1] + 1) if tgt_words else 0
    mass = [[0.0] * n_src for _ in range(n_tgt)]
    for t_word, row in zip(tgt_words, rows):
        for s_word, weight in zip(src_words, row):
            mass[t_word][s_word] += weight
    out: list[int | None] = []
    for weights in mass:
        total = sum(weights)
        best = max(range(n_src), key=weights.__getitem__) if n_src else None
        out.append(best if best is not None and total > 0 and weights[best] >= ALIGN_MIN_SHARE * total else None)
    return out
