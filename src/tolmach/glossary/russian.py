"""Russian terms: matching by lemma and agreement with pymorphy3, and inflecting a term.

A term's Russian words are split into two parts when the term is compiled:

* the *agreeing group*: the leading words that can stand in the nominative (adjectives, participles,
  numerals and nouns: «Комсомольская правда», «Кертис Скапаротти», «верховный главнокомандующий»).
  They change case together and match any *real* form of their word in a text;
* the *fixed tail*: everything from the first word that is not nominative on («комитет | по вооружённым
  силам Сената США»): matched exactly, never inflected.

Every group word is compiled into a table ``form -> the (case, number) readings of that form``:

* a word pymorphy3 knows gets the forms of its lexeme. The nominative is chosen among the parses
  that *are* nominative, known to the dictionary and of a part of speech that can head or modify a
  noun (``Name``/``Surn``/``Geox``/``Orgn`` first, as the kind suggests), never ``parse()[0]``:
  pymorphy3 reads «Корбин» as the genitive plural of «корбина»;
* a foreign name pymorphy3 does not know (no known nominative parse: «Корбин», «Теббун», «Сарр»,
  «Орора») is declined by rule, like a Russian noun of its ending (consonant: -а, -у, -ом, -е;
  -а/-я: -ы/-и, -е, -у/-ю, -ой/-ей); one ending in -и/-о/-у/-е/-э/-ю (Моди, Дини, Чэнду), an
  all-capitals abbreviation (НАТО, БДП) and pymorphy3's ``Fixd`` words are indeclinable; a
  hyphenated name declines its last part (Грейтер-Нойде, Жан-Люка), except a person's double surname
  whose first part is a Russian-type surname, which declines both, each as the word it is
  (Петрова-Водкина, Мамина-Сибиряка, Прокудина-Горского); a man's Russian-type surname in
  -ов/-ев/-ын takes -ым in the instrumental (-ом is accepted too, and is the first choice for -ин:
  Чаплином, Путиным); a woman's surname after a
  woman's first name does not decline, unless it is of the Russian type (-ова, -ева, -ина, -ына),
  whose forms are an adjective's (Набиуллиной, Скабееву); a Russian surname in -ых/-их (Седых,
  Долгих) never declines. A person's gender comes from the entry's ``gender`` column,
  else from the whole name: a dictionary first name (its nominative singular; never pymorphy3's
  vocative or plural readings: «Жюль» is not the vocative of «Жюля», «Ян» not a plural of «Яна»),
  else a dictionary surname; a first name in -а/-я the dictionary lacks leaves the surname
  undeclined as well as declined («Джасинду Ардерн»). An East Asian name (the source starts with a
  family name such as Xi, Kim, Nguyen) declines only its last part («Си Цзиньпином»), and the
  ``indeclinable`` column fixes the words it names. A particle that a person's name writes in lower
  case (фон, ван, дер, де, да, бен, ибн, аль, оглы) never declines, though the dictionary has some
  of them as nouns («Отто фон Бисмарком», not «фоном»);

Only those forms match: a near miss («Испаании», «Тррампа») is never taken for the term, however
pymorphy3's guesser would analyse it. Agreement is checked where Russian grammar requires it: an
adjective or participle with its head noun (case and number, and gender in the singular:
«Комсомольская правды», «Белого дому», «Южную Кореи» are errors), and the declinable first name and
surname of a person («Дональда Трампу»). Two other nouns never have to agree («Пяти глаз» is a
numeral with a genitive; «озеро Тахо» an apposition), and an indeclinable word agrees with anything.
A foreign surname in -а/-я of a man is often left undeclined («Махмуда Гуемама»): its nominative
agrees with any case.

Letter case (case-sensitive terms): a capital at the start of a sentence and a word in all
capitals (headlines, datelines) are not differences; a capital where the glossary writes a small
letter elsewhere is a *style* difference («Лигу Чемпионов»); a small letter where the glossary writes
a capital («конгресс» for «Конгресс», «Нато») is an error. For every term, two capitals in a row
inside a word that is not all capitals («СИмс», «ТАлибан») are an error. Words of a term are
separated by spaces, or by what the term itself has between them (McDonald's, AT&T). Comparison ignores ё/е and the kind of
apostrophe or hyphen, and soft hyphens, zero-width spaces and stress marks (:func:`visible`); apostrophes and hyphens inside a name belong to the word (О'Брайен,
Грейтер-Нойда). Guillemets around a title are optional.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Iterable, NamedTuple, Sequence

from .english import select_longest
from .model import CLOSE_QUOTES, OPEN_QUOTES, Term, TermMatch

_JOINERS = "-‐‑'’ʼ"
# an apostrophe joins О'Брайен, but not an English possessive or contraction left in the text (NATO's)
_WORD = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+|['’ʼ](?![sStTdDmM]\b|ll\b|re\b|ve\b)[^\W_]+)*")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
# What a word may hold that no reader sees as a break: a soft hyphen ("Scapar\u00adrotti", from an
# HTML &shy;), a zero-width space, non-joiner, joiner or word joiner (and a BOM), and the stress
# marks of a Russian text («Скапаро\u0301тти»). Unicode gives none of them to \w, so each split the
# word in two; matching reads the text without them (:func:`visible`).
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff\u0300\u0301"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]+")

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_CASE_ALIASES = {"gen1": "gent", "gen2": "gent", "acc2": "accs", "loc1": "loct", "loc2": "loct", "voct": "nomn"}
_GROUP_POS = ("NOUN", "ADJF", "PRTF", "NUMR")
_ROLE = {"NOUN": "noun", "ADJF": "adj", "PRTF": "adj", "NUMR": "num"}
_NAME_KINDS = ("person", "place", "organisation")
_INDECLINABLE_ENDINGS = tuple("иоуеэюыё")


@lru_cache(maxsize=1)
def morph():
    """The pymorphy3 analyser (loaded once, about 0.05 s)."""
    import os

    import pymorphy3

    if pymorphy3.MorphAnalyzer.DICT_PATH_ENV_VARIABLE not in os.environ:
        try:
            import pymorphy3_dicts_ru
        except ImportError:
            pass
        else:
            # the dictionary our dependency installs, named at once: pymorphy3 would find the same one
            # by scanning every installed package's entry points, a quarter of its load time
            return pymorphy3.MorphAnalyzer(path=pymorphy3_dicts_ru.get_path(), lang="ru")
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def parses(word: str) -> tuple:
    """pymorphy3 parses of a lower-case word, cached: the check sees the same words again and again."""
    return tuple(morph().parse(word))


@lru_cache(maxsize=200_000)
def _word_is_known(word: str) -> bool:
    m = morph()
    return m.dictionary.word_is_known(word=word, substitutes_compiled=m.char_substitutes)


def known(p) -> bool:
    """``p.is_known`` of a parse: pymorphy3 looks the word up in its dictionary again on every access
    (a fifth of compiling a glossary); the answer depends on the parse's word alone."""
    return _word_is_known(p.word)


@lru_cache(maxsize=200_000)
def is_dictionary_word(word: str) -> bool:
    """True when pymorphy3's dictionary has the word (not only its guesser)."""
    return any(known(p) for p in parses(word))


def norm(word: str) -> str:
    """The key words are compared by: lower case, ё -> е, one kind of apostrophe and hyphen."""
    # str.replace runs in C; str.translate with a dict looks up every character in Python objects
    return word.lower().replace("ё", "е").replace("’", "'").replace("ʼ", "'").replace("‐", "-").replace("‑", "-")


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


def case_of(tag) -> str | None:
    c = tag.case
    return _CASE_ALIASES.get(c, str(c)) if c else None


class Token(NamedTuple):
    text: str
    start: int
    end: int
    key: str  # normalised surface (see norm)


def tokenize(text: str) -> list[Token]:
    """Words of a text; a hyphen or an apostrophe between letters is part of the word (О'Брайен)."""
    normal = norm(text)
    if len(normal) != len(text):  # a letter whose lower case is longer (İ): normalise word by word
        return [Token(m.group(0), m.start(), m.end(), norm(m.group(0))) for m in _WORD.finditer(text)]
    # one normalisation of the whole text, then slices of it: the keys are the same, at a fraction of the cost
    spans = [m.span() for m in _WORD.finditer(text)]
    return [_new_token(Token, (text[s:e], s, e, normal[s:e])) for s, e in spans]


_new_token = tuple.__new__  # Token(...) without the Python-level __new__ of a NamedTuple: tokenising is hot


def visible(text: str) -> str:
    """The text without its invisible characters (:data:`_INVISIBLE_RE`): what the glossary matches."""
    if text.isascii():
        return text
    # the text itself where it has none (as ``sub`` would give it): told by eight searches for one
    # character, each a plain scan in C; the expression tests each character of a Cyrillic text
    # against its set, about ten times slower (every translation is read so, twice)
    for ch in _INVISIBLE:
        if ch in text:
            return _INVISIBLE_RE.sub("", text)
    return text


def in_original(text: str, pos: int) -> int:
    """Where position ``pos`` of :func:`visible` ``(text)`` is in ``text``: after the invisible
    characters there (a stress mark goes with the letter before it, a span's end takes it in)."""
    shift = 0
    for m in _INVISIBLE_RE.finditer(text):
        if m.start() - shift > pos:
            break
        shift += m.end() - m.start()
    return pos + shift


def with_invisible(original: str, plain: str, new: str) -> str:
    """``new``, an edited ``plain`` (:func:`visible` of ``original``), with the invisible characters
    of ``original`` put back where the letter before them is unchanged (a replaced word loses them)."""
    if new == plain:
        return original
    from difflib import SequenceMatcher  # (only for an edited text that had any)

    runs, shift = [], 0  # (position in plain, the characters before that position)
    for m in _INVISIBLE_RE.finditer(original):
        runs.append((m.start() - shift, m.group(0)))
        shift += m.end() - m.start()
    out, done = [], 0  # pieces of new, and how much of it they cover
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, plain, new, autojunk=False).get_opcodes():
        if tag != "equal":
            continue
        for p, chars in runs:
            if i1 < p <= i2 or p == i1 == 0:
                at = j1 + p - i1
                out += [new[done:at], chars]
                done = at
    return "".join(out) + new[done:]


def token_keys(tokens: Sequence[Token]) -> set[str]:
    """The keys of the tokens and of the parts of hyphenated ones (for skipping absent terms early)."""
    keys = {t.key for t in tokens}
    keys.update(part for t in tokens if "-" in t.key for part in t.key.split("-"))
    return keys


def sentence_start(text: str, start: int) -> bool:
    """True when only spaces, quotes or a dash stand between ``start`` and the previous sentence."""
    i = start
    while i > 0 and (text[i - 1].isspace() or text[i - 1] in OPEN_QUOTES or text[i - 1] in CLOSE_QUOTES or text[i - 1] in "—–-(["):
        i -= 1
    return i == 0 or text[i - 1] in ".!?…:"


# ---------------------------------------------------------------------------------------------------
# readings: "case.number", and for the accusative also the animacy that selects its form


def _feats(case: str, number: str, anim: str | None = None) -> tuple[str, ...]:
    if case == "accs":
        return (f"accs.{number}.{anim}",) if anim else (f"accs.{number}.anim", f"accs.{number}.inan")
    return (f"{case}.{number}",)


def _reading_case(readings: Iterable[str]) -> tuple[str | None, str | None]:
    """The likeliest (case, number) of a set of readings: cases in CASES order, the singular first."""
    split = [r.split(".") for r in readings]
    for c in CASES:
        numbers = [r[1] for r in split if r[0] == c]
        if numbers:
            return c, ("sing" if "sing" in numbers else numbers[0])
    return None, None


Table = dict  # normalised form -> frozenset of readings, or None for "agrees with any case"


@dataclass(frozen=True)
class WordSpec:
    """One word of a compiled Russian term."""

    text: str  # as written in the glossary
    key: str  # normalised surface
    forms: frozenset[str]  # normalised surfaces that match (one for fixed words)
    lemma: str | None  # normal form, for inflecting words
    pos: str | None
    gender: str | None  # adjectives: the gender they keep in the singular
    in_group: bool  # part of the agreeing group
    parse: object | None  # the nominative parse used to inflect the word (None: declined by rule)
    indeclinable: bool = False
    role: str = "fixed"  # "adj", "noun", "num" or "fixed"
    table: Table | None = field(default=None, compare=False, hash=False, repr=False)
    generated: tuple = field(default=(), compare=False, hash=False, repr=False)  # ((case, number), form)
    animate: bool = False

    def readings(self, key: str) -> frozenset[str] | None:
        """The readings of a form of this word; None when it agrees with any case."""
        if self.indeclinable or self.table is None:
            return None
        return self.table.get(key, frozenset())

    def inflect(self, case: str, number: str, animate: bool, person: bool) -> str | None:
        """This word in ``case`` and ``number`` (lower case), or None when it does not change."""
        if not self.in_group or self.indeclinable:
            return None
        if self.parse is None:
            forms = dict(self.generated)
            return forms.get((case, number)) or forms.get((case, "sing"))
        p = self.parse
        num = number if "Sgtm" not in p.tag and "Fixd" not in p.tag else p.tag.number or "sing"
        c = case
        if person and case == "accs" and p.tag.POS == "NOUN" and p.tag.gender == "masc" and "anim" not in p.tag:
            c = "gent"  # a name taken as inanimate: men's names take accs = gent
        grammemes = {c, num}
        if self.pos in ("ADJF", "PRTF"):
            if num == "sing" and self.gender:
                grammemes.add(self.gender)
            if c == "accs" and (num == "plur" or self.gender == "masc"):
                grammemes.add("anim" if animate else "inan")
        new = p.inflect(grammemes) or p.inflect({c, num}) or p.inflect({c})
        return new.word if new is not None else None


@dataclass(frozen=True)
class Pattern:
    """A compiled Russian rendering of a term (its target, an alternative or a forbidden variant)."""

    text: str
    words: tuple[WordSpec, ...]
    quoted: bool
    case_sensitive: bool
    optional_the: bool  # a Latin name that starts with "The" also matches without it
    person: bool = False  # a person's name: its declinable nouns (first name, surname) agree too
    # what stands between word k and k+1 besides spaces ("" for spaces only): McDonald's, Yahoo.com
    gaps: tuple[str, ...] = ()
    # what ``match_at`` concluded about a run of words (see there): the same words in another text
    # give the same verdict
    verdicts: dict = field(default_factory=dict, init=False, compare=False, hash=False, repr=False)

    @property
    def bare_text(self) -> str:
        return self.text[1:-1].strip() if self.quoted else self.text

    @property
    def head(self) -> WordSpec | None:
        """The noun that governs the agreeing group (its last noun, else its last word)."""
        group = [w for w in self.words if w.in_group]
        nouns = [w for w in group if w.role == "noun" and not w.indeclinable]
        if nouns:
            return nouns[0] if len(nouns) == len(group) else nouns[-1]
        return group[-1] if group else None

    @property
    def number(self) -> str:
        """The grammatical number the rendering is written in (plural for «талибы»)."""
        for w in self.words:
            if w.in_group and w.parse is not None and not w.indeclinable and w.role != "num" and w.parse.tag.number:
                return w.parse.tag.number
        return "sing"

    @property
    def animate(self) -> bool:
        h = self.head
        if h is None:
            return False
        return bool("anim" in h.parse.tag) if h.parse is not None else h.animate


# ---------------------------------------------------------------------------------------------------
# compiling a rendering


def _prefer(kind: str, name_gender: str | None):
    """Sort key for nominative parses of a term word: the singular, known words and the grammemes
    typical for the kind first; for a person, a surname of the first name's gender."""
    wanted = {"person": ("Name", "Surn", "Patr"), "place": ("Geox",), "organisation": ("Orgn",)}.get(kind, ())

    def key(p):
        gender_miss = bool(name_gender) and "Surn" in p.tag and str(p.tag.gender) != name_gender and "ms-f" not in p.tag
        declines_first = kind == "person" and not name_gender and "Fixd" in p.tag  # Трамп: the man's surname
        return (
            p.tag.number == "plur" and "Pltm" not in p.tag,
            not known(p),
            gender_miss,
            declines_first,
            not any(g in p.tag for g in wanted),
            -p.score,
        )

    return key


def _lexeme_table(parse, role: str, gender: str | None, anim: str, surname_gender: str | None = None) -> Table:
    """Form -> features of every form of ``parse``'s lexeme. ``surname_gender``: a surname of a
    person whose gender is known keeps only that gender's forms (pymorphy3's lexeme of the man's
    «Клинтон» also holds the woman's, undeclined in every case: «Билла Клинтон» was taken as agreeing)."""
    table: dict[str, set] = {}
    tag = parse.tag
    pos, degree = tag.POS, _DEGREES.intersection(tag.grammemes)
    for f in parse.lexeme:
        if surname_gender is not None and f.tag.gender in ("masc", "femn") and f.tag.gender != surname_gender:
            continue
        feats = _form_feats(f.tag, pos, degree, role, gender, anim)
        if feats is not None:
            table.setdefault(norm(f.word), set()).update(feats)
    return {k: frozenset(v) for k, v in table.items()}


_DEGREES = frozenset({"Supr", "Cmp2"})


@lru_cache(maxsize=20_000)
def _form_feats(t, pos: str, degree: frozenset, role: str, gender: str | None, anim: str) -> tuple[str, ...] | None:
    """The features a form with tag ``t`` gives a lexeme's table (None: not a form of this word);
    they depend on the tag alone, and a glossary's lexemes share their tags (pymorphy3's tag
    properties are slow to read, many times per form)."""
    if t.POS != pos or _DEGREES.intersection(t.grammemes) != degree:
        return None  # short forms, comparatives and superlatives of an adjective are other words here
    c = t.case
    if c in ("gen2", "loc2", "acc2"):
        return (f"{c}.{t.number or 'sing'}",)  # «из дому», «на дому»: never with an adjective
    c = case_of(t)
    if c is None:
        return ()
    n = t.number or ("plur" if role == "num" or "Pltm" in t else "sing")
    if role == "adj" and n == "sing" and gender and t.gender and t.gender != gender:
        return ()  # «Белая дом»: a form of the word, but not one that agrees
    a = anim if role != "adj" else ("anim" if "anim" in t else "inan" if "inan" in t else None)
    return _feats(c, n, a)


def _rule_paradigm(key: str, anim: bool, plural: bool, person: bool) -> dict[tuple[str, str], list[str]] | None:
    """The standard noun declension of an unknown word by its ending; None when it does not decline.

    The first form of each slot is the one used to inflect; the others are accepted variants
    (-ем/-ом after a sibilant, a Russian-type surname's -ым, a soft sign's two genders).
    """
    last = key[-1:]
    if not last or last in _INDECLINABLE_ENDINGS or not re.fullmatch(r"[а-яё]", last):
        return None
    stem = key[:-1]
    out: dict[tuple[str, str], list[str]] = {}

    def sing(**cases):
        for c, forms in cases.items():
            out[(c, "sing")] = forms

    if key.endswith("ия"):
        sing(nomn=[key], gent=[stem + "и"], datv=[stem + "и"], accs=[stem + "ю"], ablt=[stem + "ей", stem + "ею"], loct=[stem + "и"])
    elif last == "я":
        sing(nomn=[key], gent=[stem + "и"], datv=[stem + "е"], accs=[stem + "ю"], ablt=[stem + "ей", stem + "ею"], loct=[stem + "е"])
    elif last == "а":
        y = "и" if stem[-1:] in "гкхжшчщ" else "ы"
        o = ["ей", "ой"] if stem[-1:] in "жшчщц" else ["ой", "ою"]
        sing(nomn=[key], gent=[stem + y], datv=[stem + "е"], accs=[stem + "у"], ablt=[stem + e for e in o], loct=[stem + "е"])
    elif last == "й":
        sing(nomn=[key], gent=[stem + "я"], datv=[stem + "ю"], accs=[stem + "я"] if anim else [key], ablt=[stem + "ем", stem + "ём"], loct=[stem + "е"])
    elif last == "ь":  # masculine or feminine: both declensions
        sing(nomn=[key], gent=[stem + "я", stem + "и"], datv=[stem + "ю", stem + "и"], accs=[stem + "я", key] if anim else [key],
             ablt=[stem + "ем", stem + "ью"], loct=[stem + "е", stem + "и"])  # fmt: skip
    elif last in "ъ":
        return None
    else:
        o = ["ем", "ом"] if last in "жшчщц" else ["ом"]
        if person and key.endswith(("ын", "ов", "ев", "ёв")) and len(key) > 4:
            o.insert(0, "ым")  # Russian-type surnames: Путиным (a foreign one in -ов is rare)
        elif person and key.endswith("ин"):
            o.append("ым")  # Путиным, and Чаплином
        sing(nomn=[key], gent=[key + "а"], datv=[key + "у"], accs=[key + "а"] if anim else [key], ablt=[key + e for e in o], loct=[key + "е"])
        if plural:
            y = "и" if last in "гкхжшчщ" else "ы"
            gen = key + ("ей" if last in "жшчщ" else "ев" if last == "ц" else "ов")
            for c, f in (("nomn", key + y), ("gent", gen), ("datv", key + "ам"), ("accs", gen if anim else key + y),
                         ("ablt", key + "ами"), ("loct", key + "ах")):  # fmt: skip
                out[(c, "plur")] = [f]
    return out


# a woman's surname of the Russian type (Иванова, Скабеева, Набиуллина, Мухина): its forms are
# those of a possessive adjective (-ой, -у), not of a noun in -а (-ы, -е)
RUSSIAN_WOMENS_SURNAME_ENDINGS = ("ова", "ева", "ёва", "ина", "ына")


def _rule_spec(word: str, key: str, kind: str, in_group: bool, female: bool, lenient_nomn: bool) -> WordSpec:
    """A group word declined by rule (or indeclinable); a hyphenated word declines its last part."""
    person = kind == "person"
    anim = person
    prefix, _, last = key.rpartition("-") if "-" in key else ("", "", key)
    prefix = prefix + "-" if prefix else ""
    paradigm = None
    if person and female and last.endswith(RUSSIAN_WOMENS_SURNAME_ENDINGS) and len(last) > 4:
        # a Russian-type woman's surname declines like a short adjective (Набиуллиной, Скабееву)
        stem = last[:-1]
        paradigm = {
            ("nomn", "sing"): [last], ("gent", "sing"): [stem + "ой"], ("datv", "sing"): [stem + "ой"],
            ("accs", "sing"): [stem + "у"], ("ablt", "sing"): [stem + "ой", stem + "ою"], ("loct", "sing"): [stem + "ой"],
        }  # fmt: skip
    elif not (len(word) > 1 and word.isupper()) and not (female and last[-1:] not in "ая"):
        paradigm = _rule_paradigm(last, anim, kind in ("term", "title"), person)
    if paradigm is None:
        return WordSpec(word, key, frozenset({key}), key, "NOUN", None, in_group, None, True, "noun", animate=anim)
    a = "anim" if anim else "inan"
    table: dict[str, set] = {}
    generated = []
    for (c, n), forms in paradigm.items():
        generated.append(((c, n), prefix + forms[0]))
        for f in forms:
            table.setdefault(prefix + f, set()).update(_feats(c, n, a))
    final = {k: frozenset(v) for k, v in table.items()}
    if lenient_nomn:
        final[key] = None  # Махмуда Гуемама: an undeclined man's surname in -а agrees with any case
    return WordSpec(word, key, frozenset(final), key, "NOUN", None, in_group, None, False, "noun", final, tuple(generated), anim)


def _known_nominatives(key: str, group_number: str | None, person: bool = False) -> list:
    """Dictionary parses that are a nominative. Never a vocative (pymorphy3 reads «Жюль» as the
    informal vocative of «Жюля»), and for a person's name never a plural (a name has none: «Ян» is
    not the plural of «Яна», «Тесла» not the plural of «тесло»)."""
    readings = parses(key)
    return [
        p
        for p in readings
        if known(p)
        and p.tag.POS in _GROUP_POS
        and p.tag.case == "nomn"
        and "Infr" not in p.tag
        and not (person and p.tag.number == "plur" and "Pltm" not in p.tag)
        and (p.tag.number in (None, group_number or p.tag.number) or "Pltm" in p.tag or "Fixd" in p.tag)
    ]


def _name_gender(tokens: Sequence["Token"]) -> str | None:
    """A person's gender from the whole name: a dictionary first name of one gender (its nominative
    singular, never a guess), else a dictionary surname of one gender (Ковальская)."""
    if len(tokens) > 1:
        genders = {
            str(p.tag.gender)
            for p in _known_nominatives(norm(tokens[0].text), None, True)
            if "Name" in p.tag and p.tag.gender in ("masc", "femn")
        }
        if len(genders) == 1:
            return genders.pop()
        if genders:
            return None
    last = norm(tokens[-1].text)
    genders = {
        str(p.tag.gender) for p in _known_nominatives(last, None, True) if "Surn" in p.tag and p.tag.gender in ("masc", "femn")
    }
    if len(genders) == 1 and not any("ms-f" in p.tag for p in parses(last)):
        return genders.pop()
    return None


def _maybe_a_man(target: str) -> bool:
    """A full name whose first name the dictionary has only as a woman's indeclinable name, though
    it ends like a man's (a consonant or ь: Эммануэль, Мишель): the man's declined reading exists."""
    words = target.split()
    if len(words) < 2 or not re.search(r"[бвгджзйклмнпрстфхцчшщь]$", words[0].lower()):
        return False
    names = _known_nominatives(norm(words[0]), None, True)
    return bool(names) and all("Name" in p.tag and p.tag.gender == "femn" and "Fixd" in p.tag for p in names)


# East Asian family names (romanised) that begin a person's name: in Russian only the last part of
# such a name declines («с Си Цзиньпином», «Ли Кэцяна», «Ким Чен Ына», «Нгуен Фу Чонга»).
EAST_ASIAN_FAMILY_NAMES = frozenset(
    """xi li wang zhang liu chen yang huang zhao wu zhou xu sun ma hu guo lin he gao liang zheng luo song
    xie tang han cao deng feng zeng peng xiao cai pan tian dong yuan yu jiang wei mao bo qin zhu lu ye
    kim lee park choi jung jeong kang cho yoon jang lim oh seo shin kwon hwang ahn ryu hong moon ri pak
    choe jon ban nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly to hun""".split()
)


def east_asian_name(source: str, kind: str) -> bool:
    """A person's name of two words or more that starts with an East Asian family name."""
    words = source.replace("-", " ").split()
    return kind == "person" and len(words) > 1 and words[0].lower().strip(".,") in EAST_ASIAN_FAMILY_NAMES


def _guessed_adjective(key: str):
    """pymorphy3's guess for an adjective it does not know (Балеарские), by its ending."""
    if not re.search(r"(ый|ий|ой|ая|яя|ое|ее|ые|ие)$", key):
        return None
    for p in parses(key):
        if p.tag.POS in ("ADJF", "PRTF") and case_of(p.tag) == "nomn":
            return p
    return None


def _guessed_plural_noun(word: str, key: str):
    """pymorphy3's guess for a common noun's plural it does not know (уотфордцы), or None.

    The ending rules below would take -ы/-и for an indeclinable name; the guesser declines it by
    analogy (бойцы), fleeting vowel included: уотфордцы, уотфордцев.
    """
    if not word.islower() or not key.endswith(("ы", "и")):
        return None
    for p in parses(key):
        if p.tag.POS == "NOUN" and p.tag.number == "plur" and case_of(p.tag) == "nomn":
            return p
    return None


def compile_pattern(
    text: str,
    kind: str = "term",
    case_sensitive: bool = False,
    *,
    gender: str = "",
    fixed: Iterable[str] = (),
    last_only: bool = False,
) -> Pattern:
    """Compile a Russian rendering (written in the nominative) into a :class:`Pattern`.

    ``gender`` (a person's: "masc", "femn", "both"), ``fixed`` (normalised words that never decline;
    "*" for all) and ``last_only`` (only the last word declines: East Asian names) come from the
    glossary entry where its author knows better than the dictionary.
    """
    raw = " ".join(text.split())
    quoted = len(raw) > 2 and raw[0] in OPEN_QUOTES and raw[-1] in CLOSE_QUOTES
    inner = raw[1:-1].strip() if quoted else raw
    tokens = tokenize(inner)
    person = kind == "person"
    fixed = frozenset(fixed)
    specs: list[WordSpec] = []
    grouping = True
    group_number = None  # the words of the group share a number: «Совет Безопасности» stops at the 2nd
    # a person's gender: a woman's foreign surname does not decline; "both": a surname entry for a
    # man and a woman, whose undeclined form stands in any case
    explicit = gender in ("masc", "femn")
    name_gender = gender if explicit else (_name_gender(tokens) if person and gender != "both" else None)
    # a first name in -а/-я the dictionary does not know may be a woman's (Джасинда): then her
    # surname stays as written in every case («Джасинду Ардерн»), a man's declines («Николы Пашича»)
    maybe_woman = person and not gender and name_gender is None and len(tokens) > 1 and norm(tokens[0].text)[-1:] in "ая"
    noun_seen = False
    for pos_in_term, tok in enumerate(tokens):
        word = tok.text
        key = norm(word)
        spec = None
        if grouping and is_cyrillic(word) and not _LATIN.search(word):
            if person and _name_particle(word, key, pos_in_term):
                spec = WordSpec(word, key, frozenset({key}), key, "PRCL", None, True, None, True, "noun", animate=True)
            elif "*" in fixed or key in fixed or (last_only and pos_in_term < len(tokens) - 1):
                spec = WordSpec(word, key, frozenset({key}), key, "NOUN", None, True, None, True, "noun", animate=person)
            else:
                spec = _group_spec(
                    word, key, kind, group_number, name_gender, noun_seen, pos_in_term, len(tokens),
                    lone_surname=explicit and len(tokens) == 1,
                )  # fmt: skip
        if spec is None:
            grouping = False
            specs.append(WordSpec(word, key, frozenset({key}), None, None, None, False, None))
            continue
        if person and (gender == "both" or maybe_woman) and pos_in_term == len(tokens) - 1 and spec.table is not None:
            table = dict(spec.table)
            table[key] = None  # «с Клинтон» (her) and «с Клинтоном» (him): the nominative agrees with any case
            spec = replace(spec, forms=frozenset(table), table=table)
        if spec.parse is not None:
            p = spec.parse
            if group_number is None and "Fixd" not in p.tag and spec.role != "num":
                group_number = p.tag.number
        if spec.role == "noun" and not spec.indeclinable:
            noun_seen = True
        specs.append(spec)
    optional_the = bool(tokens) and tokens[0].text.lower() == "the" and len(tokens) > 1
    gaps = tuple(norm("".join(inner[a.end : b.start].split())) for a, b in zip(tokens, tokens[1:]))
    return Pattern(raw, tuple(specs), quoted, case_sensitive, optional_the, person, gaps)


def _name_particle(word: str, key: str, index: int) -> bool:
    """A particle of a person's name (фон, ван, дер, де, да, ибн, бен, аль, оглы): a word the name
    writes in lower case, where every name of its own is capitalised. It never declines («с Отто фон
    Бисмарком», «Урсулы фон дер Ляйен», «Васко да Гамы»), though the dictionary has «фон», «ван» and
    «бен» as nouns. The first word of a name only where the dictionary reads it as a particle (де
    Голль; «папа Франциск» starts with a title that declines), and never a preposition, which
    governs the words after it («Иисус из Назарета»)."""
    if not word.islower():
        return False
    readings = parses(key)
    first = readings[0] if readings else None
    if first is not None and known(first) and first.tag.POS == "PREP":
        return False
    if index > 0:
        return True
    return first is not None and known(first) and first.tag.POS in ("PRCL", "CONJ")


def _group_spec(
    word: str, key: str, kind: str, group_number, name_gender, noun_seen: bool, index: int, count: int,
    lone_surname: bool = False,
) -> WordSpec | None:
    """The spec of a word of the agreeing group, or None when the group ends before it."""
    readings = parses(key)
    if word.islower() and readings and any(p.tag.POS in ("PREP", "CONJ") and known(p) for p in readings[:1]):
        return None  # a function word: the rest is a fixed tail
    if len(word) > 1 and word.isupper():
        return WordSpec(word, key, frozenset({key}), key, "NOUN", None, True, None, True, "noun")
    person = kind == "person"
    if person and (index > 0 or count == 1) and _plural_adjective_surname(key):
        return WordSpec(word, key, frozenset({key}), key, "NOUN", None, True, None, True, "noun", animate=True)
    candidates = _known_nominatives(key, group_number, person)
    if person and name_gender == "masc":  # a man named like a woman to the dictionary (Эммануэль)
        candidates = [p for p in candidates if not ("Name" in p.tag and p.tag.gender == "femn")]
    if person and name_gender != "femn" and key.endswith("ь"):
        # a man's name is not declined as a feminine common noun («Ёль» is not «ель»: Юн Сок Ёля)
        candidates = [p for p in candidates if p.tag.gender != "femn" or {"Name", "Surn", "Patr"} & set(p.tag.grammemes)]
    if candidates:
        ranked = sorted(candidates, key=_prefer(kind, name_gender))
        spec = _parse_spec(word, key, ranked[0], kind, name_gender)
        if spec.role == "adj" and spec.table is not None:
            # «Большая» is a form of both «большой» and «больший»: either lexeme's forms are the word's
            table = dict(spec.table)
            for other in ranked[1:]:
                if other.tag.POS == ranked[0].tag.POS and other.normal_form != ranked[0].normal_form:
                    for k, v in _parse_spec(word, key, other, kind).table.items():
                        table[k] = table.get(k, frozenset()) | v
            spec = WordSpec(
                spec.text, spec.key, frozenset(table), spec.lemma, spec.pos, spec.gender, True, spec.parse, False,
                spec.role, table, (), spec.animate,
            )  # fmt: skip
        return spec
    if person and "-" in key and (index > 0 or count == 1):
        double = _double_surname_spec(word, key, kind, name_gender, index, count, lone_surname)
        if double is not None:
            return double
    if noun_seen and not person:
        return None  # «университет Джонса Хопкинса»: after the head noun, an unknown word is governed
    guessed = _guessed_adjective(key)
    # a person's surname in -ский/-цкий declines as an adjective after the first name (Матеуш Моравецкий)
    if guessed is not None and (not noun_seen or person):
        return _parse_spec(word, key, guessed, kind)
    known_word = any(known(p) and p.tag.POS in _GROUP_POS for p in readings)
    capitalised = word[:1].isupper()
    if known_word and not (capitalised and kind in _NAME_KINDS):
        return None  # a dictionary word that is not nominative (комитет | по делам ...)
    plural = _guessed_plural_noun(word, key)
    if plural is not None:
        return _parse_spec(word, key, plural, kind)
    female = person and name_gender == "femn" and (index > 0 or lone_surname)
    lenient = person and index > 0 and key[-1:] in "ая" and name_gender != "femn"
    return _rule_spec(word, key, kind, True, female, lenient)


def _plural_adjective_surname(key: str) -> bool:
    """A Russian surname that is an old genitive plural of an adjective (Седых, Черных, Долгих,
    Русских): it never declines, for a man or a woman. Every word in -ых is one; a word in -их only
    where the dictionary has it as an adjective's plural (not Рерих, Дитрих, which decline)."""
    if len(key) < 4 or "-" in key:
        return False  # (a double surname: each part by itself)
    if key.endswith("ых") or key.endswith(("ских", "цких")):
        return True
    return key.endswith("их") and any(known(p) and p.tag.POS == "ADJF" and p.tag.number == "plur" for p in parses(key))


# the suffixes of Russian surnames (Петров, Мамин, Горский, Немирович, and the women's forms)
_RUSSIAN_SURNAME_ENDINGS = ("ов", "ев", "ёв", "ин", "ын", *RUSSIAN_WOMENS_SURNAME_ENDINGS, "ский", "цкий", "ской", "цкой", "ская", "цкая", "ич")


def _russian_surname(key: str) -> bool:
    """A surname of the Russian type: a Russian surname's suffix, and to the dictionary a surname, a
    possessive adjective (мамин) or nothing (never a first name: Мартин, nor another word)."""
    if not key.endswith(_RUSSIAN_SURNAME_ENDINGS) or len(key) < 4:
        return False
    readings = [p for p in parses(key) if known(p)]
    if not readings:
        return True
    first_name = any("Name" in p.tag and p.tag.case == "nomn" and p.tag.number == "sing" for p in readings)
    return any("Surn" in p.tag or "Poss" in p.tag for p in readings) and not first_name


def _double_surname_spec(
    word: str, key: str, kind: str, name_gender: str | None, index: int, count: int, lone_surname: bool
) -> WordSpec | None:
    """A Russian double surname declines both its parts (Петрова-Водкина, Мамина-Сибиряка,
    Прокудина-Горского, Склодовской-Кюри), each as the word it is; None where the first part is not
    a Russian-type surname (Рис-Могга, Жолио-Кюри: only the last part declines, as in a first name)."""
    spelt, keys = re.split(r"[-‐‑]", word), key.split("-")
    if len(keys) != 2 or len(spelt) != 2 or not _russian_surname(keys[0]):
        return None
    parts = [_group_spec(w, k, kind, None, name_gender, False, index, count, lone_surname) for w, k in zip(spelt, keys)]
    if any(p is None for p in parts):
        return None
    first, second = parts
    table: dict[str, frozenset | None] = {}
    for k1 in first.forms:
        r1 = first.readings(k1)
        for k2 in second.forms:
            r2 = second.readings(k2)
            both = r2 if r1 is None else r1 if r2 is None else r1 & r2
            if both is None or both:  # (None: both agree with any case)
                table[f"{k1}-{k2}"] = both
    if all(v is None for v in table.values()):
        return None
    forms = [[p.inflect(c, "sing", True, True) or k for c in CASES] for p, k in zip(parts, keys)]
    if second.parse is None and keys[1].endswith("ин") and f"{keys[1]}ым" in second.forms:
        forms[1][CASES.index("ablt")] = f"{keys[1]}ым"  # a Russian surname's -ым, not a foreign one's -ом
    generated = tuple(((c, "sing"), f"{a}-{b}") for c, a, b in zip(CASES, *forms))
    return WordSpec(word, key, frozenset(table), key, "NOUN", None, True, None, False, "noun", table, generated, True)


def _parse_spec(word: str, key: str, chosen, kind: str, name_gender: str | None = None) -> WordSpec:
    role = _ROLE.get(str(chosen.tag.POS), "noun")
    pos = str(chosen.tag.POS)
    gender = str(chosen.tag.gender) if role == "adj" and chosen.tag.gender else None
    if "Fixd" in chosen.tag:
        return WordSpec(word, key, frozenset({key}), chosen.normal_form, pos, gender, True, chosen, True, role)
    anim = "anim" if ("anim" in chosen.tag or kind == "person") else "inan"
    surname_gender = name_gender if kind == "person" and "Surn" in chosen.tag and name_gender in ("masc", "femn") else None
    table = _lexeme_table(chosen, role, gender, anim, surname_gender)
    table.setdefault(key, frozenset(_feats("nomn", chosen.tag.number or "sing", anim)))
    return WordSpec(
        word, key, frozenset(table), chosen.normal_form, pos, gender, True, chosen, False, role, table, (),
        anim == "anim",
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# matching


@dataclass(frozen=True)
class RuMatch:
    """A pattern found in a token list: ``tokens[first:last+1]``; ``span`` includes optional quotes."""

    pattern: Pattern
    first: int
    last: int
    start: int
    end: int
    agrees: bool
    case: str | None  # the case the words agree on (None when they do not agree or it is unknown)
    number: str | None
    exact_case: bool  # no letter-case error (case-sensitive terms; see letter_case)
    style: bool = False  # a capital where the glossary writes a small letter, not at a sentence start


def _shape(word: str) -> str:
    if len(word) > 1 and word.isupper():
        return "U"
    if word[:1].isupper():
        return "T"
    return "l"


def _gap_fits(pattern: Pattern, k: int, between: str) -> bool:
    """Is ``between`` (the text between two matched words) what the term has between words k, k+1?"""
    want = pattern.gaps[k] if k < len(pattern.gaps) else ""
    if not want:
        return not between.strip()
    return norm("".join(between.split())) == want


def _inner_capital(written: str, found: str) -> bool:
    """Two capitals in a row inside a Cyrillic word that is not all capitals, where the glossary
    writes none («СИмс», «ТАлибан», «МОскве»): a typo, not a way to write the name. A capital inside
    a name after a prefix («ДеБерри», «МакДональдс») is a transcription habit, and one after a
    hyphen or an apostrophe (Жан-Люк) is the rule."""
    if len(found) < 2 or found.isupper() or found[1:].islower() or not is_cyrillic(found):
        return False  # (no capital after the first letter: the usual word, told in C)
    for k in range(1, len(found)):
        if found[k].isupper() and found[k - 1].isupper() and not (k < len(written) and written[k].isupper()):
            return True
    return False


def letter_case(written: str, found: str, at_sentence_start: bool) -> str:
    """Compare a found word's letter case with the glossary's: "ok", "style" or "error"."""
    if found == written:
        return "ok"
    want, got = _shape(written), _shape(found)
    if got == "U":
        return "ok"  # all capitals is a headline or a dateline, not a spelling
    if _inner_capital(written, found):
        return "error"  # «СИмс»
    if want == "l" and got == "T":
        return "ok" if at_sentence_start else "style"
    if want == got:
        return "ok"
    return "error"  # «конгресс» for «Конгресс», «Нато» for «НАТО»


def match_at(pattern: Pattern, tokens: Sequence[Token], i: int, text: str) -> RuMatch | None:
    words = pattern.words
    skip_the = 0
    if i + len(words) > len(tokens) or tokens[i].key not in words[0].forms:
        if pattern.optional_the and len(words) > 1 and tokens[i].key in words[1].forms:
            skip_the = 1
        else:
            return None
    n = len(words) - skip_the
    if i + n > len(tokens):
        return None
    at = None  # the token of each word of the term, where a coordinated modifier stands between
    for k in range(n):
        spec, tok = words[k + skip_the], tokens[i + k]
        if tok.key not in spec.forms:
            at = _coordinated(words, skip_the, n, tokens, i, k, text)
            if at is None:
                return None
            break
        if k and not _gap_fits(pattern, k + skip_the - 1, text[tokens[i + k - 1].end : tok.start]):
            return None  # words of a term are separated by spaces, or by what the term has (McDonald's)
    coordinated = at is not None
    toks = [tokens[a] for a in at] if coordinated else tokens[i : i + n]
    last = at[-1] if coordinated else i + n - 1
    at_start = pattern.case_sensitive and sentence_start(text, tokens[i].start)
    # letter case and agreement depend on nothing but the words (their spelling and keys) and, for
    # a case-sensitive term, whether they start a sentence: worked out once per pattern
    seen = (skip_the, at_start, tuple([t[0] for t in toks]), tuple([t[3] for t in toks]))
    verdict = pattern.verdicts.get(seen)
    if verdict is None:
        verdict = pattern.verdicts[seen] = _verdict(pattern, skip_the, n, toks, at_start)
    agrees, case, number, exact, style = verdict
    if coordinated and not (agrees and exact):
        return None  # only a correct coordination counts: enforcement must never rewrite the other term
    start, end = tokens[i].start, tokens[last].end
    if start > 0 and end < len(text) and text[start - 1] in OPEN_QUOTES and text[end] in CLOSE_QUOTES:
        start, end = start - 1, end + 1
    return RuMatch(pattern, i, last, start, end, agrees, case, number, exact, style)


def _verdict(pattern: Pattern, skip_the: int, n: int, toks: Sequence[Token], at_start: bool) -> tuple:
    """(agrees, case, number, exact case, style) of the words ``toks`` as the pattern's words."""
    words = pattern.words
    exact, style = True, False
    if pattern.case_sensitive:
        for k in range(n):
            verdict = letter_case(words[k + skip_the].text, toks[k].text, at_start and k == 0)
            exact &= verdict != "error"
            style |= verdict == "style"
    else:  # any term: a capital inside a word is a typo («СИмс»), not a way to write the name
        exact = not any(_inner_capital(words[k + skip_the].text, toks[k].text) for k in range(n))
    agrees, readings = _agreement([words[k + skip_the] for k in range(n)], toks, pattern.person)
    case = number = None
    if agrees and readings:
        case, number = _reading_case(readings)
    return agrees, case, number, exact, style


_COORDINATORS = frozenset({"и", "или", "либо"})


def _coordinated(words, skip_the: int, n: int, tokens: Sequence[Token], i: int, k: int, text: str) -> list[int] | None:
    """The token of each word of the term when word ``k`` is a head noun shared with a coordinated
    modifier («Канарских и Балеарских островов»), else None."""
    gap = _coordinated_gap(words[k + skip_the - 1] if k else None, words[k + skip_the], tokens, i + k, text)
    if not gap or i + n - 1 + gap >= len(tokens):
        return None
    at = list(range(i, i + k)) + [a + gap for a in range(i + k, i + n)]
    for j in range(k + 1, n):
        if tokens[at[j]].key not in words[j + skip_the].forms or text[tokens[at[j] - 1].end : tokens[at[j]].start].strip():
            return None
    return at


def _coordinated_gap(prev: WordSpec | None, spec: WordSpec, tokens: Sequence[Token], j: int, text: str) -> int:
    """How many tokens of another coordinated modifier stand before the head noun ``spec``, or 0.

    «Канарских и Балеарских островов» names the Canary Islands and the Balearic Islands: after the
    term's adjective come «и», another adjective, then the shared head noun.
    """
    if prev is None or prev.role != "adj" or spec.role != "noun" or j + 2 >= len(tokens):
        return 0
    conj, other, head = tokens[j], tokens[j + 1], tokens[j + 2]
    if conj.key not in _COORDINATORS or head.key not in spec.forms:
        return 0
    if any(text[a.end : b.start].strip() for a, b in ((tokens[j - 1], conj), (conj, other), (other, head))):
        return 0
    if not any(p.tag.POS in ("ADJF", "PRTF") for p in parses(other.key)):
        return 0
    return 2


def _agreement(specs: Sequence[WordSpec], toks: Sequence[Token], person: bool) -> tuple[bool, frozenset | None]:
    """Do the group's words agree? Also the readings they share (for the case of the match)."""
    group = [k for k, s in enumerate(specs) if s.in_group]
    feats = {k: specs[k].readings(toks[k].key) for k in group}
    nouns = [k for k in group if specs[k].role == "noun"]
    agrees = True
    shared: frozenset | None = None

    def meet(a, b):
        return b if a is None else a if b is None else a & b

    for k in group:
        if specs[k].role != "adj":
            continue
        after = [j for j in nouns if j > k]
        before = [j for j in nouns if j < k]
        head = after[0] if after else (before[-1] if before else None)
        if head is None:
            shared = meet(shared, feats[k])
            continue
        both = meet(feats[k], feats[head])
        if both is not None and not both:
            agrees = False
        shared = meet(shared, both)
    if person:
        for k in nouns:
            shared = meet(shared, feats[k])
        if shared is not None and not shared:
            agrees = False
    else:
        nums = [k for k in group if specs[k].role == "num" and feats[k] is not None]
        for k in nums:
            governed = [j for j in nouns if j > k and feats[j] is not None]
            if governed and not _numeral_governs(feats[k], feats[governed[0]]):
                agrees = False  # «Пять глазам»
        heads = [k for k in nouns if feats[k] is not None]
        if nums:  # «Пяти глаз»: the numeral carries the case
            shared = feats[nums[0]]
        elif heads:
            both = meet(shared, feats[heads[-1]])
            shared = both if both else shared
    return agrees, (shared or None)


def _numeral_governs(numeral: frozenset, noun: frozenset) -> bool:
    """A cardinal in the nominative/accusative takes the genitive plural (Пять глаз); in another case
    the noun shares its case (Пяти глаз, Пятью глазами)."""
    num_cases = {r.split(".")[0] for r in numeral}
    noun_cases = {r.split(".")[0] for r in noun if r.split(".")[1] == "plur"}
    if num_cases & {"nomn", "accs"} and "gent" in noun_cases:
        return True
    return bool(num_cases & noun_cases - {"nomn", "accs"})


def token_index(tokens: Sequence[Token]) -> tuple[dict[str, list[int]], list[int]]:
    """Where each key is in ``tokens``, and which tokens are hyphenated: for :func:`find_pattern`,
    made once per text where many patterns are looked for in it."""
    index: dict[str, list[int]] = {}
    for i, tok in enumerate(tokens):
        index.setdefault(tok.key, []).append(i)
    return index, [i for i, tok in enumerate(tokens) if "-" in tok.key]


def find_pattern(
    pattern: Pattern,
    tokens: Sequence[Token],
    text: str,
    keys: frozenset[str] | set[str] | None = None,
    where: tuple[dict[str, list[int]], list[int]] | None = None,
) -> list[RuMatch]:
    """Every occurrence of ``pattern``; ``keys`` (the set of the tokens' keys) lets it skip early,
    ``where`` (:func:`token_index` of the tokens, with ``keys``) go straight to its first words."""
    out = []
    first = pattern.words[0].forms if pattern.words else frozenset()
    second = pattern.words[1].forms if pattern.optional_the else frozenset()
    if keys is not None:
        if first.isdisjoint(keys) and second.isdisjoint(keys):
            return out
        # every word after the first is in a match (a coordinated one too: «Канарских и Балеарских
        # островов» has the head noun): a text without a form of one of them has none
        for w in pattern.words[1:]:
            if w.forms.isdisjoint(keys):
                return out
    if where is not None and keys is not None:
        index, hyphenated = where
        # the tokens the loop below would try, in the same order
        at = [i for key in first & keys for i in index.get(key, ())]
        if second:
            at += [i for key in second & keys if key not in first for i in index.get(key, ())]
        if len(pattern.words) == 1 and hyphenated:
            at += [i for i in hyphenated if tokens[i].key not in first and tokens[i].key not in second]
        at.sort()
        for i in at:
            tok = tokens[i]
            if tok.key in first or tok.key in second:
                m = match_at(pattern, tokens, i, text)
            else:
                m = _match_in_compound(pattern, tok, i, text)
            if m is not None:
                out.append(m)
        return out
    for i, tok in enumerate(tokens):
        if tok.key in first or tok.key in second:
            m = match_at(pattern, tokens, i, text)
            if m is not None:
                out.append(m)
        elif len(pattern.words) == 1 and "-" in tok.key:
            m = _match_in_compound(pattern, tok, i, text)
            if m is not None:
                out.append(m)
    return out


@lru_cache(maxsize=1)
def _segment() -> re.Pattern:
    """(Compiled on first need: only a hyphenated word asks.)"""
    return re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")


def _match_in_compound(pattern: Pattern, tok: Token, i: int, text: str) -> RuMatch | None:
    """A one-word term as a part of a hyphenated compound: «коллег-республиканцев», «Техрик-и-Талибан»."""
    for seg in _segment().finditer(tok.text):
        key = norm(seg.group(0))
        if len(key) > 2 and key in pattern.words[0].forms:
            part = Token(seg.group(0), tok.start + seg.start(), tok.start + seg.end(), key)
            m = match_at(pattern, [part], 0, text)
            if m is not None:
                return replace(m, first=i, last=i)
    return None


@dataclass
class CompiledTerm:
    target: Pattern
    alternatives: tuple[Pattern, ...]
    forbidden: tuple[Pattern, ...]

    @property
    def accepted(self) -> tuple[Pattern, ...]:
        return (self.target, *self.alternatives)

    @cached_property
    def alternative_starts(self) -> frozenset[str]:
        """Keys any alternative can start with: a text with none of them holds no alternative."""
        return _starts(self.alternatives)

    @cached_property
    def forbidden_starts(self) -> frozenset[str]:
        return _starts(self.forbidden)


def _starts(patterns: Iterable[Pattern]) -> frozenset[str]:
    """The keys ``find_pattern`` looks for first (see its early return), over several patterns."""
    out: set[str] = set()
    for p in patterns:
        if p.words:
            out |= p.words[0].forms
        if p.optional_the:
            out |= p.words[1].forms
    return frozenset(out)


class NearVerdicts:
    """Per term, ``table``: a word's key -> the form of the term it misspells ("" for none), and
    ``misspelt``: the keys that misspell one (a text with none of them has no near miss: one set
    operation). ``table`` is a plain dict: a set's ``difference`` with it runs over the set in C."""

    __slots__ = ("table", "misspelt")

    def __init__(self):
        self.table: dict[str, str] = {}
        self.misspelt: set[str] = set()


class RussianMatcher:
    """Compiled Russian renderings of every term, indexed by the forms of their first word."""

    def __init__(self, terms: Sequence[Term]):
        self.terms = list(terms)
        self._compiled: dict[Term, CompiledTerm] = {}
        self._index: dict[str, list[tuple[Term, Pattern]]] | None = None
        self._near: dict[Term, dict] = {}
        self._near_verdicts: dict[Term, NearVerdicts] = {}
        self._plain: dict[tuple[str, str], Pattern] = {}
        self.windows: dict[Term, object] = {}  # window.TermWindow, made by the check

    def compiled(self, term: Term) -> CompiledTerm:
        c = self._compiled.get(term)
        if c is None:
            cs = bool(term.case_sensitive)
            how = {"gender": term.gender, "fixed": term.indeclinable, "last_only": east_asian_name(term.source, term.kind)}
            alternatives = tuple(compile_pattern(a, term.kind, cs, **how) for a in term.alternatives)
            if term.kind == "person" and not term.gender and _maybe_a_man(term.bare_target):
                # «Эммануэль» is a woman's name to the dictionary, but «Эммануэлем Макроном» is a man:
                # his declined reading is accepted too (Хиллари, which cannot decline, stays hers)
                alternatives += (compile_pattern(term.target, term.kind, cs, **{**how, "gender": "masc"}),)
            c = CompiledTerm(
                compile_pattern(term.target, term.kind, cs, **how),
                alternatives,
                tuple(compile_pattern(f, term.kind, False, gender=term.gender) for f in term.forbidden),
            )
            self._compiled[term] = c
        return c

    def plain_pattern(self, text: str, kind: str) -> Pattern:
        """``compile_pattern(text, kind)``, compiled once per matcher."""
        key = (text, kind)
        pattern = self._plain.get(key)
        if pattern is None:
            pattern = self._plain[key] = compile_pattern(text, kind)
        return pattern

    def near_index(self, term: Term) -> dict[str, object]:
        """The forms of the term's accepted renderings by first letter (``"*"``: all of them), for
        finding misspellings; cached per term."""
        idx = self._near.get(term)
        if idx is None:
            every: set[str] = set()
            for pattern in self.compiled(term).accepted:
                for w in pattern.words:
                    every |= w.forms
            idx = {}
            for f in sorted(every):
                if len(f) >= 4 and is_cyrillic(f):
                    idx.setdefault(f[:1], []).append(f)
            if idx:
                idx["*"] = frozenset(every)
            self._near[term] = idx
        return idx

    def near_verdicts(self, term: Term) -> NearVerdicts:
        """Per term, what each word misspells (see :class:`NearVerdicts`): filled by ``near_misses``."""
        verdicts = self._near_verdicts.get(term)
        if verdicts is None:
            verdicts = self._near_verdicts[term] = NearVerdicts()
        return verdicts

    def _build_index(self) -> dict[str, list[tuple[Term, Pattern]]]:
        index: dict[str, list[tuple[Term, Pattern]]] = {}
        for term in self.terms:
            for pattern in self.compiled(term).accepted:
                if not pattern.words:
                    continue
                keys = set(pattern.words[0].forms)
                if pattern.optional_the:
                    keys |= pattern.words[1].forms
                for key in keys:
                    index.setdefault(key, []).append((term, pattern))
        return index

    def find(self, text: str) -> list[TermMatch]:
        """Every term (target or alternative, any inflected form) in a Russian text."""
        if self._index is None:
            self._index = self._build_index()
        tokens = tokenize(text)
        candidates = []
        seen = set()
        for i, tok in enumerate(tokens):
            for term, pattern in self._index.get(tok.key, ()):
                if (id(pattern), i) in seen:
                    continue
                seen.add((id(pattern), i))
                m = match_at(pattern, tokens, i, text)
                if m is not None and (m.exact_case or not pattern.case_sensitive):
                    candidates.append(TermMatch(term, m.start, m.end, text[m.start : m.end]))
        return select_longest(candidates)


# ---------------------------------------------------------------------------------------------------
# inflection


def _restore_case(model: str, word: str) -> str:
    """``word`` written with ``model``'s capitals, part by part for О'Брайен and Грейтер-Нойда."""
    parts_m = re.split(r"([-‐‑'’ʼ])", model)
    parts_w = re.split(r"([-‐‑'’ʼ])", word)
    if len(parts_m) > 1 and len(parts_m) == len(parts_w):
        return "".join(_restore_case(m, w) if k % 2 == 0 else m for k, (m, w) in enumerate(zip(parts_m, parts_w)))
    if len(model) > 1 and model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@lru_cache(maxsize=20_000)
def inflect_pattern(pattern: Pattern, case: str, number: str = "sing", person: bool = False) -> str:
    """The pattern's text with its agreeing group put in ``case`` and ``number``; tail unchanged.

    After a numeral (Пять глаз) the noun stays as written in the nominative and accusative and
    takes the numeral's case in the plural otherwise (Пяти глаз, Пятью глазами).
    """
    keep_yo = "ё" in pattern.text.lower()
    animate = person or pattern.animate
    out = []
    after_numeral = False
    for spec in pattern.words:
        word = spec.text
        c, num = case, number
        if after_numeral and spec.role in ("noun", "adj"):
            if case in ("nomn", "accs"):
                out.append(word)
                continue
            num = "plur"
        if spec.role == "num":
            after_numeral = True
        if spec.in_group and not spec.indeclinable and (c != "nomn" or num == "plur"):
            w = spec.inflect(c, num, animate, person)
            if w is not None:
                if not keep_yo:
                    w = w.replace("ё", "е")
                word = _restore_case(spec.text, w)
        out.append(word)
    return _join_like(pattern, out)


def _join_like(pattern: Pattern, words: list[str]) -> str:
    """Rebuild the pattern's text with new words (keeps its punctuation and spacing)."""
    raw = pattern.text
    inner = raw[1:-1].strip() if pattern.quoted else raw
    pieces = []
    pos = 0
    for tok, word in zip(tokenize(inner), words):
        pieces.append(inner[pos : tok.start])
        pieces.append(word)
        pos = tok.end
    pieces.append(inner[pos:])
    text = "".join(pieces)
    return f"{raw[0]}{text}{raw[-1]}" if pattern.quoted else text


def all_forms(pattern: Pattern, kind: str = "term") -> list[tuple[str, str, str]]:
    """Every inflected form of a term: (case, number, text), nominative singular first, no repeats.

    Plural forms only for common nouns (kinds ``term`` and ``title``): names have none.
    """
    out = []
    seen = set()
    head = pattern.head
    person = kind == "person"
    plural_ok = (
        kind in ("term", "title")
        and head is not None
        and head.parse is not None
        and not {"Sgtm", "Fixd", "Pltm"} & set(head.parse.tag.grammemes)
    )
    for number in ("sing", "plur") if plural_ok else (pattern.number,):
        for case in CASES:
            text = inflect_pattern(pattern, case, number, person)
            if text not in seen:
                seen.add(text)
                out.append((case, number, text))
    return out


# ---------------------------------------------------------------------------------------------------
# transliteration (for finding a model's rendering of a name)

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip


_TRANSLIT_TABLE = {ord(k): v for k, v in _TRANSLIT.items()}


@lru_cache(maxsize=1)
def _translit_res() -> tuple[re.Pattern, re.Pattern]:
    return re.compile(r"(.)\1+"), re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=20_000)
def translit(text: str) -> str:
    """A rough Latin spelling for fuzzy comparison (not a transliteration standard)."""
    doubled, other = _translit_res()
    s = text.lower().translate(_TRANSLIT_TABLE)
    s = s.replace("ck", "k").replace("c", "k").replace("w", "v").replace("ph", "f").replace("q", "k")
    s = doubled.sub(r"\1", s)  # double letters are the usual misspelling (Скапарротти)
    return other.sub(" ", s).strip()


def iter_windows(tokens: Sequence[Token], text: str, sizes: Iterable[int]):
    """Contiguous runs of tokens separated by spaces only: (first, last) index pairs."""
    # joined[k]: only spaces (or nothing) between token k and token k + 1
    joined = [not text[a.end : b.start].strip() for a, b in zip(tokens, tokens[1:])]
    for size in sizes:
        if size < 1:
            continue
        for i in range(len(tokens) - size + 1):
            j = i + size - 1
            if all(joined[i:j]):
                yield i, j
