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
from .base import BatchCallback, Engine, EngineInfo, ProgressCallback, ScoredText

# Sentences per translate_batch call: big enough that CTranslate2 fills its token batches, small
# enough that the progress bar moves and memory stays flat.
CHUNK_SENTENCES = 512
# Tokens per score_batch batch on a CPU. Forced decoding of the written text (confidence) ran 30 %
# faster in batches of 256 tokens than of 4096 on the 2-core VM (bench/confidence_fit.py; 128 to
# 256 best, 1024 and up slower), where the same change gains translate_batch little; a GPU keeps
# the engine's max_batch_tokens.
SCORE_BATCH_TOKENS_CPU = 256


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
        batch_invariant: bool = False,
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
        # batch only sentences of equal token length, so that a sentence's translation never
        # depends on the others of the run (see _equal_length_chunks): the cluster job's guarantee
        # of the local run's output; off by default, since small runs then make small batches
        # (2x slower on 600 sentences with the bench model)
        self.batch_invariant = batch_invariant
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
                *((("batching", "equal-length"),) if batch_invariant else ()),
            ),
        )

    # The model is loaded on first use: a run whose sentences all come from the cache never
    # imports CTranslate2 nor reads the weights.
    @property
    def _sp(self):
        if self._sp_processor is None:
            import sentencepiece

            try:
                self._sp_processor = sentencepiece.SentencePieceProcessor(model_file=str(self._sp_path))
            except (RuntimeError, OSError, ValueError) as err:
                # a package installed by hand or damaged since: `models install` checks it
                detail = (str(err).strip().splitlines() or [type(err).__name__])[0]
                raise TolmachError(
                    f"corrupt sentencepiece.model ({detail}); reinstall the model", self._sp_path
                ) from None
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

    def load(self) -> None:
        """Read the SentencePiece model and load the CTranslate2 one (corrupt files, an unknown
        compute type or device are errors now); the loaded model then serves the run."""
        self._sp
        self.translator

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
        return self.translate_in_batches(sentences, None, progress)

    def translate_in_batches(
        self, sentences: Sequence[str], on_batch: BatchCallback | None, progress: ProgressCallback | None = None
    ) -> list[str]:
        # A sentence longer than the model can take goes in parts (cut between words), so the
        # output is never cut off at max_decoding_length; the parts' translations are joined.
        parts: list[tuple[int, list[str]]] = [
            (i, part) for i, pieces in enumerate(self.tokenize(sentences)) for part in self._parts(pieces)
        ]
        members: list[list[int]] = [[] for _ in sentences]  # each sentence's parts, in order
        for j, (i, _) in enumerate(parts):
            members[i].append(j)
        left = [len(m) for m in members]
        order = sorted(range(len(parts)), key=lambda j: len(parts[j][1]))
        texts: list[str] = [""] * len(parts)
        out: list[str] = [""] * len(sentences)
        if self.batch_invariant:  # a sentence's translation does not depend on the others
            chunks = _equal_length_chunks(order, [part for _, part in parts])
        else:  # sorted by length, so padding stays small
            chunks = (order[i : i + CHUNK_SENTENCES] for i in range(0, len(order), CHUNK_SENTENCES))
        for chunk in chunks:
            hyps = self.translate_tokens([parts[j][1] for j in chunk])
            finished = []
            for j, hyp in zip(chunk, hyps):
                texts[j] = self.detokenize(hyp)
                i = parts[j][0]
                left[i] -= 1
                if not left[i]:
                    finished.append(i)
            for i in finished:
                out[i] = " ".join(texts[j] for j in members[i])
            if on_batch and finished:
                on_batch([(sentences[i], out[i]) for i in finished])
            if progress and finished:
                progress(len(finished))
        return out

    @property
    def max_input_tokens(self) -> int:
        # Russian takes ~1.3x the pieces of its English source: leave the output room to finish
        return max(16, int(self.max_decoding_length / 1.6))

    def _parts(self, pieces: list[str]) -> list[list[str]]:
        limit = self.max_input_tokens
        if len(pieces) <= limit:
            return [pieces]
        out = []
        start = 0
        while len(pieces) - start > limit:
            end = start + limit
            # as late as possible before a piece that starts a word ("▁"), in the second half
            cut = next((k for k in range(end, start + limit // 2, -1) if pieces[k].startswith("\u2581")), end)
            out.append(pieces[start:cut])
            start = cut
        out.append(pieces[start:])
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

    def score(self, sources: Sequence[str], targets: Sequence[str]) -> list[ScoredText]:
        """Forced decoding of each target after its source (``score_batch``): the log-probability
        of every target piece, summed into words at SentencePiece word boundaries."""
        src_tokens, tgt_tokens = self.tokenize(sources), self.tokenize(targets)
        offset = 0
        if self.target_prefix:
            # The prefix token is the model's language tag, not part of the translation.
            tgt_tokens = [[self.target_prefix, *t] for t in tgt_tokens]
            offset = 1
        translator = self.translator
        batch = self.max_batch_tokens
        if translator.device == "cpu":  # (the device the model is on, also for "auto")
            batch = min(batch, SCORE_BATCH_TOKENS_CPU)
        results = translator.score_batch(
            src_tokens,
            tgt_tokens,
            max_batch_size=batch,
            batch_type="tokens",
            offset=offset,
        )
        unk = self._sp.id_to_piece(self._sp.unk_id())
        out = []
        for src, tgt, result in zip(src_tokens, tgt_tokens, results):
            pieces = tgt[offset:]
            log_probs = list(result.log_probs)
            # score_batch scores the pieces after the offset and then the end token.
            piece_lp, end_lp = log_probs[: len(pieces)], (log_probs[len(pieces)] if len(log_probs) > len(pieces) else 0.0)
            words: list[list[str]] = []
            word_lp: list[float] = []
            for piece, lp in zip(pieces, piece_lp):
                if piece.startswith("\u2581") or not words:
                    words.append([])
                    word_lp.append(0.0)
                words[-1].append(piece)
                word_lp[-1] += lp
            out.append(
                ScoredText(
                    words=tuple(self._sp.decode_pieces(w).strip() for w in words),
                    word_log_probs=tuple(word_lp),
                    end_log_prob=end_lp,
                    source_tokens=len(src),
                    target_tokens=len(pieces),
                    unknown_tokens=sum(1 for p in pieces if p == unk),
                )
            )
        return out

    def alternatives(self, sources: Sequence[str], n: int) -> list[list[str]]:
        """The n-best list of a beam at least ``n`` wide, repeats (same text from other pieces)
        left out."""
        if n <= 0 or not sources:
            return [[] for _ in sources]
        tokens = self.tokenize(sources)
        prefix = [[self.target_prefix]] * len(tokens) if self.target_prefix else None
        # A few spare hypotheses: some differ only in pieces and detokenize to the same text.
        wanted = n + max(2, n)
        results = self.translator.translate_batch(
            tokens,
            target_prefix=prefix,
            beam_size=max(self.beam_size, wanted),
            num_hypotheses=wanted,
            max_batch_size=self.max_batch_tokens,
            batch_type="tokens",
            length_penalty=self.length_penalty,
            max_decoding_length=self.max_decoding_length,
            replace_unknowns=True,
        )
        out = []
        for result in results:
            seen: set[str] = set()
            found: list[str] = []
            for hyp in result.hypotheses:
                text = self.detokenize(hyp)
                key = " ".join(text.split())
                if text and key not in seen:
                    seen.add(key)
                    found.append(text)
                if len(found) == n:
                    break
            out.append(found)
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
