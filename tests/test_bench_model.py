"""End to end with a small *trained* model (../shared/models/bench), when it is there."""

from __future__ import annotations

import re
import shutil

import pytest

from helpers import SEED, SHARED, assert_valid_po, tolmach

BENCH = SHARED / "models" / "bench"
pytestmark = pytest.mark.skipif(
    not (BENCH / "translate-en_ru-bench.argosmodel").exists(),
    reason="../shared/models/bench is absent (a user's fresh clone): no trained model to run",
)


def test_seed_article_with_a_trained_model_both_ways(tmp_path):
    env = {"TOLMACH_MODELS_DIR": str(tmp_path / "models"), "TOLMACH_CACHE_DIR": str(tmp_path / "cache")}
    for pair in ("en_ru", "ru_en"):
        res = tolmach("models", "install", "--file", BENCH / f"translate-{pair}-bench.argosmodel", env=env)
        assert res.exit_code == 0, res.output
    article = tmp_path / "taliban.txt"
    shutil.copy(SEED, article)
    glossaries = SEED.parents[1] / "glossaries"
    res = tolmach("translate-article", article, "--to", "ru", "--glossary", glossaries, cwd=tmp_path, env=env)
    assert res.exit_code == 0, res.output
    po = assert_valid_po(tmp_path / "locales/ru/LC_MESSAGES/taliban.po")
    text = " ".join(e.msgstr for e in po)
    assert all(e.msgstr and e.fuzzy for e in po)
    assert len(re.findall("[а-яё]", text, re.I)) > 5 * len(re.findall("[a-z]", text, re.I))
    assert "mt: argos:translate-en_ru-bench@0.1" in (tmp_path / "locales/ru/LC_MESSAGES/taliban.po").read_text("utf-8")

    # and back: the Russian draft, reviewed as is, translated to English
    draft = tmp_path / "locales/ru/taliban.txt"
    res = tolmach("translate-article", draft, "--to", "en", "--glossary", glossaries, cwd=tmp_path, env=env)
    assert res.exit_code == 0, res.output
    # a second article named taliban.txt gets a catalog of its own
    back = assert_valid_po(tmp_path / "locales/en/LC_MESSAGES/ru-taliban.po")
    english = " ".join(e.msgstr for e in back)
    assert len(re.findall("[a-z]", english, re.I)) > 5 * len(re.findall("[а-яё]", english, re.I))
    # a second run is served entirely from the MT cache
    (tmp_path / "locales/ru/LC_MESSAGES/taliban.po").unlink()
    res = tolmach("translate-article", article, "--to", "ru", "--glossary", glossaries, cwd=tmp_path, env=env)
    # (14 sentences: the photo credit is kept as in the source, not sent to the model)
    assert "0 sent to the model" in res.output and "14 cached" in res.output
