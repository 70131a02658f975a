"""The tiny CTranslate2 test model: Argos package layout and the copy-with-substitution guarantee."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import ctranslate2
import pytest
import sentencepiece
from hypothesis import given, settings
from hypothesis import strategies as st

from tolmach.devtools import tinymodel
from tolmach.devtools.tinymodel import (
    DEFAULT_DICTIONARY_EN_RU,
    DEFAULT_DICTIONARY_RU_EN,
    apply_dictionary,
    build_tiny_argosmodel,
    build_tiny_package,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED_ARTICLE = SHARED / "seed" / "moscow-times-taliban.txt"

TEXTS = [
    "A top U.S. General accused Russia on Thursday of harboring close ties with the Taliban.",
    "Army General Curtis Scaparrotti told a Senate committee the Kremlin may be sending supplies.",
    '"I\'ve seen the influence of Russia increasing," General Scaparrotti said.',
    "Цитата: «Россия и Кремль», — сказал он 12.03.2017 в 10:45 (по Москве).",
    "Prices rose 7.5% to $2,300; 40,000 people — «ёлки» & „quotes“ [sic] {x} <tag> #1 №2…",
    "Russians, Russian's and Russia's: the substring rule; Kremlin-backed TalibanTaliban.",
    "中文 عربى ελληνικά 🙂 ☃ ß Ø",
    "  leading and trailing spaces, double  spaces\tand a tab  ",
    "",
    "x",
]
LONG = (
    "Since invading in 2001, U.S.-led NATO forces have been propping Afghanistan's fledgling "
    "government up against a revanchist Taliban insurgency; the Kremlin, meanwhile, says Russia "
    "has its own strategic goals in Central Asia and wants stability on the border, 1979–2021, "
    "and the Senate hearing on Thursday (which lasted «almost three hours») ended without a vote."
)


def _load(package_dir: Path, compute_type: str = "default"):
    sp = sentencepiece.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    return sp, ctranslate2.Translator(str(package_dir / "model"), compute_type=compute_type)


def _translate(sp, translator, texts, beam_size=1, max_decoding_length=512, **kwargs) -> list[str]:
    tokens = [sp.encode(text, out_type=str) for text in texts]
    results = translator.translate_batch(
        tokens, beam_size=beam_size, max_decoding_length=max_decoding_length, **kwargs
    )
    return [sp.decode(r.hypotheses[0]) for r in results]


@pytest.fixture(scope="module")
def float32_en_ru(tmp_path_factory) -> Path:
    return build_tiny_package(tmp_path_factory.mktemp("f32"), quantization="float32")


@pytest.fixture(scope="module")
def en_ru_model(tiny_package):
    return _load(tiny_package["en_ru_dir"])


@pytest.fixture(scope="module")
def identity_model(tmp_path_factory):
    return _load(build_tiny_package(tmp_path_factory.mktemp("identity"), dictionary={}))


# --- package layout ------------------------------------------------------------------------


def test_package_layout(tiny_package):
    root = tiny_package["en_ru_dir"]
    assert root.name == "translate-en_ru-1_0"
    for rel in ("metadata.json", "README.md", "sentencepiece.model", "model/model.bin",
                "model/config.json", "model/shared_vocabulary.json"):
        assert (root / rel).is_file(), rel
    metadata = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
    assert metadata == {
        "package_version": "1.0",
        "argos_version": "1.9",
        "from_code": "en",
        "from_name": "English",
        "to_code": "ru",
        "to_name": "Russian",
        "type": "translate",
    }
    config = json.loads((root / "model" / "config.json").read_text())
    assert config["add_source_eos"] is True
    specials = (config["unk_token"], config["bos_token"], config["eos_token"])
    assert specials == ("<unk>", "<s>", "</s>")
    assert config["decoder_start_token"] == "<s>"
    vocab = json.loads((root / "model" / "shared_vocabulary.json").read_text(encoding="utf-8"))
    sp = sentencepiece.SentencePieceProcessor(model_file=str(root / "sentencepiece.model"))
    assert vocab == [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    assert vocab[:3] == ["<unk>", "<s>", "</s>"]
    for word, translation in DEFAULT_DICTIONARY_EN_RU.items():
        assert word in vocab and translation in vocab
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    assert size < 30 * 2**20


def test_argosmodel_zip_has_one_top_folder(tiny_package):
    with zipfile.ZipFile(tiny_package["ru_en"]) as zf:
        names = zf.namelist()
    assert names[0] == "translate-ru_en-1_0/"
    assert all(n.startswith("translate-ru_en-1_0/") for n in names)
    assert "translate-ru_en-1_0/model/" in names
    assert "translate-ru_en-1_0/model/model.bin" in names
    assert "translate-ru_en-1_0/metadata.json" in names


def test_argostranslate_reads_the_package(tiny_package):
    from argostranslate.package import Package
    from argostranslate.tokenizer import SentencePieceTokenizer

    for key, (src, tgt) in {"en_ru_dir": ("en", "ru"), "ru_en_dir": ("ru", "en")}.items():
        pkg = Package(tiny_package[key])
        assert (pkg.from_code, pkg.to_code, pkg.type) == (src, tgt, "translate")
        assert (pkg.argos_version, pkg.package_version) == ("1.9", "1.0")
        assert isinstance(pkg.tokenizer, SentencePieceTokenizer)
        assert "NOT a translation model" in pkg.get_readme()


def test_build_is_deterministic(tmp_path):
    a = build_tiny_argosmodel(tmp_path / "a.argosmodel", dictionary={"Kremlin": "Кремль"})
    b = build_tiny_argosmodel(tmp_path / "b.argosmodel", dictionary={"Kremlin": "Кремль"})
    assert a.read_bytes() == b.read_bytes()


def test_builds_without_shared_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(tinymodel, "_seed_article_path", lambda: tmp_path / "missing.txt")
    package = build_tiny_package(tmp_path, dictionary={"Russia": "Россия"})
    sp, translator = _load(package)
    assert _translate(sp, translator, ["Russia, Kremlin."]) == ["Россия, Kremlin."]


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError):
        build_tiny_package(tmp_path, dictionary={"United States": "США"})
    with pytest.raises(ValueError):
        build_tiny_package(tmp_path, dictionary={"the": ""})
    build_tiny_package(tmp_path, dictionary={})
    with pytest.raises(FileExistsError):
        build_tiny_package(tmp_path, dictionary={})


# --- the guarantee ---------------------------------------------------------------------------


def test_apply_dictionary_is_leftmost_longest():
    d = {"Russia": "Россия", "Russian": "российский"}
    assert apply_dictionary("Russians in Russia", d) == "российскийs in Россия"
    assert apply_dictionary("anything", {}) == "anything"
    # translations are symbols too: "Россия" is one unit, so "РоссияRussia" keeps both parts
    assert apply_dictionary("РоссияRussia", d) == "РоссияРоссия"


def test_known_outputs(tiny_package):
    sp, translator = _load(tiny_package["en_ru_dir"])
    out = _translate(sp, translator, ["General Scaparrotti said Russia's Kremlin denied it."])
    assert out == ["General Скапарротти said Россия's Кремль denied it."]
    sp, translator = _load(tiny_package["ru_en_dir"])
    assert _translate(sp, translator, ["Россия и Кремль."]) == ["Russia и Kremlin."]


@pytest.mark.parametrize("beam_size", [1, 4])
@pytest.mark.parametrize("weights", ["int8", "float32"])
def test_copy_with_substitution(tiny_package, float32_en_ru, weights, beam_size):
    package = tiny_package["en_ru_dir"] if weights == "int8" else float32_en_ru
    sp, translator = _load(package)
    texts = TEXTS + [LONG]
    if SEED_ARTICLE.is_file():
        texts += [line for line in SEED_ARTICLE.read_text(encoding="utf-8").splitlines() if line]
    assert len(sp.encode(LONG)) >= 140  # a long sentence in tokens
    expected = [apply_dictionary(t, DEFAULT_DICTIONARY_EN_RU) for t in texts]
    assert _translate(sp, translator, texts, beam_size=beam_size) == expected


def test_ru_en_direction(tiny_package):
    sp, translator = _load(tiny_package["ru_en_dir"])
    texts = TEXTS + ["Москва заявила, что НАТО и Талибан… «Россия» — Кремль, 2024 г."]
    expected = [apply_dictionary(t, DEFAULT_DICTIONARY_RU_EN) for t in texts]
    assert _translate(sp, translator, texts, beam_size=4) == expected


def test_int8_and_float32_agree_token_for_token(tiny_package, float32_en_ru):
    texts = TEXTS + [LONG]
    outputs = []
    for package, compute_type in ((tiny_package["en_ru_dir"], "int8"),
                                  (float32_en_ru, "float32"), (float32_en_ru, "int8")):
        sp, translator = _load(package, compute_type)
        tokens = [sp.encode(t, out_type=str) for t in texts]
        outputs.append([r.hypotheses[0] for r in translator.translate_batch(tokens, beam_size=4)])
    assert outputs[0] == outputs[1] == outputs[2]


def test_argos_settings(tiny_package):
    """The options argostranslate passes (replace_unknowns, length penalty, n-best)."""
    sp, translator = _load(tiny_package["en_ru_dir"])
    text = "Russia's «Kremlin» said so on Thursday."
    results = translator.translate_batch(
        [sp.encode(text, out_type=str)], replace_unknowns=True, beam_size=4, num_hypotheses=2,
        length_penalty=0.2, return_scores=True,
    )
    assert sp.decode(results[0].hypotheses[0]) == apply_dictionary(text, DEFAULT_DICTIONARY_EN_RU)
    assert results[0].scores[0] > -1e-3 > results[0].scores[1]


def test_long_input_up_to_max_positions(tiny_package):
    sp, translator = _load(tiny_package["en_ru_dir"])
    pieces = [sp.id_to_piece(i) for i in range(3, sp.get_piece_size())]
    source = [pieces[(i * 37) % len(pieces)] for i in range(1000)]
    result = translator.translate_batch([source], max_decoding_length=1024)[0]
    assert result.hypotheses[0] == [DEFAULT_DICTIONARY_EN_RU.get(p, p) for p in source]


_PLAIN_TEXT = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "Zs"), exclude_characters="\u2581"),
    max_size=80,
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(text=_PLAIN_TEXT, beam_size=st.sampled_from([1, 4]))
def test_empty_dictionary_is_identity(identity_model, text, beam_size):
    sp, translator = identity_model
    assert _translate(sp, translator, [text], beam_size=beam_size) == [text]


@settings(max_examples=100, deadline=None, derandomize=True)
@given(parts=st.lists(
    st.one_of(st.sampled_from(sorted(DEFAULT_DICTIONARY_EN_RU) + ["Russians", "NATO's", " "]),
              st.text(alphabet="abcdefghijklmnopRSTUVW ,.«»'-0123абв", max_size=8)),
    max_size=12,
))
def test_dictionary_guarantee_on_random_text(en_ru_model, parts):
    sp, translator = en_ru_model
    text = "".join(parts)
    assert _translate(sp, translator, [text]) == [apply_dictionary(text, DEFAULT_DICTIONARY_EN_RU)]
