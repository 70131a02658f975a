"""The glossary's data model: terms, their occurrences in a text, issues and enforcement results.

:class:`Glossary` is the one object the rest of Tolmach uses. It only holds the terms and the matchers
built from them; finding, checking and enforcing live in their own modules (``english``, ``russian``,
``verify``, ``enforce``) and are reached through its methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .english import EnglishMatcher
    from .russian import RussianMatcher

# The kinds matching knows: a person's names agree with each other, names of places and organisations
# decline by rule when the dictionary does not know them, terms and titles have plurals.
KINDS = ("person", "organisation", "place", "title", "term")
# Other kinds a glossary may use, documented; each is matched as one of KINDS. Any other word is
# accepted too (the vocabulary is open; ``glossary lint`` warns about it) and matched as a name when
# the target is capitalised, as a term otherwise.
KIND_ALIASES = {
    "organization": "organisation", "institution": "organisation", "media": "organisation",
    "company": "organisation", "party": "organisation", "team": "organisation", "club": "organisation",
    "sport": "organisation", "political": "organisation", "military": "organisation",
    "brand": "organisation", "product": "organisation", "event": "organisation",
    "agency": "organisation", "ministry": "organisation", "government": "organisation",
    "court": "organisation", "university": "organisation", "newspaper": "organisation",
    "broadcaster": "organisation", "channel": "organisation", "bank": "organisation",
    "union": "organisation", "band": "organisation", "ngo": "organisation",
    "country": "place", "city": "place", "region": "place", "state": "place", "province": "place",
    "district": "place", "town": "place", "village": "place", "river": "place", "island": "place",
    "people": "person", "name": "person",
    # a person's role: matched as a person (a name's parts agree), never as an organisation, whose
    # rules take «Ким Чен Ыном» or «Нгуен Фу Чонга» for misspellings
    "politician": "person", "leader": "person", "official": "person", "president": "person",
    "minister": "person", "diplomat": "person", "journalist": "person", "writer": "person",
    "author": "person", "artist": "person", "actor": "person", "actress": "person", "singer": "person",
    "musician": "person", "athlete": "person", "player": "person", "footballer": "person",
    "coach": "person", "businessman": "person", "businesswoman": "person", "executive": "person",
    "activist": "person", "scientist": "person", "judge": "person", "lawyer": "person",
    "general": "person", "officer": "person", "soldier": "person", "monarch": "person",
    "king": "person", "queen": "person", "prince": "person", "princess": "person",
    "celebrity": "person", "spokesperson": "person", "spokesman": "person", "spokeswoman": "person",
    "cleric": "person",
}  # fmt: skip
GENDERS = ("masc", "femn", "both")
LANGS = ("en", "ru")


def kind_category(kind: str, target: str = "") -> str:
    """The kind of ``KINDS`` a glossary kind is matched as (see :data:`KIND_ALIASES`)."""
    k = kind.strip().lower()
    if k in KINDS:
        return k
    if k in KIND_ALIASES:
        return KIND_ALIASES[k]
    first = target.strip().lstrip(OPEN_QUOTES)[:1]
    return "organisation" if first.isupper() else "term"


def is_documented_kind(kind: str) -> bool:
    k = kind.strip().lower()
    return k in KINDS or k in KIND_ALIASES


@dataclass(frozen=True)
class Term:
    """One glossary entry. ``target`` is the Russian term in the nominative singular.

    A target written in guillemets (``«Комсомольская правда»``) is a title: the quotes are optional
    when matching and are added when the term is placed. ``alternatives`` are other Russian renderings
    a translation may use (``талибы`` for *Taliban*); they pass the check, but a project that mixes
    them with the main rendering gets a consistency warning.
    """

    source: str
    target: str
    kind: str  # one of KINDS (what matching goes by); ``label`` keeps the glossary's own word
    note: str = ""
    forbidden: tuple[str, ...] = ()
    # True: letter case matters on both sides; False: it never does; None (the default, an empty
    # cell): English words the glossary capitalises keep their case (Sterling is not "a sterling
    # record", UN is not the "Un" of Kim Jong Un), Russian words only go wrong by an inner capital
    case_sensitive: bool | None = None
    dnt: bool = False
    path: str = ""
    line: int = 0
    alternatives: tuple[str, ...] = ()
    label: str = ""  # the kind as the glossary writes it, where it is not one of KINDS
    gender: str = ""  # "masc", "femn", "both" (a surname for a man and a woman) or "" (from the names)
    indeclinable: tuple[str, ...] = ()  # words of the renderings that never decline (normalised; "*": all)

    # A term is a key of the glossary's caches, asked for several times per entry checked: its hash
    # (of every field, as the dataclass's would be) is worked out once. It is not pickled (a string's
    # hash differs between processes): a term travels as its fields and is made again (__reduce__).
    def __post_init__(self):
        object.__setattr__(self, "_hash", hash(tuple(getattr(self, f) for f in _TERM_FIELDS)))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined]

    def __reduce__(self):
        return (Term, tuple(getattr(self, f) for f in _TERM_FIELDS))

    @property
    def quoted(self) -> bool:
        """True when the target is a title written in quotes."""
        t = self.target.strip()
        return len(t) > 2 and t[0] in OPEN_QUOTES and t[-1] in CLOSE_QUOTES

    @property
    def bare_target(self) -> str:
        """The target without the quotes around a title."""
        return self.target.strip()[1:-1].strip() if self.quoted else self.target.strip()

    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.path else ""


_TERM_FIELDS = tuple(f.name for f in fields(Term))

OPEN_QUOTES = "«\"„“'"
CLOSE_QUOTES = "»\"“”'"


@dataclass(frozen=True)
class TermMatch:
    """An occurrence of ``term`` in some text: ``text[start:end] == self.text``."""

    term: Term
    start: int
    end: int
    text: str


ISSUE_KINDS = ("missing", "forbidden", "agreement", "wrong-form", "style")
# kinds that do not make the rendering wrong: reported as warnings, and only when asked for
WARNING_KINDS = ("style",)


@dataclass(frozen=True)
class TermIssue:
    """A problem with one source term in one translation."""

    kind: str  # one of ISSUE_KINDS
    term: Term
    message: str
    expected: str
    found: str | None = None
    start: int | None = None
    end: int | None = None

    @property
    def is_warning(self) -> bool:
        """A ``style`` issue: the rendering is right, its spelling could follow the glossary better."""
        return self.kind in WARNING_KINDS


@dataclass(frozen=True)
class Enforcement:
    """The result of :meth:`Glossary.enforce`.

    Every term of the source is in at most one list. ``enforced`` terms were placed or replaced and
    the glossary check passes for them in ``text``; ``unplaced`` terms were not found in the
    output; ``unverified`` terms were found and a replacement was tried, but it failed the check or
    left an artefact (a repeated word, the term twice, a nominative where the context needs another
    case), so ``text`` keeps the engine's words there. ``reasons`` says why, per unverified term.
    Terms in neither list were already rendered correctly.
    """

    text: str
    enforced: list[Term] = field(default_factory=list)  # rendering placed or replaced, and verified
    unplaced: list[Term] = field(default_factory=list)  # found in the source, not placed in the text
    unverified: list[Term] = field(default_factory=list)  # a replacement was undone (see reasons)
    reasons: dict[Term, str] = field(default_factory=dict)  # unverified term -> why, e.g. "repeats a word"

    @property
    def needs_review(self) -> bool:
        """An entry with unplaced or unverified terms should stay fuzzy."""
        return bool(self.unplaced or self.unverified)

    def comments(self) -> list[str]:
        """Lines for the PO entry's comment: what was enforced and what could not be placed."""
        lines = []
        if self.enforced:
            names = ", ".join(f"{t.source} → {t.target}" for t in self.enforced)
            lines.append(f"glossary: enforced {names}")
        for term in self.unplaced:
            lines.append(f"glossary: could not place {term.source!r} (expected {term.target})")
        for term in self.unverified:
            why = self.reasons.get(term, "failed the glossary check")
            lines.append(f"glossary: not enforced {term.source!r} (expected {term.target}): the replacement {why}")
        return lines


class Glossary:
    """A set of terms, usable in both directions (EN→RU and RU→EN)."""

    def __init__(self, terms: list[Term] | None = None, files: tuple[tuple[str, str], ...] = ()):
        self.terms: list[Term] = list(terms or [])
        # (path as given, SHA-256 of the bytes parsed) of each file the terms were read from, as
        # :func:`~.io.load_glossary` read them: what a cache of results made with this glossary
        # depends on (a second read could see a newer save; a term's ``path`` is the path as given,
        # and findings name it)
        self.files = files

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self):
        return iter(self.terms)

    def __repr__(self) -> str:
        return f"Glossary({len(self.terms)} terms)"

    @cached_property
    def english(self) -> "EnglishMatcher":
        from .english import EnglishMatcher

        return EnglishMatcher(self.terms)

    @cached_property
    def by_target(self) -> dict[str, list[Term]]:
        """Terms by each of their Russian renderings, target and alternatives (lower case, ё as е):
        the English variants of one rendering."""
        out: dict[str, list[Term]] = {}
        for t in self.terms:
            for rendering in (t.bare_target, *t.alternatives):
                key = rendering.strip("«»\"„“ ").lower().replace("ё", "е")
                if t not in out.setdefault(key, []):
                    out[key].append(t)
        return out

    @cached_property
    def russian(self) -> "RussianMatcher":
        from .russian import RussianMatcher

        return RussianMatcher(self.terms)

    def find(self, text: str, lang: str) -> list[TermMatch]:
        """Occurrences of terms in ``text`` written in ``lang``: longest first, non-overlapping.

        English text is searched for ``term.source`` (possessives, plurals, per-entry case rules),
        Russian text for ``term.target`` and its alternatives in any inflected form.
        """
        if lang == "en":
            return self.english.find(text)
        if lang == "ru":
            return self.russian.find(text)
        raise ValueError(f"unsupported language {lang!r} (expected one of {', '.join(LANGS)})")

    def check(
        self, source: str, target: str, source_lang: str, target_lang: str, *, warnings: bool = False
    ) -> list[TermIssue]:
        """For every term found in ``source``: is it rendered correctly in ``target``?

        With ``warnings``, also ``style`` issues of correct renderings (see ``WARNING_KINDS``).
        """
        from .verify import check_pair

        return check_pair(self, source, target, source_lang, target_lang, warnings=warnings)

    def enforce(self, source: str, target: str, source_lang: str, target_lang: str) -> Enforcement:
        """Rewrite ``target`` so that every source term appears in the glossary's rendering."""
        from .enforce import enforce_pair

        return enforce_pair(self, source, target, source_lang, target_lang)
