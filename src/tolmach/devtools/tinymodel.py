"""A tiny, real CTranslate2 Transformer packaged exactly like an Argos Translate package.

Tests and benchmark fallbacks need a model that loads and runs through the same code as a
production Argos package (``ctranslate2.Translator`` + ``sentencepiece``), builds in well under a
second with no download and no training data, and whose output can be asserted. This module
hand-crafts such a model: a one-layer encoder/decoder whose weights make it *copy the source
tokens one by one, substituting a few whole tokens through a dictionary*.

The guarantee
-------------
For a package built with ``dictionary`` and any text ``s`` of fewer than ``max_positions - 1``
SentencePiece tokens (default 1024; ``max_decoding_length`` must cover the tokens plus one and may
not exceed ``max_positions``, or CTranslate2 raises "No position encodings are defined")::

    sp.decode(translator.translate_batch([sp.encode(s, out_type=str)])[0].hypotheses[0])
        == apply_dictionary(s, dictionary)

for greedy and beam search, int8 and float32 weights. With an empty dictionary the model is an
exact identity. ``apply_dictionary`` replaces dictionary words the way SentencePiece cuts its
*user-defined symbols* out of the text: scanning left to right, at each position the longest of all
dictionary words **and translations** that starts there is taken as one piece, wherever it occurs
(also inside longer words: with ``{"Russia": ...}`` the word ``Russians`` becomes ``<...>ns``;
add ``Russian`` as its own entry, as the default dictionary does, to stop that). The one
exception is the character ``▁`` (U+2581), which SentencePiece itself decodes as a space.

How the weights work (L = log2 of the vocabulary size, N = log2 of ``max_positions``)
---------------------------------------------------------------------------------
* d_model is 2L + 4N. The first 2L dimensions hold a *token code*: the +-1 bits of the token id
  followed by their negation, so tcode(v).tcode(w) is 2L for w == v and at most 2L - 4 otherwise.
  The last 4N hold a *position code* ``[cos(pi t / 2^k), sin(pi t / 2^k), -cos, -sin]``, k < N,
  whose dot product ``2 * sum_k cos(pi (t - s) / 2^k)`` is 2N for t == s and at most 2N - 4 for
  any other s < 2^N. (One-hot blocks would work too, but would make d_model ~ 600 instead of
  58: beam search reorders the decoder caches every step, and that gets slow.)
* The encoder embedding of token v is tcode(dictionary(v)) (the substitution happens here); the
  decoder embedding is zero, so the decoder state at step t is just the position code of t.
  Embeddings are not scaled by sqrt(d_model); the learned position table holds the codes.
* All self-attention and feed-forward weights are zero. In the decoder's cross-attention the query
  reads the decoder position code and the key the encoder position code, scaled so that step t
  attends to source position t with a logit margin of 50; the value copies the source token code
  and the output projection row of w is tcode(w) (logit margin 50 again). ``add_source_eos`` in
  ``config.json`` makes CTranslate2 append ``</s>`` to the source, so the copy ends with ``</s>``.
* Both codes have zero sum and a fixed norm, so every layer norm divides its input by the same
  constant for all inputs: the margins hold, and int8 weights (all +-c per row) are exact.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np

__all__ = [
    "DEFAULT_DICTIONARY_EN_RU",
    "DEFAULT_DICTIONARY_RU_EN",
    "apply_dictionary",
    "build_tiny_argosmodel",
    "build_tiny_package",
    "default_dictionary",
    "tiny_translate",
]

#: en->ru substitutions of the default tiny en_ru package. "Scaparrotti" -> "Скапарротти" is a
#: deliberate misspelling (the accepted spelling is «Скапаротти») for the glossary to fix.
#: "Russian" is listed so that it is not cut into "Russia" + "n".
DEFAULT_DICTIONARY_EN_RU: dict[str, str] = {
    "Russia": "Россия",
    "Russian": "российский",
    "Kremlin": "Кремль",
    "Moscow": "Москва",
    "Taliban": "Талибан",
    "Afghanistan": "Афганистан",
    "NATO": "НАТО",
    "Scaparrotti": "Скапарротти",
    "Thursday": "четверг",
    "Senate": "Сенат",
}

#: ru->en substitutions of the default tiny ru_en package.
DEFAULT_DICTIONARY_RU_EN: dict[str, str] = {
    "Россия": "Russia",
    "Кремль": "Kremlin",
    "Москва": "Moscow",
    "Талибан": "Taliban",
    "НАТО": "NATO",
}

_LANGUAGE_NAMES = {"en": "English", "ru": "Russian"}
_SPECIAL_PIECES = ("<unk>", "<s>", "</s>")
_ATTENTION_MARGIN = 50.0  # logit gap between the aligned source position and any other
_OUTPUT_MARGIN = 50.0  # logit gap between the copied token and any other
_FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def default_dictionary(from_code: str, to_code: str) -> dict[str, str]:
    """The default dictionary for a direction: en->ru and ru->en have one, others are empty."""
    if (from_code, to_code) == ("en", "ru"):
        return dict(DEFAULT_DICTIONARY_EN_RU)
    if (from_code, to_code) == ("ru", "en"):
        return dict(DEFAULT_DICTIONARY_RU_EN)
    return {}


def apply_dictionary(text: str, dictionary: Mapping[str, str] | None) -> str:
    """What a tiny model built with ``dictionary`` outputs for ``text`` (see the module doc).

    Scans left to right; at each position the longest dictionary word *or translation* starting
    there is one unit (as SentencePiece cuts out user-defined symbols); units that are dictionary
    words are replaced, everything else is kept.
    """
    if not dictionary:
        return text
    symbols = sorted(_symbols(dictionary), key=lambda s: (-len(s), s))
    pattern = re.compile("|".join(re.escape(s) for s in symbols))
    return pattern.sub(lambda m: dictionary.get(m.group(0), m.group(0)), text)


def build_tiny_package(
    dest_dir: str | os.PathLike,
    from_code: str = "en",
    to_code: str = "ru",
    dictionary: Mapping[str, str] | None = None,
    package_version: str = "1.0",
    name: str | None = None,
    *,
    quantization: str | None = "int8",
    max_positions: int = 1024,
    vocab_size: int = 512,
    extra_corpus: Iterable[str] | None = None,
) -> Path:
    """Build an Argos-format package folder and return its path, ``dest_dir/<name>``.

    The folder holds ``metadata.json``, ``README.md``, ``sentencepiece.model`` and ``model/``
    (``model.bin``, ``config.json``, ``shared_vocabulary.json``), as Argos 1.9 packages do.
    ``name`` defaults to ``translate-<from>_<to>-<version with dots as underscores>``.

    ``dictionary`` None means :func:`default_dictionary` for the direction; pass ``{}`` for an
    exact identity model. Words and translations must be non-empty and free of whitespace.
    ``quantization`` is passed to CTranslate2 (``None``/"float32" keeps float32 weights).
    Source sentences and ``max_decoding_length`` must stay below ``max_positions`` (rounded up
    to a power of two); CTranslate2 raises an error beyond it.
    The SentencePiece training text is the built-in corpus, plus the seed article from
    ``../shared`` when that exists, plus any ``extra_corpus`` lines; it changes how text is cut
    into pieces, never the guarantee.
    """
    if dictionary is None:
        dictionary = default_dictionary(from_code, to_code)
    dictionary = dict(dictionary)
    _check_dictionary(dictionary)
    name = name or f"translate-{from_code}_{to_code}-{package_version.replace('.', '_')}"
    dest = Path(dest_dir)
    package_dir = dest / name
    if package_dir.exists():
        raise FileExistsError(f"{package_dir} already exists")
    dest.mkdir(parents=True, exist_ok=True)

    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=dest))
    try:
        lines = list(_training_corpus())
        if extra_corpus is not None:
            lines.extend(extra_corpus)
        sp_model = _train_sentencepiece(lines, sorted(_symbols(dictionary)), vocab_size)
        (tmp / "sentencepiece.model").write_bytes(sp_model)
        _build_ct2_model(sp_model, dictionary, tmp / "model", quantization, max_positions)
        metadata = {
            "package_version": package_version,
            "argos_version": "1.9",
            "from_code": from_code,
            "from_name": _LANGUAGE_NAMES.get(from_code, from_code),
            "to_code": to_code,
            "to_name": _LANGUAGE_NAMES.get(to_code, to_code),
            "type": "translate",
        }
        (tmp / "metadata.json").write_text(
            json.dumps(metadata, indent=4, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (tmp / "README.md").write_text(_readme(from_code, to_code, dictionary), encoding="utf-8")
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp made it private
        os.replace(tmp, package_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return package_dir


def build_tiny_argosmodel(dest_file: str | os.PathLike, **kwargs) -> Path:
    """Build a package (arguments as :func:`build_tiny_package`, less ``dest_dir``) and zip it.

    The archive has one top-level folder (the package name) holding the files, with directory
    entries, as Argos ``.argosmodel`` files do; entries are sorted and time-stamped 2020-01-01 so
    the same arguments give the same bytes.
    """
    if "dest_dir" in kwargs:
        raise TypeError("build_tiny_argosmodel() takes dest_file, not dest_dir")
    dest = Path(dest_file)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".tinymodel.", dir=dest.parent) as tmp:
        package_dir = build_tiny_package(tmp, **kwargs)
        tmp_zip = Path(tmp) / "package.zip"
        _zip_folder(package_dir, tmp_zip)
        os.replace(tmp_zip, dest)
    return dest


def tiny_translate(
    package_dir: str | os.PathLike,
    texts: Sequence[str],
    *,
    beam_size: int = 1,
    compute_type: str = "default",
    max_decoding_length: int = 256,
) -> list[str]:
    """Translate ``texts`` with an unzipped package the way Argos does (SentencePiece + CT2)."""
    import ctranslate2
    import sentencepiece

    package_dir = Path(package_dir)
    sp = sentencepiece.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(package_dir / "model"), compute_type=compute_type)
    tokens = [sp.encode(text, out_type=str) for text in texts]
    results = translator.translate_batch(
        tokens, beam_size=beam_size, max_decoding_length=max_decoding_length
    )
    return [sp.decode(result.hypotheses[0]) for result in results]


# --------------------------------------------------------------------------- building blocks


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _symbols(dictionary: Mapping[str, str]) -> set[str]:
    return set(dictionary) | set(dictionary.values())


def _check_dictionary(dictionary: Mapping[str, str]) -> None:
    for word in _symbols(dictionary):
        if not isinstance(word, str) or not word:
            raise ValueError(f"dictionary entries must be non-empty strings, not {word!r}")
        if any(ch.isspace() for ch in word) or "\u2581" in word:
            raise ValueError(f"dictionary entry {word!r} contains whitespace")
        if word in _SPECIAL_PIECES or re.fullmatch(r"<0x[0-9A-F]{2}>", word):
            raise ValueError(f"dictionary entry {word!r} is a reserved SentencePiece piece")


def _train_sentencepiece(lines: Sequence[str], symbols: Sequence[str], vocab_size: int) -> bytes:
    import sentencepiece

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter([line for line in lines if line.strip()]),
        model_writer=model,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        byte_fallback=True,  # characters outside the vocabulary become <0x..> pieces, not <unk>
        normalization_rule_name="identity",
        remove_extra_whitespaces=False,  # with the two above, decode(encode(s)) == s
        user_defined_symbols=list(symbols),  # each dictionary word is one piece
        unk_piece="<unk>",
        bos_piece="<s>",
        eos_piece="</s>",
        pad_id=-1,
        num_threads=1,  # same corpus, same model
        minloglevel=2,
    )
    return model.getvalue()


def _position_codes(num_positions: int, bits: int) -> np.ndarray:
    t = np.arange(num_positions, dtype=np.float64)[:, None]
    angles = math.pi * t / (2.0 ** np.arange(bits))[None, :]
    cos, sin = np.cos(angles), np.sin(angles)
    return np.concatenate([cos, sin, -cos, -sin], axis=1)


def _token_codes(vocab_size: int, bits: int) -> np.ndarray:
    """Token v as the +-1 bits of v followed by their negation: tcode(v).tcode(w) = 2 (L - 2 d)
    with d the Hamming distance, so the dot product is largest, by at least 4, for w == v."""
    signs = 2.0 * ((np.arange(vocab_size)[:, None] >> np.arange(bits)[None, :]) & 1) - 1.0
    return np.concatenate([signs, -signs], axis=1)


def _build_ct2_model(
    sp_model: bytes,
    dictionary: Mapping[str, str],
    out_dir: Path,
    quantization: str | None,
    max_positions: int,
) -> None:
    import sentencepiece
    from ctranslate2.specs import transformer_spec

    sp = sentencepiece.SentencePieceProcessor(model_proto=sp_model)
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    if tuple(vocab[:3]) != _SPECIAL_PIECES:
        raise RuntimeError(f"unexpected special pieces {vocab[:3]}")
    index = {piece: i for i, piece in enumerate(vocab)}

    bits = max(1, math.ceil(math.log2(max_positions)))
    positions = 2**bits
    V = len(vocab)
    token_bits = max(1, math.ceil(math.log2(V)))
    D = 2 * token_bits + 4 * bits
    tok = np.arange(2 * token_bits)  # dimensions of the token code
    pos = 2 * token_bits + np.arange(4 * bits)  # dimensions of the position code
    f32 = np.float32

    # Scales. Every state is a sum of codes with zero sum and fixed norm, so layer norm divides
    # it by a fixed sigma: encoder output (token + position code, squared norm 2L + 2N), decoder
    # query (position code, 2N), decoder output (position code + token code / sigma_enc).
    sigma_enc = math.sqrt((2 * token_bits + 2 * bits) / D)
    sigma_dec = math.sqrt(2 * bits / D)
    # score(t, s) = qk_scale^2 / (sigma_dec sigma_enc sqrt(D)) * pcode(t).pcode(s); gap >= 4
    qk_scale = math.sqrt(_ATTENTION_MARGIN * sigma_dec * sigma_enc * math.sqrt(D) / 4)
    copied = 1 / sigma_enc
    sigma_out = math.sqrt((2 * bits + 2 * token_bits * copied**2) / D)
    # logit(w) = out_scale * copied / sigma_out * tcode(w).tcode(v); gap >= 4
    out_scale = _OUTPUT_MARGIN * sigma_out / (4 * copied)

    substitute = np.arange(V)
    for word, translation in dictionary.items():
        substitute[index[word]] = index[translation]
    token_codes = _token_codes(V, token_bits)

    spec = transformer_spec.TransformerSpec.from_config(num_layers=1, num_heads=1)
    encoder, decoder = spec.encoder, spec.decoder
    encoder.scale_embeddings = False
    decoder.scale_embeddings = False

    source_embeddings = np.zeros((V, D), f32)
    source_embeddings[:, tok] = token_codes[substitute]
    encoder.embeddings[0].weight = source_embeddings
    decoder.embeddings.weight = np.zeros((V, D), f32)
    codes = np.zeros((positions, D), f32)
    codes[:, pos] = _position_codes(positions, bits)
    encoder.position_encodings.encodings = codes
    decoder.position_encodings.encodings = codes  # aliased on save: stored once

    def layer_norm(spec_ln) -> None:
        spec_ln.gamma = np.ones(D, f32)
        spec_ln.beta = np.zeros(D, f32)

    def linear(spec_lin, weight: np.ndarray) -> None:
        spec_lin.weight = weight
        spec_lin.bias = np.zeros(weight.shape[0], f32)

    ffn_dim = 4
    for layer in (encoder.layer[0], decoder.layer[0]):
        layer_norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], np.zeros((3 * D, D), f32))
        linear(layer.self_attention.linear[1], np.zeros((D, D), f32))
        layer_norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, np.zeros((ffn_dim, D), f32))
        linear(layer.ffn.linear_1, np.zeros((D, ffn_dim), f32))
    layer_norm(encoder.layer_norm)
    layer_norm(decoder.layer_norm)

    cross = decoder.layer[0].attention
    layer_norm(cross.layer_norm)
    query = np.zeros((D, D), f32)
    query[pos, pos] = qk_scale
    key_value = np.zeros((2 * D, D), f32)
    key_value[pos, pos] = qk_scale
    key_value[D + tok, tok] = 1.0  # the value is the source token code
    output = np.zeros((D, D), f32)
    output[tok, tok] = 1.0
    linear(cross.linear[0], query)
    linear(cross.linear[1], key_value)
    linear(cross.linear[2], output)

    projection = np.zeros((V, D), f32)
    projection[:, tok] = out_scale * token_codes
    linear(decoder.projection, projection)

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.config.add_source_eos = True
    spec.validate()
    spec.optimize(quantization=None if quantization == "float32" else quantization)
    out_dir.mkdir(parents=True)
    spec.save(str(out_dir))


def _zip_folder(package_dir: Path, zip_path: Path) -> None:
    top = package_dir.name
    entries: list[tuple[str, Path]] = [(f"{top}/", package_dir)]
    for path in sorted(package_dir.rglob("*")):
        arcname = f"{top}/{path.relative_to(package_dir).as_posix()}"
        entries.append((arcname + "/" if path.is_dir() else arcname, path))
    entries.sort(key=lambda e: (not e[0].endswith("/"), e[0]))  # folders first, as Argos zips
    with zipfile.ZipFile(zip_path, "w") as archive:
        for arcname, path in entries:
            info = zipfile.ZipInfo(arcname, date_time=_FIXED_ZIP_TIME)
            info.create_system = 3  # unix, so the permission bits below are honoured
            if path.is_dir():
                info.external_attr = (0o40755 << 16) | 0x10
                archive.writestr(info, b"")
            else:
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())


def _readme(from_code: str, to_code: str, dictionary: Mapping[str, str]) -> str:
    entries = "\n".join(f"- `{k}` → `{v}`" for k, v in sorted(dictionary.items())) or "- (none)"
    return (
        f"# Tolmach tiny test model {from_code}→{to_code}\n\n"
        "NOT a translation model. Hand-built CTranslate2 Transformer (no training) made by\n"
        "`tolmach.devtools.tinymodel` for tests: it copies its input token by token and replaces\n"
        "these words (wherever they occur, also inside longer words):\n\n"
        f"{entries}\n"
    )


def _training_corpus() -> Iterable[str]:
    """Built-in English and Russian news-like lines, plus the seed article (see below)."""
    yield from _ENGLISH.strip().splitlines()
    yield from _RUSSIAN.strip().splitlines()
    for subject, verb, obj in _TEMPLATE_ROWS_EN:
        for when in _WHEN_EN:
            yield f"{subject} {verb} {obj} {when}."
    for subject, verb, obj in _TEMPLATE_ROWS_RU:
        for when in _WHEN_RU:
            yield f"{subject} {verb} {obj} {when}."
    yield _ALPHABETS
    seed = _seed_article_path()
    if seed.is_file():
        yield from seed.read_text(encoding="utf-8").splitlines()


def _seed_article_path() -> Path:
    """The seed article: the copy in the repository's ``articles/`` (so that the tiny model, and
    every score it gives, is the same in a fresh clone, in CI and in a developer's checkout), else
    the one in ``../shared``."""
    repo_root = Path(__file__).resolve().parents[3]
    own = repo_root / "articles" / "moscow-times-taliban.txt"
    return own if own.is_file() else repo_root.parent / "shared" / "seed" / "moscow-times-taliban.txt"


_ALPHABETS = (
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 "
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ "
    ".,;:!?'\"«»„“”‘’()[]{}-–—/\\%&*+=<>@#$№…"
)

_ENGLISH = """
The government announced new measures on Monday to support small businesses in the regions.
Officials said the talks would continue next week in Geneva despite the disagreements.
The central bank raised its key interest rate by half a percentage point to 7.5%.
Prices for food and fuel rose faster than expected in the first quarter of the year.
The minister told reporters that the agreement had been signed after months of negotiations.
Thousands of people gathered in the city centre to protest against the new law.
The company reported a profit of $2.3 billion, up 12 percent from a year earlier.
Emergency services said three people were injured when the building collapsed.
According to the ministry, more than 40,000 students took the exam this summer.
The president will visit China and India later this month, his spokesman said.
Opposition leaders accused the authorities of limiting the freedom of the press.
The court sentenced the former governor to eight years in prison for bribery.
Heavy snow disrupted flights at the city's two main airports on Tuesday morning.
Scientists warned that the Arctic is warming nearly four times faster than the rest of the world.
The football club confirmed that its coach had left by mutual agreement.
Oil exports fell sharply after new sanctions came into force in December.
The United Nations called for an immediate ceasefire and access for humanitarian aid.
A spokesman for the foreign ministry declined to comment on the reports.
Local residents complained that the new road was built without public consultation.
The election commission said turnout had reached 58 percent by the evening.
Inflation slowed for the third month in a row, official statistics showed.
The general said the army was prepared to defend the country's borders.
Police detained several activists who were handing out leaflets near the station.
The report, published on Wednesday, described the situation as critical.
Negotiators from both sides met behind closed doors for more than six hours.
Several airlines have suspended flights to the region until further notice.
"We are open to dialogue, but not at any price," the diplomat said.
The museum reopened after a two-year restoration of its historic halls.
Experts expect the economy to grow by about 1 percent next year.
The parliament approved the budget in the first reading by a large majority.
Journalists were not allowed to attend the hearing, which was held in private.
The newspaper reported that the deal was worth about 300 million euros.
Rescue teams continued searching for survivors throughout the night.
The prime minister said the government would not raise taxes this year.
Students and teachers returned to classrooms on September 1 across the country.
The agency said it had received no official request for information.
Energy companies warned of possible shortages during the winter months.
The exhibition features more than 200 works by artists from 15 countries.
Critics say the reform will make it harder for ordinary citizens to get medical care.
The ambassador was summoned to the ministry to receive a formal protest.
Military officials said the exercises were planned long in advance.
The mayor promised to repair all damaged houses before the end of the year.
Shares in the company fell by 9% after the results were published.
The investigation is still ongoing, a source close to the case told the agency.
Independent observers reported numerous violations at polling stations.
The two leaders discussed trade, security and the situation in the Middle East.
The ruble weakened against the dollar and the euro on Friday.
A senior official said that no decision had yet been made.
The committee will hold a hearing on the issue next Thursday.
Farmers expect a good harvest thanks to the warm and wet spring.
"""

_RUSSIAN = """
Правительство в понедельник объявило о новых мерах поддержки малого бизнеса в регионах.
Чиновники заявили, что переговоры продолжатся на следующей неделе, несмотря на разногласия.
Центральный банк повысил ключевую ставку на половину процентного пункта, до 7,5%.
Цены на продукты и топливо в первом квартале росли быстрее, чем ожидалось.
Министр сообщил журналистам, что соглашение подписано после нескольких месяцев переговоров.
Тысячи людей собрались в центре города, чтобы выразить протест против нового закона.
Компания отчиталась о прибыли в размере 2,3 млрд долларов, что на 12% больше, чем годом ранее.
По словам спасателей, при обрушении здания пострадали три человека.
По данным министерства, этим летом экзамен сдавали более 40 000 школьников.
Президент посетит Китай и Индию в конце месяца, сообщил его пресс-секретарь.
Лидеры оппозиции обвинили власти в ограничении свободы прессы.
Суд приговорил бывшего губернатора к восьми годам заключения за взятку.
Сильный снегопад во вторник утром нарушил работу двух главных аэропортов города.
Учёные предупредили, что Арктика нагревается почти в четыре раза быстрее остального мира.
Футбольный клуб подтвердил, что тренер покинул команду по обоюдному согласию.
Экспорт нефти резко сократился после вступления в силу новых санкций в декабре.
ООН призвала к немедленному прекращению огня и доступу гуманитарной помощи.
Представитель министерства иностранных дел отказался комментировать эти сообщения.
Местные жители жалуются, что новую дорогу построили без общественных слушаний.
Избирательная комиссия сообщила, что к вечеру явка достигла 58 процентов.
Инфляция замедлилась третий месяц подряд, показала официальная статистика.
Генерал заявил, что армия готова защищать границы страны.
Полиция задержала нескольких активистов, раздававших листовки у вокзала.
В докладе, опубликованном в среду, ситуация названа критической.
Переговорщики обеих сторон встречались за закрытыми дверями более шести часов.
Несколько авиакомпаний приостановили рейсы в регион до особого распоряжения.
«Мы открыты для диалога, но не любой ценой», — сказал дипломат.
Музей вновь открылся после двухлетней реставрации исторических залов.
Эксперты ожидают, что в следующем году экономика вырастет примерно на 1%.
Парламент одобрил бюджет в первом чтении подавляющим большинством голосов.
Журналистов не пустили на слушание, которое прошло в закрытом режиме.
Газета сообщила, что сумма сделки составила около 300 млн евро.
Спасатели продолжали поиски выживших всю ночь.
Премьер-министр заявил, что в этом году правительство не будет повышать налоги.
Первого сентября школьники и учителя по всей стране вернулись в классы.
В агентстве сообщили, что не получали официального запроса.
Энергетические компании предупредили о возможной нехватке топлива зимой.
На выставке представлено более 200 работ художников из 15 стран.
Критики считают, что реформа затруднит доступ граждан к медицинской помощи.
Посла вызвали в министерство, чтобы вручить ему официальный протест.
Военные сообщили, что учения были запланированы задолго до этого.
Мэр пообещал отремонтировать все повреждённые дома до конца года.
Акции компании подешевели на 9% после публикации отчёта.
Расследование продолжается, сообщил агентству источник, близкий к делу.
Независимые наблюдатели сообщили о многочисленных нарушениях на участках.
Лидеры двух стран обсудили торговлю, безопасность и ситуацию на Ближнем Востоке.
В пятницу рубль ослаб по отношению к доллару и евро.
Высокопоставленный чиновник сказал, что решение пока не принято.
Комитет проведёт слушания по этому вопросу в следующий четверг.
Аграрии ожидают хорошего урожая благодаря тёплой и влажной весне.
Россия и Кремль, Москва и Талибан, НАТО и Афганистан, Сенат США.
"""

_TEMPLATE_ROWS_EN = [
    ("The Kremlin", "rejected", "the accusations"),
    ("Russia", "denied", "the reports"),
    ("The Taliban", "confirmed", "the meeting"),
    ("NATO officials", "discussed", "the new strategy"),
    ("The Senate committee", "approved", "the proposal"),
    ("Moscow", "criticised", "the decision"),
    ("The Russian government", "welcomed", "the agreement"),
    ("Afghanistan's leaders", "signed", "a new deal"),
    ("General Scaparrotti", "described", "the threat"),
    ("The agency", "published", "its forecast"),
]
_WHEN_EN = ["on Monday", "on Thursday", "last week", "in 2017", "earlier this year"]

_TEMPLATE_ROWS_RU = [
    ("Кремль", "отверг", "обвинения"),
    ("Россия", "опровергла", "сообщения"),
    ("Талибан", "подтвердил", "встречу"),
    ("Представители НАТО", "обсудили", "новую стратегию"),
    ("Комитет Сената", "одобрил", "предложение"),
    ("Москва", "раскритиковала", "решение"),
    ("Российское правительство", "приветствовало", "соглашение"),
    ("Лидеры Афганистана", "подписали", "новую сделку"),
    ("Генерал Скапаротти", "описал", "угрозу"),
    ("Агентство", "опубликовало", "свой прогноз"),
]
_WHEN_RU = ["в понедельник", "в четверг", "на прошлой неделе", "в 2017 году", "в начале года"]
