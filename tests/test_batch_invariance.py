"""A sentence's translation does not depend on the other sentences of the run (issue 14).

CTranslate2 pads a batch to its longest sentence, and padding changes a sentence's scores in the
last bits (measured with the int8 bench model), so a near tie between two beams could be decided
differently depending on the batch. With ``batch_invariant`` (the cluster job's engines, and
``--batch-invariant``) the engine only batches sentences of equal token length: these tests run the
real engine on the tiny model and look at the batches it makes.
"""

from __future__ import annotations

from tolmach.engines.argos import CHUNK_SENTENCES, ArgosEngine


class RecordingEngine(ArgosEngine):
    """The real engine, noting the token lengths of each batch it sends to CTranslate2."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.batches: list[list[int]] = []

    def translate_tokens(self, batch):
        self.batches.append([len(t) for t in batch])
        return super().translate_tokens(batch)


SENTENCES = [" ".join(["Russia"] * n) + "." for n in (1, 5, 2, 5, 9, 2, 1, 5)] + ["Moscow is big."]


def test_batches_hold_sentences_of_one_length_only(tiny_package):
    engine = RecordingEngine(tiny_package["en_ru_dir"], intra_threads=1, batch_invariant=True)
    engine.translate(SENTENCES)
    assert engine.batches and all(len(set(lengths)) == 1 for lengths in engine.batches), engine.batches
    assert sum(map(len, engine.batches)) == len(SENTENCES)


def test_a_long_run_of_one_length_is_cut_in_chunks(tiny_package):
    engine = RecordingEngine(tiny_package["en_ru_dir"], intra_threads=1, batch_invariant=True)
    engine.translate(["Moscow is big."] * (CHUNK_SENTENCES + 3))
    assert [len(b) for b in engine.batches] == [CHUNK_SENTENCES, 3]


def test_the_same_sentence_gets_the_same_translation_in_any_company(tiny_package):
    one = ArgosEngine(tiny_package["en_ru_dir"], intra_threads=1, batch_invariant=True)
    two = ArgosEngine(tiny_package["en_ru_dir"], intra_threads=2, batch_invariant=True)
    together = dict(zip(SENTENCES, one.translate(SENTENCES)))
    alone = {s: two.translate([s])[0] for s in SENTENCES}
    assert together == alone


def test_by_default_a_run_is_batched_by_length_for_speed(tiny_package):
    engine = RecordingEngine(tiny_package["en_ru_dir"], intra_threads=1)
    engine.translate(SENTENCES)
    assert len(engine.batches) == 1 and engine.batches[0] == sorted(engine.batches[0])
    assert "batching=equal-length" in ArgosEngine(tiny_package["en_ru_dir"], batch_invariant=True).info.signature()
