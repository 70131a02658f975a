"""Quality checks of one translation at a time: numbers, quotes, punctuation, Latin letters, ...

Each check is a small :class:`~tolmach.checks.base.Check` subclass registered under the
``tolmach.checks`` entry point group (see ``pyproject.toml``). Checks are cheap by design: a project
of 10,000 entries is checked in well under a second, so everything here is plain ``re`` with
patterns compiled once, and no sentence splitter or morphology library is loaded.

Speed (``bench/check_speed.py``: these 15 checks over 10,000 entries in about 0.15 s of CPU on the
loaded 2-core bench VM, 0.38 s before) comes from three habits, and from the runner, which runs
each check over a chunk of entries at a time (:func:`tolmach.checks.runner.check_entries`). A check
first asks a question that one C-level step answers and that rules the entry out for certain (no
character that can start a URL, e-mail or placeholder; the two texts start with letters that fold
differently, so the target is no copy), and only then runs its regexes, written to start with a
character set or a string so that the engine skips to the candidates at C speed. A check that finds
nothing returns the empty tuple :data:`NOTHING` rather than a generator to be created and run. What
several checks need of one entry (its URLs, e-mails and placeholders, :func:`entry_spans`) is worked
out once. Every shortcut is exact, never a heuristic: it may only skip work that cannot produce a
finding, and ``tests/test_checks_fast_paths.py`` holds the boundary cases of each and compares each
rewritten pattern with the plain one over many texts.

Severities: ``error`` where the meaning or a machine-readable part is broken (a changed number, a
lost URL or placeholder, straight quotes or mixed-script words in Russian); ``warning`` for style
and for heuristics that can be legitimately wrong (sentence count, length ratio, untranslated).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from typing import Iterable

from ..markup import HTML, MARKDOWN
from .base import ERROR, INFO, WARNING, Check, CheckEntry, Finding
from .markup import blank_code_elements, blank_syntax, entry_markup

# --------------------------------------------------------------------------------------------------
# Shared text helpers

_SPACES = " \u00a0\u2009\u202f"  # space, no-break space, thin space, narrow no-break space

_TLDS = "com|org|net|ru|su|info|io|gov|edu|uk|de|fr|ua|by|kz|me|tv|eu|int|media|news"
# A bare domain counts as a URL only in lower case: "Lenta.ru" and "Amazon.com" are names that a
# translation may transliterate ("Лента.ру"), "lenta.ru/news" is an address.
_URL_RE = re.compile(
    r"(?i:https?://|ftp://|www\.)[^\s<>\"«»“”„]+"
    r"|(?<![\w@.-])(?:[a-z0-9][a-z0-9-]*\.)+"
    r"(?:" + _TLDS + r")"
    r"(?:/[^\s<>\"«»“”„]*)?(?![\w-])"
)
# "://", "www." or a TLD after a full stop, in any case: found at its ":" or ".", so that the pattern
# starts with a set of two characters that are in no case (a case-insensitive letter first would
# have the engine try the pattern at every character)
_URL_HINT_RE = re.compile(r"[:.](?:(?<=:)//|(?<=www\.)|(?<=\.)(?:" + _TLDS + r")\b)", re.IGNORECASE)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL_TRAILING = ".,;:!?)]}»\"'’”“…"

# Placeholders that are unambiguous in running text. printf-style ``%s``/``%d`` only count when the
# entry carries a ``*-format`` flag: news text has "50% of" and that must not look like ``% o``.
_PLACEHOLDER_PATTERN = (
    r"%\([\w.]+\)[-#0 +]*\d*(?:\.\d+)?[sdifeEgGxXorcab%]"  # %(name)s
    r"|\{\{|\}\}"  # escaped braces
    r"|\{[\w.\[\]]*(?:![rsa])?(?::[^{}\s]*)?\}"  # {0} {name} {name:>10}
    r"|\$\{\w+\}"  # ${name}
    r"|</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>"  # <b> </a> <br/>
)
_PLACEHOLDER_RE = re.compile(_PLACEHOLDER_PATTERN + r"|&(?:[a-z]+|#\d+|#x[0-9a-f]+);", re.IGNORECASE)  # &amp; &#160;
# In a unit of a Markdown or HTML article a character reference is the character it stands for
# (the model sees "AT&T" and a no-break space, and writes them so; «да» renders &quot;yes&quot;):
# no placeholder to keep, and the checks of the text read the character. In a catalog of another
# tool's strings an "&amp;" is a token of the program's markup, kept as it is.
_UNIT_PLACEHOLDER_RE = re.compile(_PLACEHOLDER_PATTERN, re.IGNORECASE)
_ENTITY_RE = re.compile(r"&(?:[a-z][a-z0-9]*|#\d+|#x[0-9a-f]+);", re.IGNORECASE)
_PRINTF_RE = re.compile(r"%(?:\d+\$)?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|z|j|t)?[diouxXeEfFgGcsra%]")
# Each placeholder above has one of these ("%(", a brace, "<", "&"): a "%" alone ("3.5%") is none.
# (That is "[{}<&]|%\(" written to start with a character set, which the engine scans for at C speed.)
_PLACEHOLDER_HINT_RE = re.compile(r"[%{}<&](?:(?<!%)|\()")
_FORMAT_FLAGS = ("c-format", "python-format", "php-format", "sh-format", "perl-format", "qt-format")
_FORMAT_FLAG_SET = frozenset(_FORMAT_FLAGS)
# _URL_RE matches only where there is "://", a "www." (a "w" or "W" before a full stop: no other
# character matches (?i:w)) or a bare domain, that is a full stop before a lower-case TLD's first
# letter. Far fewer texts have one of these than have a full stop, and this pattern starts with a
# character set, which the regex engine scans for at C speed.
_TLD_INITIALS = "".join(sorted({tld[0] for tld in _TLDS.split("|")}))
_URL_POSSIBLE_RE = re.compile(r"[.:](?:(?<=:)//|(?<=[wW]\.)|(?<=\.)[" + _TLD_INITIALS + "])")
# The full stops of a possible URL: a pattern that starts with one character is scanned for about
# ten times faster than one that starts with a set (a plain loop, not a test of the set at every character)
_DOT_SPAN_RE = re.compile(r"\.(?:(?<=[wW]\.)|[" + _TLD_INITIALS + "])")


def _may_have_spans(text: str) -> bool:
    """Whether the text may hold any of the three: an "@" (e-mails), a placeholder hint, a possible
    URL (a ":" counts only before "//"); asked as substring tests and a search for the full stops,
    about half the cost of one scan for the set of their characters (tests/test_checks_fast_paths.py
    holds that pattern, and compares the two)."""
    return ("@" in text or "%" in text or "{" in text or "}" in text or "$" in text or "<" in text or "&" in text
            or "://" in text or _DOT_SPAN_RE.search(text) is not None)


NOTHING: tuple = ()  # what a check returns for an entry it has nothing to say about

_LATIN_RE = re.compile(r"[A-Za-z]")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_WORD_RE = re.compile(r"[^\W_](?:[^\W_]|['’\-](?=[^\W_]))*")
_ROMAN_RE = re.compile(r"M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")

# Tolmach's catalogs say "#. tolmach: credit, unit 3 of 12" (see tolmach.catalog); "kind: credit" too.
_CREDIT_COMMENT_RE = re.compile(
    r"^(?:tolmach:\s*)?(?:(?:unit[ _-]?)?kind\s*[:=]\s*|type\s*[:=]\s*|photo\s+)?credit\b", re.IGNORECASE
)

# Latin words a Russian news text keeps as they are: news agencies and photo banks (credit lines
# "Name / AP"), and a few abbreviations Russian newsrooms do not transliterate.
COMMON_LATIN = frozenset(
    """
    AP AFP EPA Reuters Getty Images Bloomberg Xinhua DPA ANP UPI Shutterstock Unsplash Flickr
    Wikimedia Commons CC BY SA ND NC Pool Pexels Imago Alamy Scanpix Sipa Anadolu Kyodo Yonhap
    ABACA PA TASS EFE ANSA Zuma Press Wire Photo Video Source
    COVID SARS CoV IT PR SMS GPS USB Wi Fi Wi-Fi online e-mail email PDF URL HTML DNA VIP VPN
    IPO GDP CEO
    """.split()
)


@lru_cache(maxsize=512)
def technical_spans(text: str, printf: bool = False, markdown: bool = False,
                    html: bool = False) -> tuple[list[str], list[str], list[str], str]:
    """URLs, e-mails and placeholders found in ``text``, and the text with all of them blanked out;
    for a Markdown unit (``markdown``) also its code spans, autolinks, and the destinations, titles
    and labels of its links and images (:func:`~tolmach.checks.markup.syntax_ranges`): a link's
    ``"title"`` is no straight quote of the translation, a code span's ``nato_stats.csv`` no Latin
    word of it. For an HTML unit (``html``) its code elements (``<code>``, ``<kbd>``, ``<var>``);
    its tags are placeholders. In either, a character reference (``&amp;``, ``&nbsp;``) is no
    placeholder: the text comes back with the character it stands for (:data:`_UNIT_PLACEHOLDER_RE`)."""
    if markdown or html:
        blanked = blank_syntax(text) if markdown else blank_code_elements(text)
        urls, emails, placeholders, masked = _spans(text, printf, True)  # the URLs as written (a link's too)
        if blanked != text:  # the text without the syntax
            masked = _spans(blanked, printf, True)[3]
        if markdown and "\\" in text:
            # the URLs and e-mails a reader sees: a backslash escape is none of their characters
            # ("a/\_b" reads "a/_b"; the build escapes such marks in what the model wrote)
            urls, emails = _spans(_MD_ESCAPE_RE.sub(r"\1", text), printf, True)[:2]
        return urls, emails, placeholders, masked
    return _spans(text, printf, False)


# A CommonMark backslash escape: a backslash before an ASCII punctuation character
_MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _spans(text: str, printf: bool, unit: bool) -> tuple[list[str], list[str], list[str], str]:
    """:func:`technical_spans` of a text as it stands; ``unit``: of a Markdown or HTML unit."""
    if not _may_have_spans(text):
        return [], [], [], text  # no "@", no placeholder hint, no possible URL: most texts
    urls: list[str] = []
    emails: list[str] = []
    placeholders: list[str] = []

    def take(bucket: list[str], strip: bool):
        def repl(m: re.Match) -> str:
            value = m.group(0)
            found = value.rstrip(_URL_TRAILING) if strip else value
            if value[len(found):].startswith(")") and found.count("(") > found.count(")"):
                found += ")"  # https://en.wikipedia.org/wiki/Kabul_(city)
            bucket.append(found)
            return " " + value[len(found):]

        return repl

    masked = text
    if "@" in masked:
        masked = _EMAIL_RE.sub(take(emails, False), masked)
    # _URL_POSSIBLE_RE first: a cheaper condition without which _URL_RE cannot match (see there)
    if _URL_POSSIBLE_RE.search(masked):
        hint = _URL_HINT_RE.search(masked)
        if hint is not None:
            masked = _sub_urls(masked, hint, take(urls, True))
    if _PLACEHOLDER_HINT_RE.search(masked):
        masked = (_UNIT_PLACEHOLDER_RE if unit else _PLACEHOLDER_RE).sub(take(placeholders, False), masked)
    if printf and "%" in masked:
        masked = _PRINTF_RE.sub(take(placeholders, False), masked)
    if unit and "&" in masked:
        masked = decode_entities(masked)  # (after the tags: "&lt;b&gt;" is text, no tag)
    return urls, emails, placeholders, masked


def _sub_urls(text: str, hint: re.Match, repl) -> str:
    """``_URL_RE.sub(repl, text)``; ``hint``: the first match of :data:`_URL_HINT_RE` in ``text``.

    _URL_RE has no character set or string to start with, so its own search tries it at every
    character (most of the time spent on a text with a URL). But every match of it holds a match of
    _URL_HINT_RE with no space before it in the match: "https://" the ":" after the scheme,
    "www." its ".", a bare domain the "." before its TLD (after which comes a "/" or no word
    character, the hint's \b). So a match that starts at or after ``pos`` starts after the last
    space before the first hint at or after ``pos``: the search for it starts there, with the text
    before in view (the look-behind sees it), and the hints are found at C speed. Each search goes
    on from where the last match ended, as ``sub`` does (_URL_RE never matches the empty string)."""
    pieces: list[str] = []
    done = 0  # text[:done] is in pieces
    while hint is not None:
        start = text.rfind(" ", done, hint.start()) + 1
        m = _URL_RE.search(text, start if start > done else done)
        if m is None:
            break
        pieces.append(text[done:m.start()])
        pieces.append(repl(m))
        done = m.end()
        hint = _URL_HINT_RE.search(text, done)
    if not done:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def decode_entities(text: str) -> str:
    """The text with each character reference (``&amp;``, ``&#160;``, ``&nbsp;``) replaced by its
    character, as CommonMark and HTML read them: an unknown name stays as it is."""
    if "&" not in text:
        return text
    from html import unescape  # (here: html.entities' table costs every check run's start-up ~4 ms)

    return _ENTITY_RE.sub(lambda m: unescape(m.group(0)), text)


def _has_printf(entry: CheckEntry) -> bool:
    return not _FORMAT_FLAG_SET.isdisjoint(entry.flags)


Spans = tuple[list[str], list[str], list[str], str]  # what technical_spans gives for one text
# entry id -> (the entry, its spans), for the entries the runner is checking now (it checks a chunk
# of entries at a time, each check over the whole chunk). Each entry is held while its id is a key,
# so no other object can take that id; all go at once when the dict is full.
_NONE: list[str] = []  # the spans of a text without any; read only (technical_spans fills lists of its own)
_spans_by_entry: dict[int, tuple[CheckEntry, tuple[Spans, Spans]]] = {}
_SPANS_KEPT = 1024


def entry_spans(entry: CheckEntry) -> tuple[Spans, Spans]:
    """:func:`technical_spans` of the entry's source and target (printf placeholders where a
    ``*-format`` flag says so, the syntax of a unit of a Markdown article, the code elements of a
    unit of an HTML page), worked out once for all the checks that ask (a :class:`CheckEntry` is
    frozen: its texts and flags cannot change)."""
    kept = _spans_by_entry.get(id(entry))
    if kept is not None and kept[0] is entry:
        return kept[1]
    # technical_spans' own first test, asked here of both texts at once (no match of that pattern
    # can take in the line feed between them): most entries have nothing to find, and their spans
    # are made without a cache look-up, new lists or the format flags (which only matter for a "%");
    # the syntax of a Markdown or HTML unit needs one of its characters, a character reference an "&"
    source, target = entry.source, entry.target
    both = source + "\n" + target
    markup = (entry_markup(entry) if "[" in both or "`" in both or "<" in both or "&" in both or "\\" in both
              else None)
    markdown, html = markup == MARKDOWN, markup == HTML
    if not markdown and not _may_have_spans(both):  # (an HTML tag starts with a "<")
        spans = ((_NONE, _NONE, _NONE, source), (_NONE, _NONE, _NONE, target))
    else:
        printf = _has_printf(entry)
        spans = (technical_spans(source, printf, markdown, html), technical_spans(target, printf, markdown, html))
    if len(_spans_by_entry) >= _SPANS_KEPT:
        _spans_by_entry.clear()
    _spans_by_entry[id(entry)] = (entry, spans)
    return spans


_CREDIT_SHAPE_RE = re.compile(r"^[^/\n]{1,80}\s/\s*([\w .&-]{1,40})$")


def is_credit(entry: CheckEntry) -> bool:
    """Photo credits ("Name / Agency"): marked so by the segmenter (a ``#. kind: credit`` comment),
    or shaped so and ending in a known agency ("Imagine China / Reuters")."""
    if any(_CREDIT_COMMENT_RE.search(c.strip()) for c in entry.comments):
        return True
    m = _CREDIT_SHAPE_RE.match(entry.source.strip())
    return bool(m) and any(w in COMMON_LATIN for w in m.group(1).split())


@lru_cache(maxsize=64)
def _lang(code: str) -> str:
    return (code or "").replace("-", "_").split("_")[0].lower()


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------------------------------
# Numbers


_GROUP_SEP = "[" + _SPACES + "]"
_NUMBER = {
    # 1,000  1,000.5  3.14  2007
    "en": r"\d{1,3}(?:,\d{3})+(?![\d])(?:\.\d+)?|\d+\.\d+|\d+",
    # 1 000  1 000,5  3,14  3.14  2007
    "ru": r"\d{1,3}(?:" + _GROUP_SEP + r"\d{3})+(?![\d])(?:,\d+)?|\d+[,.]\d+|\d+",
}
_MULTIPLIER = {
    "en": r"thousand|million|billion|trillion|bn|mln|m|k",
    "ru": r"тыс|тысяч[аиуе]?|млн|миллион\w*|млрд|миллиард\w*|трлн|триллион\w*",
}
# A date "12.03.2007" first (three numbers), else a number with an optional multiplier word.
# Compiled on first use: the fast pattern below does the common case, this one only a one-letter
# multiplier right after a number ("5m", "£40m").
@lru_cache(maxsize=2)
def _num_re(lang: str) -> re.Pattern:
    return re.compile(
        r"(?=\d)(?<![\d.,])(?:(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?!\d)"
        r"|(" + _NUMBER[lang] + r")(?![\d])(?:([" + _SPACES + r"-]?)(" + _MULTIPLIER[lang] + r")(?!\w))?)",
        re.IGNORECASE,
    )


# The same pattern with its first digit taken out of the alternatives, so that it starts with a
# character set (the regex engine then skips to the next digit at C speed instead of trying the
# pattern at every position): "\d{1,3}" becomes the first digit and "\d{0,2}", "\d+" becomes it and
# "\d*", and the look-behind moves past that digit. The alternatives are tried in the same order and
# match the same text. Where giving back a digit can never help (what must follow is not a digit)
# the quantifier is possessive ("\d*+"), so the engine does not try. Groups: first digit, rest of
# the day, month, year, rest of the number, space, multiplier word.
_NUMBER_REST = {
    "en": r"\d{0,2}+(?:,\d{3})+(?![\d])(?:\.\d+)?|\d*+\.\d+|\d*+",
    "ru": r"\d{0,2}+(?:" + _GROUP_SEP + r"\d{3})+(?![\d])(?:,\d+)?|\d*+[,.]\d+|\d*+",
}
# The multiplier words grouped by their first letter, tried once each: every word is letters up to
# the "(?!\w)", so whichever alternative matches, it matches the whole run of letters there.
_MULTIPLIER_GROUPED = {
    "en": r"t(?:housand|rillion)|m(?:illion|ln)?|b(?:illion|n)|k",
    "ru": r"т(?:ыс(?:яч[аиуе]?)?|рлн|риллион\w*)|м(?:лн|лрд|иллион\w*|иллиард\w*)",
}
_NUM_FAST_PATTERN = {
    lang: r"(\d)(?<![\d.,]\d)(?:(\d?+)\.(\d{1,2}+)\.(\d{4}|\d{2})(?!\d)"
    r"|(" + _NUMBER_REST[lang] + r")(?![\d])(?:([" + _SPACES + r"-]?+)(" + _MULTIPLIER_GROUPED[lang] + r")(?!\w))?)"
    for lang in ("en", "ru")
}
_NUM_FAST_RE = {lang: re.compile(pattern, re.IGNORECASE) for lang, pattern in _NUM_FAST_PATTERN.items()}
# For a text all in ASCII the ASCII meaning of \d and \w is the same, and the engine tests it faster.
_NUM_FAST_ASCII_RE = {lang: re.compile(pattern, re.IGNORECASE | re.ASCII) for lang, pattern in _NUM_FAST_PATTERN.items()}
_NO_GROUP_SEP = str.maketrans("", "", _SPACES)

# A telephone number, "+7 495 123-45-67", "+1 (202) 555-0100": one number, its digits, in either
# language (Russian would read "7 495 123" as seven million, English as three numbers). Seven digits
# at least ("+5 000" is a change); not the whole part of a fraction ("+1 500 000,5").
_PHONE_RE = re.compile(
    r"(?<![\w+])\+(?=\d)(?:\d|[" + _SPACES + r"-](?=[\d(])|\(\d+\)(?=[" + _SPACES + r"-]?\d))+(?![.,]\d)"
)


def _phones(text: str) -> tuple[str, list[str], list[str]]:
    """The text without its telephone numbers, their values (digits) and the numbers as written."""
    values: list[str] = []
    raws: list[str] = []

    def take(m: re.Match) -> str:
        digits = "".join(filter(str.isdigit, m.group(0)))
        if len(digits) < 7:
            return m.group(0)
        values.append(digits)
        raws.append(m.group(0))
        return " "

    return _PHONE_RE.sub(take, text), values, raws


def _power(word: str) -> int:
    word = word.lower()
    if word in ("k", "m"):
        return 3 if word == "k" else 6
    if word.startswith(("миллиард", "млрд")):
        return 9
    if word.startswith(("тыс", "thousand")):
        return 3
    if word.startswith(("млн", "миллион", "million", "mln")):
        return 6
    if word.startswith(("bn", "billion")):
        return 9
    return 12  # trillion, трлн


def _normalise_number(raw: str, lang: str, power: int = 0) -> str:
    if not power and raw.isdigit():
        return raw.lstrip("0") or "0"
    if lang == "ru":
        digits = raw.translate(_NO_GROUP_SEP).replace(",", ".")
    else:
        digits = raw.replace(",", "")
    whole, _, frac = digits.partition(".")
    if power:  # "2.4 billion" -> 2400000000
        whole, frac = whole + frac[:power].ljust(power, "0"), frac[power:]
    whole = whole.lstrip("0") or "0"
    frac = frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole


def extract_numbers(text: str, lang: str) -> list[tuple[str, str]]:
    """``(value, as written)`` for every number: "1,000" (en) and "1 000" (ru) both give "1000",
    "2.4 billion" and "2,4 млрд" both give "2400000000"."""
    values, raws = _numbers(text, lang)
    return list(zip(values, raws))


def _numbers(text: str, lang: str) -> tuple[list[str], list[str]]:
    """:func:`extract_numbers` as two lists, the values and the numbers as written."""
    lang = "ru" if _lang(lang) == "ru" else "en"
    values: list[str]
    raws: list[str]
    if "+" in text:  # (a substring test first: most texts have no "+")
        text, values, raws = _phones(text)
    else:
        values, raws = [], []
    found = (_NUM_FAST_ASCII_RE if text.isascii() else _NUM_FAST_RE)[lang].findall(text)
    if not found:
        return values, raws
    phones = len(values)
    # findall (no match objects) does the common case; a one-letter multiplier right after the
    # number ("5m", "£40m") needs the character before the match, and goes the long way
    for first, day, month, year, raw, space, word in found:
        if month:  # a date: the month group takes part only there
            day = first + day
            for part in (day, month, year):
                values.append(part.lstrip("0") or "0")
                raws.append(part)
            continue
        raw = first + raw
        if word:
            if word in "mkMK" and not space:
                pairs = _matched_numbers(text, lang)
                return values[:phones] + [v for v, _ in pairs], raws[:phones] + [r for _, r in pairs]
            if word in "mkMK":
                values.append(_normalise_number(raw, lang))
                raws.append(raw)
            else:
                values.append(_normalise_number(raw, lang, _power(word)))
                raws.append(raw + space + word)
        else:
            values.append(raw.lstrip("0") or "0" if raw.isdigit() else _normalise_number(raw, lang))
            raws.append(raw)
    return values, raws


def _extract_numbers_by_match(text: str, lang: str) -> list[tuple[str, str]]:
    text, values, raws = _phones(text)
    return list(zip(values, raws)) + _matched_numbers(text, lang)


def _matched_numbers(text: str, lang: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for m in _num_re(lang).finditer(text):
        day, month, year, raw, space, word = m.groups()
        if day:
            found += [(part.lstrip("0") or "0", part) for part in (day, month, year)]
            continue
        if word and word in "mkMK" and (space or text[m.start() - 1 : m.start()] not in "£$€"):
            word = None  # "£40m" is money, "a 5m wall" is not
        found.append((_normalise_number(raw, lang, _power(word) if word else 0), m.group(0) if word else raw))
    return found


# Digits joined by single spaces, commas, full stops, colons, slashes or hyphens: "7 495 123-45-67",
# "1 000", "1,000", "12.03.2007"
_RUN_SEP = "[" + _SPACES + ".,:/-]"
_DIGIT_RUN_RE = re.compile(r"(?<!\d)(?<!\d" + _RUN_SEP + r")\d(?:" + _RUN_SEP + r"?\d)*")


def _without_copies(source: str, target: str) -> tuple[str, str]:
    """The two texts without the runs of digits (but those with a comma) that both have exactly as
    written (the source itself when there is none): a number copied as it is was not changed, however each language
    reads its grouping ("7 495 123" is three numbers in English, one in Russian; "1 000" is one in
    Russian, two in English)."""
    # (a substring test first: a changed number is mostly in no run of the target)
    # A comma is the exception: "1,000" copied into Russian reads as one (its decimal comma), "1,5"
    # copied into English as two numbers; such a copy is the error the check is for
    runs = [run for run in _DIGIT_RUN_RE.findall(source) if run in target and not run.isdigit() and "," not in run]
    if not runs:
        return source, target
    shared = Counter(runs) & Counter(run for run in _DIGIT_RUN_RE.findall(target) if run in runs)
    if not shared:
        return source, target

    def drop(text: str) -> str:
        left = Counter(shared)

        def repl(m: re.Match) -> str:
            if left[m.group(0)] > 0:
                left[m.group(0)] -= 1
                return " "
            return m.group(0)

        return _DIGIT_RUN_RE.sub(repl, text)

    return drop(source), drop(target)


def _year_as_quantity(s_raws: list[str], t_values: list[str], t_raws: list[str]) -> bool:
    """Whether a year of the source is in the target written otherwise than as digits ("2 007").
    (A year is written as four digits with no leading zero: its value is the year as written.)"""
    return any(not r.isdigit() and v in s_raws and _is_year(v) for v, r in zip(t_values, t_raws))


def _is_year(raw: str) -> bool:
    return len(raw) == 4 and raw.isdigit() and 1000 <= int(raw) <= 2100


class NumbersCheck(Check):
    id = "numbers"
    severity = ERROR
    description = (
        "Numbers, dates and years of the source appear in the target "
        "(1,000 = 1 000, 1.5 = 1,5; a year stays a year)"
    )

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        # (no separate "is there a digit at all" test first: the number pattern starts with a digit,
        # so its one scan of a text without any costs what that test would)
        source, target = entry_spans(entry)
        s_values, s_raws = _numbers(source[3], entry.source_lang)
        t_values, t_raws = _numbers(target[3], entry.target_lang)
        same = s_values == t_values or sorted(s_values) == sorted(t_values)
        if not same:
            s_text, t_text = _without_copies(source[3], target[3])
            if s_text is not source[3]:
                s_values, s_raws = _numbers(s_text, entry.source_lang)
                t_values, t_raws = _numbers(t_text, entry.target_lang)
                same = sorted(s_values) == sorted(t_values)
        # the same numbers: a finding only for a year of the source written otherwise than as digits
        # in the target (the raws are never empty: their concatenation is all digits when each is)
        if same and (not t_raws or "".join(t_raws).isdigit() or not _year_as_quantity(s_raws, t_values, t_raws)):
            return NOTHING
        return self._findings(entry, list(zip(s_values, s_raws)), list(zip(t_values, t_raws)), same)

    def _findings(self, entry: CheckEntry, src: list, tgt: list, same: bool) -> Iterable[Finding]:
        if same:
            missing = extra = None
        else:
            src_count = Counter(v for v, _ in src)
            tgt_count = Counter(v for v, _ in tgt)
            missing = src_count - tgt_count
            extra = tgt_count - src_count
        if missing:
            # small numbers are often written as words in one language ("three" / "3")
            small = all(len(v) == 1 for v in missing)
            written = {v: r for v, r in src}
            missing_raw = [written[v] for v in missing.elements()]
            extra_raw = [r for v, r in tgt if v in extra]
            message = f"number {', '.join(missing_raw)} of the source is missing from the target"
            if extra_raw:
                message += f" (target has {', '.join(extra_raw)})"
            yield self.finding(
                entry,
                message,
                severity=WARNING if small else ERROR,
                expected=", ".join(missing_raw),
                found=", ".join(extra_raw) or None,
            )
        elif extra:
            extra_raw = [r for v, r in tgt if v in extra]
            yield self.finding(
                entry,
                f"number {', '.join(extra_raw)} in the target is not in the source",
                severity=WARNING,
                found=", ".join(extra_raw),
            )
        years = {v for v, r in src if _is_year(r)}
        for value, raw in tgt:
            if value in years and not raw.isdigit():
                yield self.finding(
                    entry,
                    f"year {value} is written as a quantity ({raw!r}); a year stays a year",
                    severity=WARNING,
                    expected=value,
                    found=raw,
                )


# --------------------------------------------------------------------------------------------------
# Quotation marks


class QuotesCheck(Check):
    id = "quotes"
    severity = WARNING
    description = (
        "Russian quotation marks: «…» outside, „…“ inside; no straight \" or English “…” quotes "
        "(English targets: no «…» or „…“)"
    )

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        target = entry.target
        lang = _lang(entry.target_lang)
        if lang == "ru":
            # (a unit's "&quot;" is a straight quote too: its checked text has the character)
            # _QUOTE_RE's six characters asked as substring tests first: about a third of the cost of
            # scanning for the set, and most texts have none
            if (not ('"' in target or "«" in target or "»" in target or "„" in target or "“" in target or "”" in target)
                    and ("&" not in target or not _QUOTE_RE.search(entry_spans(entry)[1][3]))):
                return NOTHING
            return self._russian(entry, target)
        if lang == "en" and _RU_QUOTE_RE.search(target):
            return [self.finding(
                entry,
                "Russian quotation marks «…» or „…“ in English text; use “…”",
                found=_quotes_in(target),
            )]
        return NOTHING

    def _russian(self, entry: CheckEntry, text: str) -> Iterable[Finding]:
        text = entry_spans(entry)[1][3]
        found: list[Finding] = []
        if '"' in text:
            found.append(self.finding(
                entry,
                'straight quotes " in Russian text; use «…» (and „…“ inside)',
                severity=ERROR,
                expected="«…»",
                found='"',
            ))
        depth = 0  # «» nesting
        low = 0  # open „ waiting for its “
        nested = english = unbalanced = False
        for ch in _CURLY_QUOTE_RE.findall(text):  # the loop acts on these characters only
            if ch == "«":
                if depth:
                    nested = True
                depth += 1
            elif ch == "»":
                if depth:
                    depth -= 1
                else:
                    unbalanced = True
            elif ch == "„":
                low += 1
            elif ch == "“":
                if low:
                    low -= 1
                else:
                    english = True
            elif ch == "”":
                english = True
        if english:
            found.append(self.finding(
                entry,
                "English quotation marks “…” in Russian text; use «…» (and „…“ inside)",
                expected="«…»",
                found=_quotes_in(text),
            ))
        if nested:
            found.append(self.finding(
                entry, "quotes inside «…» should be „…“, not «…»", expected="«… „…“ …»", found="«… «…» …»"
            ))
        if (unbalanced or depth or low) and _balanced_source(entry.source):
            found.append(self.finding(entry, "unbalanced quotation marks in the target", found=_quotes_in(text)))
        return found


_RU_QUOTE_RE = re.compile("[«»„]")
_QUOTE_RE = re.compile("[\"«»„“”]")
_CURLY_QUOTE_RE = re.compile("[«»„“”]")


def _quotes_in(text: str) -> str:
    return "".join(c for c in text if c in "\"«»„“”")


def _balanced_source(text: str) -> bool:
    return text.count('"') % 2 == 0 and text.count("“") == text.count("”") and text.count("«") == text.count("»")


# --------------------------------------------------------------------------------------------------
# Sentence-final punctuation

_CLOSERS = "\"'»“”’)]*_ \u00a0"
_TERMINALS = ".?!…:;"


def final_punctuation(text: str) -> str:
    """The class of a text's final punctuation: "." "?" "!" "…" ":" ";" or "" for none."""
    end = text.rstrip().rstrip(_CLOSERS)
    if not end or end[-1] not in _TERMINALS:
        return ""
    if len(end) == 1 or end[-2] not in _TERMINALS:
        return end[-1]  # one mark: itself (the loop below says the same, slower)
    i = len(end)
    while i and end[i - 1] in _TERMINALS:
        i -= 1
    tail = end[i:].replace("...", "…")
    if not tail:
        return ""
    for mark in "?!…:;":
        if mark in tail:
            return mark
    return "."


_PUNCT_NAMES = {
    "": "no final punctuation",
    ".": "a full stop",
    "?": "a question mark",
    "!": "an exclamation mark",
    "…": "an ellipsis",
    ":": "a colon",
    ";": "a semicolon",
}


class PunctuationCheck(Check):
    id = "punctuation"
    severity = WARNING
    description = "Sentence-final punctuation of the target matches the source (. ? ! … : ;)"

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        source, target = entry.source, entry.target
        if ("&" in source or "&" in target) and entry_markup(entry):
            # the ";" of "&quot;." is no mark of a Markdown or HTML unit, an "&hellip;" is an ellipsis
            source, target = decode_entities(source), decode_entities(target)
        src = final_punctuation(source)
        tgt = final_punctuation(target)
        if src == tgt:
            return NOTHING
        if src == "" and tgt in ".:" and not _LETTER_RE.search(source[-1:] or ""):
            return NOTHING  # a source ending in a number or symbol, a target ending a sentence
        if src == "." and tgt == "" and target.rstrip().endswith(("?", "!")):
            return NOTHING
        return self._findings(entry, src, tgt)

    def _findings(self, entry: CheckEntry, src: str, tgt: str) -> Iterable[Finding]:
        if src == "":
            message = f"the target ends with {_PUNCT_NAMES[tgt]}, the source has none"
        elif tgt == "":
            message = f"the target has no final punctuation, the source ends with {_PUNCT_NAMES[src]}"
        else:
            message = f"the target ends with {_PUNCT_NAMES[tgt]}, the source with {_PUNCT_NAMES[src]}"
        yield self.finding(entry, message, expected=src or None, found=tgt or None)


# --------------------------------------------------------------------------------------------------
# Latin letters in Russian text, untranslated entries


class _AllowedLatin:
    """Latin strings allowed in Russian text: glossary do-not-translate terms and Latin targets."""

    def __init__(self, allowed: Iterable[str] = ()):
        words = sorted({a.strip() for a in allowed if a and a.strip()}, key=len, reverse=True)
        # "(?<!\w)(?:WORD|...)(?!\w)", written to start with the set of the words' first letters and
        # the look-behind after it ("(?<!\w[\s\S])" there is "(?<!\w)" before it), each word asking
        # first that the letter taken was its own: a case-insensitive pattern gets no C-speed scan
        # for its first character, but one test of a set at each character is cheaper than a
        # look-behind there (the set, case-insensitive too, takes every letter that a word's first
        # letter would take)
        self.pattern = (
            re.compile(
                "[" + "".join(dict.fromkeys(re.escape(w[0]) for w in words)) + r"](?<!\w[\s\S])(?:"
                + "|".join(f"(?<={re.escape(w[0])}){re.escape(w[1:])}" for w in words) + r")(?!\w)",
                re.IGNORECASE,
            )
            if words
            else None
        )

    def mask(self, text: str) -> str:
        return self.pattern.sub(" ", text) if self.pattern else text


class LatinCheck(Check):
    id = "latin"
    severity = WARNING
    description = (
        "No Latin letters left in Russian text outside glossary/do-not-translate terms, URLs, "
        "e-mails, Roman numerals, codes like MH17 and agency names; mixed-script words are errors"
    )

    def __init__(self, allowed_latin: Iterable[str] = ()):
        self.allowed = _AllowedLatin(allowed_latin)

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        target = entry.target
        if _lang(entry.target_lang) != "ru":
            return NOTHING
        first = _LATIN_RE.search(target)
        if first is None or _same_text(target, entry.source):
            return NOTHING  # no Latin letter; or a copy, reported once, by the untranslated check
        text = entry_spans(entry)[1][3]
        if text is not target and _LATIN_RE.search(text) is None:
            # the Latin letters were all in URLs, e-mails, placeholders; the masks below only put
            # spaces for what they take, so no Latin letter can come back: nothing to mask
            return NOTHING
        text = self.allowed.mask(text)
        if "%" in text:
            # "%d", "%s" that the source has too are placeholders, also without a c-format flag (a
            # catalog written by another tool; the placeholders check wants the flag to compare them)
            text = _PRINTF_RE.sub(lambda m: " " * len(m.group(0)) if m.group(0) in entry.source else m.group(0), text)
        if text != target:  # (nothing masked: the same text, the same first Latin letter)
            first = _LATIN_RE.search(text)
        if first is None:
            return NOTHING  # the Latin letters were all in URLs, e-mails, placeholders, allowed terms
        return self._findings(entry, _latin_words(text, first.start()))

    def _findings(self, entry: CheckEntry, words: list[str]) -> list[Finding]:
        credit = source_words = None  # worked out when a word needs them
        mixed: list[str] = []
        latin: list[str] = []  # words a translator most likely forgot: a warning
        names: list[str] = []  # capitalised words copied from the source (Google, Financial Times): info
        for word in words:
            if _CYRILLIC_RE.search(word):
                if "-" not in word:  # "IT-компания", "PR-служба" are fine; "Pоссия" is not
                    mixed.append(word)
                continue
            if _allowed_latin_word(word):
                continue
            if source_words is None:
                source_words = _source_words(entry.source)
            if word in source_words:
                if credit is None:
                    credit = is_credit(entry)
                if credit or not word.islower():
                    if not credit and word not in names:
                        names.append(word)
                    continue
            if word not in latin:
                latin.append(word)
        found: list[Finding] = []
        if mixed:
            found.append(self.finding(
                entry,
                f"word mixes Latin and Cyrillic letters: {', '.join(mixed)}",
                severity=ERROR,
                found=", ".join(mixed),
            ))
        if latin:
            found.append(self.finding(
                entry, f"Latin letters in Russian text: {', '.join(latin[:8])}", found=", ".join(latin[:8])
            ))
        if names:
            found.append(self.finding(
                entry,
                f"names left in Latin letters (add them to the glossary as do-not-translate terms "
                f"if that is the house style): {', '.join(names[:8])}",
                severity=INFO,
                found=", ".join(names[:8]),
            ))
        return found


_APOSTROPHE_RE = re.compile("['’]")


def _source_words(text: str) -> set[str]:
    """The words of ``text``, each up to its first apostrophe ("NATO's" -> "NATO")."""
    words = _WORD_RE.findall(text)
    if "'" not in text and "’" not in text:
        return set(words)  # no apostrophe to cut at
    return {_APOSTROPHE_RE.split(w)[0] for w in words}


def _latin_words(text: str, first: int) -> list[str]:
    """The words of ``text`` (as ``_WORD_RE`` finds them) that have a Latin letter, in order;
    ``first``: where the first Latin letter is. Only the stretch from the space before the first
    Latin letter to the space after the last one is split into words: a word never spans a space,
    so the words outside that stretch are the ones without Latin letters."""
    start = text.rfind(" ", 0, first) + 1
    last = len(text) - 1 - _LATIN_RE.search(text[::-1]).start()
    end = text.find(" ", last)
    if end == -1:
        end = len(text)
    return [w for w in _WORD_RE.findall(text, start, end) if _LATIN_RE.search(w)]


def _allowed_latin_word(word: str) -> bool:
    if word in COMMON_LATIN or any(c.isdigit() for c in word):
        return True  # agencies, codes and designations: MH17, F-16, G20
    if len(word) == 1 and word.isupper():
        return True  # "план B", "витамин C"
    return bool(word.isupper() and _ROMAN_RE.fullmatch(word))  # "XXI век", "Пётр I"


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _same_text(a: str, b: str) -> bool:
    """``_norm(a) == _norm(b)``, answered from the first letters where it can: casefolding works
    letter by letter, so equal normal forms begin with the casefolded first letters of both texts,
    and one of those is the start of the other ("ß" folds to "ss")."""
    first_a, first_b = a.lstrip()[:1], b.lstrip()[:1]
    if first_a != first_b:
        folded_a, folded_b = first_a.casefold(), first_b.casefold()
        if not (folded_a.startswith(folded_b) or folded_b.startswith(folded_a)):
            return False
    return _norm(a) == _norm(b)


class UntranslatedCheck(Check):
    id = "untranslated"
    severity = WARNING
    description = (
        "The target is not a copy of the source (do-not-translate terms, names and credits excepted); "
        "a plural entry has every form the header's nplurals asks for, none empty (an error)"
    )

    def __init__(self, allowed_latin: Iterable[str] = ()):
        self.allowed = _AllowedLatin(allowed_latin)

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        gaps = _plural_gaps(self, entry)
        if not _same_text(entry.target, entry.source):
            return gaps
        if is_credit(entry):
            return gaps
        text = self.allowed.mask(entry_spans(entry)[0][3])
        if not any(_LETTER_RE.search(w) and not _allowed_latin_word(w) for w in _WORD_RE.findall(text)):
            return gaps  # numbers, symbols, URLs and do-not-translate terms only
        return [*gaps, self.finding(entry, "the target is a copy of the source", found=_short(entry.target))]


def _plural_gaps(check: Check, entry: CheckEntry) -> list[Finding]:
    """An error for a plural entry with a form empty (gettext shows an empty string for its numbers)
    or missing (msgfmt -c refuses it; gettext shows the source), which compile leaves out."""
    if not entry.empty_forms and not entry.missing_forms:
        return []
    forms = [f"msgstr[{i}] is empty" for i in entry.empty_forms]
    forms += [f"msgstr[{i}] is missing" for i in entry.missing_forms]
    found = check.finding(entry, f"a plural form is not translated: {', '.join(forms)}", severity=ERROR)
    if entry.gap_lines[0]:  # annotated where the translator writes them, not on this entry's form
        found = replace(found, msgstr_line=entry.gap_lines[0], msgstr_end_line=entry.gap_lines[1])
    return [found]


# --------------------------------------------------------------------------------------------------
# URLs, e-mails, placeholders


def _canonical_url(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep:
        rest, scheme = url, ""
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}{sep}{host.lower()}{slash}{path}"


class UrlsCheck(Check):
    id = "urls"
    severity = ERROR
    description = "URLs and e-mail addresses of the source appear unchanged in the target"

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        if "." not in entry.source and "." not in entry.target:
            return NOTHING
        (s_urls, s_mails, _, _), (t_urls, t_mails, _, _) = entry_spans(entry)
        if not (s_urls or t_urls or s_mails or t_mails):
            return NOTHING
        return [
            *_compare(self, entry, "URL", s_urls, t_urls, _canonical_url),
            *_compare(self, entry, "e-mail address", s_mails, t_mails, str.lower),
        ]


class PlaceholdersCheck(Check):
    id = "placeholders"
    severity = ERROR
    description = (
        "Placeholders and markup of the source ({name}, %(name)s, ${name}, <b>; &amp; outside Markdown "
        "and HTML units; %s and %d with a *-format flag) appear unchanged in the target"
    )

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        source, target = entry_spans(entry)
        src = source[2]
        tgt = target[2]
        if not src and not tgt:
            return NOTHING
        return list(_compare(self, entry, "placeholder", src, tgt, str))


def _compare(check: Check, entry: CheckEntry, kind: str, src: list[str], tgt: list[str], canon) -> Iterable[Finding]:
    if src == tgt:
        return  # the same, in the same order (or none at all)
    missing = Counter(map(canon, src)) - Counter(map(canon, tgt))
    extra = Counter(map(canon, tgt)) - Counter(map(canon, src))
    if not missing and not extra:
        return
    lost = [s for s in dict.fromkeys(src) if canon(s) in missing]
    added = [t for t in dict.fromkeys(tgt) if canon(t) in extra]
    if lost and added:
        message = f"{kind} changed: {', '.join(lost)} -> {', '.join(added)}"
    elif lost:
        message = f"{kind} missing from the target: {', '.join(lost)}"
    else:
        message = f"{kind} in the target is not in the source: {', '.join(added)}"
    yield check.finding(entry, message, expected=", ".join(lost) or None, found=", ".join(added) or None)


# --------------------------------------------------------------------------------------------------
# Length ratio, double spaces, sentence count

# Target length / source length seen in WMT newstest references: en->ru median 1.13, ru->en 0.89.
_DEFAULT_RATIO = {("en", "ru"): (0.5, 2.2), ("ru", "en"): (0.45, 2.0)}


class LengthRatioCheck(Check):
    id = "length-ratio"
    severity = WARNING
    description = (
        "Target length / source length within range (en->ru 0.5-2.2, ru->en 0.45-2.0; "
        "options min, max, min_length)"
    )

    def __init__(self, min: float | None = None, max: float | None = None, min_length: int = 25):
        self.min = min
        self.max = max
        self.min_length = min_length

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        source = entry.source.strip()
        if len(source) < self.min_length:
            return NOTHING  # short strings vary too much
        lo, hi = _DEFAULT_RATIO.get((_lang(entry.source_lang), _lang(entry.target_lang)), (0.5, 2.0))
        lo = self.min if self.min is not None else lo
        hi = self.max if self.max is not None else hi
        ratio = len(entry.target.strip()) / len(source)
        if ratio < lo:
            what = "short"
        elif ratio > hi:
            what = "long"
        else:
            return NOTHING
        return [self.finding(
            entry,
            f"the target is {ratio:.2f} times as long as the source (expected {lo:g}-{hi:g}): too {what}",
            expected=f"{lo:g}-{hi:g}",
            found=f"{ratio:.2f}",
        )]


_DOUBLE_SPACE_RE = re.compile(r"(?=[" + _SPACES + r"]{2})(?<=\S)[" + _SPACES + r"]{2,}(?=\S)")


class DoubleSpaceCheck(Check):
    id = "double-space"
    severity = WARNING
    description = "No double spaces between words in the target"

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        target = entry.target
        # two spaces of any kind in a row: two ASCII ones, or a rarer one among them
        if "  " not in target and "\u00a0" not in target and "\u2009" not in target and "\u202f" not in target:
            return NOTHING
        m = _DOUBLE_SPACE_RE.search(target)
        if m is None:
            return NOTHING
        start = max(0, m.start() - 15)
        return [self.finding(
            entry,
            f"double space in the target: {target[start:m.end() + 15]!r}",
            found=target[start : m.end() + 15],
        )]


# A deliberately simple splitter: a sentence ends at . ! ? … (and closing quotes/brackets) followed by
# a space and an upper-case letter, a digit or an opening quote, unless the word before the full stop
# is an abbreviation or an initial. razdel/pysbd are more careful but cost ~1 ms per entry.
# ("[.!?…][.!?…]*" rather than "[.!?…]+": the same, and the engine then scans for the set at C speed)
_SENTENCE_END_RE = re.compile(r"[.!?…][.!?…]*[\"'»“”’)\]]*\s+(?=[\"'«“„(\[]?[A-ZА-ЯЁ0-9])")
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof st jr sr gen col lt sgt capt cmdr rev gov sen rep pres no vs etc inc ltd co corp art
    jan feb mar apr jun jul aug sep sept oct nov dec mt ft u.s u.k u.n e.g i.e a.m p.m
    г гг ул им т тт д др пр проф акад ген см стр рис млн млрд тыс руб долл чел кв просп пл обл абз дж
    р-н респ г-н г-жа ст н.э т.е т.д т.п т.к
    """.split()
)


def count_sentences(text: str) -> int:
    text = text.strip()
    # A sentence ends at a mark with a space and a letter after it: with no mark before the last two
    # characters there is one sentence, and four substring searches say so faster than the regex.
    end = len(text) - 2
    if text.find(".", 0, end) < 0 and text.find("!", 0, end) < 0 and text.find("?", 0, end) < 0 and text.find("…", 0, end) < 0:
        return 1
    # one search after another, each from where the last match ended, is what finditer does (a
    # match is never empty, the pattern has no look-behind), without a scan for the first match twice
    m = _SENTENCE_END_RE.search(text)
    count = 1
    while m is not None:
        end = m.start()
        m = _SENTENCE_END_RE.search(text, m.end())
        if text[end] == ".":
            word = text[text.rfind(" ", 0, end) + 1 : end].lstrip("\"'«“„([").casefold()
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        count += 1
    return count


class SentenceCountCheck(Check):
    id = "sentence-count"
    severity = WARNING
    description = "The target has as many sentences as the source"

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        source = entry.source
        # a first letter that is a letter answers for _LETTER_RE at once
        if not source[:1].isalpha() and not _LETTER_RE.search(source):
            return NOTHING
        src = count_sentences(source)
        tgt = count_sentences(entry.target)
        if src == tgt:
            return NOTHING
        return [self.finding(
            entry,
            f"the source has {src} sentence{'s' * (src != 1)}, the target {tgt}",
            expected=str(src),
            found=str(tgt),
        )]


# --------------------------------------------------------------------------------------------------
# Brackets, acronyms, repeated words (pofilter's brackets, acronyms and doublewords)

_BRACKET_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"))
_BRACKET_CHARS_RE = {o + c: re.compile("[" + re.escape(o + c) + "]") for o, c in _BRACKET_PAIRS}


def _may_have_brackets(text: str) -> bool:
    return "(" in text or ")" in text or "[" in text or "]" in text or "{" in text or "}" in text



def _bracket_state(text: str, opening: str, closing: str) -> tuple[int, bool]:
    """(pairs, balanced): how many ``opening``…``closing`` pairs, and whether every one closes in order."""
    depth = pairs = 0
    balanced = True
    chars = _BRACKET_CHARS_RE.get(opening + closing)
    for ch in chars.findall(text) if chars is not None else text:  # the loop acts on these two only
        if ch == opening:
            depth += 1
        elif ch == closing:
            if depth:
                depth -= 1
                pairs += 1
            else:
                balanced = False
    return pairs, balanced and depth == 0


class BracketsCheck(Check):
    id = "brackets"
    severity = WARNING
    description = "Brackets (), [] and {} of the target are balanced (and, info, as many as in the source)"

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        if not (_may_have_brackets(entry.source) or _may_have_brackets(entry.target)):
            return NOTHING
        # URLs (Kabul_(city)) and placeholders ({name}) are other checks' business
        source, target = entry_spans(entry)
        source, target = source[3], target[3]
        found: list[Finding] = []
        for opening, closing in _BRACKET_PAIRS:
            if opening not in source and closing not in source and opening not in target and closing not in target:
                continue  # no pair in either text, both balanced: nothing to say
            s_pairs, s_ok = _bracket_state(source, opening, closing)
            t_pairs, t_ok = _bracket_state(target, opening, closing)
            pair = opening + closing
            if s_ok and not t_ok:
                found.append(self.finding(entry, f"unbalanced {pair} in the target", expected=pair,
                                          found=_brackets_in(target, pair)))
            elif s_ok and t_pairs < s_pairs:
                # translators drop brackets for good reasons ("Article 217(3)" -> «п. 3 ст. 217»)
                found.append(self.finding(
                    entry,
                    f"the source has {s_pairs} {pair} pair{'s' * (s_pairs != 1)}, the target {t_pairs}",
                    severity=INFO,
                    expected=_brackets_in(source, pair),
                    found=_brackets_in(target, pair) or None,
                ))
        return found


def _brackets_in(text: str, pair: str) -> str:
    return "".join(c for c in text if c in pair)


# Acronyms (two or more capitals, standing alone: "NATO", "NATO's", not "U.S." or "MPs") and the
# renderings Russian news media use for the common ones; a glossary adds the project's own
# (NATO,НАТО). A rendering counts in any form: "ООН" and "Евросоюза" for "Евросоюз".
# (written to start with a character set, which the regex engine scans for at C speed: the
# look-behind comes after the first capital)
_ACRONYM_RE = re.compile(r"[A-Z](?<![\w.&-][A-Z])[A-Z]+(?![\w&-])(?!\.\w)")
ACRONYM_RENDERINGS: dict[str, tuple[str, ...]] = {
    # a trailing * is a stem: the adjective counts too ("US company" -> «американская компания»)
    "AP": ("Ассошиэйтед Пресс", "АП"),
    "AFP": ("Франс Пресс", "АФП"),
    "BBC": ("Би-би-си",),
    "CNN": ("Си-эн-эн",),
    "CIA": ("ЦРУ",),
    "EU": ("ЕС", "Евросоюз", "Европейский союз", "европейск*", "евро*"),
    "FBI": ("ФБР",),
    "FSB": ("ФСБ",),
    "GDP": ("ВВП",),
    "IMF": ("МВФ",),
    "KGB": ("КГБ",),
    "NATO": ("НАТО",),
    "OPEC": ("ОПЕК",),
    "OSCE": ("ОБСЕ",),
    "RIA": ("РИА",),
    "TASS": ("ТАСС",),
    "UAE": ("ОАЭ", "Эмират*"),
    "UK": ("Великобритания", "Соединённое Королевство", "Соединенное Королевство", "британ*", "Англи*", "англи*"),
    "UN": ("ООН",),
    "US": ("США", "Соединённые Штаты", "Соединенные Штаты", "американ*", "Америк*"),
    "USA": ("США", "Соединённые Штаты", "Соединенные Штаты", "американ*", "Америк*"),
    "USSR": ("СССР", "Советский Союз", "советск*"),
    "WHO": ("ВОЗ",),
}
_STEM_ENDINGS = "аяеоиыуюйь"


def _rendering_pattern(rendering: str) -> str:
    """A rendering in any grammatical form: the last word's ending may change ("Евросоюза")."""
    if rendering.endswith("*"):
        stem = rendering[:-1]
        return f"[{stem[0].upper()}{stem[0].lower()}]" + re.escape(stem[1:]) + r"[\w-]*"
    words = rendering.split()
    last = words[-1]
    if len(last) > 4 and last[-1].lower() in _STEM_ENDINGS and not last.isupper():
        last_re = re.escape(last[:-1]) + r"\w{0,3}"
    elif len(last) > 3 and not last.isupper() and _CYRILLIC_RE.search(last):
        last_re = re.escape(last) + r"\w{0,3}"
    else:
        last_re = re.escape(last)
    stems = [re.escape(w[:-2]) + r"\w{0,4}" if len(w) > 5 and not w.isupper() else re.escape(w) for w in words[:-1]]
    return r"\s+".join([*stems, last_re])


def _known_pattern(acronym: str, renderings: Iterable[str]) -> str:
    r"""A pattern for the acronym or one of its renderings, as a word of its own: what
    ``(?<!\w)(?:ACRONYM|RENDERING|...)(?!\w)`` finds, written to start with the set of the
    alternatives' first characters, which the regex engine scans for at C speed (a pattern that
    starts with a look-behind is tried at every character). Each alternative is one character
    (a letter, an escaped one, or a stem's "[Ee]") and the rest: the look-behind moves past that
    character ("(?<!\w[\s\S])" is "(?<!\w)" before it), and each alternative, tried in the same order,
    first asks that the character taken was its own ("(?<=[Ee])")."""
    alternatives = [(re.escape(acronym[0]), re.escape(acronym[1:]))]
    for rendering in sorted(renderings):
        pattern = _rendering_pattern(rendering)
        if rendering.endswith("*"):
            first = pattern[: pattern.index("]", 2) + 1]  # the stem's "[Ee]" (a class is never empty)
        else:
            first = re.escape(rendering.split()[0][0])  # each word's pattern starts with its escaped letters
        alternatives.append((first, pattern[len(first):]))
    firsts = "(?:" + "|".join(dict.fromkeys(first for first, _ in alternatives)) + ")"
    return firsts + r"(?<!\w[\s\S])(?:" + "|".join(f"(?<={first}){rest}" for first, rest in alternatives) + r")(?!\w)"


# First letters a Latin acronym's Cyrillic transliteration may start with (RIA -> РИА, FSIN -> ФСИН)
_TRANSLIT_FIRST = {
    "A": "АЭЕ", "B": "Б", "C": "СКЦЧ", "D": "Д", "E": "ЕЭИ", "F": "Ф", "G": "ГДЖ", "H": "ХГЭ", "I": "ИАЙ",
    "J": "ДЖ", "K": "К", "L": "Л", "M": "М", "N": "Н", "O": "ОЭ", "P": "П", "Q": "К", "R": "Р", "S": "СЭШ",
    "T": "Т", "U": "УЮА", "V": "В", "W": "ВУ", "X": "ИКЭ", "Y": "ЙИУ", "Z": "З",
}
_CYRILLIC_ACRONYM_RE = re.compile(r"(?<!\w)[А-ЯЁ]{2,}(?!\w)")


class AcronymsCheck(Check):
    id = "acronyms"
    severity = WARNING
    description = (
        "Acronyms of the source (AP, NATO, BBC) are kept in the target, or rendered as the glossary "
        "or Russian news usage has it (НАТО, ООН, США); others at least as a Cyrillic abbreviation (info)"
    )

    def __init__(self, glossary=None):
        renderings: dict[str, set[str]] = {k: set(v) for k, v in ACRONYM_RENDERINGS.items()}
        for term in getattr(glossary, "terms", ()) or ():
            source = (getattr(term, "source", "") or "").strip()
            if _ACRONYM_RE.fullmatch(source):
                found = renderings.setdefault(source, set())
                found.update(t.strip("«»\"") for t in [getattr(term, "target", "") or "",
                                                       *(getattr(term, "alternatives", ()) or ())] if t)
        # the patterns' texts now, each compiled when an entry first needs it: most runs need a few
        # of them, and compiling them all cost every run's start-up
        self._known = {acronym: _known_pattern(acronym, found) for acronym, found in renderings.items()}
        self._compiled: dict[str, re.Pattern] = {}

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        # (an acronym has two capitals in a row: _ACRONYM_RE alone answers what the two asked)
        first = _ACRONYM_RE.search(entry.source)
        if first is None:
            return NOTHING
        source = entry_spans(entry)[0][3]
        # nothing masked: the search goes on from the first acronym (the look-behind sees before it)
        acronyms = _ACRONYM_RE.findall(source, first.start() if source == entry.source else 0)
        target = entry.target
        known_missing, unknown_missing = [], []
        cyrillic = None
        for acronym in dict.fromkeys(acronyms):
            if _ROMAN_RE.fullmatch(acronym) or acronym in COMMON_LATIN and acronym not in self._known:
                continue  # "World War II"; "CC BY" licences
            known = self._known.get(acronym)
            standalone = acronym in target and _standalone(acronym).search(target)
            if known is not None:
                # (kept as it is, the first thing the pattern allows: found much faster)
                if not standalone:
                    pattern = self._compiled.get(acronym)
                    if pattern is None:
                        pattern = self._compiled[acronym] = re.compile(known)
                    if not pattern.search(target):
                        known_missing.append(acronym)
                continue
            if standalone:
                continue
            if cyrillic is None:
                cyrillic = _CYRILLIC_ACRONYM_RE.findall(target)
            firsts = _TRANSLIT_FIRST.get(acronym[0], "")
            if any(w[0] in firsts and abs(len(w) - len(acronym)) <= 2 for w in cyrillic):
                continue  # transliterated (RIA -> РИА), or so it seems: precision first
            unknown_missing.append(acronym)
        if not known_missing and not unknown_missing:
            return NOTHING
        # asked only now, when there is something to report: the answer can only silence the check
        letters = list(filter(str.isalpha, source))
        if letters and sum(map(str.isupper, letters)) > len(letters) / 2:
            return NOTHING  # a headline in capitals: its words are not acronyms
        found: list[Finding] = []
        if known_missing:
            found.append(self.finding(
                entry,
                f"acronym{'s' * (len(known_missing) > 1)} {', '.join(known_missing)} of the source neither kept "
                "in the target nor rendered as the glossary or Russian news usage has it",
                expected=", ".join(known_missing),
            ))
        if unknown_missing:
            found.append(self.finding(
                entry,
                f"acronym{'s' * (len(unknown_missing) > 1)} {', '.join(unknown_missing)} of the source not in the "
                "target (fine if spelt out; add the house rendering to the glossary)",
                severity=INFO,
                expected=", ".join(unknown_missing),
            ))
        return found


@lru_cache(maxsize=1024)
def _standalone(acronym: str) -> re.Pattern:
    """The acronym as a word of its own (not inside a longer one), with the look-behind after the
    letters so that the engine looks for "NATO" as a string, at C speed."""
    escaped = re.escape(acronym)
    return re.compile(escaped + r"(?<!\w" + escaped + r")(?!\w)")


# Two equal words in a row, with nothing but spaces between: "Court Court", "в в".
_REPEAT_RE = re.compile(r"(?<![\w-])([^\W\d_]+)[" + _SPACES + r"]+(\1)(?![\w-])", re.IGNORECASE)
_WORD_TRAILING = ".,;:!?…»\"')]*_"
# a word (as str.split() finds them) and a next one that starts with it (possessive: a word is
# taken whole, never in part)
_WORD_THEN_ITSELF_RE = re.compile(r"\s(\S++)\s++\1")
# repetitions that English grammar makes ("he had had", "that that") or that stress a word
_GRAMMATICAL_REPEATS = frozenset({"had", "that", "is", "do", "very", "очень", "много", "долго", "давно"})


class RepeatedWordsCheck(Check):
    id = "repeated-words"
    severity = WARNING
    description = "No word repeated twice in a row in the target (\u00abCourt Court\u00bb, \u00abв в\u00bb) unless the source repeats it"

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        target = entry.target
        lowered = target.lower()
        # The scan below wants two neighbouring words where the second one is the first one, perhaps
        # with punctuation after it: one regex for a word followed by one that starts with it rules
        # out most entries at C speed (the space in front stands for the one before the first word).
        if not _WORD_THEN_ITSELF_RE.search(" " + lowered):
            return NOTHING
        words = lowered.split()
        # a plain scan next: the regex below is five times slower and most entries repeat nothing
        if not any(a == b or a == b.rstrip(_WORD_TRAILING) for a, b in zip(words, words[1:])):
            return NOTHING
        if not _REPEAT_RE.search(target):
            return NOTHING
        return self._findings(entry, target)

    def _findings(self, entry: CheckEntry, target: str) -> Iterable[Finding]:
        # a set: a long entry can repeat thousands of words, each looked up here (a list made it quadratic)
        source_repeats = {m.group(1).casefold() for m in _REPEAT_RE.finditer(entry.source)}
        found = []
        for m in _REPEAT_RE.finditer(target):
            first, second = m.group(1), m.group(2)
            word = first.casefold()
            if word in source_repeats or word in _GRAMMATICAL_REPEATS:
                continue
            if len(first) == 1 and first != second:
                continue  # "гепатит С с …": a letter, then the preposition
            if source_repeats and first[:1].isupper():
                continue  # a repeated name, transliterated ("Dong Dong" -> «Дун Дун»)
            found.append(target[m.start():m.end()])
        if found:
            yield self.finding(entry, f"repeated word in the target: {', '.join(f'«{f}»' for f in found)}",
                               found=", ".join(found))


QA_CHECKS: tuple[type[Check], ...] = (
    NumbersCheck,
    QuotesCheck,
    PunctuationCheck,
    UntranslatedCheck,
    LatinCheck,
    UrlsCheck,
    PlaceholdersCheck,
    LengthRatioCheck,
    DoubleSpaceCheck,
    SentenceCountCheck,
    BracketsCheck,
    AcronymsCheck,
    RepeatedWordsCheck,
)
