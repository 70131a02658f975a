"""Huge inputs segment in linear time, and over-long sentences reach the model in pieces (issue #12)."""

from __future__ import annotations

import random
import time

import polib
import pytest

from tolmach import segment
from tolmach.segment import MAX_SENTENCE_WORDS, segment_text, split_overlong, split_sentences

from helpers import tolmach, tolmach_process

NEWS = [
    "Mr. Ivanov said on Monday that the talks in St. Petersburg would go on.",
    "The U.S. economy grew 2.5% in the third quarter, analysts at J.P. Morgan said.",
    "“We will not leave,” he told reporters.",
    "The meeting was held on Jan. 5 in room No. 12 of the ministry.",
    "Officials in the U.S. The talks, they said, were over.",
]


@pytest.mark.parametrize("text, expected", [
    ("Mr. Smith went to Washington, D.C. on Monday. He met Dr. Jones at 5 p.m. and left.",
     ["Mr. Smith went to Washington, D.C. on Monday.", "He met Dr. Jones at 5 p.m. and left."]),
    ("Prof. Ivanov, of St. Petersburg, said: “It is over.” Then he left.",
     ["Prof. Ivanov, of St. Petersburg, said: “It is over.”", "Then he left."]),
    ("U.S. President Joe Biden spoke. He was in the U.S. The crowd cheered.",
     ["U.S. President Joe Biden spoke.", "He was in the U.S.", "The crowd cheered."]),
    ("The Taliban took Kabul on Aug. 15. Thousands fled. See No. 5 on the list.",
     ["The Taliban took Kabul on Aug. 15.", "Thousands fled.", "See No. 5 on the list."]),
    ("J. K. Rowling wrote it. Sen. Warren (D-Mass.) spoke.", ["J. K. Rowling wrote it.", "Sen. Warren (D-Mass.) spoke."]),
])
def test_english_sentences(text, expected):
    assert split_sentences(text, "en") == expected


def test_a_paragraph_of_megabytes_segments_in_linear_time():
    rng = random.Random(7)
    text = " ".join(rng.choice(NEWS) for _ in range(6000))  # ~400 KB, one paragraph
    started = time.monotonic()
    art = segment_text("Title line\n\n" + text, lang="en")
    elapsed = time.monotonic() - started
    # pysbd took minutes on this (quadratic); razdel in windows takes well under a second
    assert elapsed < 15, elapsed
    body = art.blocks[1]
    assert " ".join(body.sentences) == body.text
    assert len(body.sentences) >= 6000


def test_windows_give_the_sentences_of_the_whole_text(monkeypatch):
    rng = random.Random(3)
    text = " ".join(rng.choice(NEWS) for _ in range(400))
    windowed = split_sentences(text, "en")
    monkeypatch.setattr(segment, "SPLIT_WINDOW", 10**9)
    assert split_sentences(text, "en") == windowed
    ru = " ".join(["В 2007 г. связи укрепились.", "«Мы едины», — сказал он.", "Об этом сообщил т. н. источник."] * 300)
    assert split_sentences(ru, "ru") == [s for s in split_sentences(ru, "ru")]
    monkeypatch.setattr(segment, "SPLIT_WINDOW", 4096)
    windowed_ru = split_sentences(ru, "ru")
    monkeypatch.setattr(segment, "SPLIT_WINDOW", 10**9)
    assert split_sentences(ru, "ru") == windowed_ru


def test_an_over_long_sentence_is_cut_for_the_model_and_nothing_is_lost():
    rng = random.Random(1)
    words = [rng.choice(["war", "city,", "people", "minister", "report;", "world"]) for _ in range(6000)]
    sentence = " ".join(words) + "."
    pieces = split_sentences(sentence, "en")
    assert all(len(p.split()) <= MAX_SENTENCE_WORDS for p in pieces)
    assert " ".join(pieces) == sentence
    assert len(pieces) >= 6000 // MAX_SENTENCE_WORDS
    # cut after a clause mark where there is one
    assert sum(p.endswith((",", ";")) for p in pieces[:-1]) >= len(pieces) - 2
    assert split_overlong("a b c", 5) == ["a b c"]
    # no punctuation at all, and longer than a segmenter window
    bare = " ".join(["word"] * 3000)
    assert " ".join(split_sentences(bare, "en")) == bare


def test_the_catalog_and_the_draft_say_so_and_keep_every_word(tmp_path, tiny_package):
    env = {"TOLMACH_MODELS_DIR": str(tmp_path / "models"), "TOLMACH_CACHE_DIR": str(tmp_path / "cache")}
    assert tolmach("models", "install", "--file", tiny_package["en_ru"], env=env).exit_code == 0
    rng = random.Random(5)
    long = " ".join(rng.choice(["war", "city", "people", "minister"]) for _ in range(1500)) + "."
    article = tmp_path / "a.txt"
    article.write_text(f"A headline\n\nThe war is over.\n\n{long}\n", encoding="utf-8")
    proc = tolmach_process("extract", article, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "a.txt:5: note: a sentence of 1,500 words goes to the model in 15 pieces" in proc.stderr
    pot = polib.pofile(str(tmp_path / "locales" / "templates" / "a.pot"))
    entry = next(e for e in pot if e.msgid == long)
    assert "tolmach: a sentence of 1,500 words goes to the model in 15 pieces" in entry.comment
    assert tolmach("init", "-l", "ru", cwd=tmp_path).exit_code == 0
    po_path = tmp_path / "locales" / "ru" / "LC_MESSAGES" / "a.po"
    res = tolmach("translate", po_path, "--no-glossary", cwd=tmp_path, env=env)
    assert res.exit_code == 0, res.output
    draft = next(e for e in polib.pofile(str(po_path)) if e.msgid == long)
    assert len(draft.msgstr.split()) == 1500  # the tiny model maps word for word: nothing dropped
    assert "goes to the model in 15 pieces" in draft.comment


def test_the_engine_never_feeds_the_model_more_than_it_can_answer(tiny_package):
    from tolmach.engines.argos import ArgosEngine

    engine = ArgosEngine(tiny_package["en_ru_dir"], beam_size=1, compute_type="default", max_decoding_length=64)
    long = " ".join(["minister", "war", "people", "city"] * 100)  # far more pieces than 64
    assert len(engine.tokenize([long])[0]) > 3 * engine.max_input_tokens
    batches = []
    out = engine.translate_in_batches([long, "war"], batches.append)
    assert len(out[0].split()) == 400 and out[1]
    assert sorted(s for batch in batches for s, _ in batch) == sorted([long, "war"])
