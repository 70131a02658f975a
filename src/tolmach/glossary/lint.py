"""``tolmach glossary lint``: problems in glossary files that matching cannot work around.

Codes: ``malformed`` (a row that cannot be read: wrong column count, empty required cell, bad kind
or flag), ``duplicate`` (same source twice, same target), ``conflict`` (same source, different
targets; or a forbidden variant that is a form of the target), ``not-russian`` (a target that does
not analyse as a Russian nominative, mixes Latin and Cyrillic letters in a word, or whose words do
not agree), ``unknown-word`` (a common-noun target pymorphy3 does not know), ``dnt`` (a
do-not-translate entry whose target differs from its source), ``overlap`` (a longer entry contains
a shorter one's source but not its rendering), ``unknown-kind`` (a kind outside the documented ones:
read, matched as a name or a term by the target's capital, never a reason to refuse the glossary).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .io import glossary_files, read_glossary_file
from .model import KIND_ALIASES, KINDS, Glossary, Term, is_documented_kind

ERROR = "error"
WARNING = "warning"

_MIXED = re.compile(r"(?=\w*[а-яё])(?=\w*[a-z])\w+", re.IGNORECASE)


@dataclass(frozen=True)
class LintFinding:
    severity: str
    code: str
    message: str
    path: str
    line: int

    def location(self) -> str:
        return f"{self.path}:{self.line}"


def lint_paths(paths: str | Path | Sequence[str | Path]) -> list[LintFinding]:
    """Read the glossary files leniently and lint every entry that could be read."""
    findings: list[LintFinding] = []
    terms: list[Term] = []
    for f in glossary_files(paths):
        file_terms, problems = read_glossary_file(f)
        findings += [LintFinding(ERROR, "malformed", p.message, p.path, p.line) for p in problems]
        terms += file_terms
    findings += lint_terms(terms)
    return sorted(findings, key=lambda f: (f.path, f.line, f.code))


def lint_terms(terms: Sequence[Term]) -> list[LintFinding]:
    glossary = Glossary(list(terms))
    out: list[LintFinding] = []
    out += _duplicates(terms)
    for term in terms:
        if term.label and not is_documented_kind(term.label):
            out.append(
                _finding(
                    WARNING, "unknown-kind", term,
                    f"kind {term.label!r} is not one of {', '.join(KINDS + tuple(KIND_ALIASES))}; it is matched as {term.kind!r}",
                )  # fmt: skip
            )
        out += _target(glossary, term)
    out += _overlaps(glossary, terms)
    return out


def _key(term: Term) -> str:
    s = " ".join(term.source.split())
    return s if term.case_sensitive else s.casefold()


def _finding(severity: str, code: str, term: Term, message: str) -> LintFinding:
    return LintFinding(severity, code, f'"{term.source}": {message}', term.path, term.line)


def _duplicates(terms: Sequence[Term]) -> list[LintFinding]:
    out = []
    first: dict[str, Term] = {}
    for term in terms:
        key = _key(term)
        seen = first.get(key) or first.get(key.casefold())
        if seen is None:
            first[key] = term
            continue
        where = seen.location()
        if seen.target == term.target:
            out.append(_finding(WARNING, "duplicate", term, f"duplicate of the entry at {where}"))
        else:
            out.append(
                _finding(ERROR, "conflict", term, f"{term.target!r} conflicts with {seen.target!r} at {where}")
            )
    return out


def _target(glossary: Glossary, term: Term) -> list[LintFinding]:
    from .russian import compile_pattern, find_pattern, is_cyrillic, parses, tokenize

    out = []
    target = term.bare_target
    if term.dnt:
        if target != term.source:
            out.append(_finding(WARNING, "dnt", term, f"do-not-translate, but the target {term.target!r} differs from the source"))
        return out
    for word in _MIXED.findall(target):
        out.append(_finding(ERROR, "not-russian", term, f"{word!r} mixes Latin and Cyrillic letters"))
    if not is_cyrillic(target):
        out.append(_finding(WARNING, "not-russian", term, f"target {term.target!r} has no Russian letters (mark it dnt if the source form is kept)"))
        return out
    pattern = glossary.russian.compiled(term).target
    group = [w for w in pattern.words if w.in_group]
    if not group:
        out.append(_finding(ERROR, "not-russian", term, f"target {term.target!r} does not start with a word in the nominative"))
    else:
        tokens = tokenize(target)
        own = find_pattern(pattern, tokens, target)
        first = group[0]
        best = None
        if first.parse is not None:  # the likeliest reading of the same part of speech, not parse()[0]
            same = [p for p in parses(first.text.lower()) if p.tag.POS == first.parse.tag.POS and p.is_known]
            best = max(same, key=lambda p: p.score) if same else None
        dangling = group[-1].pos in ("ADJF", "PRTF") and len(group) < len(pattern.words)
        if own and not any(m.agrees for m in own) or dangling:
            out.append(_finding(ERROR, "not-russian", term, f"the words of {term.target!r} do not agree with each other"))
        elif (
            first.parse is not None
            and first.parse.tag.number == "plur"
            and "Pltm" not in first.parse.tag
            and best is not None
            and best.tag.case != "nomn"
        ):
            out.append(
                _finding(ERROR, "not-russian", term, f"target {term.target!r} does not look like a nominative ({first.text!r} reads as {best.tag.case})")
            )
    if term.kind in ("term", "title"):
        for spec in pattern.words:
            if is_cyrillic(spec.text) and not any(p.is_known for p in parses(spec.text.lower())):
                out.append(_finding(WARNING, "unknown-word", term, f"{spec.text!r} is not in the Russian dictionary (typo?)"))
    accepted = [pattern, *glossary.russian.compiled(term).alternatives]
    for variant in term.forbidden:
        vp = compile_pattern(variant, term.kind)
        for p in accepted:
            toks = tokenize(p.bare_text)
            if find_pattern(vp, toks, p.bare_text):
                out.append(_finding(ERROR, "conflict", term, f"forbidden variant {variant!r} is a form of the accepted rendering {p.text!r}"))
    return out


def _overlaps(glossary: Glossary, terms: Sequence[Term]) -> list[LintFinding]:
    """A longer entry containing a shorter one's source should also contain its rendering."""
    from .english import EnglishMatcher
    from .russian import find_pattern, tokenize

    out = []
    for short in terms:
        matcher = EnglishMatcher([short])
        for long in terms:
            if long is short or len(long.source) <= len(short.source) or not matcher.find(long.source):
                continue
            compiled = glossary.russian.compiled(short)
            text = long.bare_target
            tokens = tokenize(text)
            if any(find_pattern(p, tokens, text) for p in compiled.forbidden):
                out.append(
                    _finding(ERROR, "overlap", long, f"its target uses a variant that {short.location()} forbids for {short.source!r}")
                )
            elif not any(find_pattern(p, tokens, text) for p in compiled.accepted):
                out.append(
                    _finding(
                        WARNING, "overlap", long,
                        f"contains {short.source!r} ({short.location()}) but its target {long.target!r} "
                        f"does not contain {short.target!r}",
                    )  # fmt: skip
                )
    return out
